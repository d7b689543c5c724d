"""The web page in a real headless Chromium, served with uvicorn on a free loopback port by the
real app (``api.http.create_app``) over the session's seed workspace (the five seed plans).

Each view is driven as a person would and photographed into ``screenshots/`` (git-ignored):
search in Chinese, open a result, ask the teacher-training question, expand a graph node, find
precedents. Skipped only when /usr/bin/chromium is missing (.ci/system-deps installs it).
"""

from __future__ import annotations

from urllib.parse import quote

import pytest
from test_web_support import SCREENSHOTS, chromium_or_skip, click_graph_node, in_view, launch, serve

pytestmark = [pytest.mark.browser, pytest.mark.slow]

TEACHER_TRAINING_ZH = "哪些地区设定了教师培训的数量指标"
TEACHER_TRAINING_EN = "which regions set teacher-training quotas"


@pytest.fixture(scope="module")
def live_url(seed_service):
    chromium_or_skip()
    from api.http import create_app

    with serve(create_app(seed_service)) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with launch() as b:
        yield b


@pytest.fixture()
def page(browser, live_url):
    SCREENSHOTS.mkdir(exist_ok=True)
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=live_url,
                              locale="zh-CN")
    pg = ctx.new_page()
    pg.set_default_timeout(60_000)  # the first search loads the model and the index
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    yield pg
    ctx.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


def shot(page, name: str, full_page: bool = False) -> None:
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=full_page)


def test_search_in_chinese_highlights_and_opens_the_clause(page, seed_service) -> None:
    page.goto("/")
    page.fill("#search-q", "教师培训")
    page.press("#search-q", "Enter")
    page.wait_for_selector("#search-results .hit")
    assert "search?q=" in page.evaluate("location.hash")  # the hash links this search
    hits = page.locator("#search-results .hit")
    assert hits.count() >= 3
    marked_hits = page.locator("#search-results .hit:has(mark)")
    assert marked_hits.count() >= 1, "no result shows its matching span"
    # the highlighted span is a piece of that clause's own text; its clause path is shown
    first = marked_hits.first
    assert first.locator("mark").inner_text() in first.locator(".clause-text").inner_text()
    assert first.locator(".path").count() == 1
    shot(page, "search")

    # a click opens the document with its clause tree scrolled to that clause, marked
    highlight = first.locator("mark").inner_text()
    path = first.get_attribute("data-path")
    doc = first.get_attribute("data-doc")
    first.locator("a.doc-link").first.click()
    page.wait_for_selector("#doc-tree li.marked")
    assert f"id={doc}" in page.evaluate("location.hash")
    marked = page.locator("#doc-tree li.marked")
    assert marked.get_attribute("data-path") == path
    assert in_view(page, "#doc-tree li.marked > .clause-body", "#doc-tree")
    # the words that matched are marked inside the clause there too
    assert marked.locator(":scope > .clause-body mark").inner_text() == highlight
    meta = seed_service.document(doc)
    assert page.locator("#h-doc").inner_text() == (meta.get("title") or meta["source"]["file"])
    shot(page, "document")


def test_search_filter_by_province_keeps_to_that_province(page, seed_service) -> None:
    provinces = sorted({r["province"] for r in seed_service.regions() if r.get("province")})
    assert "河北省" in provinces, provinces  # 承德市's plan
    page.goto("/#search?q=" + quote("教师培训") + "&province=" + quote("河北省"))
    page.wait_for_selector("#search-results .hit")
    assert page.locator("#f-province").input_value() == "河北省"  # the link restored the filter
    for text in page.locator("#search-results .hit .hit-meta").all_inner_texts():
        assert "承德" in text or "河北" in text, text


def test_search_in_english_finds_chinese_clauses(page) -> None:
    page.goto("/#search?q=" + quote("teacher training"))
    page.wait_for_selector("#search-results .hit")
    assert "扩展为 expanded to" in page.locator("#search-status").inner_text()
    texts = " ".join(page.locator("#search-results .clause-text").all_inner_texts()[:5])
    assert "培训" in texts and "教师" in texts
    shot(page, "search-en")


@pytest.mark.parametrize("question", [TEACHER_TRAINING_ZH, TEACHER_TRAINING_EN])
def test_ask_teacher_training_shows_regions_in_table_and_on_map(page, question) -> None:
    page.goto("/#ask")
    page.fill("#ask-q", question)
    page.press("#ask-q", "Enter")
    page.wait_for_selector("#ask-table tbody tr")
    table = page.locator("#ask-table tbody").inner_text()
    # at least two real regions with targets; each row carries its evidence quote
    assert page.locator("#ask-table tbody th").count() >= 2
    assert page.locator("#ask-table tbody blockquote").count() == page.locator("#ask-table tbody tr").count()
    assert page.locator("#ask-interpretation").inner_text().startswith("理解为")
    points = page.locator("#ask-map .point")
    assert points.count() >= 1, "no region placed on the map"
    for name in points.evaluate_all("els => els.map(e => e.dataset.name)"):
        assert name in table  # every point on the map is a region of the answer
    # an anonymised region (xx市) is never placed: it is listed beside the map
    if "匿名" in table:
        assert "匿名" in page.locator("#ask-unplaced").inner_text()
    assert page.evaluate(
        "[...document.querySelectorAll('#ask-map .point circle')].every(c => c.getAttribute('fill'))"
    )
    shot(page, "ask-" + ("zh" if question == TEACHER_TRAINING_ZH else "en"), full_page=True)


def test_graph_node_click_expands_the_network(page, seed_service) -> None:
    doc = seed_service.documents()[0]
    root = doc.get("iri") or f"https://policykg.org/doc/{doc['id']}"
    page.goto(f"/#graph?node={quote(root, safe='')}&depth=1")
    page.wait_for_function("Number(document.querySelector('#graph-status').dataset.nodes) > 1")
    before = int(page.locator("#graph-status").get_attribute("data-nodes"))
    # click a neighbour that has neighbours of its own (a region, body or topic)
    candidates = page.evaluate(
        """async (root) => {
            const shown = new Set(window.policykg.graph.nodes.getIds());
            const ids = window.policykg.graph.nodes.get()
                .filter(n => n.id !== root && ['region', 'body', 'topic'].includes(n.group))
                .map(n => n.id);
            const out = [];
            for (const id of ids) {
                const r = await fetch(`/graph/neighbourhood?${new URLSearchParams({ node: id, depth: "1" })}`);
                const g = await r.json();
                if (g.nodes.some(m => !shown.has(m.id))) out.push(id);
            }
            return out;
        }""",
        root,
    )
    assert candidates, "no region, body or topic next to the document has neighbours of its own"
    click_graph_node(page, candidates[0])
    page.wait_for_function(
        f"Number(document.querySelector('#graph-status').dataset.nodes) > {before}", timeout=60_000
    )
    # the download links follow the clicked node
    href = page.locator("#dl-graphml").get_attribute("href")
    assert "format=graphml" in href and quote(candidates[0], safe="") in href
    resp = page.request.get(href)
    assert resp.ok and b"graphml" in resp.body()[:500]
    assert page.request.get(page.locator("#dl-ttl").get_attribute("href")).ok
    click_graph_node(page, candidates[0])  # re-centre the drawing for the picture
    shot(page, "graph")


def test_precedents_show_clauses_from_other_regions(page, seed_service) -> None:
    page.goto("/#precedents")
    page.fill("#prec-text", "校长每学期听课不少于10节")
    page.click("#prec-form button[type=submit]")
    page.wait_for_selector(".prec-column")
    columns = page.locator(".prec-column")
    assert columns.count() >= 2, "precedents from a single region only"
    names = [h.inner_text() for h in columns.locator("h2").all()]
    assert len(set(names)) == len(names)  # one column per region
    assert columns.first.locator(".hit").count() >= 1
    assert "text=" in page.evaluate("location.hash")
    shot(page, "precedents", full_page=True)


def test_ask_a_question_that_fits_no_pattern_shows_grouped_clauses_not_a_table(page) -> None:
    # no plan mentions horse riding: the page shows the closest clauses, not an answer
    page.goto("/#ask?q=" + quote("校园马术俱乐部"))
    page.wait_for_selector("#ask-fallback .hit")
    assert page.locator("#ask-answer").is_hidden()  # no table or map for an answer it lacks
    assert page.locator("#ask-fallback .fb-group h3").count() >= 1  # grouped by region
    assert "检索 search" in page.locator("#ask-interpretation").inner_text()
    shot(page, "ask-fallback")


def test_bodies_question_without_measure_level_bodies_says_so_and_lists_document_level_apart(page) -> None:
    page.goto("/#ask?q=" + quote("哪些部门负责课后服务"))
    page.wait_for_selector("#ask-doc-bodies:not([hidden]) #ask-doc-bodies-list li")
    assert page.locator("#ask-answer").is_hidden()  # nothing presented as the answer
    assert "没有" in page.locator("#ask-note").inner_text()  # says no measure names a body
    assert page.locator("#ask-doc-bodies-list li").count() >= 1
    shot(page, "ask-document-level-bodies", full_page=True)
