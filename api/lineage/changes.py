"""What changed between a source clause and the local clause adapted from it: the character
diff, and the targets compared. Pure functions over texts and target rows; no RDF, no vectors.

Targets are the rows ``kg.read.targets`` returns (or any mapping with the same keys: value,
value_max, comparator, unit, object, deadline, frequency, period). A local target is compared
with the source target of the same unit whose counted object is closest; a local target with
no counterpart is ``new``, a source target the local clause no longer carries makes it
``weaker``. Milestone years written in the text (到2018年, 2020年底前) are compared too, since
many provisions date a goal without a number the target extraction would count.
"""

from __future__ import annotations

import difflib
import html
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

VERDICTS = ("stronger", "weaker", "same", "new", "mixed")

# how many times a year (每学期 = twice); a frequency not listed is compared as text only
_PER_YEAR = {"每周": 52.0, "每月": 12.0, "每季度": 4.0, "每学期": 2.0, "每学年": 1.0, "每年": 1.0}
_CN = {"一": 1, "两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


def per_year(frequency: str | None) -> float | None:
    """每年 → 1, 每学期 → 2, 每两年 → 0.5, 每三年 → 1/3; None when not understood."""
    if not frequency:
        return None
    text = re.sub(r"\s", "", frequency)
    for key, value in _PER_YEAR.items():
        if text.startswith(key):
            return value
    m = re.match(r"每(\d+|[一两二三四五六七八九十])(个)?(年|学期|月|周)", text)
    if m:
        n = int(m.group(1)) if m.group(1).isdigit() else _CN[m.group(1)]
        unit = {"年": 1.0, "学期": 2.0, "月": 12.0, "周": 52.0}[m.group(3)]
        return unit / n
    return None


@dataclass
class Aspect:
    name: str  # value, deadline, frequency, scope
    source: Any
    local: Any
    verdict: str  # stronger, weaker, same


@dataclass
class TargetChange:
    verdict: str  # stronger, weaker, same, new, mixed
    local: Mapping[str, Any] | None
    source: Mapping[str, Any] | None
    aspects: list[Aspect] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "verdict": self.verdict,
            "local": _summary(self.local),
            "source": _summary(self.source),
            "aspects": [asdict(a) for a in self.aspects],
        }


def _summary(t: Mapping[str, Any] | None) -> dict[str, Any] | None:
    if t is None:
        return None
    keys = ("target", "value", "value_max", "comparator", "unit", "object", "deadline", "frequency", "quote")
    return {k: t.get(k) for k in keys if k in t}


def _cmp(local: float, source: float, higher_is_stronger: bool = True) -> str:
    if local == source:
        return "same"
    return "stronger" if (local > source) == higher_is_stronger else "weaker"


def _scope(local: str | None, source: str | None) -> str | None:
    """A counted object that adds qualifiers narrows the scope (weaker); one that drops them
    widens it (stronger); unrelated objects are not compared."""
    if not local or not source:
        return None
    a, b = re.sub(r"\s", "", local), re.sub(r"\s", "", source)
    if a == b:
        return "same"
    if b in a:
        return "weaker"
    if a in b:
        return "stronger"
    return None


def compare_target(local: Mapping[str, Any], source: Mapping[str, Any]) -> TargetChange:
    """Compare one local target with the source target it adapts, aspect by aspect."""
    aspects: list[Aspect] = []
    lv, sv = local.get("value"), source.get("value")
    if lv is not None and sv is not None:
        at_most = (local.get("comparator") or source.get("comparator")) == "<="
        aspects.append(Aspect("value", sv, lv, _cmp(float(lv), float(sv), higher_is_stronger=not at_most)))
    ld, sd = local.get("deadline"), source.get("deadline")
    if ld is not None and sd is not None:
        aspects.append(Aspect("deadline", sd, ld, _cmp(int(ld), int(sd), higher_is_stronger=False)))
    elif ld is not None and sd is None:
        aspects.append(Aspect("deadline", None, ld, "stronger"))  # a deadline where there was none
    elif sd is not None and ld is None:
        aspects.append(Aspect("deadline", sd, None, "weaker"))
    lf, sf = per_year(local.get("frequency")), per_year(source.get("frequency"))
    if lf is not None and sf is not None:
        aspects.append(Aspect("frequency", source.get("frequency"), local.get("frequency"), _cmp(lf, sf)))
    scope = _scope(local.get("object"), source.get("object"))
    if scope is not None:
        aspects.append(Aspect("scope", source.get("object"), local.get("object"), scope))
    return TargetChange(_overall([a.verdict for a in aspects]), local, source, aspects)


def _overall(verdicts: Sequence[str]) -> str:
    kinds = set(verdicts) - {"same"}
    if not kinds:
        return "same"
    if len(kinds) == 1:
        return kinds.pop()
    return "mixed"


def _object_similarity(a: str | None, b: str | None) -> float:
    if not a or not b:
        return 0.0
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def _comparable_objects(a: str | None, b: str | None) -> bool:
    """Two counted objects that may be the same thing (either unknown, or sharing wording)."""
    if not a or not b:
        return True
    return _object_similarity(a, b) >= 0.3 or a in b or b in a


def compare_targets(local: Sequence[Mapping[str, Any]], source: Sequence[Mapping[str, Any]]) -> list[TargetChange]:
    """Pair the targets of an adapted clause with those of its source clause (same unit, the
    closest counted object, each used once) and compare each pair; unpaired local targets are
    ``new``, unpaired source targets ``weaker`` (aspect ``dropped``)."""
    out: list[TargetChange] = []
    free = list(range(len(source)))
    for lt in local:
        candidates = [j for j in free if (source[j].get("unit") or "") == (lt.get("unit") or "")
                      and _comparable_objects(lt.get("object"), source[j].get("object"))]
        if not candidates:
            out.append(TargetChange("new", lt, None))
            continue
        j = max(candidates, key=lambda k: (_object_similarity(lt.get("object"), source[k].get("object")), -k))
        free.remove(j)
        out.append(compare_target(lt, source[j]))
    # a source target the local clause no longer carries: the provision asks for less
    out.extend(TargetChange("weaker", None, source[j], [Aspect("dropped", _summary(source[j]), None, "weaker")])
               for j in free)
    return out


# ---------------------------------------------------------------- years written in the text

_MILESTONE = re.compile(r"(?:到|至|截至|截止到?)\s*((?:19|20)\d{2})\s*年|((?:19|20)\d{2})\s*年(?:底|末)?\s*(?:前|以前|之前)")
_START = re.compile(r"(?:从|自)\s*((?:19|20)\d{2})\s*年|((?:19|20)\d{2})\s*年\s*(?:起|开始)")


def milestones(text: str) -> list[int]:
    """The years a clause sets a milestone for (到2018年, 2020年底前), in order; start years
    (从2016年起) are not milestones."""
    return [int(a or b) for a, b in _MILESTONE.findall(text or "")]


def start_years(text: str) -> list[int]:
    return [int(a or b) for a, b in _START.findall(text or "")]


def compare_milestones(source_text: str, local_text: str) -> Aspect | None:
    """The milestones of an adapted pair compared: earlier is stronger, later weaker, a
    milestone the source does not set is new, one the local clause drops is weaker; the same
    milestones are the same (a moved start year alone changes nothing: it follows the
    document's own date). None when neither clause sets a milestone."""
    a, b = sorted(set(milestones(source_text))), sorted(set(milestones(local_text)))
    if not a and not b:
        return None
    if a == b:
        return Aspect("milestone", a, b, "same")
    if not a:
        return Aspect("milestone", a, b, "new")
    if not b:
        return Aspect("milestone", a, b, "weaker")
    if len(a) == len(b):
        verdicts = {_cmp(y, x, higher_is_stronger=False) for x, y in zip(a, b)} - {"same"}
        return Aspect("milestone", a, b, verdicts.pop() if len(verdicts) == 1 else "mixed")
    extra, missing = set(b) - set(a), set(a) - set(b)
    if extra and not missing:
        return Aspect("milestone", a, b, "new")
    if missing and not extra:
        return Aspect("milestone", a, b, "weaker")
    return Aspect("milestone", a, b, "mixed")


def pair_verdict(changes: Sequence[TargetChange], milestone: Aspect | None = None) -> str | None:
    """One verdict for an adapted pair from its targets and milestones: stronger or weaker
    when every change points one way (mixed when they disagree), else new when it adds a
    target, else same; None when the pair carries no target and no milestone."""
    verdicts = [c.verdict for c in changes] + ([milestone.verdict] if milestone else [])
    if not verdicts:
        return None
    kinds = set(verdicts)
    if "mixed" in kinds or {"stronger", "weaker"} <= kinds:
        return "mixed"
    for v in ("stronger", "weaker", "new"):
        if v in kinds:
            return v
    return "same"


@dataclass
class DiffOp:
    op: str  # equal, replace, insert, delete
    source: str
    local: str
    source_start: int
    source_end: int
    local_start: int
    local_end: int


def _tokens(text: str) -> list[str]:
    """Words (jieba, dictionary only), so that a diff reads 全省→全市, 2017→2018 rather than
    scattered characters; the tokens concatenate back to the text."""
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    return [t for t in jieba.lcut(text, HMM=False) if t]


def char_diff(source: str, local: str) -> list[DiffOp]:
    """The diff of an adapted pair, as runs of equal / replaced / inserted / deleted text with
    their character offsets in each clause. The runs are aligned on words (difflib over jieba
    tokens, no junk heuristics), so a changed number or name is one replacement."""
    a, b = _tokens(source), _tokens(local)
    pa = [0]
    for t in a:
        pa.append(pa[-1] + len(t))
    pb = [0]
    for t in b:
        pb.append(pb[-1] + len(t))
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    out = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        s0, s1, l0, l1 = pa[i1], pa[i2], pb[j1], pb[j2]
        out.append(DiffOp(op, source[s0:s1], local[l0:l1], s0, s1, l0, l1))
    return out


_LEADING_LABEL = re.compile(r"^\s*(?:[（(][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+、|\d+[.．、])")


def _label_end(text: str) -> int:
    m = _LEADING_LABEL.match(text)
    return m.end() if m else 0


def _wording(text: str) -> str:
    """The text without whitespace, punctuation and HTML entities (what a reader counts as a
    change)."""
    text = html.unescape(text)
    return "".join(ch for ch in text if not (ch.isspace() or unicodedata.category(ch)[0] in "PSZ"))


def change_summary(ops: Sequence[DiffOp], limit: int = 3, width: int = 16) -> str:
    """A short text of the main changes (``2017→2018; 全省→全市; +…; −…``) for a table cell:
    a number swapped first, then a word swapped, then the longest rewrites; punctuation and the
    numbering label left out."""
    changes = []
    source = "".join(op.source for op in ops)
    local = "".join(op.local for op in ops)
    label_s, label_l = _label_end(source), _label_end(local)
    for op in ops:
        if op.op == "equal":
            continue
        s, t = op.source.strip(), op.local.strip()
        if not _wording(s) and not _wording(t):
            continue
        if op.source_end <= label_s and op.local_end <= label_l:  # the numbering: （十三） → （二）
            continue
        if op.op == "replace":
            text = f"{s[:width]}→{t[:width]}"
        elif op.op == "insert":
            text = f"+{t[:width]}"
        else:
            text = f"−{s[:width]}"
        short = op.op == "replace" and max(len(s), len(t)) <= 8  # a word or a number swapped
        rank = (0 if re.search(r"\d", s + t) else 1) if short else 2
        changes.append((rank, -len(s + t) if rank == 2 else 0, len(changes), text))
    parts = [c[3] for c in sorted(changes)]
    more = len(parts) - limit
    return "; ".join(parts[:limit]) + (f" (+{more} more)" if more > 0 else "")
