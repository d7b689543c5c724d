"""Serving one workspace read-only, in one process or several: ``policykg serve --read-only``
and ``policykg serve --workers N`` (api/cli.py).

One uvicorn process answers every request under one interpreter lock, so on a machine of two
cores concurrent clients queue behind each other. Several processes need a workspace nobody
writes while they serve: the embedded Oxigraph store has one writer per folder, and each
process keeps the search index and the catalog in memory, which a write in another process
would leave stale. So, as Datasette's ``--immutable`` and read replicas do, every worker opens
the workspace read-only (``PolicyKG(read_only=True)``: the store read-only, nothing in the
workspace written) and refuses writes with a 409 saying how to write instead: ``policykg
ingest`` beside the running server, then a restart. Each worker holds its own copy of the
index in memory.

With N > 1 the processes are uvicorn's own (``workers=N``): the parent binds the socket and
spawns the workers (``multiprocessing`` spawn: fresh interpreters, nothing forked after
onnxruntime or faiss were loaded); each builds its app with ``app_from_env``, the factory
named by import string. The workers see only the environment, so the parent puts its
settings there (``Settings.to_env``, read back by ``Settings.from_env``: the same code that
reads them for every command) and the number of workers in ``POLICYKG_SERVE_WORKERS``.
"""

from __future__ import annotations

import os
from typing import Any

from api.settings import Settings

WORKERS_VAR = "POLICYKG_SERVE_WORKERS"  # set by the parent for its workers, read by app_from_env
FACTORY = "api.serving:app_from_env"


def read_only_reason(workers: int) -> str:
    """Why a write is refused, and what to do instead (the 409's message)."""
    how = f"by {workers} workers" if workers > 1 else "(policykg serve --read-only)"
    return f"served read-only {how}; ingest with `policykg ingest` and restart the server"


def read_only_app(settings: Settings, workers: int = 1) -> Any:
    """The HTTP app over a read-only service of ``settings``' workspace (warmed at start by
    the app's lifespan, as ``policykg serve`` does)."""
    from api.http import create_app
    from api.service import PolicyKG

    reason = read_only_reason(workers)
    return create_app(lambda: PolicyKG(settings=settings, read_only=True, read_only_reason=reason),
                      settings=settings)


def app_from_env() -> Any:
    """uvicorn's factory in each worker process: the settings the parent left in the
    environment (a bad value fails the worker's start, naming the variable)."""
    return read_only_app(Settings.from_env(), int(os.environ.get(WORKERS_VAR) or 1))


def worker_env(settings: Settings, workers: int) -> dict[str, str]:
    """The variables the parent sets before it spawns its workers."""
    return {**settings.to_env(), WORKERS_VAR: str(workers)}


def run(settings: Settings, workers: int, host: str, port: int) -> None:
    """Serve read-only until interrupted: in this process (one worker) or in ``workers``
    processes of uvicorn's that share one socket."""
    import uvicorn

    if workers <= 1:
        uvicorn.run(read_only_app(settings), host=host, port=port, log_level="info")
        return
    os.environ.update(worker_env(settings, workers))  # inherited by the spawned workers
    uvicorn.run(FACTORY, factory=True, workers=workers, host=host, port=port, log_level="info")
