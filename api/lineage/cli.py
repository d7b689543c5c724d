"""The ``policykg lineage`` command, registered on the CLI's typer app by api/cli.py.

``policykg lineage DOC [--source DOC …] [--provision CLAUSE] [--all] [--no-write] [--json]``: a table
per source document (source clause, label, local clause, change), or with ``--provision``
the documents that carry one provision in date order. Uses the CLI's own helpers (errors,
JSON, tables) so it behaves like every other command.
"""

from __future__ import annotations

from typing import Any

import typer


def register(app: typer.Typer) -> None:
    from api import cli

    @app.command()
    def lineage(
        ctx: typer.Context,
        doc: str = typer.Argument(None, help="a document (id or its first characters, 文号, title); its lineage is computed and stored"),
        source: list[str] = typer.Option(None, "--source", help="source document id(s) instead of its resolved citations"),
        provision: str | None = typer.Option(None, "--provision", help="a clause (IRI or {doc}/{path}): who carries it"),
        write: bool = typer.Option(True, "--write/--no-write", help="store the lineage graph (default) or only print it"),
        every: bool = typer.Option(False, "--all", help="every document whose citations resolve in the store"),
        as_json: bool = cli.JsonOpt,
    ) -> None:
        """What a document took from the documents it implements, and what it changed."""
        from api.lineage import corpus_lineage, document_lineage, provision_lineage

        if every:
            result = cli._run(lambda: corpus_lineage(cli._svc(ctx), write=write))
            if as_json:
                return cli._print_json(result)
            cli._table(f"lineage of {len(result['documents'])} documents ({result['seconds']} s)",
                       ["document", "source", "relation", "adopted", "adapted", "added", "dropped"],
                       [[cli._clip(d["doc"].get("title") or d["doc"]["id"], 40), s["doc"], s["relation"],
                         *(s["counts"][k] for k in ("adopted", "adapted", "added", "dropped"))]
                        for d in result["documents"] for s in d["sources"]])
            return None
        if provision:
            result = cli._run(lambda: provision_lineage(cli._svc(ctx), provision))
            if as_json:
                return cli._print_json(result)
            _print_provision(cli, result)
            return None
        if not doc:
            cli.err.print("[red]error:[/red] give a document id (or --provision CLAUSE)", highlight=False)
            raise typer.Exit(2)
        svc = cli._svc(ctx)
        doc_id = cli._doc_id(svc, doc)  # an id, its first characters, a 文号 or a title
        sources = [cli._doc_id(svc, s) for s in source] if source else None
        result = cli._run(lambda: document_lineage(svc, doc_id, sources, write=write))
        if as_json:
            return cli._print_json(result)
        _print_document(cli, result)
        return None


def _print_document(cli: Any, result: dict[str, Any]) -> None:
    if not result["sources"]:
        names = "; ".join(r.get("title") or r.get("doc_number") or "?" for r in result["unresolved"])
        cli.out.print(f"no cited document of {result['doc']['id']} is in the store"
                      + (f" (cited: {names})" if names else ""), highlight=False, markup=False)
        return
    for src in result["sources"]:
        counts = ", ".join(f"{k} {v}" for k, v in src["counts"].items())
        title = f"{src['doc'].get('title') or src['doc']['id']} ({src['relation']}; {counts})"
        cli._table(title, ["source clause", "label", "local clause", "change", "score"], [
            [_clause(r["source"]), r["label"], _clause(r["local"]),
             cli._clip(" ".join(x for x in (r.get("change"), r.get("target_change") and f"[targets {r['target_change']}]") if x), 60),
             f"{r['score']:.2f}" if r["local"] and r["source"] else ""]
            for r in src["rows"]])


def _clause(c: dict[str, Any] | None) -> str:
    if not c:
        return ""
    text = (c.get("text") or "").replace("\n", " ").strip()
    return f"{c.get('path')} {text[:40]}{'…' if len(text) > 40 else ''}"


def _print_provision(cli: Any, result: dict[str, Any]) -> None:
    clause = result["clause"]
    cli.out.print(f"{result['doc'].get('title') or result['doc']['id']} {clause.get('path')}: "
                  f"{cli._clip(clause.get('text'), 100)}", highlight=False, markup=False)
    earliest = result.get("earliest") or {}
    cli._table("documents carrying it, in date order", ["date", "region", "document", "label", "via", "clause"], [
        [c["doc"].get("date"), c["doc"].get("region"), cli._clip(c["doc"].get("title") or c["doc"]["id"], 30),
         c["label"] + (" (earliest)" if c is earliest else ""), c.get("via") or "", cli._clip((c.get("clause") or {}).get("text"), 40)]
        for c in result["carriers"]])
    if result["dropped_by"]:
        cli.out.print("dropped by: " + ", ".join(d["doc"].get("title") or d["doc"]["id"] for d in result["dropped_by"]),
                      highlight=False, markup=False)
