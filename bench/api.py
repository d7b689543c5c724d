"""HTTP latency under load at 1×, 10× and 100× the corpus: one command, one table.

    .venv/bin/python bench/api.py --data WS [--keep DIR] [--copies 10,100] [--requests 200] [--seconds 15]
    .venv/bin/python bench/api.py --quick --data WS   # the base workspace only
    .venv/bin/python bench/api.py --quick --data WS --workers 2   # `policykg serve --workers 2` (read-only)

The base workspace is the seeds and the aesthetic corpus (``../shared/seeds`` and
``../shared/corpus/aesthetic``). ``--data WS``: start from that workspace (built there when WS holds
none: about 15 min of encoding); it is copied, never written. ``--keep DIR``: keep the copied and
replicated workspaces in DIR and reuse them on the next run (else a temporary directory).

For each workspace (the base, then ``--copies`` of it) the bench starts ``policykg serve``
(uvicorn) in a subprocess on a loopback port, times its start (process start → first answer:
``start s``; with ``--workers N`` > 1, until all N worker processes answer, each serving the
workspace read-only), then sends requests from a second process (a thread per client) and
prints p50/p95/p99 latency and requests/s per cell:

- base: ``/ask`` with 1 client (issue 14: p50 ≤ 300 ms), ``/search`` and ``/ask`` with 8;
- ×10 (any ×N under 100): ``/ask`` with 1 client (issue 14: p95 ≤ 1 s);
- ×100 (and above): ``/health`` (the floor: HTTP, threads and the client on the same cores), ``/search``, ``/ask`` and ``/sparql`` (the named query regions_with_targets_on_topic)
  with 8 clients (issue 16: /search p95 ≤ 150 ms, /ask p95 ≤ 300 ms); ``--clients 8,32`` adds 32.

Questions are the analysts' questions of ``bench/ask_questions.jsonl`` (both corpora, Chinese and
English); search queries are analysts' phrases on both corpora (``SEARCH_QUERIES``). A request runs
at most ``--requests`` per cell or ``--seconds`` of wall time, whichever comes first. The server
answers beyond its limit of concurrent expensive requests (``POLICYKG_MAX_CONCURRENT``, default 4)
with 503 and ``Retry-After``; the clients wait and retry: "503 retried" counts those answers, and
the latency of a request includes its waits. ``errors`` are requests that got no 200 in the end.
The load average (``uptime``) is printed beside each cell: the machine is shared.

The ×N workspaces are not built by re-encoding (100 copies would take a day here): each
document's named graph is copied under new document ids (its IRIs rewritten) and its clause
texts are added to the search index under the new ids; the vector cache (keyed by text hash)
supplies the vectors, so the index and the store hold N× the passages and triples while the text
repeats (the same replication bench/search.py uses for its larger sizes). Nothing in the serving
path knows the text repeats: every copy is verified, ranked and grouped as a document of its own.
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
SHARED = Path(os.environ.get("POLICYKG_SHARED", ROOT.parent / "shared"))
CORPUS = [SHARED / "seeds", SHARED / "corpus" / "aesthetic"]
QUESTIONS = ROOT / "bench" / "ask_questions.jsonl"

# analysts' phrases on both corpora: exact terms, a pasted provision, English
SEARCH_QUERIES = ["校长每学期听课不少于", "名师工作室建设", "每三年举办一次中小学生艺术展演", "美育教师专项培训学时",
                  "teacher training quotas", "戏曲进校园", "美育实践基地建设数量", "政府购买服务 兼职艺术教师",
                  "aesthetic education special funds", "心理健康教师配备", "集团化办学", "艺术素质测评纳入中考",
                  "乡镇中心学校至少配备1名专职音乐教师和1名专职美术教师", "消除大班额"]


def ask_questions() -> list[str]:
    return [json.loads(line)["question"] for line in QUESTIONS.read_text(encoding="utf-8").splitlines()
            if line.strip()]


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
        elif kind == "health":
            req = urllib.request.Request(base + "/health")
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


def build_base_workspace(path: Path) -> None:
    from api.service import PolicyKG

    with PolicyKG(path) as svc:
        report = svc.ingest(CORPUS)
    if report.failed:
        raise SystemExit(f"base ingest failed: {report.failed}")


def replicate(src: Path, dst: Path, copies: int) -> None:
    """``dst`` = ``src`` plus copies 1..copies-1 of every document under new ids (N-Triples
    rewritten and loaded as they are; passages added to the index, vectors from its cache)."""
    from api.service import PolicyKG
    from embeddings.index import Passage

    shutil.copytree(src, dst)
    with PolicyKG(dst) as svc:
        store, index = svc.store, svc.index
        originals = sorted(store.document_ids())
        for n, doc_id in enumerate(originals, 1):
            nt = store.graph_of(doc_id).serialize(format="nt")
            passages = index.passages(doc_id)
            for i in range(1, copies):
                new_id = f"{doc_id}c{i:03d}"
                store.load_ntriples(new_id, nt.replace(f"/{doc_id}", f"/{new_id}").replace(
                    f'"{doc_id}"', f'"{new_id}"'))
                index.add(new_id, [Passage(p.id.replace(f"/{doc_id}/", f"/{new_id}/"), new_id, p.text)
                                   for p in passages])
            if n % 10 == 0:
                print(f"  replicated {n}/{len(originals)} documents", file=sys.stderr, flush=True)
        index.save()
        manifest = svc.workspace.load_manifest()
        manifest.model = svc.encoder.name
        svc.workspace.save_manifest(manifest)
        svc.catalog()  # as an ingest leaves it: the read model built (and, where the code keeps it, saved)
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


def serve(ws: Path, port: int, wait: float, workers: int = 1) -> tuple[subprocess.Popen, float]:
    """Start ``policykg serve [--workers N]``; (process, seconds from start to the first answer,
    or with several workers until each has answered)."""
    import urllib.request

    cmd = [sys.executable, "-m", "api.cli", "--data", str(ws), "serve", "--port", str(port),
           "--workers", str(workers)]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.time() + wait
    answered: set[int] = set()
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/search?q=warmup&k=1", timeout=wait) as r:
                up = r.status == 200
            if up and workers > 1:  # a worker accepts once warm: wait until all of them answer
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=wait) as r:
                    answered.add(json.loads(r.read())["pid"])
                up = len(answered) >= workers
            if up:
                return proc, time.perf_counter() - t0
            time.sleep(0.2)
        except Exception:  # noqa: BLE001 - not up yet: any failure means try again
            if proc.poll() is not None:
                raise SystemExit(f"server exited: {proc.stderr.read().decode()[-2000:]}") from None
            time.sleep(0.5)
    proc.terminate()
    raise SystemExit(f"server on {ws} did not answer within {wait:.0f} s"
                     + (f" ({len(answered)} of {workers} workers answered)" if workers > 1 else ""))


def loadavg() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


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
    ap.add_argument("--copies", default="10,100", help="replications of the base (comma-separated)")
    ap.add_argument("--clients", default="8", help="client counts for the ×100 cells (comma-separated)")
    ap.add_argument("--quick", action="store_true", help="the base workspace only")
    ap.add_argument("--data", type=Path, help="base workspace to start from (built there if absent; "
                                               "copied, never written)")
    ap.add_argument("--keep", type=Path, help="keep (and reuse) the copied and replicated workspaces here")
    ap.add_argument("--wait", type=float, default=600.0, help="seconds a server may take to start")
    ap.add_argument("--workers", type=int, default=1,
                    help="`policykg serve --workers N` (more than 1: read-only, one process each)")
    args = ap.parse_args()
    copies = [] if args.quick else [int(c) for c in args.copies.split(",") if c.strip()]
    many = [int(c) for c in args.clients.split(",") if c.strip()]
    work = args.keep.resolve() if args.keep else Path(tempfile.mkdtemp(prefix="policykg-bench-api-"))
    work.mkdir(parents=True, exist_ok=True)
    rows = []
    try:
        source = args.data.resolve() if args.data else work / "source"
        if not (source / "manifest.json").exists():
            t = time.perf_counter()
            build_base_workspace(source)
            print(f"base workspace built in {time.perf_counter() - t:.0f} s", file=sys.stderr)
        base = work / "base"
        if not (base / "manifest.json").exists():
            shutil.copytree(source, base, ignore=shutil.ignore_patterns("catalog.json"))
        workspaces = [("base", base)]
        for n in copies:
            ws = work / f"x{n}"
            if not (ws / "manifest.json").exists():
                t = time.perf_counter()
                replicate(base, ws, n)
                print(f"×{n} workspace built in {time.perf_counter() - t:.0f} s", file=sys.stderr)
            workspaces.append((f"×{n}", ws))
        ask, search, sparql = ask_questions(), SEARCH_QUERIES, sparql_payload()
        for label, ws in workspaces:
            n = 1 if label == "base" else int(label[1:])
            if n == 1:
                cells = [("ask", ask, 1), ("search", search, 8), ("ask", ask, 8)]
            elif n >= 100:
                # /health first: the floor of any request here (HTTP, the server's threads and
                # the client process on the same cores), beside which /search and /ask are read
                cells = [(kind, payloads, c) for kind, payloads in
                         (("health", [""]), ("search", search), ("ask", ask), ("sparql", sparql)) for c in many]
            else:
                cells = [("ask", ask, 1)]
            port = free_port()
            server, started = serve(ws, port, args.wait, args.workers)
            print(f"{label}: answering {started:.1f} s after start (load {loadavg()})", file=sys.stderr)
            try:
                base_url = f"http://127.0.0.1:{port}"
                for kind, payloads, clients in cells:
                    r = load(base_url, kind, clients, payloads, args.requests, args.seconds)
                    lat = [x * 1000 for x in r["lat"]]
                    rows.append((label, f"{started:.0f}", f"/{kind}", clients, len(lat), r["errors"], r["busy"],
                                 pct(lat, 50), pct(lat, 95), pct(lat, 99),
                                 len(lat) / r["wall"] if r["wall"] else 0, loadavg()))
                    print(f"{label} /{kind} ×{clients}: done; failures {r['kinds'] or 'none'}", file=sys.stderr)
            finally:
                server.terminate()
                try:
                    server.wait(20)
                except subprocess.TimeoutExpired:
                    server.kill()
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"HTTP API under load (loopback, client process separate; ≤{args.requests} "
                        f"requests or {args.seconds:g} s per cell; server workers: {args.workers})")
    for col in ("workspace", "start s", "endpoint", "clients", "requests", "errors", "503 retried", "p50 ms",
                "p95 ms", "p99 ms", "req/s", "load avg"):
        table.add_column(col, justify="left" if col in ("workspace", "endpoint", "load avg") else "right")
    for r in rows:
        table.add_row(r[0], r[1], r[2], str(r[3]), str(r[4]), str(r[5]), str(r[6]), f"{r[7]:.0f}", f"{r[8]:.0f}",
                      f"{r[9]:.0f}", f"{r[10]:.1f}", r[11])
    Console(width=150).print(table)


if __name__ == "__main__":
    main()
