"""Object boundaries and target topics: what a target counts, cut at verbs and punctuation
with its modifiers kept, and the topic that object names (issue 3 follow-up)."""

from __future__ import annotations

import pytest

from ingest.extract.targets import extract_target_candidates
from ingest.extract.topics import heading_cue_topics, merge_topics, target_cue_topics


def objects(text: str) -> list[tuple[float | None, str | None]]:
    return [(c.value, c.object) for c in extract_target_candidates(text)]


@pytest.mark.parametrize(
    "text, expected",
    [
        # a verb before the object is cut, the 周期 adverbial with it
        ("每个培养周期内差额培养市级名师人选40人、名校（园）长人选20人。",
         [(40, "市级名师人选"), (20, "名校（园）长人选")]),
        # a quoted programme name right after the unit is what is counted
        ("每年举办10期“教育大讲堂”，开展专题研训活动。", [(10, "“教育大讲堂”")]),
        # a generic word after the unit (要求, 目标) is not the object: the phrase before is
        ("落实学生每日校内体育活动不少于1小时要求。", [(1, "学生校内体育活动")]),
        # a second count joined by 和 ends the first object (and its quote)
        ("让每个学生至少学习掌握两项体育运动技能和一项艺术特长。",
         [(2, "体育运动技能"), (1, "艺术特长")]),
        # a place after the object (在我市…) is not part of it
        ("推进等x项全国优秀教学成果在我市中小学深度应用。", [(None, "全国优秀教学成果")]),
        # modifiers such as 市级/省级/首批 stay, the verb 遴选 goes
        ("遴选首批市级大单元教学实验学校30所。", [(30, "首批市级大单元教学实验学校")]),
        # an earlier count in the fragment: the object starts after it
        ("建设“联盟型”初中集团4个和跨学段集团2个。", [(4, "“联盟型”初中集团"), (2, "跨学段集团")]),
        # a list of kinds before the head noun is one object
        ("建设xx个普通中小学课程与教学、人工智能、科学教育实验校。",
         [(None, "普通中小学课程与教学、人工智能、科学教育实验校")]),
        # a relative clause (达到标准的) belongs to the object
        ("鼓励县办好一所达到标准的特殊教育学校。", [(1, "达到标准的特殊教育学校")]),
        # a line break inside a sentence does not end the object
        ("争取形成3-5项国家级教学\n\n成果。", [(3, "国家级教学成果")]),
    ],
)
def test_object_boundaries(text, expected):
    assert objects(text) == expected


def test_elliptical_object_takes_the_modifiers_of_the_one_before():
    found = objects("到2027年，重点培育省级普通高中新课程新教材示范区x个、示范校x所。")
    assert found == [(None, "省级普通高中新课程新教材示范区"), (None, "省级普通高中新课程新教材示范校")]


def test_percent_of_what_and_a_run_on_object_is_cut():
    found = objects("保证100%的学校和90%以上的中小学教师能够熟练运用平台。")
    assert found[0] == (100, "学校")  # not 学校和90%以上的中小学教师
    assert found[1][1].startswith("中小学教师")


def test_quote_never_runs_over_the_next_count():
    text = "让每个学生至少学习掌握两项体育运动技能和一项艺术特长。"
    first, second = extract_target_candidates(text)
    assert first.end <= second.start and "一项" not in first.quote
    assert (first.comparator, second.comparator) == (">=", ">=")  # 至少 bounds both


def test_span_heading_the_verb_is_a_period_but_every_two_years_is_a_frequency():
    (a, b) = extract_target_candidates("三年评选示范学科组800个、示范校100所。")
    assert (a.period, b.period) == ("三年", "三年")
    (c,) = extract_target_candidates("每两年评选市级优秀学生社团100个。")
    assert (c.period, c.frequency) == (None, "每两年")


def test_per_cycle_frequency():
    (c,) = extract_target_candidates("每个培养周期内培养名师人选40人。")
    assert c.frequency == "每个培养周期"


def test_floor_amount():
    (c,) = extract_target_candidates("在区政府教育质量奖800万元基础上逐年增加。")
    assert (c.comparator, c.object) == (">=", "区政府教育质量奖")


@pytest.mark.parametrize(
    "obj, sentence, expected",
    [
        ("师范生", "每年向县区定向培养师范生xx名", ["teacher-training"]),
        ("市级名师人选", "差额培养市级名师人选40人", ["teacher-training"]),
        ("名校（园）长人选", "名校（园）长人选20人", ["principal-development"]),
        ("中小学校长提升培训", "2年内对全市中小学校长提升培训一次", ["principal-development"]),
        ("集中培训", "3年内每名教师至少接受一次集中培训", ["teacher-training"]),
        # teachers brought in are staffing, not training: no cue here
        ("特级教师或学科名优教师", "每个中考学科引进2名及以上特级教师或学科名优教师", []),
        ("校外实践基地", "每所学校至少设立1处校外实践基地", []),
    ],
)
def test_target_cue_topics(obj, sentence, expected):
    assert target_cue_topics(obj, sentence) == expected


def test_heading_cue_needs_teachers_or_training():
    assert heading_cue_topics("加强培训体系建设。") == ["teacher-training"]
    assert heading_cue_topics("加强拔尖创新人才培养") == []
    assert merge_topics(["a"], ["b", "a"], ["c", "d"]) == ["a", "b", "c"]


def test_placeholder_quota_of_the_anonymised_plan_is_teacher_training(seed_files):
    """The xx市 plan's 定向培养师范生xx名 must answer 'which regions set teacher-training quotas'."""
    from ingest import load_document
    from ingest.extract import extract_facts
    from kg.topics import load_topic_scheme

    doc = load_document(seed_files["anon"])
    facts = extract_facts(doc, load_topic_scheme())
    quotas = [t for t in facts.targets if t.placeholder and t.object and "师范生" in t.object]
    assert quotas, "the 师范生 placeholder quota was not extracted"
    assert all("teacher-training" in t.topics and t.value is None and t.unit == "名" for t in quotas)
    assert all(doc.text[t.evidence.start:t.evidence.end] == t.evidence.quote for t in facts.targets)
