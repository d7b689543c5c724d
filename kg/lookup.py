"""Find nodes of the projection by name: regions, bodies, topics and documents.

``find_nodes(G, q)`` looks ``q`` up in the names a person knows a node by — a region's name
and full name (枣庄市, 山东省枣庄市), a body's name, a topic's Chinese and English labels
and alternative labels, a document's title, 文号 and id — and returns the matches best
first: an exact name, then a name starting with ``q``, then a name containing ``q``, then a
name that ``q`` contains (typing 枣庄市教育局的文件 still finds 枣庄市教育局, the longest such
name first). Within one rank, regions come before topics, bodies and documents, and
better-connected nodes first.
Matching ignores case, spaces and full-width/half-width differences (NFKC). Works on any
graph ``kg.projection.from_rdf`` builds.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass
from typing import Any

import networkx as nx

KINDS: tuple[str, ...] = ("region", "topic", "body", "document")
# Attributes (kg.projection's short predicate names) that hold a name, best first.
NAME_ATTRS: tuple[str, ...] = (
    "label", "prefLabel", "fullName", "name", "title", "altLabel",
    "prefLabel_en", "altLabel_en", "id_local", "identifier", "adcode",
)
_RANKS = ("exact", "prefix", "contains", "within")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class NodeMatch:
    id: str  # the node's IRI
    label: str
    kind: str
    matched: str  # the name that matched
    match: str  # exact, prefix, contains or within
    detail: str | None = None  # a hint to tell like names apart (a region's full name, a date …)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def normalise(text: str) -> str:
    return _SPACE.sub("", unicodedata.normalize("NFKC", str(text))).casefold()


def names(attrs: dict[str, Any]) -> list[str]:
    """The names of a node, best first (several values of one attribute are "; "-joined)."""
    out: list[str] = []
    for key in NAME_ATTRS:
        value = attrs.get(key)
        if value is None or isinstance(value, bool):
            continue
        for part in str(value).split("; "):
            part = part.strip()
            if part and part not in out:
                out.append(part)
    return out


def _detail(kind: str, attrs: dict[str, Any]) -> str | None:
    if kind == "region":
        return attrs.get("fullName") or attrs.get("level")
    if kind == "topic":
        return attrs.get("prefLabel_en")
    if kind == "body":
        return attrs.get("body_kind")
    if kind == "document":
        parts = [str(attrs[k]) for k in ("id_local", "date_document") if attrs.get(k)]
        return " · ".join(parts) or None
    return None


def _rank(query: str, name: str) -> int | None:
    n = normalise(name)
    if not n:
        return None
    if n == query:
        return 0
    if n.startswith(query):
        return 1
    if query in n:
        return 2
    if len(n) >= 2 and n in query:
        return 3
    return None


def find_nodes(G: nx.MultiDiGraph, q: str, kinds: tuple[str, ...] | list[str] | None = None,
               limit: int = 20) -> list[NodeMatch]:
    """The nodes of ``kinds`` (default: regions, topics, bodies, documents) whose names match
    ``q``, best first, at most ``limit`` (see the module docstring). An empty ``q`` raises
    ``ValueError``."""
    query = normalise(q or "")
    if not query:
        raise ValueError("q must name something (a region, body, topic or document)")
    wanted = tuple(kinds) if kinds else KINDS
    unknown = [k for k in wanted if k not in KINDS]
    if unknown:
        raise ValueError(f"unknown node kind {unknown[0]!r}; choose from {', '.join(KINDS)}")
    found: list[tuple[tuple[Any, ...], NodeMatch]] = []
    for node, attrs in G.nodes(data=True):
        kind = attrs.get("kind")
        if kind not in wanted:
            continue
        best: tuple[int, int, str] | None = None
        for i, name in enumerate(names(attrs)):
            rank = _rank(query, name)
            if rank is not None and (best is None or (rank, i) < best[:2]):
                best = (rank, i, name)
        if best is None:
            continue
        rank, _, name = best
        label = str(attrs.get("label") or name)
        longest = -len(normalise(name)) if rank == 3 else 0  # within q: the most specific name first
        key = (rank, longest, wanted.index(kind), -G.degree(node), len(label), str(node))
        found.append((key, NodeMatch(id=str(node), label=label, kind=kind, matched=name,
                                     match=_RANKS[rank], detail=_detail(kind, attrs))))
    found.sort(key=lambda item: item[0])
    return [m for _, m in found[: max(0, limit)]]
