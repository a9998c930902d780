"""Schemathesis against schemas/openapi.json on the local API (``make serve``'s gateway on the
real handlers and a local DynamoDB, started in-process): every documented operation gets
schema-driven requests, valid and invalid, and no answer is a 5xx; responses conform to the
document (status documented, content type, headers, JSON body against its schema).

Auth is the local server's simulation: no Authorization header is the portal's IAM role (the
submit route and GET /rules); ``Authorization: Bearer committee`` is a committee member (every
committee route). A few applications are stored first, and some generated application ids are
replaced by a stored one, so the committee's routes answer with data and not only 404.

Bounded (max_examples per operation and phase) and deterministic (a fixed seed).
"""

from __future__ import annotations

import copy
import json
import os
import threading
import urllib.request
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
import schemathesis
from fuzz_support import stats_shown
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from workbench.local import server as local

from api.routes import ROUTES

OPENAPI = Path(__file__).resolve().parents[2] / "schemas" / "openapi.json"
SEEDED = [f"LSH-ST-{n}" for n in range(3)]
MEMBER = {"Authorization": "Bearer committee"}

CONFIG = schemathesis.Config.from_dict(
    {
        "seed": 20261122,
        "generation": {
            "max-examples": 30,
            "deterministic": True,
            "database": "none",
            # Auth is set per operation below (the local server's simulation), not generated.
            "with-security-parameters": False,
        },
        # The examples phase (the document's own examples), the coverage phase (boundary and
        # near-miss values of every parameter and property) and fuzzing; stateful sequences
        # are left out (no links in the document).
        "phases": {
            "stateful": {"enabled": False},
            # Methods the document does not list, limited to those the local server routes:
            # it answers others (DELETE, PATCH, …) itself with 501, before any handler.
            "coverage": {"unexpected-methods": ["GET", "POST", "PUT"]},
        },
    }
)
schema = schemathesis.openapi.from_path(OPENAPI, config=CONFIG)

CHECKS = [
    schemathesis.checks.not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


STATUSES: dict[str, Counter[str]] = defaultdict(Counter)


@pytest.fixture(scope="module", autouse=True)
def _tally(request: pytest.FixtureRequest) -> Iterator[None]:
    """``FUZZ_STATS=1``: requests per operation and the statuses seen."""

    def lines() -> Iterator[str]:
        for operation, seen in sorted(STATUSES.items()):
            shown = ", ".join(f"{status}×{n}" for status, n in sorted(seen.items()))
            yield f"  {operation:<45} {seen.total():>4} requests  {shown}"

    with stats_shown(request, "schemathesis", lines):
        yield


@pytest.fixture(scope="module")
def server(_base_document: dict[str, Any]) -> Iterator[str]:
    saved = dict(os.environ)
    # moto's server keeps its tables in this process after it stops: a table name of our own,
    # so that another module's local server (test_local_server.py) never finds it taken.
    os.environ["VERDICT_TABLE"] = "schemathesis-screenings"
    httpd, dynamodb = local.serve(port=0)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    base_url = f"http://127.0.0.1:{httpd.server_address[1]}"
    try:
        for application_id in SEEDED:
            document = copy.deepcopy(_base_document)
            document["application_id"] = application_id
            request = urllib.request.Request(
                f"{base_url}/screenings",
                data=json.dumps(document).encode(),
                method="POST",
                headers={"Content-Type": "application/json"},
            )
            with urllib.request.urlopen(request, timeout=30) as response:
                assert response.status == 201
        yield base_url
    finally:
        httpd.shutdown()
        httpd.server_close()
        dynamodb.stop()
        os.environ.clear()
        os.environ.update(saved)


AUTH = {r.key: r.auth for r in ROUTES}


def with_checkable_facts(body: Any) -> None:
    """A positive body the schema cannot make valid by itself: organisation numbers with a
    Luhn check digit, an end date after the start. Everything else stays as generated."""
    if not isinstance(body, dict):
        return
    applicant = body.get("applicant")
    if isinstance(applicant, dict):
        applicant["organisation_number"] = "556000-0001"
        for owner in applicant.get("owners") or []:
            if isinstance(owner, dict):
                owner["organisation_number"] = "212000-2882"
    project = body.get("project")
    if isinstance(project, dict):
        project["start_date"], project["end_date"] = "2027-01-01", "2029-12-31"


def test_every_documented_operation_is_a_route_with_known_auth() -> None:
    documented = {
        f"{method.upper()} {path}"
        for path, operations in json.loads(OPENAPI.read_text("utf-8"))["paths"].items()
        for method in operations
    }
    assert documented <= set(AUTH), documented - set(AUTH)


@pytest.mark.parametrize(
    ("status", "body"),
    [(500, {"error": "boom"}), (200, {"rules": 1}), (418, {"error": "teapot"})],
)
def test_the_checks_catch_a_response_that_breaks_the_document(status: int, body: Any) -> None:
    """Guards the set-up above: a schemathesis upgrade that quietly disabled a check would
    let every operation pass."""
    request = requests.Request("GET", "http://127.0.0.1/rules").prepare()
    response = schemathesis.Response(
        status_code=status,
        headers={"Content-Type": ["application/json"]},
        content=json.dumps(body).encode(),
        request=request,
        elapsed=0.01,
        verify=False,
    )
    with pytest.raises(schemathesis.errors.FailureGroup):
        schema["/rules"]["GET"].Case().validate_response(response, checks=CHECKS)


@pytest.mark.parametrize("method", ["DELETE", "PATCH", "OPTIONS", "HEAD"])
def test_an_undocumented_method_is_a_4xx(server: str, method: str) -> None:
    """Once a 501 HTML page from http.server; the local gateway answers 404, as API Gateway."""
    response = requests.request(method, f"{server}/rules", timeout=30)
    assert response.status_code == 404, (response.status_code, response.text[:200])


@schema.parametrize()
@settings(
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    print_blob=False,
)
def test_no_server_errors_and_responses_conform(case: schemathesis.Case, server: str) -> None:
    route = f"{case.operation.method.upper()} {case.operation.path}"
    auth = AUTH[route]
    headers = dict(MEMBER) if auth == "committee" else {}
    if auth != "committee" and case.headers:
        case.headers.pop("Authorization", None)  # no header: the portal's IAM role
    if route == "POST /screenings" and case.meta and not case.meta.generation.mode.is_negative:
        with_checkable_facts(case.body)
    parameters = case.path_parameters or {}
    if "application_id" in parameters:
        generated = str(parameters["application_id"])
        if sum(map(ord, generated)) % 3 == 0:  # some known ids, so not every answer is a 404
            parameters["application_id"] = SEEDED[len(generated) % len(SEEDED)]
    response = case.call(base_url=server, headers=headers, timeout=30)
    sent = "" if case.method.upper() == case.operation.method.upper() else f" as {case.method}"
    STATUSES[f"{case.operation.label}{sent}"][str(response.status_code)] += 1
    case.validate_response(response, checks=CHECKS, headers=headers)
