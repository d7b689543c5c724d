"""Bodies a plan assigns a duty to by naming them as the subject of a sentence or a role phrase,
the way duties sections write them (教育部门要…, 财政部门要…, 人力资源社会保障、机构编制等部门要…,
文化部门和文联要…, 各级各类学校要…, 由教育部门牵头, 会同财政部门).

A subject is the words from the start of a sentence (or of a comma fragment, before a strong
duty word) to the first duty word (要, 应, 负责, 牵头 …). It is split into items (、 outside
brackets, then 和/及/与 where the whole item is not a name), and it counts only when *every* item
is a body: a department of the lexicon (departments.tsv via department_aliases.tsv) with an
optional level prefix (市, 县, 省级), an organisation name the scanner accepts (市教育局), or a
collective (各级教育行政部门, 各县（市、区）, 县（市、区）政府 in a city plan, 各级各类学校). So
学校美育课程建设要… or 专业人士到中小学 are never read as bodies.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.extract.bodies.departments import department_key, official_name
from ingest.extract.bodies.jurisdiction import Jurisdiction
from ingest.extract.bodies.lexicon import _LEVEL_OF, _ORDER, _SUFFIXES
from ingest.extract.bodies.normalise import _clean, kind_of, normalise_name
from ingest.extract.bodies.scan import Mention, _named
from ingest.model import Region

_STRONG = r"(?:要|应当|应|须|必须|需要|负责|牵头|会同|配合|协助|参与|承担)"
_WEAK = (r"(?:共同|分别|切实|积极|认真|主动|进一步|加强|加大|统筹|做好|履行|落实|支持|指导|定期|建立|制定|"
         r"制订|研究|督促|组织|开展|推动|推进|依托|联合|协同|结合|按照|根据|充分|将|把|对|在|每年|每学年|设立)")
_SUBJECT_RE = re.compile(rf"([^，。；：:！？\n]{{2,40}}?)(?={_STRONG}|{_WEAK})")
_PHRASE_RE = re.compile(r"(?:由|会同|联合|协调|协同)([^，。；：:！？\n由]{2,40}?)(?=牵头|负责|共同|配合|等|，|。|；)")
_LIST_TAIL_RE = re.compile(r"(?:等(?:有关|相关)?(?:部门|单位|组织)?(?:[和及与](?:有关|相关)?(?:部门|单位|组织|社会团体|群团组织))?"
                           r"|[和及与](?:其他)?(?:有关|相关)(?:部门|单位)|共同|分别|都|均|也|还|各自|同时)+$")
_LEAD_RE = re.compile(r"^(?:同时|此外|另外|其中|并且|并|还|也|要)+")
# collective prefixes: 各级, 各地, 各县（市、区）, 县（市、区） below the plan's level
_EACH_RE = re.compile(r"^(地方各级|(?:全省|全市|全县|全区|全州)各级|各级各类|各级|各地|各类|各)")
_LEVEL_WORD = r"(?:设区的?)?[市县区州旗](?:（[^）]{1,10}）|\([^)]{1,10}\))?"
# plural levels: 县（市、区）, 县区, and lists of levels sharing the noun (市、县、区人民政府, 各县（市）、区)
_PLURAL_RE = re.compile(r"^(?:县（市、区）|县\(市、区\)|县（市）|县（区）|区（市）|县（自治县、市、区）|县市区|县区|区县"
                        rf"|{_LEVEL_WORD}(?:、{_LEVEL_WORD})+|设区的?市)(?:[两三四]?级)?")
_LEVEL_PIECE_RE = re.compile(rf"^(?:各|地方各级)?{_LEVEL_WORD}$")
# bare 学校 / 各学校 / 各级各类学校 are one collective: the plan's schools
_ALL_SCHOOLS_RE = re.compile(r"^(?:各级各类|各类|各|全体|所有)?(?:学校|校)$")
_LEVEL_RE = re.compile(r"^(省|市|州|区|县)(级)?(?!场|民|区|域|内|外)")
_COLLECTIVE_NOUNS = re.compile(
    r"(部门|政府|党委|党委和政府|学校|中小学|中小学校|幼儿园|高校|院校|单位|机构|地|地区|学区|教育局|教体局|"
    r"文化馆|博物馆|美术馆|少年宫|青少年宫|组织|团体|县（市、区）|县\(市、区\)|县区|区县|市|县|区|州|旗)$")
# the plan's own schools: 市直属学校, 市属高校, 省属中小学
_OWN_SCHOOLS_RE = re.compile(r"^([省市区县州])(?:直属|属|直)(?:各类)?(学校|中小学校?|高校|高等学校|院校|幼儿园|中学|小学)$")


_SUFFIX_END_RE = re.compile("(?:" + "|".join(re.escape(s) for s, _ in _SUFFIXES) + ")$")


@dataclass
class Resolved:
    name: str
    region: Region | None
    kind: str | None
    collective: bool
    key: str | None = None


def _year(doc_date: str | None) -> int | None:
    return int(doc_date[:4]) if doc_date and doc_date[:4].isdigit() else None


def resolve_item(item: str, juris: Jurisdiction, year: int | None, strong: bool = True) -> Resolved | None:
    """One body as a plan writes it in a subject or list (财政部门, 市教育局, 各级各类学校). A bare
    collective of places (各地, 各县区) is a body only when ``strong`` (the plan tells it 要/应/负责 …)."""
    item = _clean(item)
    if _ALL_SCHOOLS_RE.match(item) and (strong or item != "学校") and juris.usable:
        return Resolved(juris.plan_prefix() + "各级各类学校", juris.region, "collective", True)
    if len(item) < 2 or not juris.usable or re.search(r"关于|印发|通知|的|[《》“”]", item):
        return None
    plan = juris.region
    own = _OWN_SCHOOLS_RE.match(item)
    if own:
        base = juris.expand_level(own.group(1))
        if base is None:
            return None
        return Resolved(juris.prefix(base) + item[1:], base, "collective", True)
    each = _EACH_RE.match(item)
    plural = _PLURAL_RE.match(item[each.end():] if each else item)
    if (each or plural) and not re.search(r"[和及与]", item):
        rest = item[(each.end() if each else 0) + (plural.end() if plural else 0):]
        if not rest and not plural and each.group(1) != "各地":
            return None
        if (not rest or re.fullmatch(r"[市县区]|地|地区", rest)) and not strong:
            return None
        if rest and not _COLLECTIVE_NOUNS.search(rest) and department_key(rest) is None \
                and kind_of(rest) == "other":
            return None
        if plural and not each:
            name, region = normalise_name(item, juris)  # 县（市、区）政府 → X市各县（市、区）人民政府
            if not name.startswith(juris.plan_prefix()):
                name = juris.plan_prefix() + ("" if name.startswith("各") else "各") + name
        else:
            name, region = juris.plan_prefix() + re.sub(r"(?<!人民)政府$", "人民政府", item), plan
        return Resolved(name, region or plan, "collective", True)
    level = _LEVEL_RE.match(item)
    rest = item[level.end():] if level else item
    found = department_key(rest)
    if found is not None:
        key, inner = found
        char = inner or (level.group(1) if level else None)
        base = juris.expand_level(char) if char else (juris.by_level.get(plan.level) or plan)
        if base is None:
            return None
        if char and base is not plan and _ORDER[_LEVEL_OF.get(char, "county")] > _ORDER.get(plan.level, 9):
            return Resolved(juris.plan_prefix() + "各" + item, plan, "collective", True)
        named = official_name(key, base, juris.prefix(base), year)
        if named is None:
            return None
        return Resolved(named[0], base, named[1], False, key)
    suffix = _SUFFIX_END_RE.search(item)
    why = _named(item, juris, suffix.group(0)) if suffix else None
    if why and (kind_of(item) not in ("school", "university") or why in ("region", "level", "national", "quoted")):
        name, region = normalise_name(item, juris)
        return Resolved(name, region, None, name.removeprefix(juris.plan_prefix()).startswith("各"))
    return None


def _items(subject: str) -> list[tuple[str, int]]:
    """Items of a subject and their offsets in it: 、 outside brackets; 和/及/与 inside an item
    only where the whole item is not one name (人力资源和社会保障部门 stays whole)."""
    out: list[tuple[str, int]] = []
    depth, start = 0, 0
    for i, ch in enumerate(subject + "、"):
        depth += ch in "（("
        depth -= ch in "）)" and depth > 0
        if ch == "、" and depth == 0:
            if i < len(subject) and _LEVEL_PIECE_RE.match(subject[start:i]) and \
                    re.match(rf"{_LEVEL_WORD}", subject[i + 1:]):
                continue  # 市、县、区人民政府: the levels share the noun after them
            out.append((subject[start:i], start))
            start = i + 1
    return out


def _split_conj(item: str, offset: int) -> list[tuple[str, int]]:
    parts, pos = [], 0
    for m in re.finditer(r"[和及与]", item):
        parts.append((item[pos:m.start()], offset + pos))
        pos = m.end()
    parts.append((item[pos:], offset + pos))
    return parts


def _subject_mentions(text: str, s: int, e: int, juris: Jurisdiction, year: int | None,
                      role: str, strong: bool = True) -> list[Mention] | None:
    subject = text[s:e]
    lead = _LEAD_RE.match(subject)
    if lead:
        s += lead.end()
        subject = subject[lead.end():]
    tail = _LIST_TAIL_RE.search(subject)
    shared_dept = bool(tail and "部门" in tail.group(0))
    if tail:
        subject = subject[:tail.start()]
    if not subject.strip():
        return None
    out: list[Mention] = []
    for item, off in _items(subject):
        pieces = [(item, off)]
        res = [resolve_item(item + ("部门" if shared_dept and not item.endswith("部门") else ""), juris, year, strong)]
        if res[0] is None and re.search(r"[和及与]", item):
            pieces = _split_conj(item, off)
            res = [resolve_item(p, juris, year, strong) for p, _ in pieces]
        if any(r is None for r in res):
            return None
        for (piece, poff), r in zip(pieces, res):
            stripped = piece.strip(" 　")
            start = s + poff + piece.find(stripped)
            out.append(Mention(stripped, r.name, r.region, start, start + len(stripped), role, "subject",
                               r.kind, r.collective, r.key))
    return out


def duty_subjects(text: str, lo: int, hi: int, juris: Jurisdiction, doc_date: str | None,
                  quoted: list[tuple[int, int]]) -> list[Mention]:
    """Subjects of duty sentences and bodies of role phrases in ``text[lo:hi]``."""
    if not juris.usable:
        return []
    year = _year(doc_date)
    out: list[Mention] = []
    seen: set[tuple[int, int]] = set()

    def add(found: list[Mention] | None) -> None:
        for m in found or []:
            if (m.start, m.end) not in seen and not any(a <= m.start < b for a, b in quoted):
                seen.add((m.start, m.end))
                out.append(m)

    # sentence (or fragment) subjects: from a sentence start, or a comma before a strong word
    starts = [lo] + [m.end() for m in re.compile(r"[。；;！？\n]|[，,]").finditer(text, lo, hi)]
    for st in starts:
        while st < hi and text[st] in " 　\t":
            st += 1
        fragment_start = st > lo and text[st - 1] in "，,"
        m = _SUBJECT_RE.match(text, st, hi)
        if not m:
            continue
        after = text[m.end(1):m.end(1) + 4]
        listed = re.search(r"等(?:有关|相关)?(?:部门|单位)", m.group(1))
        if fragment_start and not (re.match(_STRONG, after) or after.startswith(("共同", "分别")) or listed):
            continue
        role = ("lead" if after.startswith(("牵头", "会同")) else
                "participant" if after.startswith(("配合", "协助", "参与")) else "responsible")
        add(_subject_mentions(text, m.start(1), m.end(1), juris, year, role, bool(re.match(_STRONG, after))))
    for m in _PHRASE_RE.finditer(text, lo, hi):
        after = text[m.end(1):m.end(1) + 3]
        role = "lead" if after.startswith("牵头") else "responsible" if text[m.start()] == "由" else "participant"
        add(_subject_mentions(text, m.start(1), m.end(1), juris, year, role))
    return out
