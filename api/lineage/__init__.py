"""Policy lineage (issue 18): what each region took from the document it implements, and
what it changed. ``service`` orchestrates over the facade; ``citations`` and ``changes`` are
pure functions; the aligner is embeddings/align.py, the triples kg/lineage.py.

The functions below are loaded on first use, so that importing the CLI stays light."""

from __future__ import annotations

from typing import Any

__all__ = ["align_documents", "corpus_lineage", "document_lineage", "provision_lineage", "refresh_lineage",
           "resolve_sources"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from . import service

        return getattr(service, name)
    raise AttributeError(f"module 'api.lineage' has no attribute {name!r}")
