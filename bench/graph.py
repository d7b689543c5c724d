"""Knowledge-graph benchmark: rdflib's in-memory store vs embedded Oxigraph, side by side.

    .venv/bin/python bench/graph.py [--scales 1,10,100] [--repeat 5] [--budget-s 150] [--laws]

Scales: ``seeds`` = the five seed plans (the sample corpus of DESIGN.md); ``corpus ×N`` = that
corpus copied N times with varied document ids (copy k of document D is ``D-ck`` with its title
suffixed “（副本k）”, so copies are distinct documents and citations still point at the
originals). ``--laws`` adds the 77 statutes of ../shared/corpus/laws to the copied corpus
(about 14× the triples: the 100× run then takes far longer than a few minutes). Documents are parsed, extracted and mapped once (timed separately); each store
then loads every copy from N-Triples through ``KGStore.load_ntriples`` — the same single
atomic update per document as ``replace_document`` for Oxigraph, rdflib's N-Triples parser
for the memory store — and answers each named query ``--repeat`` times (median reported).

Time box: rdflib's memory store is skipped at a scale whose load, projected linearly from the
previous scale, would exceed ``--budget-s`` (the projection is printed instead); a query whose
time projected linearly from the previous scale exceeds ``--query-budget-s`` is not run (shown
as —, with the projection in the notes), and one whose first run exceeds it is not repeated. Disk size is
the Oxigraph store folder after a flush; the memory store has none. One table is printed.
"""

from __future__ import annotations

import argparse
import gc
import os
import re
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from rich.console import Console
from rich.table import Table

from kg.namespaces import BASE
from kg.queries import run_named
from kg.store import _nt, open_store

SHARED = Path(os.environ.get("POLICYKG_SHARED", ROOT.parent / "shared"))
QUERIES = [
    ("regions_with_targets_on_topic", {"topic": "teacher-training"}),
    ("targets_by_deadline", {"year": 2027}),
    ("bodies_for_topic", {"topic": "teacher-training"}),
    ("documents_in_region", {"region": "370000"}),
    ("citations", {}),
    ("forwarding_chains", {}),
]


@dataclass
class BaseDoc:
    id: str
    title: str | None
    doc_nt: str
    shared_nt: str
    triples: int


@dataclass
class Result:
    triples: int = 0
    load_s: float | None = None
    disk_mb: float | None = None
    query_ms: dict[str, float] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)
    note: str = ""


def prepare(files: list[Path]) -> tuple[list[BaseDoc], dict[str, float]]:
    from ingest import load_document
    from ingest.extract import extract_facts
    from kg.mapping import document_graph, shared_graph
    from kg.topics import load_topic_scheme
    from kg.validate import validate

    topics = load_topic_scheme()
    timing = {"parse": 0.0, "extract": 0.0, "map": 0.0, "validate": 0.0, "serialise": 0.0}
    docs = []
    for path in files:
        t = time.perf_counter()
        doc = load_document(path)
        timing["parse"] += time.perf_counter() - t
        t = time.perf_counter()
        facts = extract_facts(doc, topics)
        timing["extract"] += time.perf_counter() - t
        t = time.perf_counter()
        dg, sg = document_graph(doc, facts), shared_graph(doc, facts)
        timing["map"] += time.perf_counter() - t
        t = time.perf_counter()
        problems = validate(dg, sg)
        timing["validate"] += time.perf_counter() - t
        if problems:
            print(f"{path.name}: skipped, {len(problems)} shape violation(s): {problems[0]}", file=sys.stderr)
            continue
        t = time.perf_counter()
        docs.append(BaseDoc(doc.id, doc.title, _nt(dg), _nt(sg), len(dg)))
        timing["serialise"] += time.perf_counter() - t
    return docs, timing


_TITLE = re.compile(r'^(<[^>]+> <(?:http://data\.europa\.eu/eli/ontology#title|http://purl\.org/dc/terms/title)> "(?:[^"\\]|\\.)*)"@zh \.$', re.MULTILINE)


def copy_of(base: BaseDoc, k: int) -> tuple[str, str]:
    if k == 0:
        return base.id, base.doc_nt
    new_id = f"{base.id}-c{k}"
    text = base.doc_nt.replace(f"{BASE}doc/{base.id}", f"{BASE}doc/{new_id}")
    text = text.replace(f'/terms/identifier> "{base.id}"', f'/terms/identifier> "{new_id}"')
    text = _TITLE.sub(lambda m: f'{m.group(1)}（副本{k}）"@zh .', text)
    return new_id, text


def dir_size_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1e6


def run_store(
    kind: str,
    docs: list[BaseDoc],
    copies: int,
    repeat: int,
    workdir: Path,
    query_budget: float,
    previous: Result | None = None,
) -> Result:
    """Load and query one store. A query whose time at the previous scale, projected linearly
    to this one, exceeds ``query_budget`` is not run (the projection is noted instead)."""
    result = Result()
    store = open_store(memory=True) if kind == "memory" else open_store(workdir / f"ox-{copies}")
    try:
        store.ensure_topics()
        start = time.perf_counter()
        for k in range(copies):
            for base in docs:
                doc_id, text = copy_of(base, k)
                store.load_ntriples(doc_id, text, base.shared_nt if k == 0 else None)
        if kind == "oxigraph":
            store.flush()
        result.load_s = time.perf_counter() - start
        print(f"  {kind:8} loaded in {result.load_s:,.1f} s", file=sys.stderr)
        result.triples = store.triple_count()
        if kind == "oxigraph":
            result.disk_mb = dir_size_mb(workdir / f"ox-{copies}" / "store")
        for name, bindings in QUERIES:
            if previous is not None and previous.triples and name in previous.query_ms:
                projected = previous.query_ms[name] / 1000 * result.triples / previous.triples
                if projected > query_budget:
                    result.note += f" {name} not run (projected ≥ {projected:,.0f} s > query budget)."
                    continue
            elif previous is not None and name not in previous.query_ms:
                result.note += f" {name} not run (skipped at the previous scale)."
                continue
            times: list[float] = []
            while len(times) < repeat:
                t = time.perf_counter()
                rows = run_named(store, name, **bindings)
                times.append(time.perf_counter() - t)
                if times[-1] > query_budget:
                    result.note += f" {name} ran once ({times[-1]:.0f} s > query budget)."
                    break
            result.query_ms[name] = statistics.median(times) * 1000
            print(f"  {kind:8} {name}: {result.query_ms[name]:,.1f} ms × {len(times)}", file=sys.stderr)
            result.rows[name] = len(rows)
    finally:
        store.close()
        del store
        gc.collect()
    return result


def fmt(value: float | None, digits: int = 1) -> str:
    if value is None:
        return "—"
    return f"{value:,.{digits}f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", default="1,10,100", help="corpus copy counts (1 = the seeds alone)")
    parser.add_argument("--repeat", type=int, default=5, help="runs of each query (median)")
    parser.add_argument("--budget-s", type=float, default=150.0, help="skip rdflib memory when its projected load exceeds this")
    parser.add_argument("--query-budget-s", type=float, default=20.0, help="do not repeat a query slower than this")
    parser.add_argument("--laws", action="store_true", help="add ../shared/corpus/laws to the copied corpus")
    args = parser.parse_args()
    scales = [int(s) for s in args.scales.split(",") if s.strip()]

    seeds = sorted((SHARED / "seeds").glob("*.txt"))
    laws = sorted((SHARED / "corpus" / "laws").glob("*.txt")) if args.laws else []
    if not seeds:
        sys.exit(f"no seed files under {SHARED / 'seeds'}")
    t0 = time.perf_counter()
    seed_docs, seed_timing = prepare(seeds)
    law_docs, law_timing = prepare(laws) if laws else ([], {k: 0.0 for k in seed_timing})
    corpus_docs = seed_docs + law_docs
    prep_s = time.perf_counter() - t0

    workdir = Path(tempfile.mkdtemp(prefix="policykg-bench-graph-"))
    columns: list[tuple[str, int, Result, Result]] = []
    last_memory: tuple[int, float] | None = None  # (triples, load seconds) of the previous scale
    previous: dict[str, Result] = {}
    try:
        for copies in scales:
            docs = seed_docs if copies == 1 else corpus_docs
            label = "seeds" if copies == 1 else f"corpus ×{copies}"
            repeat = args.repeat if copies < 100 else max(1, min(args.repeat, 3))
            expected = sum(d.triples for d in docs) * copies
            skip_memory = None
            if last_memory and last_memory[0]:
                projected = last_memory[1] * expected / last_memory[0]
                if projected > args.budget_s:
                    skip_memory = f"skipped: projected load {projected:,.0f} s > budget {args.budget_s:,.0f} s"
            print(f"[{label}] {len(docs) * copies} documents, ~{expected:,} document triples …", file=sys.stderr)
            if skip_memory:
                memory = Result(note=skip_memory)
            else:
                memory = run_store("memory", docs, copies, repeat, workdir, args.query_budget_s, previous.get("memory"))
                last_memory = (memory.triples, memory.load_s or 0.0)
                previous["memory"] = memory
            oxigraph = run_store("oxigraph", docs, copies, repeat, workdir, args.query_budget_s, previous.get("oxigraph"))
            previous["oxigraph"] = oxigraph
            for name in oxigraph.rows:
                if name in memory.rows and memory.rows[name] != oxigraph.rows[name]:
                    memory.note += f" {name}: rdflib {memory.rows[name]} rows vs oxigraph {oxigraph.rows[name]}"
            columns.append((label, len(docs) * copies, memory, oxigraph))
            shutil.rmtree(workdir / f"ox-{copies}", ignore_errors=True)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

    table = Table(title="policykg graph benchmark: rdflib in-memory vs Oxigraph (embedded), one run")
    table.add_column("measure")
    for label, n_docs, _, _ in columns:
        table.add_column(f"{label}\n({n_docs} docs)\nrdflib", justify="right")
        table.add_column("oxigraph", justify="right")
        table.add_column("rdflib/ox", justify="right")

    def ratio(a: float | None, b: float | None) -> str:
        return f"{a / b:,.1f}×" if a is not None and b else "—"

    def add_row(name: str, getter, digits: int = 1) -> None:
        cells = [name]
        for _, _, mem, ox in columns:
            a, b = getter(mem), getter(ox)
            cells += [fmt(a, digits), fmt(b, digits), ratio(a, b) if name != "triples stored" else ""]
        table.add_row(*cells)

    add_row("triples stored", lambda r: float(r.triples) if r.triples else None, 0)
    add_row("load time (s)", lambda r: r.load_s, 2)
    add_row("store size on disk (MB)", lambda r: r.disk_mb, 1)
    for name, bindings in QUERIES:
        shown = name + (" (" + ", ".join(f"{k}={v}" for k, v in bindings.items()) + ")" if bindings else "")
        add_row(f"{shown} median ms", lambda r, n=name: r.query_ms.get(n), 1)
    add_row("rows returned by regions_with_targets_on_topic", lambda r: float(r.rows["regions_with_targets_on_topic"]) if r.rows else None, 0)
    console = Console(width=200)
    console.print(table)
    timing = {k: seed_timing[k] + law_timing[k] for k in seed_timing}
    console.print(
        f"Prepared {len(corpus_docs)} documents once in {prep_s:.1f} s (parse {timing['parse']:.1f} s, "
        f"extract {timing['extract']:.1f} s, map {timing['map']:.1f} s, SHACL validate "
        f"{timing['validate']:.1f} s, N-Triples serialise {timing['serialise']:.1f} s); these are not "
        "part of the load times above. Triples stored include the topic scheme and ontology graphs."
    )
    for label, _, mem, ox in columns:
        for note in (mem.note, ox.note):
            if note.strip():
                console.print(f"{label}: {note.strip()}")


if __name__ == "__main__":
    main()
