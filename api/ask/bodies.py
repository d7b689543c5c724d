"""A department a question names, in every form plans write it.

A question says 文化部门 or 共青团组织 (or "culture departments", rendered 文化部门); plans write
文化广电新闻出版局, 文广新局, 文化等有关部门, 团市委, 团委. ``department_forms(word)`` gives
the forms of the department ``word`` names, from the ingest lexicon of Chinese administration
(ingest/data/department_aliases.tsv, departments.tsv, body_abbreviations.tsv: general
conventions, no region's own names): the aliases and official names (without the region) of
its key and of the keys of the same family (culture, culture-press, culture-tourism), the
league committees of every level for the league (团省委, 团市委, 团县委, 团区委).

A two-character alias that begins the word asked (文化 for 文化部门) is left out: written
alone it is mostly not the department. ``X等(有关)部门`` (文化等有关部门) is a form of X部门.
"""

from __future__ import annotations

from functools import lru_cache

LEAGUE_LEVELS = "省市区县"


@lru_cache(maxsize=1)
def _forms_by_key() -> dict[str, tuple[str, ...]]:
    from ingest.extract.bodies.departments import _alias_rows
    from ingest.extract.bodies.lexicon import DATA, _read_tsv

    aliases, variants = _alias_rows()
    out: dict[str, set[str]] = {}
    for alias, key in (*aliases.items(), *variants.items()):
        out.setdefault(key, set()).add(alias)
    for parts in _read_tsv(DATA / "body_abbreviations.tsv", (3,)):
        abbr, full, use = (p.strip() for p in parts)
        key = variants.get(full) or aliases.get(full)
        if key and "dept" in use.split(","):
            out.setdefault(key, set()).add(abbr)
    out.setdefault("league", set()).update(f"团{c}委" for c in LEAGUE_LEVELS)
    return {k: tuple(sorted(v, key=lambda w: (-len(w), w))) for k, v in out.items()}


def _family(key: str) -> str:
    return key.split("-")[0]


def department_key(word: str) -> str | None:
    from ingest.extract.bodies.departments import department_key as key_of

    if len(word) < 2:
        return None
    found = key_of(word)
    return found[0] if found else None


def department_forms(word: str) -> tuple[str, ...]:
    """Every form of the department ``word`` names (``word`` first), or () when it names none."""
    key = department_key(word)
    if key is None or key in ("government",):  # 政府 is every government, not a department
        return ()
    forms: list[str] = [word]
    for k, rows in sorted(_forms_by_key().items()):
        if _family(k) != _family(key):
            continue
        for f in rows:
            if f in forms or (len(f) <= 2 and word.startswith(f) and f != word):
                continue
            forms.append(f)
    stem = word.removesuffix("部门")
    if stem != word and len(stem) >= 2:
        forms.extend(f for f in (f"{stem}等有关部门", f"{stem}等部门") if f not in forms)
    return tuple(forms)
