"""``PolicyKG``: the one facade that wires ingest → kg / embeddings (DESIGN.md, Interfaces).

Everything the HTTP app, the command line and the web page do goes through this class, and it
is the one place that holds all three packages (ingest, kg, embeddings). Its stages live in
modules of their own, mixed into the facade: ``api/ingestion.py`` (collect, check, one SHACL
pass, one store update, index, manifest), ``api/filters.py`` (parameter checks and the clause
IRIs a search may return) and ``api/graphview.py`` (neighbourhoods and exports through kg);
this module keeps the lazily opened components, the read models, search, questions, SPARQL
and health. Reads return plain JSON-ready dicts and
lists (the same JSON the HTTP API sends and ``policykg … --json`` prints).

Ingestion, per file: the size limit (``Settings.limits.max_file_bytes``, for files from disk as
for uploads) → sha256 against the manifest (same bytes from the same source → ``unchanged``;
from another path or name → ``duplicates`` with ``duplicate_of``, both before parsing)
→ ``ingest.load_document`` (a document id already stored from another source — the same text
in another format or folder — is a ``duplicate_of`` too: the stored source is never
overwritten) → ``ingest.extract.extract_facts`` (topic classifier: the embedding
one when available, else the lexical one) → ``kg.mapping`` graphs → ``kg.validate`` (a
violation rejects the file with the list) → ``store.replace_document`` → ``index.add`` →
manifest. SHACL runs once per file (the service's check; the store is told not to repeat it).
One bad file never stops the batch; if the index step fails after the store step the store
step is undone. A changed file replaces its earlier version and says so (``replaced`` lists
the ids it replaced): the manifest keys each document by its resolved source path (two files
with one name in different folders are two documents), or by the file name for HTTP uploads.

The search index follows the store: on open it is rebuilt from the store's clause texts when
its files are missing, when it was built with another model than the workspace's (the manifest
records the model), or when it lacks documents the store holds (vectors are cached by text
hash, so a rebuild re-encodes only text it has never seen). A query therefore never meets a
model mismatch; the rebuild is logged on stderr.

The store is opened lazily. One writer per Oxigraph folder: when another process (a running
``policykg serve``) holds the lock, the store is opened read-only and write methods raise
``WorkspaceError`` saying so. ``read_only=True`` opens it read-only on purpose (several
serving processes over one workspace, api/serving.py): nothing in the workspace is written
(no recovery, manifest, catalog or rebuilt index saved) and write methods raise
``ReadOnlyWorkspace`` (409) with ``read_only_reason``.
"""

from __future__ import annotations

import logging
import sys
import threading
import time
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, Self

from api.errors import InvalidParameter, NotFound, PolicyKGError, ReadOnlyWorkspace, WorkspaceError
from api.filters import Filters
from api.graphview import GraphView
from api.ingestion import (  # noqa: F401 - re-exported: the facade's public names
    SUPPORTED_SUFFIXES,
    FileFailed,
    Ingestion,
    IngestReport,
    ProgressFn,
    _without_clauses,
    collect_files,
    short_error,
)
from api.settings import Settings
from api.workspace import Manifest, Workspace

log = logging.getLogger("policykg")
FACTS_TTL_S = 30.0  # how long /health may report the store's counts without counting again
CATALOG_FILE = "catalog.json"  # the read model saved under the store state it was built from
ROW_CACHE = 200_000  # clause rows kept between reads (a few hundred MB at most)



@dataclass
class SparqlAnswer:
    body: bytes
    media_type: str
    form: str
    truncated: str | None
    result: Any  # kg.store.ReadOnlyResult


class PolicyKG(Ingestion, Filters, GraphView):
    """The service facade over one workspace (see the module docstring)."""

    def __init__(
        self,
        data_dir: str | Path | None = None,
        store_url: str | None = None,
        encoder: Any = None,
        *,
        read_only: bool = False,
        read_only_reason: str | None = None,
        settings: Settings | None = None,
    ) -> None:
        """``settings`` as the entry point read them (api/settings.py); without, they are read
        here from the arguments and the environment. ``read_only_reason``: why a
        ``read_only`` service refuses writes, said in the refusal (how to write instead)."""
        if settings is None:
            settings = Settings.from_env(data_dir, store_url,
                                         encoder=encoder if isinstance(encoder, str) else None)
        self.settings = settings
        self.workspace = Workspace.resolve(settings.data_dir, settings.store_url)
        self._encoder_arg = encoder if encoder is not None and not isinstance(encoder, str) else settings.encoder
        self._force_read_only = read_only
        self.read_only = read_only
        self.read_only_reason = read_only_reason
        self._lock = threading.RLock()  # opening components, building read models
        # writers (ingest, remove) take _write_lock for a whole batch, so readers are served
        # while a batch runs; the index's in-memory structures change under _index_lock only
        self._write_lock = threading.RLock()
        self._index_lock = threading.RLock()
        self._store: Any = None
        self._index: Any = None
        self._encoder: Any = None
        self._catalog: Any = None
        self._projection: Any = None

    # ------------------------------------------------------------------ lazy components

    @cached_property
    def topic_concepts(self) -> list[Any]:
        from kg.topics import load_topic_scheme

        return load_topic_scheme()

    @cached_property
    def gazetteer(self) -> Any:
        from ingest.regions import default_gazetteer

        return default_gazetteer()

    @property
    def encoder(self) -> Any:
        if self._encoder is not None:
            return self._encoder
        with self._lock:
            if self._encoder is None:
                arg = self._encoder_arg
                if arg is None or isinstance(arg, str):
                    from embeddings.encoders import get_encoder

                    spec = arg or self.workspace.load_manifest().encoder
                    self._encoder = get_encoder(spec)
                    self._encoder_spec = spec
                else:
                    self._encoder = arg
                    self._encoder_spec = getattr(arg, "spec", None)
            return self._encoder

    @property
    def store(self) -> Any:
        if self._store is not None:
            return self._store
        with self._lock:
            if self._store is None:
                self._store = self._open_store()
                if not self.read_only and not self.workspace.store_url:
                    self.recover()  # an interrupted ingest (api/journal.py); no-op without a journal
            return self._store

    def _open_store(self) -> Any:
        from kg.store import open_store

        ws = self.workspace
        if ws.store_url:
            # kg.store opens {data_dir}/store otherwise
            return open_store(None, ws.store_url, update_url=self.settings.store_update_url)
        if not self._force_read_only:
            ws.ensure()
            try:
                return open_store(ws.root, None)
            except Exception as exc:  # the lock of another process: fall back to read-only
                if not _looks_locked(exc):
                    raise
                log.warning("store %s is locked by another process: opening it read-only", ws.store_dir)
        self.read_only = True
        if not ws.store_dir.exists():
            raise WorkspaceError(f"no store in {ws.root}: run `policykg ingest` first")
        return open_store(ws.store_dir, None, read_only=True)

    @property
    def index(self) -> Any:
        if self._index is not None:
            return self._index
        with self._lock:
            if self._index is None:
                self._index = self._open_index()
            return self._index

    def _open_index(self) -> Any:
        from embeddings.index import SearchIndex

        ws = self.workspace
        if not self._force_read_only:
            ws.ensure()
        manifest = ws.load_manifest()
        encoder = self.encoder
        index = SearchIndex.open(ws.index_dir, encoder, self.topic_concepts, on_mismatch="reset",
                                 read_only=self._force_read_only)
        stored = set(self._store_doc_ids())
        indexed = set(index.doc_ids())
        # a document without clauses (a bare title, say) has nothing to index
        empty = _without_clauses(manifest)
        reason = None
        if index.needs_rebuild:
            reason = index.status
        elif manifest.model and manifest.model != encoder.name:
            reason = f"the workspace's model is {manifest.model}, this run uses {encoder.name}"
        elif stored - empty != indexed:
            reason = (f"{len(stored - empty - indexed)} document(s) missing, "
                      f"{len(indexed - stored)} extra")
        if reason:
            print(f"policykg: rebuilding the search index from the store ({reason})", file=sys.stderr)
            passages = [p for doc_id in sorted(stored) for p in self._passages_from_store(doc_id)]
            index.rebuild(passages)
            try:
                index.save()  # opened read-only on purpose: refused, kept in memory
            except Exception as exc:  # noqa: BLE001 - read-only media: keep it in memory
                log.warning("could not save the rebuilt index: %s", exc)
        elif getattr(index, "retokenised", False) and not self._force_read_only:
            try:  # the dictionary changed: keep the new tokens, so that the next start need not redo them
                index.save()
            except Exception as exc:  # noqa: BLE001 - a store locked elsewhere: keep them in memory
                log.warning("could not save the retokenised index: %s", exc)
        if not self.read_only and manifest.model != encoder.name:
            manifest.model = encoder.name
            manifest.encoder = getattr(self, "_encoder_spec", None) or manifest.encoder
            self._save_manifest(manifest)
        return index

    def close(self) -> None:
        with self._lock:
            if self._store is not None:
                # rdflib's Dataset sits in reference cycles, so dropping it frees nothing until
                # the garbage collector runs; closing its rdflib backend (oxrdflib's
                # OxigraphStore.close drops the pyoxigraph Store) releases the Oxigraph
                # folder's lock before this call returns, with no gc.collect().
                backend = getattr(getattr(self._store, "dataset", None), "store", None)
                try:
                    self._store.close()
                finally:
                    self._store = None
                    if backend is not None and hasattr(backend, "close"):
                        try:
                            backend.close()
                        except AttributeError:  # closed already
                            pass
            self._index = None
            self._catalog = None
            self._projection = None
            self.__dict__.pop("classifier", None)
            self.__dict__.pop("_facts", None)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _save_manifest(self, manifest: Manifest) -> None:
        if self.read_only:
            return
        self.workspace.save_manifest(manifest)

    def require_writable(self, what: str) -> None:
        """Raise the refusal a write meets (read-only on purpose, or another process's lock)
        before any of it is done; the HTTP app asks before it reads an upload."""
        if self._force_read_only:
            reason = self.read_only_reason or "the workspace is opened read-only"
            raise ReadOnlyWorkspace(f"cannot {what}: {reason}")
        _ = self.store  # opens it (and learns whether it is read-only)
        if self.read_only:
            raise WorkspaceError(
                f"cannot {what}: the store {self.workspace.store_dir} is held by another process "
                "(a running `policykg serve`?); stop it or use its HTTP API"
            )

    # ------------------------------------------------------------------ store adapters

    def _store_doc_ids(self) -> list[str]:
        return list(self.store.document_ids())

    def _store_facts(self) -> tuple[tuple[str, ...], int]:
        """The store's document ids and triple count, for /health. Counting is a scan of the
        store (seconds at 100× the corpus) and monitors ask often, so an embedded store's facts
        are kept for ``FACTS_TTL_S`` seconds or until this service writes (``_invalidate``); a
        SPARQL server, which others may write, is asked each time."""
        from kg.store import RemoteKGStore

        store = self.store
        remote = isinstance(store, RemoteKGStore)
        kept = self.__dict__.get("_facts")
        if kept is not None and time.monotonic() - kept[0] < FACTS_TTL_S and not remote:
            return kept[1]
        # one count at a time: while one request counts, the others report the last count (at
        # 100× eight monitors counting at once held /health for 15 s)
        lock = self.__dict__.setdefault("_facts_lock", threading.Lock())
        if not lock.acquire(blocking=kept is None or remote):
            return kept[1]
        try:
            kept = self.__dict__.get("_facts")
            if kept is not None and time.monotonic() - kept[0] < FACTS_TTL_S and not remote:
                return kept[1]  # counted while this request waited
            facts = (tuple(store.document_ids()), store.triple_count())
            self.__dict__["_facts"] = (time.monotonic(), facts)
        finally:
            lock.release()
        return facts

    def _passages_from_store(self, doc_id: str) -> list[Any]:
        from embeddings.index import Passage
        from kg.read import clause_texts

        return [
            Passage(id=row["clause_id"], doc_id=doc_id, text=row["text"])
            for row in clause_texts(self.store, doc_id)
            if row.get("text")
        ]

    # ------------------------------------------------------------------ read models

    def catalog(self) -> Any:
        """Documents, regions, targets, measures and bodies (cached until the next write)."""

        catalog = self._catalog
        if catalog is not None:
            return catalog
        with self._lock:
            if self._catalog is None:
                self._catalog = self._load_catalog()
            return self._catalog

    def _load_catalog(self) -> Any:
        """The catalog saved in the workspace for the store's current state, else built from
        the store and saved (api/readmodel.py); a workspace opened ``read_only`` or that cannot
        be written keeps it in memory."""
        from api.readmodel import Catalog, store_fingerprint

        store = self.store
        path = self.workspace.root / CATALOG_FILE
        fingerprint = store_fingerprint(store)
        catalog = Catalog.load_saved(path, fingerprint)
        if catalog is not None:
            return catalog
        catalog = Catalog.load(store)
        if self._force_read_only:  # opened read-only on purpose: the workspace is not written
            return catalog
        try:
            catalog.save(path, fingerprint)
        except OSError as exc:  # read-only media: keep it in memory
            log.warning("could not save the catalog: %s", exc)
        return catalog

    def _invalidate(self) -> None:
        self._catalog = None
        self._projection = None
        self.__dict__.pop("_facts", None)

    def documents(self) -> list[dict[str, Any]]:
        docs = [{k: v for k, v in d.items() if k != "iri"} for d in self.catalog().documents.values()]
        return sorted(docs, key=lambda d: ((d["source"] or {}).get("file") or "", d["id"]))

    def document(self, doc_id: str) -> dict[str, Any]:
        from kg.queries import run_named
        from kg.read import document_tree

        doc = dict(self._check_doc(doc_id))
        doc.pop("iri", None)
        tree = document_tree(self.store, doc_id)
        doc["cited"] = [{"title": c.get("cited_title"), "doc_number": c.get("cited_number")}
                        for c in run_named(self.store, "citations", doc=doc_id)]
        doc["clauses_count"] = doc.get("clauses")
        doc["clauses"] = tree
        doc["targets"] = list(self.catalog().targets_by_doc.get(doc_id, ()))
        return doc

    def _clause_rows(self, clause_ids: list[str]) -> dict[str, dict[str, Any]]:
        """Clause IRI → doc IRI, path, heading, text and topics (kg.read). Rows read once are
        kept with the catalog (until the next write): a search at 100× the corpus spent half its
        time reading the same rows over SPARQL."""
        from kg.read import clause_metadata, clause_topics

        if not clause_ids:
            return {}
        catalog = self.catalog()
        with self._lock:
            kept = self.__dict__.get("_row_cache")
            if kept is None or kept[0] is not catalog:
                kept = (catalog, {})
                self.__dict__["_row_cache"] = kept
            rows = kept[1]
            missing = [iri for iri in dict.fromkeys(clause_ids) if iri not in rows]
        fresh: dict[str, dict[str, Any]] = {}
        if missing:
            meta = clause_metadata(self.store, missing)
            topics = clause_topics(self.store, list(meta))
            fresh = {iri: {"doc_iri": m["doc"], "path": m.get("path"), "heading": m.get("heading"),
                           "text": m.get("text"), "topics": topics.get(iri, [])} for iri, m in meta.items()}
            with self._lock:
                if len(rows) + len(fresh) > ROW_CACHE:
                    rows.clear()
                rows.update(fresh)
        with self._lock:
            got = {iri: rows.get(iri) or fresh.get(iri) for iri in clause_ids}
        return {iri: {**row, "topics": list(row["topics"])} for iri, row in got.items() if row is not None}

    def clause_texts(self, clause_ids: list[str]) -> dict[str, dict[str, Any]]:
        """Clause IRI → ``{"text": …}`` for many clauses at once (the sentence a piece of evidence
        stands in): from the search index, which holds every clause's text in memory (an answer
        at 100× the corpus quotes thousands), and from the store for any the index lacks."""
        ids = list(clause_ids)
        with self._index_lock:
            found = self.index.texts(ids)
        rows = {iri: {"text": text} for iri, text in found.items()}
        missing = [iri for iri in ids if iri not in rows]
        if missing:
            rows.update({iri: {"text": r.get("text")} for iri, r in self._clause_rows(missing).items()})
        return rows

    def clause(self, clause_id: str) -> dict[str, Any]:
        from api.readmodel import resolve_clause_id

        try:
            iri = resolve_clause_id(clause_id)
        except ValueError:
            raise InvalidParameter("clause id", f"{clause_id!r}: expected a clause IRI or {{doc}}/{{path}}") from None
        rows = self._clause_rows([iri])
        if iri not in rows:
            raise NotFound(f"no clause {clause_id!r}")
        return self._clause_result(iri, rows[iri])

    def _clause_result(self, iri: str, row: dict[str, Any], score: float | None = None,
                       highlight: Any = None) -> dict[str, Any]:
        cat = self.catalog()
        doc = cat.documents.get(row["doc_iri"], {})
        measure = cat.measure_of(row["doc_iri"], row["path"])
        targets = [
            {k: t[k] for k in ("id", "value", "placeholder", "unit", "object", "comparator", "deadline",
                               "frequency", "period", "topics", "evidence")}
            for t in cat.targets_by_clause.get(iri, ())
        ]
        result = {
            "clause_id": iri,
            "doc": doc.get("id"),
            "title": doc.get("title"),
            "source_file": (doc.get("source") or {}).get("file"),
            "region": doc.get("region"),
            "path": row["path"],
            "heading": row.get("heading"),
            "text": row.get("text"),
            "topics": sorted(set(row.get("topics") or [])),
            "targets": targets,
            "bodies": measure["bodies"] if measure else [],
            "measure": {"id": measure["id"], "path": measure["path"], "heading": measure["heading"],
                        "topics": measure["topics"]} if measure else None,
        }
        if score is not None:
            result["score"] = score
            result["highlight"] = list(highlight) if highlight else None
        return result

    def targets(self, topic: str | None = None, region: str | None = None, year: int | None = None) -> list[dict[str, Any]]:
        topic = self._check_topic(topic)
        code = self._check_region(region)
        cat = self.catalog()
        out = []
        for t in cat.targets:
            if topic and topic not in t["topics"]:
                continue
            if year is not None and t["deadline"] != year:
                continue
            if code and not cat.within((t["region"] or {}).get("code"), code):
                continue
            out.append(t)
        return out

    def regions(self, parent: str | None = None) -> list[dict[str, Any]]:
        cat = self.catalog()
        code = self._check_region(parent, "parent") if parent else None
        docs_direct: dict[str, int] = {}
        docs_total: dict[str, int] = {}
        for d in cat.documents.values():
            rc = (d["region"] or {}).get("code")
            if rc:
                docs_direct[rc] = docs_direct.get(rc, 0) + 1
                for a in cat.ancestors(rc):
                    docs_total[a] = docs_total.get(a, 0) + 1
        targets_total: dict[str, int] = {}
        for t in cat.targets:
            rc = (t["region"] or {}).get("code")
            for a in cat.ancestors(rc) if rc else []:
                targets_total[a] = targets_total.get(a, 0) + 1
        out = []
        for r in cat.regions.values():
            if code is not None and r["parent"] != code:
                continue
            out.append({**{k: v for k, v in r.items() if k != "iri"}, "id": r["iri"],
                        "documents": docs_direct.get(r["code"], 0),
                        "documents_total": docs_total.get(r["code"], 0),
                        "targets": targets_total.get(r["code"], 0)})
        level_order = {"country": 0, "province": 1, "prefecture": 2, "county": 3, "township": 4}
        return sorted(out, key=lambda r: (level_order.get(r["level"] or "", 9), r["code"]))

    def bodies(self) -> list[dict[str, Any]]:
        """Every body with its jurisdiction, the measures it is responsible for and the
        documents those measures are in."""
        cat = self.catalog()
        out = [{"id": b["iri"], "name": b["name"], "kind": b["kind"], "region": cat.region_of_iri(b.get("region")),
                "measures": b["measures"], "documents": b["documents"]} for b in cat.bodies.values()]
        return sorted(out, key=lambda b: (-b["measures"], b["name"] or ""))

    def bodies_for_topic(self, topic: str) -> list[dict[str, Any]]:
        """Bodies responsible for measures on ``topic`` (incl. narrower topics, on the measure
        or its clause), each with the measures as evidence (kind "measure", role lead /
        participant / responsible, the measure's clause and quote)."""
        from kg.read import measure_bodies_on_topic

        topic = self._check_topic(topic)
        cat = self.catalog()
        groups: dict[str, dict[str, Any]] = {}
        for r in measure_bodies_on_topic(self.store, topic):
            doc = cat.documents.get(r["doc"], {})
            g = groups.setdefault(r["body"], {"id": r["body"], "name": r.get("name"), "kind": r.get("kind") or None,
                                              "region": cat.region_of_iri(r.get("jurisdiction")),
                                              "level": "measure", "evidence": []})
            g["evidence"].append({
                "kind": "measure", "role": r.get("role"), "measure": r["measure"], "doc": doc.get("id") or r.get("id"),
                "title": doc.get("title"), "source_file": (doc.get("source") or {}).get("file"),
                "path": r.get("path"), "clause_id": r.get("clause"), "heading": r.get("heading"),
                "quote": r.get("text") or r.get("heading"), "document_region": doc.get("region"),
            })
        return sorted(groups.values(), key=lambda g: (-len(g["evidence"]), g["name"] or ""))

    def document_bodies_for_topic(self, topic: str) -> list[dict[str, Any]]:
        """Bodies tied at DOCUMENT level (issuer, forwarder, addressee) to the documents whose
        clauses are on ``topic``; each with those documents as evidence (kind "document", the
        role, and one on-topic clause as the quote). This says who issued or received the
        documents on the topic, not who is responsible for a measure on it."""
        from kg.read import clause_metadata, document_bodies_on_topic

        topic = self._check_topic(topic)
        cat = self.catalog()
        rows = document_bodies_on_topic(self.store, topic)
        examples = clause_metadata(self.store, [r["example_clause"] for r in rows if r.get("example_clause")])
        groups: dict[str, dict[str, Any]] = {}
        for r in rows:
            doc = cat.documents.get(r["doc"], {})
            example = examples.get(r.get("example_clause") or "", {})
            g = groups.setdefault(r["body"], {"id": r["body"], "name": r.get("name"), "kind": r.get("kind") or None,
                                              "region": cat.region_of_iri(r.get("jurisdiction")),
                                              "level": "document", "evidence": []})
            g["evidence"].append({
                "kind": "document", "role": r.get("role"), "doc": doc.get("id") or r.get("id"),
                "title": doc.get("title") or r.get("title"), "source_file": (doc.get("source") or {}).get("file"),
                "clauses_on_topic": r.get("clauses") or 0, "path": example.get("path"),
                "clause_id": r.get("example_clause"), "quote": example.get("text"),
                "document_region": doc.get("region"),
            })
        return sorted(groups.values(), key=lambda g: (-len(g["evidence"]), g["name"] or ""))

    def topics(self) -> list[dict[str, Any]]:
        cat = self.catalog()
        targets: dict[str, int] = {}
        measures: dict[str, int] = {}
        for t in cat.targets:
            for tp in t["topics"]:
                targets[tp] = targets.get(tp, 0) + 1
        for m in cat.measures.values():
            for tp in m["topics"]:
                measures[tp] = measures.get(tp, 0) + 1
        from kg.namespaces import topic_iri as _topic_iri

        return [
            {"id": c.id, "iri": str(_topic_iri(c.id)), "label_zh": c.label_zh, "label_en": c.label_en,
             "alt_zh": c.alt_zh, "alt_en": c.alt_en, "definition": c.definition,
             "measures": measures.get(c.id, 0), "targets": targets.get(c.id, 0)}
            for c in self.topic_concepts
        ]

    # ------------------------------------------------------------------ search

    def _results(self, hits: list[Any]) -> list[dict[str, Any]]:
        rows = self._clause_rows([h.id for h in hits])
        out = []
        for h in hits:
            row = rows.get(h.id) or {"doc_iri": None, "path": None, "text": h.text, "topics": []}
            out.append(self._clause_result(h.id, row, round(float(h.score), 6), h.highlight))
        return out

    def search(self, q: str, k: int = 10, region: str | None = None, province: str | None = None,
               topic: str | None = None, year: int | None = None, doc: str | None = None,
               has_target: bool | None = None, mode: str = "hybrid") -> dict[str, Any]:
        if not q or not q.strip():
            raise InvalidParameter("q", "empty query")
        max_k = self.settings.limits.max_k
        if not 1 <= k <= max_k:
            raise InvalidParameter("k", f"{k} is outside 1..{max_k}")
        allowed = self._allowed(region, province, topic, year, doc, has_target)
        index = self.index
        with self._index_lock:
            hits = index.search(q, k=k, allowed=allowed, mode=mode)
        result: dict[str, Any] = {"query": q, "results": self._results(hits)}
        expansion = next((h.explain.get("expansion") for h in hits if h.explain.get("expansion")), None)
        if expansion:
            result["interpreted"] = {"expansion": expansion}
        filters = {k_: v for k_, v in {"region": region, "province": province, "topic": topic,
                                          "year": year, "doc": doc, "has_target": has_target}.items() if v is not None}
        if filters:
            result["filters"] = filters
        return result

    def precedents(self, text: str, k: int = 10, exclude_region: str | None = None) -> dict[str, Any]:
        """Similar clauses from other regions' plans, grouped by region and document; the
        best clause of each document first."""
        if not text or not text.strip():
            raise InvalidParameter("text", "empty draft text")
        max_k = self.settings.limits.max_k
        if not 1 <= k <= max_k:
            raise InvalidParameter("k", f"{k} is outside 1..{max_k}")
        cat = self.catalog()
        exclude: list[str] = []
        if exclude_region:
            code = self._check_region(exclude_region, "exclude_region")
            exclude = [d["id"] for d in cat.documents.values() if cat.within((d["region"] or {}).get("code"), code)]
        index = self.index
        with self._index_lock:
            hits = index.precedents(text, k=k, exclude_doc_ids=exclude)
        results = self._results(hits)
        groups: dict[str, dict[str, Any]] = {}
        for r in results:
            key = (r["region"] or {}).get("code") or "(no region)"
            g = groups.setdefault(key, {"region": r["region"], "documents": {}})
            d = g["documents"].setdefault(r["doc"], {"doc": r["doc"], "title": r["title"],
                                                     "source_file": r["source_file"], "clauses": []})
            d["clauses"].append(r)
        grouped = [{"region": g["region"], "documents": list(g["documents"].values())} for g in groups.values()]
        return {"text": text, "exclude_region": exclude_region, "groups": grouped, "results": results}

    # ------------------------------------------------------------------ questions

    @property
    def encoder_if_loaded(self) -> Any:
        return self._encoder

    def clauses_containing(self, phrase: str) -> list[dict[str, Any]]:
        """Clauses that state ``phrase``: exactly, or with quotation marks or a few words in
        between (消除大班额 matches 消除中小学“大班额”); each with the sentence as its quote."""
        import re as _re

        from kg.read import clauses_containing

        core = _re.sub(r"[“”\"'‘’「」『』]", "", phrase).strip()
        if len(core) < 2:
            return []
        anchor = core[-3:] if len(core) >= 3 else core
        gap = r"[“”\"'‘’「」『』]?"
        exact = gap.join(_re.escape(ch) for ch in core)
        loose = exact if len(core) < 4 else (
            gap.join(_re.escape(ch) for ch in core[:2]) + r"[^。；;]{0,8}?" + gap.join(_re.escape(ch) for ch in core[2:]))
        pattern = _re.compile(f"{exact}|{loose}")
        hits = clauses_containing(self.store, anchor)
        rows = self._clause_rows([h["clause"] for h in hits])
        out = []
        for h in hits:
            text = h["text"] or ""
            m = pattern.search(text)
            if not m:
                continue
            r = self._clause_result(h["clause"], rows.get(h["clause"]) or {
                "doc_iri": h["doc"], "path": h["path"], "text": text, "topics": []})
            i = m.start()
            start = max(text.rfind("。", 0, i), text.rfind("；", 0, i), text.rfind("\n", 0, i)) + 1
            ends = [j for j in (text.find("。", m.end()), text.find("；", m.end())) if j >= 0]
            end = min(ends) + 1 if ends else len(text)
            r["quote"] = text[start:end].strip()
            r["match"] = m.group(0)
            out.append(r)
        return out

    def clauses_on_topic(self, topic: str, k: int = 30) -> list[dict[str, Any]]:
        """Clauses the graph tags with ``topic``, best matches of the topic labels first."""
        concept = next(c for c in self.topic_concepts if c.id == topic)
        return self.search(f"{concept.label_zh} {' '.join(concept.alt_zh[:4])}", k=k, topic=topic)["results"]

    def warm(self) -> None:
        """Load what answering a question needs (encoder, index, expander dictionaries, jieba's
        tables, ask's clause table and romanised place names) before the first request."""
        from api.ask import warm

        warm(self)
        try:
            self._store_facts()  # /health's counts: a scan of the store, seconds at 100× the corpus
        except Exception as exc:  # noqa: BLE001 - /health reports a store it cannot read
            log.warning("could not count the store: %s", exc)

    def ask(self, q: str, per_region: int | None = None) -> dict[str, Any]:
        """The answer to question ``q`` (``api.ask``); ``per_region`` lists at most that many
        documents of each region with their evidence (None or 0: every one; the default here,
        so that evaluations and other callers see complete answers). Every region is listed
        either way, with ``documents_total``."""
        from api.ask import answer

        if not q or not q.strip():
            raise InvalidParameter("q", "empty question")
        if per_region is not None and per_region < 0:
            raise InvalidParameter("per_region", f"must be 0 (every document) or more, not {per_region}")
        return answer(q, self, per_region=per_region)

    # ------------------------------------------------------------------ SPARQL and health

    def sparql(self, query: str, accept: str | None = None, format: str | None = None,
               time_limit: float | None = None, row_limit: int | None = None) -> SparqlAnswer:
        """Run a read-only query under a time and a row limit (default: the settings' limits)
        with ``kg.store.run_readonly``; serialise by ``accept``. kg's errors (update,
        syntax, timeout) pass through; a failure inside the store is a ``QueryError``."""
        from api.errors import QueryError, kg_error_status
        from api.sparql_protocol import negotiate, serialize
        from kg.store import run_readonly

        limits = self.settings.limits
        store = self.store
        try:
            result = run_readonly(store, query, timeout_s=time_limit or limits.sparql_timeout_s,
                                  limit=row_limit or limits.sparql_rows, partial=True)
        except Exception as exc:
            if isinstance(exc, PolicyKGError) or kg_error_status(exc) is not None:
                raise
            raise QueryError(f"query failed: {short_error(exc)}") from exc
        media = negotiate(result.form, accept, format)
        return SparqlAnswer(serialize(result, media), media, result.form, result.reason, result)

    def health(self) -> dict[str, Any]:
        ws = self.workspace
        out: dict[str, Any] = {"workspace": str(ws.root), "status": "ok"}
        try:
            store = self.store
            out["store"] = {"kind": getattr(store, "kind", type(store).__name__),
                            "url": ws.store_url, "read_only": self.read_only,
                            "documents": len(self._store_facts()[0]), "triples": self._store_facts()[1]}
        except Exception as exc:  # noqa: BLE001 - health reports, it does not fail
            out["status"] = "error"
            out["store"] = {"error": short_error(exc)}
        out["read_only"] = self.read_only
        manifest = ws.load_manifest()
        out["manifest"] = {"documents": len(manifest.documents), "schema_version": manifest.schema_version,
                           "model": manifest.model}
        if self._index is not None:
            out["index"] = {"passages": len(self._index), "documents": len(self._index.doc_ids()),
                            "model": self._index.model_name if hasattr(self._index, "model_name") else None}
        else:
            out["index"] = {"loaded": False, "files": (ws.index_dir / "meta.json").exists()}
        out["model"] = self._encoder.name if self._encoder is not None else manifest.model
        out["consistency"] = self._consistency(manifest)
        if out["consistency"].get("agree") is False and out["status"] == "ok":
            out["status"] = "degraded"
            out["warning"] = out["consistency"]["detail"]
        return out

    def _consistency(self, manifest: Manifest) -> dict[str, Any]:
        """Whether the store, the search index and the manifest hold the same documents, and
        whether an ingest was interrupted (api/journal.py)."""
        from api.journal import Journal
        from embeddings.index import indexed_doc_ids

        try:
            stored = set(self._store_facts()[0])
        except Exception:  # noqa: BLE001 - reported under "store"
            return {"agree": None, "detail": "the store cannot be read"}
        listed = set(manifest.documents)
        indexed = set(self._index.doc_ids()) if self._index is not None else indexed_doc_ids(self.workspace.index_dir)
        problems = []
        for name, ids in (("the manifest", listed), ("the search index", indexed)):
            if ids is None:
                continue
            if name == "the search index":
                ids = ids | (stored & _without_clauses(manifest))  # nothing of theirs to index
            if ids - stored:
                problems.append(f"{name} has {len(ids - stored)} document(s) the store lacks: {', '.join(sorted(ids - stored)[:5])}")
            if stored - ids:
                problems.append(f"the store has {len(stored - ids)} document(s) {name} lacks: {', '.join(sorted(stored - ids)[:5])}")
        pending = sorted(Journal.of(self.workspace.root).entries())
        if pending:
            problems.append(f"an interrupted ingest left {', '.join(pending[:5])} unsettled (open the workspace for writing to recover)")
        return {"agree": not problems, "documents": len(stored), "detail": "; ".join(problems) or
                "the store, the search index and the manifest hold the same documents"}

    def select(self, sparql: str) -> list[dict[str, Any]]:
        return self.store.select(sparql)


# ---------------------------------------------------------------------- helpers


def _looks_locked(exc: BaseException) -> bool:
    text = f"{type(exc).__name__} {exc}".lower()
    return any(w in text for w in ("lock", "resource temporarily unavailable", "being used", "busy"))


def _clear_dir(path: Path) -> None:
    if not path.exists():
        return
    for child in path.iterdir():
        if child.is_file():
            child.unlink()
