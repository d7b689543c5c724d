"""The command line ``policykg`` (typer + rich), mirroring the HTTP API.

``policykg [--data DIR] [--store URL] COMMAND …``: every command prints a table; ``--json``
prints the same JSON the HTTP API returns (on stdout; progress and messages go to stderr).
Errors print one line naming the problem and exit with status 1 (2 for a bad parameter);
``ingest`` exits 1 when any file failed.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from api import schemas
from api.cli_format import (
    clip,
    doc_name,
    interpretation_text,
    region_name,
    sentence_of,
    short_id,
    target_text,
)
from api.errors import InvalidParameter, PolicyKGError
from api.settings import Limits, Settings

LIMITS = Limits()

app = typer.Typer(
    name="policykg",
    help="Knowledge graph and semantic search over Chinese local education policy documents.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

out = Console(soft_wrap=False)
err = Console(stderr=True)

JsonOpt = typer.Option(False, "--json", help="print the JSON the HTTP API returns")


class Context:
    def __init__(self, data: Path | None, store: str | None) -> None:
        self.data = data
        self.store = store
        self._service: Any = None
        self._settings: Settings | None = None
        self.command: str | None = None  # the subcommand: only `ingest` may create a workspace

    @property
    def settings(self) -> Settings:
        """Read once, from the options and the environment (api/settings.py)."""
        if self._settings is None:
            try:
                self._settings = Settings.from_env(self.data, self.store)
            except ValueError as exc:
                err.print(f"[red]error:[/red] {exc}", highlight=False)
                raise typer.Exit(2) from None
        return self._settings

    def workspace(self) -> Any:
        """The workspace the options name; one that holds nothing is an error (exit 2) for
        every command but ``ingest``, which creates it."""
        from api.workspace import Workspace

        ws = Workspace.resolve(self.settings.data_dir, self.settings.store_url)
        if self.command != "ingest" and not (ws.manifest_path.exists() or ws.store_dir.exists()):
            err.print(f"[red]error:[/red] --data: no policykg workspace at {ws.root} "
                      f"(`policykg --data {ws.root} ingest FILES` creates one)", highlight=False)
            raise typer.Exit(2)
        return ws

    def service(self) -> Any:
        if self._service is None:
            from api.service import PolicyKG

            self.workspace()
            self._service = PolicyKG(settings=self.settings)
        return self._service

    def close(self) -> None:
        if self._service is not None:
            self._service.close()


@app.callback()
def main(
    ctx: typer.Context,
    data: Path | None = typer.Option(
        None, "--data", help="workspace directory (default: $POLICYKG_DATA or ./policykg-data)"
    ),
    store: str | None = typer.Option(
        None, "--store", help="a SPARQL 1.1 endpoint URL instead of the embedded store ($POLICYKG_STORE)"
    ),
) -> None:
    state = Context(data, store)
    state.command = ctx.invoked_subcommand
    ctx.obj = state
    ctx.call_on_close(state.close)


def _svc(ctx: typer.Context) -> Any:
    return ctx.obj.service()


def _run(fn: Callable[[], Any]) -> Any:
    """Call ``fn``; a service error becomes one line on stderr and a non-zero exit."""
    try:
        return fn()
    except typer.Exit:
        raise
    except InvalidParameter as exc:
        err.print(f"[red]error:[/red] {exc.message}", highlight=False)
        raise typer.Exit(2) from None
    except PolicyKGError as exc:
        err.print(f"[red]error:[/red] {exc.message}", highlight=False)
        raise typer.Exit(1) from None
    except (FileNotFoundError, ValueError, RuntimeError, TimeoutError) as exc:  # kg's errors too
        err.print(f"[red]error:[/red] {exc}", highlight=False)
        raise typer.Exit(1) from None


def _print_json(value: Any, model: Any = None) -> None:
    """The JSON the HTTP API sends: ``value`` through its response model (api/schemas.py)."""
    if model is not None:
        from api.schemas import dump

        value = dump(model, value)
    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=2, default=str) + "\n")
    sys.stdout.flush()


def _table(title: str | None, columns: list[str], rows: list[list[Any]]) -> None:
    table = Table(title=title, show_lines=False, highlight=False)
    for col in columns:
        table.add_column(col, overflow="fold")
    for row in rows:  # cells are plain text: "[ef007465]" or "[1]" is not rich markup
        table.add_row(*[v if isinstance(v, Text) else Text("" if v is None else str(v)) for v in row])
    out.print(table)


_clip = clip
_region_name = region_name
_target_text = target_text


# ---------------------------------------------------------------------- ingestion


@app.command()
def encode(
    ctx: typer.Context,
    paths: list[Path] = typer.Argument(..., help="files or folders (.txt .html .htm .docx .pdf)"),
    out: Path = typer.Option(..., "--out", help="folder of the vector cache to write (vectors.sqlite)"),
    as_json: bool = JsonOpt,
) -> None:
    """Encode documents into a vector cache, with no workspace (on any machine, e.g. a GPU
    one: POLICYKG_ENCODER=st:/path/to/model). `policykg ingest --vectors OUT` elsewhere then
    encodes nothing it finds there (same model name, same text)."""
    from api.encoding import encode_folder
    from embeddings.encoders import get_encoder
    from ingest.regions import default_gazetteer
    from kg.topics import load_topic_scheme

    settings = ctx.obj.settings

    def progress(done: int, total: int, file: str, status: str) -> None:
        err.print(f"policykg encode {done}/{total} {status:<8} {file}", highlight=False,
                  markup=False, soft_wrap=True)

    report = _run(lambda: encode_folder(paths, out, get_encoder(settings.encoder),
                                        load_topic_scheme(), default_gazetteer(), progress))
    data = report.to_dict()
    if as_json:
        out_json = json.dumps(data, ensure_ascii=False, indent=2)
        typer.echo(out_json)
    else:
        _table(f"{data['files']} files, {data['clauses']} clauses encoded with {data['model']} "
               f"→ {data['out']} ({data['vectors']} vectors)",
               ["failed", "error"], [[f["file"], _clip(f["error"], 90)] for f in data["failed"]])
    if data["failed"]:
        raise typer.Exit(1)


@app.command()
def ingest(
    ctx: typer.Context,
    paths: list[Path] = typer.Argument(..., help="files or folders (.txt .html .htm .docx .pdf)"),
    vectors: Path | None = typer.Option(
        None, "--vectors", help="a vector cache written by `policykg encode` (same model): "
                                "its vectors are used instead of encoding"),
    as_json: bool = JsonOpt,
) -> None:
    """Ingest files or folders (recursively) into the workspace (created if missing). Files over the size limit
    (POLICYKG_MAX_FILE_MB, default 20) are refused with the reason. On a terminal a progress
    bar; otherwise (a log, a pipe) one line per file on stderr."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    svc = _svc(ctx)
    log_lines = not (err.is_terminal and sys.stdout.isatty())
    with Progress(
        TextColumn("[bold]ingest"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        TextColumn("{task.description}"), console=err, transient=True,
        disable=not err.is_terminal,
    ) as bar:
        task = bar.add_task("", total=None)

        def progress(done: int, total: int, file: str, status: str) -> None:
            bar.update(task, total=total, completed=done, description=_clip(Path(file).name if file else "", 40))
            if log_lines and file:
                width = len(str(total))
                err.print(f"policykg ingest {done:>{width}}/{total} {status:<9} {file}",
                          highlight=False, markup=False, soft_wrap=True)

        report = _run(lambda: svc.ingest(paths, progress=progress, vectors=vectors))
    data = report.to_dict()
    if as_json:
        _print_json(data, schemas.IngestReport)
    else:
        rows = [["replaced" if a.get("replaced") else "added", a.get("id"), _clip(a.get("title"), 50), a.get("file")]
                for a in data["added"]]
        rows += [["unchanged", u.get("id"), _clip(u.get("title"), 50), u.get("file")] for u in data["unchanged"]]
        rows += [["duplicate", u.get("duplicate_of"), _clip(f"same text as {u.get('stored_from')}", 50),
                  u.get("file")] for u in data["duplicates"]]
        rows += [["failed", "", _clip(f.get("error"), 90), f.get("file")] for f in data["failed"]]
        _table(
            f"{len(data['added'])} added, {len(data['unchanged'])} unchanged, "
            f"{len(data['duplicates'])} duplicate, {len(data['failed'])} failed",
            ["status", "id", "title / error", "file"], rows,
        )
    if data["failed"]:
        raise typer.Exit(1)


@app.command()
def remove(ctx: typer.Context, doc_id: str, as_json: bool = JsonOpt) -> None:
    """Remove a document from the store, the index and the manifest."""
    result = _run(lambda: _svc(ctx).remove(doc_id))
    if as_json:
        _print_json(result)
    else:
        out.print(f"removed {result['removed']} ({result.get('source_file') or 'unknown file'})")
        lineage = result.get("lineage") or {}
        for what in ("dropped", "rebuilt"):
            if lineage.get(what):
                out.print(f"lineage {what}: {', '.join(lineage[what])}", highlight=False)


# ---------------------------------------------------------------------- tables to files

FormatOpt = typer.Option(None, "--format", help="write the table as csv or xlsx (with --out) instead of printing it")
OutOpt = typer.Option(None, "--out", help="file for --format (csv may go to stdout without it)")


def _write_table(rows: list[dict[str, Any]], columns: list[Any], fmt: str, out_file: Path | None,
                 sheet: str) -> None:
    """``rows`` through api/tabular.py's ``export`` as ``fmt`` (csv or xlsx) into ``out_file``
    (csv may go to stdout). A bad format or a missing --out for xlsx exits 2, naming it."""
    from api import tabular

    fmt = fmt.lower().lstrip(".")
    if fmt not in tabular.MEDIA_TYPES:
        err.print(f"[red]error:[/red] invalid --format {fmt!r} (valid choices: {', '.join(tabular.MEDIA_TYPES)})",
                  highlight=False)
        raise typer.Exit(2)
    if out_file is None and fmt != "csv":
        err.print(f"[red]error:[/red] --format {fmt} needs --out FILE (a spreadsheet is not text for the terminal)",
                  highlight=False)
        raise typer.Exit(2)
    data, _ = _run(lambda: tabular.export(rows, columns, fmt, sheet=sheet))
    if out_file is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    try:
        out_file.write_bytes(data)
    except OSError as exc:
        err.print(f"[red]error:[/red] cannot write --out {out_file}: {exc.strerror or exc}", highlight=False)
        raise typer.Exit(1) from None
    err.print(f"wrote {len(rows)} rows to {out_file} ({fmt})", highlight=False)


def _topic_labels(svc: Any) -> dict[str, str]:
    return {c.id: c.label_zh for c in svc.topic_concepts}


def _marked(para: str) -> Text:
    """A paragraph with its **bold** spans (as the source marked them) in bold."""
    text = Text()
    for i, part in enumerate(para.split("**")):
        text.append(part, style="bold" if i % 2 else None)
    return text


def _squeeze(text: str) -> str:
    return "".join(ch for ch in text if not ch.isspace() and ch not in "*")


def _doc_id(svc: Any, ref: str) -> str:
    """A document a person names (id, its first characters, 文号, title) → its id."""
    return _run(lambda: svc.find_document(ref))["id"]


# ---------------------------------------------------------------------- documents


@app.command()
def documents(ctx: typer.Context, as_json: bool = JsonOpt, fmt: str | None = FormatOpt,
              out_file: Path | None = OutOpt) -> None:
    """One row per document: title and short id, issuer, date, 文号, region, clauses. Any
    command taking a document accepts its id, the first characters of it, its 文号 or title."""
    rows = _run(lambda: _svc(ctx).documents())
    if as_json:
        return _print_json(rows, list[schemas.DocumentRow])
    if fmt:
        from api.tabular import document_columns  # the HTTP download's columns, one definition

        return _write_table(rows, document_columns(), fmt, out_file, "文件 documents")
    _table(
        f"{len(rows)} documents",
        ["id", "title", "issuer", "forwarded by", "date", "文号", "region", "clauses"],
        [
            [short_id(d.get("id")), _clip(d.get("title"), 40), d.get("issuer"), d.get("forwarded_by"), d.get("date"),
             d.get("doc_number"), _region_name(d.get("region")) or ("(anonymised)" if d.get("anonymised") else ""),
             d.get("clauses")]
            for d in rows
        ],
    )


@app.command()
def show(
    ctx: typer.Context,
    doc: str = typer.Argument(..., metavar="DOC", help="document id (or its first characters), 文号 or title"),
    text: bool = typer.Option(False, "--text", help="print each clause's text under its heading"),
    as_json: bool = JsonOpt,
) -> None:
    """A document's metadata and its clause tree (path, numbering, heading); with --text each
    clause's text too."""
    svc = _svc(ctx)
    doc_id = _doc_id(svc, doc)
    detail = _run(lambda: svc.document(doc_id))
    if as_json:
        return _print_json(detail, schemas.DocumentDetail)
    out.print(f"[bold]{detail.get('title') or doc_id}[/bold]", highlight=False)
    for key in ("id", "issuer", "forwarded_by", "date", "doc_number", "period"):
        if detail.get(key):
            out.print(f"  {key}: {detail[key]}", highlight=False, markup=False)
    if detail.get("region"):
        out.print(f"  region: {_region_name(detail['region'])}", highlight=False, markup=False)
    if (detail.get("source") or {}).get("file"):
        out.print(f"  file: {detail['source']['file']}", highlight=False, markup=False)
    def walk(nodes: list[dict[str, Any]], depth: int) -> None:
        for node in nodes:
            indent = "  " * depth
            body = node.get("text") or ""
            heading = node.get("heading") or ("" if text else _clip(body, 50))
            out.print(f"{indent}{node.get('path')}  {node.get('label') or ''} {heading or ''}".rstrip(),
                      highlight=False, markup=False, style="bold" if text else None)
            if text and body:
                said = {_squeeze(f"{node.get('label') or ''}{node.get('heading') or ''}"),
                        _squeeze(node.get("label") or ""), _squeeze(node.get("heading") or "")}
                label = (node.get("label") or "").strip()
                for i, para in enumerate(body.splitlines()):
                    para = para.strip()
                    if i == 0 and label and para.startswith(label) and para != label:
                        para = para[len(label):].strip()  # the numbering is on the line above
                    if para and _squeeze(para) not in said:  # the numbering and heading just printed
                        out.print(Padding(_marked(para), (0, 0, 0, len(indent) + 2)), highlight=False)
            walk(node.get("children") or [], depth + 1)

    walk(detail.get("clauses") or [], 1)
    for att in detail.get("attachments") or []:
        out.print(f"  附件{att.get('number')} {att.get('title') or ''}", highlight=False, markup=False)
        walk(att.get("clauses") or [], 2)


# ---------------------------------------------------------------------- search and questions


def _print_results(results: list[dict[str, Any]], title: str) -> None:
    """Hits with their document (title [short id]), clause path and the matching sentence."""
    _table(
        title,
        ["#", "score", "region", "document", "clause", "sentence"],
        [
            [i, f"{r.get('score', 0):.3f}", _region_name(r.get("region")), doc_name(r, 28),
             r.get("path"), sentence_of(r.get("text"), span=r.get("highlight"), n=140)]
            for i, r in enumerate(results, 1)
        ],
    )


@app.command()
def search(
    ctx: typer.Context,
    query: str,
    k: int = typer.Option(10, "--k", min=1, max=LIMITS.max_k),
    region: str | None = typer.Option(None, help="adcode or name; sub-regions included"),
    province: str | None = typer.Option(None),
    topic: str | None = typer.Option(None, help="topic id (policykg topics)"),
    year: int | None = typer.Option(None, help="deadline year of a target in the clause"),
    doc: str | None = typer.Option(None, help="document id (or its first characters), 文号 or title"),
    has_target: bool | None = typer.Option(None, "--has-target/--no-target"),
    as_json: bool = JsonOpt,
) -> None:
    """Hybrid (BM25 + dense) clause search with graph filters; each hit shows the sentence
    that matched."""
    svc = _svc(ctx)
    doc_id = _doc_id(svc, doc) if doc else None
    result = _run(lambda: svc.search(query, k=k, region=region, province=province, topic=topic,
                                     year=year, doc=doc_id, has_target=has_target))
    if as_json:
        return _print_json(result, schemas.SearchResponse)
    _print_results(result["results"], f"search: {query}")


@app.command()
def precedents(
    ctx: typer.Context,
    text: str,
    k: int = typer.Option(10, "--k", min=1, max=LIMITS.max_k),
    exclude_region: str | None = typer.Option(None, "--exclude-region"),
    as_json: bool = JsonOpt,
) -> None:
    """Clauses of other regions' plans most similar to a draft clause, grouped by region."""
    result = _run(lambda: _svc(ctx).precedents(text, k=k, exclude_region=exclude_region))
    if as_json:
        return _print_json(result, schemas.PrecedentsResponse)
    rows = []
    for group in result.get("groups", []):
        for d in group.get("documents", []):
            for c in d.get("clauses", []):
                rows.append([_region_name(group.get("region")), doc_name({"doc": d.get("doc") or d.get("id"), **d}, 28),
                             c.get("path"), f"{c.get('score', 0):.3f}",
                             sentence_of(c.get("text"), span=c.get("highlight"), n=120)])
    _table("precedents", ["region", "document", "clause", "score", "sentence"], rows)


def _evidence_sentences(svc: Any, evidence: list[dict[str, Any]]) -> dict[str, str]:
    """Clause IRI → text, for the clauses the evidence quotes (one read)."""
    ids = sorted({ev["clause_id"] for ev in evidence if ev.get("clause_id")})
    return {iri: row.get("text") or "" for iri, row in _run(lambda: svc.clause_texts(ids)).items()}


def _ask_rows(result: dict[str, Any]) -> list[dict[str, Any]]:
    from api.tabular import flatten

    return flatten(result.get("answer") or [], keep=("region",))


@app.command()
def ask(ctx: typer.Context, question: str, as_json: bool = JsonOpt, fmt: str | None = FormatOpt,
        out_file: Path | None = OutOpt,
        per_region: int = typer.Option(
            LIMITS.ask_per_region, "--per-region", min=0, max=LIMITS.max_per_region,
            help="at most N documents of each region listed, best first, with their evidence (0: all; "
            "every region is listed either way). --format exports the whole answer.")) -> None:
    """A question in Chinese or English, answered from the graph with evidence: each piece of
    evidence with its document (title [short id]), clause and the sentence it stands in."""
    svc = _svc(ctx)
    result = _run(lambda: svc.ask(question, per_region=None if fmt and not as_json else per_region))
    if as_json:
        return _print_json(result, schemas.AskAnswer)
    if fmt:  # an export is the whole answer
        from api.tabular import evidence_columns, with_sentences

        rows = _ask_rows(result)
        with_sentences([r for r in rows if r.get("kind") == "target"], svc.clause_texts)
        return _write_table(rows, evidence_columns(_topic_labels(svc)), fmt, out_file, "问答 answer")
    interp = result.get("interpretation") or {}
    out.print(f"[bold]{result.get('summary', '')}[/bold]", highlight=False)
    out.print("interpreted as: " + interpretation_text(interp), highlight=False, markup=False)
    every = [ev for item in result.get("answer", []) for ev in item.get("evidence") or []]
    every += list(result.get("closest") or [])
    texts = _evidence_sentences(svc, every)

    def sentence(ev: dict[str, Any]) -> str:
        return sentence_of(texts.get(ev.get("clause_id") or ""), ev.get("quote"), n=120)

    rows = []
    for item in result.get("answer", []):
        label = _region_name(item.get("region")) or item.get("name") or item.get("title") or ""
        evidence = item.get("evidence") or []
        if not evidence:
            rows.append([label, item.get("count", ""), "", "", ""])
        for ev in evidence:
            rows.append([label, _target_text(ev) if ev.get("unit") or ev.get("value") is not None else "",
                         doc_name(ev, 28), ev.get("path"), sentence(ev)])
            label = ""
    if rows:
        _table(None, ["answer", "target", "document", "clause", "sentence"], rows)
    from api.ask.paging import not_listed

    left, what = not_listed(result)
    if left:
        out.print(f"… {left} more {what} not listed (--per-region 0 lists all)", highlight=False, markup=False)
    if result.get("closest"):
        _table("closest clauses (not answers)", ["region", "document", "clause", "sentence"],
               [[_region_name(ev.get("region")), doc_name(ev, 28), ev.get("path"), sentence(ev)]
                for ev in result["closest"]])
    if result.get("results"):
        _print_results(result["results"], "related clauses (search)")


@app.command()
def targets(
    ctx: typer.Context,
    topic: str | None = typer.Option(None),
    region: str | None = typer.Option(None),
    year: int | None = typer.Option(None),
    as_json: bool = JsonOpt,
    fmt: str | None = FormatOpt,
    out_file: Path | None = OutOpt,
) -> None:
    """Quantitative targets (指标) with their document, clause and evidence."""
    svc = _svc(ctx)
    rows = _run(lambda: svc.targets(topic=topic, region=region, year=year))
    if as_json:
        return _print_json(rows, list[schemas.Target])
    if fmt:
        from api.tabular import target_columns, with_sentences

        rows = [dict(t) for t in rows]
        with_sentences(rows, svc.clause_texts)
        return _write_table(rows, target_columns(_topic_labels(svc)), fmt, out_file, "指标 targets")
    labels = _topic_labels(svc)
    texts = _evidence_sentences(svc, rows)
    _table(
        f"{len(rows)} targets",
        ["region", "target", "topics", "document", "clause", "sentence"],
        [[_region_name(t.get("region")), _target_text(t), "、".join(labels.get(x, x) for x in t.get("topics") or []),
          doc_name(t, 28), (t.get("evidence") or {}).get("clause"),
          sentence_of(texts.get(t.get("clause_id") or ""), (t.get("evidence") or {}).get("quote"), n=100)]
         for t in rows],
    )


@app.command()
def regions(ctx: typer.Context, parent: str | None = typer.Option(None), as_json: bool = JsonOpt) -> None:
    """Regions with document and target counts."""
    rows = _run(lambda: _svc(ctx).regions(parent=parent))
    if as_json:
        return _print_json(rows, list[schemas.Region])
    _table(
        f"{len(rows)} regions",
        ["code", "name", "level", "province", "documents", "targets", "anonymised"],
        [[r.get("code"), r.get("name"), r.get("level"), r.get("province"), r.get("documents"), r.get("targets"),
          "yes" if r.get("anonymised") else ""] for r in rows],
    )


@app.command()
def bodies(ctx: typer.Context, as_json: bool = JsonOpt) -> None:
    """Responsible bodies."""
    rows = _run(lambda: _svc(ctx).bodies())
    if as_json:
        return _print_json(rows, list[schemas.BodyRow])
    _table(f"{len(rows)} bodies", ["name", "kind", "region", "measures", "documents"],
           [[b.get("name"), b.get("kind"), _region_name(b.get("region")), b.get("measures"), b.get("documents")]
            for b in rows])


@app.command()
def topics(ctx: typer.Context, as_json: bool = JsonOpt) -> None:
    """The topic scheme: each topic with the number of measures and of targets on it."""
    rows = _run(lambda: _svc(ctx).topics())
    if as_json:
        return _print_json(rows, list[schemas.Topic])
    _table(f"{len(rows)} topics", ["id", "中文", "English", "measures 措施", "targets 指标"],
           [[t.get("id"), t.get("label_zh"), t.get("label_en"), t.get("measures", 0), t.get("targets", 0)]
            for t in rows])


# ---------------------------------------------------------------------- graph


@app.command()
def nodes(
    ctx: typer.Context,
    query: str = typer.Argument(..., help="part of a name: 枣庄市, 美育, Teacher training, a title or 文号"),
    kind: list[str] = typer.Option([], "--kind", help="region, topic, body or document (repeatable)"),
    limit: int = typer.Option(20, "--limit", min=1, max=200),
    as_json: bool = JsonOpt,
) -> None:
    """Regions, topics, bodies and documents by name, best first: the IRI to give `export
    --node` (or the page's graph view)."""
    rows = _run(lambda: _svc(ctx).find_nodes(query, kind=kind or None, limit=limit))
    if as_json:
        return _print_json(rows, list[schemas.NodeMatch])
    _table(f"{len(rows)} nodes matching {query}", ["kind", "name", "detail", "match", "IRI"],
           [[r["kind"], r["label"], r.get("detail"), r["match"] if r["matched"] == r["label"] else f"{r['match']}: {r['matched']}",
             r["id"]] for r in rows])


@app.command()
def export(
    ctx: typer.Context,
    format: str = typer.Option("ttl", "--format", help="ttl, jsonld, graphml or gexf"),
    node: str | None = typer.Option(None, help="centre of a neighbourhood: a name (枣庄市), IRI, document id, "
                                                  "adcode or topic id (`policykg nodes` finds one)"),
    depth: int = typer.Option(1, min=0, max=4),
    out_file: Path | None = typer.Option(None, "--out", help="file to write (default: stdout)"),
) -> None:
    """Export the graph or a neighbourhood as Turtle, JSON-LD, GraphML (Gephi) or GEXF."""
    if format not in ("ttl", "jsonld", "graphml", "gexf"):
        err.print(f"[red]error:[/red] invalid --format {format!r} (valid choices: ttl, jsonld, graphml, gexf)")
        raise typer.Exit(2)
    data = _run(lambda: _svc(ctx).export(format, node=node, depth=depth))
    if out_file:
        out_file.write_bytes(data)
        err.print(f"wrote {len(data)} bytes to {out_file}")
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()


@app.command()
def sparql(
    ctx: typer.Context,
    query: str,
    as_json: bool = JsonOpt,
    limit: int = typer.Option(LIMITS.sparql_rows, help="row limit"),
    timeout: float = typer.Option(60.0, help="time limit in seconds"),
) -> None:
    """Run a read-only SPARQL query (SELECT/ASK print a table; CONSTRUCT/DESCRIBE print Turtle)."""
    answer = _run(lambda: _svc(ctx).sparql(
        query, accept="application/sparql-results+json" if as_json else None,
        time_limit=timeout, row_limit=limit))
    if answer.truncated:
        err.print(f"[yellow]cut:[/yellow] {answer.truncated}")
    if as_json or answer.form in ("CONSTRUCT", "DESCRIBE"):
        sys.stdout.buffer.write(answer.body if answer.body.endswith(b"\n") else answer.body + b"\n")
        sys.stdout.flush()
        return
    res = answer.result
    if answer.form == "ASK":
        out.print("true" if res.boolean else "false")
        return
    _table(f"{len(res.rows)} rows", res.vars,
           [[_clip(row.get(v), 100) if row.get(v) is not None else "" for v in res.vars] for row in res.rows])


@app.command()
def health(ctx: typer.Context, as_json: bool = JsonOpt) -> None:
    """The store, the index, the model and the counts."""
    result = _run(lambda: _svc(ctx).health())
    if as_json:
        return _print_json(result, schemas.Health)
    _table("health", ["key", "value"], [[k, json.dumps(v, ensure_ascii=False) if isinstance(v, (dict, list)) else v]
                                        for k, v in result.items()])


@app.command()
def serve(
    ctx: typer.Context,
    host: str = typer.Option("127.0.0.1"),
    port: int = typer.Option(8000),
    workers: int = typer.Option(
        1, "--workers", min=1,
        help="serving processes (uvicorn's); more than 1 serves the workspace read-only: HTTP "
             "ingest is refused (409), ingest with `policykg ingest` and restart the server"),
    read_only: bool = typer.Option(
        False, "--read-only", help="serve the workspace read-only in one process (writes refused, as with --workers)"),
) -> None:
    """Serve the HTTP API (OpenAPI at /docs) and the web page at /."""
    state: Context = ctx.obj
    if workers > 1 or read_only:
        return _serve_read_only(state, workers, host, port)
    import uvicorn

    from api.http import create_app

    svc = state.service()
    err.print(f"policykg: serving {svc.workspace.root} on http://{host}:{port} (API docs at /docs)")
    if not state.settings.token:
        err.print("policykg: HTTP ingest (POST /ingest) is off; to turn it on, start the server with "
                  "a token: POLICYKG_TOKEN=<secret> policykg serve (clients send Authorization: Bearer <secret>)")
    uvicorn.run(create_app(lambda: svc, settings=state.settings), host=host, port=port, log_level="info")


def _serve_read_only(state: Context, workers: int, host: str, port: int) -> None:
    """``serve --workers N`` / ``--read-only`` (api/serving.py). This process builds no
    service: with N > 1 it only supervises the workers, each of which opens the workspace."""
    from api import serving

    ws = state.workspace()
    who = f"{workers} workers" if workers > 1 else "one process"
    err.print(f"policykg: serving {ws.root} read-only by {who} on http://{host}:{port} (API docs at /docs); "
              "HTTP ingest is refused: ingest with `policykg ingest` and restart the server",
              highlight=False, soft_wrap=True)
    serving.run(state.settings, workers, host, port)


# --- lineage (issue 18): `policykg lineage` (api/lineage/cli.py)
from api.lineage.cli import register as _register_lineage

_register_lineage(app)
# --- end lineage


if __name__ == "__main__":  # pragma: no cover
    app()
