"""Check bench/ask_questions_heldout.jsonl against the raw documents.

Standalone (plain Python, no project imports): valid JSON, required keys, offsets in range and on
sentence bounds, no document listed twice, none both relevant and borderline.
Usage: python bench/validate_heldout.py [path/to/questions.jsonl]
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
DIRS = [SHARED / "seeds", SHARED / "corpus" / "aesthetic"]
ENDS = set("。；;！？!?\n\r")
KEYS = {"id", "lang", "question", "kind", "relevant", "borderline", "notes"}


def doc_path(name: str) -> Path:
    for d in DIRS:
        if (d / name).is_file():
            return d / name
    raise SystemExit(f"unknown document {name!r}")


def check(path: Path) -> list[str]:
    errors: list[str] = []
    seen: set[str] = set()
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        q = json.loads(line)
        qid = q.get("id", f"line {n}")
        if set(q) != KEYS:
            errors.append(f"{qid}: keys {sorted(set(q) ^ KEYS)}")
        if qid in seen:
            errors.append(f"{qid}: duplicate id")
        seen.add(qid)
        if q["lang"] not in ("zh", "en"):
            errors.append(f"{qid}: lang {q['lang']!r}")
        rel = [r["doc"] for r in q["relevant"]]
        bor = [b["doc"] for b in q["borderline"]]
        if len(set(rel)) != len(rel) or len(set(bor)) != len(bor):
            errors.append(f"{qid}: a document is listed twice")
        if set(rel) & set(bor):
            errors.append(f"{qid}: both relevant and borderline: {sorted(set(rel) & set(bor))}")
        for b in q["borderline"]:
            doc_path(b["doc"])
            if not b.get("reason"):
                errors.append(f"{qid}: borderline {b['doc']} without reason")
        for r in q["relevant"]:
            text = doc_path(r["doc"]).open(encoding="utf-8", newline="").read()
            a, e = r["start"], r["end"]
            where = f"{qid} {r['doc']} {a}-{e}"
            if not (0 <= a < e <= len(text)):
                errors.append(f"{where}: out of range")
                continue
            if not r.get("region"):
                errors.append(f"{where}: no region")
            if text[a].isspace():
                errors.append(f"{where}: leading whitespace")
            j = a - 1
            while j >= 0 and text[j].isspace() and text[j] not in "\n\r":
                j -= 1
            if j >= 0 and text[j] not in ENDS:
                errors.append(f"{where}: does not start after a sentence end")
            if not (text[e - 1] in ENDS or e == len(text) or text[e] in "\n\r"):
                errors.append(f"{where}: does not end on a sentence end")
            if any(c in ENDS - {"\n", "\r"} for c in text[a:e - 1]):
                errors.append(f"{where}: spans more than one sentence")
    return errors


if __name__ == "__main__":
    p = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "bench" / "ask_questions_heldout.jsonl"
    errs = check(p)
    for e in errs:
        print(e)
    print(f"{p.name}: {'OK' if not errs else f'{len(errs)} errors'}")
    sys.exit(1 if errs else 0)
