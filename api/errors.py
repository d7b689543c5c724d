"""Errors of the service facade, each mapped to one HTTP status and a clear message.

The HTTP app turns them into ``{"error": {"type", "message", ...}}`` JSON; the CLI prints the
message and exits non-zero. Messages name the parameter (or file) and the reason.
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


class ReadOnlyQuery(PolicyKGError):
    """A SPARQL update sent to the read-only endpoint."""

    status = 400


class QueryError(PolicyKGError):
    """A SPARQL query that does not parse or fails in the store."""

    status = 400


class QueryTimeout(PolicyKGError):
    status = 503


class Forbidden(PolicyKGError):
    status = 403


class Unauthorized(PolicyKGError):
    status = 401


class PayloadTooLarge(PolicyKGError):
    status = 413


class WorkspaceError(PolicyKGError):
    """The workspace cannot be used (locked, corrupt manifest, index built by another model)."""

    status = 503
