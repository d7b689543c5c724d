"""HTTP latency under concurrent load: one command, one table.

    .venv/bin/python bench/api.py [--requests 200] [--seconds 15] [--copies 100] [--quick]
    .venv/bin/python bench/api.py --quick --data DIR   # reuse a seed workspace in DIR

``--quick``: the seeds only (no ×copies workspace), 8 clients. ``--data DIR``: use (and on the
first run build) the seed workspace in DIR instead of a temporary one.

For two workspaces — the five seeds, and the seeds copied ``--copies`` times — starts
``policykg serve`` (uvicorn) in a subprocess on a loopback port, then sends requests from a
second process (a client subprocess with a thread per client: 8 and 32 clients) to
``/search``, ``/ask`` and ``/sparql`` (the named query regions_with_targets_on_topic), at most
``--requests`` per cell or ``--seconds`` of wall time, whichever comes first, and prints
p50/p95/p99 latency and requests/s per cell. The server answers beyond its limit of
concurrent expensive requests (``POLICYKG_MAX_CONCURRENT``, default 4) with 503 and
``Retry-After``; the clients wait and retry, as a polite client would: "503 retried" counts
those answers, and the latency of a request includes its waits. ``errors`` are requests that
got no 200 in the end.

The 100× workspace is not built by re-encoding: encoding runs at ~12–20 clauses/s here, so
100 copies would take over an hour. Instead each seed's named graph is copied under new
document ids (its IRIs rewritten) and its clause texts are added to the search index under the
new ids; the vector cache (keyed by text hash) supplies the vectors, so the index and the store
hold 100× the passages and triples while the text repeats — the same replication
bench/search.py uses for its larger sizes. The seeds alone stand in for "the corpus" here:
the statutes of ../shared/corpus would need several minutes of encoding first.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
SEEDS = Path(os.environ.get("POLICYKG_SHARED", ROOT.parent / "shared")) / "seeds"

SEARCH_QUERIES = ["校长每学期听课不少于", "名师工作室建设", "课后服务", "teacher training quotas",
                  "心理健康教师配备", "集团化办学", "消除大班额", "教师交流轮岗 县管校聘"]
ASK_QUESTIONS = ["which regions set teacher-training quotas", "哪些地区设定了教师培训的数量指标",
                 "哪些地区要求消除大班额", "which plans set deadlines of 2027", "哪些地区要求建设名师工作室",
                 "哪些地区要求校长每学期听课", "What targets does Chengde set for teacher training?"]

CLIENT = r"""
import json, sys, threading, time, urllib.error, urllib.parse, urllib.request
base, kind, clients, max_requests, seconds = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5])
payloads = json.loads(sys.stdin.read())
lat, errors, busy, lock, kinds = [], [0], [0], threading.Lock(), {}
counter = [0]
deadline = time.perf_counter() + seconds
def next_index():
    with lock:
        if counter[0] >= max_requests or time.perf_counter() > deadline:
            return None
        counter[0] += 1
        return counter[0]
def worker():
    while True:
        i = next_index()
        if i is None:
            return
        p = payloads[i % len(payloads)]
        if kind == "sparql":
            req = urllib.request.Request(base + "/sparql", data=p.encode(), headers={
                "Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"})
        else:
            key = "q"
            req = urllib.request.Request(base + "/" + kind + "?" + urllib.parse.urlencode({key: p}))
        t = time.perf_counter()
        ok = False
        for attempt in range(20):  # a 503 (the server's request limit) is retried after Retry-After
            try:
                with urllib.request.urlopen(req, timeout=120) as r:
                    r.read()
                    ok = r.status == 200
                break
            except urllib.error.HTTPError as exc:
                if exc.code != 503:
                    with lock:
                        kinds[str(exc.code)] = kinds.get(str(exc.code), 0) + 1
                    break
                with lock:
                    busy[0] += 1
                time.sleep(float(exc.headers.get("Retry-After") or 1))
            except Exception as exc:
                with lock:
                    kinds[type(exc).__name__] = kinds.get(type(exc).__name__, 0) + 1
                break
        dt = time.perf_counter() - t
        with lock:
            if ok:
                lat.append(dt)
            else:
                errors[0] += 1
start = time.perf_counter()
threads = [threading.Thread(target=worker) for _ in range(clients)]
[t.start() for t in threads]
[t.join() for t in threads]
print(json.dumps({"lat": lat, "errors": errors[0], "busy": busy[0], "kinds": kinds, "wall": time.perf_counter() - start}))
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def build_seed_workspace(path: Path) -> None:
    from api.service import PolicyKG

    with PolicyKG(path) as svc:
        report = svc.ingest([SEEDS])
    if report.failed:
        raise SystemExit(f"seed ingest failed: {report.failed}")


def replicate(src: Path, dst: Path, copies: int) -> None:
    """``dst`` = ``src`` plus copies 1..copies-1 of every document under new ids."""
    from rdflib import Graph

    from api.service import PolicyKG
    from embeddings.index import Passage

    shutil.copytree(src, dst)
    with PolicyKG(dst) as svc:
        store, index = svc.store, svc.index
        originals = list(store.document_ids())
        for doc_id in originals:
            nt = store.graph_of(doc_id).serialize(format="nt")
            passages = index.passages(doc_id)
            for i in range(1, copies):
                new_id = f"{doc_id}c{i:03d}"
                graph = Graph().parse(data=nt.replace(f"/{doc_id}", f"/{new_id}").replace(
                    f'"{doc_id}"', f'"{new_id}"'), format="nt")
                store.replace_document(new_id, graph, None, validate=False)
                index.add(new_id, [Passage(p.id.replace(f"/{doc_id}/", f"/{new_id}/"), new_id, p.text)
                                   for p in passages])
        index.save()
        manifest = svc.workspace.load_manifest()
        manifest.model = svc.encoder.name
        svc.workspace.save_manifest(manifest)
        stats = (len(store.document_ids()), len(index), store.triple_count())
    print(f"replicated ×{copies}: {stats[0]} documents, {stats[1]} passages, {stats[2]} triples",
          file=sys.stderr)


def sparql_payload() -> list[str]:
    from rdflib import URIRef

    from kg.namespaces import topic_iri
    from kg.sparql import inject_values

    text = (ROOT / "kg" / "queries" / "regions_with_targets_on_topic.rq").read_text(encoding="utf-8")
    return [inject_values(text, {"topic": URIRef(topic_iri(t))})
            for t in ("teacher-training", "principal-development", "funding", "enrollment")]


def serve(ws: Path, port: int) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "api.cli", "--data", str(ws), "serve", "--port", str(port)]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    import urllib.request

    deadline = time.time() + 300
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/search?q=warmup&k=1", timeout=300) as r:
                if r.status == 200:
                    return proc
        except Exception:  # noqa: BLE001 - not up yet: any failure means try again
            if proc.poll() is not None:
                raise SystemExit(f"server exited: {proc.stderr.read().decode()[-2000:]}")
            time.sleep(0.5)
    proc.terminate()
    raise SystemExit("server did not answer within 300 s")


def load(base: str, kind: str, clients: int, payloads: list[str], max_requests: int, seconds: float) -> dict:
    proc = subprocess.run(
        [sys.executable, "-c", CLIENT, base, kind, str(clients), str(max_requests), str(seconds)],
        input=json.dumps(payloads), capture_output=True, text=True, timeout=seconds + 300, check=False,
    )
    if proc.returncode:
        raise SystemExit(proc.stderr)
    return json.loads(proc.stdout)


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, round(q / 100 * (len(values) - 1)))]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--requests", type=int, default=200, help="at most this many requests per cell")
    ap.add_argument("--seconds", type=float, default=15.0, help="at most this long per cell")
    ap.add_argument("--copies", type=int, default=100)
    ap.add_argument("--quick", action="store_true", help="the seeds only, 8 clients")
    ap.add_argument("--data", type=Path, help="seed workspace to reuse (built there if absent)")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="policykg-bench-api-"))
    rows = []
    client_counts = (8,) if args.quick else (8, 32)
    try:
        seeds_ws = args.data.resolve() if args.data else tmp / "seeds"
        if not (seeds_ws / "manifest.json").exists():
            t = time.perf_counter()
            build_seed_workspace(seeds_ws)
            print(f"seed workspace built in {time.perf_counter() - t:.0f} s", file=sys.stderr)
        workspaces = [("seeds (5 docs)", seeds_ws)]
        if not args.quick:
            big_ws = tmp / f"seeds-x{args.copies}"
            t = time.perf_counter()
            replicate(seeds_ws, big_ws, args.copies)
            print(f"×{args.copies} workspace built in {time.perf_counter() - t:.0f} s", file=sys.stderr)
            workspaces.append((f"seeds ×{args.copies}", big_ws))
        workloads = {"search": SEARCH_QUERIES, "ask": ASK_QUESTIONS, "sparql": sparql_payload()}
        for label, ws in workspaces:
            port = free_port()
            server = serve(ws, port)
            try:
                base = f"http://127.0.0.1:{port}"
                for kind, payloads in workloads.items():
                    for clients in client_counts:
                        r = load(base, kind, clients, payloads, args.requests, args.seconds)
                        lat = [x * 1000 for x in r["lat"]]
                        rows.append((label, f"/{kind}", clients, len(lat), r["errors"], r["busy"], pct(lat, 50),
                                     pct(lat, 95), pct(lat, 99), len(lat) / r["wall"] if r["wall"] else 0))
                        print(f"{label} /{kind} ×{clients}: done; failures {r['kinds'] or 'none'}", file=sys.stderr)
            finally:
                server.terminate()
                try:
                    server.wait(20)
                except subprocess.TimeoutExpired:
                    server.kill()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"HTTP API under load (loopback, client process separate; ≤{args.requests} "
                        f"requests or {args.seconds:g} s per cell)")
    for col in ("workspace", "endpoint", "clients", "requests", "errors", "503 retried", "p50 ms", "p95 ms",
                "p99 ms", "req/s"):
        table.add_column(col, justify="right" if col not in ("workspace", "endpoint") else "left")
    for r in rows:
        table.add_row(r[0], r[1], str(r[2]), str(r[3]), str(r[4]), str(r[5]), f"{r[6]:.0f}", f"{r[7]:.0f}",
                      f"{r[8]:.0f}", f"{r[9]:.1f}")
    Console(width=130).print(table)


if __name__ == "__main__":
    main()
