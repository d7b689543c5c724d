"""The analyst's command line on the seed workspace (typer's CliRunner over the shared
session fixture): documents by title and short id, the matching sentence, clause text,
topic counts, SPARQL errors in the user's lines, Turtle prefixes, tables to CSV/XLSX."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from typer.testing import CliRunner

from api import cli
from api.cli import app

pytestmark = pytest.mark.slow
runner = CliRunner()
BOX = re.compile(r"[\s│┃━─┏┓┗┛┡┩┣┫╇╋┳┻└┘┌┐├┤┼╭╮╰╯]+")


@pytest.fixture(autouse=True)
def wide(monkeypatch):
    monkeypatch.setattr(cli.out, "width", 400)  # tables on one line per row, as on a wide terminal


def run(ws, *args):
    return runner.invoke(app, ["--data", str(ws), *args])


def ok(ws, *args):
    result = run(ws, *args)
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.fixture(scope="module")
def docs(seed_workspace):
    rows = json.loads(ok(seed_workspace, "documents", "--json"))
    return {d["source"]["file"]: d for d in rows}


def test_documents_are_named_by_title_and_short_id_not_file(seed_workspace, docs):
    table = ok(seed_workspace, "documents")
    zz = docs["002_63a5f9f5bfe6aa8f.txt"]
    assert zz["title"] in table and zz["id"][:8] in table
    assert "002_63a5f9f5bfe6aa8f.txt" not in table
    hits = ok(seed_workspace, "search", "校长每学期听课不少于", "--k", "5")
    assert not re.search(r"\d{3}_[0-9a-f]{16}\.txt", hits)
    assert f"[{docs['004_8045811c0acabd4e.txt']['id'][:8]}]" in hits


def test_search_shows_the_matching_sentence(seed_workspace):
    hits = ok(seed_workspace, "search", "校长每学期听课不少于", "--k", "5")
    assert "实行校长进课堂制度，每学期在本校听评课不少于30节。" in hits  # 瓯海区 5.4.1, mid-clause
    assert "10.实施校长培优计划" not in hits  # not the clause's first characters


def test_ask_evidence_stands_in_its_sentence(seed_workspace):
    answer = ok(seed_workspace, "ask", "哪些地区设定了教师培训的数量指标")
    assert "每年举办2期中小学校长培训班" in answer  # the sentence, not only the quote 2期中小学校长培训班
    assert not re.search(r"\d{3}_[0-9a-f]{16}\.txt", answer)


def test_show_by_short_id_or_title_with_text(seed_workspace, docs):
    zz = docs["002_63a5f9f5bfe6aa8f.txt"]
    tree = ok(seed_workspace, "show", zz["id"][:6])
    with_text = ok(seed_workspace, "show", zz["title"], "--text")
    detail = json.loads(ok(seed_workspace, "show", zz["id"], "--json"))
    clause = detail["clauses"][1]  # 一、指导思想 and its paragraph
    body = BOX.sub("", clause["text"])
    assert body[-30:] in BOX.sub("", with_text) and body[-30:] not in BOX.sub("", tree)
    assert "加强培训体系建设" in tree and "3.4.1" in tree


def test_a_missing_or_ambiguous_document_is_a_clear_error(seed_workspace):
    missing = run(seed_workspace, "show", "nosuch")
    assert missing.exit_code == 1 and "no document 'nosuch'" in missing.output
    assert "policykg documents" in missing.output
    ambiguous = run(seed_workspace, "show", "行动")  # in several titles
    assert ambiguous.exit_code == 2 and "documents" in ambiguous.output and "give more" in ambiguous.output
    assert run(seed_workspace, "search", "听课", "--doc", "nosuch").exit_code == 1


def test_topics_table_counts_measures_and_targets(seed_workspace):
    table = ok(seed_workspace, "topics")
    header = next(line for line in table.splitlines() if "English" in line)
    assert "measures" in header and "targets" in header and "clauses" not in header
    rows = json.loads(ok(seed_workspace, "topics", "--json"))
    training = next(t for t in rows if t["id"] == "teacher-training")
    assert training["measures"] > 0 and training["targets"] > 0
    line = next(line for line in table.splitlines() if " teacher-training " in line)
    assert re.search(rf"│ {training['measures']}\s+│ {training['targets']}\s+│", line), line


def test_sparql_syntax_errors_point_into_the_users_query(seed_workspace):
    bad = run(seed_workspace, "sparql", "SELECT ?x\nWHERE {\n  ?x a pkg:Region .\n  ?x foo:bar ?y\n}")
    assert bad.exit_code != 0 and "line 4" in bad.output and "?x foo:bar ?y" in bad.output
    bad = run(seed_workspace, "sparql", "SELECT ?x\nWHERE {\n  FILTER(\n}")
    assert bad.exit_code != 0 and "line 3" in bad.output


def test_turtle_uses_the_projects_prefixes(seed_workspace):
    ttl = ok(seed_workspace, "sparql", "CONSTRUCT { ?r ?p ?o } WHERE { ?r a pkg:Region ; ?p ?o }")
    assert "@prefix pkg: <https://policykg.org/ontology#>" in ttl and "pkg:Region" in ttl
    assert not re.search(r"\bns\d+:|\bgeo1:", ttl)
    export = ok(seed_workspace, "export", "--format", "ttl", "--node", "枣庄市")
    assert "eli:" in export and "skos:prefLabel" in export and not re.search(r"\bns\d+:", export)


def test_tables_to_csv_and_xlsx(seed_workspace, tmp_path):
    from openpyxl import load_workbook

    data = ok(seed_workspace, "targets", "--format", "csv")
    rows = list(csv.reader(io.StringIO(data.lstrip("\ufeff"))))
    assert rows[0][0] == "地区 Region" and len(rows) > 50
    out = tmp_path / "answer.xlsx"
    ok(seed_workspace, "ask", "哪些地区设定了教师培训的数量指标", "--format", "xlsx", "--out", str(out))
    sheet = load_workbook(out).active
    header = [c.value for c in sheet[1]]
    assert "地区 Region" in header and "依据 Evidence" in header and sheet.max_row > 5
    docs_csv = tmp_path / "docs.csv"
    ok(seed_workspace, "documents", "--format", "csv", "--out", str(docs_csv))
    lines = docs_csv.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith("标题 Title") and len(lines) == 6
    refused = run(seed_workspace, "targets", "--format", "xlsx")
    assert refused.exit_code == 2 and "--out" in refused.output
    assert run(seed_workspace, "documents", "--format", "pdf").exit_code == 2


def test_nodes_by_name(seed_workspace):
    found = json.loads(ok(seed_workspace, "nodes", "枣庄市", "--json"))
    assert found[0]["kind"] == "region" and found[0]["label"] == "枣庄市"
    import networkx as nx

    graphml = ok(seed_workspace, "export", "--format", "graphml", "--node", "枣庄市", "--depth", "2")
    G = nx.read_graphml(io.BytesIO(graphml.encode("utf-8")))
    assert "https://policykg.org/region/370400" in G and not [n for n in G if "/clause/" in n]
