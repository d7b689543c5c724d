"""The workspace directory: the Oxigraph store, the search index and ``manifest.json``.

Chosen by ``--data DIR``, else ``POLICYKG_DATA``, else ``./policykg-data`` (read once, by
``api.settings.Settings``). ``--store URL`` / ``POLICYKG_STORE`` selects a remote SPARQL 1.1 endpoint instead of the embedded store (the index
and the manifest still live in the workspace directory).

``manifest.json`` lists the documents ingested (id, source file, sha256, title), the name of
the embedding model the index was built with and the schema version. It is written atomically
(a temporary file in the same directory, then ``os.replace``), so a crash never leaves half a
manifest behind. Everything in the workspace can be rebuilt from the source files.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from api.errors import WorkspaceError

SCHEMA_VERSION = 1
DEFAULT_DATA_DIR = "policykg-data"


@dataclass
class DocumentEntry:
    """One ingested document as the manifest records it."""

    id: str
    source_file: str  # file name (basename), as the document records it
    sha256: str
    title: str | None = None
    source_path: str | None = None  # where it was read from, when known
    clauses: int = 0
    ingested_at: str = ""
    # What identifies "the same file" across ingests: a changed file with the same key
    # replaces this entry. The resolved source path for files from disk (two files with one
    # name in different folders are two documents); the file name for HTTP uploads, which
    # arrive in a fresh temporary folder each time. None in manifests written before keys.
    source_key: str | None = None


@dataclass
class Manifest:
    schema_version: int = SCHEMA_VERSION
    model: str | None = None  # Encoder.name of the model the index was built with
    encoder: str | None = None  # the spec that builds it again (get_encoder(spec))
    documents: dict[str, DocumentEntry] = field(default_factory=dict)

    def by_sha256(self, sha256: str) -> DocumentEntry | None:
        return next((d for d in self.documents.values() if d.sha256 == sha256), None)

    def by_file(self, name: str) -> list[DocumentEntry]:
        return [d for d in self.documents.values() if d.source_file == name]

    def by_source_key(self, key: str, *, upload: bool = False) -> list[DocumentEntry]:
        """Entries for the same source: ``key`` is a resolved path, or a file name when
        ``upload``. Entries from before keys match by their source path (or, for uploads, by
        file name)."""
        def key_of(d: DocumentEntry) -> str | None:
            if d.source_key is not None:
                return d.source_key
            return d.source_file if upload else d.source_path

        return [d for d in self.documents.values() if key_of(d) == key]

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": self.schema_version,
            "model": self.model,
            "encoder": self.encoder,
            "documents": {k: asdict(v) for k, v in sorted(self.documents.items())},
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Manifest:
        docs = {k: DocumentEntry(**v) for k, v in (data.get("documents") or {}).items()}
        return cls(
            schema_version=int(data.get("schema_version", SCHEMA_VERSION)),
            model=data.get("model"),
            encoder=data.get("encoder"),
            documents=docs,
        )


def now_iso() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


@dataclass(frozen=True)
class Workspace:
    root: Path
    store_url: str | None = None

    @classmethod
    def resolve(cls, data: str | os.PathLike | None = None, store: str | None = None) -> Workspace:
        """``data`` / ``store`` as given (``api.settings.Settings`` reads the environment)."""
        root = Path(data or DEFAULT_DATA_DIR).expanduser()
        return cls(root=root.resolve(), store_url=store or None)

    @property
    def store_dir(self) -> Path:
        return self.root / "store"

    @property
    def index_dir(self) -> Path:
        return self.root / "index"

    @property
    def manifest_path(self) -> Path:
        return self.root / "manifest.json"

    def exists(self) -> bool:
        return self.manifest_path.exists()

    def ensure(self) -> None:
        if self.root.exists() and not self.root.is_dir():
            raise WorkspaceError(f"workspace {self.root} exists and is not a directory")
        self.root.mkdir(parents=True, exist_ok=True)
        self.index_dir.mkdir(exist_ok=True)

    def load_manifest(self) -> Manifest:
        path = self.manifest_path
        if not path.exists():
            return Manifest()
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            manifest = Manifest.from_dict(data)
        except (ValueError, TypeError, KeyError) as exc:
            raise WorkspaceError(f"{path}: unreadable manifest ({exc}); rebuild the workspace") from exc
        if manifest.schema_version > SCHEMA_VERSION:
            raise WorkspaceError(
                f"{path}: schema version {manifest.schema_version} is newer than this policykg "
                f"({SCHEMA_VERSION}); upgrade policykg or rebuild the workspace"
            )
        return manifest

    def save_manifest(self, manifest: Manifest) -> None:
        self.ensure()
        text = json.dumps(manifest.to_dict(), ensure_ascii=False, indent=2)
        write_atomic(self.manifest_path, text.encode("utf-8"))


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so readers see the old or the new file, never a mix."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
