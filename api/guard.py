"""Request guards of the HTTP app, independent of the routes: blank parameters refused,
expensive requests limited, unexpected errors logged under a request id.

- ``refuse_blank``: an app-wide dependency; a path or query parameter that is only
  whitespace (``/documents/%20``, ``?node=%0B``) is a 422 naming the parameter, before any
  endpoint turns it into an IRI.
- ``ExpensiveRequestLimit``: ASGI middleware; at most ``limit`` requests to the expensive
  paths (/ask, /search, /precedents, /sparql) run at once, counting SPARQL queries abandoned
  at their time limit that are still evaluating in the store. Up to ``max_queued`` more wait
  in line (a coroutine each on the event loop: no thread, no request body read) for at most
  ``queue_wait_s``; the rest, and those that waited too long, are answered with 503 and
  ``Retry-After``. Eight clients on a limit of four thus wait milliseconds for a place
  instead of seconds of Retry-After.
- ``internal_error``: the JSON of a 500: a generic message and a request id; the traceback
  goes to the server log under that id, never to the client.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import uuid
from collections.abc import Callable, Iterable
from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse

from api.errors import InvalidParameter

log = logging.getLogger("api.http")

EXPENSIVE_PATHS = frozenset({"/ask", "/search", "/precedents", "/sparql"})
ABANDONED_SPARQL_THREAD = "policykg-sparql-abandoned"  # kg.store.run_readonly names them so


def refuse_blank(request: Request) -> None:
    """A path or query parameter given but blank is a 422 naming it."""
    params = list(request.path_params.items()) + list(request.query_params.multi_items())
    for name, value in params:
        if isinstance(value, str) and value and not value.strip():
            raise InvalidParameter(name, f"{value!r} is blank (only whitespace)")


def abandoned_queries() -> int:
    """SPARQL queries cut at their time limit whose evaluation is still running."""
    return sum(1 for t in threading.enumerate() if t.name == ABANDONED_SPARQL_THREAD and t.is_alive())


class ExpensiveRequestLimit:
    """ASGI middleware: at most ``limit`` expensive requests at once (see module doc)."""

    def __init__(self, app: Any, *, limit: int, retry_after_s: int,
                 paths: Iterable[str] = EXPENSIVE_PATHS, busy: Callable[[], int] = abandoned_queries,
                 max_queued: int = 0, queue_wait_s: float = 0.0) -> None:
        self.app = app
        self.limit = limit
        self.retry_after_s = retry_after_s
        self.paths = frozenset(paths)
        self.busy = busy
        self.max_queued = max_queued
        self.queue_wait_s = queue_wait_s
        self.in_flight = 0  # touched only on the event loop's thread
        self.queued = 0
        self._released: asyncio.Condition | None = None  # made on the event loop

    def _running(self, path: str) -> int:
        return self.in_flight + (self.busy() if path == "/sparql" else 0)

    async def _wait_for_place(self, path: str) -> bool:
        """Wait in line for a place (True), or give up at once or after ``queue_wait_s``."""
        if self.queued >= self.max_queued or self.queue_wait_s <= 0:
            return False
        if self._released is None:
            self._released = asyncio.Condition()
        self.queued += 1
        try:
            async with self._released:
                await asyncio.wait_for(self._released.wait_for(lambda: self._running(path) < self.limit),
                                       self.queue_wait_s)
            return True
        except TimeoutError:
            return False
        finally:
            self.queued -= 1

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] != "http" or scope.get("path") not in self.paths:
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        if self._running(path) >= self.limit and not await self._wait_for_place(path):
            running = self._running(path)
            message = (f"{path}: server busy ({running} expensive requests running, the "
                       f"limit is {self.limit}, POLICYKG_MAX_CONCURRENT; {self.queued} waiting, at most "
                       f"{self.max_queued}, POLICYKG_MAX_QUEUED); retry after {self.retry_after_s} s")
            response = JSONResponse(
                status_code=503, headers={"Retry-After": str(self.retry_after_s)},
                content={"error": {"type": "Overloaded", "message": message, "param": None}})
            await response(scope, receive, send)
            return
        self.in_flight += 1
        try:
            await self.app(scope, receive, send)
        finally:
            self.in_flight -= 1
            if self._released is not None:
                async with self._released:
                    self._released.notify()


def internal_error(request: Request, exc: BaseException) -> JSONResponse:
    """A 500 without internals: the traceback is logged under a fresh request id."""
    request_id = uuid.uuid4().hex[:12]
    log.error("request %s: %s %s failed", request_id, request.method, request.url.path,
              exc_info=(type(exc), exc, exc.__traceback__))
    return JSONResponse(
        status_code=500, headers={"X-Request-ID": request_id},
        content={"error": {"type": "InternalError", "request_id": request_id,
                           "message": f"internal error: the server log has the details under "
                                      f"request id {request_id}"}})
