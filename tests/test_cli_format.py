"""How the command line writes documents, targets and sentences (api/cli_format.py)."""

from __future__ import annotations

from api.cli_format import doc_name, interpretation_text, sentence_of, sentence_span, target_text

CLAUSE = "12. 加强培训体系建设。选拔一批骨干校长，每年举办2期中小学校长培训班；开展专题研训。\n三年内每名教师至少接受一次集中培训"


def test_the_sentence_holding_a_quote_not_the_clause_start():
    assert sentence_of(CLAUSE, "2期中小学校长培训班") == "选拔一批骨干校长，每年举办2期中小学校长培训班；"
    assert sentence_of(CLAUSE, "至少接受一次集中培训") == "三年内每名教师至少接受一次集中培训"
    # a quote with other spacing than the text is still found
    assert sentence_of(CLAUSE, "2期中小学 校长培训班") == "选拔一批骨干校长，每年举办2期中小学校长培训班；"
    # no quote found: the clause from its start, clipped
    assert sentence_of(CLAUSE, "不在文中", n=10) == "12. 加强培训体…"


def test_a_highlight_span_grows_to_its_sentence():
    start = CLAUSE.index("每年举办")
    assert sentence_of(CLAUSE, span=[start, start + 4]) == "选拔一批骨干校长，每年举办2期中小学校长培训班；"
    lo = CLAUSE.index("选拔")
    hi = CLAUSE.index("；") + 1
    assert sentence_span(CLAUSE, lo, hi) == (lo, hi)


def test_documents_by_title_and_short_id():
    row = {"doc": "ef007465bf745fbb", "title": "枣庄市新时代基础教育扩优提质行动实施方案", "source_file": "002_x.txt"}
    assert doc_name(row) == "枣庄市新时代基础教育扩优提质行动实施方案 [ef007465]"
    assert doc_name({"id": "ef007465bf745fbb", "title": "很长的标题" * 10}, n=8) == "很长的标题很长… [ef007465]"
    assert doc_name({"doc": "abcdef1234", "title": None, "source_file": "plan.txt"}) == "plan.txt [abcdef12]"


def test_targets_as_read():
    t = {"value": 200.0, "unit": "人", "object": "校长培训", "comparator": ">=", "frequency": "每年", "deadline": 2025}
    assert target_text(t) == "≥200人 校长培训 每年 by 2025"
    assert target_text({"placeholder": True, "unit": "名", "object": "市级名师"}) == "xx名 市级名师"
    assert target_text({"value": 3, "value_max": 5, "unit": "项", "object": "成果"}) == "3–5项 成果"


def test_how_ask_read_the_question_reads_as_words_not_a_dict():
    interp = {"intent": "regions", "language": "zh", "topic": "teacher-training", "topic_label": "教师培训",
              "topic_via": "label", "year": 2025, "region": {"code": "370400", "name": "枣庄市", "level": "prefecture"},
              "with_targets": True, "funding": None, "matched": ["教师培训"], "source": "targets"}
    text = interpretation_text(interp)
    assert text.startswith("which regions · topic 教师培训 (teacher-training)")
    assert "region 枣庄市" in text and "deadline 2025" in text and "with targets" in text
    assert "{" not in text and "=" not in text and "None" not in text
    assert interpretation_text({}) == ""
