"""Per-file limits of parsing: a time budget checked while a file is parsed.

``time_limit(file, seconds)`` opens a budget for the current thread (a context variable, so
threads and the HTTP service's workers each keep their own); parsing loops call ``check()``
every few thousand steps, which raises ``IngestError(file, reason)`` once the budget is spent.
The default budget is ``POLICYKG_PARSE_TIMEOUT`` seconds (300 when unset; 0 or less: none).
Memory: the readers hold the file's bytes and its text, the parser one line index and the
clause tree over the same text, so peak memory grows linearly with the file (about six
times its size in bytes; bench/ingest.py prints it for a 30 MB file)."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from ingest.errors import IngestError

ENV_TIMEOUT = "POLICYKG_PARSE_TIMEOUT"
DEFAULT_TIMEOUT = 300.0


@dataclass
class _Budget:
    file: str
    seconds: float
    deadline: float


_budget: ContextVar[_Budget | None] = ContextVar("policykg_parse_budget", default=None)


def default_timeout() -> float | None:
    raw = os.environ.get(ENV_TIMEOUT, "").strip()
    if not raw:
        return DEFAULT_TIMEOUT
    try:
        value = float(raw)
    except ValueError:
        raise IngestError(ENV_TIMEOUT, f"not a number of seconds: {raw!r}") from None
    return value if value > 0 else None


@contextmanager
def time_limit(file: str, seconds: float | None) -> Iterator[None]:
    token = _budget.set(None if not seconds or seconds <= 0 else
                        _Budget(str(file), seconds, time.monotonic() + seconds))
    try:
        yield
    finally:
        _budget.reset(token)


def check() -> None:
    """Raise ``IngestError`` when the current file's parsing budget is spent."""
    budget = _budget.get()
    if budget is not None and time.monotonic() > budget.deadline:
        raise IngestError(budget.file, f"parsing took longer than the per-file limit of "
                          f"{budget.seconds:g} s (set {ENV_TIMEOUT} or time_limit to change it)")
