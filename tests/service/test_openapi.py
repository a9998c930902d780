"""schemas/openapi.json is generated from the routes; a stale copy fails here."""

from __future__ import annotations

import json
from pathlib import Path

from api.openapi import render

REPO = Path(__file__).resolve().parents[2]


def test_openapi_document_is_current() -> None:
    committed = (REPO / "schemas" / "openapi.json").read_text("utf-8")
    assert committed == render(), "schemas/openapi.json is stale: run `make openapi`"


def test_openapi_documents_every_route_and_the_error_shape() -> None:
    document = json.loads(render())
    assert set(document["paths"]) == {
        "/screenings",
        "/screenings/{application_id}",
        "/screenings/{application_id}/report",
        "/reports/round",
        "/rules",
    }
    report = document["paths"]["/reports/round"]["get"]
    assert report["security"] == [{"committeeJwt": []}]
    assert "text/html" in report["responses"]["200"]["content"]
    post = document["paths"]["/screenings"]["post"]
    assert {"201", "400", "413", "422", "503"} <= set(post["responses"])
    assert post["security"] == [{"portalIam": []}]
    assert document["paths"]["/screenings"]["get"]["security"] == [{"committeeJwt": []}]
    error = document["components"]["schemas"]["ErrorDetail"]
    assert set(error["properties"]) == {"status", "code", "message", "fields", "correlation_id"}
