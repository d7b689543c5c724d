"""The parts of a question ask reads without a workspace: numbers, frequencies, quantities,
deadline years, places (Chinese and pinyin) and the units a clause is verified by."""

from __future__ import annotations

import pytest

from api.ask.corpus import split_units
from api.ask.numbers import Quantity, frequencies, number, quantities, years
from api.ask.places import PlaceIndex, romanise, short_name


@pytest.mark.parametrize("text,value", [("三", 3), ("十二", 12), ("两", 2), ("3", 3), ("一百", 100), ("three", 3)])
def test_numerals_in_both_scripts(text, value):
    assert number(text) == value


@pytest.mark.parametrize("asked", ["每三年举办一次", "every three years", "once every 3 years"])
@pytest.mark.parametrize("stated", ["全市每三年举办一届中小学艺术展演活动", "每3年举办1届省级大中小学生艺术展演",
                                    "三年一届的艺术展演", "市级每三年举办一次全市性的展演"])
def test_frequencies_compare_in_one_normal_form(asked, stated):
    (a,) = frequencies(asked)
    assert any(f.satisfies(a) for f in frequencies(stated))


def test_other_frequencies_do_not_satisfy():
    (asked,) = frequencies("每三年举办一次")
    for text in ("每两年举办一届合唱节", "每年举行一次", "每学期至少举办一次", "每学年听课不少于40节"):
        assert not any(f.satisfies(asked) for f in frequencies(text)), text
    (term,) = frequencies("校长每学期听课")
    assert not any(f.satisfies(term) for f in frequencies("每学年校长听评课不低于40节"))
    assert any(f.satisfies(term) for f in frequencies("每学期在本校听评课不少于30节"))


def test_a_frequency_is_not_read_as_a_quantity():
    assert quantities("每三年举办一届中小学艺术展演活动") == []
    assert quantities("三年一届") == []


def test_quantities_with_comparators_ranges_and_ratios():
    (q,) = quantities("不低于10%")
    assert (q.value, q.unit, q.comparator) == (10, "%", ">=")
    assert Quantity(12, "%", ">=").satisfies(q) and not Quantity(8, "%", "=").satisfies(q)
    (r,) = quantities("每6个班配备1名美术教师")
    assert (r.value, r.unit, r.per, r.per_unit) == (1, "名", 6, "班")
    assert not any(x.satisfies(r) for x in quantities("每8个班配备1名美术教师"))
    (e,) = quantities("at least 10%")
    assert (e.value, e.unit, e.comparator) == (10, "%", ">=")
    (rng,) = quantities("掌握1-2项艺术特长")
    assert (rng.value, rng.value_max, rng.unit) == (1, 2, "项")
    (bare,) = quantities("take part in at least one art activity")
    assert any(x.satisfies(bare) for x in quantities("至少参加1项艺术活动"))
    assert not any(x.satisfies(bare) for x in quantities("参与面达到100%"))  # a share is not a count


def test_deadline_years_but_not_plan_periods():
    assert [y for y, _, _ in years("2027年前")] == [2027]
    assert [y for y, _, _ in years("by 2020")] == [2020]
    assert [y for y, _, _ in years("到2020年，建成一批")] == [2020]
    assert 2020 not in [y for y, _, _ in years("规划纲要（2010－2020年）要求")]
    assert years("从2016年起每三年为一个周期") == []


REGIONS = [  # names as the gazetteer writes them (no document text)
    {"code": "370000", "name": "山东省"}, {"code": "370400", "name": "枣庄市"},
    {"code": "130800", "name": "承德市"}, {"code": "330304", "name": "瓯海区"},
    {"code": "610000", "name": "陕西省"}, {"code": "140000", "name": "山西省"},
    {"code": "999999", "name": "xx市", "anonymised": True},
]


def test_places_in_chinese_and_pinyin():
    index = PlaceIndex.build(REGIONS)
    assert [p.code for p in index.find("What targets does Chengde set for teacher training?")] == ["130800"]
    assert [p.code for p in index.find("which schools in Shandong Province")] == ["370000"]
    assert [p.code for p in index.find("Zaozhuang and Ouhai")] == ["370400", "330304"]
    assert [p.code for p in index.find("枣庄市有哪些指标")] == ["370400"]
    assert [p.code for p in index.find("山东的学校")] == ["370000"]
    assert index.find("which regions set quotas") == []
    assert index.find("xx市的指标") == []  # an anonymised region is never named
    assert short_name("新疆维吾尔自治区") == "新疆" and romanise("枣庄") == "zaozhuang"


def test_places_by_their_conventional_english_names():
    index = PlaceIndex.build(REGIONS + [{"code": "150000", "name": "内蒙古自治区"}, {"code": "540000", "name": "西藏自治区"}])
    # 陕西 and 山西 romanise alike; English writes 陕西 Shaanxi
    assert [p.code for p in index.find("In Shaanxi, which documents require reports?")] == ["610000"]
    assert [p.code for p in index.find("which plans in Shanxi Province")] == ["140000"]
    assert [p.code for p in index.find("schools in Inner  Mongolia and Tibet")] == ["150000", "540000"]


def test_a_short_place_name_that_is_an_ordinary_word_is_not_a_place():
    index = PlaceIndex.build([{"code": "450329", "name": "资源县"}, {"code": "140200", "name": "大同市"},
                              {"code": "510000", "name": "四川省"}])
    assert index.find("哪些地方推动社会美育资源向学生开放") == []  # 资源 the noun, not 资源县
    assert index.find("各地做法大同小异") == []  # inside a longer word
    assert [p.code for p in index.find("资源县的规定")] == ["450329"]  # the full name always counts
    assert [p.code for p in index.find("四川各地怎么规定")] == ["510000"]


def test_units_are_provisions_and_quotes_are_sentences():
    text = "一是甲；二是乙。全市每三年举办一届。"
    units = split_units(text)
    assert [text[u0:u1] for _, _, u0, u1 in units] == ["一是甲；", "二是乙。", "全市每三年举办一届。"]
    assert [text[s0:s1] for s0, s1, _, _ in units][:2] == ["一是甲；二是乙。"] * 2


def test_a_question_for_some_year_asks_a_deadline_not_a_span_of_one_year(seed_service):
    from api.ask.answer import context, read_question

    _, extra = read_question("哪些地区提出在某一年份前配齐中小学美育教师？", seed_service, context(seed_service))
    assert extra["_any_deadline"] and not extra["_qtys"] and not extra["_freqs"]
