"""Responsible bodies as plans of the aesthetic-education genre write them: duties sections
(教育部门要…), department lists sharing 部门, collectives, historical names; and what is never
a body. The plans below are written for these tests (not taken from any corpus file)."""

from __future__ import annotations

import pytest

from ingest.extract.bodies import departments
from ingest.extract.bodies.departments import department_key, official_name
from ingest.model import Body, BodyRole
from ingest.regions import default_gazetteer


def _plan(issuer: str, date: str, body: str) -> str:
    return (f"{issuer}关于加强学校美育工作的实施意见\n各有关单位：\n现提出如下意见。\n"
            f"一、主要任务\n（一）开齐开足美育课程。各级各类学校要按照课程方案开设艺术课程。\n"
            f"二、保障措施\n（二）加强组织领导。{body}\n{issuer}\n{date}\n")


CITY_DUTIES = ("教育部门要履行好主管责任，统筹规划学校美育工作。财政部门要加大美育经费投入。"
               "人力资源社会保障、机构编制等部门要支持美育教师队伍建设。文化部门和文联要发挥资源优势，"
               "支持艺术进校园。团市委要组织志愿服务。各级教育行政部门要把美育纳入督导。"
               "县（市、区）政府要将美育纳入发展规划。各区、县人民政府要落实经费。")


def _by_name(facts) -> dict[str, Body]:
    return {b.name: b for b in facts.bodies}


def test_duties_section_gets_official_names(plan_facts):
    _, facts = plan_facts(_plan("绍兴市人民政府办公室", "2016年5月10日", CITY_DUTIES))
    names = _by_name(facts)
    for expected in ("绍兴市教育局", "绍兴市财政局", "绍兴市人力资源和社会保障局",
                     "中共绍兴市委机构编制委员会办公室", "绍兴市文化广电新闻出版局",
                     "绍兴市文学艺术界联合会", "共青团绍兴市委员会"):
        assert expected in names, sorted(names)
        assert not names[expected].collective
    roles = {r.body: r.role for m in facts.measures for r in m.bodies}
    assert roles[names["绍兴市财政局"].slug] == "responsible"


def test_historical_name_follows_the_date(plan_facts):
    _, facts = plan_facts(_plan("绍兴市人民政府办公室", "2020年5月10日", CITY_DUTIES))
    names = _by_name(facts)
    assert "绍兴市文化和旅游局" in names and "绍兴市文化广电新闻出版局" not in names


def test_collectives_are_typed_and_flagged(plan_facts):
    _, facts = plan_facts(_plan("绍兴市人民政府办公室", "2016年5月10日", CITY_DUTIES))
    collective = {b.name for b in facts.bodies if b.collective}
    assert {"绍兴市各级教育行政部门", "绍兴市各县（市、区）人民政府", "绍兴市各区、县人民政府",
            "绍兴市各级各类学校"} <= collective, sorted(collective)
    assert all(b.kind == "collective" for b in facts.bodies if b.collective)
    # a list of levels is one collective, never 县人民政府 alone
    assert not any(b.name.endswith("各县人民政府") for b in facts.bodies)


def test_province_level_names(plan_facts):
    body = "教育部门要加强统筹。财政部门要设立专项经费。宣传部门要营造氛围。"
    _, facts = plan_facts(_plan("湖南省人民政府办公厅", "2016年5月10日", body))
    names = _by_name(facts)
    assert {"湖南省教育厅", "湖南省财政厅", "中共湖南省委宣传部"} <= set(names), sorted(names)


def test_the_plans_own_name_wins(plan_facts):
    body = "由市教育体育局牵头建立美育工作机制。教育部门要加强美育教研。"
    _, facts = plan_facts(_plan("绍兴市人民政府办公室", "2016年5月10日", body))
    names = _by_name(facts)
    assert "绍兴市教育体育局" in names and "绍兴市教育局" not in names


def test_fragments_and_cited_bodies_are_not_bodies(plan_facts):
    body = ("聘请社会艺术教育专业人士到中小学担任兼职教师。统筹整合学校与社会美育资源，促进合作。"
            "按照《教育部关于推进学校艺术教育发展的若干意见》要求，试行教育部印发的管理办法。"
            "学校美育课程建设要以艺术课程为主体。")
    _, facts = plan_facts(_plan("绍兴市人民政府办公室", "2016年5月10日", body))
    names = {b.name for b in facts.bodies}
    assert not any(w in n for n in names for w in ("专业人士", "整合学校", "课程建设")), sorted(names)
    assert "教育部" not in names


def test_lexicon_lookups():
    assert department_key("人社部门") == ("hr", None)
    assert department_key("团县委") == ("league", "县")
    g = default_gazetteer()
    beijing = g.get("110000")
    assert official_name("education", beijing, "北京市", 2016)[0] == "北京市教育委员会"
    assert official_name("finance", beijing, "北京市", 2016)[0] == "北京市财政局"
    county = g.get("330602")  # 越城区
    assert official_name("development", county, "绍兴市越城区", 2016)[0] == "绍兴市越城区发展和改革局"
    assert official_name("health", county, "绍兴市越城区", 2020)[0] == "绍兴市越城区卫生健康局"


def test_bad_department_row_names_the_file(tmp_path, monkeypatch):
    (tmp_path / "departments.tsv").write_text("finance\tcity\t*\t*\t{R}财政局\tfinance\n", encoding="utf-8")
    monkeypatch.setattr(departments, "DATA", tmp_path)
    departments.department_names.cache_clear()
    try:
        with pytest.raises(ValueError, match=r"departments\.tsv.*unknown level"):
            departments.department_names()
    finally:
        departments.department_names.cache_clear()


def test_kinds_and_roles_are_checked():
    with pytest.raises(ValueError, match="unknown kind"):
        Body("某单位", "x", "bureau")
    with pytest.raises(ValueError, match="unknown role"):
        BodyRole("x", "owner")


def test_collective_is_in_the_graph(plan_facts):
    from kg.mapping import document_graph, shared_graph
    from kg.namespaces import PKG
    from kg.validate import validate

    doc, facts = plan_facts(_plan("绍兴市人民政府办公室", "2016年5月10日", CITY_DUTIES))
    shared = shared_graph(doc, facts)
    flagged = set(shared.subjects(PKG.collective, None))
    assert len(flagged) == sum(1 for b in facts.bodies if b.collective) > 0
    assert validate(document_graph(doc, facts), shared) == []


def test_duty_lines_keep_bracketed_levels(plan_facts):
    text = ("绍兴市人民政府办公室关于加强学校美育工作的实施意见\n各有关单位：\n现提出如下意见。\n"
            "一、主要任务\n（一）举办艺术展演。每年举办一次全市艺术展演。（牵头单位：市教育局，配合单位："
            "市文联、团市委，各区、县（市）政府）\n（二）建设实践基地。建设实践基地。（责任单位：大数据局、"
            "市财政局等）\n绍兴市人民政府办公室\n2016年5月10日\n")
    _, facts = plan_facts(text)
    names = _by_name(facts)
    assert "绍兴市各区、县（市）人民政府" in names and names["绍兴市各区、县（市）人民政府"].collective
    assert not any(n.endswith(("（市", "等")) or "责任单位" in n for n in names), sorted(names)
    assert {"绍兴市文学艺术界联合会", "共青团绍兴市委员会", "绍兴市大数据局", "绍兴市财政局"} <= set(names)
    roles = {r.body: r.role for m in facts.measures for r in m.bodies}
    assert roles[names["绍兴市教育局"].slug] == "lead"
    assert roles[names["绍兴市文学艺术界联合会"].slug] == "participant"
