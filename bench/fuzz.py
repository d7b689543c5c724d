"""schemathesis at length against the served OpenAPI schema: one table, and the 5xx count.

    .venv/bin/python bench/fuzz.py [--examples 100] [--data DIR] [--seed 15]

For every operation of ``/openapi.json`` (the app in-process over ASGI, on the seed workspace:
``--data DIR``, built there if absent), schemathesis generates ``--examples`` requests
(valid and invalid ones; seeded, so a run can be repeated) and runs the checks
``not_a_server_error`` and ``response_schema_conformance``. Prints, per operation, the
requests sent, the responses by status class, 5xx and schema violations, then the totals.
tests/test_api_fuzz.py runs the same checks with a few examples per operation.
"""

from __future__ import annotations

import argparse
import collections
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
SEEDS = Path(os.environ.get("POLICYKG_SHARED", ROOT.parent / "shared")) / "seeds"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--examples", type=int, default=100, help="generated requests per operation")
    ap.add_argument("--data", type=Path, help="seed workspace to reuse (built there if absent)")
    ap.add_argument("--seed", type=int, default=15)
    args = ap.parse_args()

    import schemathesis
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import response_schema_conformance

    from api.http import create_app
    from api.service import PolicyKG

    ws = args.data.resolve() if args.data else Path(tempfile.mkdtemp(prefix="policykg-fuzz-")) / "seeds"
    if not (ws / "manifest.json").exists():
        with PolicyKG(ws) as svc:
            svc.ingest(sorted(SEEDS.glob("*.txt")))
    service = PolicyKG(ws)
    service.warm()
    schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(lambda: service, warm_service=False))
    rows = []
    failures: list[str] = []
    started = time.perf_counter()
    for result in schema.get_all_operations():
        operation = result.ok()
        stats: collections.Counter = collections.Counter()
        label = operation.label
        run = _runner(operation, stats, label, failures, args, [not_a_server_error, response_schema_conformance])
        run()
        rows.append((label, stats))
        print(f"{label}: {stats['requests']} requests", file=sys.stderr)
    elapsed = time.perf_counter() - started
    service.close()
    _report(rows, failures, args, elapsed)


def _runner(operation, stats, label, failures, args, checks):
    """A seeded hypothesis test over one operation that records, never raises."""
    from hypothesis import HealthCheck, given, seed, settings
    from schemathesis.core.failures import FailureGroup

    @seed(args.seed)
    @settings(max_examples=args.examples, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy())
    def run(case):
        response = case.call(timeout=120)
        stats["requests"] += 1
        stats[f"{response.status_code // 100}xx"] += 1
        try:
            case.validate_response(response, checks=checks)
        except FailureGroup as group:
            for failure in group.exceptions:
                stats["bad 5xx" if response.status_code >= 500 else "bad schema"] += 1
                if len(failures) < 20:
                    failures.append(f"{label}: {response.status_code} {failure.title}: "
                                    f"{case.as_curl_command()[:300]}")

    return run


def _report(rows, failures, args, elapsed) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"schemathesis, {args.examples} examples per operation, seed {args.seed}, "
                        f"{elapsed:.0f} s (checks: not_a_server_error, response_schema_conformance)")
    cols = ("requests", "2xx", "4xx", "5xx", "bad schema")
    table.add_column("operation")
    for col in cols:
        table.add_column(col, justify="right")
    total = collections.Counter()
    for label, stats in rows:
        total.update(stats)
        table.add_row(label, *(str(stats.get(c if c != "bad schema" else "bad schema", 0)) for c in cols))
    table.add_row("total", *(str(total.get(c, 0)) for c in cols), style="bold")
    Console(width=130).print(table)
    for line in failures:
        print(line)
    print(f"5xx responses: {total.get('5xx', 0)}; schema violations: {total.get('bad schema', 0)}")


if __name__ == "__main__":
    main()
