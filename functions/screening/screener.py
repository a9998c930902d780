"""Screen an application: fact → engine → one result per rule → the verdict.

The engine decides every rule's result and every category fit; this module only turns those
results into a verdict: it renders each rule's reason, explains each failed rule (which answers
to fix, by JSON pointer), collects notes, applies the severity logic, and validates the whole
verdict once.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from .engine import FAILED, PASSED, Engine, EngineError
from .engine.durable import DurableEngine
from .language import LANGUAGES
from .models.application import Application
from .models.common import Category
from .models.verdict import Outcome, Severity, Verdict, outcome_of
from .ruleset.compiled import CompiledRuleset, RuleDefinition
from .ruleset.derived import derive
from .ruleset.explain import Explainer, render_parts, summary
from .ruleset.facts import FactBuilder
from .ruleset.reasons import Formatter, Template


class _Rule:
    """A rule ready to report: its fixed fields as data, its reasons compiled."""

    def __init__(self, rule: RuleDefinition, formatter: Formatter) -> None:
        self.definition = rule
        self.id = rule.id
        self.severity = Severity(rule.severity)
        self.signal = rule.signal
        self.fixed = {
            "rule_id": rule.id,
            "title": rule.title,
            "requirement": rule.requirement,
            "severity": rule.severity,
            "reference": rule.reference,
        }
        self.reasons = {
            result: {
                language: Template(text[language], formatter, rule.parameters)
                for language in LANGUAGES
            }
            for result, text in rule.reasons.items()
        }


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
        formatter = Formatter(ruleset.labels)
        self.explainer = Explainer(ruleset.labels)
        self._rules = [_Rule(rule, formatter) for rule in ruleset.rules]
        self._categories = [(c.code, f"category:{c.code}") for c in ruleset.categories]
        self._version = dict(ruleset.version)
        self._clock = clock

    def decide(self, application: Application) -> tuple[dict[str, str], dict[str, Any]]:
        """The engine's results (rule ids and ``category:CODE``), and the fact it decided on."""
        derived = derive(application, self.ruleset.vulnerable_areas)
        fact = self.facts.build(application, derived)
        return self.engine.decide(fact), {"fact": fact, "derived": derived}

    def screen(self, application: Application) -> Verdict:
        results, state = self.decide(application)
        fact, derived = state["fact"], state["derived"]
        project = application.project
        matched = [Category(code) for code, name in self._categories if results[name] == PASSED]
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

        rules: list[dict[str, Any]] = []
        notes: list[dict[str, Any]] = []
        failed: set[Severity] = set()
        for rule in self._rules:
            result = results[rule.id]
            failed_parts: list[dict[str, Any]] = []
            if result == FAILED:
                failed.add(rule.severity)
                parts = self.explainer.parts(rule.definition.condition, fact, application)
                if not parts:
                    raise EngineError(
                        f"{rule.id}: the engine says failed, the reference engine finds nothing "
                        "that fails; no verdict is given"
                    )
                lines = {language: render_parts(parts, language) for language in LANGUAGES}
                failed_parts = [
                    {"pointer": p.pointer, "text": {"sv": lines["sv"][i], "en": lines["en"][i]}}
                    for i, p in enumerate(parts)
                ]
                reason = {
                    language: template.render(
                        {**context, "failures": summary(parts, language)}, language
                    )
                    for language, template in rule.reasons[result].items()
                }
            else:
                reason = {
                    language: template.render(context, language)
                    for language, template in rule.reasons[result].items()
                }
            rules.append(
                {**rule.fixed, "result": result, "reason": reason, "failed_parts": failed_parts}
            )
            if rule.signal and result == PASSED:
                notes.append({"rule_id": rule.id, "text": reason})

        outcome: Outcome = outcome_of(failed)
        return Verdict.model_validate(
            {
                "application_id": application.application_id,
                "outcome": outcome,
                "category_fit": {
                    "declared": declared,
                    "matched": matched,
                    "declared_matches": project.declared_category in matched,
                },
                "rules": rules,
                "notes": notes,
                "ruleset": self._version,
                "contract_version": self.ruleset.contract_version,
                "screened_at": self._clock(),
                "application": _summary(application),
            }
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
