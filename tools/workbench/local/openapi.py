"""The OpenAPI document of every route: ``make openapi`` (schemas/openapi.json).

Built from the routers of the handler modules, with the request bodies the route table
(``api.routes``) names — the submit route reads its body itself, so Powertools cannot see it.
tests/service/test_openapi.py fails when schemas/openapi.json is stale.
"""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path
from typing import Any

from aws_lambda_powertools.event_handler.openapi.models import APIKey, APIKeyIn, HTTPBearer

from api import committee, follow_up, reports, rescreen, rules, rulesets, submit
from api.resolver import make_resolver
from api.routes import ROUTES
from api.rulesets import RulesetState
from api.settings import Settings
from screening.models.common import CONTRACT_VERSION

DESCRIPTION = (
    "Pre-screening of applications for Lån för Social Hållbarhet. The portal submits "
    "applications (IAM, SigV4, as its configured role); the committee reads verdicts and "
    "reports (Cognito access token, group 'committee'). Every error has the body "
    "{error: {status, code, message, fields[], correlation_id}}; 409, 429 and 503 carry "
    "Retry-After where a retry may succeed. See docs/service.md."
)


def document() -> dict[str, Any]:
    settings = Settings.from_env({})
    no_rules = RulesetState(None, {}, "not needed for the document")
    app = make_resolver(
        submit.router(submit.SubmitServices(settings, no_rules)),
        committee.router(committee.CommitteeServices(settings)),
        reports.router(reports.ReportServices(settings, no_rules)),
        rules.router(no_rules),
        rescreen.router(rescreen.RescreenServices(settings, no_rules)),
        follow_up.router(follow_up.FollowUpServices(settings, rulesets.FollowUpState(None))),
    )
    text = app.get_openapi_json_schema(
        title="LSH pre-screening API",
        version=CONTRACT_VERSION,
        description=DESCRIPTION,
        security_schemes={
            "portalIam": APIKey(
                name="Authorization",
                in_=APIKeyIn.header,
                description="AWS SigV4 signature of the portal's IAM role (execute-api:Invoke)",
            ),
            "committeeJwt": HTTPBearer(
                bearerFormat="JWT",
                description="Cognito access token of a member of the 'committee' group",
            ),
        },
    )
    return _with_request_bodies(_stable(json.loads(text)))


def _with_request_bodies(document: dict[str, Any]) -> dict[str, Any]:
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    for route in ROUTES:
        if route.request_body is None:
            continue
        module, _, name = route.request_body.partition(":")
        model = getattr(importlib.import_module(module), name)
        schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
        for def_name, definition in schema.pop("$defs", {}).items():
            schemas.setdefault(def_name, definition)
        schemas[name] = schema
        path = route.path
        operation = document["paths"][path][route.method.lower()]
        operation["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}},
        }
    return document


def _stable(document: dict[str, Any]) -> dict[str, Any]:
    """Powertools collects tags in sets: sort them so the file is the same in every process."""
    for path in document.get("paths", {}).values():
        for operation in path.values():
            if isinstance(operation, dict) and "tags" in operation:
                operation["tags"] = sorted(operation["tags"])
    if "tags" in document:
        document["tags"] = sorted(document["tags"], key=lambda t: t.get("name", ""))
    return document


def render() -> str:
    return json.dumps(document(), indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def main(argv: list[str]) -> int:
    target = Path(argv[0]) if argv else Path("schemas/openapi.json")
    target.write_text(render(), "utf-8")
    print(target)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
