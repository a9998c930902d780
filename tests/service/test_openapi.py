"""schemas/openapi.json is generated from the routes; a stale copy fails here, and every status
a route can return is documented."""

from __future__ import annotations

import json
from pathlib import Path

from workbench.local.openapi import render

from api.routes import ROUTES

REPO = Path(__file__).resolve().parents[2]


def test_openapi_document_is_current() -> None:
    committed = (REPO / "schemas" / "openapi.json").read_text("utf-8")
    assert committed == render(), "schemas/openapi.json is stale: run `make openapi`"


def test_openapi_documents_every_route_of_the_route_table() -> None:
    document = json.loads(render())
    documented = {
        f"{method.upper()} {path}"
        for path, operations in document["paths"].items()
        for method in operations
    }
    assert documented == {route.key for route in ROUTES}
    assert document["info"]["version"] == "2.0"


def test_every_route_documents_the_statuses_it_can_return() -> None:
    document = json.loads(render())
    for route in ROUTES:
        operation = document["paths"][route.path][route.method.lower()]
        statuses = set(operation["responses"])
        assert {"500"} <= statuses, route.key
        if route.auth == "committee":
            assert {"401", "403"} <= statuses, route.key
            assert operation["security"] == [{"committeeJwt": []}]
        if route.auth == "portal":
            assert {"401", "403"} <= statuses, route.key
            assert operation["security"] == [{"portalIam": []}]
        if "{application_id}" in route.path:
            assert {"404", "422"} <= statuses, route.key
    submit = document["paths"]["/screenings"]["post"]
    assert {"200", "201", "400", "409", "413", "415", "422", "429", "503"} <= set(
        submit["responses"]
    )


def test_the_submit_body_is_the_application_contract() -> None:
    document = json.loads(render())
    body = document["paths"]["/screenings"]["post"]["requestBody"]
    assert body["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Application"
    }
    application = document["components"]["schemas"]["Application"]
    assert set(application["required"]) == {
        "application_id",
        "submitted_at",
        "applicant",
        "project",
    }
    error = document["components"]["schemas"]["ErrorDetail"]
    assert set(error["properties"]) == {"status", "code", "message", "fields", "correlation_id"}
