"""Search speed: encoding and indexing throughput, search latency at 1×, 10×, 100× the corpus.

    .venv/bin/python bench/search.py [--sizes 1,10,100] [--queries 50]

Corpus = every file of ../shared (seeds + corpus/laws), clauses from ingest.load_document.
Encoding clauses/s is measured on a fresh sample of clauses (no cache), and so is the extra
cost of their sentence vectors (clauses of 60+ characters with 2+ sentences, see
embeddings/sentences.py): the title gives the sentences per clause and the encoding time of
clauses + sentences relative to clauses alone. Indexing clauses/s is SearchIndex.add with
vectors from the cache (tokenise + BM25 + FAISS for clauses and sentences). For 10× and 100× the
real vectors are replicated with small Gaussian noise (σ = 0.02 per dimension, renormalised)
and the BM25 token lists are replicated. Latency per query, p50/p95 in ms:
- ``encode``: the query through the encoder (same at every size),
- ``bm25``: BM25 scoring of every row + top-k,
- ``exact`` / ``hnsw``: FAISS IndexFlatIP / IndexHNSWFlat (M=32, efConstruction=80,
  efSearch=128, the product defaults), top 100, over the clause vectors,
- ``sentences``: the sentence-vector index the product would pick for that many sentences,
- ``path``: encode + bm25 + the clause and sentence indexes the product would pick at that
  size (exact up to 50k vectors, HNSW beyond) + exact rescoring of the candidates + fusion —
  the /search path without the graph filter;
recall@10 of HNSW against exact search on the same queries. The 1× row also times the real
``SearchIndex.search`` end to end. Passage vectors are cached in $POLICYKG_BENCH_CACHE.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import numpy as np
from retrieval_eval import CACHE, CORPUS, SEEDS, load_concepts, load_passages

from embeddings.bm25 import BM25Index
from embeddings.cache import VectorCache, encode_passages_cached
from embeddings.dense import DenseIndex
from embeddings.encoders import get_encoder
from embeddings.hybrid import rrf
from embeddings.index import SearchIndex
from embeddings.sentences import Segmenter


def pct(samples: list[float]) -> str:
    a = np.array(samples) * 1000
    return f"{np.percentile(a, 50):.1f} / {np.percentile(a, 95):.1f}"


def timed(fn, items) -> tuple[list[float], list]:
    times, out = [], []
    for item in items:
        start = time.perf_counter()
        out.append(fn(item))
        times.append(time.perf_counter() - start)
    return times, out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1,10,100")
    parser.add_argument("--queries", type=int, default=50)
    parser.add_argument("--encode-sample", type=int, default=64)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]

    from rich.console import Console
    from rich.table import Table

    console = Console(width=180)
    encoder = get_encoder()
    concepts = load_concepts()
    files = sorted(SEEDS.glob("*.txt")) + sorted(CORPUS.glob("*.txt"))
    passages = [p for path in files for p in load_passages(path)[0]]
    texts = [p.text for p in passages]
    n = len(passages)

    # encoding throughput on a fixed sample, no cache
    sample = texts[:: max(1, n // args.encode_sample)][: args.encode_sample]
    start = time.perf_counter()
    encoder.encode_passages(sample)
    clause_seconds = time.perf_counter() - start
    encode_rate = len(sample) / clause_seconds
    segmenter = Segmenter()
    sample_sentences = [s for t in sample for s in segmenter.sentences(t)]
    start = time.perf_counter()
    encoder.encode_passages(sample_sentences)
    sentence_cost = (clause_seconds + time.perf_counter() - start) / clause_seconds

    # real vectors for the whole corpus (cached across runs)
    CACHE.mkdir(parents=True, exist_ok=True)
    cache = VectorCache(CACHE, encoder.name, encoder.dim)
    sentences = [s for t in texts for s in segmenter.sentences(t)]
    console.print(f"{n} clauses and {len(sentences)} sentences from {len(files)} files; "
                  f"encoding any not yet cached …")
    vectors = encode_passages_cached(encoder, cache, texts)
    sentence_vectors = encode_passages_cached(encoder, cache, sentences)

    # indexing throughput: SearchIndex.add with cached vectors, then save
    with tempfile.TemporaryDirectory() as tmp:
        index = SearchIndex(Path(tmp), encoder, concepts)
        index.cache = cache
        by_doc: dict[str, list] = {}
        for p in passages:
            by_doc.setdefault(p.doc_id, []).append(p)
        start = time.perf_counter()
        for doc_id, items in by_doc.items():
            index.add(doc_id, items)
        index.save()
        index_rate = n / (time.perf_counter() - start)
        rng = np.random.default_rng(0)
        query_texts = [texts[i][:40] for i in rng.choice(n, args.queries, replace=False)]
        index.search(query_texts[0], k=10)  # warm-up (jieba, BM25 build)
        end_to_end, _ = timed(lambda q: index.search(q, k=10), query_texts)
        tokens = [index._tokens[k] for k in sorted(index._passages)]

    enc_times, qvecs = timed(lambda q: encoder.encode_queries([q]), query_texts)
    qvecs = np.concatenate(qvecs)
    query_tokens = [index.tokenizer.tokens(q) for q in query_texts]

    table = Table(title=f"search speed ({encoder.name}; encode {encode_rate:.1f} clauses/s; "
                        f"{len(sentences) / n:.2f} sentence vectors per clause, encoding "
                        f"clauses + sentences takes {sentence_cost:.2f}× the clauses alone; "
                        f"index {index_rate:.0f} clauses/s with cached vectors; "
                        f"{args.queries} queries; latency p50 / p95 ms)")
    for col in ("size", "vectors", "encode", "bm25", "exact", "hnsw", "hnsw build s",
                "recall@10 hnsw", "sentences", "path", "SearchIndex.search"):
        table.add_column(col, justify="right")
    rng = np.random.default_rng(1)
    for size in sizes:
        def replicate(vecs):
            if size == 1:
                return vecs
            out = np.repeat(vecs, size, axis=0)
            out += rng.normal(scale=0.02, size=out.shape).astype(np.float32)
            out /= np.linalg.norm(out, axis=1, keepdims=True)
            return out

        big = replicate(vectors)
        keys = np.arange(len(big), dtype=np.int64)
        bm25 = BM25Index()
        bm25.build(tokens * size)

        def bm25_top(qt):
            scores = bm25.scores(qt)
            top = np.argpartition(-scores, 100)[:100]
            return top[np.argsort(-scores[top])]

        bm_times, bm_results = timed(bm25_top, query_tokens)
        exact = DenseIndex(encoder.dim, kind="flat")
        exact.add(keys, big)
        ex_times, ex_results = timed(lambda q: exact.search(q[None, :], 100)[0], qvecs)
        del exact
        start = time.perf_counter()
        hnsw = DenseIndex(encoder.dim, kind="hnsw")
        hnsw.add(keys, big)
        build = time.perf_counter() - start
        hn_times, hn_results = timed(lambda q: hnsw.search(q[None, :], 100)[0], qvecs)
        del hnsw
        recall = np.mean([len(set(h[0][:10].tolist()) & set(e[0][:10].tolist())) / 10
                          for h, e in zip(hn_results, ex_results)])
        dense_times, dense_results = (ex_times, ex_results) if len(big) <= 50_000 \
            else (hn_times, hn_results)
        # the sentence index, as the product would pick it for that many sentence vectors
        big_sentences = replicate(sentence_vectors)
        sentence_index = DenseIndex(encoder.dim, kind="auto")
        sentence_index.add(np.arange(len(big_sentences), dtype=np.int64), big_sentences)
        del big_sentences
        se_times, _ = timed(lambda q: sentence_index.search(q[None, :], 100)[0], qvecs)
        n_sentence_vectors = len(sentence_index)
        del sentence_index

        def rescore(q):  # exact blend over ~200 candidates and their sentences
            rows = rng.choice(len(big), 200, replace=False)
            whole = big[rows] @ q
            sims = big[rng.choice(len(big), 3 * 200)] @ q
            return np.maximum(whole, sims.reshape(200, 3).max(axis=1))

        rs_times, _ = timed(rescore, qvecs)
        fuse_times, _ = timed(lambda pair: rrf([(pair[0].tolist(), 1.0),
                                                 (pair[1][0].tolist(), 0.5)], k=10),
                              list(zip(bm_results, dense_results)))
        path = [sum(parts) for parts in zip(enc_times, bm_times, dense_times, se_times, rs_times,
                                            fuse_times)]
        table.add_row(f"{size}×", f"{len(big):,} + {n_sentence_vectors:,}", pct(enc_times),
                      pct(bm_times), pct(ex_times), pct(hn_times), f"{build:.1f}",
                      f"{recall:.3f}", pct(se_times), pct(path),
                      pct(end_to_end) if size == 1 else "")
        del big, bm25
    console.print(table)


if __name__ == "__main__":
    main()
