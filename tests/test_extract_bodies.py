"""Responsible bodies: normalisation in the plan's jurisdiction, one node across documents,
abbreviations, plural forms, roles, and phrases that only look like bodies."""

from __future__ import annotations

import json

import pytest
from conftest import GOLD

from ingest import load_document
from ingest.extract import extract_facts
from ingest.extract.bodies import Jurisdiction, normalise_name
from ingest.extract.bodies.lexicon import _read_tsv
from ingest.regions import default_gazetteer


def _names(facts) -> set[str]:
    return {b.name for b in facts.bodies}


def _juris(code: str) -> Jurisdiction:
    g = default_gazetteer()
    return Jurisdiction(g.get(code), g)


CITY_PLAN = """温州市教育局
关于印发温州市初中学校提升行动计划的通知
各县（市、区）教育局，市直属各学校：
现将《温州市初中学校提升行动计划》印发给你们，请认真贯彻执行。
温州市教育局
2019年3月1日
温州市初中学校提升行动计划
一、主要任务
1.加强教师培训。由市教育局牵头，市财政局、市人力资源和社会保障局配合，每年培训教师1000名。
2.推进集团化办学。支持温州中学与瓯海区教育局合作。（牵头单位：市教育局；配合单位：市发改委）
"""

DISTRICT_PLAN = """温州市瓯海区人民政府办公室
关于印发瓯海区初中提升行动计划的通知
各街道办事处、泽雅镇人民政府，区政府直属各单位：
《瓯海区初中提升行动计划》已经区人民政府同意，现印发给你们，请认真贯彻执行。
温州市瓯海区人民政府办公室
2019年6月8日
瓯海区初中提升行动计划
一、主要任务
1.推进集团化办学。温州二外与南白象中学联盟合作办学，温州市教育局加强指导。
2.加快初中基本建设。新建高铁新城实验学校、黄屿单元九年制学校等2个项目。
二、保障措施
（一）加强组织领导。成立区初中提升行动计划领导小组，领导小组办公室设在区教育局。编办、发改、财政、人力社保、自然资源和规划等部门按各自工作职责做好相关工作。区人大、政协定期开展专项督导。
"""


def test_same_body_is_one_node_across_documents(plan_facts):
    _, city = plan_facts(CITY_PLAN, "city.txt")
    _, district = plan_facts(DISTRICT_PLAN, "district.txt")
    city_bodies = {b.name: b for b in city.bodies}
    district_bodies = {b.name: b for b in district.bodies}
    # 市教育局 in the city's plan and 温州市教育局 in the district's plan: one slug
    assert city_bodies["温州市教育局"].slug == district_bodies["温州市教育局"].slug == "330300-jiaoyuju"
    # 瓯海区教育局 in the city's plan and 区教育局 in the district's plan: one slug
    assert city_bodies["温州市瓯海区教育局"].slug == district_bodies["温州市瓯海区教育局"].slug
    assert "市教育局" in city_bodies["温州市教育局"].aliases


def test_normalised_in_the_plans_jurisdiction():
    ouhai, chengde = _juris("330304"), _juris("130800")
    assert normalise_name("区教育局", ouhai)[0] == "温州市瓯海区教育局"
    assert normalise_name("区政府", ouhai)[0] == "温州市瓯海区人民政府"
    assert normalise_name("市教育局", ouhai)[0] == "温州市教育局"
    assert normalise_name("市政府督导室", chengde)[0] == "承德市人民政府教育督导室"
    assert normalise_name("高新区教体局", chengde)[0] == "承德高新区教体局"
    # a named school without a region is the plan's; a short region name is part of a proper name
    assert normalise_name("南白象中学", ouhai)[0] == "温州市瓯海区南白象中学"
    assert normalise_name("温州育英国际实验学校", ouhai)[0] == "温州育英国际实验学校"
    assert normalise_name("温州大学", ouhai) == ("温州大学", None)


def test_abbreviations_are_expanded():
    ouhai, zhejiang = _juris("330304"), _juris("330000")
    assert normalise_name("温州二外", ouhai)[0] == "温州市第二外国语学校"
    assert normalise_name("北京市教委", ouhai)[0] == "北京市教育委员会"
    assert normalise_name("教育部关工委", ouhai)[0] == "教育部关心下一代工作委员会"
    assert normalise_name("省人力社保厅", zhejiang)[0] == "浙江省人力资源和社会保障厅"
    assert normalise_name("区府办", ouhai)[0] == "温州市瓯海区人民政府办公室"


def test_department_lists_in_a_district_plan(plan_facts):
    _, facts = plan_facts(DISTRICT_PLAN, "district.txt")
    names = _names(facts)
    assert {"温州市瓯海区机构编制委员会办公室", "温州市瓯海区发展和改革局", "温州市瓯海区财政局",
            "温州市瓯海区人力资源和社会保障局"} <= names
    # a district's natural-resources bureau is a branch of the city's
    assert "温州市自然资源和规划局瓯海分局" in names and "温州市瓯海区自然资源和规划局" not in names
    # 区人大、政协: the level prefix is shared by the list
    assert "温州市瓯海区人民代表大会常务委员会" in names
    assert "中国人民政治协商会议温州市瓯海区委员会" in names
    assert "温州市瓯海区初中提升行动计划领导小组" in names


def test_plural_and_generic_forms(plan_facts):
    chengde, zaozhuang = _juris("130800"), _juris("370400")
    assert normalise_name("各县（自治县、市、区）教体局", chengde)[0] == "承德市各县（自治县、市、区）教体局"
    assert normalise_name("县级教师发展中心", chengde)[0] == "承德市各县级教师发展中心"
    # with or without 各, the plural of a lower level is one node
    assert normalise_name("区（市）教体局", zaozhuang)[0] == normalise_name("各区（市）教体局", zaozhuang)[0] \
        == "枣庄市各区（市）教体局"
    assert normalise_name("市直属中小学", chengde)[0] == "承德市直属中小学"
    _, facts = plan_facts(DISTRICT_PLAN, "district.txt")
    names = _names(facts)
    # addressees: plural and township bodies are bodies, 区政府直属各单位 names no organisation
    assert {"温州市瓯海区各街道办事处", "温州市瓯海区泽雅镇人民政府"} <= names
    assert not any("单位" in n for n in names)
    addressed = {r.body for r in facts.document_bodies if r.role == "addressee"}
    assert len(addressed) == 2


def test_phrases_that_only_look_like_bodies(plan_facts):
    text = """xx市教育局关于印发xx市教育行动方案的通知
xx市教育局
2024年1月1日
一、主要任务
1.改进课堂。坚持以学生为中心，以教学为中心，建设现代化学校，打造一批家门口的好学校，学校成立家长委员会。
2.落实要求。按照教育部消除大班额的目标要求，落实市委、市政府加快教育强市的要求，严格落实中办、国办《关于减轻中小学教师负担的若干意见》，用好教育部“一师一优课”平台。
3.扩充学位。中心城区新建实验学校2所，扩建东山实验学校、提升改造西山中学等3所初中校园。
"""
    _, facts = plan_facts(text, "anon.txt")
    names = _names(facts)
    assert names <= {"xx市教育局"}, names


def test_named_schools_only_with_a_role(plan_facts):
    _, facts = plan_facts(DISTRICT_PLAN, "district.txt")
    names = _names(facts)
    assert {"温州市第二外国语学校", "温州市瓯海区南白象中学"} <= names
    assert not any("高铁新城" in n or "黄屿" in n for n in names)  # built, not acting


def test_roles_from_lead_and_duty_lines(plan_facts):
    _, facts = plan_facts(CITY_PLAN, "city.txt")
    slug = {b.name: b.slug for b in facts.bodies}
    by_heading = {m.heading: {r.body: r.role for r in m.bodies} for m in facts.measures}
    training = by_heading["加强教师培训"]
    assert training[slug["温州市教育局"]] == "lead"
    assert training[slug["温州市财政局"]] == "participant"
    assert training[slug["温州市人力资源和社会保障局"]] == "participant"
    groups = by_heading["推进集团化办学"]
    assert groups[slug["温州市教育局"]] == "lead"
    assert groups[slug["温州市发展和改革委员会"]] == "participant"


def test_dev_gold_bodies(seed_files, concepts):
    gold = {d["doc"]: set(d["responsible_bodies"]) for d in json.loads((GOLD / "docs_003_004.json").read_text("utf-8"))}
    tp = pred = total = 0
    for key in ("chengde", "ouhai"):
        path = seed_files[key]
        names = _names(extract_facts(load_document(path), concepts))
        tp += len(names & gold[path.name])
        pred += len(names)
        total += len(gold[path.name])
    assert tp / pred >= 0.95 and tp / total >= 0.95, (tp, pred, total)


def test_bad_lexicon_line_names_the_file(tmp_path):
    bad = tmp_path / "abbr.tsv"
    bad.write_text("# comment\n编办\n", encoding="utf-8")
    with pytest.raises(ValueError, match="abbr.tsv:2"):
        _read_tsv(bad, (2, 3))
