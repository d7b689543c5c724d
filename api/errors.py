"""Errors of the service facade, each mapped to one HTTP status and a clear message.

The HTTP app turns them into ``{"error": {"type", "message", ...}}`` JSON; the CLI prints the
message and exits non-zero. Messages name the parameter (or file) and the reason.

The knowledge graph's own errors (``kg.store.QueryTimeout``, ``kg.sparql.ReadOnlyQueryError``,
``kg.sparql.SparqlSyntaxError``, ``kg.sparql.BindingError``, ``kg.store.StoreError``) are not
wrapped: ``KG_ERROR_STATUS`` maps them to their HTTP status, and ``kg_error_status(exc)`` finds
the status of one (the HTTP app registers a handler for each).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


class PolicyKGError(Exception):
    """Base class: ``status`` is the HTTP status the app answers with."""

    status: int = 400

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.details = details

    def to_dict(self) -> dict[str, Any]:
        return {"type": type(self).__name__, "message": self.message, **self.details}


class NotFound(PolicyKGError):
    status = 404


class InvalidParameter(PolicyKGError):
    """A parameter outside its allowed values; ``choices`` lists the valid ones when few."""

    status = 422

    def __init__(self, param: str, reason: str, choices: Sequence[str] | None = None) -> None:
        message = f"invalid {param}: {reason}"
        if choices is not None:
            shown = list(choices)[:60]
            message += f" (valid choices: {', '.join(shown)}{' …' if len(choices) > 60 else ''})"
        super().__init__(message, param=param, **({"choices": list(choices)} if choices else {}))


class QueryError(PolicyKGError):
    """A SPARQL request the endpoint refuses (an update sent as ``update=``, a query that
    fails in the store)."""

    status = 400


class Forbidden(PolicyKGError):
    status = 403


class Unauthorized(PolicyKGError):
    status = 401


class PayloadTooLarge(PolicyKGError):
    status = 413


class WorkspaceError(PolicyKGError):
    """The workspace cannot be used (locked, corrupt manifest, index built by another model)."""

    status = 503


class ReadOnlyWorkspace(WorkspaceError):
    """A write to a workspace opened read-only on purpose (``policykg serve --workers N`` or
    ``--read-only``): not a passing condition like another process's lock, so a 409, and the
    message says how to write instead."""

    status = 409


# kg's exceptions by class name (kg is imported lazily: this module stays import-light)
KG_ERROR_STATUS: dict[str, int] = {
    "QueryTimeout": 503,  # kg.store: ran longer than the time limit
    "ReadOnlyQueryError": 400,  # kg.sparql: an update sent to a read-only entry point
    "SparqlSyntaxError": 400,  # kg.sparql: neither a query nor an update
    "BindingError": 400,  # kg.sparql: a named query's parameter
    "StoreError": 503,  # kg.store: the store cannot be opened or written
    "IRISegmentError": 422,  # kg.namespaces: an empty or blank id
}

# the request parameter each of kg's errors is about (named in the error JSON)
KG_ERROR_PARAM: dict[str, str] = {"ReadOnlyQueryError": "query", "SparqlSyntaxError": "query",
                                  "QueryTimeout": "query", "FederatedQueryError": "query"}


def kg_error_classes() -> list[type[Exception]]:
    from kg.namespaces import IRISegmentError
    from kg.sparql import BindingError, ReadOnlyQueryError, SparqlSyntaxError
    from kg.store import QueryTimeout, StoreError

    return [QueryTimeout, ReadOnlyQueryError, SparqlSyntaxError, BindingError, StoreError, IRISegmentError]


def kg_error_param(exc: BaseException) -> str | None:
    """The request parameter one of kg's errors is about, when it is known."""
    return next((KG_ERROR_PARAM[c.__name__] for c in type(exc).__mro__ if c.__name__ in KG_ERROR_PARAM), None)


def kg_error_status(exc: BaseException) -> int | None:
    """The HTTP status of one of kg's exceptions, None for anything else."""
    for cls in type(exc).__mro__:
        if cls.__module__.startswith("kg.") and cls.__name__ in KG_ERROR_STATUS:
            return KG_ERROR_STATUS[cls.__name__]
    return None
