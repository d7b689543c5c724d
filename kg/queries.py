"""Named SPARQL queries: the ``.rq`` files in kg/queries/, run with safe bindings.

A query file starts with comment lines describing it, then declares its parameters::

    #param topic topic required
    #param year int

Parameter kinds: ``topic`` (a topic id or IRI), ``region`` (an adcode or IRI), ``doc`` (a
document id or IRI), ``body`` (a slug or IRI), ``iri``, ``string``, ``int``, ``year`` (an int
bound as an xsd:gYear literal, matched by index rather than by a filter), ``bool``. A
binding is injected as a ``VALUES`` block at the start of the WHERE group, its term formatted
by rdflib (kg/sparql.py), so no value can change the query's structure. A list binds several
alternatives. Lines between ``#if NAME`` and ``#endif`` are kept only when NAME is bound
(optional filters whose patterns would otherwise enumerate everything). As comments, these
markers leave each file a plain SPARQL query one can paste into any endpoint.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from kg.namespaces import body_iri, doc_iri, region_iri, topic_iri
from kg.sparql import BindingError, inject_values

QUERY_DIR = Path(__file__).resolve().parent / "queries"
_PARAM = re.compile(r"^#param\s+(\w+)\s+(\w+)(\s+required)?\s*$")
_KINDS = {"topic", "region", "doc", "body", "iri", "string", "int", "year", "bool"}


class UnknownQuery(KeyError):
    def __init__(self, name: str):
        super().__init__(name)
        self.name = name

    def __str__(self) -> str:
        return f"no named query {self.name!r}; known: {', '.join(list_named())}"


@dataclass(frozen=True)
class Param:
    name: str
    kind: str
    required: bool


@dataclass(frozen=True)
class NamedQuery:
    name: str
    description: str
    params: tuple[Param, ...]
    text: str
    path: Path

    def render(self, bindings: dict[str, Any]) -> str:
        """The query text with ``#if`` blocks resolved and bindings injected."""
        known = {p.name: p for p in self.params}
        unknown = set(bindings) - set(known)
        if unknown:
            raise BindingError(
                f"{self.name}: unknown parameter(s) {sorted(unknown)}; accepts {sorted(known)}"
            )
        values: dict[str, Any] = {}
        for param in self.params:
            value = bindings.get(param.name)
            if value is None or (isinstance(value, (list, tuple, set)) and not value):
                if param.required:
                    raise BindingError(f"{self.name}: parameter {param.name!r} is required")
                continue
            items = list(value) if isinstance(value, (list, tuple, set, frozenset)) else [value]
            converted = [_convert(self.name, param, v) for v in items]
            values[param.name] = converted if len(converted) > 1 else converted[0]
        return inject_values(_resolve_ifs(self.text, set(values)), values)


def _convert(query: str, param: Param, value: Any) -> Any:
    kind = param.kind
    where = f"{query}: parameter {param.name!r}"
    if kind == "int":
        if isinstance(value, bool):
            raise BindingError(f"{where}: expected an integer, got {value!r}")
        try:
            return int(str(value).strip())
        except ValueError:
            raise BindingError(f"{where}: expected an integer, got {value!r}") from None
    if kind == "year":  # an int bound as xsd:gYear, so it joins time:inXSDgYear directly
        if isinstance(value, bool):
            raise BindingError(f"{where}: expected a year, got {value!r}")
        try:
            year = int(str(value).strip())
        except ValueError:
            raise BindingError(f"{where}: expected a year, got {value!r}") from None
        return Literal(f"{year:04d}", datatype=XSD.gYear)
    if kind == "bool":
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in {"true", "1", "yes"}:
            return True
        if text in {"false", "0", "no"}:
            return False
        raise BindingError(f"{where}: expected true or false, got {value!r}")
    if kind == "string":
        return str(value)
    text = str(value).strip()
    if not text:
        raise BindingError(f"{where}: empty value")
    if text.startswith(("http://", "https://")):
        return URIRef(text)
    if kind == "iri":
        raise BindingError(f"{where}: expected an absolute IRI, got {value!r}")
    maker = {"topic": topic_iri, "region": region_iri, "doc": doc_iri, "body": body_iri}[kind]
    return maker(text)


def _resolve_ifs(text: str, bound: set[str]) -> str:
    out: list[str] = []
    stack: list[bool] = []
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("#if "):
            stack.append(stripped[4:].strip() in bound)
            continue
        if stripped == "#endif":
            if not stack:
                raise ValueError("#endif without #if")
            stack.pop()
            continue
        if all(stack):
            out.append(line)
    if stack:
        raise ValueError("#if without #endif")
    return "\n".join(out)


def parse_query_file(path: Path) -> NamedQuery:
    text = path.read_text(encoding="utf-8")
    params: list[Param] = []
    description: list[str] = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        match = _PARAM.match(line)
        if match:
            name, kind, required = match.groups()
            if kind not in _KINDS:
                raise ValueError(f"{path}: parameter {name} has unknown kind {kind!r}")
            params.append(Param(name, kind, bool(required)))
        elif not line.startswith("#param"):
            description.append(line.lstrip("# ").rstrip())
    return NamedQuery(path.stem, " ".join(d for d in description if d), tuple(params), text, path)


@lru_cache(maxsize=1)
def _registry() -> dict[str, NamedQuery]:
    return {p.stem: parse_query_file(p) for p in sorted(QUERY_DIR.glob("*.rq"))}


def list_named() -> list[str]:
    """Names of the named queries (file stems in kg/queries/)."""
    return sorted(_registry())


def get_named(name: str) -> NamedQuery:
    try:
        return _registry()[name]
    except KeyError:
        raise UnknownQuery(name) from None


def render_named(name: str, **bindings: Any) -> str:
    return get_named(name).render(bindings)


def run_named(store: Any, name: str, **bindings: Any) -> list[dict[str, Any]]:
    """Run a named query on a KGStore; rows as dicts of plain Python values."""
    return store.select(render_named(name, **bindings))
