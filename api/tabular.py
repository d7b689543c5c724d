"""Tables for analysts: rows (dicts) and a column spec → CSV or XLSX bytes (pure functions).

    from api.tabular import target_columns, to_csv, to_xlsx
    data = to_xlsx(service.targets(), target_columns(topic_labels), sheet="指标 targets")

- CSV is UTF-8 with a byte-order mark and CRLF line ends, so Excel opens Chinese text right
  by double-click; XLSX (openpyxl) keeps numbers as numbers, has a bold frozen header row with
  an autofilter, and column widths that count CJK characters as two.
- Header labels carry Chinese and English (``地区 Region``) unless ``header="zh"|"en"``.
- A column reads its value by a dotted key (``region.name``, ``evidence.quote``) or a function
  of the row. Lists are joined with ``；``, nested dicts show their ``name``/``label``, ranges
  read ``10–20``, booleans 是/否; text that a spreadsheet would run as a formula (``=…``,
  ``+…``, ``-…``, ``@…``) is kept as text (quoted with ``'`` in CSV, a string cell in XLSX).
- :func:`infer_columns` builds a spec from the rows themselves for answers of any shape.
"""

from __future__ import annotations

import csv
import io
import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal
from urllib.parse import quote

Header = Literal["both", "zh", "en"]
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
LIST_SEPARATOR = "；"
RANGE_DASH = "–"
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # what XLSX (XML) cannot hold
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")


@dataclass(frozen=True)
class Column:
    """One column: ``key`` is a dotted path into the row (or the name of the column when
    ``get`` computes the value); ``zh``/``en`` are the header labels; ``width`` (characters)
    overrides the XLSX width; ``wrap`` wraps long text in XLSX."""

    key: str
    zh: str
    en: str
    get: Callable[[Mapping[str, Any]], Any] | None = None
    width: int | None = None
    wrap: bool = False

    def label(self, header: Header = "both") -> str:
        if header == "zh":
            return self.zh
        if header == "en":
            return self.en
        return self.zh if self.zh == self.en else f"{self.zh} {self.en}"

    def value(self, row: Mapping[str, Any]) -> Any:
        if self.get is not None:
            return self.get(row)
        return lookup(row, self.key)


def lookup(row: Any, key: str) -> Any:
    """``row["a"]["b"]`` for ``"a.b"``; None where a step is missing."""
    cur = row
    for part in key.split("."):
        if isinstance(cur, Mapping):
            cur = cur.get(part)
        else:
            return None
    return cur


# ------------------------------------------------------------------ cell values

def cell_value(value: Any) -> str | int | float | bool | date | None:
    """The value a cell holds: numbers, booleans and dates as they are, everything else text."""
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return None
        return int(value) if value.is_integer() and abs(value) < 2**53 else value
    if isinstance(value, datetime | date):
        return value
    if isinstance(value, Mapping):
        if "min" in value or "max" in value:
            return format_range(value.get("min"), value.get("max"))
        for k in ("name", "label", "zh", "title", "id", "code"):
            if value.get(k) not in (None, ""):
                return str(value[k])
        return "; ".join(f"{k}={v}" for k, v in value.items() if v is not None) or None
    if isinstance(value, list | tuple | set | frozenset):
        parts = [cell_value(v) for v in value]
        return LIST_SEPARATOR.join(_text(p) for p in parts if p not in (None, "")) or None
    return str(value)


def _text(v: Any) -> str:
    if isinstance(v, bool):
        return "是" if v else "否"
    if isinstance(v, float):
        return repr(v)
    if isinstance(v, datetime | date):
        return v.isoformat()
    return str(v)


def format_range(lo: Any, hi: Any) -> str | int | float | None:
    """10–20 for a range, the number itself when both ends agree or one is missing."""
    lo, hi = cell_value(lo), cell_value(hi)
    if lo is None or hi is None or lo == hi:
        return lo if lo is not None else hi
    return f"{_text(lo)}{RANGE_DASH}{_text(hi)}"


# ------------------------------------------------------------------ CSV

def _csv_text(v: Any) -> str:
    if v is None:
        return ""
    text = _text(v)
    if isinstance(v, str) and text.startswith(FORMULA_START):
        return "'" + text
    return text


def table(rows: Iterable[Mapping[str, Any]], columns: Sequence[Column]) -> list[list[Any]]:
    """The cells of every row under ``columns`` (no header)."""
    if not columns:
        raise ValueError("columns: at least one column is needed")
    return [[cell_value(c.value(row)) for c in columns] for row in rows]


def to_csv(rows: Iterable[Mapping[str, Any]], columns: Sequence[Column],
           header: Header = "both") -> bytes:
    """CSV bytes: UTF-8 with BOM, CRLF, a header row of labels."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([c.label(header) for c in columns])
    for cells in table(rows, columns):
        writer.writerow([_csv_text(v) for v in cells])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


# ------------------------------------------------------------------ XLSX

def display_width(text: str) -> int:
    """Characters as a spreadsheet shows them: East Asian wide characters count as two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def sheet_title(title: str) -> str:
    """A legal worksheet name (≤31 characters, none of []:*?/\\)."""
    clean = _SHEET_BAD.sub(" ", title).strip().strip("'") or "Sheet1"
    return clean[:31]


def to_xlsx(rows: Iterable[Mapping[str, Any]], columns: Sequence[Column],
            sheet: str = "policykg", header: Header = "both", max_width: int = 60) -> bytes:
    """XLSX bytes: one worksheet, bold frozen header with an autofilter, numbers as numbers."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    cells = table(rows, columns)
    wb = Workbook()
    ws = wb.active
    ws.title = sheet_title(sheet)
    labels = [c.label(header) for c in columns]
    ws.append(labels)
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(vertical="top", wrap_text=True)
    widths = [display_width(label) for label in labels]
    for r, values in enumerate(cells, start=2):
        for c, v in enumerate(values, start=1):
            cell = ws.cell(row=r, column=c)
            if isinstance(v, str):
                cell.value = _ILLEGAL_XML.sub("", v)
                cell.data_type = "s"  # never a formula, whatever the text starts with
            else:
                cell.value = v
            col = columns[c - 1]
            if col.wrap:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            if v is not None:
                widths[c - 1] = max(widths[c - 1], display_width(_text(v)))
    for i, col in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = col.width or min(widths[i - 1] + 2, max_width)
    ws.freeze_panes = "A2"
    if cells:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{len(cells) + 1}"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def export(rows: Iterable[Mapping[str, Any]], columns: Sequence[Column], fmt: str,
           sheet: str = "policykg", header: Header = "both") -> tuple[bytes, str]:
    """``(bytes, media type)`` for ``fmt`` ``csv`` or ``xlsx``; ValueError names the format."""
    if fmt == "csv":
        return to_csv(rows, columns, header=header), MEDIA_TYPES["csv"]
    if fmt == "xlsx":
        return to_xlsx(rows, columns, sheet=sheet, header=header), MEDIA_TYPES["xlsx"]
    raise ValueError(f"format: {fmt!r} is not a table format (csv or xlsx)")


# ------------------------------------------------------------------ column specs

def target_value(row: Mapping[str, Any]) -> Any:
    """A target's value as an analyst reads it: the number, ``10–20`` for a range, ``xx`` for
    a placeholder (the plan left the number blank)."""
    if row.get("placeholder"):
        return "xx（待定 placeholder）"
    return format_range(row.get("value"), row.get("value_max"))


def _region_name(row: Mapping[str, Any]) -> Any:
    region = row.get("region") or {}
    if not isinstance(region, Mapping):
        return region
    name = region.get("full_name") or region.get("name")
    if region.get("anonymised"):
        return f"{name}（匿名 anonymised）" if name else "匿名 anonymised"
    return name


#: Comparators as a reader writes them (a bare "=" would also read as a formula in a sheet).
COMPARATOR_SIGNS = {">=": "≥", "<=": "≤", ">": ">", "<": "<", "=": "＝"}


def comparator_sign(row: Mapping[str, Any]) -> Any:
    c = row.get("comparator")
    return COMPARATOR_SIGNS.get(c, c)


def target_columns(topic_labels: Mapping[str, str] | None = None) -> list[Column]:
    """Every field of a target row of ``PolicyKG.targets()`` (and of the targets an ask
    answer carries): region, document, value/range, unit, object, comparator, deadline,
    period, frequency, topics (labels when ``topic_labels`` maps id → label), evidence."""
    labels = dict(topic_labels or {})

    def topics(row: Mapping[str, Any]) -> list[str]:
        return [labels.get(t, t) for t in row.get("topics") or []]

    return [
        Column("region", "地区", "Region", get=_region_name),
        Column("region.province", "省份", "Province"),
        Column("title", "文件", "Document", width=40, wrap=True),
        Column("comparator", "比较", "Comparator", get=comparator_sign),
        Column("value", "数值或区间", "Value/range", get=target_value),
        Column("value_min", "下限", "Min", get=lambda r: None if r.get("placeholder") else r.get("value")),
        Column("value_max", "上限", "Max"),
        Column("unit", "单位", "Unit"),
        Column("object", "对象", "Object", width=30, wrap=True),
        Column("deadline", "期限", "Deadline"),
        Column("period", "时期", "Period"),
        Column("frequency", "频次", "Frequency"),
        Column("topics", "主题", "Topics", get=topics, width=24, wrap=True),
        Column("evidence.clause", "条款", "Clause"),
        Column("evidence.quote", "依据", "Evidence", width=60, wrap=True),
        Column("sentence", "所在句子", "Sentence", width=60, wrap=True),
        Column("doc", "文件编号", "Document id"),
    ]


def flatten(groups: Iterable[Mapping[str, Any]], items: str = "evidence",
            keep: Sequence[str] = ("region",)) -> list[dict[str, Any]]:
    """One row per item of grouped results (an ask answer's regions → their evidence): each
    item with the group's ``keep`` fields added where the item lacks them."""
    rows = []
    for g in groups:
        for item in g.get(items) or []:
            row = dict(item)
            for k in keep:
                row.setdefault(k, g.get(k))
            rows.append(row)
    return rows


def evidence_columns(topic_labels: Mapping[str, str] | None = None) -> list[Column]:
    """The evidence rows of an ask answer (``flatten(answer["answer"])``): targets and
    clauses alike, with the region of their group."""
    labels = dict(topic_labels or {})
    return [
        Column("region", "地区", "Region", get=_region_name),
        Column("region.province", "省份", "Province"),
        Column("title", "文件", "Document", width=40, wrap=True),
        Column("path", "条款", "Clause"),
        Column("comparator", "比较", "Comparator", get=comparator_sign),
        Column("value", "数值或区间", "Value/range", get=target_value),
        Column("unit", "单位", "Unit"),
        Column("object", "对象", "Object", width=30, wrap=True),
        Column("deadline", "期限", "Deadline"),
        Column("frequency", "频次", "Frequency"),
        Column("topics", "主题", "Topics", width=24, wrap=True,
               get=lambda r: [labels.get(t, t) for t in r.get("topics") or []]),
        Column("quote", "依据", "Evidence", width=60, wrap=True),
        Column("sentence", "所在句子", "Sentence", width=60, wrap=True),
        Column("score", "得分", "Score"),
        Column("doc", "文件编号", "Document id"),
    ]


def with_sentences(items: Iterable[dict[str, Any]],
                   clause_texts: Callable[[list[str]], Mapping[str, Mapping[str, Any]]]) -> None:
    """Give each target or piece of evidence in ``items`` (dicts with ``clause_id`` and a
    ``quote`` or ``evidence.quote``) the ``sentence`` of its clause that the quote stands in
    (a target's quote is its words, "40人"; a reader needs the sentence). ``clause_texts``:
    clause IRIs → rows with ``text`` (``PolicyKG.clause_texts``), called once. In place."""
    from api.cli_format import sentence_of

    items = [it for it in items if it.get("clause_id")]
    texts = clause_texts(sorted({it["clause_id"] for it in items})) if items else {}
    for it in items:
        text = (texts.get(it["clause_id"]) or {}).get("text")
        quote = it.get("quote") or (it.get("evidence") or {}).get("quote")
        if text:
            it["sentence"] = sentence_of(text, quote, n=400)


MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def attachment_headers(stem: str, fmt: str) -> dict[str, str]:
    """HTTP headers for a download named ``{stem}.{fmt}`` (Chinese names survive: an ASCII
    fallback plus the RFC 5987 ``filename*``)."""
    if fmt not in MEDIA_TYPES:
        raise ValueError(f"format: {fmt!r} is not a table format (csv or xlsx)")
    name = f"{stem}.{fmt}"
    ascii_name = re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("_") or f"export.{fmt}"
    return {
        "Content-Type": MEDIA_TYPES[fmt],
        "Content-Disposition": f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}",
    }


#: Chinese/English labels of keys that answers and tables share (for :func:`infer_columns`).
KNOWN_LABELS: dict[str, tuple[str, str]] = {
    "region": ("地区", "Region"), "province": ("省份", "Province"), "name": ("名称", "Name"),
    "code": ("代码", "Code"), "level": ("级别", "Level"), "title": ("标题", "Title"),
    "doc": ("文件编号", "Document id"), "id": ("编号", "Id"), "issuer": ("发文机关", "Issuer"),
    "date": ("日期", "Date"), "issued": ("发布日期", "Issued"), "year": ("年份", "Year"),
    "kind": ("类型", "Kind"), "count": ("数量", "Count"), "documents": ("文件数", "Documents"),
    "targets": ("指标数", "Targets"), "value": ("数值", "Value"), "value_max": ("上限", "Max"),
    "unit": ("单位", "Unit"), "object": ("对象", "Object"), "comparator": ("比较", "Comparator"),
    "deadline": ("期限", "Deadline"), "period": ("时期", "Period"),
    "frequency": ("频次", "Frequency"), "topics": ("主题", "Topics"), "topic": ("主题", "Topic"),
    "body": ("主体", "Body"), "bodies": ("主体", "Bodies"), "measure": ("措施", "Measure"),
    "path": ("条款", "Clause"), "clause": ("条款", "Clause"), "quote": ("依据", "Evidence"),
    "evidence": ("依据", "Evidence"), "text": ("文本", "Text"), "score": ("得分", "Score"),
    "heading": ("标题", "Heading"), "label": ("名称", "Label"), "anonymised": ("匿名", "Anonymised"),
}


def infer_columns(rows: Sequence[Mapping[str, Any]], known: Mapping[str, tuple[str, str]] = KNOWN_LABELS,
                  skip: Iterable[str] = ("iri", "clause_id", "start", "end")) -> list[Column]:
    """A column per key of the rows (first-seen order); a nested dict of scalars becomes one
    column per key (``region.name``), labelled from ``known`` (``地区 名称 Region name``)."""
    skipped = set(skip)
    order: dict[str, None] = {}
    for row in rows:
        for k, v in row.items():
            if k in skipped:
                continue
            if isinstance(v, Mapping) and v and all(not isinstance(x, Mapping | list) for x in v.values()):
                for sub in v:
                    if sub not in skipped:
                        order.setdefault(f"{k}.{sub}")
            else:
                order.setdefault(k)
    cols = []
    for key in order:
        parts = key.split(".")
        zh = " ".join(known.get(p, (p, p))[0] for p in parts)
        en = " ".join(known.get(p, (p, p))[1] for p in parts)
        cols.append(Column(key, zh, en, wrap=parts[-1] in ("quote", "text", "evidence")))
    if not cols:
        raise ValueError("rows: no columns to export (no rows, or rows without fields)")
    return cols


def document_columns() -> list[Column]:
    """Every field of a row of ``PolicyKG.documents()``."""
    return [
        Column("title", "标题", "Title", width=50, wrap=True),
        Column("region", "地区", "Region", get=_region_name),
        Column("region.province", "省份", "Province"),
        Column("region.level", "级别", "Level"),
        Column("issuer", "发文机关", "Issuer"),
        Column("forwarded_by", "转发", "Forwarded by"),
        Column("date", "日期", "Date"),
        Column("doc_number", "文号", "Number"),
        Column("period", "时期", "Period"),
        Column("kind", "类型", "Kind"),
        Column("clauses", "条款数", "Clauses"),
        Column("source.file", "来源文件", "Source file"),
        Column("id", "文件编号", "Document id"),
    ]
