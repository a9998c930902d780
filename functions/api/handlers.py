"""Lambda entry points (template.yaml ``Handler: api.handlers.<name>``).

Import time is container init: the ruleset is loaded and compiled here, once. No AWS client is
created until the first request that needs one.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from aws_lambda_powertools.logging import correlation_paths

from . import runtime
from .auth import require_committee, require_portal
from .http import Entry, Services, make_resolver
from .observability import logger, metrics
from .reports import reports_router
from .routes import committee_router, portal_router, rules_router
from .settings import Settings


def _anyone(_: dict[str, Any]) -> None:
    """GET /rules is public: the catalogue is what the portal shows applicants anyway."""


def build(services: Services) -> dict[str, Entry]:
    """The three functions' entries over one set of services (also used by local and demo)."""
    committee_guard = partial(require_committee, group=services.settings.committee_group)
    return {
        "submit": Entry(
            services,
            make_resolver(portal_router(services)),
            require_portal,
            uses_idempotency=True,
        ),
        "committee": Entry(
            services,
            make_resolver(committee_router(services), reports_router(services)),
            committee_guard,
        ),
        "rules": Entry(services, make_resolver(rules_router(services)), _anyone),
    }


# Route key → the function serving it (as wired in template.yaml).
ROUTES = {
    "POST /screenings": "submit",
    "GET /screenings": "committee",
    "GET /screenings/{application_id}": "committee",
    "GET /screenings/{application_id}/report": "committee",
    "GET /reports/round": "committee",
    "GET /rules": "rules",
}

SERVICES = Services(Settings.from_env(), runtime.load())
ENTRIES = build(SERVICES)
_inject = logger.inject_lambda_context(
    correlation_id_path=correlation_paths.API_GATEWAY_HTTP, log_event=False, clear_state=True
)


@metrics.log_metrics
@_inject
def submit(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return ENTRIES["submit"](event, context)


@_inject
def committee(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return ENTRIES["committee"](event, context)


@_inject
def rules(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return ENTRIES["rules"](event, context)
