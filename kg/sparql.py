"""SPARQL text helpers shared by the store and the named queries: safe term formatting,
binding injection, read-only checks and conversion of results to plain Python values."""

from __future__ import annotations

import datetime as dt
import re
import threading
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.query import Result

from kg.namespaces import PREFIXES

PREFIX_BLOCK = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())


class ReadOnlyQueryError(ValueError):
    """A SPARQL update sent through a read-only entry point."""


class FederatedQueryError(ReadOnlyQueryError):
    """A query with a ``SERVICE`` clause: the endpoint would make outbound requests on a
    client's behalf (server-side request forgery), so federation is refused."""


class SparqlSyntaxError(ValueError):
    """Text that is neither a SPARQL query nor an update (the parser's message attached)."""


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

_FORMS = {"SelectQuery": "SELECT", "AskQuery": "ASK", "ConstructQuery": "CONSTRUCT",
          "DescribeQuery": "DESCRIBE"}


# rdflib's SPARQL grammar (pyparsing) keeps parse state in shared objects: two threads parsing
# at once corrupt each other's results ("Param.postParse2() missing … tokenList"); parses are
# milliseconds, so they take turns
_PARSER_LOCK = threading.Lock()


def query_form(sparql: str) -> str:
    """``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE``, as rdflib's SPARQL 1.1 parser reads
    the text (with the project's prefixes declared). An update raises
    :class:`ReadOnlyQueryError`; text that is neither a query nor an update raises
    :class:`SparqlSyntaxError` with the parser's message. Words inside strings, IRIs or
    variable names (``?add``, ``schema:copy``) are never mistaken for update keywords."""
    from pyparsing import ParseBaseException
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    text = with_prefixes(sparql)
    try:
        with _PARSER_LOCK:  # pyparsing grammars are not thread-safe (concurrent /sparql requests)
            parsed = parseQuery(text)
    except ParseBaseException as exc:
        try:
            with _PARSER_LOCK:
                update = parseUpdate(text)
        except ParseBaseException:
            line = exc.lineno - PREFIX_BLOCK.count("\n")  # the position in the text as given
            raise SparqlSyntaxError(_at(sparql, line, exc.col, f"not a valid SPARQL query ({exc.msg})")) from None
        ops = [str(getattr(op, "name", "")) for op in update.get("request", [])]
        shown = ", ".join(sorted({_update_word(o) for o in ops})) or "UPDATE"
        raise ReadOnlyQueryError(
            f"SPARQL {shown} is an update: this endpoint is read-only and accepts only SELECT, "
            "ASK, CONSTRUCT and DESCRIBE queries"
        ) from None
    services = service_iris(parsed)
    if services:
        raise FederatedQueryError(
            f"query: SERVICE is refused (federated queries would make this server send requests "
            f"to {', '.join(sorted(services))}); query the data held here only")
    return _FORMS[parsed[1].name]


def service_iris(parsed: Any) -> set[str]:
    """The endpoints named by ``SERVICE`` clauses anywhere in a parsed query (rdflib's parse
    tree: ``ServiceGraphPattern`` nodes, also inside sub-queries, ``EXISTS`` and ``OPTIONAL``);
    a ``SERVICE ?var`` counts as ``?var``."""
    from rdflib.plugins.sparql.parserutils import CompValue

    found: set[str] = set()
    seen: set[int] = set()

    def walk(node: Any) -> None:
        if id(node) in seen or isinstance(node, (str, bytes)):
            return
        seen.add(id(node))
        if isinstance(node, CompValue):
            if node.name == "ServiceGraphPattern":
                term = node.get("term")
                found.add(str(term.n3() if hasattr(term, "n3") else term) if term is not None else "SERVICE")
            for value in node.values():
                walk(value)
        elif isinstance(node, dict):
            for value in node.values():
                walk(value)
        elif hasattr(node, "__iter__"):
            for value in node:
                walk(value)

    walk(parsed)
    return found


def _update_word(op_name: str) -> str:
    """``DeleteWhere`` → ``DELETE WHERE``, ``InsertData`` → ``INSERT DATA``."""
    import re as _re

    return " ".join(_re.findall(r"[A-Z][a-z]*", op_name)).upper() or "UPDATE"


_STORE_POSITION = re.compile(r"^\s*error at (\d+):(\d+):\s*(.*)$", re.DOTALL)


def _expected(text: str) -> str:
    """The human part of a parser's "expected one of …" list (the character classes dropped)."""
    text = re.sub(r"^expected (one of )?", "", text.strip())
    items, depth, current = [], 0, ""
    for ch in text:
        depth += ch == "["
        depth -= ch == "]"
        if ch == "," and depth == 0:
            items.append(current.strip())
            current = ""
        else:
            current += ch
    items.append(current.strip())
    words = [i for i in items if i and not i.startswith(("[", "'"))]
    return "; ".join(dict.fromkeys(w[0].lower() + w[1:] for w in words)) or "unexpected text"


def store_syntax_error(message: str, sparql: str) -> str:
    """The store's parser message (``error at 19:13: expected …``, positions in the text with
    the project's prefixes prepended) as the position in ``sparql`` as the user wrote it, the
    reason, and the line in question."""
    match = _STORE_POSITION.match(str(message))
    if not match:
        return f"SPARQL syntax error: {message}"
    line = int(match.group(1)) - PREFIX_BLOCK.count("\n")
    return _at(sparql, line, int(match.group(2)), _expected(match.group(3)))


def _at(sparql: str, line: int, column: int, reason: str) -> str:
    lines = sparql.splitlines()
    shown = f": {lines[line - 1].strip()}" if 1 <= line <= len(lines) and lines[line - 1].strip() else ""
    return f"SPARQL syntax error at line {line}, column {column}: {reason}{shown}"


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
