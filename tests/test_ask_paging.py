"""Paged evidence: an answer lists every region and at most ``per_region`` documents of each,
with their evidence; the rest on request (0). The Python API answers completely by default;
HTTP and the command line list 10 per region unless asked; downloads hold everything.

The pure paging function is tested on answers written here; the paths that answer (verified
clauses, the graph's targets, bodies) on four short plans written for the test (three of 南京市
and one of 苏州市, sharing a provision and each setting a target) and on the session's seeds."""

from __future__ import annotations

import csv
import io
import json

import pytest

from api.ask.paging import cap_of, listed, not_listed, page

# ---------------------------------------------------------------------- the pure function


def test_the_rule_lists_the_first_of_each_region_in_order_and_counts_every_one():
    keys = ["nj", "sz", "nj", "nj", "(no region)", "sz", "nj"]
    assert listed(keys, 2) == ([0, 1, 2, 4, 5], {"nj": 4, "sz": 2, "(no region)": 1})
    assert listed(keys, 1)[0] == [0, 1, 4]
    assert listed(keys, None)[0] == list(range(7)) and listed(iter(keys), 100)[0] == list(range(7))
    assert listed([], 3) == ([], {})


def _region(code, name):
    return {"code": code, "name": name, "level": "prefecture", "province": None, "anonymised": False}


NJ, SZ = _region("320100", "南京市"), _region("320500", "苏州市")


def _regions_answer():
    """A complete regions answer: 南京市 with three documents (d1 quoted twice), 苏州市 with one."""
    def ev(doc, n):
        return {"kind": "target", "doc": doc, "title": doc, "source_file": f"{doc}.txt", "value": n, "unit": "个"}

    docs = [{"id": d, "title": d, "source_file": f"{d}.txt"} for d in ("d1", "d2", "d3")]
    return {"question": "q", "interpretation": {"intent": "count", "language": "zh"}, "fallback": False,
            "summary": "2 region(s) plan 基地: 南京市, 苏州市",
            "answer": [{"region": NJ, "documents": docs, "evidence": [ev("d1", 1), ev("d2", 2), ev("d1", 3), ev("d3", 4)],
                        "count": {"个": 10}},
                       {"region": SZ, "documents": [{"id": "d4", "title": "d4", "source_file": "d4.txt"}],
                        "evidence": [ev("d4", 5)], "count": {"个": 5}}]}


def test_paging_keeps_every_region_in_order_and_the_first_documents_with_their_evidence():
    complete = _regions_answer()
    paged = page(complete, 1)
    assert [g["region"]["code"] for g in paged["answer"]] == ["320100", "320500"]
    nj, sz = paged["answer"]
    assert [d["id"] for d in nj["documents"]] == ["d1"] and nj["documents_total"] == 3
    assert [ev["value"] for ev in nj["evidence"]] == [1, 3]  # d1's evidence, in its order
    assert nj["count"] == {"个": 10}  # totals are the region's, listed or not
    assert sz["documents_total"] == 1 and len(sz["evidence"]) == 1
    assert paged["documents_total"] == 4 and paged["per_region"] == 1
    assert paged["summary"] == complete["summary"]
    assert not_listed(paged) == (2, "documents")
    two = page(complete, 2)["answer"][0]
    assert [d["id"] for d in two["documents"]] == ["d1", "d2"] and [ev["value"] for ev in two["evidence"]] == [1, 2, 3]
    assert len(complete["answer"][0]["documents"]) == 3  # pure: the complete answer is untouched


@pytest.mark.parametrize("cap", [None, 0, 3, 100])
def test_a_cap_of_zero_none_or_enough_lists_everything(cap):
    complete = _regions_answer()
    paged = page(complete, cap)
    assert paged["per_region"] == (cap or None)
    for before, after in zip(complete["answer"], paged["answer"]):
        assert after["documents"] == before["documents"] and after["evidence"] == before["evidence"]
        assert after["documents_total"] == len(before["documents"])
    assert not_listed(paged) == (0, "documents")


def test_documents_answers_list_the_first_documents_of_each_region_and_bodies_their_first_evidence():
    docs = [{"id": f"d{i}", "title": None, "source_file": None, "region": r, "evidence": [{"kind": "clause"}]}
            for i, r in enumerate((NJ, SZ, NJ, None, NJ, None))]
    paged = page({"answer": docs, "fallback": False}, 1)
    assert [d["id"] for d in paged["answer"]] == ["d0", "d1", "d3"]  # one per region (no region is one)
    assert paged["documents_total"] == 6 and not_listed(paged) == (3, "documents")
    assert [d["id"] for d in page({"answer": docs}, 2)["answer"]] == ["d0", "d1", "d2", "d3", "d5"]

    bodies = [{"id": "b", "name": "局", "level": "measure", "region": NJ,
               "evidence": [{"kind": "measure", "doc": d} for d in ("d1", "d2", "d2")]}]
    paged = page({"answer": bodies, "document_level_bodies": bodies}, 2)
    (body,) = paged["answer"]
    assert len(body["evidence"]) == 2 and body["evidence_total"] == 3
    assert paged["document_level_bodies"][0]["evidence_total"] == 3
    assert paged["documents_total"] == 2 and not_listed(paged) == (1, "pieces of evidence")


def test_no_answer_counts_no_document_and_a_negative_cap_is_refused():
    assert page({"answer": [], "closest": [{"doc": "d"}]}, 10)["documents_total"] == 0
    with pytest.raises(ValueError):
        cap_of(-1)


# ---------------------------------------------------------------------- the paths that answer

PLAN = """{city}教育局关于全面加强和改进学校美育工作的实施意见

一、主要任务
（一）完善艺术展演机制。全市每三年举办一次中小学生艺术展演活动，各区每年举办一次。
（二）加强美育教师队伍建设。{own}
（三）建设美育实践基地。到2025年，建设{n}个市级美育实践基地。
"""
PLANS = [("nj1.txt", "南京市", "每年组织美育教师专项培训。", 10), ("nj2.txt", "南京市", "建立美育教研员制度。", 12),
         ("nj3.txt", "南京市", "推进美育课程改革。", 15), ("sz.txt", "苏州市", "建设一批美育特色学校。", 8)]
SHOWS = "哪些地区规定每三年举办一次中小学生艺术展演"


@pytest.fixture(scope="module")
def paging_workspace(tmp_path_factory):
    """Four short plans: 南京市 three (one provision shared by all four), 苏州市 one."""
    from api.service import PolicyKG

    root = tmp_path_factory.mktemp("paging")
    files = []
    for name, city, own, n in PLANS:
        path = root / "src" / name
        path.parent.mkdir(exist_ok=True)
        path.write_text(PLAN.format(city=city, own=own, n=n), encoding="utf-8")
        files.append(path)
    with PolicyKG(root / "ws") as kg:
        report = kg.ingest(files)
    assert not report.failed, report.failed
    return root / "ws"


@pytest.fixture(scope="module")
def paging_service(paging_workspace):
    from api.service import PolicyKG

    service = PolicyKG(paging_workspace)
    yield service
    service.close()


def _docs(answer):
    return [[d["id"] for d in g["documents"]] for g in answer["answer"]]


@pytest.mark.slow
@pytest.mark.parametrize("question,source", [(SHOWS, "every clause, verified"),
                                             ("how many 美育实践基地 does each region plan", "targets")])
def test_one_document_per_region_keeps_the_regions_and_their_best_document(paging_service, question, source):
    from api.schemas import AskAnswer, dump

    complete = paging_service.ask(question)  # the Python API's default: everything
    assert complete["interpretation"]["source"] == source and complete["per_region"] is None
    assert max(len(g["documents"]) for g in complete["answer"]) >= 2
    paged = paging_service.ask(question, per_region=1)
    regions = [g["region"]["code"] for g in paged["answer"]]
    assert regions == [g["region"]["code"] for g in complete["answer"]]
    assert [g["region"]["name"] for g in paged["answer"]] == ["南京市", "苏州市"]
    for whole, part in zip(complete["answer"], paged["answer"]):
        assert len(part["documents"]) == 1 and part["documents_total"] == len(whole["documents"])
        assert {ev["doc"] for ev in part["evidence"]} == {part["documents"][0]["id"]}
        assert part["evidence"] == [ev for ev in whole["evidence"] if ev["doc"] == part["documents"][0]["id"]]
        assert part.get("count") == whole.get("count")
    assert paged["answer"][0]["documents_total"] == 3
    # the union of the listed documents is the complete answer's first document of each region
    assert [ids for ids in _docs(paged)] == [ids[:1] for ids in _docs(complete)]
    assert paged["documents_total"] == complete["documents_total"] == 4 and paged["per_region"] == 1
    assert paged["summary"] == complete["summary"]
    dump(AskAnswer, paged)


@pytest.mark.slow
def test_a_documents_answer_lists_the_first_documents_of_each_region(paging_service):
    complete = paging_service.ask("哪些文件规定每三年举办一次中小学生艺术展演")
    assert complete["interpretation"]["intent"] == "documents" and len(complete["answer"]) == 4
    paged = paging_service.ask("哪些文件规定每三年举办一次中小学生艺术展演", per_region=1)
    first = {}
    for d in complete["answer"]:
        first.setdefault(d["region"]["code"], d["id"])
    assert [d["id"] for d in paged["answer"]] == [d["id"] for d in complete["answer"] if first[d["region"]["code"]] == d["id"]]
    assert paged["documents_total"] == 4 and paged["summary"] == complete["summary"]


@pytest.mark.slow
def test_bodies_list_their_first_evidence(seed_service):
    complete = seed_service.ask("哪些部门负责质量监测与评价")  # a body leads three measures
    assert complete["interpretation"]["source"] == "bodies-for-topic"
    paged = seed_service.ask("哪些部门负责质量监测与评价", per_region=1)
    assert [b["id"] for b in paged["answer"]] == [b["id"] for b in complete["answer"]]
    assert any(len(b["evidence"]) > 1 for b in complete["answer"])
    for whole, part in zip(complete["answer"], paged["answer"]):
        assert part["evidence"] == whole["evidence"][:1] and part["evidence_total"] == len(whole["evidence"])


@pytest.mark.slow
def test_a_negative_cap_names_the_parameter(paging_service):
    from api.errors import InvalidParameter

    with pytest.raises(InvalidParameter) as exc:
        paging_service.ask(SHOWS, per_region=-1)
    assert exc.value.details["param"] == "per_region" and "per_region" in exc.value.message


# ---------------------------------------------------------------------- HTTP and the command line


@pytest.fixture(scope="module")
def client(paging_service):
    from fastapi.testclient import TestClient

    from api.http import create_app

    return TestClient(create_app(lambda: paging_service, close_service=False))


@pytest.mark.slow
def test_http_lists_ten_per_region_by_default_and_downloads_everything(client, paging_service):
    r = client.get("/ask", params={"q": SHOWS})
    assert r.status_code == 200
    body = r.json()
    assert body["per_region"] == 10 and all(len(g["documents"]) <= 10 for g in body["answer"])
    assert body["answer"][0]["documents_total"] == 3 and body["documents_total"] == 4
    one = client.get("/ask", params={"q": SHOWS, "per_region": 1}).json()
    assert [len(g["documents"]) for g in one["answer"]] == [1, 1] and one["answer"][0]["documents_total"] == 3
    every = client.get("/ask", params={"q": SHOWS, "per_region": 0}).json()
    assert every["per_region"] is None and [len(g["documents"]) for g in every["answer"]] == [3, 1]

    bad = client.get("/ask", params={"q": SHOWS, "per_region": -1})
    assert bad.status_code == 422 and "per_region" in bad.json()["error"]["message"]
    assert bad.json()["error"]["param"] == "per_region"
    assert client.get("/ask", params={"q": SHOWS, "per_region": 10001}).status_code == 422

    complete = paging_service.ask(SHOWS)
    data = client.get("/ask", params={"q": SHOWS, "format": "csv", "per_region": 1})
    assert data.status_code == 200
    rows = list(csv.reader(io.StringIO(data.content.decode("utf-8-sig"))))
    assert len(rows) - 1 == sum(len(g["evidence"]) for g in complete["answer"]) == 4


@pytest.mark.slow
def test_the_command_line_says_what_it_left_out(paging_workspace, monkeypatch):
    from pydantic import TypeAdapter
    from typer.testing import CliRunner

    from api import cli
    from api.schemas import AskAnswer, RegionsAnswer

    monkeypatch.setattr(cli.out, "width", 400)
    runner = CliRunner()

    def run(*args):
        result = runner.invoke(cli.app, ["--data", str(paging_workspace), "ask", SHOWS, *args])
        assert result.exit_code == 0, result.output
        return result.stdout

    table = run("--per-region", "1")
    assert "… 2 more documents not listed (--per-region 0 lists all)" in table
    assert "more documents not listed" not in run()  # 10 per region: nothing left out here
    assert "more documents not listed" not in run("--per-region", "0")

    answer = TypeAdapter(AskAnswer).validate_python(json.loads(run("--json", "--per-region", "1")))
    assert isinstance(answer, RegionsAnswer) and answer.per_region == 1 and answer.documents_total == 4
    assert [(len(g.documents), g.documents_total) for g in answer.answer] == [(1, 3), (1, 1)]

    rows = list(csv.reader(io.StringIO(run("--format", "csv", "--per-region", "1").lstrip("\ufeff"))))
    assert len(rows) - 1 == 4  # an export is the whole answer

    bad = runner.invoke(cli.app, ["--data", str(paging_workspace), "ask", SHOWS, "--per-region", "-1"])
    assert bad.exit_code == 2 and "--per-region" in bad.output


@pytest.mark.slow
@pytest.mark.browser
def test_the_page_says_what_it_left_out_and_shows_all_on_request(paging_service):
    from urllib.parse import quote

    from test_web_support import launch, serve

    from api.http import create_app

    with serve(create_app(paging_service)) as url, launch() as browser:
        page = browser.new_context(base_url=url, locale="zh-CN").new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto("/#ask?q=" + quote(SHOWS))  # the default lists 10 per region: all of these
        page.wait_for_selector("#ask-table tbody tr")
        page.wait_for_selector("#ask-status:not(.busy)")  # the counts come after the map
        assert page.locator("#ask-table tbody tr").count() == 4 and page.locator("#ask-more").is_hidden()
        assert "2 个地区，4 份文件" in page.locator("#ask-status").inner_text()

        page.goto("/#ask?q=" + quote(SHOWS) + "&per_region=1")
        page.wait_for_selector("#ask-more:not([hidden])")
        page.wait_for_selector("#ask-status:not(.busy)")
        assert page.locator("#ask-table tbody tr").count() == 2
        assert "2 more documents not listed" in page.locator("#ask-more").inner_text()
        status = page.locator("#ask-status").inner_text()
        assert "2 regions, 4 documents" in status and "listed" in status  # the totals, not the rows
        assert "共 3 份文件" in page.locator("#ask-region-list").inner_text()
        page.click("#ask-show-all")
        page.wait_for_function("document.querySelectorAll('#ask-table tbody tr').length === 4")
        assert "per_region=0" in page.evaluate("location.hash") and page.locator("#ask-more").is_hidden()
        assert not errors, errors
