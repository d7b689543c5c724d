"""The command line through typer's CliRunner, on a small workspace of its own."""

from __future__ import annotations

import json
import shutil

import pytest
from typer.testing import CliRunner

from api.cli import app

pytestmark = pytest.mark.slow
runner = CliRunner()


def run(ws, *args, env=None):
    result = runner.invoke(app, ["--data", str(ws), *args], env=env)
    return result


def as_json(result):
    assert result.stdout.strip(), result.output
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def ws(tmp_path_factory, seed_files):
    """A workspace holding one plan ingested from a copy named plan.txt."""
    root = tmp_path_factory.mktemp("cli-ws")
    src = tmp_path_factory.mktemp("cli-src")
    shutil.copy(seed_files["xiangan"], src / "plan.txt")
    result = run(root, "ingest", str(src), "--json")
    assert result.exit_code == 0, result.output
    report = as_json(result)
    assert len(report["added"]) == 1 and report["failed"] == [] and report["unchanged"] == []
    return root, src


def test_reingest_is_unchanged(ws):
    root, src = ws
    report = as_json(run(root, "ingest", str(src / "plan.txt"), "--json"))
    assert report["added"] == [] and len(report["unchanged"]) == 1


def test_documents_json_fields(ws):
    root, _ = ws
    docs = as_json(run(root, "documents", "--json"))
    assert len(docs) == 1
    d = docs[0]
    assert d["issuer"] == "厦门市翔安区教育局"
    assert d["region"] == {"code": "350213", "name": "翔安区", "full_name": "福建省厦门市翔安区", "level": "county",
                           "province": "福建省", "anonymised": False}
    assert d["source"]["file"] == "plan.txt" and len(d["source"]["sha256"]) == 64
    assert d["clauses"] > 20
    table = run(root, "documents")
    assert table.exit_code == 0 and "翔安区" in table.stdout


def test_bad_files_fail_with_reasons_and_leave_the_store_alone(ws, tmp_path):
    root, _ = ws
    before = as_json(run(root, "documents", "--json"))
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "garbage.pdf").write_bytes(bytes(range(256)) * 10)
    (tmp_path / "notes.xyz").write_text("hello")
    result = run(root, "ingest", str(tmp_path / "empty.txt"), str(tmp_path / "garbage.pdf"),
                 str(tmp_path / "notes.xyz"), str(tmp_path / "missing.txt"), "--json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    failed = {f["file"].rsplit("/", 1)[-1]: f["error"] for f in report["failed"]}
    assert set(failed) == {"empty.txt", "garbage.pdf", "notes.xyz", "missing.txt"}
    assert all(reason for reason in failed.values())
    assert report["added"] == []
    assert as_json(run(root, "documents", "--json")) == before
    hits = as_json(run(root, "search", "教师培训", "--k", "3", "--json"))["results"]
    assert hits and all(h["source_file"] == "plan.txt" for h in hits)


def test_show_search_targets_sparql_and_export(ws, tmp_path, monkeypatch):
    from api import cli

    monkeypatch.setattr(cli.out, "width", 300)
    root, _ = ws
    doc_id = as_json(run(root, "documents", "--json"))[0]["id"]
    shown = run(root, "show", doc_id)
    assert shown.exit_code == 0 and doc_id in shown.stdout and "  1" in shown.stdout
    search = run(root, "search", "课后服务", "--k", "2")
    # hits name the document by title and short id, not by its file name
    assert search.exit_code == 0 and f"[{doc_id[:8]}]" in search.stdout and "plan.txt" not in search.stdout
    assert run(root, "search", "x", "--topic", "nonsense").exit_code == 2
    rows = as_json(run(root, "sparql", "SELECT ?d WHERE { ?d a eli:LegalResource }", "--json"))
    assert len(rows["results"]["bindings"]) == 1
    out = tmp_path / "g.graphml"
    assert run(root, "export", "--format", "graphml", "--out", str(out)).exit_code == 0
    assert b"<graphml" in out.read_bytes()
    assert run(root, "sparql", "DROP ALL").exit_code == 1


def test_changed_file_replaces_its_earlier_version_and_remove(ws, seed_files, tmp_path):
    root, src = ws
    old_id = as_json(run(root, "documents", "--json"))[0]["id"]
    # another file with the same name in another folder is another document
    other = tmp_path / "other" / "plan.txt"
    other.parent.mkdir()
    shutil.copy(seed_files["chengde"], other)
    report = as_json(run(root, "ingest", str(other), "--json"))
    assert len(report["added"]) == 1 and not report["added"][0]["replaced"]
    other_id = report["added"][0]["id"]
    assert {d["id"] for d in as_json(run(root, "documents", "--json"))} == {old_id, other_id}
    # the same bytes again from the same path: unchanged; from another path: a duplicate of
    # the stored document, which keeps its source
    assert as_json(run(root, "ingest", str(other), "--json"))["unchanged"][0]["id"] == other_id
    copy = tmp_path / "copy" / "plan.txt"
    copy.parent.mkdir()
    shutil.copy(other, copy)
    report = as_json(run(root, "ingest", str(copy), "--json"))
    assert report["added"] == [] and report["unchanged"] == []
    assert report["duplicates"][0]["duplicate_of"] == other_id
    assert report["duplicates"][0]["stored_from"] == str(other.resolve())
    # the same text in another encoding (other bytes, the same document id): a duplicate too
    gb = tmp_path / "copy" / "plan-gb18030.txt"
    gb.write_bytes(other.read_text(encoding="utf-8").encode("gb18030"))
    report = as_json(run(root, "ingest", str(gb), "--json"))
    assert report["added"] == [] and report["duplicates"][0]["duplicate_of"] == other_id
    manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))["documents"]
    assert manifest[other_id]["source_key"] == str(other.resolve())
    # a file changed in place replaces its own earlier version, and only that one
    plan = src / "plan.txt"
    plan.write_text(plan.read_text(encoding="utf-8") + "\n附：本要点自印发之日起施行。\n", encoding="utf-8")
    report = as_json(run(root, "ingest", str(plan), "--json"))
    assert len(report["added"]) == 1 and report["added"][0]["replaced"] == [old_id]
    new_id = report["added"][0]["id"]
    docs = as_json(run(root, "documents", "--json"))
    assert {d["id"] for d in docs} == {new_id, other_id} and old_id not in {d["id"] for d in docs}
    manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))["documents"]
    assert manifest[new_id]["source_key"] == str(plan.resolve())
    assert manifest[other_id]["source_key"] == str(other.resolve())
    for doc_id in (new_id, other_id):
        assert run(root, "remove", doc_id).exit_code == 0
    assert as_json(run(root, "documents", "--json")) == []
    assert run(root, "remove", "nope").exit_code == 1


def test_files_over_the_size_limit_are_refused_by_name(tmp_path, seed_files):
    root = tmp_path / "ws"
    big = tmp_path / "big.txt"
    shutil.copy(seed_files["chengde"], big)
    size = big.stat().st_size
    result = run(root, "ingest", str(big), "--json", env={"POLICYKG_MAX_FILE_MB": str(size / 2 / 2**20)})
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["added"] == [] and report["failed"][0]["file"] == str(big)
    assert "over the limit" in report["failed"][0]["error"]
    assert run(root, "ingest", str(big), env={"POLICYKG_MAX_FILE_MB": "lots"}).exit_code == 2


def test_ingest_logs_one_line_per_file_when_not_on_a_terminal(tmp_path, seed_files):
    root = tmp_path / "ws"
    (tmp_path / "bad.txt").write_bytes(b"")
    result = run(root, "ingest", str(tmp_path / "bad.txt"), str(tmp_path / "nope.txt"))
    lines = [line for line in result.stderr.splitlines() if line.startswith("policykg ingest")]
    assert len(lines) == 1 and "1/1" in lines[0] and "failed" in lines[0] and "bad.txt" in lines[0]
