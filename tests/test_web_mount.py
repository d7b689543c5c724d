"""The web page's server side (``api.web.mount_web``) and the page itself in a real headless
Chromium against a tiny fake API (JSON shapes of issue 6), fast and without the model.

The page against the real service over the seed workspace is tests/test_web_browser.py.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any

import pytest
from fastapi import Body, FastAPI, HTTPException
from fastapi.testclient import TestClient
from test_web_support import SCREENSHOTS, click_graph_node, in_view, launch, serve

from api.web import VIS_JS, mount_web

ROOT = Path(__file__).resolve().parent.parent
BASE = "https://policykg.org/"

# ------------------------------------------------------------------ a tiny fake API
# Invented clauses (not the seeds): enough to exercise every view's rendering paths.
DOC_A, DOC_B, DOC_C = "docaaaa", "docbbbb", "doccccc"
REGIONS = [
    {"code": "350213", "name": "翔安区", "level": "county", "province": "福建省",
     "full_name": "福建省厦门市翔安区", "lon": 118.25, "lat": 24.62, "documents": 1},
    {"code": "130800", "name": "承德市", "level": "prefecture", "province": "河北省",
     "full_name": "河北省承德市", "lon": 117.96, "lat": 40.95, "documents": 1},
    {"code": f"anon-{DOC_C}-prefecture", "name": "xx市", "level": "prefecture", "province": None,
     "anonymised": True, "lon": None, "lat": None, "documents": 1},
]
TOPICS = [
    {"id": "teacher-training", "label_zh": "教师培训", "label_en": "teacher training"},
    {"id": "class-size", "label_zh": "消除大班额", "label_en": "class size"},
]
CLAUSE_TEXT = "（三）加强培训体系建设。每年培训骨干教师不少于200人，到2025年实现全员轮训。"


def _hit(doc: str, region: dict, path: str, text: str, hl: tuple[int, int] | None) -> dict:
    return {
        "clause_id": f"{BASE}doc/{doc}/clause/{path}", "doc": doc, "title": f"{region['name']}教育质量提升行动计划",
        "source_file": f"{doc}.txt", "region": region, "path": path, "text": text, "score": 0.0312,
        "highlight": list(hl) if hl else None,
        "targets": [{"n": 1, "value": 200, "unit": "人", "object": "培训骨干教师", "comparator": ">=",
                     "deadline": 2025, "frequency": "每年", "placeholder": False}],
        "bodies": [{"name": "区教育局", "role": "lead"}],
        "measure": {"clause": path, "heading": "加强培训体系建设"},
    }


def _tree(doc: str) -> list[dict]:
    return [
        {"path": str(i), "label": f"{'一二三四五六七八'[i - 1]}、", "heading": f"第{i}部分", "text": f"{'一二三四五六七八'[i - 1]}、第{i}部分",
         "children": [
             {"path": f"{i}.{j}", "label": f"（{j}）", "heading": None,
              "text": CLAUSE_TEXT if (i, j) == (3, 2) else f"（{j}）第{i}.{j}条的内容。" + "推进教育优质均衡发展。" * 6,
              "children": []}
             for j in range(1, 6)
         ]}
        for i in range(1, 9)
    ]


def fake_app() -> FastAPI:
    app = FastAPI()
    hl = (CLAUSE_TEXT.index("每年"), CLAUSE_TEXT.index("，到"))

    @app.get("/regions")
    def regions() -> list[dict]:
        return REGIONS

    @app.get("/topics")
    def topics() -> list[dict]:
        return TOPICS

    @app.get("/documents")
    def documents() -> list[dict]:
        return [{"id": d, "title": f"{r['name']}行动计划"} for d, r in zip((DOC_A, DOC_B, DOC_C), REGIONS)]

    @app.get("/bodies")
    def bodies() -> list[dict]:
        return [{"slug": "xiangan-jyj", "name": "厦门市翔安区教育局", "kind": "education-bureau"}]

    @app.get("/search")
    def search(q: str, k: int = 10, region: str | None = None) -> dict:
        hits = [_hit(DOC_A, REGIONS[0], "3.2", CLAUSE_TEXT, hl), _hit(DOC_B, REGIONS[1], "2.1", "（一）推进教师培训。", None)]
        if region:
            hits = [h for h in hits if h["region"]["code"] == region]
        return {"query": q, "results": hits}

    @app.get("/documents/{doc_id}")
    def document(doc_id: str) -> dict:
        if doc_id not in (DOC_A, DOC_B, DOC_C):
            raise HTTPException(404, f"unknown document {doc_id}")
        return {"id": doc_id, "title": "翔安区教育质量提升行动计划", "issuer": "厦门市翔安区教育局",
                "date": "2023-05-01", "region": REGIONS[0], "source": {"file": f"{doc_id}.txt"},
                "clauses": _tree(doc_id), "attachments": []}

    @app.get("/ask")
    def ask(q: str) -> dict:
        # the shape of api/ask.py: groups by region, each with its evidence (targets here)
        def ev(doc: str, value: float | None, quote: str, **kw: Any) -> dict:
            return {"kind": "target", "value": value, "placeholder": value is None, "unit": "人",
                    "object": "培训骨干教师", "comparator": ">=", "deadline": 2025, "doc": doc,
                    "path": "3.2", "clause_id": f"{BASE}doc/{doc}/clause/3.2", "quote": quote, **kw}

        def region(r: dict) -> dict:  # targets carry a short region, without coordinates
            return {k: r[k] for k in ("code", "name", "province") if k in r} | (
                {"anonymised": True} if r.get("anonymised") else {})

        return {"question": q, "fallback": False, "summary": "3 region(s) set targets on teacher training",
                "interpretation": {"intent": "regions", "language": "zh", "topic": "teacher-training",
                                   "topic_label": "教师培训 / teacher training", "topic_via": "label",
                                   "with_targets": True},
                "answer": [
                    {"region": region(REGIONS[0]), "documents": [{"id": DOC_A}],
                     "evidence": [ev(DOC_A, 200, "每年培训骨干教师不少于200人"), ev(DOC_A, 50, "培训校长50人")]},
                    {"region": region(REGIONS[1]), "documents": [{"id": DOC_B}],
                     "evidence": [ev(DOC_B, 30, "培训班主任30人")]},
                    {"region": region(REGIONS[2]), "documents": [{"id": DOC_C}],
                     "evidence": [ev(DOC_C, None, "培养xx名名师", unit="名", object="名师", deadline=2024)]},
                ]}

    @app.get("/graph/neighbourhood")
    def neighbourhood(node: str, depth: int = 1) -> dict:
        # a star around any node: 3 neighbours whose ids derive from the node, so expanding grows
        kids = [f"{node}/n{i}" if "/n" not in node[-3:] else f"{node}{i}" for i in range(3)]
        return {"nodes": [{"id": node, "label": node.rsplit("/", 1)[-1], "kind": "document"}]
                + [{"id": k, "label": f"邻居{i}", "kind": ["clause", "region", "topic"][i]} for i, k in enumerate(kids)],
                "edges": [{"source": node, "target": k, "label": "hasPart"} for k in kids]}

    @app.post("/precedents")
    def precedents(req: Annotated[dict[str, Any], Body()]) -> dict:
        return {"text": req["text"], "groups": [
            {"region": REGIONS[0], "documents": [{"doc": DOC_A, "title": "翔安区行动计划",
                                                  "clauses": [_hit(DOC_A, REGIONS[0], "3.2", CLAUSE_TEXT, hl)]}]},
            {"region": REGIONS[1], "documents": [{"doc": DOC_B, "title": "承德市实施方案",
                                                  "clauses": [_hit(DOC_B, REGIONS[1], "2.1", "（一）校长每学期听课不少于20节。", (4, 12))]}]},
        ]}

    return mount_web(app)


# ------------------------------------------------------------------ server side, no browser


def test_page_and_assets_are_served() -> None:
    client = TestClient(fake_app())
    page = client.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    # every script and stylesheet the page names is served (no internet, nothing from a CDN)
    refs = re.findall(r'(?:src|href)="(/[^"]+\.(?:js|css))"', page.text)
    assert {"/static/app.js", "/static/app.css", "/static/vendor/vis-network-9.1.2.min.js"} <= set(refs)
    for ref in refs:
        r = client.get(ref)
        assert r.status_code == 200, ref
        assert len(r.content) > 1000, ref
    assert "@version 9.1.2" in client.get("/static/vendor/vis-network-9.1.2.min.js").text[:2000]
    assert not re.search(r'(?:src|href)="https?://', page.text), "the page must not load anything remote"


def test_vis_network_is_one_vendored_file_named_by_its_version() -> None:
    assert VIS_JS.is_file() and VIS_JS.name == "vis-network-9.1.2.min.js"
    assert "@version 9.1.2" in VIS_JS.read_text(encoding="utf-8")[:2000]


def test_unknown_static_file_is_404() -> None:
    client = TestClient(fake_app())
    assert client.get("/static/nope.js").status_code == 404
    assert client.get("/static/vendor/nope.js").status_code == 404


# ------------------------------------------------------------------ in Chromium


@pytest.fixture(scope="module")
def fake_server():
    with serve(fake_app()) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with launch() as b:
        yield b


@pytest.fixture()
def page(browser, fake_server):
    SCREENSHOTS.mkdir(exist_ok=True)
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=fake_server)
    pg = ctx.new_page()
    pg.set_default_timeout(60_000)  # the machine is shared: be patient, not flaky
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    yield pg
    ctx.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


@pytest.mark.browser
def test_fake_search_highlights_and_opens_the_clause(page) -> None:
    page.goto("/#search")
    page.fill("#search-q", "教师培训")
    page.press("#search-q", "Enter")
    page.wait_for_selector("#search-results .hit mark")
    assert page.locator("#search-results .hit mark").first.inner_text() == "每年培训骨干教师不少于200人"
    assert "q=" in page.evaluate("location.hash")
    first = page.locator("#search-results .hit").first
    assert "翔安区" in first.inner_text() and "区教育局" in first.inner_text() and "≥ 200 人" in first.inner_text()
    first.locator("a.doc-link").first.click()
    page.wait_for_selector("#doc-tree li.marked")
    assert page.locator("#doc-tree li.marked").get_attribute("data-path") == "3.2"
    assert in_view(page, "#doc-tree li.marked > .clause-body", "#doc-tree")
    page.screenshot(path=str(SCREENSHOTS / "fake-document.png"))


@pytest.mark.browser
def test_fake_ask_lists_the_anonymised_region_beside_the_map(page) -> None:
    page.goto("/#ask?q=" + "哪些地区设定了教师培训的数量指标")
    page.wait_for_selector("#ask-table tbody tr")
    page.wait_for_selector("#ask-map .cnmap-unit[data-count]")
    shaded = page.evaluate("[...document.querySelectorAll('#ask-map .cnmap-unit[data-count]')]"
                           ".filter(e => Number(e.dataset.count) > 0).map(e => e.dataset.code)")
    assert set(shaded) == {"350200", "130800"}  # 翔安区 lands in 厦门市; 承德市 itself
    assert "xx市" in page.locator("#ask-map .cnmap-unplaced").inner_text()
    assert "教师培训" in page.locator("#ask-interpretation").inner_text()
    table = page.locator("#ask-table").inner_text()
    assert "≥ 200 人 培训骨干教师" in table and "承德市" in table and "2025" in table
    # evidence names the document by its title (from /documents), linked to the clause
    assert page.locator("#ask-table a.doc-link", has_text="翔安区行动计划").count() == 2
    page.screenshot(path=str(SCREENSHOTS / "fake-ask.png"), full_page=True)


@pytest.mark.browser
def test_fake_graph_expands_on_click(page) -> None:
    page.goto("/#graph?node=" + f"{BASE}doc/{DOC_A}" + "&depth=1")
    page.wait_for_function("Number(document.querySelector('#graph-status').dataset.nodes) >= 4")
    before = int(page.locator("#graph-status").get_attribute("data-nodes"))
    click_graph_node(page, f"{BASE}doc/{DOC_A}/n1")
    page.wait_for_function(f"Number(document.querySelector('#graph-status').dataset.nodes) > {before}")
    assert "node=" in page.locator("#dl-graphml").get_attribute("href")
    page.screenshot(path=str(SCREENSHOTS / "fake-graph.png"))


@pytest.mark.browser
def test_fake_precedents_side_by_side(page) -> None:
    page.goto("/#precedents")
    page.fill("#prec-text", "校长每学期听课不少于")
    page.click("#prec-form button[type=submit]")
    page.wait_for_selector(".prec-column")
    assert page.locator(".prec-column").count() == 2
    page.screenshot(path=str(SCREENSHOTS / "fake-precedents.png"))


@pytest.mark.browser
def test_fake_text_typed_before_the_filters_load_is_kept(page) -> None:
    """The filter options (regions, topics) load after the page; a draft typed meanwhile must
    survive their arrival (it used to be reset to the empty hash, so the submit did nothing)."""
    held: list = []
    page.route("**/regions*", lambda route: held.append(route))
    page.goto("/#precedents")
    page.fill("#prec-text", "校长每学期听课不少于")
    page.wait_for_function("true")  # let the page's scripts run while /regions is held
    assert held, "the page did not ask for /regions"
    with page.expect_response("**/regions*"):
        held[0].continue_()
    page.wait_for_function("document.querySelectorAll('#prec-exclude option').length > 1")
    assert page.input_value("#prec-text") == "校长每学期听课不少于"
    page.click("#prec-form button[type=submit]")
    page.wait_for_selector(".prec-column")


@pytest.mark.browser
def test_fake_keyboard_only_search_open_and_graph_expand(page) -> None:
    page.goto("/#search")
    page.keyboard.press("Tab")  # the first stop is the skip link
    assert page.evaluate("document.activeElement.id") == "skip-link"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.focus("#search-q")
    page.keyboard.type("教师培训")
    page.keyboard.press("Enter")
    page.wait_for_selector("#search-results .hit")
    for _ in range(40):  # Tab to the first result's document link, open it with Enter
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('doc-link')"):
            break
    page.keyboard.press("Enter")
    page.wait_for_selector("#doc-tree li.marked")
    # the graph grows from the keyboard too: the node list's buttons expand a node
    page.goto("/#graph?node=" + f"{BASE}doc/{DOC_A}" + "&depth=1")
    page.wait_for_function("Number(document.querySelector('#graph-status').dataset.nodes) >= 4")
    page.focus("#graph-node-list-box summary")
    page.keyboard.press("Enter")
    page.focus("#graph-node-list li:nth-child(2) button")
    page.keyboard.press("Enter")
    page.wait_for_function("Number(document.querySelector('#graph-status').dataset.nodes) > 4")
    # the focus stays on the expanded node's button after the list is rebuilt
    assert page.evaluate("document.activeElement.dataset.node") == f"{BASE}doc/{DOC_A}/n0"
