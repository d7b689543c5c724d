"""Hand-made documents and facts for the kg tests (independent of the parser/extractor).

Three small plans whose every span is computed from the text, so evidence offsets are exact:
- ``zz``: 枣庄市 (山东省) plan forwarded by 滕州市教育和体育局; cites ``anon``'s title.
- ``anon``: an anonymised xx市 plan with a placeholder target.
- ``jn``: 济南市 (山东省) plan on special education, deadline 2027.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace

from ingest.model import (
    Body,
    BodyRole,
    CitedDocument,
    Clause,
    Document,
    DocumentFacts,
    Evidence,
    Measure,
    Region,
    RegionMention,
    Source,
    Target,
)

SHANDONG = Region("370000", "山东省", "province", parent="100000", province="山东省",
                  full_name="山东省", lon=117.0, lat=36.67)
ZAOZHUANG = Region("370400", "枣庄市", "prefecture", parent="370000", province="山东省",
                   full_name="山东省枣庄市", lon=117.32, lat=34.81)
TENGZHOU = Region("370481", "滕州市", "county", parent="370400", province="山东省",
                  full_name="山东省枣庄市滕州市")
JINAN = Region("370100", "济南市", "prefecture", parent="370000", province="山东省",
               full_name="山东省济南市")


def _build(doc_id: str, title: str, items: list[tuple[str, str, str | None]]) -> Document:
    """items: (path, text, heading); paths like 1, 1.1, 2, 2.1 (parents before children)."""
    text = title + "\n"
    flat: dict[str, Clause] = {}
    roots: list[Clause] = []
    for path, body, heading in items:
        start = len(text)
        text += body + "\n"
        label = path.split(".")[-1] + "."
        clause = Clause(path=path, label=label, heading=heading, text=body, start=start,
                        end=start + len(body), end_all=start + len(body), kind="item")
        flat[path] = clause
        parent = path.rsplit(".", 1)[0] if "." in path else None
        if parent:
            flat[parent].children.append(clause)
        else:
            roots.append(clause)
    for clause in flat.values():  # end_all covers the children
        last = clause
        while last.children:
            last = last.children[-1]
        clause.end_all = last.end
    sha = hashlib.sha256(text.encode()).hexdigest()
    return Document(id=doc_id, title=title, text=text,
                    source=Source(file=f"{doc_id}.txt", sha256=sha, format="txt", encoding="utf-8"),
                    clauses=roots)


def evidence(doc: Document, path: str, quote: str) -> Evidence:
    clause = doc.clause(path)
    assert clause is not None, path
    start = doc.text.index(quote, clause.start)
    return Evidence(clause=path, quote=quote, start=start, end=start + len(quote))


def zaozhuang() -> tuple[Document, DocumentFacts]:
    doc = _build("zz", "枣庄市初中教育质量提升行动计划", [
        ("1", "一、总体目标", "总体目标"),
        ("1.1", "到2025年，全市培训骨干教师1000名。", None),
        ("2", "二、主要措施", "主要措施"),
        ("2.1", "加强教师培训。每年培训校长不少于200人，由市教育局牵头，市财政局配合。", "加强教师培训"),
    ])
    doc = replace(doc, issuer="枣庄市教育局", forwarded_by="滕州市教育和体育局", date="2024-03-01",
                  doc_number="枣教发〔2024〕3号", period="2024-2026", public=True,
                  cited=[CitedDocument("xx市义务教育质量提升实施方案"),
                         CitedDocument("山东省教育现代化规划", "鲁政发〔2020〕1号")])
    bodies = [
        Body("枣庄市教育局", "zaozhuang-edu", "education-bureau", "370400", ["市教育局"]),
        Body("枣庄市财政局", "zaozhuang-finance", "finance", "370400", ["市财政局"]),
        Body("滕州市教育和体育局", "tengzhou-edu", "education-bureau", "370481"),
    ]
    t1 = Target(1, 1000, False, "名", "骨干教师培训", "=", 2025, None, None, ["teacher-training"],
                evidence(doc, "1.1", "到2025年，全市培训骨干教师1000名"))
    t2 = Target(2, 200, False, "人", "校长培训", ">=", None, "每年", None, ["principal-development"],
                evidence(doc, "2.1", "每年培训校长不少于200人"), measure="2.1")
    facts = DocumentFacts(
        doc_id="zz", region=ZAOZHUANG, region_chain=[ZAOZHUANG, SHANDONG],
        regions_mentioned=[RegionMention(TENGZHOU, "mentioned")],
        bodies=bodies,
        document_bodies=[BodyRole("zaozhuang-edu", "issuer"), BodyRole("tengzhou-edu", "forwarder")],
        measures=[Measure("2.1", "加强教师培训", ["teacher-training"],
                          [BodyRole("zaozhuang-edu", "lead"), BodyRole("zaozhuang-finance", "participant")],
                          [2])],
        targets=[t1, t2],
        clause_topics={"1.1": ["teacher-training"], "2.1": ["teacher-training", "principal-development"]},
    )
    return doc, facts


def anonymised() -> tuple[Document, DocumentFacts]:
    doc = _build("anon", "xx市义务教育质量提升实施方案", [
        ("1", "一、培养名师", "培养名师"),
        ("1.1", "到2027年，培育xx名市级名师。", None),
    ])
    doc = replace(doc, issuer="xx市教育局", date="2023-09-01")
    region = Region("anon-anon-prefecture", "xx市", "prefecture", anonymised=True)
    facts = DocumentFacts(
        doc_id="anon", region=region, region_chain=[region],
        bodies=[Body("xx市教育局", "anon-edu", "education-bureau", region.code)],
        document_bodies=[BodyRole("anon-edu", "issuer")],
        measures=[Measure("1.1", None, ["teacher-training"], [BodyRole("anon-edu", "responsible")], [1])],
        targets=[Target(1, None, True, "名", "市级名师", "=", 2027, None, None, ["teacher-training"],
                        evidence(doc, "1.1", "到2027年，培育xx名市级名师"), measure="1.1")],
        clause_topics={"1.1": ["teacher-training"]},
    )
    return doc, facts


def jinan() -> tuple[Document, DocumentFacts]:
    doc = _build("jn", "济南市特殊教育提升计划", [
        ("1", "一、办好特殊教育", "办好特殊教育"),
        ("1.1", "到2027年，适龄残疾儿童入学率达到97%以上。", None),
    ])
    doc = replace(doc, issuer="济南市教育局", date="2022-01-10",
                  cited=[CitedDocument("枣庄市初中教育质量提升行动计划")])
    facts = DocumentFacts(
        doc_id="jn", region=JINAN, region_chain=[JINAN, SHANDONG],
        bodies=[Body("济南市教育局", "jinan-edu", "education-bureau", "370100")],
        document_bodies=[BodyRole("jinan-edu", "issuer")],
        measures=[Measure("1.1", None, ["special-education"], [BodyRole("jinan-edu", "responsible")], [1])],
        targets=[Target(1, 97, False, "%", "适龄残疾儿童入学率", ">=", 2027, None, None,
                        ["special-education"], evidence(doc, "1.1", "到2027年，适龄残疾儿童入学率达到97%以上"),
                        measure="1.1")],
        clause_topics={"1.1": ["special-education"]},
    )
    return doc, facts


def all_fixtures() -> list[tuple[Document, DocumentFacts]]:
    return [zaozhuang(), anonymised(), jinan()]


# ---------------------------------------------------------------- stores for the tests

import contextlib
import os
import subprocess
import time
import urllib.request
from pathlib import Path

from conftest import free_port

OXIGRAPH_CLI = Path(__file__).resolve().parent.parent / ".venv" / "bin" / "oxigraph"


@contextlib.contextmanager
def oxigraph_server(location: Path, union: bool = True):
    """A real `oxigraph serve` on a free loopback port; yields the query URL; stopped after."""
    cli = str(OXIGRAPH_CLI) if OXIGRAPH_CLI.exists() else "oxigraph"
    port = free_port()
    args = [cli, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"]
    if union:
        args.append("--union-default-graph")
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}/query"
    try:
        deadline = time.monotonic() + 20
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"oxigraph serve exited: {proc.stderr.read().decode()[:500]}")
            try:
                req = urllib.request.Request(url, data=b"ASK {}", headers={"Content-Type": "application/sparql-query"})
                urllib.request.urlopen(req, timeout=1).read()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def fresh_store(kind: str, tmp_path: Path, server_url: str | None = None):
    """An empty store of ``kind`` (memory, oxigraph, remote) with the topic scheme loaded."""
    from kg.store import open_store

    if kind == "memory":
        store = open_store(memory=True)
    elif kind == "oxigraph":
        store = open_store(tmp_path / "data")
    elif kind == "remote":
        assert server_url, "remote store needs a server"
        store = open_store(url=server_url)
        store._update("DROP ALL")
    else:
        raise ValueError(kind)
    store.ensure_topics()
    return store


def load(store, pairs, validate: bool = False) -> None:
    from kg.mapping import document_graph, shared_graph

    for doc, facts in pairs:
        store.replace_document(doc.id, document_graph(doc, facts), shared_graph(doc, facts), validate=validate)


os.environ.setdefault("HF_HUB_OFFLINE", "1")
