"""The ingest journal: what a crash (``kill -9``, power cut) may have left half written.

A document is written in three places, in order: the store (one atomic update), the search
index (a new generation, then ``meta.json`` by atomic rename) and the manifest (atomic
rename), which is the commit record. Before touching the store, the ingest writes the
document's id and the sha256 it is writing to ``ingest-journal.json`` (atomic rename); after
the manifest is saved the entry is cleared. An id being removed (an older version replaced)
is journaled with ``sha256: null``.

``recover`` runs when a writable workspace is opened with a journal present: an entry whose
write is committed (the manifest holds that sha256, the store holds the document) is kept;
anything else is taken out of the store, the index and the manifest, so that every document
is wholly there or wholly absent and a second ingest of the same files completes the batch.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from api.workspace import write_atomic

JOURNAL_NAME = "ingest-journal.json"


@dataclass(frozen=True)
class Journal:
    path: Path

    @classmethod
    def of(cls, root: Path) -> Journal:
        return cls(Path(root) / JOURNAL_NAME)

    def entries(self) -> dict[str, str | None]:
        """doc id → the sha256 being written (None: being removed)."""
        if not self.path.exists():
            return {}
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            return {str(k): v for k, v in (data.get("writing") or {}).items()}
        except (OSError, ValueError, AttributeError):
            return {}  # an unreadable journal: recovery falls back to comparing the parts

    def begin(self, writes: dict[str, str | None]) -> None:
        entries = {**self.entries(), **writes}
        write_atomic(self.path, json.dumps({"writing": entries}, ensure_ascii=False).encode("utf-8"))

    def clear(self) -> None:
        self.path.unlink(missing_ok=True)


def undone(entries: dict[str, str | None], manifest_docs: dict[str, Any], stored: set[str],
           indexed: set[str] | None) -> list[str]:
    """The journaled ids that did not commit: to be taken out wholly."""
    bad = []
    for doc_id, sha in entries.items():
        entry = manifest_docs.get(doc_id)
        if sha is not None:
            committed = entry is not None and entry.sha256 == sha and doc_id in stored
        else:  # a removal: fine when it is gone everywhere or was not started
            committed = (entry is None and doc_id not in stored) or (
                entry is not None and doc_id in stored and (indexed is None or doc_id in indexed))
        if not committed:
            bad.append(doc_id)
    return bad
