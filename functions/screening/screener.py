"""Screen an application: fact → engine → one result per rule → the verdict.

The engine decides every rule's result and every category fit; this module only turns those
results into a verdict: the rules' results and reasons (screening.rule_results), the category
fit and the severity logic. The verdict is made of validated parts: what is the same for every
verdict (the ruleset version, the rules' fixed parts and fixed results) is validated once, when
the screener is built, and goes into each verdict as it is (the models are frozen); the rules'
other results are assembled from those with checked texts (screening.rule_results); the
application summary is validated per verdict. The JSON is the same as validating it whole
(checked on the examples and hundreds of variants of them).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from .engine import PASSED, Engine
from .engine.durable import DurableEngine
from .models.application import Application
from .models.common import Category
from .models.verdict import (
    ApplicationSummary,
    CategoryFit,
    Outcome,
    RulesetVersion,
    Verdict,
    outcome_of,
)
from .rule_results import RuleReporter, assembled
from .ruleset.compiled import CompiledRuleset
from .ruleset.derived import MemberSeries, derive
from .ruleset.facts import FactBuilder


class Screener:
    """Screens applications against one compiled ruleset. Build once per process."""

    def __init__(
        self,
        ruleset: CompiledRuleset,
        engine: Engine | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.ruleset = ruleset
        self.engine: Engine = engine or DurableEngine(ruleset.engine_name, ruleset.decisions())
        self.facts = FactBuilder(ruleset.facts)
        self.reporter = RuleReporter(ruleset)
        self._categories = [(Category(c.code), f"category:{c.code}") for c in ruleset.categories]
        self._series = MemberSeries.of(ruleset.rules)  # municipalities' and regions' numbers
        self._version = RulesetVersion.model_validate(ruleset.version)
        self._contract_version = str(ruleset.contract_version)
        self._clock = clock

    def decide(self, application: Application) -> tuple[dict[str, str], dict[str, Any]]:
        """The engine's results (rule ids and ``category:CODE``), and the fact it decided on."""
        derived = derive(application, self.ruleset.vulnerable_areas, self._series)
        fact = self.facts.build(application, derived)
        return self.engine.decide(fact), {"fact": fact, "derived": derived}

    def screen(self, application: Application) -> Verdict:
        results, state = self.decide(application)
        fact, derived = state["fact"], state["derived"]
        project = application.project
        matched = [category for category, name in self._categories if results[name] == PASSED]
        declared = [project.declared_category]
        if project.secondary_category is not None:
            declared.append(project.secondary_category)
        context: dict[str, Any] = {
            "application_id": application.application_id,
            "applicant": application.applicant,
            "project": project,
            "social_content": application.social_content,
            "derived": derived,
            "category_fit": {"matched": matched, "declared": declared},
        }

        reported = self.reporter.report(results, fact, application, context)
        outcome: Outcome = outcome_of(reported.failed)
        screened_at = self._clock()
        if not isinstance(screened_at, datetime) or screened_at.utcoffset() is None:
            raise ValueError("the screener's clock must give an aware datetime")
        # The parts are validated models already (the rules' results and notes, the ruleset
        # version) or built here from validated values; the application summary is validated.
        return assembled(
            Verdict,
            {
                "application_id": application.application_id,
                "outcome": outcome,
                "category_fit": assembled(
                    CategoryFit,
                    {
                        "declared": declared,
                        "matched": matched,
                        "declared_matches": project.declared_category in matched,
                    },
                ),
                "rules": reported.rules,
                "notes": reported.notes,
                "ruleset": self._version,
                "contract_version": self._contract_version,
                "screened_at": screened_at,
                "application": ApplicationSummary.model_validate(_summary(application)),
            },
        )


def _summary(application: Application) -> dict[str, Any]:
    """What the committee needs to recognise the application; no personal data."""
    project = application.project
    return {
        "organisation_name": application.applicant.organisation_name,
        "organisation_number": application.applicant.organisation_number,
        "applicant_type": application.applicant.type,
        "project_title": project.title,
        "municipality": project.municipality,
        "districts": list(project.districts),
        "declared_category": project.declared_category,
        "investment_type": project.investment_type,
        "investment_kind": project.investment_kind,
        "facility_kinds": list(project.facility_kinds),
        "total_investment_sek": project.total_investment_sek,
        "loan_amount_sek": project.loan_amount_sek,
        "submitted_at": application.submitted_at,
        "effect_goals": [
            {
                "effect_area": g.effect_area,
                "goal": g.goal,
                "indicator": g.indicator,
                "unit": g.unit,
                "baseline_value": g.baseline_value,
                "baseline_year": g.baseline_year,
                "target_value": g.target_value,
                "target_year": g.target_year,
            }
            for g in application.social_content.effect_goals
        ],
    }
