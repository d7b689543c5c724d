"""Policy lineage (issue 18): what each region took from the document it implements, and
what it changed. ``service`` orchestrates over the facade; ``citations`` and ``changes`` are
pure functions; the aligner is embeddings/align.py, the triples kg/lineage.py."""

from .service import (
    align_documents,
    corpus_lineage,
    document_lineage,
    provision_lineage,
    resolve_sources,
)

__all__ = ["align_documents", "corpus_lineage", "document_lineage", "provision_lineage", "resolve_sources"]
