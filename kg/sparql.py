"""SPARQL text helpers shared by the store and the named queries: safe term formatting,
binding injection, read-only checks and conversion of results to plain Python values."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.query import Result

from kg.namespaces import PREFIXES

PREFIX_BLOCK = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())


class ReadOnlyQueryError(ValueError):
    """A query sent through a read-only entry point would modify the store (or is not a query)."""


class BindingError(ValueError):
    """A binding for a named query is missing or cannot be turned into a SPARQL term."""


# ---------------------------------------------------------------- terms

_BAD_IRI = re.compile(r'[\x00-\x20<>"{}|\\^`]')


def iri_term(value: str) -> str:
    value = str(value)
    if not value or _BAD_IRI.search(value) or ":" not in value:
        raise BindingError(f"not a valid absolute IRI: {value!r}")
    return f"<{value}>"


def term(value: Any) -> str:
    """A SPARQL term for a Python value or rdflib term, escaped by rdflib (never by hand)."""
    if isinstance(value, BNode):
        raise BindingError("blank nodes cannot be bound")
    if isinstance(value, URIRef):
        return iri_term(str(value))
    if isinstance(value, Literal):
        return value.n3()
    if isinstance(value, bool):
        return Literal(value).n3()
    if isinstance(value, int):
        return Literal(value, datatype=XSD.integer).n3()
    if isinstance(value, (float, Decimal)):
        return Literal(Decimal(str(value)), datatype=XSD.decimal).n3()
    if isinstance(value, str):
        return Literal(value).n3()
    raise BindingError(f"cannot bind a value of type {type(value).__name__}: {value!r}")


_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)
_VAR = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def inject_values(sparql: str, bindings: Mapping[str, Any]) -> str:
    """Bind variables by a ``VALUES`` block placed at the start of the first WHERE group.

    ``None`` values are skipped (the variable stays free). A list or tuple gives several
    alternatives (``VALUES ?topic { <a> <b> }``). Terms are formatted by :func:`term`, so a
    string can never break out of its literal."""
    blocks = []
    for name, value in bindings.items():
        if value is None:
            continue
        if not _VAR.match(name):
            raise BindingError(f"not a SPARQL variable name: {name!r}")
        values = list(value) if isinstance(value, (list, tuple, set, frozenset)) else [value]
        blocks.append(f"VALUES ?{name} {{ {' '.join(term(v) for v in values)} }}")
    if not blocks:
        return sparql
    match = _WHERE.search(sparql)
    if match is None:
        raise BindingError("query has no WHERE { … } group to bind variables in")
    return sparql[: match.end()] + "\n  " + "\n  ".join(blocks) + "\n" + sparql[match.end():]


# ---------------------------------------------------------------- read-only check

_STRINGS_IRIS_COMMENTS = re.compile(
    r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>\s]*>|#[^\n]*'
)
_UPDATE_WORDS = re.compile(
    r"\b(INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b", re.IGNORECASE
)
_FORM = re.compile(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE)


def query_form(sparql: str) -> str:
    """``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE``; raises ReadOnlyQueryError for an
    update or anything that is not a query. (The stores' query entry points reject update
    syntax anyway; this check gives the clear error.)"""
    code = _STRINGS_IRIS_COMMENTS.sub(" ", sparql)
    word = _UPDATE_WORDS.search(code)
    if word:
        raise ReadOnlyQueryError(
            f"updates are not allowed here (found {word.group(1).upper()}); only SELECT, ASK, "
            "CONSTRUCT and DESCRIBE queries are accepted"
        )
    form = _FORM.search(code)
    if form is None:
        raise ReadOnlyQueryError("not a SPARQL query: expected SELECT, ASK, CONSTRUCT or DESCRIBE")
    return form.group(1).upper()


def with_prefixes(sparql: str) -> str:
    """Prepend the project's prefixes (harmless when the query declares its own: a later
    PREFIX declaration of the same name wins)."""
    return PREFIX_BLOCK + sparql


# ---------------------------------------------------------------- results


def to_python(value: Any) -> Any:
    """A plain Python value: IRIs as str, numbers as int/float, dates as ISO strings, gYear as
    int, booleans as bool, other literals as str; unbound as None."""
    if value is None:
        return None
    if isinstance(value, URIRef):
        return str(value)
    if isinstance(value, BNode):
        return f"_:{value}"
    if isinstance(value, Literal):
        if value.datatype == XSD.gYear:
            try:
                return int(str(value)[:4] if not str(value).startswith("-") else str(value))
            except ValueError:
                return str(value)
        py = value.toPython()
        if isinstance(py, bool):
            return py
        if isinstance(py, Decimal):
            return int(py) if py == py.to_integral_value() else float(py)
        if isinstance(py, (int, float)):
            return py
        if isinstance(py, (dt.date, dt.datetime)):
            return py.isoformat()
        return str(value)
    return value


def rows_of(result: Result) -> list[dict[str, Any]]:
    names = [str(v) for v in (result.vars or [])]
    return [{n: to_python(row[i]) for i, n in enumerate(names)} for row in result]
