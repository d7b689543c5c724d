"""A provision that several documents copy word for word (a city repeating its province's
sentence) is verified once and answers for every document that states it, each with its own
evidence; a provision only one of them states answers for that one alone. Two short plans
written for the test."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.slow

PLAN = """{city}教育局关于全面加强和改进学校美育工作的实施意见

一、主要任务
（一）完善艺术展演机制。全市每三年举办一次中小学生艺术展演活动，各区每年举办一次。
（二）加强美育教师队伍建设。{own}
"""


def test_a_copied_provision_answers_for_every_document_that_states_it(tmp_path):
    from api.ask.answer import context
    from api.service import PolicyKG

    files = []
    for name, city, own in (("a.txt", "南京市", "每年组织美育教师专项培训。"), ("b.txt", "苏州市", "建设一批美育实践基地。")):
        path = tmp_path / name
        path.write_text(PLAN.format(city=city, own=own), encoding="utf-8")
        files.append(path)
    with PolicyKG(tmp_path / "ws") as kg:
        report = kg.ingest(files)
        assert not report.failed, report.failed
        ids = {info["file"]: info["id"] for info in report.added}
        corpus = context(kg).corpus
        assert len(corpus.distinct) < len(corpus.units)  # the shared sentence is one text

        answer = kg.ask("哪些地区规定每三年举办一次中小学生艺术展演")
        regions = {g["region"]["name"]: g for g in answer["answer"]}
        assert set(regions) == {"南京市", "苏州市"}
        for name, path in zip(("南京市", "苏州市"), files):
            (ev,) = regions[name]["evidence"]
            assert ev["doc"] == ids[str(path)] and ev["doc"] in ev["clause_id"]  # its own clause
            assert "每三年举办一次" in ev["quote"]

        only = kg.ask("哪些地区要求每年组织美育教师专项培训")
        assert [g["region"]["name"] for g in only["answer"]] == ["南京市"]
