"""The service's cache of the small, often joined tables, built from kg's read models.

Every read goes through kg's named queries (kg/queries/*.rq via kg.read and kg.queries);
this module holds no SPARQL. ``Catalog`` joins documents, regions, targets, measures and bodies
once per store state (the service rebuilds it after every write) and shapes them as the JSON
the HTTP API, the command line and the web page read.

The catalog is kept in the workspace (``save``/``load_saved``, ``catalog.json``) under a
fingerprint of the store state (``store_fingerprint``: the document graphs, the triple count and
this module's code with its queries), so opening a workspace reads it instead of joining the
whole graph again (a minute at 100× the seeds); any write to the store, or a change of this
code, changes the fingerprint and the catalog is built again, then saved.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.namespaces import clause_iri, doc_id_of, doc_iri, local_id
from kg.queries import run_named


def _topic_ids(text: str | None) -> list[str]:
    return sorted({local_id(t, "topic/") or t for t in str(text or "").split()})


def _num(v: Any) -> float | int | None:
    if v is None or isinstance(v, bool):
        return None
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return int(f) if f.is_integer() else f


def _str(v: Any) -> str | None:
    return None if v is None else str(v)


@dataclass
class Catalog:
    """The small tables every read joins with, loaded once per store state."""

    documents: dict[str, dict[str, Any]] = field(default_factory=dict)  # doc IRI → row
    regions: dict[str, dict[str, Any]] = field(default_factory=dict)  # code → region dict
    targets: list[dict[str, Any]] = field(default_factory=list)
    measures: dict[str, dict[str, Any]] = field(default_factory=dict)  # measure IRI → row
    bodies: dict[str, dict[str, Any]] = field(default_factory=dict)  # body IRI → row
    # lookups over the tables above (built by _index, never saved)
    targets_by_clause: dict[str, list[dict[str, Any]]] = field(default_factory=dict, repr=False, compare=False)
    targets_by_doc: dict[str, list[dict[str, Any]]] = field(default_factory=dict, repr=False, compare=False)
    measures_by_doc: dict[str, list[dict[str, Any]]] = field(default_factory=dict, repr=False, compare=False)

    def _index(self) -> Catalog:
        self.targets_by_clause, self.targets_by_doc, self.measures_by_doc = {}, {}, {}
        for t in self.targets:
            self.targets_by_clause.setdefault(t.get("clause_id") or "", []).append(t)
            self.targets_by_doc.setdefault(t.get("doc") or "", []).append(t)
        for m in self.measures.values():
            if m["path"]:
                self.measures_by_doc.setdefault(m["doc_iri"], []).append(m)
        return self

    # ---------------------------------------------------------------- kept in the workspace

    def to_dict(self) -> dict[str, Any]:
        return {"documents": self.documents, "regions": self.regions, "targets": self.targets,
                "measures": self.measures, "bodies": self.bodies}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Catalog:
        return cls(documents=data["documents"], regions=data["regions"], targets=data["targets"],
                   measures=data["measures"], bodies=data["bodies"])._index()

    def save(self, path: Path, fingerprint: str) -> None:
        """Write the catalog under ``fingerprint`` atomically (temp file, then rename)."""
        path = Path(path)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps({"fingerprint": fingerprint, "catalog": self.to_dict()},
                                  ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
        os.replace(tmp, path)

    @classmethod
    def load_saved(cls, path: Path, fingerprint: str) -> Catalog | None:
        """The catalog saved at ``path`` if it was saved under ``fingerprint``; else None."""
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
            if data.get("fingerprint") != fingerprint:
                return None
            return cls.from_dict(data["catalog"])
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None

    @classmethod
    def load(cls, store: Any) -> Catalog:
        cat = cls()
        for r in run_named(store, "read_regions"):
            cat.regions.setdefault(r["code"], {
                "code": _str(r["code"]),
                "name": r.get("name"),
                "level": r.get("level"),
                "province": r.get("province"),
                "full_name": r.get("full_name"),
                "anonymised": r.get("anonymised") is True,
                "parent": _str(r.get("parent_code")),
                "lon": _num(r.get("lon")),
                "lat": _num(r.get("lat")),
                "iri": r["region"],
            })
        for r in run_named(store, "read_documents"):
            d = r["doc"]
            if d in cat.documents:
                continue
            region = cat.regions.get(_str(r.get("code")) or "")
            cat.documents[d] = {
                "id": r["id"],
                "iri": d,
                "title": r.get("title"),
                "issuer": r.get("issuer_name"),
                "forwarded_by": r.get("forwarder_name"),
                "date": _str(r.get("date")),
                "doc_number": r.get("doc_number"),
                "region": cat.region_ref(region),
                "anonymised": bool(region and region["anonymised"]),
                "period": _str(r.get("period")),
                "kind": r.get("kind"),
                "source": {"file": r.get("source"), "sha256": r.get("sha256")},
                "clauses": r.get("clauses") or 0,
            }
        for r in run_named(store, "read_bodies"):
            cat.bodies[r["body"]] = {
                "iri": r["body"],
                "name": r.get("name"),
                "kind": r.get("kind") or None,
                "region": r.get("jurisdiction"),
                "measures": r.get("measures") or 0,
                "documents": r.get("documents") or 0,
            }
        for r in run_named(store, "read_measures"):
            m = cat.measures.setdefault(r["measure"], {
                "id": r["measure"],
                "doc_iri": str(doc_iri(doc_id_of(r["measure"]) or "")),
                "path": r.get("path"),
                "heading": r.get("heading"),
                "topics": _topic_ids(r.get("topics")),
                "bodies": [],
                "targets": [],
            })
            if r.get("body"):
                m["bodies"].append({"id": r["body"], "name": r.get("body_name"), "kind": r.get("kind") or None,
                                    "role": r.get("role") or "responsible"})
        seen: set[str] = set()
        for r in run_named(store, "read_targets"):
            t = r["target"]
            if t in seen:
                continue
            seen.add(t)
            doc = cat.documents.get(r["doc"], {})
            measure = cat.measures.get(r.get("measure") or "")
            if measure is not None:
                measure["targets"].append(t)
            cat.targets.append({
                "id": t,
                "n": r["n"],
                "doc": doc.get("id") or r.get("id"),
                "title": doc.get("title"),
                "source_file": (doc.get("source") or {}).get("file"),
                "region": doc.get("region"),
                "value": None if r.get("placeholder") is True else _num(r.get("value")),
                "value_max": _num(r.get("value_max")),
                "placeholder": r.get("placeholder") is True,
                "unit": r.get("unit"),
                "object": r.get("object"),
                "comparator": r.get("comparator") or "=",
                "deadline": r.get("deadline"),
                "frequency": r.get("frequency"),
                "period": _str(r.get("period")),
                "topics": _topic_ids(r.get("topics")),
                "clause_id": r.get("clause"),
                "measure": {"id": measure["id"], "path": measure["path"], "heading": measure["heading"]}
                if measure else None,
                "bodies": measure["bodies"] if measure else [],
                "evidence": {"clause": r.get("path"), "quote": r.get("quote"),
                             "start": _num(r.get("start")), "end": _num(r.get("end"))},
            })
        cat.targets.sort(key=lambda t: (t["doc"] or "", t["n"]))
        return cat._index()

    # ---------------------------------------------------------------- regions

    def region_ref(self, region: dict[str, Any] | None) -> dict[str, Any] | None:
        if not region:
            return None
        return {k: region.get(k) for k in ("code", "name", "full_name", "level", "province", "anonymised")}

    def region_of_iri(self, iri: str | None) -> dict[str, Any] | None:
        code = local_id(iri, "region/") if iri else None
        return self.region_ref(self.regions.get(code or ""))

    def ancestors(self, code: str) -> list[str]:
        """``code`` and its parents up the chain, as far as the graph knows them."""
        chain: list[str] = []
        while code and code not in chain:
            chain.append(code)
            code = (self.regions.get(code) or {}).get("parent")
        return chain

    def within(self, code: str | None, ancestor: str) -> bool:
        return bool(code) and ancestor in self.ancestors(code)  # type: ignore[arg-type]

    def doc_by_id(self, doc_id: str) -> dict[str, Any] | None:
        return self.documents.get(str(doc_iri(doc_id)))

    # ---------------------------------------------------------------- measures for a clause

    def measure_of(self, doc_iri_: str, path: str | None) -> dict[str, Any] | None:
        """The measure of a clause: the one on the clause itself or its nearest ancestor."""
        if not path:
            return None
        best = None
        for m in self.measures_by_doc.get(doc_iri_, ()):
            on_it = path == m["path"] or path.startswith(m["path"] + ".")
            if on_it and (best is None or len(m["path"]) > len(best["path"])):
                best = m
        return best


_QUERIES = ("read_regions", "read_documents", "read_bodies", "read_measures", "read_targets")


def _code_version() -> str:
    from kg.queries import QUERY_DIR

    h = hashlib.sha256(Path(__file__).read_bytes())
    for name in _QUERIES:
        h.update((QUERY_DIR / f"{name}.rq").read_bytes())
    return h.hexdigest()[:16]


def store_fingerprint(store: Any) -> str:
    """The store state a catalog was built from: its document graphs (a document id is derived
    from the text, so a changed document is another id), its triple count (any write adds or
    drops triples) and the code that builds the catalog. Costs a graph listing and a count."""
    h = hashlib.sha256(_code_version().encode())
    h.update("\n".join(sorted(store.graph_names())).encode())
    h.update(str(store.triple_count()).encode())
    return h.hexdigest()


def resolve_clause_id(clause_id: str) -> str:
    """A clause IRI, or ``{doc}/{path}`` → the clause IRI."""
    if clause_id.startswith(("http://", "https://")):
        return clause_id
    doc, _, path = clause_id.partition("/")
    if not doc or not path:
        raise ValueError(clause_id)
    return str(clause_iri(doc, path))
