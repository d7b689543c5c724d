"""The region a document applies to and the other regions it names, with their roles.

Plans: the issuer names the jurisdiction (温州市瓯海区人民政府办公室 → 瓯海区), else the title,
else the opening text. Anonymised plans (xx市, xx省) get an anonymised Region, never a guess.
Statutes: a national law (中华人民共和国…, or issued by 全国人大常委会 / 国务院) applies to the
whole country (100000); a local regulation to the region in its title or issuer.
"""

from __future__ import annotations

import re

from ingest.model import Document, Evidence, Region, RegionMention
from ingest.regions import Gazetteer, JurisdictionFinder, RegionMatch, anonymised, township

_ANON_RE = re.compile(r"(?<![A-Za-z])(?:[xX]{1,3}|\*{2,3}|×{1,3}|某)(省|自治区|市|州|区|县)")
_ANON_LEVEL = {"省": "province", "自治区": "province", "市": "prefecture", "州": "prefecture",
               "区": "county", "县": "county"}
_NATIONAL_ISSUERS = ("全国人民代表大会", "国务院", "教育部", "中共中央", "中华人民共和国")
_PILOT_RE = re.compile(r"试点|先行|示范区|实验区|先试")
_PARTNER_RE = re.compile(r"合作|对接|结对|帮扶|协作|对口|交流|联盟")
# 泽雅镇, 茶山街道: township-level names (not in cpca), only read inside a county plan
_TOWNSHIP_RE = re.compile(r"(?<![各本全每乡镇])([\u4e00-\u9fff]{2,3}?)(镇|乡|街道)(?=人民政府|政府|中心|中学|小学|学校|、|，|,|。|；|等)")
_TOWNSHIP_BAD = re.compile(r"^(城|乡|村|集|小|中|重|市|区|县|城乡|农村|乡村)")


def _deepest(matches: list[RegionMatch], gazetteer: Gazetteer) -> Region | None:
    """The most specific region of a consistent chain of names (温州市瓯海区 → 瓯海区)."""
    best: Region | None = None
    for m in matches:
        r = m.region
        if r.level == "country":
            continue
        if best is None or gazetteer.is_within(r, best):
            best = r
        elif not gazetteer.is_within(best, r):
            break
    return best


def document_region(doc: Document, gazetteer: Gazetteer) -> Region | None:
    title = doc.title or ""
    issuer = doc.issuer or ""
    if doc.kind == "statute" and (title.startswith("中华人民共和国") or issuer.startswith(_NATIONAL_ISSUERS)):
        return gazetteer.country()
    if doc.kind != "statute":  # the issuer's jurisdiction (教育部 → national), else the 文号's
        found = JurisdictionFinder(gazetteer).of_document(
            doc.issuers or ([doc.issuer] if doc.issuer else []), doc.doc_number)
        if found is not None:
            return found
    head = doc.text[doc.body_start: doc.body_start + 600]
    for source in (issuer, title, doc.notice or "", head):
        anon = _ANON_RE.search(source)
        named = _deepest(gazetteer.find(source), gazetteer) if source else None
        if anon and (named is None or anon.start() < (source.find(named.name) if named.name in source else 10**6)):
            # the lowest anonymised level written in this source is the plan's
            levels = [(m.group(0), _ANON_LEVEL[m.group(1)]) for m in _ANON_RE.finditer(source)]
            order = {"province": 0, "prefecture": 1, "county": 2}
            # the plan's own level: the level its issuer text names, e.g. 组织实施xx市…行动计划
            name, level = max(levels, key=lambda t: order[t[1]]) if source is issuer else _plan_level(source, levels)
            return anonymised(name, doc.id, level)
        if named is not None:
            return named
    if doc.kind == "statute" and ("国家" in title or not issuer):
        return gazetteer.country()
    return None


def _plan_level(source: str, levels: list[tuple[str, str]]) -> tuple[str, str]:
    """In running text the plan's own region is the one that 实施/制定 acts on, else the
    most frequent anonymised name."""
    for m in re.finditer(r"(?:实施|制定|推进|组织实施)([^\s，。,]{0,3}(?:[xX]{1,3}|\*{2,3})(?:省|市|区|县))", source):
        for name, level in levels:
            if name in m.group(1):
                return name, level
    counts: dict[tuple[str, str], int] = {}
    for item in levels:
        counts[item] = counts.get(item, 0) + 1
    return max(counts, key=lambda k: counts[k])


def clause_at(doc: Document, offset: int) -> str:
    best = ""
    for c in doc.walk():
        if c.start <= offset < max(c.end, c.end_all):
            best = c.path
    return best


def regions_mentioned(doc: Document, region: Region | None, gazetteer: Gazetteer) -> list[RegionMention]:
    out: list[RegionMention] = []
    seen: set[str] = set()
    priority = {"pilot": 0, "partner": 1, "forwarder": 2, "parent": 3, "sub-region": 4, "mentioned": 5}
    if region is None or region.anonymised:
        context = None
    elif region.level == "county":
        context = gazetteer.get(region.parent) if region.parent else region
    else:
        context = region
    text = doc.text
    for m in gazetteer.find(text, within=context):
        r = m.region
        if r.level == "country" or (region is not None and r.code == region.code):
            continue
        window = text[max(0, m.start - 20): m.end + 20]
        if region is not None and not region.anonymised and gazetteer.is_within(region, r):
            role = "parent"
        elif region is not None and not region.anonymised and gazetteer.is_within(r, region):
            role = "pilot" if _PILOT_RE.search(window) else "sub-region"
        elif region is not None and not region.anonymised and context is not None and gazetteer.is_within(r, context):
            role = "pilot" if _PILOT_RE.search(window) else "mentioned"
        else:
            role = "partner" if _PARTNER_RE.search(window) else "mentioned"
        if doc.forwarded_by and m.start < doc.body_start and r.name in (doc.forwarded_by or ""):
            role = "forwarder"
        mention = RegionMention(r, role, Evidence(clause_at(doc, m.start), m.surface, m.start, m.end))
        if r.code in seen:
            i = next(i for i, o in enumerate(out) if o.region.code == r.code)
            if priority[role] < priority[out[i].role]:
                out[i] = mention
            continue
        seen.add(r.code)
        out.append(mention)
    if region is not None and not region.anonymised and region.level == "county":
        for m in _TOWNSHIP_RE.finditer(text):
            name = m.group(1) + m.group(2)
            if _TOWNSHIP_BAD.match(m.group(1)) or gazetteer.candidates(m.group(1)):
                continue
            t = township(name, region)
            if t.code in seen:
                continue
            seen.add(t.code)
            out.append(RegionMention(t, "sub-region",
                                     Evidence(clause_at(doc, m.start()), name, m.start(), m.start() + len(name))))
    return out
