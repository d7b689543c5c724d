"""The lineage page (api/static/lineage.html) in headless Chromium over a workspace holding a
real (local, source) pair: the document beside its source, differences highlighted, and who
carries a provision."""

from __future__ import annotations

import pytest
from test_web_support import SCREENSHOTS, chromium_or_skip, launch, serve

from tests.conftest import SHARED

pytestmark = [pytest.mark.browser, pytest.mark.slow]

AESTHETIC = SHARED / "corpus" / "aesthetic"
LOCAL = AESTHETIC / "local_009_2343c9cb.txt"
SOURCE = AESTHETIC / "local_056_b88ad7c2.txt"


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    chromium_or_skip()
    from api.http import create_app
    from api.service import PolicyKG

    kg = PolicyKG(tmp_path_factory.mktemp("lineage-web"))
    report = kg.ingest([LOCAL, SOURCE])
    if report.failed:
        pytest.fail(f"ingest failed: {report.failed}")
    ids = {info["file"]: info["id"] for info in report.added}
    with serve(create_app(lambda: kg, close_service=False)) as url:
        yield url, ids[str(LOCAL)], ids[str(SOURCE)]
    kg.close()


def test_document_beside_its_source(served):
    url, local, source = served
    SCREENSHOTS.mkdir(exist_ok=True)
    with launch() as browser:
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.set_default_timeout(60_000)
        page.goto(f"{url}/static/lineage.html")
        page.wait_for_selector(f"#local option[value='{local}']", state="attached")
        page.select_option("#local", local)
        page.select_option("#source", source)
        page.click("#lineage-form button[type=submit]")
        page.wait_for_selector("table.side tbody tr")
        labels = page.locator("table.side .lab").all_inner_texts()
        assert {"adopted", "adapted", "added", "dropped"} <= set(labels)
        assert page.locator("table.side ins").count() > 0 and page.locator("table.side del").count() > 0
        page.screenshot(path=str(SCREENSHOTS / "lineage.png"))
        page.locator("button.provision").first.click()
        page.wait_for_selector("#provision ol li")
        assert "earliest" in page.locator("#provision").inner_text()
        assert not errors, errors
