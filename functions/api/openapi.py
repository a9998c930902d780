"""The OpenAPI document of every route: ``python -m api.openapi [schemas/openapi.json]``.

tests/service/test_openapi.py fails when schemas/openapi.json is stale (``make openapi``).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from aws_lambda_powertools.event_handler.openapi.models import (
    APIKey,
    APIKeyIn,
    HTTPBearer,
)

from .http import Services, make_resolver
from .reports import reports_router
from .routes import committee_router, portal_router, rules_router
from .runtime import RulesetState
from .settings import Settings

DESCRIPTION = (
    "Pre-screening of applications for Lån för Social Hållbarhet. The portal submits "
    "applications (IAM, SigV4); the committee reads verdicts (Cognito JWT, group 'committee'). "
    "Every error has the body {error: {status, code, message, fields[], correlation_id}}. "
    "See docs/service.md."
)


def document() -> dict:
    services = Services(Settings.from_env(), RulesetState(None, "not needed for the document"))
    app = make_resolver(
        portal_router(services),
        committee_router(services),
        reports_router(services),
        rules_router(services),
    )
    text = app.get_openapi_json_schema(
        title="LSH pre-screening API",
        version="1.0.0",
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
    return _stable(json.loads(text))


def _stable(document: dict) -> dict:
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
