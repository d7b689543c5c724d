"""Filters, the second stage: parameters checked against the catalogue (a bad topic, region
or document is a 422/404 naming the valid choices) and the clause IRIs a search may return."""

from __future__ import annotations

from typing import Any

from api.errors import InvalidParameter, NotFound


class Filters:
    """The filter methods of ``PolicyKG`` (a mixin over the facade's catalogue and store)."""

    def _topic_ids(self) -> list[str]:
        return [c.id for c in self.topic_concepts]

    def _check_topic(self, topic: str | None) -> str | None:
        if topic is None or topic == "":
            return None
        ids = self._topic_ids()
        if topic in ids:
            return topic
        by_label = {c.label_zh: c.id for c in self.topic_concepts} | {c.label_en.lower(): c.id for c in self.topic_concepts}
        if topic.lower() in by_label:
            return by_label[topic.lower()]
        raise InvalidParameter("topic", f"unknown topic {topic!r}", ids)

    def _check_region(self, region: str | None, param: str = "region") -> str | None:
        """An adcode or a region name → the adcode of a region in the graph."""
        if region is None or region == "":
            return None
        cat = self.catalog()
        if region in cat.regions:
            return region
        for r in cat.regions.values():
            if region in (r["name"], r.get("full_name")):
                return r["code"]
        import re as _re

        for r in cat.regions.values():
            short = _re.sub(r"(?:省|市|区|县)$", "", r["name"] or "")
            if short and len(short) >= 2 and region == short:
                return r["code"]
        if _re.fullmatch(r"\d{6}", region):
            found = self.gazetteer.get(region)
            if found is not None:
                return region  # a real region with no document yet: an empty answer, not an error
        choices = sorted(f"{r['code']} {r['name']}" for r in cat.regions.values() if not r["anonymised"])
        raise InvalidParameter(param, f"unknown region {region!r}", choices)

    def _check_doc(self, doc_id: str) -> dict[str, Any]:
        doc = self.catalog().doc_by_id(doc_id)
        if doc is None:
            raise NotFound(f"no document {doc_id!r}", choices=sorted(d["id"] for d in self.catalog().documents.values())[:100])
        return doc

    def find_document(self, ref: str) -> dict[str, Any]:
        """The document a person names: its id, the first characters of its id (at least 4,
        unique), its 文号, its title or a part of its title that only it contains. Several
        matches are an ``InvalidParameter`` listing them; none a ``NotFound`` saying what
        to give."""
        ref = (ref or "").strip()
        if not ref:
            raise InvalidParameter("document", "empty: give a document id, the first characters of one, or a title")
        cat = self.catalog()
        doc = cat.doc_by_id(ref)
        if doc is not None:
            return doc
        docs = sorted(cat.documents.values(), key=lambda d: d["id"])
        tests = [
            lambda d: len(ref) >= 4 and d["id"].startswith(ref),
            lambda d: ref in (d.get("doc_number"), d.get("title")),
            lambda d: ref in (d.get("title") or ""),
        ]
        for test in tests:
            hits = [d for d in docs if test(d)]
            if len(hits) == 1:
                return hits[0]
            if hits:
                shown = "; ".join(f"{d['id'][:8]} {d.get('title') or ''}".strip() for d in hits[:8])
                raise InvalidParameter("document", f"{ref!r} names {len(hits)} documents ({shown}): give more of the id or title")
        raise NotFound(f"no document {ref!r} in this workspace ({len(docs)} documents): give an id or its first "
                       "characters, a 文号 or a title (`policykg documents` lists them)")

    def _allowed(self, region: str | None, province: str | None, topic: str | None, year: int | None,
                 doc: str | None, has_target: bool | None) -> set[str] | None:
        """Clause IRIs the search filters allow (kg.read.allowed_clauses), None for no filter.
        Parameters are checked here first so that a bad one is a 422 naming the choices:
        region (adcode or name, sub-regions included), province (its name, or a prefix such
        as 山东), topic (narrower topics included), year (a target of the clause is due that
        year), doc, has_target."""
        from kg.read import allowed_clauses

        if all(v is None or v == "" for v in (region, province, topic, year, doc, has_target)):
            return None
        cat = self.catalog()
        if doc:
            self._check_doc(doc)
        code = self._check_region(region) if region else None
        province_name = None
        if province:
            names = {r["province"] for r in cat.regions.values() if r["province"]} | {
                r["name"] for r in cat.regions.values() if r["level"] == "province"}
            province_name = next(
                (n for n in names if n == province or (n and n.startswith(province) and len(province) >= 2)), None)
            if province_name is None:
                raise InvalidParameter("province", f"unknown province {province!r}", sorted(n for n in names if n))
        return allowed_clauses(self.store, region=code, province=province_name,
                               topic=self._check_topic(topic) if topic else None, deadline=year,
                               doc=doc or None, has_target=has_target)

