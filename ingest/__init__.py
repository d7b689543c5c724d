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


_UNSET = object()


def load_document(path: str | Path, time_limit: float | None | object = _UNSET):
    """Read and parse one file into a ``Document``; ``IngestError(file, reason)`` on bad input.

    ``time_limit``: seconds the parsing of this file may take (default ``POLICYKG_PARSE_TIMEOUT``
    or 300; None: no limit); a file that needs longer fails with the reason."""
    from ingest import limits

    raw = read_file(path)
    seconds = limits.default_timeout() if time_limit is _UNSET else time_limit
    try:
        with limits.time_limit(str(path), seconds):  # type: ignore[arg-type]
            return parse_document(raw, Path(path).name)
    except IngestError:
        raise
    except RecursionError:
        raise IngestError(str(path), "document structure too deeply nested") from None
    except Exception as exc:  # a parser bug must fail this file, not the whole batch
        raise IngestError(str(path), f"could not parse ({type(exc).__name__}: {exc})") from exc
