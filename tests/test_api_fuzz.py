"""schemathesis against the served OpenAPI schema (``/openapi.json``) on the seed workspace:
no generated request may get a 5xx, and every documented response must match its schema.
Seeded (derandomised) and bounded (``EXAMPLES`` per operation) so that it stays well under
two minutes; ``bench/api.py --fuzz`` runs the same checks at length."""

from __future__ import annotations

import pytest

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from api.http import create_app

pytestmark = pytest.mark.slow

EXAMPLES = 8  # per operation
_service: dict = {}


@pytest.fixture(autouse=True)
def _seed_service(seed_service):
    if "svc" not in _service:
        seed_service.warm()  # the encoder and the index, before requests with a read timeout
    _service["svc"] = seed_service  # the app below asks for it on its first request


# the schema is read from the app itself (no service is built to serve /openapi.json)
schema = schemathesis.openapi.from_asgi(
    "/openapi.json", create_app(lambda: _service["svc"], close_service=False, warm_service=False))


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
def test_no_server_errors_and_responses_match_the_schema(case):
    case.call_and_validate(checks=[not_a_server_error, response_schema_conformance])
