"""Questions answered by ``ask`` against a gold of qualifying documents: precision, recall, F1.

    python bench/ask_eval.py --questions bench/ask_dev_questions.jsonl --data /path/to/workspace

Each line of the questions file: ``{"id", "lang", "question", "kind", "relevant": [{"doc": source
file name, "region", "start", "end"}], "borderline": [{"doc", "why"}], "notes"}``.

A document is predicted when the answer cites it as evidence (``answer[*].evidence[*]``: its
stored source file name); borderline documents count neither way. Regions: a region is
predicted when an answer cites a document of it (the group's region: its name, or its adcode
when the gold writes codes; a document with no region counts as 全国, national), relevant when
a relevant document's ``region`` is it (a parenthesised remark dropped: xx市（未具名） is xx市); a
region only borderline documents support counts neither way. Regions are only as right as
the workspace's document regions. An empty gold
answered by an empty answer scores 1. Prints one row per question (precision, recall, F1 of
documents and of regions, latency) and the mean per language and overall; the latency column
is wall time of ``service.ask`` after a warm-up (``api.ask.warm``), with p50/p95 at the end.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # before bench/ (whose api.py would shadow the api package)


def load_questions(path: Path) -> list[dict[str, Any]]:
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            q = json.loads(line)
        except json.JSONDecodeError as exc:
            raise SystemExit(f"{path}:{n}: not JSON ({exc})") from None
        for key in ("id", "question", "relevant"):
            if key not in q:
                raise SystemExit(f"{path}:{n}: missing {key!r}")
        out.append(q)
    return out


NATIONAL = "全国"  # a document with no region in the graph is a central (national) one


def region_names(region: dict[str, Any] | None) -> set[str]:
    """Every way a gold may write a predicted region: its adcode, name and full name, the full
    name without its leading parents (厦门市翔安区 for 福建省厦门市翔安区), and the short forms the
    gazetteer knows (文山州). No region: 全国."""
    region = region or {}
    names = {n for n in (region.get("code"), region.get("name"), region.get("full_name")) if n}
    full, name = region.get("full_name") or "", region.get("name") or ""
    for i in range(len(full)):
        if full[i:].endswith(name) and len(full) - i >= len(name):
            names.add(full[i:])
    if region.get("level") == "country":
        names |= {NATIONAL, "中华人民共和国", "中国"}
    return names or {NATIONAL}


def region_label(region: dict[str, Any] | None, gold: set[str], short: dict[str, set[str]]) -> str:
    """How a predicted region is compared with the gold's: the gold's label when one of the
    region's names (or a short form of it the gazetteer knows) is a gold label, else its name."""
    names = region_names(region)
    code = (region or {}).get("code")
    for g in sorted(gold):
        if g in names or (code and code in short.get(g, ())):
            return g
    return (region or {}).get("name") or NATIONAL


def short_forms(labels: set[str]) -> dict[str, set[str]]:
    """Gold labels the gazetteer resolves (文山州 → {532600}): label → adcodes."""
    from ingest.regions import default_gazetteer

    gaz = default_gazetteer()
    return {g: {r.code for r in gaz.candidates(g)} for g in labels}


def gold_label(text: str) -> str:
    """A gold region as written, without a parenthesised remark (xx市（未具名） → xx市)."""
    return re.sub(r"[（(].*?[）)]", "", str(text)).strip()


def predicted(answer: dict[str, Any], gold: set[str] | None = None,
              short: dict[str, set[str]] | None = None) -> tuple[set[str], set[str]]:
    """(source files cited as evidence, regions named) by an answer."""
    docs: set[str] = set()
    regions: set[str] = set()
    for group in answer.get("answer") or []:
        evs = group.get("evidence") or []
        for ev in evs:
            if ev.get("closest"):
                continue
            if ev.get("source_file"):
                docs.add(ev["source_file"])
            regions.add(region_label(ev.get("document_region") or group.get("region"), gold or set(), short or {}))
    return docs, regions


def prf(pred: set[str], gold: set[str], ignore: set[str]) -> tuple[float, float, float]:
    pred = pred - ignore
    if not gold and not pred:
        return 1.0, 1.0, 1.0
    tp = len(pred & gold)
    p = tp / len(pred) if pred else 0.0
    r = tp / len(gold) if gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def evaluate(questions: list[dict[str, Any]], service: Any) -> list[dict[str, Any]]:
    rows = []
    documents = service.documents()
    for q in questions:
        t0 = time.perf_counter()
        ans = service.ask(q["question"])
        ms = (time.perf_counter() - t0) * 1000
        gold_regions = {gold_label(r["region"]) for r in q["relevant"] if r.get("region")}
        short = short_forms(gold_regions)
        docs, regions = predicted(ans, gold_regions, short)
        gold_docs = {r["doc"] for r in q["relevant"]}
        border_docs = {b["doc"] for b in q.get("borderline") or []}
        doc_region = {(d.get("source") or {}).get("file"): region_label(d.get("region"), gold_regions, short)
                      for d in documents}
        # a region only borderline documents support counts neither way
        border_regions = {doc_region[b] for b in border_docs if b in doc_region} - gold_regions
        dp, dr, df = prf(docs, gold_docs, border_docs)
        rp, rr, rf = prf(regions, gold_regions, border_regions)
        rows.append({"id": q["id"], "lang": q.get("lang") or "zh", "question": q["question"], "ms": ms,
                     "doc": (dp, dr, df), "region": (rp, rr, rf), "n_gold": len(gold_docs), "n_pred": len(docs - border_docs),
                     "missed": sorted(gold_docs - docs), "extra": sorted(docs - gold_docs - border_docs)})
    return rows


def _mean(rows: list[dict[str, Any]], key: str, i: int) -> float:
    return statistics.fmean(r[key][i] for r in rows) if rows else float("nan")


def print_table(rows: list[dict[str, Any]], verbose: bool = False) -> None:
    print(f"{'id':<10} {'lang':<4} {'gold':>4} {'pred':>4}  {'doc P':>6} {'doc R':>6} {'doc F1':>6}  "
          f"{'reg P':>6} {'reg R':>6} {'reg F1':>6} {'ms':>7}  question")
    for r in rows:
        d, g = r["doc"], r["region"]
        print(f"{r['id']:<10} {r['lang']:<4} {r['n_gold']:>4} {r['n_pred']:>4}  {d[0]:6.2f} {d[1]:6.2f} {d[2]:6.2f}  "
              f"{g[0]:6.2f} {g[1]:6.2f} {g[2]:6.2f} {r['ms']:7.0f}  {r['question'][:60]}")
        if verbose and (r["missed"] or r["extra"]):
            print(f"{'':<12}missed: {', '.join(r['missed'])}\n{'':<12}extra:  {', '.join(r['extra'])}")
    print()
    for lang in ("zh", "en", None):
        part = [r for r in rows if lang is None or r["lang"] == lang]
        if not part:
            continue
        exact = sum(1 for r in part if r["doc"][2] == 1.0)
        print(f"mean {lang or 'all':<4} n={len(part):<3} doc P {_mean(part, 'doc', 0):.3f} R {_mean(part, 'doc', 1):.3f} "
              f"F1 {_mean(part, 'doc', 2):.3f}   region P {_mean(part, 'region', 0):.3f} R {_mean(part, 'region', 1):.3f} "
              f"F1 {_mean(part, 'region', 2):.3f}   exact (doc F1 = 1) {exact}")
    times = sorted(r["ms"] for r in rows)
    if times:
        p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
        print(f"latency ms: p50 {statistics.median(times):.0f}  p95 {p95:.0f}  max {times[-1]:.0f}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--questions", type=Path, default=ROOT / "bench" / "ask_dev_questions.jsonl")
    ap.add_argument("--data", type=Path, required=True, help="the workspace to ask")
    ap.add_argument("--verbose", "-v", action="store_true", help="list missed and extra documents")
    ap.add_argument("--json", action="store_true", help="print the rows as JSON")
    args = ap.parse_args(argv)
    if not args.questions.is_file():
        raise SystemExit(f"--questions {args.questions}: no such file")
    if not args.data.is_dir():
        raise SystemExit(f"--data {args.data}: no such workspace directory")
    from api.ask import warm
    from api.service import PolicyKG

    questions = load_questions(args.questions)
    with PolicyKG(args.data, read_only=True) as service:
        t0 = time.perf_counter()
        warm(service)
        print(f"warm-up {time.perf_counter() - t0:.1f} s; {len(questions)} questions from {args.questions.name}")
        rows = evaluate(questions, service)
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=1))
    else:
        print_table(rows, args.verbose)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
