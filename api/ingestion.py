"""Ingestion, the first of the facade's three stages (api/service.py holds them together):
collect the files, then per file the size limit, the manifest checks (unchanged, duplicate),
``ingest.load_document`` → ``ingest.extract.extract_facts`` → ``kg.mapping`` graphs →
``kg.validate`` (one SHACL pass; the store is told not to repeat it) → one store update →
the index in memory; the index and the manifest are written once per ``CHECKPOINT_FILES``
files and at the end of the batch, not per file (each write rebuilds BM25 and rewrites the
index files, so per-file writes grew quadratically with the corpus). See api/service.py's module docstring for the guarantees."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from api.errors import NotFound, PolicyKGError
from api.journal import Journal, undone
from api.settings import human_bytes
from api.workspace import DocumentEntry, Manifest, now_iso, write_atomic

log = logging.getLogger("policykg")

SUPPORTED_SUFFIXES = (".txt", ".html", ".htm", ".docx", ".pdf")

CHECKPOINT_FILES = 50  # files between writes of the index and the manifest in one batch

ProgressFn = Callable[[int, int, str, str], None]  # (done, total, file, status)


@dataclass
class IngestReport:
    """What one ``ingest`` call did: ``added`` documents (``replaced`` on one that replaced
    earlier versions from the same source), ``unchanged`` ones (the same bytes from the same
    source), ``duplicates`` (content already stored from another source: ``duplicate_of``
    names the stored document, which is left as it is) and ``failed`` files."""

    added: list[dict[str, Any]] = field(default_factory=list)
    unchanged: list[dict[str, Any]] = field(default_factory=list)
    duplicates: list[dict[str, Any]] = field(default_factory=list)
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


def _without_clauses(manifest: Manifest) -> set[str]:
    """Documents with nothing to index (a bare title): the search index never holds them."""
    return {d for d, e in manifest.documents.items() if e.clauses == 0}


def short_error(exc: BaseException) -> str:
    reason = getattr(exc, "reason", None)
    text = str(reason if reason else exc).strip() or type(exc).__name__
    return text if len(text) < 2000 else text[:2000] + " …"


def _source_key(entry: DocumentEntry, uploads: bool) -> str | None:
    """The key an entry was stored under (entries from before keys: path or file name)."""
    if entry.source_key is not None:
        return entry.source_key
    return entry.source_file if uploads else entry.source_path


def _duplicate(path: Path, stored: DocumentEntry) -> dict[str, Any]:
    return {"file": str(path), "duplicate_of": stored.id, "title": stored.title,
            "stored_from": stored.source_path or stored.source_file}




class Ingestion:
    """The ingestion methods of ``PolicyKG`` (a mixin: it uses the facade's store, index,
    encoder, settings, lock and manifest helpers)."""

    @cached_property
    def classifier(self) -> Any:
        """The embedding topic classifier when available, else the lexical one, else None."""
        try:
            from embeddings.topics import EmbeddingTopicClassifier

            index = self.index
            # a clause of several sentences is classified by its sentences' mean vector, the
            # vector the index holds, so that no text is encoded twice (bench/topic_eval.py:
            # topic F1 0.74 vs 0.68 whole on the dev-gold targets, bench/topic_eval.py)
            return EmbeddingTopicClassifier(self.encoder, self.topic_concepts, cache=index.cache,
                                            segmenter=index.segmenter if index.compose else None)
        except ImportError:
            pass
        try:
            from ingest.extract.topics import LexicalTopicClassifier

            return LexicalTopicClassifier(self.topic_concepts)
        except ImportError:
            return None

    def import_vectors(self, source: str | Path) -> int:
        """Take the vectors a ``policykg encode`` cache (``source``: its folder or its
        vectors.sqlite) holds for this workspace's model into the index's cache; returns how
        many. Ingest then encodes only text that is not there (same model, same text hash)."""
        from embeddings.cache import import_vectors

        self.require_writable("import vectors")
        try:
            return import_vectors(self.index.cache, source)
        except ValueError as exc:
            from api.errors import InvalidParameter

            raise InvalidParameter("vectors", str(exc)) from None

    def ingest(self, paths: Sequence[str | Path] | str | Path, progress: ProgressFn | None = None,
               *, uploads: bool = False, vectors: str | Path | None = None) -> IngestReport:
        """Ingest files or folders; see the module docstring for the steps and guarantees.
        A file replaces the earlier version from the same resolved path; with ``uploads``
        (files received over HTTP into a temporary folder), from the same file name.
        ``vectors``: a ``policykg encode`` cache to take vectors from first."""
        if isinstance(paths, (str, Path)):
            paths = [paths]
        if vectors is not None:
            self.import_vectors(vectors)
        report = IngestReport()
        files, missing = collect_files(paths)
        report.failed.extend(missing)
        total = len(files)
        if progress:
            progress(0, total, "", "start")
        if not files:
            return report
        with self._write_lock:
            self.require_writable("ingest")
            manifest = self.workspace.load_manifest()
            pending = 0  # files stored since the index and the manifest were last written
            ahead = ThreadPoolExecutor(max_workers=1, thread_name_prefix="policykg-encode")
            index = self.index  # opened here: the worker must not wait for the facade's lock
            futures = {0: ahead.submit(self._encode_ahead, index, files[0], manifest)}
            try:
                for n, path in enumerate(files, 1):
                    status = "failed"
                    if n < total:  # the next file's vectors are encoded while this one is stored
                        futures[n] = ahead.submit(self._encode_ahead, index, files[n], manifest)
                    futures.pop(n - 1).result()
                    try:
                        status, info = self._ingest_one(path, manifest, uploads=uploads)
                        {"added": report.added, "unchanged": report.unchanged,
                         "duplicate": report.duplicates}[status].append(info)
                        if status == "added":
                            pending += 1
                        if info.get("replaced"):
                            status = "replaced"
                    except FileFailed as exc:
                        report.failed.append({"file": str(path), "error": exc.reason})
                    except PolicyKGError as exc:
                        report.failed.append({"file": str(path), "error": exc.message})
                    except Exception as exc:
                        log.exception("ingest of %s failed", path)
                        report.failed.append({"file": str(path), "error": f"{type(exc).__name__}: {short_error(exc)}"})
                    if pending >= CHECKPOINT_FILES:
                        self._checkpoint(manifest)
                        pending = 0
                    if progress:
                        progress(n, total, str(path), status)
            finally:
                for future in futures.values():
                    future.cancel()
                ahead.shutdown(wait=True)
                if pending:
                    self._checkpoint(manifest)
        return report

    def _encode_ahead(self, index: Any, path: Path, manifest: Manifest) -> None:
        """In the worker thread: parse ``path`` and put its clause and sentence vectors in
        the index's cache, so that encoding (C, all cores, the GIL released) overlaps the
        previous file's extraction, SHACL and store steps. Never raises: the main thread
        reports every problem of the file when it reaches it."""
        try:
            if not index.compose or path.stat().st_size > self.settings.limits.max_file_bytes:
                return
            if manifest.by_sha256(hashlib.sha256(path.read_bytes()).hexdigest()) is not None:
                return  # unchanged or a duplicate: nothing will be encoded
            from ingest import load_document

            doc = load_document(path)
            texts = [c.text for c in doc.walk() if c.text and c.text.strip()]
            index.passage_vectors(texts + [s for t in texts for s in index.segmenter.sentences(t)])
        except Exception:  # see the docstring
            log.debug("encoding ahead of %s failed", path, exc_info=True)

    def _checkpoint(self, manifest: Manifest) -> None:
        """Write the index (one BM25 rebuild, one generation) and the manifest for the files
        stored since the last checkpoint. A crash before it loses no stored document: on open
        the index is rebuilt from the store (vectors from the cache), and a file the manifest
        lacks is ingested again as added."""
        self.index.save()
        self._save_manifest(manifest)

    def ingest_uploads(self, uploads: Sequence[tuple[str, bytes]], progress: ProgressFn | None = None) -> IngestReport:
        """Files received over HTTP, as (file name, bytes): each is kept in the workspace at
        ``uploads/{sha256[:16]}/{name}``, which is recorded as its stored source; the copies of
        files that were not stored (failed, duplicates of another source) are deleted again.
        A changed file uploaded under the same name replaces its earlier version. A workspace
        that cannot be written refuses before any upload is kept."""
        self.require_writable("ingest")
        root = self.workspace.root / "uploads"
        paths = []
        try:
            for name, data in uploads:
                target = root / hashlib.sha256(data).hexdigest()[:16] / name
                target.parent.mkdir(parents=True, exist_ok=True)
                if not target.exists():
                    write_atomic(target, data)
                paths.append(target)
            return self.ingest(paths, progress, uploads=True)
        finally:
            kept = {e.source_path for e in self.workspace.load_manifest().documents.values()}
            for path in paths:
                if str(path.resolve()) not in kept:
                    path.unlink(missing_ok=True)
                    try:
                        path.parent.rmdir()
                    except OSError:
                        pass  # not empty: another upload with the same bytes lives there

    def _ingest_one(self, path: Path, manifest: Manifest, *, uploads: bool = False) -> tuple[str, dict[str, Any]]:
        from ingest import load_document
        from ingest.extract import extract_facts
        from kg.mapping import document_graph, shared_graph
        from kg.validate import validate

        limit = self.settings.limits.max_file_bytes
        source_key = path.name if uploads else str(path.resolve())
        try:
            size = path.stat().st_size
            if size > limit:
                raise FileFailed(f"refused: {human_bytes(size)} is over the limit of {human_bytes(limit)} "
                                 "per file (POLICYKG_MAX_FILE_MB)")
            data = path.read_bytes()
        except FileNotFoundError:
            raise FileFailed("the file vanished before it could be read") from None
        except OSError as exc:
            raise FileFailed(f"cannot read the file: {exc.strerror or exc}") from None
        sha = hashlib.sha256(data).hexdigest()
        known = manifest.by_sha256(sha)
        if known is not None:
            if _source_key(known, uploads) in (source_key, None):
                return "unchanged", {"id": known.id, "file": str(path), "title": known.title}
            return "duplicate", _duplicate(path, known)
        try:
            doc = load_document(path)
        except FileNotFoundError:
            raise FileFailed("the file vanished before it could be read") from None
        except Exception as exc:  # IngestError names the file and the reason
            raise FileFailed(short_error(exc)) from exc
        stored = manifest.documents.get(doc.id)
        if stored is not None and _source_key(stored, uploads) not in (source_key, None):
            return "duplicate", _duplicate(path, stored)  # the same text from another source
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
        previous = [e for e in manifest.by_source_key(source_key, upload=uploads) if e.id != doc.id]
        journal = Journal.of(self.workspace.root)
        journal.begin({doc.id: sha, **{old.id: None for old in previous}})  # see api/journal.py
        store.replace_document(doc.id, doc_graph, common_graph, validate=False)  # validated above
        with self._index_lock:
            try:
                if doc.id in set(index.doc_ids()):
                    index.remove(doc.id)
                index.add(doc.id, passages)  # written at the batch's checkpoint (_checkpoint)
            except Exception as exc:
                if not existed:  # undo the store step: the store never holds what the index lacks
                    try:
                        store.remove_document(doc.id)
                        index.remove(doc.id)
                    except Exception:
                        log.exception("undo of %s failed", doc.id)
                raise FileFailed(f"indexing failed, nothing stored: {short_error(exc)}") from exc
            for old in previous:  # a changed file from the same source replaces its earlier version
                store.remove_document(old.id)
                if old.id in set(index.doc_ids()):
                    index.remove(old.id)
                manifest.documents.pop(old.id, None)
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
        self._save_manifest(manifest)  # the commit
        journal.clear()
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
            info["lineage"] = self._refresh_lineage([old.id for old in previous], doc.id)
        return "added", info

    def _refresh_lineage(self, gone: list[str], replaced_by: str | None = None) -> dict[str, list[str]]:
        """Lineage graphs that named the documents ``gone`` are dropped or rebuilt
        (api/lineage/service.py ``refresh_lineage``)."""
        from api.lineage.service import refresh_lineage

        try:
            return refresh_lineage(self, gone, replaced_by)
        finally:
            self.__dict__.pop("_facts", None)  # lineage graphs written: the store's counts change

    def recover(self) -> list[str]:
        """Take out what an interrupted ingest left half written (api/journal.py); returns
        the ids taken out. Called when a writable workspace with a journal is opened."""
        from embeddings.index import indexed_doc_ids

        journal = Journal.of(self.workspace.root)
        journaled = journal.path.exists()
        entries = journal.entries() if journaled else {}
        manifest = self.workspace.load_manifest()
        store = self.store
        stored = set(store.document_ids())
        indexed = indexed_doc_ids(self.workspace.index_dir)
        bad = undone(entries, manifest.documents, stored, indexed) if journaled else []
        for doc_id in bad:
            store.remove_document(doc_id)
            manifest.documents.pop(doc_id, None)
        if bad:
            self._save_manifest(manifest)
            log.warning("policykg: an interrupted ingest was undone for %s", ", ".join(bad))
        stored = set(store.document_ids()) - _without_clauses(manifest)
        if indexed is not None and indexed != stored:
            # the index is written at a batch's checkpoints: after a crash it can lag the
            # committed documents; opening it rebuilds it from the store (vectors from the cache)
            self._index = None
            _ = self.index
        if journaled:
            journal.clear()
        if bad or journaled:
            self._invalidate()
        return bad

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
        with self._write_lock, self._index_lock:
            self.require_writable("remove a document")
            manifest = self.workspace.load_manifest()
            stored = set(self._store_doc_ids())
            if doc_id not in stored and doc_id not in manifest.documents:
                raise NotFound(f"no document {doc_id!r}", choices=sorted(stored)[:50])
            index = self.index  # opened first: opened after, it would find a document extra and rebuild
            self.store.remove_document(doc_id)
            if doc_id in set(index.doc_ids()):
                index.remove(doc_id)
                index.save()
            entry = manifest.documents.pop(doc_id, None)
            self._save_manifest(manifest)
            self._invalidate()
            lineage = self._refresh_lineage([doc_id])
            return {"removed": doc_id, "source_file": entry.source_file if entry else None, "lineage": lineage}

