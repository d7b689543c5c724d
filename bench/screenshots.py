"""Screenshots of every view of the web page at desktop and phone width: one command, one table.

    .venv/bin/python bench/screenshots.py --data WORKSPACE --out DIR [--only home,ask] [--width desktop]

Serves ``WORKSPACE`` (read-only: a copy is made in a temporary folder first, so the workspace
is never written) with the real app on a loopback port, drives Debian's Chromium
(/usr/bin/chromium, through Playwright) through each view as a person would, and saves
``DIR/{view}-{desktop|phone}.png`` (full page; desktop 1280×900, phone 390×844). Prints a
table: view, width, seconds, page width in px (more than the viewport means the page scrolls
sideways), and the PNG. The questions and names used are worked out from what is loaded (the
region with the most documents, a province whose own document is loaded, a topic that has
targets), so any workspace will do. Look at the PNGs: a number cannot tell ugly from fine.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


def plan(service) -> list[tuple[str, str, str]]:
    """(name, hash, selector to wait for) of each view, from what ``service`` holds."""
    docs = service.documents()
    regions = service.regions()
    by_docs = sorted((r for r in regions if r.get("level") in ("prefecture", "county") and not r.get("anonymised")),
                     key=lambda r: -r.get("documents_total", 0))
    region = by_docs[0] if by_docs else None
    topics = [t for t in service.topics() if t.get("targets")]
    topic = max(topics, key=lambda t: t["targets"])["id"] if topics else ""
    biggest = max(docs, key=lambda d: d.get("clauses") or 0)
    provinces = [r for r in regions if r.get("level") == "province" and r.get("documents")]
    province = max(provinces, key=lambda r: r.get("documents_total", 0)) if provinces else None
    two = [d["id"] for d in sorted(docs, key=lambda d: -(d.get("clauses") or 0))[:3]]
    # a city's plan whose province's plan is loaded: the lineage view opens on it
    prov_docs = {(d.get("region") or {}).get("name") for d in docs if (d.get("region") or {}).get("level") == "province"}
    cities = [d for d in docs if (d.get("region") or {}).get("level") == "prefecture"
              and (d.get("region") or {}).get("province") in prov_docs]
    city = max(cities, key=lambda d: d.get("clauses") or 0)["id"] if cities else None
    ask = f"哪些地区设定了{topic and _topic_zh(service, topic) or '教师培训'}的数量指标"
    views = [
        ("home", "/#home", "#docs-table tbody tr"),
        ("home-filtered", f"/#home?province={quote(province['name'])}" if province else "/#home",
         "#docs-table tbody tr"),
        ("search", "/#search?q=" + quote("艺术展演"), "#search-results .hit"),
        ("document", f"/#doc?id={biggest['id']}", "#doc-tree li"),
        ("ask", "/#ask?q=" + quote(ask), "#ask-status:not(.busy):not(:empty)"),
        ("ask-frequency", "/#ask?q=" + quote("哪些地区规定了每年举办艺术展演"), "#ask-status:not(.busy):not(:empty)"),
        ("targets", f"/#targets?topic={topic}", "#targets-table tbody tr"),
        ("compare", "/#compare?docs=" + ",".join(two), "#compare-matrix tbody tr"),
        ("compare-object", "/#compare?object=" + quote("美育教师"), "#compare-matrix tbody tr, #compare-status"),
        ("graph", "/#graph?node=" + quote(region["name"] if region else "美育") + "&depth=1",
         "#graph-status[data-nodes]"),
        ("precedents", "/#precedents?text=" + quote("每年举办一次学生艺术展演活动"), ".prec-column"),
        ("lineage", "/static/lineage.html" + (f"?doc={city}" if city else ""), "#local option"),
    ]
    return views


def _topic_zh(service, topic_id: str) -> str:
    for t in service.topics():
        if t["id"] == topic_id:
            return t.get("label_zh") or topic_id
    return topic_id


def shoot(url: str, views, out: Path, widths: list[str]) -> list[tuple]:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from test_web_support import launch

    rows = []
    with launch() as browser:
        for width in widths:
            phone = width == "phone"
            ctx = browser.new_context(viewport=WIDTHS[width], base_url=url, locale="zh-CN",
                                      is_mobile=phone, has_touch=phone)
            for name, target, wait in views:
                page = ctx.new_page()
                page.set_default_timeout(60_000)
                errors: list[str] = []
                page.on("pageerror", lambda e, errors=errors: errors.append(str(e)))
                t0 = time.monotonic()
                page.goto(target)
                try:
                    page.wait_for_selector(wait, state="attached")
                    if name == "lineage":
                        page.wait_for_function("document.querySelector('table.side tbody tr') || "
                                               "!/…|^$/.test(document.querySelector('#status').textContent)")
                    if name == "graph":  # the layout at rest (and fitted), as a person sees it after a moment
                        page.wait_for_function("window.policykg.graph.settled === true", timeout=30_000)
                    page.wait_for_timeout(600)
                except PlaywrightTimeout as exc:  # still take the picture: it shows what went wrong
                    errors.append(f"waiting for {wait}: {exc}".splitlines()[0])
                png = out / f"{name}-{width}.png"
                page.screenshot(path=str(png), full_page=True)
                scroll = page.evaluate("document.documentElement.scrollWidth")
                rows.append((name, width, f"{time.monotonic() - t0:.1f}", scroll, png.name, "; ".join(errors)))
                page.close()
            ctx.close()
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", required=True, type=Path, help="a workspace (copied, never written)")
    ap.add_argument("--out", required=True, type=Path, help="folder for the PNGs")
    ap.add_argument("--only", default="", help="comma-separated view names")
    ap.add_argument("--width", choices=[*WIDTHS, "both"], default="both")
    args = ap.parse_args(argv)
    if not (args.data / "manifest.json").exists():
        ap.error(f"--data {args.data}: no workspace there (manifest.json missing)")
    args.out.mkdir(parents=True, exist_ok=True)

    from conftest import serve_app

    from api.http import create_app
    from api.service import PolicyKG

    with tempfile.TemporaryDirectory(prefix="policykg-shots-") as tmp:
        work = Path(tmp) / "ws"
        shutil.copytree(args.data, work)
        service = PolicyKG(work)
        try:
            views = plan(service)
            if args.only:
                keep = set(args.only.split(","))
                views = [v for v in views if v[0] in keep]
            with serve_app(create_app(lambda: service, close_service=False)) as url:
                rows = shoot(url, views, args.out, list(WIDTHS) if args.width == "both" else [args.width])
        finally:
            service.close()
    print(f"{'view':<16} {'width':<8} {'s':>6} {'px wide':>8}  png / errors")
    for name, width, secs, scroll, png, errors in rows:
        flag = " (scrolls sideways)" if scroll > WIDTHS[width]["width"] else ""
        print(f"{name:<16} {width:<8} {secs:>6} {scroll:>8}  {png}{flag}{'  ' + errors if errors else ''}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
