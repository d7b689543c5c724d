"""The vendored outlines of China (api/static/vendor, built by bench/build_china_map.py) are
keyed by the codes our Region nodes use, carry their licence, and stay small enough to serve."""

from __future__ import annotations

import json
from functools import cache

import pytest

from api.web import STATIC_DIR
from ingest.regions import default_gazetteer

VENDOR = STATIC_DIR / "vendor"
PROVINCES = VENDOR / "china-provinces-echarts-4.9.0.geo.json"
PREFECTURES = VENDOR / "china-prefectures-echarts-4.9.0.geo.json"


@cache
def features(path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["features"]


def bbox(feature: dict) -> tuple[float, float, float, float]:
    g = feature["geometry"]
    polys = [g["coordinates"]] if g["type"] == "Polygon" else g["coordinates"]
    xs = [p[0] for poly in polys for ring in poly for p in ring]
    ys = [p[1] for poly in polys for ring in poly for p in ring]
    return min(xs), min(ys), max(xs), max(ys)


@pytest.mark.parametrize("path", [PROVINCES, PREFECTURES], ids=["provinces", "prefectures"])
def test_every_outline_is_keyed_by_a_current_gazetteer_code_with_its_name(path) -> None:
    gz = default_gazetteer()
    codes = []
    for f in features(path):
        p = f["properties"]
        if p["level"] == "inset":
            continue
        region = gz.get(p["adcode"])
        assert region is not None, f"{p['adcode']} {p['name']}: not a division of the gazetteer"
        assert f["id"] == p["adcode"] and p["name"] == region.name and p["level"] == region.level
        assert p["province"] == region.code[:2] + "0000"
        codes.append(p["adcode"])
    assert len(codes) == len(set(codes)), "a code is drawn twice"


def test_the_provinces_are_all_34_and_the_south_china_sea_inset_is_there() -> None:
    gz = default_gazetteer()
    drawn = {f["id"] for f in features(PROVINCES) if f["properties"]["level"] == "province"}
    assert len(drawn) == 34 and all(gz.get(c).level == "province" for c in drawn)
    assert {"110000", "650000", "460000", "710000", "810000", "820000"} <= drawn
    assert any(f["properties"]["level"] == "inset" for f in features(PROVINCES))


def test_prefectures_cover_the_gazetteer_and_lie_inside_their_province() -> None:
    gz = default_gazetteer()
    drawn = {f["id"]: f for f in features(PREFECTURES)}
    assert len(drawn) > 330
    for code in ("130800", "350200", "330300", "370400", "650400", "460400", "370100"):
        assert code in drawn, f"{code} {gz.get(code).name} is not drawn"
    # 莱芜 (merged into 济南 in 2019) is drawn as part of 济南, not on its own
    assert "371200" not in drawn and any("莱芜" in m for m in drawn["370100"]["properties"]["merged"])
    prov = {f["id"]: bbox(f) for f in features(PROVINCES) if f["properties"]["level"] == "province"}
    for code, f in drawn.items():
        x0, y0, x1, y1 = bbox(f)
        px0, py0, px1, py1 = prov[f["properties"]["province"]]
        assert px0 - 0.2 <= x0 and x1 <= px1 + 0.2 and py0 - 0.2 <= y0 and y1 <= py1 + 0.2, code


def test_the_vendored_files_carry_their_licence_and_stay_small() -> None:
    licence = (VENDOR / "echarts-4.9.0.LICENSE.txt").read_text(encoding="utf-8")
    assert "Apache License" in licence and "Version 2.0" in licence
    total = sum(p.stat().st_size for p in VENDOR.iterdir())
    assert total < 2 * 1024 * 1024, f"{total / 1e6:.1f} MB of vendored files"
    for path in (PROVINCES, PREFECTURES):
        source = json.loads(path.read_text(encoding="utf-8"))["source"]
        assert source["package"].startswith("echarts@4.9.0") and source["built_by"]
