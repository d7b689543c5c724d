"""Rank fusion: RRF and the fusion weights chosen by query shape."""

from __future__ import annotations

import pytest

from embeddings.hybrid import FusionParams, query_length, rrf


def test_rrf_rewards_items_both_lists_rank_well():
    fused = rrf([(["a", "b", "c"], 1.0), (["c", "a", "d"], 1.0)], k=10)
    assert [item for item, _ in fused][:2] == ["a", "c"]
    heavier_second = rrf([(["a", "b", "c"], 1.0), (["c", "a", "d"], 3.0)], k=10)
    assert heavier_second[0][0] == "c"
    with pytest.raises(ValueError, match="k"):
        rrf([], k=-1)


def test_query_length_counts_chinese_characters_and_latin_words():
    assert query_length("校长听课") == 4
    assert query_length("principal must observe lessons") == 4
    assert query_length("每学期 30 节 lessons") == 5  # digits do not count


def test_dense_weight_grows_with_query_length_and_english_has_its_own():
    params = FusionParams(dense_weight=0.5, dense_weight_long=1.5, english_dense_weight=0.8,
                          short=10, long=40)
    assert params.weights(5) == (params.bm25_weight, 0.5)  # a few terms: BM25 leads
    assert params.weights(40) == (params.bm25_weight, 1.5)  # a pasted clause: dense leads
    assert params.weights(200) == (params.bm25_weight, 1.5)
    assert params.weights(25)[1] == pytest.approx(1.0)  # linear in between
    weights = [params.weights(n)[1] for n in range(0, 60, 5)]
    assert weights == sorted(weights)
    assert params.weights(5, english=True) == (params.bm25_weight, 0.8)
