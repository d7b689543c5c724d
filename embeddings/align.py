"""Clause alignment of an implementing document with a source document it implements.

Pure functions over two ordered lists of clauses (text + an optional L2-normalised vector);
nothing here knows RDF or the store. The service reads the clause texts from the graph and
their vectors from the index's cache, and writes the result back as lineage triples.

How a pair of clauses is scored (``AlignParams``):

- **wording**: character-bigram overlap (Dice over the sets of bigrams of the texts with
  whitespace, punctuation and the leading numbering label removed; near-verbatim copies
  score close to 1, whatever their length), or the share of the shorter clause found in the
  longer one when that is larger (a provision split in two, or merged into a longer one);
- **meaning**: the cosine of the two clause vectors, rescaled from ``[floor, 1]`` to
  ``[0, 1]`` where the floor is the median cosine of the two documents' clauses (e5 cosines
  of any two clauses on one subject sit far above 0; the floor removes that common part);
- the pair score is ``char_weight · wording + (1 − char_weight) · meaning``.

How clauses are matched (``align``): a monotone alignment (dynamic programming over the two
sequences, maximising the sum of ``score − match_threshold`` over the matched pairs: a local
plan mostly follows the order of the document it implements), then a second pass for
clauses the order left out: an unmatched clause of either side whose best counterpart scores
at least ``rescue_threshold`` is paired with it even out of order, or with a clause that is
already paired (a source clause split in two, two source clauses merged in one).

A third pass keeps, between clauses already paired elsewhere, a pair that shares one whole
sentence (``moved_sentence``): a sentence moved in from another item of the source.

A last pass looks again at the clauses still left alone (an added local clause, a dropped
source clause): one that shares a run of at least ``shared_run`` characters (jurisdiction
masked, punctuation out) with a clause of the other side, and scores at least
``shared_run_floor`` with it, is paired with the one it shares most with, even when that one
is paired already: a long source item split over several local items, or a local item that
rewrites a source item around one phrase of it (结合实际制定具体实施方案，明确工作部署).

Labels, read sentence by sentence (``label_pairs``; the characters naming an administrative
level are read as one, so 全省→全市 is no change): ``adopted`` when every sentence of the
local clause comes near-verbatim from the source clauses paired with it and every sentence of
the source clause is carried into the local clauses paired with it (a provision split over
several items is adopted by each part); ``adapted`` (the same provision, changed: a sentence
added, dropped or rewritten, a number changed); ``added`` (a local clause with no source
clause) and ``dropped`` (a source clause no local clause carries).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

LABELS = ("adopted", "adapted", "added", "dropped")
MOVED_MIN_CHARS = 20  # a moved sentence is a provision's sentence, not a stock phrase


@dataclass(frozen=True)
class AlignClause:
    """One clause to align: an id (the clause IRI for the service), its text, its vector."""

    id: str
    text: str
    vector: np.ndarray | None = None


@dataclass(frozen=True)
class AlignParams:
    char_weight: float = 0.6  # share of wording in the pair score (the rest is meaning)
    dense_floor: float = 0.0  # lowest cosine mapped to 0 (the median of the pair is used above it)
    match_threshold: float = 0.35  # a pair the monotone pass may match
    rescue_threshold: float = 0.55  # a pair the out-of-order pass may add
    adopt_threshold: float = 0.85  # sentence overlap above which a sentence is carried verbatim
    moved_sentence: float = 0.85  # a sentence this close pairs two clauses already paired elsewhere
    sentence_weight: float = 0.7  # score of a pair sharing one sentence verbatim
    heading_weight: float = 0.6  # score of a pair whose headings are the same, bodies aside
    min_chars: int = 4  # clauses shorter than this (after normalisation) are never matched
    shared_run: int = 12  # a run of this many characters shared pairs a clause left alone …
    shared_run_floor: float = 0.25  # … with a clause it scores at least this much with

    def __post_init__(self) -> None:
        if self.shared_run < 4:
            raise ValueError(f"AlignParams.shared_run must be at least 4 characters, got {self.shared_run}")
        for name in ("char_weight", "match_threshold", "rescue_threshold", "adopt_threshold", "shared_run_floor"):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"AlignParams.{name} must be within [0, 1], got {value}")
        if not -1.0 <= self.dense_floor < 1.0:
            raise ValueError(f"AlignParams.dense_floor must be within [-1, 1), got {self.dense_floor}")


@dataclass
class Link:
    """One row of an alignment: a local clause, its source clause, or both.

    ``local`` / ``source`` are indexes into the lists given to ``align`` (None on the side
    that has no clause: ``added`` has no source, ``dropped`` no local). ``score`` is the pair
    score, ``char`` the wording overlap and ``dense`` the cosine (None without vectors)."""

    local: int | None
    source: int | None
    label: str
    score: float = 0.0
    char: float = 0.0
    dense: float | None = None
    in_order: bool = True  # matched by the monotone pass (False: the out-of-order pass)


@dataclass
class Alignment:
    links: list[Link] = field(default_factory=list)

    def pairs(self) -> list[Link]:
        return [x for x in self.links if x.local is not None and x.source is not None]

    def counts(self) -> dict[str, int]:
        out = {label: 0 for label in LABELS}
        for link in self.links:
            out[link.label] += 1
        return out


# ---------------------------------------------------------------- wording

_LABEL = re.compile(
    r"^\s*(?:第[一二三四五六七八九十百零〇\d]+[章节条部分]|[（(]\s*[一二三四五六七八九十\d]+\s*[)）]"
    r"|[一二三四五六七八九十]+[、.．]|\d+\s*[、.．](?!\d)|[①-⑳]|[一二三四五六七八九十]是)\s*"
)
_NUMBER = re.compile(
    r"\d+(?:\.\d+)?|[零一二两三四五六七八九十百千万]+(?=(?:个|项|次|所|名|门|节|届|批|类|种|学时|课时|小时|周|天|年|月|%|％|成))"
)


# Characters that name an administrative level or a level's office: a local document swaps
# them for its own (全省→全市, 省级→市级, 各地→各县区, 教育厅→教育局), which is no change of
# the provision. For comparing sentences they are all read as one placeholder.
JURISDICTION_CHARS = "省市县区州盟旗地厅局"
_MASK = str.maketrans({ch: "〇" for ch in JURISDICTION_CHARS})


def normalise(text: str) -> str:
    """The text compared for wording: NFKC, the leading numbering label, whitespace and
    punctuation removed."""
    text = unicodedata.normalize("NFKC", text or "")
    text = _LABEL.sub("", text, count=1)
    return "".join(ch for ch in text if not (ch.isspace() or unicodedata.category(ch)[0] in "PSZ"))


def masked(text: str) -> str:
    """``normalise`` with the jurisdiction characters read as one (全省 = 全市)."""
    return normalise(text).translate(_MASK)


def numbers(text: str) -> list[str]:
    """The numbers written in a clause (digits, and Chinese numerals before a counter), in order,
    the numbering label left out."""
    text = _LABEL.sub("", unicodedata.normalize("NFKC", text or ""), count=1)
    return _NUMBER.findall(text)


def bigrams(text: str) -> set[str]:
    norm = normalise(text)
    if len(norm) < 2:
        return {norm} if norm else set()
    return {norm[i:i + 2] for i in range(len(norm) - 1)}


CONTAINMENT_WEIGHT = 0.85  # a clause wholly inside a longer one scores this much wording
CONTAINMENT_LENGTH = 40  # … when the shorter one has at least this many bigrams


def char_matrix(local: Sequence[str], source: Sequence[str], containment: bool = False) -> np.ndarray:
    """Dice overlap of the bigram sets, every local text × every source text. With
    ``containment``, the larger of Dice and the share of the shorter clause's bigrams found in
    the longer one (damped for short clauses), so that a provision split in two or merged
    into a longer clause still matches."""
    lsets = [bigrams(t) for t in local]
    ssets = [bigrams(t) for t in source]
    vocab: dict[str, int] = {}
    for s in lsets + ssets:
        for g in s:
            vocab.setdefault(g, len(vocab))
    if not vocab or not lsets or not ssets:
        return np.zeros((len(lsets), len(ssets)), dtype=np.float32)
    from scipy.sparse import csr_matrix

    def matrix(sets: list[set[str]]):
        rows = [i for i, s in enumerate(sets) for _ in s]
        cols = [vocab[g] for s in sets for g in s]
        return csr_matrix((np.ones(len(cols), dtype=np.float32), (rows, cols)),
                          shape=(len(sets), len(vocab)))

    inter = (matrix(lsets) @ matrix(ssets).T).toarray()
    lsize = np.array([len(s) for s in lsets], dtype=np.float32)[:, None]
    ssize = np.array([len(s) for s in ssets], dtype=np.float32)[None, :]
    total = lsize + ssize
    dice = np.divide(2 * inter, total, out=np.zeros_like(inter), where=total > 0)
    if not containment:
        return dice
    shorter = np.minimum(lsize, ssize)
    contained = np.divide(inter, shorter, out=np.zeros_like(inter), where=shorter > 0)
    # containment only counts for a shorter side long enough to be a provision of its own
    weight = CONTAINMENT_WEIGHT * np.clip(shorter / CONTAINMENT_LENGTH, 0.0, 1.0)
    return np.maximum(dice, weight * contained)


_HEAD_END = re.compile(r"[。：:\n]")


def heading_of(text: str) -> str:
    """The clause's heading as compared: its first sentence when short (``加强美育科研教研
    工作。…``), normalised; empty when the clause has none."""
    body = _LABEL.sub("", unicodedata.normalize("NFKC", text or "").strip(), count=1)
    m = _HEAD_END.search(body)
    head = body[: m.start()] if m else body
    head = normalise(head)
    return head if 4 <= len(head) <= 30 and len(head) < len(normalise(body)) else ""


def heading_matrix(local: Sequence[str], source: Sequence[str]) -> np.ndarray:
    """Dice overlap of the clause headings (0 where either has none)."""
    lh = [heading_of(t) for t in local]
    sh = [heading_of(t) for t in source]
    out = char_matrix(lh, sh)
    out[[i for i, h in enumerate(lh) if not h], :] = 0.0
    out[:, [j for j, h in enumerate(sh) if not h]] = 0.0
    return out


_SENTENCE_END = re.compile(r"(?<=[。；;！？!?\n])")


def sentences(text: str, min_chars: int = 12) -> list[str]:
    """The sentences of a clause (。；！？ and line ends), those long enough to be compared."""
    parts = [p for p in _SENTENCE_END.split(text or "") if p.strip()]
    return [p for p in parts if len(normalise(p)) >= min_chars]


@dataclass
class Sentences:
    """The sentences of two lists of clauses and their pairwise overlap (Dice of the bigrams
    of the masked texts): ``owner_l[k]`` is the local clause of local sentence k."""

    local: list[str]
    source: list[str]
    owner_l: np.ndarray
    owner_s: np.ndarray
    dice: np.ndarray  # local sentences × source sentences

    @classmethod
    def of(cls, local: Sequence[str], source: Sequence[str], min_chars: int = 12) -> Sentences:
        def split(texts: Sequence[str]) -> list[tuple[int, str]]:
            out = []
            for i, text in enumerate(texts):
                parts = sentences(text, min_chars)
                if not parts and len(normalise(text)) >= min_chars:
                    parts = [text]
                out.extend((i, t) for t in parts)
            return out

        ls, ss = split(local), split(source)
        dice = char_matrix([masked_text(t) for _, t in ls], [masked_text(t) for _, t in ss]) \
            if ls and ss else np.zeros((len(ls), len(ss)), dtype=np.float32)
        return cls([t for _, t in ls], [t for _, t in ss], np.array([i for i, _ in ls], dtype=int),
                   np.array([j for j, _ in ss], dtype=int), dice)

    def clause_matrix(self, n_local: int, n_source: int) -> np.ndarray:
        """For every local × source clause, the best overlap of one sentence of each."""
        out = np.zeros((n_local, n_source), dtype=np.float32)
        if not self.dice.size:
            return out
        for i in np.unique(self.owner_l):
            rows = self.dice[self.owner_l == i].max(axis=0)
            np.maximum.at(out[i], self.owner_s, rows)
        return out


def masked_text(text: str) -> str:
    """A sentence with its jurisdiction characters masked, punctuation kept out (for bigrams)."""
    return masked(text)


def sentence_matrix(local: Sequence[str], source: Sequence[str], min_chars: int = 12) -> np.ndarray:
    """For every local × source clause, the best Dice overlap of one sentence of each (the
    jurisdiction masked): a sentence carried over into a rewritten clause (a deadline moved, a
    sentence added)."""
    return Sentences.of(local, source, min_chars).clause_matrix(len(local), len(source))


def shared_runs(local: Sequence[str], source: Sequence[str], k: int) -> np.ndarray:
    """For every local × source clause, how many ``k``-character runs (of the masked texts)
    the two share: above 0 when they have a common run of at least ``k`` characters, the
    more the longer (a run of r characters holds r − k + 1 of them)."""
    def grams(text: str) -> set[str]:
        m = masked(text)
        return {m[i:i + k] for i in range(len(m) - k + 1)}

    lsets, ssets = [grams(t) for t in local], [grams(t) for t in source]
    out = np.zeros((len(lsets), len(ssets)), dtype=np.float32)
    owners: dict[str, list[int]] = {}
    for j, g in enumerate(ssets):
        for gram in g:
            owners.setdefault(gram, []).append(j)
    for i, g in enumerate(lsets):
        for gram in g:
            for j in owners.get(gram, ()):
                out[i, j] += 1
    return out


def char_similarity(a: str, b: str, containment: bool = False) -> float:
    return float(char_matrix([a], [b], containment=containment)[0, 0])


# ---------------------------------------------------------------- meaning


def dense_matrix(local: Sequence[AlignClause], source: Sequence[AlignClause]) -> np.ndarray | None:
    """Cosines of the clause vectors (None unless every clause has one)."""
    if not local or not source or any(c.vector is None for c in (*local, *source)):
        return None
    a = np.vstack([np.asarray(c.vector, dtype=np.float32) for c in local])
    b = np.vstack([np.asarray(c.vector, dtype=np.float32) for c in source])
    if a.shape[1] != b.shape[1]:
        raise ValueError(f"vectors of different dimensions: {a.shape[1]} and {b.shape[1]}")
    return a @ b.T


def dense_floor(dense: np.ndarray, params: AlignParams) -> float:
    """The cosine that counts as "no shared meaning": the median cosine of the two documents'
    clauses (any two clauses of one subject are close in e5's space), never below
    ``params.dense_floor``."""
    if dense.size < 4:
        return params.dense_floor
    return max(params.dense_floor, float(np.median(dense)))


def score_matrix(local: Sequence[AlignClause], source: Sequence[AlignClause],
                 params: AlignParams = AlignParams()) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """(pair scores, wording, cosines) for every local × source clause."""
    char = char_matrix([c.text for c in local], [c.text for c in source])
    wording = char_matrix([c.text for c in local], [c.text for c in source], containment=True)
    dense = dense_matrix(local, source)
    if dense is None:
        score = wording.copy()
    else:
        floor = dense_floor(dense, params)
        meaning = np.clip((dense - floor) / max(1e-6, 1.0 - floor), 0.0, 1.0)
        score = params.char_weight * wording + (1.0 - params.char_weight) * meaning
    # one sentence carried over word for word: the same provision, rewritten around it
    score = np.maximum(score, params.sentence_weight * sentence_matrix(
        [c.text for c in local], [c.text for c in source]))
    # one heading (加强美育科研教研工作) above rewritten bodies: the same provision
    score = np.maximum(score, params.heading_weight * heading_matrix(
        [c.text for c in local], [c.text for c in source]))
    # a verbatim copy is a match whatever the vectors say
    score = np.maximum(score, char)
    short_l = np.array([len(normalise(c.text)) < params.min_chars for c in local], dtype=bool)
    short_s = np.array([len(normalise(c.text)) < params.min_chars for c in source], dtype=bool)
    if score.size:
        score[short_l, :] = 0.0
        score[:, short_s] = 0.0
    return score, char, dense


# ---------------------------------------------------------------- alignment


def monotone(score: np.ndarray, threshold: float) -> list[tuple[int, int]]:
    """Pairs (i, j), increasing in both, maximising Σ(score − threshold) over pairs that score
    at least ``threshold`` (a gap costs nothing)."""
    n, m = score.shape
    gain = score - threshold
    best = np.zeros((n + 1, m + 1), dtype=np.float64)
    move = np.zeros((n + 1, m + 1), dtype=np.int8)  # 0 skip local, 1 skip source, 2 match
    for i in range(1, n + 1):
        row_gain = gain[i - 1]
        prev, cur = best[i - 1], best[i]
        for j in range(1, m + 1):
            up, left = prev[j], cur[j - 1]
            if up >= left:
                cur[j], move[i, j] = up, 0
            else:
                cur[j], move[i, j] = left, 1
            g = row_gain[j - 1]
            if g >= 0 and prev[j - 1] + g > cur[j]:
                cur[j], move[i, j] = prev[j - 1] + g, 2
    pairs: list[tuple[int, int]] = []
    i, j = n, m
    while i > 0 and j > 0:
        mv = move[i, j]
        if mv == 2:
            pairs.append((i - 1, j - 1))
            i, j = i - 1, j - 1
        elif mv == 0:
            i -= 1
        else:
            j -= 1
    return pairs[::-1]


def label_pair(local_text: str, source_text: str, char: float, params: AlignParams = AlignParams()) -> str:
    """adopted (near-verbatim, same numbers) or adapted, for one pair seen alone."""
    if char >= params.adopt_threshold and numbers(local_text) == numbers(source_text):
        return "adopted"
    return "adapted"


def label_pairs(local: Sequence[str], source: Sequence[str], pairs: Iterable[tuple[int, int]],
                params: AlignParams = AlignParams()) -> dict[tuple[int, int], str]:
    """adopted or adapted for every pair, read sentence by sentence (jurisdiction swaps are no
    change). A pair is adopted when every sentence of the local clause comes near-verbatim
    (``adopt_threshold``, same numbers) from the source clauses paired with it, every sentence
    of the source clause is carried into the local clauses paired with it (a provision split
    over several local items is adopted by each), and the two share at least one sentence;
    otherwise (a sentence added, dropped or rewritten, a number changed) it is adapted."""
    pairs = list(pairs)
    sent = Sentences.of(local, source)
    sources_of: dict[int, set[int]] = {}
    locals_of: dict[int, set[int]] = {}
    for i, j in pairs:
        sources_of.setdefault(i, set()).add(j)
        locals_of.setdefault(j, set()).add(i)
    nl, ns = len(sent.local), len(sent.source)
    num_l = [numbers(t) for t in sent.local]
    num_s = [numbers(t) for t in sent.source]
    verbatim = np.zeros((nl, ns), dtype=bool)
    if nl and ns:
        verbatim = sent.dice >= params.adopt_threshold
        for a, b in zip(*np.nonzero(verbatim)):
            if num_l[a] != num_s[b]:
                verbatim[a, b] = False
    out: dict[tuple[int, int], str] = {}
    for i, j in pairs:
        li = np.nonzero(sent.owner_l == i)[0]
        sj = np.nonzero(sent.owner_s == j)[0]
        if not len(li) or not len(sj):
            out[(i, j)] = label_pair(local[i], source[j], char_similarity(masked(local[i]), masked(source[j])), params)
            continue
        partner_s = np.isin(sent.owner_s, list(sources_of[i]))
        partner_l = np.isin(sent.owner_l, list(locals_of[j]))
        local_from_sources = all(verbatim[a, partner_s].any() for a in li)
        source_carried = all(verbatim[partner_l, b].any() for b in sj)
        shared = verbatim[np.ix_(li, sj)].any()
        out[(i, j)] = "adopted" if (local_from_sources and source_carried and shared) else "adapted"
    return out


def align(local: Sequence[AlignClause], source: Sequence[AlignClause],
          params: AlignParams = AlignParams()) -> Alignment:
    """Align the clauses of a local document (in document order) with those of its source.

    Every local clause appears in at least one link (``adopted``/``adapted`` with a source
    clause, or ``added``), every source clause too (paired, or ``dropped``); links are in
    local document order, dropped source clauses after the local clause they follow."""
    local, source = list(local), list(source)
    if not local and not source:
        return Alignment()
    score, char, dense = score_matrix(local, source, params)
    pairs = monotone(score, params.match_threshold) if score.size else []
    matched = {(i, j): True for i, j in pairs}
    used_l = {i for i, _ in pairs}
    used_s = {j for _, j in pairs}
    if score.size:
        for i in range(len(local)):  # local clauses the order left out
            if i in used_l:
                continue
            j = int(np.argmax(score[i]))
            if score[i, j] >= params.rescue_threshold:
                matched[(i, j)] = False
                used_l.add(i)
                used_s.add(j)
        for j in range(len(source)):  # source clauses the order left out
            if j in used_s:
                continue
            i = int(np.argmax(score[:, j]))
            if score[i, j] >= params.rescue_threshold:
                matched[(i, j)] = False
                used_l.add(i)
                used_s.add(j)
    if score.size:
        # a sentence moved in from another source item (or out to another local item): the
        # pair is kept even when both clauses are paired already
        moved = sentence_matrix([c.text for c in local], [c.text for c in source], MOVED_MIN_CHARS)
        for i, j in zip(*np.nonzero(moved >= params.moved_sentence)):
            i, j = int(i), int(j)
            if (i, j) not in matched and score[i, j] > 0:
                matched[(i, j)] = False
                used_l.add(i)
                used_s.add(j)
    if score.size and (len(used_l) < len(local) or len(used_s) < len(source)):
        # a clause left alone that shares a run of a provision's length with one of the other side
        runs = shared_runs([c.text for c in local], [c.text for c in source], params.shared_run)
        runs[score < params.shared_run_floor] = 0.0
        alone_l = [i for i in range(len(local)) if i not in used_l]
        alone_s = [j for j in range(len(source)) if j not in used_s]
        for i in alone_l:
            j = int(np.argmax(runs[i]))
            if runs[i, j] > 0:
                matched[(i, j)] = False
                used_l.add(i)
                used_s.add(j)
        for j in alone_s:
            if j in used_s:
                continue
            i = int(np.argmax(runs[:, j]))
            if runs[i, j] > 0:
                matched[(i, j)] = False
                used_l.add(i)
                used_s.add(j)
    labels = label_pairs([c.text for c in local], [c.text for c in source], list(matched), params)
    by_local: dict[int, list[int]] = {}
    for i, j in matched:
        by_local.setdefault(i, []).append(j)
    links: list[Link] = []
    dropped = sorted(set(range(len(source))) - used_s)
    for i, c in enumerate(local):
        for j in sorted(by_local.get(i, [])):
            # dropped source clauses that come before this one in the source's order
            while dropped and dropped[0] < j:
                links.append(Link(None, dropped.pop(0), "dropped"))
            links.append(Link(
                i, j, labels[(i, j)],
                score=round(float(score[i, j]), 4), char=round(float(char[i, j]), 4),
                dense=None if dense is None else round(float(dense[i, j]), 4),
                in_order=matched[(i, j)],
            ))
        if i not in by_local:
            best = float(score[i].max()) if score.size and len(source) else 0.0
            links.append(Link(i, None, "added", score=round(best, 4)))
    links.extend(Link(None, d, "dropped") for d in dropped)
    return Alignment(links)
