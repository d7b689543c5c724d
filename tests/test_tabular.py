"""CSV and XLSX export of tables (api/tabular.py): what an analyst pastes into a memo.

Rows here are made up in the shape of ``PolicyKG.targets()``; one slow test exports the
seeds' real targets and reads the workbook back."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from api.tabular import (
    Column,
    attachment_headers,
    evidence_columns,
    export,
    flatten,
    infer_columns,
    target_columns,
    to_csv,
    to_xlsx,
)

ROWS = [
    {
        "doc": "d1", "title": "某市教育质量提升行动计划", "n": 1,
        "region": {"code": "130800", "name": "承德市", "province": "河北省", "anonymised": False},
        "value": 30, "value_max": None, "placeholder": False, "unit": "%", "object": "骨干教师",
        "comparator": ">=", "deadline": 2027, "frequency": None, "period": "2025-2027",
        "topics": ["teacher-training", "backbone-teachers"],
        "evidence": {"clause": "3.2", "quote": "骨干教师比例达到30%以上", "start": 10, "end": 22},
    },
    {
        "doc": "d2", "title": "xx市行动方案", "n": 2,
        "region": {"code": "anon-d2-prefecture", "name": "xx市", "province": None, "anonymised": True},
        "value": 10, "value_max": 20.0, "placeholder": False, "unit": "节", "object": "听课",
        "comparator": "=", "deadline": None, "frequency": "每学期", "period": None, "topics": [],
        "evidence": {"clause": "2.1.4", "quote": "校长每学期听课10至20节", "start": 0, "end": 12},
    },
    {
        "doc": "d3", "title": "=HYPERLINK(\"http://x\")", "n": 3,
        "region": {"code": "350213", "name": "翔安区", "province": "福建省", "anonymised": False},
        "value": None, "value_max": None, "placeholder": True, "unit": "所", "object": "-新建学校",
        "comparator": "=", "deadline": 2026, "frequency": None, "period": None, "topics": None,
        "evidence": {"clause": "1", "quote": "新建学校xx所", "start": 0, "end": 7},
    },
]
LABELS = {"teacher-training": "教师培训", "backbone-teachers": "骨干教师"}


def read_csv(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "no UTF-8 byte-order mark: Excel would misread Chinese"
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def read_xlsx(data: bytes) -> list[list]:
    ws = load_workbook(io.BytesIO(data)).active
    return [list(r) for r in ws.iter_rows(values_only=True)]


def by_header(table: list[list]) -> list[dict]:
    head = table[0]
    return [dict(zip(head, row, strict=True)) for row in table[1:]]


def test_csv_has_a_bom_bilingual_headers_and_excel_line_ends() -> None:
    data = to_csv(ROWS, target_columns(LABELS))
    assert b"\r\n" in data
    table = read_csv(data)
    assert table[0][:3] == ["地区 Region", "省份 Province", "文件 Document"]
    rows = by_header(table)
    assert rows[0]["地区 Region"] == "承德市" and rows[0]["省份 Province"] == "河北省"
    assert rows[0]["主题 Topics"] == "教师培训；骨干教师"  # labels, not ids
    assert rows[0]["依据 Evidence"] == "骨干教师比例达到30%以上"
    assert rows[1]["数值或区间 Value/range"] == "10–20"  # a range reads as a range
    assert rows[1]["地区 Region"] == "xx市（匿名 anonymised）"
    assert rows[0]["数值或区间 Value/range"] == "30" and rows[0]["期限 Deadline"] == "2027"
    assert rows[2]["数值或区间 Value/range"].startswith("xx")  # a placeholder is not 0
    assert rows[2]["下限 Min"] == ""


def test_csv_and_xlsx_never_hand_a_spreadsheet_a_formula() -> None:
    rows = by_header(read_csv(to_csv(ROWS, target_columns())))
    assert rows[2]["文件 Document"] == "'=HYPERLINK(\"http://x\")"
    assert rows[2]["对象 Object"] == "'-新建学校"
    ws = load_workbook(io.BytesIO(to_xlsx(ROWS, target_columns()))).active
    cells = [c for row in ws.iter_rows() for c in row if isinstance(c.value, str) and c.value.startswith("=")]
    assert cells and all(c.data_type == "s" for c in cells)


def test_xlsx_round_trip_keeps_chinese_numbers_and_ranges() -> None:
    data = to_xlsx(ROWS, target_columns(LABELS), sheet="指标 targets")
    wb = load_workbook(io.BytesIO(data))
    ws = wb.active
    assert ws.title == "指标 targets"
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == f"A1:{ws.cell(1, ws.max_column).column_letter}4"
    assert ws["A1"].font.b
    rows = by_header(read_xlsx(data))
    first, second, third = rows
    assert first["地区 Region"] == "承德市" and first["对象 Object"] == "骨干教师"
    assert first["数值或区间 Value/range"] == 30 and isinstance(first["数值或区间 Value/range"], int)
    assert first["期限 Deadline"] == 2027
    assert second["数值或区间 Value/range"] == "10–20"
    assert (second["下限 Min"], second["上限 Max"]) == (10, 20)  # numbers an analyst can sum
    assert second["频次 Frequency"] == "每学期"
    assert third["数值或区间 Value/range"] == "xx（待定 placeholder）" and third["下限 Min"] is None
    assert third["主题 Topics"] is None
    # a CJK column is wide enough to read: two units per character
    width = ws.column_dimensions["O"].width
    assert ws["O1"].value == "依据 Evidence" and width >= 2 * len("骨干教师比例达到30%以上") - 4


def test_header_language_and_a_custom_column() -> None:
    cols = [Column("region.name", "地区", "Region"), Column("x", "倍数", "Twice", get=lambda r: r["n"] * 2)]
    assert read_csv(to_csv(ROWS, cols, header="zh"))[0] == ["地区", "倍数"]
    assert read_csv(to_csv(ROWS, cols, header="en"))[0] == ["Region", "Twice"]
    assert [r[1] for r in read_xlsx(to_xlsx(ROWS, cols))[1:]] == [2, 4, 6]


def test_inferred_columns_cover_an_answer_of_any_shape() -> None:
    answer = [{"region": {"code": "130800", "name": "承德市"}, "count": 3, "iri": "https://…"},
              {"region": {"code": "350213", "name": "翔安区"}, "count": 1.0, "note": "extra"}]
    cols = infer_columns(answer)
    assert [c.key for c in cols] == ["region.code", "region.name", "count", "note"]  # iri skipped
    table = read_xlsx(to_xlsx(answer, cols))
    assert table[0][:3] == ["地区 代码 Region Code", "地区 名称 Region Name", "数量 Count"]
    assert table[1][:3] == ["130800", "承德市", 3] and table[2][2] == 1 and table[2][3] == "extra"
    with pytest.raises(ValueError, match="rows"):
        infer_columns([])


def test_export_names_a_bad_format_and_strips_what_xml_cannot_hold() -> None:
    with pytest.raises(ValueError, match="format.*'pdf'"):
        export(ROWS, target_columns(), "pdf")
    data, media = export([{"t": "控制\x01字符"}], [Column("t", "文本", "Text")], "xlsx")
    assert media.endswith("spreadsheetml.sheet")
    assert read_xlsx(data)[1] == ["控制字符"]
    data, media = export([], target_columns(), "csv")
    assert media.startswith("text/csv") and len(read_csv(data)) == 1  # the header alone
    with pytest.raises(ValueError, match="columns"):
        to_csv(ROWS, [])


def test_a_grouped_answer_flattens_to_one_row_per_piece_of_evidence() -> None:
    groups = [
        {"region": {"code": "130800", "name": "承德市", "province": "河北省"},
         "evidence": [{"kind": "target", "value": 5, "unit": "个", "object": "名师工作室", "path": "2.3",
                       "quote": "建设名师工作室5个", "title": "承德计划", "topics": ["teacher-training"]},
                      {"kind": "clause", "path": "4", "quote": "加强培训", "title": "承德计划", "score": 0.71}]},
        {"region": None, "evidence": [{"kind": "clause", "path": "1", "quote": "总则", "title": "无地区"}]},
    ]
    rows = flatten(groups)
    assert len(rows) == 3 and rows[0]["region"]["name"] == "承德市" and rows[2]["region"] is None
    table = by_header(read_xlsx(to_xlsx(rows, evidence_columns(LABELS))))
    assert table[0]["地区 Region"] == "承德市" and table[0]["数值或区间 Value/range"] == 5
    assert table[0]["主题 Topics"] == "教师培训" and table[1]["得分 Score"] == 0.71
    assert table[2]["地区 Region"] is None and table[2]["依据 Evidence"] == "总则"


def test_download_headers_keep_a_chinese_file_name() -> None:
    h = attachment_headers("指标 targets 2027", "xlsx")
    assert h["Content-Type"].endswith("spreadsheetml.sheet")
    assert 'filename="targets_2027.xlsx"' in h["Content-Disposition"]
    assert "filename*=UTF-8''%E6%8C%87%E6%A0%87%20targets%202027.xlsx" in h["Content-Disposition"]
    h["Content-Disposition"].encode("latin-1")  # an HTTP header must be latin-1
    with pytest.raises(ValueError, match="format"):
        attachment_headers("x", "ods")


@pytest.mark.slow
def test_the_seed_targets_export_to_a_workbook_that_reads_back(seed_service) -> None:
    targets = seed_service.targets()
    assert targets
    labels = {t["id"]: t.get("zh") or t.get("label") or t["id"] for t in seed_service.topics()}
    rows = by_header(read_xlsx(to_xlsx(targets, target_columns(labels))))
    assert len(rows) == len(targets)
    for row, t in zip(rows, targets, strict=True):
        assert row["依据 Evidence"] == t["evidence"]["quote"]
        if t["value"] is not None and t.get("value_max") in (None, t["value"]):
            assert row["数值或区间 Value/range"] == t["value"]  # still a number
    assert any(r["地区 Region"] and "（匿名" in r["地区 Region"] for r in rows)  # the xx市 plan
