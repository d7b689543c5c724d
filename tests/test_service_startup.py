"""Opening a workspace loads what ingest built instead of computing it again: the catalog (the
joined read model) is read from the workspace while the store is as it was saved, and built
again after any write. A tiny deterministic encoder keeps the test free of the model."""

from __future__ import annotations

import itertools
import json
import zlib

import numpy as np
import pytest


class TinyEncoder:
    name = "tiny-bigram-startup"
    dim = 32

    def _one(self, text: str) -> np.ndarray:
        v = np.zeros(self.dim, dtype=np.float32)
        for a, b in itertools.pairwise(c for c in text if not c.isspace()):
            v[zlib.crc32((a + b).encode()) % self.dim] += 1.0
        n = np.linalg.norm(v)
        return v / n if n else v + 1.0 / np.sqrt(self.dim)

    def encode_passages(self, texts):
        return np.stack([self._one(t) for t in texts]) if texts else np.zeros((0, self.dim), np.float32)

    def encode_queries(self, texts):
        return np.stack([self._one(t) for t in texts])


@pytest.fixture()
def plans(tmp_path, seed_files):
    folder = tmp_path / "docs"
    folder.mkdir()
    out = []
    for key in ("chengde", "ouhai"):
        path = folder / f"{key}.txt"
        path.write_text(seed_files[key].read_text(encoding="utf-8"), encoding="utf-8")
        out.append(path)
    return out


def _forbid(monkeypatch, what: str):
    def refuse(*args, **kwargs):
        raise AssertionError(f"{what} was computed again on open")

    return refuse


def test_a_reopened_workspace_reads_its_catalog_and_rebuilds_it_after_a_write(tmp_path, plans, monkeypatch):
    from api.readmodel import Catalog
    from api.service import CATALOG_FILE, PolicyKG
    from embeddings.index import SearchIndex

    ws = tmp_path / "ws"
    with PolicyKG(ws, encoder=TinyEncoder()) as kg:
        assert kg.ingest([plans[0]]).ok
        first = kg.documents()
        targets = kg.targets()
        hit = kg.search("名师工作室", k=3)["results"]
    assert (ws / CATALOG_FILE).exists()
    assert len(first) == 1 and targets

    built = Catalog.load
    monkeypatch.setattr(Catalog, "load", classmethod(_forbid(monkeypatch, "the catalog")))
    monkeypatch.setattr(SearchIndex, "rebuild", _forbid(monkeypatch, "the search index"))
    with PolicyKG(ws, encoder=TinyEncoder()) as kg:
        assert kg.documents() == first
        assert kg.targets() == targets
        assert kg.search("名师工作室", k=3)["results"] == hit  # targets, measure, bodies per hit
        doc_id = first[0]["id"]
        assert kg.document(doc_id)["targets"] == [t for t in targets if t["doc"] == doc_id]

    # a write changes the store: the saved catalog no longer answers for it
    monkeypatch.setattr(Catalog, "load", built)  # the index stays forbidden: removal needs no rebuild
    with PolicyKG(ws, encoder=TinyEncoder()) as kg:
        assert kg.ingest([plans[1]]).ok
        both = {d["id"] for d in kg.documents()}
        assert len(both) == 2
    with PolicyKG(ws, encoder=TinyEncoder()) as kg:
        assert {d["id"] for d in kg.documents()} == both  # saved after the write
        kg.remove(doc_id)
        assert {d["id"] for d in kg.documents()} == both - {doc_id}
    with PolicyKG(ws, encoder=TinyEncoder()) as kg:
        assert {d["id"] for d in kg.documents()} == both - {doc_id}


def test_a_saved_catalog_of_another_store_state_is_not_used(tmp_path, plans):
    from api.service import CATALOG_FILE, PolicyKG

    ws = tmp_path / "ws"
    with PolicyKG(ws, encoder=TinyEncoder()) as kg:
        assert kg.ingest([plans[0]]).ok
        title = kg.documents()[0]["title"]
    path = ws / CATALOG_FILE
    saved = json.loads(path.read_text(encoding="utf-8"))
    for doc in saved["catalog"]["documents"].values():
        doc["title"] = "（改过的标题）"
    # the same catalog under another fingerprint (another store state): built again
    path.write_text(json.dumps({**saved, "fingerprint": "0" * 64}, ensure_ascii=False), encoding="utf-8")
    with PolicyKG(ws, encoder=TinyEncoder()) as kg:
        assert kg.documents()[0]["title"] == title
    # under the right fingerprint it is what the workspace reads (the store is not joined again)
    path.write_text(json.dumps(saved, ensure_ascii=False), encoding="utf-8")
    with PolicyKG(ws, encoder=TinyEncoder()) as kg:
        assert kg.documents()[0]["title"] == "（改过的标题）"
    # a damaged file is built again, not an error
    path.write_text("{not json", encoding="utf-8")
    with PolicyKG(ws, encoder=TinyEncoder()) as kg:
        assert kg.documents()[0]["title"] == title
