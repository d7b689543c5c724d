"""Targets from clause text: the hard cases of ../shared/dev-gold/GUIDE.md."""

from __future__ import annotations

import pytest

from ingest.extract.numbers import find_numbers
from ingest.extract.targets import extract_target_candidates


def one(text: str):
    found = extract_target_candidates(text)
    assert len(found) == 1, [(c.quote, c.value) for c in found]
    return found[0]


def test_placeholder_has_no_value():
    t = one("每年向县区定向培养师范生xx名，为县区补充教师")
    assert t.placeholder and t.value is None and t.unit == "名" and t.frequency == "每年"


@pytest.mark.parametrize(
    "text, value, unit",
    [("每个学生至少学习掌握两项体育运动技能", 2, "项"), ("百分之八十的学校达标", 80, "%"),
     ("统一组织一次抽样检测", 1, "次"), ("将经费标准提高到一千二百元", 1200, "元")],
)
def test_chinese_numerals(text, value, unit):
    t = one(text)
    assert (t.value, t.unit) == (value, unit)


def test_comparators():
    assert one("每学期在本校听评课不少于30节").comparator == ">="
    assert one("每学期至少组织开展3次研学实践教育活动").comparator == ">="
    assert one("引进2名及以上特级教师").comparator == ">="
    assert one("作业时间控制在90分钟以内").comparator == "<="
    assert one("建设完成市级教研基地校50余个").comparator == ">="


def test_range_and_period():
    t = one("力争获得3-5项国家级教学成果奖")
    assert (t.value, t.value_max, t.unit) == (3, 5, "项")
    t = one("3年内每名教师至少接受一次集中培训")
    assert (t.value, t.unit, t.period, t.comparator) == (1, "次", "3年内", ">=")


def test_shared_deadline_heads_the_sentence():
    found = extract_target_candidates(
        "到2027年，xx%以上的县达到督导评估标准，普惠性幼儿园占比巩固在xx%以上，新增x所示范高中。"
    )
    assert [c.deadline for c in found] == [2027, 2027, 2027]
    assert all(c.placeholder for c in found)


def test_frequency_heading_the_sentence():
    assert one("每学年，由市教育局对辖区内中小学统一组织一次抽样检测").frequency == "每学年"


@pytest.mark.parametrize(
    "text",
    [
        "根据《温州市教育局关于实施初中学校全面提升行动计划的通知》（温教基〔2019〕21 号）精神",
        "探索创新“1+1+X+N”资源配置模式",
        "持续放大“三名”工作效应，实施三名工程",
        "一是加强师德建设，二是深化改革；第一届论坛于2024年9月2日举办",
        "按照“一年补短板，二年有转机，三年显成效”的目标，落实三年行动计划",
        "推进“一校一品”建设，进一步提升质量，打造一支高素质队伍",
        "落实新时代中小学教师职业行为十项准则，从学生发展、教师发展三个维度衡量",
    ],
)
def test_non_target_numbers(text):
    assert extract_target_candidates(text) == []


def test_quote_is_exact_span():
    text = "年内认定100名市级名师，建立100个市级名师工作室。"
    found = extract_target_candidates(text)
    assert [(c.value, c.object, c.period) for c in found] == [
        (100, "市级名师", "年内"), (100, "市级名师工作室", "年内")]
    for c in found:
        assert text[c.start:c.end] == c.quote


def test_numbers_never_read_whole_words():
    assert [n.value for n in find_numbers("两项和二〇二四")] == [2, 2024]


@pytest.mark.parametrize(
    "text, value, value_max, unit",
    [("帮助每个学生形成一两项艺术特长", 1, 2, "项"), ("按在校生数的0.15%-0.2%配备公共艺术教师", 0.15, 0.2, "%"),
     ("每学期组织学生观看三至四部优秀影片", 3, 4, "部"), ("每学年安排16～18课时艺术实践", 16, 18, "课时")],
)
def test_ranges_keep_both_ends(text, value, value_max, unit):
    t = one(text)
    assert (t.value, t.value_max, t.unit) == (value, value_max, unit)


def test_fraction_classifier_units_and_bounds():
    t = one("各区选择三分之一的学校开展试点")
    assert (t.value, t.unit) == (0.3333, "比例")
    t = one("中职学校艺术课程不得低于72个学时")
    assert (t.value, t.unit, t.comparator) == (72, "学时", ">=")
    assert one("选修课程不低于2个学分").unit == "学分"


def test_a_bound_written_once_applies_to_each_number():
    found = extract_target_candidates("专职艺术教师比例小学和初中分别不低于60%和80%。")
    assert [(c.value, c.comparator) for c in found] == [(60, ">="), (80, ">=")]


def test_deadline_of_the_paragraph_applies_to_each_goal():
    text = "到2020年，全面推行美育课程改革。建成艺术特色学校30所，建设美育实践基地12个。"
    assert [(c.value, c.deadline) for c in extract_target_candidates(text)] == [(30, 2020), (12, 2020)]
    # a later deadline in the same paragraph is not overridden
    text = "到2020年，体系基本形成。2018年建成实践基地12个。"
    assert [c.deadline for c in extract_target_candidates(text)] == [2018]


def test_quote_entities_hide_programme_names():
    assert extract_target_candidates("建立&quot;三个办法&quot;制度，形成长效机制") == []
