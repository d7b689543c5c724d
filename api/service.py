"""``PolicyKG``: the one facade that wires ingest → kg / embeddings (DESIGN.md, Interfaces).

Everything the HTTP app, the command line and the web page do goes through this class, and it
is the only module that imports all three packages. Reads return plain JSON-ready dicts and
lists (the same JSON the HTTP API sends and ``policykg … --json`` prints).

Ingestion, per file: sha256 against the manifest (same bytes → ``unchanged``, before parsing)
→ ``ingest.load_document`` → ``ingest.extract.extract_facts`` (topic classifier: the embedding
one when available, else the lexical one) → ``kg.mapping`` graphs → ``kg.validate`` (a
violation rejects the file with the list) → ``store.replace_document`` → ``index.add`` →
manifest. One bad file never stops the batch; if the index step fails after the store step the
store step is undone. A changed file replaces its earlier version: the manifest keys each
document by its resolved source path (two files with one name in different folders are two
documents), or by the file name for HTTP uploads.

The search index follows the store: on open it is rebuilt from the store's clause texts when
its files are missing, when it was built with another model than the workspace's (the manifest
records the model), or when it lacks documents the store holds (vectors are cached by text
hash, so a rebuild re-encodes only text it has never seen). A query therefore never meets a
model mismatch; the rebuild is logged on stderr.

The store is opened lazily. One writer per Oxigraph folder: when another process (a running
``policykg serve``) holds the lock, the store is opened read-only and write methods raise
``WorkspaceError`` saying so.
"""

from __future__ import annotations

import hashlib
import logging
import sys
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Self

from api.errors import InvalidParameter, NotFound, PolicyKGError, WorkspaceError
from api.workspace import DocumentEntry, Manifest, Workspace, now_iso

log = logging.getLogger("policykg")

SUPPORTED_SUFFIXES = (".txt", ".html", ".htm", ".docx", ".pdf")
MAX_K = 100

ProgressFn = Callable[[int, int, str, str], None]  # (done, total, file, status)


@dataclass
class IngestReport:
    """What one ``ingest`` call did: ``added`` and ``unchanged`` documents, ``failed`` files."""

    added: list[dict[str, Any]] = field(default_factory=list)
    unchanged: list[dict[str, Any]] = field(default_factory=list)
    failed: list[dict[str, Any]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failed

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class FileFailed(Exception):
    """One file could not be ingested; ``reason`` is shown to the user."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass
class SparqlAnswer:
    body: bytes
    media_type: str
    form: str
    truncated: str | None
    result: Any  # api.sparql_protocol.LimitedResult


def collect_files(paths: Iterable[str | Path]) -> tuple[list[Path], list[dict[str, str]]]:
    """Files to ingest from files and folders (recursively, supported suffixes, sorted);
    paths that do not exist are returned as failures."""
    files: list[Path] = []
    missing: list[dict[str, str]] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(
                p for p in path.rglob("*")
                if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
            files.extend(found)
        elif path.is_file():
            files.append(path)  # an unsupported suffix is reported by the reader, by name
        else:
            missing.append({"file": str(path), "error": "no such file or directory"})
    seen: set[Path] = set()
    unique = [p for p in files if not (p.resolve() in seen or seen.add(p.resolve()))]
    return unique, missing


def _short_error(exc: BaseException) -> str:
    reason = getattr(exc, "reason", None)
    text = str(reason if reason else exc).strip() or type(exc).__name__
    return text if len(text) < 2000 else text[:2000] + " …"


class PolicyKG:
    """The service facade over one workspace (see the module docstring)."""

    def __init__(
        self,
        data_dir: str | Path | None = None,
        store_url: str | None = None,
        encoder: Any = None,
        *,
        read_only: bool = False,
    ) -> None:
        self.workspace = Workspace.resolve(data_dir, store_url)
        self._encoder_arg = encoder
        self._force_read_only = read_only
        self.read_only = read_only
        self._lock = threading.RLock()
        self._store: Any = None
        self._index: Any = None
        self._encoder: Any = None
        self._catalog: Any = None

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
        with self._lock:
            if self._store is None:
                self._store = self._open_store()
            return self._store

    def _open_store(self) -> Any:
        from kg.store import open_store

        ws = self.workspace
        if ws.store_url:
            return open_store(None, ws.store_url)  # kg.store opens {data_dir}/store otherwise
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
        return _open_store_read_only(ws.store_dir)

    @property
    def index(self) -> Any:
        with self._lock:
            if self._index is None:
                self._index = self._open_index()
            return self._index

    def _open_index(self) -> Any:
        from embeddings.index import SearchIndex

        ws = self.workspace
        ws.ensure()
        manifest = ws.load_manifest()
        encoder = self.encoder
        index = SearchIndex.open(ws.index_dir, encoder, self.topic_concepts, on_mismatch="reset")
        stored = set(self._store_doc_ids())
        indexed = set(index.doc_ids())
        reason = None
        if index.needs_rebuild:
            reason = index.status
        elif manifest.model and manifest.model != encoder.name:
            reason = f"the workspace's model is {manifest.model}, this run uses {encoder.name}"
        elif stored != indexed:
            reason = f"{len(stored - indexed)} document(s) missing, {len(indexed - stored)} extra"
        if reason:
            print(f"policykg: rebuilding the search index from the store ({reason})", file=sys.stderr)
            passages = [p for doc_id in sorted(stored) for p in self._passages_from_store(doc_id)]
            index.rebuild(passages)
            try:
                index.save()
            except Exception as exc:  # noqa: BLE001 - read-only media: keep it in memory
                log.warning("could not save the rebuilt index: %s", exc)
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
            self.__dict__.pop("classifier", None)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _save_manifest(self, manifest: Manifest) -> None:
        if self.read_only:
            return
        self.workspace.save_manifest(manifest)

    def _require_writable(self, what: str) -> None:
        _ = self.store  # opens it (and learns whether it is read-only)
        if self.read_only:
            raise WorkspaceError(
                f"cannot {what}: the store {self.workspace.store_dir} is held by another process "
                "(a running `policykg serve`?); stop it or use its HTTP API"
            )

    # ------------------------------------------------------------------ ingestion

    @cached_property
    def classifier(self) -> Any:
        """The embedding topic classifier when available, else the lexical one, else None."""
        try:
            from embeddings.topics import EmbeddingTopicClassifier

            return EmbeddingTopicClassifier(self.encoder, self.topic_concepts, cache=self.index.cache)
        except ImportError:
            pass
        try:
            from ingest.extract.topics import LexicalTopicClassifier

            return LexicalTopicClassifier(self.topic_concepts)
        except ImportError:
            return None

    def ingest(self, paths: Sequence[str | Path] | str | Path, progress: ProgressFn | None = None,
               *, uploads: bool = False) -> IngestReport:
        """Ingest files or folders; see the module docstring for the steps and guarantees.
        A file replaces the earlier version from the same resolved path; with ``uploads``
        (files received over HTTP into a temporary folder), from the same file name."""
        if isinstance(paths, (str, Path)):
            paths = [paths]
        report = IngestReport()
        files, missing = collect_files(paths)
        report.failed.extend(missing)
        total = len(files)
        if progress:
            progress(0, total, "", "start")
        if not files:
            return report
        with self._lock:
            self._require_writable("ingest")
            manifest = self.workspace.load_manifest()
            for n, path in enumerate(files, 1):
                status = "failed"
                try:
                    status, info = self._ingest_one(path, manifest, uploads=uploads)
                    (report.added if status == "added" else report.unchanged).append(info)
                except FileFailed as exc:
                    report.failed.append({"file": str(path), "error": exc.reason})
                except PolicyKGError as exc:
                    report.failed.append({"file": str(path), "error": exc.message})
                except Exception as exc:
                    log.exception("ingest of %s failed", path)
                    report.failed.append({"file": str(path), "error": f"{type(exc).__name__}: {_short_error(exc)}"})
                if progress:
                    progress(n, total, str(path), status)
        return report

    def _ingest_one(self, path: Path, manifest: Manifest, *, uploads: bool = False) -> tuple[str, dict[str, Any]]:
        from ingest import load_document
        from ingest.extract import extract_facts
        from kg.mapping import document_graph, shared_graph
        from kg.validate import validate

        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise FileFailed("the file vanished before it could be read") from None
        except OSError as exc:
            raise FileFailed(f"cannot read the file: {exc.strerror or exc}") from None
        sha = hashlib.sha256(data).hexdigest()
        known = manifest.by_sha256(sha)
        if known is not None:
            return "unchanged", {"id": known.id, "file": str(path), "title": known.title}
        try:
            doc = load_document(path)
        except FileNotFoundError:
            raise FileFailed("the file vanished before it could be read") from None
        except Exception as exc:  # IngestError names the file and the reason
            raise FileFailed(_short_error(exc)) from exc
        facts = extract_facts(doc, self.topic_concepts, classifier=self.classifier, gazetteer=self.gazetteer)
        doc_graph = document_graph(doc, facts)
        common_graph = shared_graph(doc, facts)
        violations = validate(doc_graph, common_graph)
        if violations:
            shown = "; ".join(violations[:10]) + (f" (and {len(violations) - 10} more)" if len(violations) > 10 else "")
            raise FileFailed(f"rejected: the graph violates {len(violations)} SHACL constraint(s): {shown}")
        passages = self._passages(doc)
        index = self.index
        store = self.store
        existed = doc.id in manifest.documents or doc.id in set(index.doc_ids())
        source_key = path.name if uploads else str(path.resolve())
        previous = [e for e in manifest.by_source_key(source_key, upload=uploads) if e.id != doc.id]
        store.replace_document(doc.id, doc_graph, common_graph)
        try:
            if doc.id in set(index.doc_ids()):
                index.remove(doc.id)
            index.add(doc.id, passages)
            index.save()
        except Exception as exc:
            if not existed:  # undo the store step: the store never holds what the index lacks
                try:
                    store.remove_document(doc.id)
                    index.remove(doc.id)
                except Exception:
                    log.exception("undo of %s failed", doc.id)
            raise FileFailed(f"indexing failed, nothing stored: {_short_error(exc)}") from exc
        for old in previous:  # a changed file from the same source replaces its earlier version
            store.remove_document(old.id)
            if old.id in set(index.doc_ids()):
                index.remove(old.id)
            manifest.documents.pop(old.id, None)
        if previous:
            index.save()
        manifest.documents[doc.id] = DocumentEntry(
            id=doc.id,
            source_file=doc.source.file,
            sha256=sha,
            title=doc.title,
            source_path=str(path.resolve()),
            source_key=source_key,
            clauses=len(passages),
            ingested_at=now_iso(),
        )
        manifest.model = self.encoder.name
        manifest.encoder = getattr(self, "_encoder_spec", None) or manifest.encoder
        self._save_manifest(manifest)
        self._invalidate()
        info = {
            "id": doc.id,
            "file": str(path),
            "title": doc.title,
            "clauses": len(passages),
            "targets": len(facts.targets),
            "region": facts.region.name if facts.region else None,
        }
        if previous:
            info["replaced"] = [old.id for old in previous]
        return "added", info

    def _passages(self, doc: Any) -> list[Any]:
        from embeddings.index import Passage
        from kg.namespaces import clause_iri

        return [
            Passage(id=str(clause_iri(doc.id, c.path)), doc_id=doc.id, text=c.text)
            for c in doc.walk()
            if c.text and c.text.strip()
        ]

    def remove(self, doc_id: str) -> dict[str, Any]:
        """Remove a document from the store, the index and the manifest."""
        with self._lock:
            self._require_writable("remove a document")
            manifest = self.workspace.load_manifest()
            stored = set(self._store_doc_ids())
            if doc_id not in stored and doc_id not in manifest.documents:
                raise NotFound(f"no document {doc_id!r}", choices=sorted(stored)[:50])
            self.store.remove_document(doc_id)
            index = self.index
            if doc_id in set(index.doc_ids()):
                index.remove(doc_id)
                index.save()
            entry = manifest.documents.pop(doc_id, None)
            self._save_manifest(manifest)
            self._invalidate()
            return {"removed": doc_id, "source_file": entry.source_file if entry else None}

    # ------------------------------------------------------------------ store adapters

    def _store_doc_ids(self) -> list[str]:
        return list(self.store.document_ids())

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
        from api.readmodel import Catalog

        with self._lock:
            if self._catalog is None:
                self._catalog = Catalog.load(self.store)
            return self._catalog

    def _invalidate(self) -> None:
        self._catalog = None

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
        doc["targets"] = [t for t in self.catalog().targets if t["doc"] == doc_id]
        return doc

    def _clause_rows(self, clause_ids: list[str]) -> dict[str, dict[str, Any]]:
        """Clause IRI → doc IRI, path, heading, text and topics (kg.read)."""
        from kg.read import clause_metadata, clause_topics

        if not clause_ids:
            return {}
        meta = clause_metadata(self.store, clause_ids)
        topics = clause_topics(self.store, list(meta))
        return {iri: {"doc_iri": m["doc"], "path": m.get("path"), "heading": m.get("heading"),
                      "text": m.get("text"), "topics": topics.get(iri, [])} for iri, m in meta.items()}

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
            for t in cat.targets if t["clause_id"] == iri
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
        if not 1 <= k <= MAX_K:
            raise InvalidParameter("k", f"{k} is outside 1..{MAX_K}")
        allowed = self._allowed(region, province, topic, year, doc, has_target)
        hits = self.index.search(q, k=k, allowed=allowed, mode=mode)
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
        if not 1 <= k <= MAX_K:
            raise InvalidParameter("k", f"{k} is outside 1..{MAX_K}")
        cat = self.catalog()
        exclude: list[str] = []
        if exclude_region:
            code = self._check_region(exclude_region, "exclude_region")
            exclude = [d["id"] for d in cat.documents.values() if cat.within((d["region"] or {}).get("code"), code)]
        hits = self.index.precedents(text, k=k, exclude_doc_ids=exclude)
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

    def ask(self, q: str) -> dict[str, Any]:
        from api.ask import answer

        if not q or not q.strip():
            raise InvalidParameter("q", "empty question")
        return answer(q, self)

    # ------------------------------------------------------------------ graph

    def _node_iri(self, node: str) -> str:
        from kg.namespaces import BASE

        if node.startswith(("http://", "https://")):
            return node
        if node.startswith(("doc/", "region/", "body/", "topic/")):
            return BASE + node
        cat = self.catalog()
        if cat.doc_by_id(node):
            return cat.doc_by_id(node)["iri"]
        if node in cat.regions:
            return cat.regions[node]["iri"]
        if node in self._topic_ids():
            return BASE + "topic/" + node
        for b in cat.bodies.values():
            if b["name"] == node:
                return b["iri"]
        raise InvalidParameter("node", f"unknown node {node!r}: give an IRI, a document id, an adcode, a topic id or a body name")

    def neighbourhood(self, node: str, depth: int = 1, limit: int = 400) -> dict[str, Any]:
        """Nodes and edges within ``depth`` links of ``node`` (IRIs only; literals become
        labels); edges point from subject to object as stored."""
        from kg.read import node_exists, node_links

        iri = self._node_iri(node)
        if not node_exists(self.store, iri):
            raise NotFound(f"node {node!r} is not in the graph")
        nodes: dict[str, dict[str, Any]] = {iri: {"id": iri}}
        edges: list[dict[str, Any]] = []
        seen_edges: set[tuple[str, str, str]] = set()
        frontier = [iri]
        truncated = False
        for _ in range(max(depth, 0)):
            if not frontier:
                break
            nxt = []
            for r in node_links(self.store, frontier):
                here, p_, there = r["s"], r["p"], r["o"]
                if p_.endswith("#has_part"):
                    continue
                key = (here, p_, there) if r.get("out") else (there, p_, here)
                if key in seen_edges:
                    continue
                if there not in nodes:
                    if len(nodes) >= limit:
                        truncated = True
                        continue
                    nodes[there] = {"id": there}
                    nxt.append(there)
                seen_edges.add(key)
                edges.append({"source": key[0], "target": key[2], "predicate": p_, "label": _short_name(p_)})
            frontier = nxt
        self._label_nodes(nodes)
        return {"center": iri, "depth": depth, "nodes": list(nodes.values()), "edges": edges, "truncated": truncated}

    def _label_nodes(self, nodes: dict[str, dict[str, Any]]) -> None:
        from kg.read import node_labels

        if not nodes:
            return
        for r in node_labels(self.store, list(nodes)):
            node = nodes.get(r["node"])
            if node is None:
                continue
            kind = _short_name(r.get("type") or "")
            if kind and kind not in ("Concept",) or "kind" not in node:
                node.setdefault("kind", kind or None)
            label = r.get("label") or r.get("title") or r.get("heading") or r.get("path")
            if label and not node.get("label"):
                node["label"] = str(label)
        for iri, node in nodes.items():
            node.setdefault("label", iri.rsplit("/", 1)[-1])
            node.setdefault("kind", None)
            if node["kind"] in (None, "") and "/topic/" in iri:
                node["kind"] = "Concept"

    def export(self, fmt: str, node: str | None = None, depth: int = 1) -> bytes:
        """The whole graph or a neighbourhood as ttl, jsonld, graphml or gexf."""
        if fmt not in ("ttl", "jsonld", "graphml", "gexf"):
            raise InvalidParameter("format", f"{fmt!r}", ["ttl", "jsonld", "graphml", "gexf"])
        if fmt in ("ttl", "jsonld"):
            from rdflib import URIRef

            if node:
                hood = self.neighbourhood(node, depth)
                graph = self.store.construct(
                    "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", s=[URIRef(n["id"]) for n in hood["nodes"]])
            else:
                graph = self.store.dump()
            from kg.namespaces import PREFIXES

            for prefix, ns in PREFIXES.items():
                graph.bind(prefix, ns)
            data = graph.serialize(format="turtle" if fmt == "ttl" else "json-ld")
            return data.encode("utf-8") if isinstance(data, str) else data
        import io

        import networkx as nx

        G = nx.MultiDiGraph()
        if node:
            hood = self.neighbourhood(node, depth)
            nodes, edges = hood["nodes"], hood["edges"]
        else:
            from kg.read import iri_links

            rows = iri_links(self.store)
            nodes_d = {}
            edges = []
            for r in rows:
                s_, p_, o_ = str(r["s"]), str(r["p"]), str(r["o"])
                nodes_d.setdefault(s_, {"id": s_})
                nodes_d.setdefault(o_, {"id": o_})
                edges.append({"source": s_, "target": o_, "predicate": p_, "label": _short_name(p_)})
            self._label_nodes(nodes_d)
            nodes = list(nodes_d.values())
        for n in nodes:
            G.add_node(n["id"], label=n.get("label") or "", kind=n.get("kind") or "")
        for e in edges:
            G.add_edge(e["source"], e["target"], predicate=e["predicate"], label=e["label"])
        buf = io.BytesIO()
        (nx.write_graphml if fmt == "graphml" else nx.write_gexf)(G, buf)
        return buf.getvalue()

    # ------------------------------------------------------------------ SPARQL and health

    def sparql(self, query: str, accept: str | None = None, format: str | None = None,
               time_limit: float = 10.0, row_limit: int = 10000) -> SparqlAnswer:
        """Run a read-only query under a time and a row limit; serialise by ``accept``."""
        from api.sparql_protocol import negotiate, query_form, run_limited, serialize

        form = query_form(query)
        media = negotiate(form, accept, format)
        store = self.store
        result = run_limited(lambda: store.query(query), form, time_limit, row_limit)
        return SparqlAnswer(serialize(result, media), media, form, result.truncated, result)

    def health(self) -> dict[str, Any]:
        ws = self.workspace
        out: dict[str, Any] = {"workspace": str(ws.root), "status": "ok"}
        try:
            store = self.store
            out["store"] = {"kind": getattr(store, "kind", type(store).__name__),
                            "url": ws.store_url, "read_only": self.read_only,
                            "documents": len(self._store_doc_ids()), "triples": store.triple_count()}
        except Exception as exc:  # noqa: BLE001 - health reports, it does not fail
            out["status"] = "error"
            out["store"] = {"error": _short_error(exc)}
        manifest = ws.load_manifest()
        out["manifest"] = {"documents": len(manifest.documents), "schema_version": manifest.schema_version,
                           "model": manifest.model}
        if self._index is not None:
            out["index"] = {"passages": len(self._index), "documents": len(self._index.doc_ids()),
                            "model": self._index.model_name if hasattr(self._index, "model_name") else None}
        else:
            out["index"] = {"loaded": False, "files": (ws.index_dir / "meta.json").exists()}
        out["model"] = self._encoder.name if self._encoder is not None else manifest.model
        if out["store"].get("documents") is not None and out["store"]["documents"] != len(manifest.documents):
            out["status"] = "degraded"
            out["warning"] = "the store and the manifest disagree on the number of documents"
        return out

    def select(self, sparql: str) -> list[dict[str, Any]]:
        return self.store.select(sparql)


# ---------------------------------------------------------------------- helpers


def _short_name(iri: str) -> str:
    """The local name of an IRI (after the last # or /)."""
    return str(iri).rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _looks_locked(exc: BaseException) -> bool:
    text = f"{type(exc).__name__} {exc}".lower()
    return any(w in text for w in ("lock", "resource temporarily unavailable", "being used", "busy"))


def _open_store_read_only(path: Path) -> Any:
    """The embedded store opened read-only (another process holds the writer's lock).

    kg.store has no read-only open, so this subclasses its Oxigraph store over
    ``pyoxigraph.Store.read_only`` (STACK-NOTES); writes raise WorkspaceError."""
    import pyoxigraph as ox
    from oxrdflib import OxigraphStore
    from rdflib import Dataset

    from kg.store import OxigraphKGStore

    class ReadOnlyOxigraphKGStore(OxigraphKGStore):
        kind = "oxigraph-read-only"

        def __init__(self, p: Path) -> None:
            self.path = None  # nothing to flush
            self._ox = ox.Store.read_only(str(p))
            self.dataset = Dataset(store=OxigraphStore(store=self._ox), default_union=True)

        def _update(self, sparql: str) -> None:
            raise WorkspaceError(f"the store {path} is open read-only (another process holds it)")

    return ReadOnlyOxigraphKGStore(path)


def _clear_dir(path: Path) -> None:
    if not path.exists():
        return
    for child in path.iterdir():
        if child.is_file():
            child.unlink()
