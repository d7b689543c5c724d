"""Ingestion: read a policy document file and parse it into a ``Document``.

``load_document(path)`` = ``read_file`` + ``parse_document``; extraction of facts lives in
``ingest.extract``.
"""

from __future__ import annotations

from pathlib import Path

from ingest.errors import IngestError
from ingest.readers import SUPPORTED_SUFFIXES, RawText, read_file

__all__ = [
    "SUPPORTED_SUFFIXES",
    "IngestError",
    "RawText",
    "load_document",
    "parse_document",
    "read_file",
]


def parse_document(raw: RawText, file_name: str):
    from ingest.parse import parse_document as _parse

    return _parse(raw, file_name)


def load_document(path: str | Path):
    """Read and parse one file into a ``Document``; ``IngestError(file, reason)`` on bad input."""
    raw = read_file(path)
    try:
        return parse_document(raw, Path(path).name)
    except IngestError:
        raise
    except RecursionError:
        raise IngestError(str(path), "document structure too deeply nested") from None
    except Exception as exc:  # a parser bug must fail this file, not the whole batch
        raise IngestError(str(path), f"could not parse ({type(exc).__name__}: {exc})") from exc
