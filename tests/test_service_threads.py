"""The service across threads: query results never outlive their thread, close() releases the
store's lock without the garbage collector, and the topic vectors of /ask are computed once."""

from __future__ import annotations

import gc
import sys
import threading
from dataclasses import dataclass

import numpy as np
import pytest
from rdflib import RDFS, Graph, Literal, URIRef

from api.ask.structured import topic_by_embedding
from api.service import PolicyKG


@pytest.fixture
def unraisable():
    """Exceptions Python could only print (e.g. a pyo3 object dropped on the wrong thread)."""
    seen: list[str] = []
    old = sys.unraisablehook
    sys.unraisablehook = lambda u: seen.append(f"{u.exc_type.__name__}: {u.exc_value}")
    try:
        yield seen
    finally:
        sys.unraisablehook = old


def test_cut_sparql_results_are_freed_in_their_own_thread(tmp_path, unraisable):
    svc = PolicyKG(tmp_path / "ws")
    try:
        graph = Graph()
        for n in range(20):
            graph.add((URIRef(f"https://policykg.org/x/{n}"), RDFS.label, Literal(f"x{n}")))
        svc.store.replace_document("threads-test", graph, None, validate=False)
        # a SELECT cut by the row limit leaves rdflib's lazy rows half read
        errors: list[BaseException] = []

        def run() -> None:
            try:
                answer = svc.sparql("SELECT ?s ?p ?o WHERE { ?s ?p ?o }", row_limit=2)
                assert answer.truncated and len(answer.result.rows) == 2
            except BaseException as exc:  # noqa: BLE001
                errors.append(exc)

        workers = [threading.Thread(target=run) for _ in range(4)]
        for w in workers:
            w.start()
        for w in workers:
            w.join()
        assert not errors, errors
        gc.collect()  # on this thread: anything left in a cycle would be dropped here
        assert not [u for u in unraisable if "unsendable" in u], unraisable
    finally:
        svc.close()


def test_close_releases_the_store_without_gc(tmp_path):
    ws = tmp_path / "ws"
    first = PolicyKG(ws)
    first.store.select("SELECT * WHERE { ?s ?p ?o } LIMIT 1")
    first.sparql("SELECT * WHERE { ?s ?p ?o }", row_limit=1)
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        first.close()
        second = PolicyKG(ws)
        second.store  # noqa: B018 - opens it
        assert second.read_only is False, "the first service still holds the Oxigraph lock"
        second.close()
    finally:
        if was_enabled:
            gc.enable()


@dataclass
class CountingEncoder:
    """Topic labels are encoded as queries (embeddings.topics' one recipe), questions as
    passages (as clauses are); counts the label encodings."""
    name: str = "counting"
    dim: int = 3
    label_calls: int = 0

    def encode_queries(self, texts):
        self.label_calls += 1
        out = np.zeros((len(texts), self.dim), dtype="float32")
        out[:, 0] = 1.0
        out[0] = [0.0, 1.0, 0.0]  # the first topic stands out for the question below
        return out

    def encode_passages(self, texts):
        return np.array([[0.0, 1.0, 0.0]] * len(texts), dtype="float32")

    __hash__ = object.__hash__


@dataclass
class Concept:
    id: str
    label_zh: str
    label_en: str
    alt_zh: tuple = ()


def test_topic_vectors_are_encoded_once_for_concurrent_questions():
    concepts = [Concept("a", "甲", "alpha"), Concept("b", "乙", "beta"), Concept("c", "丙", "gamma")]
    encoder = CountingEncoder()
    found: list[str | None] = []
    workers = [threading.Thread(target=lambda: found.append(topic_by_embedding("q", concepts, encoder)))
               for _ in range(8)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert found == ["a"] * 8
    assert encoder.label_calls == 1


def test_serving_keeps_numpy_to_one_blas_thread_and_restores_it():
    """While the app serves, numpy's BLAS runs on one thread (its idle helper threads spin and
    take a core from concurrent requests); when the app stops, the process's setting is back."""
    from fastapi.testclient import TestClient
    from threadpoolctl import threadpool_info

    from api.http import create_app

    def blas_threads() -> list[int]:  # process-wide pools (an OpenMP build's count is per thread)
        return [p["num_threads"] for p in threadpool_info()
                if p["user_api"] == "blas" and p.get("threading_layer") == "pthreads"]

    before = blas_threads()
    if not before or max(before) == 1:
        pytest.skip("numpy's BLAS already runs on one thread on this machine")

    class Warmable:
        warmed = False

        def warm(self) -> None:
            Warmable.warmed = True

    with TestClient(create_app(Warmable, close_service=False)):
        assert Warmable.warmed
        assert set(blas_threads()) == {1}
    assert blas_threads() == before
