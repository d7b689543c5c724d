"""Helpers for the browser tests of the web page (no tests here): a uvicorn server on a free
loopback port in a thread, Debian's Chromium through Playwright, and a click on a drawn node."""

from __future__ import annotations

import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import serve_app

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parent.parent / "screenshots"  # git-ignored


def chromium_or_skip() -> str:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing: run .ci/system-deps (installs Debian's chromium)")
    return CHROMIUM


serve = serve_app  # the name the browser tests use


@contextmanager
def launch():
    """Debian's chromium, headless, driven by Playwright (never ``playwright install``)."""
    from playwright.sync_api import sync_playwright

    chromium_or_skip()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def wait_graph_still(page, timeout: float = 60.0) -> None:
    """Wait until vis-network's layout is at rest: its ``stabilized`` event fired, or the drawn
    positions (rounded to a pixel) did not change over 300 ms."""
    deadline = time.monotonic() + timeout
    prev = None
    while time.monotonic() < deadline:
        settled, now = page.evaluate(
            """() => { const g = window.policykg.graph;
            const pos = Object.values(g.network.getPositions()).map(p => [Math.round(p.x), Math.round(p.y)]);
            return [g.settled === true, JSON.stringify(pos)]; }"""
        )
        if settled or now == prev:
            return
        prev = now
        page.wait_for_timeout(300)
    raise AssertionError(f"the graph layout was still moving after {timeout:g} s")


def click_graph_node(page, node_id: str) -> None:
    """Click the drawn node ``node_id`` on the canvas, as a person would with the mouse."""
    wait_graph_still(page)
    page.evaluate("window.policykg.graph.network.fit({animation: false})")
    page.wait_for_timeout(100)
    x, y = page.evaluate(
        """(id) => { const net = window.policykg.graph.network;
        const p = net.canvasToDOM(net.getPositions([id])[id]);
        const r = document.querySelector('#graph-canvas canvas').getBoundingClientRect();
        return [r.left + p.x, r.top + p.y]; }""",
        node_id,
    )
    page.mouse.click(x, y)


def in_view(page, selector: str, container: str) -> bool:
    """Whether ``selector`` is scrolled into the visible part of ``container`` and the window."""
    return page.evaluate(
        """([sel, cont]) => { const a = document.querySelector(sel).getBoundingClientRect();
        const b = document.querySelector(cont).getBoundingClientRect();
        return a.top >= b.top && a.bottom <= b.bottom && a.top >= 0 && a.top < window.innerHeight; }""",
        [selector, container],
    )
