"""Shared fixtures: the sample corpus is read from ../shared, never copied into the project."""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("POLICYKG_SHARED", ROOT.parent / "shared"))
SEEDS = SHARED / "seeds"
CORPUS = SHARED / "corpus" / "laws"
GOLD = SHARED / "dev-gold"

SEED_FILES = {
    "xiangan": SEEDS / "000_6b1a78cfaf990a4e.txt",  # 厦门市翔安区
    "anon": SEEDS / "001_f6852c3283297a95.txt",  # xx市 (anonymised)
    "zaozhuang": SEEDS / "002_63a5f9f5bfe6aa8f.txt",  # 枣庄市, forwarded by 滕州市
    "chengde": SEEDS / "003_fecaf80cfea7957a.txt",  # 承德市
    "ouhai": SEEDS / "004_8045811c0acabd4e.txt",  # 温州市瓯海区
}


def free_port() -> int:
    """A free TCP port on the loopback interface."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def serve_app(app, timeout: float = 180.0) -> Iterator[str]:
    """Run an ASGI ``app`` with uvicorn on 127.0.0.1 (a free port) in a thread; yields the
    base URL; the server is stopped on exit."""
    import uvicorn

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, name=f"uvicorn-{port}", daemon=True)
    thread.start()
    deadline = time.monotonic() + timeout
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError(f"uvicorn did not start on 127.0.0.1:{port}")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=15)


@pytest.fixture(scope="session")
def seed_files() -> dict[str, Path]:
    missing = [str(p) for p in SEED_FILES.values() if not p.exists()]
    if missing:
        pytest.fail(f"sample corpus missing: {missing} (expected ../shared beside the checkout)")
    return dict(SEED_FILES)


@pytest.fixture(scope="session")
def corpus_files() -> list[Path]:
    return sorted(CORPUS.glob("*.txt"))


@pytest.fixture(scope="session")
def concepts():
    """The topic scheme (kg/topics.ttl)."""
    from kg.topics import load_topic_scheme

    return load_topic_scheme()


@pytest.fixture(scope="session")
def plan_facts(concepts):
    """``plan_facts(text, name="plan.txt")`` → (Document, Facts) of a plan written in a test."""
    import hashlib

    from ingest.extract import extract_facts
    from ingest.parse import parse_document
    from ingest.readers import RawText

    def facts_of(text: str, name: str = "plan.txt"):
        raw = RawText(text=text, format="txt", encoding="utf-8", sha256=hashlib.sha256(text.encode()).hexdigest())
        doc = parse_document(raw, name)
        return doc, extract_facts(doc, concepts)

    return facts_of


@pytest.fixture(scope="session")
def seed_workspace(tmp_path_factory, seed_files) -> Path:
    """A workspace with the five seeds ingested once per session (default encoder)."""
    from api.service import PolicyKG

    root = tmp_path_factory.mktemp("seed-workspace")
    started = time.monotonic()
    with PolicyKG(root) as service:
        report = service.ingest(sorted(seed_files.values()))
    if report.failed:
        pytest.fail(f"seed ingest failed: {report.failed}")
    FIXTURE_TIMES["seed_workspace"] = time.monotonic() - started
    return root


@pytest.fixture(scope="session")
def seed_service(seed_workspace):
    """A PolicyKG over ``seed_workspace`` (holds its store for the session)."""
    from api.service import PolicyKG

    service = PolicyKG(seed_workspace)
    yield service
    service.close()


AESTHETIC = SHARED / "corpus" / "aesthetic"


AESTHETIC_STRIDE = 3  # every third file: a third of the encoding, most provinces kept


@pytest.fixture(scope="session")
def aesthetic_files() -> list[Path]:
    """The 美育 documents the browser tests load: every third file of the 93 in name order
    (31: 4 central, 27 local). The whole corpus takes ~12 min to encode on 2 cores, a third
    ~4; names sort by region, so a stride keeps regions all over China (the map), national
    documents, and provinces beside their own cities (安徽省 with 合肥/芜湖/滁州, 四川省 with
    成都, 河北省 with 石家庄, 山东省 with 青岛: lineage). ``POLICYKG_AESTHETIC_ALL=1`` loads
    all 93."""
    files = sorted(AESTHETIC.glob("*.txt"))
    if len(files) < 50:
        pytest.fail(f"aesthetic corpus missing or incomplete under {AESTHETIC} ({len(files)} files)")
    return files if os.environ.get("POLICYKG_AESTHETIC_ALL") == "1" else files[::AESTHETIC_STRIDE]


@pytest.fixture(scope="session")
def aesthetic_workspace(tmp_path_factory, aesthetic_files) -> Path:
    """A workspace with ``aesthetic_files`` ingested once per session (default
    encoder): the slowest fixture (encoding); the summary at the end of the run says how
    long it took. ``POLICYKG_AESTHETIC_WORKSPACE=DIR`` copies a workspace built of the same
    files instead (to rerun the browser tests while working on the page)."""
    from api.service import PolicyKG

    root = tmp_path_factory.mktemp("aesthetic-workspace")
    started = time.monotonic()
    built = os.environ.get("POLICYKG_AESTHETIC_WORKSPACE")  # a workspace a previous run built
    if built:
        import shutil

        shutil.copytree(built, root, dirs_exist_ok=True)
        return root
    with PolicyKG(root) as service:
        report = service.ingest(aesthetic_files)
    if report.failed:
        pytest.fail(f"aesthetic ingest failed: {report.failed}")
    FIXTURE_TIMES["aesthetic_workspace"] = time.monotonic() - started
    return root


@pytest.fixture(scope="session")
def aesthetic_service(aesthetic_workspace):
    """A PolicyKG over ``aesthetic_workspace`` (holds its store for the session)."""
    from api.service import PolicyKG

    service = PolicyKG(aesthetic_workspace)
    yield service
    service.close()


FIXTURE_TIMES: dict[str, float] = {}


def pytest_terminal_summary(terminalreporter) -> None:
    """How long the session's workspace builds took (the suite's budget is mostly these)."""
    for name, seconds in FIXTURE_TIMES.items():
        terminalreporter.write_line(f"fixture {name}: built in {seconds:.0f} s")
