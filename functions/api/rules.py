"""RulesFunction: ``GET /rules`` — the ruleset version and the catalogue of rules, with the
reference each rule rests on. Public: it holds no personal data. Reads the compiled ruleset
only: no AWS client, no rule engine.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Query

from . import responses as doc
from . import rulesets
from .auth import anyone
from .models import RuleCatalogue
from .observability import request_logged
from .params import IsoDate
from .resolver import Entry, make_resolver


def catalogue(state: rulesets.RulesetState, at: date | None = None) -> RuleCatalogue:
    """The catalogue of the current release, or of the release in force on ``at``."""
    assert state.releases is not None  # the entry answers 503 before routing
    ruleset = state.releases.in_force(at) if at else state.releases.current
    return RuleCatalogue.model_validate(
        {
            "ruleset": ruleset.version,
            "contract_version": ruleset.contract_version,
            "rules": [
                {
                    "id": rule.id,
                    "title": rule.title,
                    "requirement": rule.requirement,
                    "severity": rule.severity,
                    "kind": rule.kind,
                    "reference": rule.reference,
                    "parameters": rule.parameters,
                }
                for rule in ruleset.rules
            ],
        }
    )


def router(state: rulesets.RulesetState) -> Router:
    router = Router()

    @router.get(
        "/rules",
        summary="The ruleset version and the catalogue of rules (what is checked, and why)",
        tags=["committee", "portal"],
        responses={
            200: doc.json(RuleCatalogue, "The catalogue"),
            422: doc.error("The date is not YYYY-MM-DD"),
            **doc.INTERNAL,
            **doc.RULESET,
        },
    )
    def get_rules(
        at: Annotated[
            IsoDate | None,
            Query(description="YYYY-MM-DD: the release in force for applications submitted then"),
        ] = None,
    ) -> RuleCatalogue:
        return catalogue(state, at)

    return router


def build(state: rulesets.RulesetState) -> Entry:
    return Entry(make_resolver(router(state)), anyone, lambda: state.ready)


def init() -> None:
    """Container init: the compiled ruleset, the function's entry. (The local server calls it
    again once the environment is set.)"""
    global STATE, ENTRY
    STATE = rulesets.load(engine=False)
    ENTRY = build(STATE)


STATE: rulesets.RulesetState
ENTRY: Entry
init()


@request_logged
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return ENTRY(event, context)
