"""Policy lineage against hand-aligned gold: pairs, labels, and the aligner's time.

    .venv/bin/python bench/lineage_eval.py --data WORKSPACE [--gold bench/gold/lineage.jsonl]
                                           [--details] [--no-timing]

The workspace must hold the documents named by the gold (ingested from
../shared/corpus/aesthetic). Gold (bench/gold/lineage.jsonl): one JSON object per item,
{"local_doc", "source_doc", "label": adopted|adapted|added|dropped, "local": [start, end] | null,
"source": [start, end] | null, "change", "target_change"}, offsets into the raw file text
(``open(path, encoding="utf-8", newline="").read()``) of a quote inside the item. Documents
are named by file name (or path, or policykg id).

Each gold span is mapped to the clause of the parsed document that contains its text (the
quote raw[start:end] is looked up in the normalised document text, at its offset first, then
anywhere, then with whitespace ignored); the clause becomes its IRI in the workspace.

- **pairs**: gold pairs are the (local clause, source clause) of adopted/adapted items; the
  system's are the aligner's pairs. Recall = gold pairs found / gold pairs. Precision = system
  pairs that are gold / system pairs that touch a clause the gold annotated (a local clause
  or a source clause of any gold item: the gold need not cover every clause).
- **labels**: for each gold item, the system's label of the same thing: of the pair (adopted /
  adapted; a missing pair counts wrong), of the local clause (added = in no system pair), of
  the source clause (dropped = in no system pair). Accuracy over items, and per gold label.
- **target change**: items whose gold has a target_change, against the system row's.
- **timing**: the aligner over the whole corpus (every document with its resolved sources,
  plus every local document × the central document the most local documents cite or, when
  citations do not resolve, the gold's source documents), reading clause texts from the store
  and vectors from the cache; against the time of one search per clause (measured on a
  sample, scaled to the corpus's clause count).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SHARED = Path(os.environ.get("POLICYKG_SHARED", ROOT.parent / "shared"))
CORPUS = SHARED / "corpus" / "aesthetic"
GOLD = ROOT / "bench" / "gold" / "lineage.jsonl"
LABELS = ("adopted", "adapted", "added", "dropped")


def load_gold(path: Path) -> list[dict]:
    items = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except ValueError as exc:
            raise SystemExit(f"{path}:{n}: not JSON ({exc})") from None
        if item.get("label") not in LABELS:
            raise SystemExit(f"{path}:{n}: label {item.get('label')!r} is not one of {LABELS}")
        for key in ("local_doc", "source_doc"):
            if not item.get(key):
                raise SystemExit(f"{path}:{n}: missing {key}")
        item["_line"] = n
        items.append(item)
    return items


def find_file(name: str) -> Path | None:
    p = Path(name)
    if p.is_file():
        return p
    for candidate in (CORPUS / p.name, SHARED / name, ROOT.parent / name):
        if candidate.is_file():
            return candidate
    return None


class Docs:
    """Gold document names → parsed document, raw text, workspace id."""

    def __init__(self, kg) -> None:
        self.kg = kg
        self._by_file = {((d.get("source") or {}).get("file") or ""): d for d in kg.catalog().documents.values()}
        self._cache: dict[str, tuple] = {}

    def get(self, name: str):
        if name in self._cache:
            return self._cache[name]
        from ingest import load_document

        row = self.kg.catalog().doc_by_id(name) or self._by_file.get(Path(name).name)
        if row is None:
            raise SystemExit(f"gold names {name!r}: not in the workspace (ingest ../shared/corpus/aesthetic)")
        path = find_file((row.get("source") or {}).get("file") or name) or find_file(name)
        if path is None:
            raise SystemExit(f"gold names {name!r}: file not found under {CORPUS}")
        with open(path, encoding="utf-8", newline="") as fh:
            raw = fh.read()
        doc = load_document(path)
        if doc.id != row["id"]:
            print(f"warning: {path.name} parses to id {doc.id}, the workspace holds {row['id']} "
                  "(built with other code?): clause paths may differ", file=sys.stderr)
        self._cache[name] = (row, doc, raw)
        return self._cache[name]


def locate(doc, raw: str, span) -> int | None:
    """Offset in doc.text of the gold quote raw[start:end]."""
    if not span:
        return None
    start, end = int(span[0]), int(span[1])
    quote = raw[start:end]
    if not quote.strip():
        return None
    if doc.text[start:end] == quote:
        return start
    at = doc.text.find(quote)
    if at >= 0:
        return at
    squeezed = re.sub(r"\s+", "", quote)
    if not squeezed:
        return None
    pattern = r"\s*".join(re.escape(ch) for ch in squeezed)
    m = re.search(pattern, doc.text)
    return m.start() if m else None


def clause_at(doc, offset: int | None) -> str | None:
    """Path of the clause whose own text contains the offset (the deepest such clause)."""
    if offset is None:
        return None
    best = None
    for c in doc.walk():
        inside = c.start <= offset < max(c.end, c.start + 1)
        if inside and (best is None or c.depth >= best.depth):
            best = c
    return best.path if best else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True, help="the workspace (store + index) holding the corpus")
    parser.add_argument("--gold", default=str(GOLD))
    parser.add_argument("--details", action="store_true", help="print every gold item with the system's answer")
    parser.add_argument("--no-timing", action="store_true")
    args = parser.parse_args()

    from api.lineage.service import Loader, align_documents
    from api.service import PolicyKG
    from kg.namespaces import clause_iri

    gold_path = Path(args.gold)
    if not gold_path.is_file():
        raise SystemExit(f"--gold {gold_path}: no such file")
    items = load_gold(gold_path)
    kg = PolicyKG(args.data, read_only=True)
    docs = Docs(kg)
    loader = Loader(kg)

    unmapped = 0
    by_pair: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for item in items:
        lrow, ldoc, lraw = docs.get(item["local_doc"])
        srow, sdoc, sraw = docs.get(item["source_doc"])
        lp = clause_at(ldoc, locate(ldoc, lraw, item.get("local")))
        sp = clause_at(sdoc, locate(sdoc, sraw, item.get("source")))
        item["_l"] = str(clause_iri(lrow["id"], lp)) if lp else None
        item["_s"] = str(clause_iri(srow["id"], sp)) if sp else None
        item["_lp"], item["_sp"] = lp, sp
        wanted_l = item["label"] in ("adopted", "adapted", "added")
        wanted_s = item["label"] in ("adopted", "adapted", "dropped")
        if (wanted_l and not item["_l"]) or (wanted_s and not item["_s"]):
            unmapped += 1
            item["_unmapped"] = True
        by_pair[(lrow["id"], srow["id"])].append(item)

    tp = sys_touching = gold_pairs = 0
    correct = Counter()
    total = Counter()
    confusion: Counter = Counter()
    tc_right = tc_total = 0
    started = time.perf_counter()
    align_seconds = 0.0
    for (lid, sid), group in by_pair.items():
        t0 = time.perf_counter()
        result = align_documents(kg, lid, sid, loader=loader)
        align_seconds += time.perf_counter() - t0
        rows = result["rows"]
        pairs = {(r["local"]["id"], r["source"]["id"]): r for r in rows if r["local"] and r["source"]}
        paired_l = {a for a, _ in pairs}
        paired_s = {b for _, b in pairs}
        gold_l = {i["_l"] for i in group if i["_l"]}
        gold_s = {i["_s"] for i in group if i["_s"]}
        gp = {(i["_l"], i["_s"]) for i in group if i["label"] in ("adopted", "adapted") and i["_l"] and i["_s"]}
        gold_pairs += len(gp)
        tp += len(gp & set(pairs))
        sys_touching += sum(1 for a, b in pairs if a in gold_l or b in gold_s)
        for i in group:
            label = i["label"]
            total[label] += 1
            if i.get("_unmapped"):
                got = "unmapped"
            elif label in ("adopted", "adapted"):
                row = pairs.get((i["_l"], i["_s"]))
                got = row["label"] if row else ("added" if i["_l"] not in paired_l else "other pair")
                if i.get("target_change") and row is not None:
                    tc_total += 1
                    tc_right += int(row.get("target_change") == i["target_change"])
                elif i.get("target_change"):
                    tc_total += 1
            elif label == "added":
                got = "added" if i["_l"] not in paired_l else "paired"
            else:
                got = "dropped" if i["_s"] not in paired_s else "paired"
            confusion[(label, got)] += 1
            correct[label] += int(got == label)
            if args.details:
                print(f"{i['_line']:>4} {label:8} → {got:10} local {i['_lp']} source {i['_sp']}")
    elapsed = time.perf_counter() - started

    precision = tp / sys_touching if sys_touching else 0.0
    recall = tp / gold_pairs if gold_pairs else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    n_items = sum(total.values())
    print(f"lineage eval: {len(items)} gold items, {len(by_pair)} (local, source) pairs, "
          f"{unmapped} items not mapped to a clause")
    print()
    print(f"{'metric':<28}{'value':>10}")
    print(f"{'pair precision':<28}{precision:>10.3f}   ({tp}/{sys_touching})")
    print(f"{'pair recall':<28}{recall:>10.3f}   ({tp}/{gold_pairs})")
    print(f"{'pair F1':<28}{f1:>10.3f}")
    print(f"{'label accuracy':<28}{sum(correct.values()) / n_items if n_items else 0:>10.3f}   "
          f"({sum(correct.values())}/{n_items})")
    for label in LABELS:
        if total[label]:
            print(f"{'  ' + label:<28}{correct[label] / total[label]:>10.3f}   ({correct[label]}/{total[label]})")
    if tc_total:
        print(f"{'target change accuracy':<28}{tc_right / tc_total:>10.3f}   ({tc_right}/{tc_total})")
    print()
    print("confusion (gold → system): " + ", ".join(f"{g}→{s} {n}" for (g, s), n in sorted(confusion.items())))
    print(f"gold pairs aligned in {align_seconds:.2f} s ({elapsed:.2f} s with scoring)")
    if not args.no_timing:
        timing(kg, loader)


def timing(kg, loader) -> None:
    from api.lineage.service import align_documents, resolve_sources

    catalog = kg.catalog()
    docs = sorted(catalog.documents.values(), key=lambda d: d["id"])
    t0 = time.perf_counter()
    for d in docs:
        loader.get(d["id"])
    read_s = time.perf_counter() - t0
    clauses = sum(len(loader.get(d["id"]).clauses) for d in docs)

    pairs: list[tuple[str, str]] = []
    t0 = time.perf_counter()
    cited = Counter()
    for d in docs:
        for r in resolve_sources(kg, d["id"], loader):
            if r["doc"]:
                pairs.append((d["id"], r["doc"]))
                cited[r["doc"]] += 1
    resolve_s = time.perf_counter() - t0
    # every document × one central document (the most cited, else the longest), so that the
    # figure covers the whole corpus even while titles and 文号 are misread
    central = [d for d in docs if ((d.get("source") or {}).get("file") or "").startswith("central_")]
    hub = None
    if cited and cited.most_common(1)[0][1] >= 5:
        hub = cited.most_common(1)[0][0]
    elif central:
        hub = max(central, key=lambda d: d.get("clauses") or 0)["id"]
    if hub:
        pairs.extend((d["id"], hub) for d in docs if d["id"] != hub and (d["id"], hub) not in pairs)
    t0 = time.perf_counter()
    for local, source in pairs:
        align_documents(kg, local, source, loader=loader)
    align_s = time.perf_counter() - t0

    sample = [c["text"] for d in docs for c in loader.get(d["id"]).clauses]
    random.Random(0).shuffle(sample)
    sample = sample[:30]
    index = kg.index
    index.search(sample[0], k=10)  # warm up (BM25 built, encoder loaded)
    t0 = time.perf_counter()
    for text in sample:
        index.search(text, k=10)
    per_search = (time.perf_counter() - t0) / max(1, len(sample))
    print()
    print(f"{'timing (whole corpus)':<40}{'seconds':>10}")
    print(f"{'read clauses + cached vectors':<40}{read_s:>10.2f}   ({len(docs)} documents, {clauses} clauses)")
    print(f"{'resolve citations':<40}{resolve_s:>10.2f}   ({sum(cited.values())} resolved)")
    hub_file = ((catalog.doc_by_id(hub) or {}).get("source") or {}).get("file") if hub else None
    print(f"{'align (with diffs and targets)':<40}{align_s:>10.2f}   ({len(pairs)} document pairs, "
          f"{1000 * align_s / max(1, len(pairs)):.0f} ms each; every document × {hub_file})")
    print(f"{'one search per clause (estimated)':<40}{per_search * clauses:>10.2f}   "
          f"({1000 * per_search:.0f} ms per search × {clauses})")


if __name__ == "__main__":
    main()
