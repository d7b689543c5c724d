"""The map of China (api/static/map.js) in a real headless Chromium, on its demo page.

The page is served by the real mount (``api.web.mount_web`` on a bare FastAPI app: no
workspace is needed), so the vendored outlines under /static/vendor are fetched as the web
page will fetch them. The demo's sample counts are keyed at every level a Region node has:
province, prefecture, county, township, the country, an anonymised region, an unknown code.
Screenshots at desktop and phone width go to ``screenshots/`` (git-ignored).
"""

from __future__ import annotations

import re

import pytest
from test_web_support import SCREENSHOTS, chromium_or_skip, launch, serve

from api.web import STATIC_DIR

pytestmark = [pytest.mark.browser, pytest.mark.slow]

NO_DATA = "#eef0f3"  # map.js's fill for a unit without a count
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def live_url():
    chromium_or_skip()
    from fastapi import FastAPI

    from api.web import mount_web

    with serve(mount_web(FastAPI())) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with launch() as b:
        yield b


def open_demo(browser, live_url, query: str = "", viewport=DESKTOP):
    ctx = browser.new_context(viewport=viewport, base_url=live_url, locale="zh-CN")
    page = ctx.new_page()
    page.set_default_timeout(20_000)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto("/static/map-demo.html" + query)
    page.wait_for_selector("body[data-ready]")
    return ctx, page, errors


@pytest.fixture()
def demo(browser, live_url):
    ctx, page, errors = open_demo(browser, live_url)
    yield page
    ctx.close()
    assert not errors, f"errors on the page: {errors}"


def point_on(page, selector: str) -> tuple[float, float]:
    """A point in the window where ``selector`` is the element a click lands on."""
    xy = page.evaluate(
        """(sel) => { const el = document.querySelector(sel); el.scrollIntoView({block: "center"});
        const b = el.getBoundingClientRect();
        for (let i = 1; i < 24; i++) for (let j = 1; j < 24; j++) {
          const x = b.left + b.width * i / 24, y = b.top + b.height * j / 24;
          if (document.elementFromPoint(x, y) === el) return [x, y];
        }
        return null; }""",
        selector,
    )
    assert xy, f"{selector} is nowhere clickable on the page"
    return xy[0], xy[1]


def unit(page, code: str, kind: str = "path") -> dict:
    return page.evaluate(
        """([code, kind]) => { const el = document.querySelector(`.cnmap ${kind}.cnmap-unit[data-code="${code}"]`);
        return el && { fill: el.getAttribute("fill"), count: Number(el.dataset.count), level: el.dataset.level }; }""",
        [code, kind],
    )


def sample_counts() -> dict[str, int]:
    """The counts the demo page draws, read from the page's own source."""
    html = (STATIC_DIR / "map-demo.html").read_text(encoding="utf-8")
    literal = html[html.index("const counts = {"): html.index("};", html.index("const counts = {"))]
    return {k: int(v) for k, v in re.findall(r'"([^"]+)":\s*(\d+)', literal)}


def test_demo_draws_every_province_and_colours_them_by_count(demo) -> None:
    assert demo.locator(".cnmap path.cnmap-province").count() == 34  # 34 provincial units
    guangdong, xinjiang, gansu = unit(demo, "440000"), unit(demo, "650000"), unit(demo, "620000")
    assert (guangdong["count"], xinjiang["count"], gansu["count"]) == (4, 1, 0)
    assert gansu["fill"] == NO_DATA
    assert guangdong["fill"] != xinjiang["fill"] and NO_DATA not in (guangdong["fill"], xinjiang["fill"])
    # a municipality's district counts for the municipality (北京市 2 + 海淀区 1)
    assert unit(demo, "110000")["count"] == 3
    # the legend has a swatch for every count class drawn, and the no-data class
    assert demo.locator(".cnmap-legend .cnmap-sw").count() >= 5
    # the South China Sea inset is drawn
    assert demo.locator(".cnmap-inset path").count() >= 10


def test_prefecture_counts_are_drawn_over_their_province(demo) -> None:
    # counties and townships roll up into the prefecture that holds them
    assert unit(demo, "130800")["count"] == 3  # 承德市
    assert unit(demo, "350200")["count"] == 2  # 厦门市, from 翔安区 350213
    assert unit(demo, "330300")["count"] == 2  # 温州市, from 瓯海区 and one of its townships
    assert unit(demo, "370400")["count"] == 3  # 枣庄市 itself and 滕州市 inside it
    # only provinces with prefecture-level counts get their prefectures drawn
    drawn = set(demo.locator(".cnmap path.cnmap-prefecture").evaluate_all("els => els.map(e => e.dataset.code.slice(0, 2))"))
    assert drawn == {"13", "35", "33", "37"}
    # 厦门市 is too small to see at this scale: a spot of its colour marks it
    spot = demo.locator('.cnmap circle.cnmap-spot[data-code="350200"]')
    assert spot.count() == 1 and spot.get_attribute("fill") == unit(demo, "350200")["fill"]
    # 河北省's own province-level document is a dot, not a fill that would colour 承德's neighbours
    assert unit(demo, "130000")["fill"] == NO_DATA
    assert unit(demo, "130000", kind="circle")["count"] == 1
    # every count of the sample is on the map or in the list apart, exactly once
    drawn_total = demo.evaluate(
        """() => { const seen = new Map();
        for (const el of document.querySelectorAll('.cnmap .cnmap-unit[data-code]:not(.cnmap-spot)'))
          if (!(el.tagName === 'path' && el.dataset.level === 'province' && el.getAttribute('fill') === '#eef0f3'))
            seen.set(el.tagName + el.dataset.code, Number(el.dataset.count || 0));
        let listed = 0;
        for (const b of document.querySelectorAll('.cnmap-unplaced button')) listed += Number(b.querySelector('.cnmap-n').textContent);
        return [...seen.values()].reduce((a, b) => a + b, 0) + listed; }"""
    )
    assert drawn_total == sum(sample_counts().values())


def test_national_anonymised_and_unknown_codes_are_listed_apart(demo) -> None:
    text = demo.locator(".cnmap-unplaced").inner_text()
    assert "全国" in text and "匿名" in text and "地图上没有" in text
    assert "xx市" in text and "999998" in text
    demo.locator(".cnmap-unplaced button", has_text="xx市").click()
    assert demo.evaluate("window.demoSelected") == ["anon-demo-prefecture"]


def test_a_click_on_a_region_calls_back_with_its_adcode(demo) -> None:
    x, y = point_on(demo, '.cnmap path[data-code="130800"]')
    demo.mouse.move(x, y)
    tip = demo.locator(".cnmap-tip")
    assert tip.is_visible() and "承德市" in tip.inner_text() and "3" in tip.inner_text()
    demo.mouse.click(x, y)
    assert demo.evaluate("window.demoSelected") == ["130800"]
    assert "130800" in demo.locator("#demo-log").inner_text()
    assert "cnmap-selected" in demo.locator('.cnmap path[data-code="130800"]').get_attribute("class")
    # a province without prefecture detail, clicked, gives the province code
    demo.mouse.click(*point_on(demo, '.cnmap path[data-code="650000"]'))
    assert demo.evaluate("window.demoSelected") == ["130800", "650000"]
    # and the keyboard: a region with a count is focusable; Enter selects it
    demo.focus('.cnmap path[data-code="440000"]')
    demo.keyboard.press("Enter")
    assert demo.evaluate("window.demoSelected.at(-1)") == "440000"
    demo.mouse.move(*point_on(demo, '.cnmap path[data-code="370400"]'))
    SCREENSHOTS.mkdir(exist_ok=True)
    demo.screenshot(path=str(SCREENSHOTS / "map-demo-desktop.png"), full_page=True)


def test_province_level_sums_everything_into_provinces(browser, live_url) -> None:
    ctx, page, errors = open_demo(browser, live_url, "?level=province")
    try:
        assert page.locator(".cnmap path.cnmap-prefecture").count() == 0
        assert unit(page, "130000")["count"] == 4  # 河北省 1 + 承德市 3
        assert unit(page, "330000")["count"] == 2  # 瓯海区 and its township
        assert unit(page, "130000")["fill"] == unit(page, "440000")["fill"]  # both 4
    finally:
        ctx.close()
    assert not errors, errors


def test_on_a_phone_the_map_fits_the_screen(browser, live_url) -> None:
    ctx, page, errors = open_demo(browser, live_url, viewport=PHONE)
    try:
        box = page.locator(".cnmap-svg").bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
        assert box["height"] > 150  # drawn, not collapsed
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        page.mouse.click(*point_on(page, '.cnmap path[data-code="440000"]'))  # a tap
        assert page.evaluate("window.demoSelected") == ["440000"]
        tip = page.locator(".cnmap-tip").bounding_box()
        assert tip["x"] >= 0 and tip["x"] + tip["width"] <= PHONE["width"]  # tooltip on screen
        SCREENSHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "map-demo-phone.png"), full_page=True)
    finally:
        ctx.close()
    assert not errors, errors


def test_the_seed_regions_land_on_the_map_or_in_the_list(browser, live_url, seed_service) -> None:
    """The five seed plans' regions (a district, cities, an anonymised xx市) through update()."""
    everything = seed_service.regions()
    regions = [r for r in everything if r["documents"]]
    ctx, page, errors = open_demo(browser, live_url)
    try:
        page.evaluate(
            """async (rows) => { const { countsFromRegions } = await import('/static/map.js');
            const { counts, names } = countsFromRegions(rows);
            await window.demoMap.update(counts, names); }""",
            everything,
        )
        page.wait_for_function("document.querySelectorAll('.cnmap path.cnmap-prefecture').length > 0")
        placed = page.evaluate(
            """() => Object.fromEntries([...document.querySelectorAll('.cnmap path.cnmap-prefecture')]
                .filter(e => Number(e.dataset.count) > 0).map(e => [e.dataset.code, Number(e.dataset.count)]))"""
        )
        listed = page.locator(".cnmap-unplaced").inner_text()
        for r in regions:
            if r.get("anonymised"):
                assert r["name"] in listed, f"{r['name']} is not listed apart"
                continue
            prefecture = r["code"][:4] + "00"
            assert placed.get(r["code"]) or placed.get(prefecture), f"{r['code']} {r['name']} is not drawn"
        SCREENSHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "map-seeds.png"), full_page=True)
    finally:
        ctx.close()
    assert not errors, errors
