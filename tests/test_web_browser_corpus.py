"""The analyst's page on a real corpus: the 美育 documents of ``aesthetic_workspace`` (a third of
../shared/corpus/aesthetic: regions all over China, national documents, provinces beside their
cities) served by the real app to headless Chromium. Each view is driven as a person would and
checked by what they see: the overview's counts, map and documents table, the targets table
and its CSV, the compare matrix, an ask answer on the map with its XLSX, search, a document,
the graph found by a region's name, and a city's plan beside its province's. The expected
figures are read from the service, so the tests hold for any subset of the corpus.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from io import BytesIO
from urllib.parse import quote

import pytest
from test_web_support import SCREENSHOTS, chromium_or_skip, launch, serve

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ART_SHOWS = "哪些地区规定了每年举办艺术展演"  # a frequency requirement many plans state


@pytest.fixture(scope="module")
def live_url(aesthetic_service):
    chromium_or_skip()
    from api.http import create_app

    with serve(create_app(lambda: aesthetic_service, close_service=False)) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with launch() as b:
        yield b


def _page(browser, live_url, width=1280, height=900, phone=False):
    ctx = browser.new_context(viewport={"width": width, "height": height}, base_url=live_url, locale="zh-CN",
                              is_mobile=phone, has_touch=phone, accept_downloads=True)
    pg = ctx.new_page()
    pg.set_default_timeout(90_000)  # the first search loads the model and the index
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    return ctx, pg, errors


@pytest.fixture()
def page(browser, live_url):
    SCREENSHOTS.mkdir(exist_ok=True)
    ctx, pg, errors = _page(browser, live_url)
    yield pg
    ctx.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


def shot(page, name: str) -> None:
    page.screenshot(path=str(SCREENSHOTS / f"corpus-{name}.png"), full_page=True)


def shaded_units(page, sel: str) -> list[str]:
    return page.evaluate(
        f"[...document.querySelectorAll('{sel} .cnmap-unit[data-count]')]"
        ".filter(e => Number(e.dataset.count) > 0).map(e => e.dataset.code)")


def provinces_of(docs) -> Counter:
    return Counter((d.get("region") or {}).get("province") or (d.get("region") or {}).get("name")
                   for d in docs if (d.get("region") or {}).get("level") not in (None, "country")
                   and not (d.get("region") or {}).get("anonymised"))


def test_overview_counts_map_and_documents_by_province(page, aesthetic_service) -> None:
    docs = aesthetic_service.documents()
    page.goto("/")
    page.wait_for_selector("#home-map .cnmap-unit[data-count]")
    page.wait_for_selector("#docs-table tbody tr")
    assert f"{len(docs)} 份文件" in page.locator("#home-counts").inner_text()
    # documents from all over China: shaded units in many provinces
    shaded = shaded_units(page, "#home-map")
    provinces = provinces_of(docs)
    assert len({u[:2] for u in shaded}) >= min(8, len(provinces)), shaded
    # the table pages a long corpus; the pager tells how many there are and shows them all
    rows = page.locator("#docs-table tbody tr")
    assert rows.count() == min(len(docs), 50)
    if len(docs) > 50:
        assert f"{len(docs)}" in page.locator(".pager").first.inner_text()
    assert f"{len(docs)} / {len(docs)}" in page.locator("#docs-count").inner_text()
    # national documents are listed apart from the map, not drawn on it
    national = sum(1 for d in docs if (d.get("region") or {}).get("level") == "country")
    if national:
        assert page.locator("#home-map .cnmap-unplaced").count() == 1
    shot(page, "home")
    # filter by the province with the most documents: every row is in it
    name, n = provinces.most_common(1)[0]
    page.select_option("#d-province", name)
    page.wait_for_function(f"document.querySelectorAll('#docs-table tbody tr').length === {min(n, 50)}")
    assert "province=" in page.evaluate("location.hash")
    for text in page.locator("#docs-table tbody tr td:nth-child(2)").all_inner_texts():
        assert name in text or text.split("（")[0] in name, text
    # a click on another province on the map filters the table to it
    other = next(p for p, _ in provinces.most_common() if p != name)
    code = next(r["code"] for r in aesthetic_service.regions() if r.get("name") == other and r.get("level") == "province")
    page.locator(f'#home-map .cnmap-unit[data-code="{code}"]').first.dispatch_event("click")
    page.wait_for_function(f"document.querySelectorAll('#docs-table tbody tr').length === {min(provinces[other], 50)}")
    assert page.locator("#d-province").input_value() == other


def test_targets_filter_by_province_and_download_csv(page, aesthetic_service) -> None:
    everything = aesthetic_service.targets()
    province = Counter((t.get("region") or {}).get("province") for t in everything
                       if (t.get("region") or {}).get("province")).most_common(1)[0][0]
    expected = [t for t in everything if (t.get("region") or {}).get("province") == province
                or (t.get("region") or {}).get("name") == province]
    page.goto("/#targets")
    page.wait_for_selector("#targets-table tbody tr")
    assert page.locator("#targets-table tbody tr").count() == min(len(everything), 50)
    page.select_option("#t-province", province)
    page.wait_for_function("location.hash.includes('province=')")
    page.wait_for_function(f"document.querySelectorAll('#targets-table tbody tr').length === {min(len(expected), 50)}")
    assert f"{len(expected)} 项指标" in page.locator("#targets-status").inner_text()
    # each row shows its evidence: the sentence the target stands in, its words marked
    first = page.locator("#targets-table tbody tr").first
    assert first.locator("blockquote mark").count() == 1
    assert len(first.locator("blockquote").inner_text()) > len(first.locator("blockquote mark").inner_text())
    shot(page, "targets")
    with page.expect_download() as dl:
        page.click("#targets-csv")
    assert dl.value.suggested_filename.endswith(".csv")
    with open(dl.value.path(), "rb") as fh:
        table = list(csv.DictReader(io.StringIO(fh.read().decode("utf-8-sig"))))
    assert len(table) == len(expected)
    assert {row["省份 Province"] or row["地区 Region"] for row in table} == {province}
    assert all(row["依据 Evidence"] for row in table)
    assert sum(bool(row["所在句子 Sentence"]) for row in table) == len(table)


def test_compare_matrix_has_many_regions_and_a_cell_opens_its_targets(page, aesthetic_service) -> None:
    page.goto("/#compare")
    page.wait_for_selector("#compare-matrix tbody td[data-count]")
    heads = page.locator("#compare-matrix thead th")
    assert heads.count() >= 6, "a topic × region matrix of a corpus with dozens of regions"
    cell = page.locator("#compare-matrix tbody td[data-count]:not([data-count='0']) a").first
    count = int(cell.inner_text())
    shot(page, "compare")
    cell.click()
    page.wait_for_function("location.hash.startsWith('#targets')")
    page.wait_for_function(f"document.querySelectorAll('#targets-table tbody tr').length === {min(count, 50)}")
    # two documents side by side, picked from the (scrolling) list
    page.goto("/#compare")
    page.wait_for_selector("#compare-doc-picks input[type=checkbox]")
    boxes = page.locator("#compare-doc-picks input[type=checkbox]")
    assert boxes.count() == len(aesthetic_service.documents())
    boxes.nth(0).check()
    boxes.nth(boxes.count() - 1).check()
    page.click("#compare-docs-form button[type=submit]")
    page.wait_for_selector("#compare-docs tbody tr")
    assert page.locator("#compare-docs thead th").count() == 3


def test_ask_about_art_shows_many_regions_on_the_map_and_downloads(page) -> None:
    from openpyxl import load_workbook

    page.goto("/#ask?q=" + quote(ART_SHOWS))
    page.wait_for_selector("#ask-table tbody tr")
    codes = set(page.locator("#ask-table tbody tr").evaluate_all("els => els.map(e => e.dataset.code)"))
    assert len(codes) >= 5, f"only {len(codes)} regions answer {ART_SHOWS}"
    assert "频次 frequency 每年" in page.locator("#ask-interpretation").inner_text()
    page.wait_for_selector("#ask-map .cnmap-unit[data-count]")
    shaded = shaded_units(page, "#ask-map")
    assert len(shaded) >= 4
    for unit in shaded:  # every shaded unit holds a region of the answer
        assert any(page.evaluate("([c, u]) => window.policykg.inRegion(c, u)", [c, unit]) for c in codes), unit
    assert page.locator("#ask-region-list li").count() == len(codes)
    # each piece of evidence quotes a clause that says 展演 or 艺术
    quotes = page.locator("#ask-table tbody blockquote").all_inner_texts()
    assert quotes and all("展" in q or "艺术" in q for q in quotes), quotes[:3]
    shot(page, "ask")
    with page.expect_download() as dl:
        page.click("#ask-xlsx")
    with open(dl.value.path(), "rb") as fh:
        sheet = load_workbook(BytesIO(fh.read())).active
    assert sheet.max_row - 1 == page.locator("#ask-table tbody tr").count()
    assert sheet["A1"].value == "地区 Region"


def test_search_finds_clauses_from_many_regions_and_opens_the_document(page, aesthetic_service) -> None:
    page.goto("/#search?q=" + quote("艺术展演"))
    page.wait_for_selector("#search-results .hit")
    hits = page.locator("#search-results .hit")
    assert hits.count() >= 10
    assert len({t.split(" · ")[1] for t in page.locator("#search-results .hit-meta").all_inner_texts()
                if " · " in t}) >= 3
    assert "展演" in " ".join(page.locator("#search-results .hit mark").all_inner_texts())
    shot(page, "search")
    first = page.locator("#search-results .hit:has(mark)").first
    doc = first.get_attribute("data-doc")
    first.locator("a.doc-link").first.click()
    page.wait_for_selector("#doc-tree li.marked")
    meta = aesthetic_service.document(doc)
    assert page.locator("#h-doc").inner_text() == meta["title"]
    assert "展演" in page.locator("#doc-tree li.marked > .clause-body").inner_text()
    assert page.locator("#doc-meta").inner_text().count("\n") >= 4  # issuer, date, region …
    shot(page, "document")


def test_graph_found_by_a_region_name(page, aesthetic_service) -> None:
    region = max((r for r in aesthetic_service.regions() if r.get("level") == "prefecture" and r.get("documents")),
                 key=lambda r: r.get("targets", 0))
    page.goto("/#graph")
    page.fill("#graph-node", region["name"])
    page.press("#graph-node", "Enter")
    page.wait_for_function("Number(document.querySelector('#graph-status').dataset.nodes) > 3")
    labels = page.evaluate("window.policykg.graph.nodes.get().map(n => n.label)")
    assert region["name"] in labels
    assert region["name"] in page.locator("#graph-selected").inner_text()
    assert "地区 region" in page.locator("#graph-selected").inner_text()
    # expanding the region's document draws its measures by what they do, not "措施 5.3"
    doc = next(n for n in page.evaluate("window.policykg.graph.nodes.get()") if n["group"] == "document")
    page.evaluate("(id) => window.policykg.graph.network.emit('click', {nodes: [id]})", doc["id"])
    page.wait_for_function("window.policykg.graph.nodes.get().some(n => n.group === 'measure')")
    measures = page.evaluate("window.policykg.graph.nodes.get().filter(n => n.group === 'measure').map(n => n.label)")
    assert sum(not m.startswith("措施 ") for m in measures) >= len(measures) / 2, measures[:10]
    shot(page, "graph")


def test_a_city_plan_beside_its_province_plan(page, aesthetic_service) -> None:
    from api.lineage import document_lineage

    # a city's plan whose citations lead to its own province's plan, in the store
    docs = {d["id"]: d for d in aesthetic_service.documents()}

    def provincial_source(d):
        region = d.get("region") or {}
        if region.get("level") != "prefecture":
            return None
        for src in document_lineage(aesthetic_service, d["id"], None, write=False)["sources"]:
            if (docs[src["doc"]["id"]].get("region") or {}).get("name") == region.get("province"):
                return src
        return None

    city, source = next((d, src) for d in sorted(docs.values(), key=lambda d: -(d.get("clauses") or 0))
                        if (src := provincial_source(d)))
    page.goto("/static/lineage.html")
    page.wait_for_selector(f"#local option[value='{city['id']}']", state="attached")
    page.select_option("#local", city["id"])  # the source is left to its citations
    page.click("#lineage-form button[type=submit]")
    page.wait_for_selector("table.side tbody tr")
    assert docs[source["doc"]["id"]]["title"] in page.locator("#result").inner_text()
    labels = Counter(page.locator("table.side .lab").all_inner_texts())
    assert labels["adopted"] + labels["adapted"] >= 3, labels  # the city took from its province
    assert page.locator("table.side ins, table.side del").count() > 0  # what changed is marked
    assert f"doc={city['id']}" in page.url
    shot(page, "lineage")


@pytest.mark.parametrize("view", ["/#home", "/#targets", "/#compare", "/#ask?q=" + quote(ART_SHOWS)])
def test_phone_width_nothing_runs_off_the_screen(browser, live_url, view) -> None:
    ctx, page, errors = _page(browser, live_url, 390, 844, phone=True)
    try:
        page.goto(view)
        page.wait_for_selector("#docs-table tbody tr, #targets-table tbody tr, #compare-matrix tbody tr, "
                               "#ask-table tbody tr")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        # the tables that do not fit are scrolled inside their own box, not the page
        for box in page.locator(".table-wrap:visible").all():
            assert box.evaluate("b => b.getBoundingClientRect().right") <= 391
        page.screenshot(path=str(SCREENSHOTS / f"corpus-phone-{view.split('?')[0].strip('/#')}.png"))
        assert not errors, errors
    finally:
        ctx.close()
