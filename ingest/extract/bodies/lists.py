"""Bodies named in lists: department lists sharing a level prefix (编办、发改、财政…等部门),
牵头单位/责任单位 lines, the addressees of the issuing notice and duty columns of tables."""

from __future__ import annotations

import re

from ingest.extract.bodies.jurisdiction import (
    Jurisdiction,
)
from ingest.extract.bodies.lexicon import (
    _DUTY_HEADER_RE,
    _DUTY_LINE_RE,
    _DUTY_ROLE,
    _GENERIC_RE,
    _SUFFIX_RE,
    abbreviation_table,
)
from ingest.extract.bodies.normalise import (
    _branch,
    _clean,
    _level_form,
    normalise_name,
)
from ingest.extract.bodies.scan import (
    Mention,
    _named,
    _role,
)
from ingest.model import Document, Region


def _expand_dept(item: str, level_char: str | None, juris: Jurisdiction) -> tuple[str, Region | None] | None:
    """One item of a department list (发改, 人大, 政府教育督导部门) with the list's level prefix."""
    table = abbreviation_table()
    item = _clean(item)
    abbr = table.get(item)
    if abbr is None or "dept" not in abbr.uses:
        if not re.search(r"(局|委|办|室|部门|政府)$", item):
            return None
        return normalise_name((level_char or "") + item, juris)
    if juris.region is None or juris.region.level == "country":
        return None
    base = juris.expand_level(level_char) if level_char else None
    if base is None:
        base = juris.by_level.get(juris.region.level) or juris.region
    prefix = juris.prefix(base)
    full = abbr.full.replace("{prefix}", prefix) if "{prefix}" in abbr.full \
        else prefix + _level_form(abbr.full, base.level)
    return _branch(full, base, juris)


def _department_lists(text: str, lo: int, hi: int, juris: Jurisdiction,
                      taken: list[tuple[int, int]]) -> list[Mention]:
    """编办、发改、财政…等部门; 区人大、政协、政府教育督导部门 (the level prefix is shared)."""
    out: list[Mention] = []
    patterns = [
        re.compile(r"((?:[\u4e00-\u9fff]{2,8}、){1,}[\u4e00-\u9fff]{2,8})等(?:相关|有关)?(?:部门|单位)"),
        re.compile(r"(?<![\u4e00-\u9fff])([省市区县](?:[\u4e00-\u9fff]{2,10}、){1,}[\u4e00-\u9fff]{2,10})"),
        re.compile(r"(?<=[，。；：\n])([省市区县](?:[\u4e00-\u9fff]{2,10}、){1,}[\u4e00-\u9fff]{2,10})"),
    ]
    table = abbreviation_table()
    seen: set[int] = set()
    for pat in patterns:
        for m in pat.finditer(text, lo, hi):
            items = m.group(1).split("、")
            level = items[0][0] if items[0][:1] in "省市区县" and _clean(items[0][1:]) in table else None
            if pat is not patterns[0] and level is None:
                continue
            expanded = []
            for n, part in enumerate(items):
                item = part[1:] if n == 0 and level else part
                # the last item may run on into the sentence: 政府教育督导部门定期开展
                if n == len(items) - 1:
                    keys = [k for k in table if item.startswith(k)]
                    cut = re.match(r"^([\u4e00-\u9fff]{1,10}?(?:部门|委员会|局|委|办公室|办|室))", item)
                    item = max(keys, key=len) if keys else (cut.group(1) if cut else item)
                expanded.append((part, item))
            if sum(1 for _, it in expanded if table.get(_clean(it)) is not None) < 1:
                continue
            pos = m.start(1)
            for part, item in expanded:
                s = pos + (len(part) - len(item) if part.startswith(item) is False and part.endswith(item) else 0)
                s = text.find(item, pos, pos + len(part)) if item else pos
                e = s + len(item)
                pos += len(part) + 1
                if s in seen or any(a <= s < b for a, b in taken):
                    continue
                res = _expand_dept(item, level, juris)
                if res is None:
                    continue
                seen.add(s)
                name, region = res
                out.append(Mention(text[s:e], name, region, s, e, _role(text, s, e, lo, hi), "list"))
    return out


def _split_items(cell: str) -> list[str]:
    return [p for p in (x.strip(" 　") for x in re.split(r"[、，,；;/和及]", cell)) if p]


def _until_unbalanced(cell: str) -> str:
    """The list up to the bracket that closes the one it stands in: （责任单位：市教育局，各区、县
    （市）政府） → 市教育局，各区、县（市）政府."""
    nxt = re.search(r"[，,；;。\s]*(?:牵头|责任|配合|参与|协办|主办)(?:单位|部门)[：:]", cell)
    if nxt:
        cell = cell[:nxt.start()]  # 牵头单位：A，配合单位：B — B is read by its own match
    depth = 0
    for i, ch in enumerate(cell):
        if ch in "（(〔":
            depth += 1
        elif ch in "）)〕":
            if depth == 0:
                return cell[:i]
            depth -= 1
    return cell


def _duty_lines(text: str, lo: int, hi: int, juris: Jurisdiction, doc_date: str | None = None) -> list[Mention]:
    """（牵头单位：市教育局；配合单位：市财政局、市人社局）, （责任单位：市文联、团市委，各区、县（市）
    政府）: every item a body — the abbreviation lists of the seeds, the department lexicon,
    collectives, or a name (a bare department is the plan's)."""
    from ingest.extract.bodies.duties import _year, resolve_item

    out: list[Mention] = []
    year = _year(doc_date)
    for m in _DUTY_LINE_RE.finditer(text, lo, hi):
        role = _DUTY_ROLE[m.group(1)]
        cell = _until_unbalanced(m.group(2))
        pos = m.start(2)
        for part in merge_level_lists(_split_outside_parens(cell)):
            s = pos + (len(part) - len(part.lstrip(" 　")))
            pos += len(part)
            item = re.sub(r"等(?:有关|相关)?(?:部门|单位)?$", "", part.strip(" 　"))
            if len(item) < 2 or item in "、，,：:；;":
                continue
            if abbreviation_table().get(item):
                res = _expand_dept(item, None, juris)
            else:
                found = resolve_item(item, juris, year)
                if found is not None:
                    out.append(Mention(item, found.name, found.region, s, s + len(item), role, "duty",
                                       found.kind, found.collective, found.key))
                    continue
                res = normalise_name(item, juris)
                if not _SUFFIX_RE.search(res[0]):
                    continue  # not an organisation name (责任单位, 各有关方面)
                if res[1] is None and juris.usable and re.search(r"(局|委|办|厅|室|中心|院|馆)$", res[0]) \
                        and not res[0].startswith(("教育部", "国家", "国务院", "中共中央")):
                    res = (juris.plan_prefix() + res[0], juris.region)  # 大数据局 in a city plan
            if res is None:
                continue
            out.append(Mention(item, res[0], res[1], s, s + len(item), role, "duty"))
    return out


def _split_outside_parens(line: str) -> list[str]:
    """各县（自治县、市、区）教体局、高新区教体局 → the items and their separators, in order."""
    parts: list[str] = []
    depth, cur = 0, ""
    for ch in line:
        depth += ch in "（(〔"
        depth -= ch in "）)〕" and depth > 0
        if depth == 0 and ch in "，,、：:；;":
            parts.extend([cur, ch])
            cur = ""
        else:
            cur += ch
    parts.append(cur)
    return parts


_LEVEL_WORD = r"(?:设区的?)?[市县区州旗](?:（[^）]{1,10}）|\([^)]{1,10}\))?"
LEVEL_PIECE_RE = re.compile(rf"^(?:各|地方各级)?{_LEVEL_WORD}$")
_LEVEL_START_RE = re.compile(rf"^{_LEVEL_WORD}")


def merge_level_lists(parts: list[str]) -> list[str]:
    """[各区, 、, 县人民政府] → [各区、县人民政府]: levels listed with 、 share the noun after them."""
    out: list[str] = []
    i = 0
    while i < len(parts):
        cur = parts[i]
        while (i + 2 < len(parts) and parts[i + 1] == "、" and LEVEL_PIECE_RE.match(cur.strip())
               and _LEVEL_START_RE.match(parts[i + 2].strip())):
            cur = cur + "、" + parts[i + 2]
            i += 2
        out.append(cur)
        i += 1
    return out


def addressee_mentions(doc: Document, juris: Jurisdiction) -> list[Mention]:
    """The addressees of the notice that issues the plan, as plural or named bodies:
    各县（自治县、市、区）教体局 → 承德市各县（自治县、市、区）教体局; 泽雅镇人民政府 →
    温州市瓯海区泽雅镇人民政府; 区政府直属各单位 (no organisation named) is skipped."""
    line = doc.addressees
    if not line:
        return []
    text = doc.text
    base = text.rfind(line, 0, (doc.body_start or len(text)) + len(line))
    if base == -1:
        base = text.find(line)
    out: list[Mention] = []
    pos = 0
    plural = False
    for part in merge_level_lists(_split_outside_parens(line.rstrip("：: \n"))):
        start = pos
        pos += len(part)
        if not part.strip() or part in "，,、：:；;":
            continue
        item = part.strip()
        if not _SUFFIX_RE.search(item) or not re.search(r"(局|委|政府|办事处|学校|中小学|中学|小学|幼儿园|学区|院|中心|所)$|（[^）]*）$", item):
            plural = item.startswith("各")
            continue
        if item.startswith("各"):
            plural = True
        elif plural and _GENERIC_RE.match(re.sub(r"(中小学|中学|小学|学校|幼儿园)$", "", item) or "中心"):
            item = "各" + item  # 各中学、中心小学: 各 applies to the generic items after it
        name, region = normalise_name(item, juris)
        if name == item and juris.usable and not _named(item, juris, ""):
            name, region = juris.plan_prefix() + item, juris.region
        s = base + start + part.find(part.strip()) if base != -1 else -1
        out.append(Mention(part.strip(), name, region, s, s + len(part.strip()), "responsible", "addressee"))
    return out


def table_mentions(doc: Document, juris: Jurisdiction) -> list[Mention]:
    """Cells of 牵头单位/责任单位/配合单位 columns in attached or inline tables."""
    out: list[Mention] = []
    tables = [t for a in doc.attachments for t in a.tables]
    for table in tables:
        cols = [(i, m.group(1) if m.group(1) else "责任") for i, h in enumerate(table.header)
                if (m := _DUTY_HEADER_RE.search(h or ""))]
        for row in table.rows:
            for i, label in cols:
                if i >= len(row):
                    continue
                for part in _split_items(row[i]):
                    res = _expand_dept(part, None, juris) if abbreviation_table().get(part) else normalise_name(part, juris)
                    if res is None or not _SUFFIX_RE.search(res[0]):
                        continue
                    s = doc.text.find(part, table.start, table.end or len(doc.text))
                    out.append(Mention(part, res[0], res[1], s, s + len(part) if s != -1 else -1,
                                       _DUTY_ROLE.get(label, "responsible"), "table"))
    return out


