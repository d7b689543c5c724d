"""``policykg encode``: the vector cache for a folder of documents, on any machine.

Encoding is the slow step of ingestion; it needs neither the store nor a workspace, so it can
run elsewhere (a GPU machine with a sentence-transformers model, or several machines over
parts of a corpus). ``encode_folder`` parses each file and encodes, through a
``VectorCache`` in ``out``, exactly the texts ``ingest`` encodes (the sentences of the
classifier's clause, measure and target-sentence texts and of the index's clauses: no text of
several sentences is encoded whole); ``policykg ingest --vectors OUT`` (``PolicyKG.import_vectors``)
then takes them, matched by model name and text hash, and encodes nothing it finds there.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from api.ingestion import collect_files, short_error


@dataclass
class EncodeReport:
    model: str
    out: str
    files: int = 0
    clauses: int = 0
    vectors: int = 0  # vectors in the cache after the run
    failed: list[dict[str, str]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def encode_folder(paths: Sequence[str | Path], out: str | Path, encoder: Any, concepts: Sequence[Any],
                  gazetteer: Any = None, progress: Callable[[int, int, str, str], None] | None = None
                  ) -> EncodeReport:
    from embeddings.cache import VectorCache, encode_passages_cached
    from embeddings.sentences import Segmenter
    from embeddings.topics import EmbeddingTopicClassifier
    from ingest import load_document
    from ingest.extract import extract_facts

    files, missing = collect_files(paths)
    cache = VectorCache(out, encoder.name, encoder.dim)
    segmenter = Segmenter()  # the index's default (embeddings/index.py)
    classifier = EmbeddingTopicClassifier(encoder, concepts, cache=cache, segmenter=segmenter)  # as ingest
    report = EncodeReport(model=encoder.name, out=str(cache.path), failed=list(missing))

    for n, path in enumerate(files, 1):
        status = "encoded"
        try:
            doc = load_document(path)
            extract_facts(doc, concepts, classifier=classifier, gazetteer=gazetteer)
            texts = [c.text for c in doc.walk() if c.text and c.text.strip()]
            sentences = [s for t in texts for s in segmenter.sentences(t)]
            encode_passages_cached(encoder, cache, texts + sentences, segmenter=segmenter)
            report.files += 1
            report.clauses += len(texts)
        except Exception as exc:  # noqa: BLE001 - one bad file never stops the batch
            status = "failed"
            report.failed.append({"file": str(path), "error": short_error(exc)})
        if progress:
            progress(n, len(files), str(path), status)
    report.vectors = len(cache)
    cache.close()
    return report
