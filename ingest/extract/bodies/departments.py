"""Departments named generically or by abbreviation (财政部门, 人社局, 编办, 团市委, 文广新局) →
the official name at a level and a year, from ingest/data/departments.tsv and
ingest/data/department_aliases.tsv (data, not code)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ingest.extract.bodies.lexicon import DATA, _read_tsv

_MUNICIPALITIES = ("北京市", "上海市", "天津市", "重庆市")
_LEVELS = ("province", "municipality", "prefecture", "county", "*")


@dataclass(frozen=True)
class DepartmentName:
    key: str
    level: str
    start: int | None
    end: int | None
    template: str
    kind: str


@lru_cache(maxsize=1)
def department_names() -> dict[str, list[DepartmentName]]:
    from ingest.model import BODY_KINDS

    path = DATA / "departments.tsv"
    out: dict[str, list[DepartmentName]] = {}
    for parts in _read_tsv(path, (6,)):
        key, level, start, end, template, kind = (p.strip() for p in parts)
        if level not in _LEVELS:
            raise ValueError(f"{path}: {key}: unknown level {level!r} (one of {', '.join(_LEVELS)})")
        if kind not in BODY_KINDS:
            raise ValueError(f"{path}: {key}: unknown kind {kind!r}")
        if "{R}" not in template:
            raise ValueError(f"{path}: {key}: the name template has no {{R}}")
        try:
            years = (None if start == "*" else int(start), None if end == "*" else int(end))
        except ValueError as exc:
            raise ValueError(f"{path}: {key}: from/to must be a year or *") from exc
        out.setdefault(key, []).append(DepartmentName(key, level, *years, template, kind))
    return out


@lru_cache(maxsize=1)
def _alias_rows() -> tuple[dict[str, str], dict[str, str]]:
    path = DATA / "department_aliases.tsv"
    names = department_names()
    aliases: dict[str, str] = {}
    variants: dict[str, str] = {}
    for parts in _read_tsv(path, (2, 3)):
        alias, key = parts[0].strip(), parts[1].strip()
        if key not in names:
            raise ValueError(f"{path}: {alias}: key {key!r} is not in departments.tsv")
        if len(parts) == 3 and parts[2].strip() != "name":
            raise ValueError(f"{path}: {alias}: the third column can only be 'name'")
        (variants if len(parts) == 3 else aliases)[alias] = key
    # the lexicon's own official names are variants too (教育局, 财政厅, 文化广电新闻出版局 …)
    for key, rows in names.items():
        for row in rows:
            rest = row.template.replace("{R}", "")
            if rest and not rest.startswith(("中共", "共青团")):
                variants.setdefault(rest, key)
    return aliases, variants


def department_aliases() -> dict[str, str]:
    """alias as plans write it → key of departments.tsv."""
    return _alias_rows()[0]


def variant_key(dept: str) -> str | None:
    """The key of an official department name without its region (教育体育局 → education)."""
    return _alias_rows()[1].get(dept)


_LEAGUE_RE = re.compile(r"^团([省市区县])委$")  # 团市委 → the league committee of that level


def department_key(item: str) -> tuple[str, str | None] | None:
    """(key, level character written inside the name or None) for a department as written
    without its level prefix: 财政部门 → (finance, None), 团市委 → (league, 市)."""
    aliases = department_aliases()
    m = _LEAGUE_RE.match(item)
    if m:
        return "league", m.group(1)
    for form in (item, item.removesuffix("部门"), item + "部门", item.removesuffix("组织")):
        if form and form in aliases:
            return aliases[form], None
    return None


def _level_of(region) -> str:
    if region.level == "province" and region.name in _MUNICIPALITIES:
        return "municipality"
    return region.level


def official_name(key: str, region, prefix: str, year: int | None) -> tuple[str, str] | None:
    """(name, kind) of department ``key`` in ``region`` (whose prefix is ``prefix``) in ``year``."""
    rows = department_names().get(key, [])
    level = _level_of(region)
    order = [level, "prefecture", "*"] if level == "municipality" else [level, "*"]

    def in_year(row: DepartmentName) -> bool:
        if year is None:
            return row.end is None
        return (row.start is None or row.start <= year) and (row.end is None or year <= row.end)

    for lvl in order:
        for row in rows:
            if row.level == lvl and in_year(row):
                return row.template.replace("{R}", prefix), row.kind
    return None
