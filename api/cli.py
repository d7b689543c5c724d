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
from rich.table import Table

from api import schemas
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

    def service(self) -> Any:
        if self._service is None:
            from api.service import PolicyKG
            from api.workspace import Workspace

            ws = Workspace.resolve(self.settings.data_dir, self.settings.store_url)
            if self.command != "ingest" and not (ws.manifest_path.exists() or ws.store_dir.exists()):
                err.print(f"[red]error:[/red] --data: no policykg workspace at {ws.root} "
                          f"(`policykg --data {ws.root} ingest FILES` creates one)", highlight=False)
                raise typer.Exit(2)

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
    for row in rows:
        table.add_row(*["" if v is None else str(v) for v in row])
    out.print(table)


def _clip(text: Any, n: int = 80) -> str:
    text = "" if text is None else str(text).replace("\n", " ")
    return text if len(text) <= n else text[: n - 1] + "…"


def _region_name(region: Any) -> str:
    if not region:
        return ""
    if isinstance(region, str):
        return region
    name = region.get("name") or region.get("code") or ""
    return f"{name} (anonymised)" if region.get("anonymised") else name


def _target_text(t: dict[str, Any]) -> str:
    value = "xx" if t.get("placeholder") else t.get("value")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    comp = {">=": "≥", "<=": "≤"}.get(t.get("comparator") or "=", "")
    upper = t.get("value_max")
    upper = f"–{int(upper) if isinstance(upper, float) and upper.is_integer() else upper}" if upper is not None else ""
    bits = [f"{comp}{value}{upper}{t.get('unit') or ''}", t.get("object") or ""]
    if t.get("deadline"):
        bits.append(f"by {t['deadline']}")
    if t.get("frequency"):
        bits.append(t["frequency"])
    if t.get("period"):
        bits.append(f"period {t['period']}")
    return " ".join(b for b in bits if b)


# ---------------------------------------------------------------------- ingestion


@app.command()
def ingest(
    ctx: typer.Context,
    paths: list[Path] = typer.Argument(..., help="files or folders (.txt .html .htm .docx .pdf)"),
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

        report = _run(lambda: svc.ingest(paths, progress=progress))
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


# ---------------------------------------------------------------------- documents


@app.command()
def documents(ctx: typer.Context, as_json: bool = JsonOpt) -> None:
    """One row per document: id, title, issuer, date, 文号, region …"""
    rows = _run(lambda: _svc(ctx).documents())
    if as_json:
        return _print_json(rows, list[schemas.DocumentRow])
    _table(
        f"{len(rows)} documents",
        ["id", "title", "issuer", "forwarded by", "date", "文号", "region", "clauses", "file"],
        [
            [d.get("id"), _clip(d.get("title"), 40), d.get("issuer"), d.get("forwarded_by"), d.get("date"),
             d.get("doc_number"), _region_name(d.get("region")) or ("(anonymised)" if d.get("anonymised") else ""),
             d.get("clauses"), (d.get("source") or {}).get("file")]
            for d in rows
        ],
    )


@app.command()
def show(ctx: typer.Context, doc_id: str, as_json: bool = JsonOpt) -> None:
    """A document's metadata and its clause tree, indented, with path and heading."""
    doc = _run(lambda: _svc(ctx).document(doc_id))
    if as_json:
        return _print_json(doc, schemas.DocumentDetail)
    out.print(f"[bold]{doc.get('title') or doc_id}[/bold]", highlight=False)
    for key in ("id", "issuer", "forwarded_by", "date", "doc_number", "period"):
        if doc.get(key):
            out.print(f"  {key}: {doc[key]}", highlight=False)
    if doc.get("region"):
        out.print(f"  region: {_region_name(doc['region'])}", highlight=False)

    def walk(nodes: list[dict[str, Any]], depth: int) -> None:
        for node in nodes:
            label = node.get("heading") or _clip(node.get("text"), 50)
            out.print(f"{'  ' * depth}{node.get('path')}  {node.get('label') or ''} {label or ''}".rstrip(),
                      highlight=False, markup=False)
            walk(node.get("children") or [], depth + 1)

    walk(doc.get("clauses") or [], 1)
    for att in doc.get("attachments") or []:
        out.print(f"  附件{att.get('number')} {att.get('title') or ''}", highlight=False, markup=False)
        walk(att.get("clauses") or [], 2)


# ---------------------------------------------------------------------- search and questions


def _print_results(results: list[dict[str, Any]], title: str) -> None:
    _table(
        title,
        ["#", "score", "region", "doc", "path", "text"],
        [
            [i, f"{r.get('score', 0):.3f}", _region_name(r.get("region")), r.get("source_file") or r.get("doc"),
             r.get("path"), _clip(r.get("text"), 90)]
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
    doc: str | None = typer.Option(None, help="document id"),
    has_target: bool | None = typer.Option(None, "--has-target/--no-target"),
    as_json: bool = JsonOpt,
) -> None:
    """Hybrid (BM25 + dense) clause search with graph filters."""
    result = _run(lambda: _svc(ctx).search(query, k=k, region=region, province=province, topic=topic,
                                           year=year, doc=doc, has_target=has_target))
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
                rows.append([_region_name(group.get("region")), _clip(d.get("title"), 30), c.get("path"),
                             f"{c.get('score', 0):.3f}", _clip(c.get("text"), 80)])
    _table("precedents", ["region", "document", "path", "score", "text"], rows)


@app.command()
def ask(ctx: typer.Context, question: str, as_json: bool = JsonOpt) -> None:
    """A question in Chinese or English, answered from the graph with evidence."""
    result = _run(lambda: _svc(ctx).ask(question))
    if as_json:
        return _print_json(result, schemas.AskAnswer)
    interp = result.get("interpretation") or {}
    out.print(f"[bold]{result.get('summary', '')}[/bold]", highlight=False)
    out.print("interpreted as: " + ", ".join(f"{k}={v}" for k, v in interp.items() if v not in (None, [], "")),
              highlight=False, markup=False)
    rows = []
    for item in result.get("answer", []):
        label = _region_name(item.get("region")) or item.get("name") or item.get("title") or ""
        evidence = item.get("evidence") or []
        if not evidence:
            rows.append([label, item.get("count", ""), "", "", ""])
        for ev in evidence:
            rows.append([label, _target_text(ev) if ev.get("unit") or ev.get("value") is not None else "",
                         _clip(ev.get("title") or ev.get("source_file") or ev.get("doc"), 30), ev.get("path"),
                         _clip(ev.get("quote"), 60)])
            label = ""
    if rows:
        _table(None, ["answer", "target", "document", "clause", "quote"], rows)
    if result.get("closest"):
        _table("closest clauses (not answers)", ["region", "document", "clause", "quote"],
               [[_region_name(ev.get("region")), _clip(ev.get("title") or ev.get("source_file"), 30), ev.get("path"),
                 _clip(ev.get("quote"), 60)] for ev in result["closest"]])
    if result.get("results"):
        _print_results(result["results"], "related clauses (search)")


@app.command()
def targets(
    ctx: typer.Context,
    topic: str | None = typer.Option(None),
    region: str | None = typer.Option(None),
    year: int | None = typer.Option(None),
    as_json: bool = JsonOpt,
) -> None:
    """Quantitative targets (指标) with their evidence."""
    rows = _run(lambda: _svc(ctx).targets(topic=topic, region=region, year=year))
    if as_json:
        return _print_json(rows, list[schemas.Target])
    _table(
        f"{len(rows)} targets",
        ["region", "target", "topics", "file", "clause", "quote"],
        [[_region_name(t.get("region")), _target_text(t), ",".join(t.get("topics") or []), t.get("source_file"),
          (t.get("evidence") or {}).get("clause"), _clip((t.get("evidence") or {}).get("quote"), 50)]
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
    """The topic scheme with counts."""
    rows = _run(lambda: _svc(ctx).topics())
    if as_json:
        return _print_json(rows, list[schemas.Topic])
    _table(f"{len(rows)} topics", ["id", "中文", "English", "clauses", "targets"],
           [[t.get("id"), t.get("label_zh"), t.get("label_en"), t.get("clauses"), t.get("targets")] for t in rows])


# ---------------------------------------------------------------------- graph


@app.command()
def export(
    ctx: typer.Context,
    format: str = typer.Option("ttl", "--format", help="ttl, jsonld, graphml or gexf"),
    node: str | None = typer.Option(None, help="IRI (or short id) of the centre of a neighbourhood"),
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
) -> None:
    """Serve the HTTP API (OpenAPI at /docs) and the web page at /."""
    import uvicorn

    from api.http import create_app

    state: Context = ctx.obj
    svc = state.service()
    err.print(f"policykg: serving {svc.workspace.root} on http://{host}:{port} (API docs at /docs)")
    if not state.settings.token:
        err.print("policykg: HTTP ingest (POST /ingest) is off; to turn it on, start the server with "
                  "a token: POLICYKG_TOKEN=<secret> policykg serve (clients send Authorization: Bearer <secret>)")
    uvicorn.run(create_app(lambda: svc, settings=state.settings), host=host, port=port, log_level="info")


# --- lineage (issue 18): `policykg lineage` (api/lineage/cli.py)
from api.lineage.cli import register as _register_lineage

_register_lineage(app)
# --- end lineage


if __name__ == "__main__":  # pragma: no cover
    app()
