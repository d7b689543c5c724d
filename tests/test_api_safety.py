"""The served API is safe to expose (issue 15), without a workspace: stand-in services behind
the real app, a real SPARQL runner over an in-memory store."""

from __future__ import annotations

import logging
import socket
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from types import SimpleNamespace

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from api.http import create_app, get_service
from api.service import PolicyKG
from api.settings import Limits, Settings
from kg.sparql import FederatedQueryError, ReadOnlyQueryError, query_form
from kg.store import OxigraphKGStore, open_store
from tests.conftest import serve_app


class Untouched:
    """A service whose every method fails the test: a refusal must come first."""

    def __getattr__(self, name):
        raise AssertionError(f"the service was asked for {name}")


class SparqlStandIn:
    """The real ``PolicyKG.sparql`` over an in-memory store with a few triples."""

    sparql = PolicyKG.sparql

    def __init__(self) -> None:
        self.settings = Settings()
        self.store = open_store(memory=True)
        self.store.load_ntriples("d1", "<https://policykg.org/doc/d1> <http://www.w3.org/2000/01/rdf-schema#label> \"d\" .")


def app_with(service, **kwargs):
    app = create_app(lambda: service, warm_service=False, close_service=False, **kwargs)
    app.dependency_overrides[get_service] = lambda: service
    return app


# ---------------------------------------------------------------- SPARQL


@pytest.mark.parametrize("query", [
    "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { ?a ?b ?c OPTIONAL { SELECT ?s WHERE { SERVICE SILENT ?where { ?s ?p ?o } } } }",
    "ASK { FILTER EXISTS { SERVICE <http://example.org/> { ?s ?p ?o } } }",
])
def test_service_clauses_are_refused_before_execution(query):
    with pytest.raises(FederatedQueryError, match="SERVICE"):
        query_form(query)


def test_a_service_word_inside_a_literal_or_a_variable_is_not_a_service_clause():
    assert query_form('SELECT ?service WHERE { ?service ?p "SERVICE <http://x/>" }') == "SELECT"


def test_sparql_service_is_a_400_naming_it_and_no_connection_is_made():
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(5)
    listener.settimeout(0.5)
    port = listener.getsockname()[1]
    try:
        with TestClient(app_with(SparqlStandIn())) as client:
            r = client.get("/sparql", params={"query": f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}"})
        assert r.status_code == 400
        error = r.json()["error"]
        assert "SERVICE" in error["message"] and error["param"] == "query"
        with pytest.raises(TimeoutError):
            listener.accept()  # nobody called
    finally:
        listener.close()


@pytest.mark.parametrize("update", [
    "LOAD <http://127.0.0.1:9/data.ttl>", "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
    "DELETE WHERE { ?s ?p ?o }", "CLEAR ALL", "DROP GRAPH <urn:g>",
])
def test_every_update_form_is_refused_whichever_way_it_is_sent(update):
    with pytest.raises(ReadOnlyQueryError):
        query_form(update)
    with TestClient(app_with(SparqlStandIn())) as client:
        as_query = client.get("/sparql", params={"query": update})
        as_update = client.post("/sparql", data={"update": update})
        as_body = client.post("/sparql", content=update, headers={"Content-Type": "application/sparql-update"})
        assert client.get("/sparql", params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"}).status_code == 200
    assert as_query.status_code == 400 and as_query.json()["error"]["param"] == "query"
    for r in (as_update, as_body):
        assert r.status_code == 400 and r.json()["error"]["param"] == "update"


def test_a_pyoxigraph_result_can_be_read_on_another_thread():
    store = OxigraphKGStore(None)
    store.load_ntriples("d1", "\n".join(f"<urn:s{i}> <urn:p> <urn:o{i}> ." for i in range(50)))
    result = store.query("SELECT ?s WHERE { ?s <urn:p> ?o }")  # made here ...
    with ThreadPoolExecutor(1) as pool:  # ... read there (the HTTP thread pool does this)
        rows = pool.submit(lambda: [str(r[0]) for r in result]).result()
    assert len(rows) == 50


# ---------------------------------------------------------------- parameters and errors


@pytest.mark.parametrize("url, param", [
    ("/documents/%20", "doc_id"), ("/documents/%0B", "doc_id"), ("/clauses/%20", "clause_id"),
    ("/graph/neighbourhood?node=%20", "node"), ("/export?format=ttl&node=%20", "node"),
    ("/search?q=%20%09", "q"), ("/ask?q=%0B", "q"), ("/lineage/%20", "doc_id"),
])
def test_blank_ids_and_parameters_are_a_422_naming_the_parameter(url, param):
    with TestClient(app_with(Untouched())) as client:
        r = client.get(url)
    assert r.status_code == 422, r.text
    error = r.json()["error"]
    assert error["param"] == param and param in error["message"] and "blank" in error["message"]


def test_an_unexpected_error_is_a_generic_500_with_a_request_id_and_a_logged_traceback(caplog):
    class Broken:
        def documents(self):
            raise RuntimeError("secret internals /etc/passwd")

    with caplog.at_level(logging.ERROR, logger="api.http"), \
            TestClient(app_with(Broken()), raise_server_exceptions=False) as client:
        r = client.get("/documents")
    assert r.status_code == 500
    error = r.json()["error"]
    assert "secret" not in r.text and error["request_id"] in error["message"]
    assert r.headers["X-Request-ID"] == error["request_id"]
    logged = [rec for rec in caplog.records if error["request_id"] in rec.getMessage()]
    assert logged and logged[0].exc_info and "secret internals" in str(logged[0].exc_info[1])


# ---------------------------------------------------------------- the request limit


def test_a_burst_of_expensive_requests_gets_503_with_retry_after():
    release = threading.Event()

    class Slow:
        def search(self, q, **_):
            release.wait(10)
            return {"query": q, "results": [], "total": 0}

        def documents(self):
            return []

    settings = replace(Settings(), limits=replace(Limits(), max_concurrent=2, retry_after_s=3, max_queued=0))
    with serve_app(app_with(Slow(), settings=settings)) as base:
        def get(path):
            try:
                with urllib.request.urlopen(base + path, timeout=20) as r:
                    return r.status, r.headers.get("Retry-After")
            except urllib.error.HTTPError as exc:
                return exc.code, exc.headers.get("Retry-After")

        with ThreadPoolExecutor(6) as pool:
            futures = [pool.submit(get, f"/search?q=x{i}") for i in range(6)]
            time.sleep(1.0)
            cheap = get("/documents")  # not limited
            release.set()
            answers = [f.result() for f in futures]
    statuses = sorted(s for s, _ in answers)
    assert cheap[0] == 200
    assert statuses.count(503) == 4 and statuses.count(200) == 2, statuses
    assert all(retry == "3" for s, retry in answers if s == 503)


def test_a_few_requests_beyond_the_limit_wait_in_line_and_are_answered():
    release = threading.Event()

    class Slow:
        def search(self, q, **_):
            release.wait(10)
            return {"query": q, "results": [], "total": 0}

        def documents(self):
            return []

    settings = replace(Settings(), limits=replace(Limits(), max_concurrent=2, retry_after_s=3, max_queued=2,
                                                  queue_wait_s=8.0))
    with serve_app(app_with(Slow(), settings=settings)) as base:
        def get(path):
            try:
                with urllib.request.urlopen(base + path, timeout=20) as r:
                    return r.status, r.headers.get("Retry-After")
            except urllib.error.HTTPError as exc:
                return exc.code, exc.headers.get("Retry-After")

        with ThreadPoolExecutor(6) as pool:
            futures = [pool.submit(get, f"/search?q=x{i}") for i in range(6)]
            time.sleep(1.0)
            cheap = get("/documents")  # not limited
            release.set()
            answers = [f.result() for f in futures]
    statuses = sorted(s for s, _ in answers)
    assert cheap[0] == 200
    assert statuses.count(503) == 2 and statuses.count(200) == 4, statuses  # 2 ran, 2 waited, 2 refused
    assert all(retry == "3" for s, retry in answers if s == 503)


# ---------------------------------------------------------------- uploads


class Uploads:
    def __init__(self, report):
        self.report = report
        self.names = []

    def ingest_uploads(self, uploads):
        self.names = [n for n, _ in uploads]
        return SimpleNamespace(to_dict=lambda: self.report)


def _post(service, files, token="s3cret"):
    with TestClient(app_with(service, token="s3cret")) as client:
        return client.post("/ingest", files=files, headers={"Authorization": f"Bearer {token}"})


EMPTY = {"added": [], "unchanged": [], "duplicates": [], "failed": []}


def added(doc_id, file):
    return {"id": doc_id, "file": file, "title": None, "clauses": 1, "targets": 0, "region": None}


def test_a_wrong_token_is_refused_naming_the_header():
    r = _post(Uploads(EMPTY), [("files", ("a.txt", b"x"))], token="s3cre")
    assert r.status_code == 401 and r.json()["error"]["param"] == "Authorization"


def test_two_uploads_with_the_same_name_are_both_kept():
    service = Uploads({**EMPTY, "added": [added("a", "a.txt"), added("b", "a (2).txt")]})
    r = _post(service, [("files", ("a.txt", b"one")), ("files", ("dir/a.txt", b"two"))])
    assert r.status_code == 200
    assert service.names == ["a.txt", "a (2).txt"]


def test_a_batch_where_every_file_failed_is_a_422_naming_each_file():
    failed = [{"file": "/w/uploads/1/a.txt", "error": "not a policy document"},
              {"file": "/w/uploads/2/b.txt", "error": "empty file"}]
    r = _post(Uploads({**EMPTY, "failed": failed}), [("files", ("a.txt", b"1")), ("files", ("b.txt", b"2"))])
    assert r.status_code == 422
    error = r.json()["error"]
    assert error["param"] == "files" and "a.txt: not a policy document" in error["message"]
    assert "b.txt: empty file" in error["message"] and len(error["failed"]) == 2


def test_a_partly_failed_batch_is_a_200_listing_the_failures():
    report = {**EMPTY, "added": [added("a", "a.txt")], "failed": [{"file": "b.txt", "error": "bad"}]}
    r = _post(Uploads(report), [("files", ("a.txt", b"1")), ("files", ("b.txt", b"2"))])
    assert r.status_code == 200 and r.json()["failed"][0]["error"] == "bad"


# ---------------------------------------------------------------- the command line


@pytest.mark.parametrize("command", [["documents"], ["health"], ["search", "课后服务"], ["serve"]])
def test_a_missing_workspace_is_an_error_and_is_not_created(tmp_path, command):
    from api.cli import app

    typo = tmp_path / "a" / "typo"
    result = CliRunner().invoke(app, ["--data", str(typo), *command])
    assert result.exit_code == 2
    assert "no policykg workspace" in result.output and "ingest" in result.output
    assert not typo.exists()


def test_queries_parsed_on_many_threads_at_once_are_all_understood():
    query = ("SELECT ?s (COUNT(?o) AS ?n) WHERE { ?s ?p ?o OPTIONAL { ?o ?q ?r } FILTER(?p != <urn:x>) } "
             "GROUP BY ?s ORDER BY DESC(?n) LIMIT 5")
    with ThreadPoolExecutor(8) as pool:
        forms = list(pool.map(lambda _: query_form(query), range(64)))
    assert forms == ["SELECT"] * 64


def test_a_malformed_upload_body_is_refused_in_the_error_envelope():
    with TestClient(app_with(Untouched(), token="s3cret")) as client:
        r = client.post("/ingest", content=b"--x\r\nContent-Disposition: form-data; name=\"files\"\r\r\n\r\n",
                        headers={"Content-Type": "multipart/form-data; boundary=x", "Authorization": "Bearer s3cret"})
        missing = client.get("/no-such-page")
    assert r.status_code == 400 and r.json()["error"]["message"]
    assert missing.status_code == 404 and missing.json()["error"]["type"] == "HTTPError"
