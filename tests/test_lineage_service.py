"""Lineage through the service, the CLI and the HTTP API, over a workspace holding a real
(local, source) pair of the aesthetic corpus (南平市 → 福建省, read from ../shared)."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from tests.conftest import SHARED

AESTHETIC = SHARED / "corpus" / "aesthetic"
LOCAL = AESTHETIC / "local_009_2343c9cb.txt"
SOURCE = AESTHETIC / "local_056_b88ad7c2.txt"


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    from api.service import PolicyKG

    root = tmp_path_factory.mktemp("lineage-workspace")
    with PolicyKG(root) as kg:
        report = kg.ingest([LOCAL, SOURCE])
        if report.failed:
            pytest.fail(f"ingest failed: {report.failed}")
        ids = {info["file"]: info["id"] for info in report.added}
    return root, ids[str(LOCAL)], ids[str(SOURCE)]


@pytest.fixture(scope="module")
def kg(workspace):
    from api.service import PolicyKG

    service = PolicyKG(workspace[0])
    yield service
    service.close()


def test_document_lineage_is_written_and_read_back(kg, workspace):
    from api.lineage import document_lineage
    from kg.read import lineage_alignments, lineage_sources

    _root, local, source = workspace
    result = document_lineage(kg, local, [source])
    (src,) = result["sources"]
    assert src["doc"]["id"] == source and src["relation"] == "based_on"
    counts = src["counts"]
    assert all(counts[k] > 0 for k in ("adopted", "adapted", "added", "dropped"))
    adapted = [r for r in src["rows"] if r["label"] == "adapted"]
    assert all(r["change"] and r["diff"] for r in adapted)
    assert any(r["target_change"] for r in src["rows"])
    stored = lineage_alignments(kg.store, local)
    assert [r["label"] for r in stored] == [r["label"] for r in src["rows"]]
    assert lineage_sources(kg.store, local)[0]["source_id"] == source
    again = document_lineage(kg, local, [source])  # re-running replaces, never accumulates
    assert len(lineage_alignments(kg.store, local)) == len(again["sources"][0]["rows"])


def test_provision_lists_who_carries_it(kg, workspace):
    from api.lineage import document_lineage, provision_lineage

    _root, local, source = workspace
    result = document_lineage(kg, local, [source])
    row = next(r for r in result["sources"][0]["rows"] if r["label"] == "adopted" and len(r["source"]["text"]) > 4)
    prov = provision_lineage(kg, row["source"]["id"])
    docs = [c["doc"]["id"] for c in prov["carriers"]]
    assert docs[0] == prov["earliest"]["doc"]["id"]
    assert local in docs and source in docs
    dates = [c["doc"]["date"] for c in prov["carriers"] if c["doc"]["date"]]
    assert dates == sorted(dates)
    assert prov["earliest"]["doc"]["id"] == source  # the province wrote it before the city
    dropped = next(r for r in result["sources"][0]["rows"] if r["label"] == "dropped")
    assert local in [d["doc"]["id"] for d in provision_lineage(kg, dropped["source"]["id"], peers=False)["dropped_by"]]


def test_unknown_document_and_clause_are_clear_errors(kg, workspace):
    from api.errors import InvalidParameter, NotFound
    from api.lineage import document_lineage, provision_lineage

    _root, local, _source = workspace
    with pytest.raises(NotFound, match="no document 'nope'"):
        document_lineage(kg, "nope", write=False)
    with pytest.raises(InvalidParameter, match="the document itself"):
        document_lineage(kg, local, [local], write=False)
    with pytest.raises(InvalidParameter, match="clause"):
        provision_lineage(kg, "not-a-clause")
    with pytest.raises(NotFound):
        provision_lineage(kg, f"{local}/99.99")


def test_cited_sources_are_typed(kg, workspace):
    """The city's citations come back with their relation (the implementing one first)."""
    from api.lineage import resolve_sources

    _root, local, _source = workspace
    rows = resolve_sources(kg, local)
    assert rows and rows[0]["relation"] == "based_on"
    assert {r["relation"] for r in rows} <= {"based_on", "cites"}


def test_http_endpoints(kg, workspace):
    from api.http import create_app

    _root, local, source = workspace
    client = TestClient(create_app(lambda: kg, close_service=False))
    r = client.get(f"/lineage/{local}", params={"source": source})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["written"] is False and body["sources"][0]["counts"]["adopted"] > 0
    clause = next(x for x in body["sources"][0]["rows"] if x["label"] == "adopted")["source"]["id"]
    r = client.get(f"/lineage/provision/{clause}")
    assert r.status_code == 200 and r.json()["carriers"]
    assert client.get("/lineage/nope").status_code == 404
    assert client.get("/lineage/provision/nope").status_code == 422


def test_cli_table_and_json(kg, workspace):
    from api.cli import app

    root, local, source = workspace
    kg.close()  # one writer per store folder: let the CLI open it
    runner = CliRunner()
    res = runner.invoke(app, ["--data", str(root), "lineage", local, "--source", source, "--no-write"])
    assert res.exit_code == 0, res.output
    assert "adopted" in res.output and "dropped" in res.output and "source clause" in res.output
    res = runner.invoke(app, ["--data", str(root), "lineage", local, "--source", source, "--json", "--no-write"])
    assert res.exit_code == 0
    assert json.loads(res.stdout)["sources"][0]["doc"]["id"] == source
    res = runner.invoke(app, ["--data", str(root), "lineage", "nope"])
    assert res.exit_code == 1 and "no document" in res.output
