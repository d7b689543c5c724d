"""The lineage graph follows the documents: when a source document is replaced (a changed
file from the same path) the lineage aligned with it is rebuilt against the new version; when
a document is removed, its own lineage graph and those left with no source are dropped.
A real pair of the aesthetic corpus (南平市 → 福建省), read from ../shared into a temporary
folder (the source copy is edited there, never in ../shared)."""

from __future__ import annotations

import shutil

import pytest

from tests.conftest import SHARED

pytestmark = pytest.mark.slow

AESTHETIC = SHARED / "corpus" / "aesthetic"
LOCAL = AESTHETIC / "local_009_2343c9cb.txt"
SOURCE = AESTHETIC / "local_056_b88ad7c2.txt"


def test_lineage_is_rebuilt_on_replace_and_dropped_on_remove(tmp_path):
    from api.lineage import document_lineage
    from api.service import PolicyKG
    from kg.lineage import lineage_documents
    from kg.read import lineage_alignments, lineage_sources

    files = tmp_path / "files"
    files.mkdir()
    local_file, source_file = files / LOCAL.name, files / SOURCE.name
    shutil.copy(LOCAL, local_file)
    shutil.copy(SOURCE, source_file)
    with PolicyKG(tmp_path / "ws") as kg:
        report = kg.ingest([local_file, source_file])
        assert not report.failed, report.failed
        ids = {info["file"]: info["id"] for info in report.added}
        local, source = ids[str(local_file)], ids[str(source_file)]
        assert kg.health()["store"]["documents"] == 2
        document_lineage(kg, local, [source])
        assert lineage_documents(kg.store) == [local]
        before = lineage_alignments(kg.store, local)
        assert {r["source_id"] for r in before} == {source}

        # a new version of the source from the same file: its last provision gone
        lines = source_file.read_text(encoding="utf-8").splitlines(keepends=True)
        last = max(i for i, line in enumerate(lines) if len(line.strip()) > 60)
        source_file.write_text("".join(lines[:last] + lines[last + 1:]), encoding="utf-8")
        report = kg.ingest([source_file])
        (added,) = report.added
        new_source = added["id"]
        assert added["replaced"] == [source] and new_source != source
        assert added["lineage"] == {"dropped": [], "rebuilt": [local]}
        assert [s["source_id"] for s in lineage_sources(kg.store, local)] == [new_source]
        after = lineage_alignments(kg.store, local)
        assert after and {r["source_id"] for r in after} == {new_source}
        assert not any(source in (r.get("source_clause") or "") for r in after)

        # the source removed: the local lineage has no source left and is dropped
        result = kg.remove(new_source)
        assert result["lineage"] == {"dropped": [local], "rebuilt": []}
        assert lineage_documents(kg.store) == []
        assert kg.health()["store"]["documents"] == 1  # the counts kept for /health follow each write
        assert lineage_alignments(kg.store, local) == []

        # a document's own lineage goes with it
        report = kg.ingest([SOURCE])
        again = report.added[0]["id"]
        document_lineage(kg, local, [again])
        assert lineage_documents(kg.store) == [local]
        assert kg.remove(local)["lineage"] == {"dropped": [local], "rebuilt": []}
        assert lineage_documents(kg.store) == []
