"""``PolicyKG``: the one facade that wires ingest → kg / embeddings (DESIGN.md, Interfaces).

Everything the HTTP app, the command line and the web page do goes through this class, and it
is the only module that imports all three packages. Reads return plain JSON-ready dicts and
lists (the same JSON the HTTP API sends and ``policykg … --json`` prints).

Ingestion, per file: sha256 against the manifest (same bytes → ``unchanged``, before parsing)
→ ``ingest.load_document`` → ``ingest.extract.extract_facts`` (topic classifier: the embedding
one when available, else the lexical one) → ``kg.mapping`` graphs → ``kg.validate`` (a
violation rejects the file with the list) → ``store.replace_document`` → ``index.add`` →
manifest. One bad file never stops the batch; if the index step fails after the store step the
store step is undone. A changed file with the same name replaces its earlier version.

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
from dataclasses import asdict, dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

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
            return open_store(None, ws.store_url)
        if not self._force_read_only:
            ws.ensure()
            try:
                return open_store(ws.store_dir, None)
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

        try:
            from embeddings.index import IndexModelMismatch
        except ImportError:  # pragma: no cover - older embeddings
            IndexModelMismatch = ValueError  # type: ignore[assignment,misc]
        ws = self.workspace
        ws.ensure()
        manifest = ws.load_manifest()
        encoder = self.encoder
        reason = None
        if manifest.model and manifest.model != encoder.name:
            reason = f"the manifest's model is {manifest.model}, this run uses {encoder.name}"
        index = None
        if reason is None:
            try:
                index = SearchIndex.open(ws.index_dir, encoder, self.topic_concepts)
            except IndexModelMismatch as exc:
                reason = f"index built with another model ({exc})"
        if index is None:
            _clear_dir(ws.index_dir)
            index = SearchIndex.open(ws.index_dir, encoder, self.topic_concepts)
        stored = set(self._store_doc_ids())
        indexed = set(index.doc_ids())
        if reason or stored != indexed:
            missing = stored - indexed
            extra = indexed - stored
            if reason or missing or extra:
                print(
                    f"policykg: rebuilding the search index from the store "
                    f"({reason or f'{len(missing)} documents missing, {len(extra)} extra'})",
                    file=sys.stderr,
                )
                for doc_id in extra:
                    index.remove(doc_id)
                for doc_id in sorted(stored if reason else missing):
                    passages = self._passages_from_store(doc_id)
                    if passages:
                        index.add(doc_id, passages)
                try:
                    index.save()
                except Exception as exc:  # read-only media: keep the rebuilt index in memory
                    log.warning("could not save the rebuilt index: %s", exc)
        if not self.read_only and (manifest.model != encoder.name):
            manifest.model = encoder.name
            manifest.encoder = getattr(self, "_encoder_spec", None) or manifest.encoder
            self._save_manifest(manifest)
        return index

    def close(self) -> None:
        with self._lock:
            if self._store is not None:
                try:
                    self._store.close()
                finally:
                    self._store = None
            self._index = None

    def __enter__(self) -> "PolicyKG":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def _save_manifest(self, manifest: Manifest) -> None:
        if self.read_only:
            return
        self.workspace.save_manifest(manifest)

    def _require_writable(self, what: str) -> None:
        self.store  # opens it (and learns whether it is read-only)
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

            return EmbeddingTopicClassifier(self.encoder, self.topic_concepts)
        except ImportError:
            pass
        try:
            from ingest.extract.topics import LexicalTopicClassifier

            return LexicalTopicClassifier(self.topic_concepts)
        except ImportError:
            return None

    def ingest(self, paths: Sequence[str | Path] | str | Path, progress: ProgressFn | None = None) -> IngestReport:
        """Ingest files or folders; see the module docstring for the steps and guarantees."""
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
                    status, info = self._ingest_one(path, manifest)
                    (report.added if status == "added" else report.unchanged).append(info)
                except FileFailed as exc:
                    report.failed.append({"file": str(path), "error": exc.reason})
                except PolicyKGError as exc:
                    report.failed.append({"file": str(path), "error": exc.message})
                except Exception as exc:  # noqa: BLE001 - one bad file never stops the batch
                    log.exception("ingest of %s failed", path)
                    report.failed.append({"file": str(path), "error": f"{type(exc).__name__}: {_short_error(exc)}"})
                if progress:
                    progress(n, total, str(path), status)
        return report

    def _ingest_one(self, path: Path, manifest: Manifest) -> tuple[str, dict[str, Any]]:
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
        previous = [e for e in manifest.by_file(doc.source.file) if e.id != doc.id]
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
                except Exception:  # noqa: BLE001
                    log.exception("undo of %s failed", doc.id)
            raise FileFailed(f"indexing failed, nothing stored: {_short_error(exc)}") from exc
        for old in previous:  # a changed file with the same name replaces its earlier version
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
            clauses=len(passages),
            ingested_at=now_iso(),
        )
        manifest.model = self.encoder.name
        manifest.encoder = getattr(self, "_encoder_spec", None) or manifest.encoder
        self._save_manifest(manifest)
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
            return {"removed": doc_id, "source_file": entry.source_file if entry else None}

    # ------------------------------------------------------------------ store adapters

    def _store_doc_ids(self) -> list[str]:
        return list(self.store.document_ids())

    def _passages_from_store(self, doc_id: str) -> list[Any]:
        from embeddings.index import Passage

        return [
            Passage(id=row["clause_id"], doc_id=doc_id, text=row["text"])
            for row in _read().clause_texts(self.store, doc_id)
            if row.get("text")
        ]

    def select(self, sparql: str) -> list[dict[str, Any]]:
        return self.store.select(sparql)


# ---------------------------------------------------------------------- helpers


def _read() -> Any:
    import kg.read

    return kg.read


def _looks_locked(exc: BaseException) -> bool:
    text = f"{type(exc).__name__} {exc}".lower()
    return any(w in text for w in ("lock", "resource temporarily unavailable", "being used", "busy"))


def _open_store_read_only(path: Path) -> Any:
    from kg import store as kg_store

    for name in ("open_store_read_only", "open_read_only"):
        fn = getattr(kg_store, name, None)
        if fn is not None:
            return fn(path)
    try:
        return kg_store.open_store(path, None, read_only=True)
    except TypeError as exc:
        raise WorkspaceError(
            f"the store {path} is locked by another process and kg.store offers no read-only open"
        ) from exc


def _clear_dir(path: Path) -> None:
    if not path.exists():
        return
    for child in path.iterdir():
        if child.is_file():
            child.unlink()
