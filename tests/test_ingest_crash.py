"""An ingest killed with ``kill -9`` leaves every document wholly there or wholly absent, and
readers are served while an HTTP ingest writes (issue 15). On copies of the session's seed
workspace (vectors come from its cache, so re-ingesting a seed encodes nothing)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from api.http import create_app
from api.journal import JOURNAL_NAME, Journal
from api.service import PolicyKG
from embeddings.index import indexed_doc_ids
from tests.conftest import ROOT, serve_app

pytestmark = pytest.mark.slow


def _copy_without(seed_workspace: Path, dst: Path, drop: int) -> list[str]:
    """A copy of the seed workspace with its last ``drop`` documents removed; their ids."""
    shutil.copytree(seed_workspace, dst)
    with PolicyKG(dst) as svc:
        ids = sorted(svc.workspace.load_manifest().documents)[-drop:]
        for doc_id in ids:
            svc.remove(doc_id)
    return ids


def _cli(ws: Path, *args: str, **kwargs) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1"}
    return subprocess.Popen([sys.executable, "-m", "api.cli", "--data", str(ws), *args], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kwargs)


def _health(ws: Path) -> dict:
    proc = _cli(ws, "health", "--json")
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    return json.loads(out)


def _assert_whole(ws: Path) -> set[str]:
    """Store, index and manifest hold the same documents, each with all its clauses."""
    with PolicyKG(ws) as svc:  # opening it for writing settles an interrupted ingest
        manifest = svc.workspace.load_manifest()
        stored = set(svc.store.document_ids())
        indexed = indexed_doc_ids(svc.workspace.index_dir)
        assert stored == set(manifest.documents) == indexed
        for doc_id, entry in manifest.documents.items():
            assert len(svc.index.passages(doc_id)) == entry.clauses
    assert not (ws / JOURNAL_NAME).exists()
    return stored


def _wait_for(path: Path, proc: subprocess.Popen, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists():
        assert proc.poll() is None, proc.stderr.read()
        assert time.monotonic() < deadline, "the ingest never started writing"
        time.sleep(0.005)


def test_kill_9_during_a_batch_leaves_each_document_whole_and_a_second_ingest_completes_it(
        seed_workspace, seed_files, tmp_path):
    ws = tmp_path / "ws"
    _copy_without(seed_workspace, ws, drop=3)
    files = [str(p) for p in sorted(seed_files.values())]
    killed_mid_write = 0
    for point in ("journal written", "0.4 s into a write", "a document committed"):
        proc = _cli(ws, "ingest", *files)
        if point == "a document committed":
            for line in proc.stderr:
                if " added " in line:
                    break
        else:
            _wait_for(ws / JOURNAL_NAME, proc)
            if point != "journal written":
                time.sleep(0.4)
        killed_mid_write += (ws / JOURNAL_NAME).exists()
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)
        health = _health(ws)
        assert health["consistency"]["agree"] is True, health
        assert health["status"] == "ok"
        _assert_whole(ws)
    assert killed_mid_write >= 1  # at least one kill hit a document half written
    proc = _cli(ws, "ingest", *files)
    _, err = proc.communicate(timeout=600)
    assert proc.returncode == 0, err
    assert len(_assert_whole(ws)) == len(files)
    assert _health(ws)["consistency"]["agree"] is True


def test_readers_are_answered_while_an_http_ingest_writes_and_the_upload_is_kept(
        seed_workspace, seed_files, tmp_path, monkeypatch):
    ws = tmp_path / "ws"
    # The write is held open (its journal on disk) until the reads are done, so the test does not
    # depend on how fast the ingest runs. A write that blocked readers would make the reads time out.
    reads_done = threading.Event()
    clear = Journal.clear

    def clear_after_reads(self: Journal) -> None:
        reads_done.wait(300)
        clear(self)

    monkeypatch.setattr(Journal, "clear", clear_after_reads)
    (dropped,) = _copy_without(seed_workspace, ws, drop=1)
    source = next(p for p in seed_files.values() if p.name not in
                  {e.source_file for e in PolicyKG(ws, read_only=True).workspace.load_manifest().documents.values()})
    service = PolicyKG(ws)
    service.warm()
    app = create_app(lambda: service, token="s3cret")
    with serve_app(app) as base:
        result: dict = {}

        def upload() -> None:
            boundary = "policykgboundary"
            body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"{source.name}\"\r\n"
                    "Content-Type: text/plain\r\n\r\n").encode() + source.read_bytes() + f"\r\n--{boundary}--\r\n".encode()
            req = urllib.request.Request(base + "/ingest", data=body, method="POST", headers={
                "Authorization": "Bearer s3cret", "Content-Type": f"multipart/form-data; boundary={boundary}"})
            with urllib.request.urlopen(req, timeout=600) as r:
                result["status"], result["body"] = r.status, json.loads(r.read())

        writer = threading.Thread(target=upload)
        writer.start()
        deadline = time.monotonic() + 300
        while not (ws / JOURNAL_NAME).exists() and writer.is_alive():
            assert time.monotonic() < deadline
            time.sleep(0.005)
        answered_during_write = 0
        try:
            for path in ("/documents", "/search?" + urllib.parse.urlencode({"q": "课后服务", "k": 3}),
                         "/sparql?" + urllib.parse.urlencode({"query": "ASK { ?s ?p ?o }"}), "/health"):
                with urllib.request.urlopen(base + path, timeout=60) as r:
                    assert r.status == 200, path
                answered_during_write += (ws / JOURNAL_NAME).exists()
        finally:
            reads_done.set()
        writer.join(600)
    service.close()
    assert answered_during_write == 4  # every read finished while the write was under way
    assert result["status"] == 200 and [a["id"] for a in result["body"]["added"]] == [dropped]
    entry = PolicyKG(ws, read_only=True).workspace.load_manifest().documents[dropped]
    kept = Path(entry.source_path)
    assert kept.is_relative_to(ws.resolve() / "uploads") and kept.read_bytes() == source.read_bytes()
