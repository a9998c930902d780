"""Screen an application: facts → durable_rules → one result per rule → the verdict.

The engine decides every rule's result; this module only turns what fired into a verdict:
it renders each rule's reason, collects notes and applies the severity logic.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from .engine import DurableRuleset, EngineError
from .models.application import Application
from .models.common import Category, LocalizedText
from .models.verdict import (
    ApplicationSummary,
    CategoryFit,
    Note,
    RuleResult,
    RuleResultKind,
    Severity,
    Verdict,
)
from .ruleset.facts import APPLICATION_FACT, FACT_KIND_KEY
from .ruleset.loader import CompiledRule, Ruleset
from .ruleset.reasons import ReasonRenderer

_CATEGORY = "category:"


class IncompleteTraceError(EngineError):
    """Some rule yielded no result, or more than one: the verdict would not be traceable."""


def durable_definition(ruleset: Ruleset) -> dict[str, dict[str, Any]]:
    """The ruleset in durable_rules' JSON form: every rule variant and category test."""

    def on(kind: str, expression: dict[str, Any]) -> dict[str, Any]:
        return {"all": [{"m": {"$and": [{FACT_KIND_KEY: kind}, expression]}}]}

    definition: dict[str, dict[str, Any]] = {}
    for category in ruleset.categories:
        definition[f"{_CATEGORY}{category.code}|fits"] = on(
            APPLICATION_FACT, category.variants.holds
        )
        definition[f"{_CATEGORY}{category.code}|no_fit"] = on(
            APPLICATION_FACT, category.variants.fails
        )
    for rule in ruleset.rules:
        for result, expression in rule.variants.items():
            definition[f"{rule.id}|{result.value}"] = on(APPLICATION_FACT, expression)
    return definition


class Screener:
    """Screens applications against one compiled ruleset. Build once per process."""

    def __init__(
        self, ruleset: Ruleset, clock: Callable[[], datetime] = lambda: datetime.now(UTC)
    ) -> None:
        self.ruleset = ruleset
        definition = durable_definition(ruleset)
        self.engine = DurableRuleset(ruleset.engine_name, definition)
        # Fired durable rule name → (rule id, result) or (category code, fits).
        self._routes: dict[str, tuple[str, RuleResultKind | bool]] = {}
        for name in definition:
            subject, _, value = name.rpartition("|")
            if subject.startswith(_CATEGORY):
                self._routes[name] = (subject.removeprefix(_CATEGORY), value == "fits")
            else:
                self._routes[name] = (subject, RuleResultKind(value))
        self.renderer = ReasonRenderer(ruleset.labels)
        # Reasons that cite no value are the same for every application: build them once.
        self._fixed_reasons: dict[tuple[str, RuleResultKind], LocalizedText] = {
            (rule.id, kind): text
            for rule in ruleset.rules
            for kind, text in rule.reasons.items()
            if not rule.placeholders[(kind, "sv")] and not rule.placeholders[(kind, "en")]
        }
        self._clock = clock

    def evaluate(self, application: Application) -> tuple[dict[str, RuleResultKind], list[str]]:
        """The engine's result for every rule, and the categories the project fits."""
        return self._evaluate(application.model_dump(mode="json"))

    def _evaluate(self, document: dict[str, Any]) -> tuple[dict[str, RuleResultKind], list[str]]:
        names: list[str] = []
        with self.engine.session() as session:
            session.assert_fact(self.ruleset.plan.application_fact(document), names.append)

        # durable_rules fires a rule once per matching branch of an `$or`, so the same result
        # may arrive more than once; two different results for one rule may not.
        fired: dict[str, set[RuleResultKind]] = {}
        fits: dict[str, bool] = {}
        for name in set(names):
            subject, value = self._routes[name]
            if isinstance(value, bool):
                fits[subject] = value
            else:
                fired.setdefault(subject, set()).add(value)

        results: dict[str, RuleResultKind] = {}
        broken = []
        for rule in self.ruleset.rules:
            outcomes = fired.get(rule.id, set())
            if len(outcomes) != 1:
                named = ", ".join(sorted(o.value for o in outcomes)) or "none"
                broken.append(f"{rule.id} ({named})")
            else:
                (results[rule.id],) = outcomes
        missing_categories = [c.code for c in self.ruleset.categories if c.code not in fits]
        if broken or missing_categories:
            raise IncompleteTraceError(
                "the engine did not yield exactly one result for: "
                + ", ".join(broken + [f"category {c}" for c in missing_categories])
            )
        matched = [c.code for c in self.ruleset.categories if fits[c.code]]
        return results, matched

    def screen(self, application: Application) -> Verdict:
        document = application.model_dump(mode="json")
        results, matched = self._evaluate(document)
        project = application.project
        declared = [project.declared_category]
        if project.secondary_category is not None:
            declared.append(project.secondary_category)
        category_fit = CategoryFit(
            declared=declared,
            matched=[Category(code) for code in matched],
            declared_matches=project.declared_category.value in matched,
        )
        document["category_fit"] = category_fit.model_dump(mode="json")

        rule_results: list[RuleResult] = []
        notes: list[Note] = []
        for rule in self.ruleset.rules:
            result = results[rule.id]
            reason = self._reason(rule, result, document)
            rule_results.append(
                RuleResult(
                    rule_id=rule.id,
                    title=rule.spec.title,
                    requirement=rule.requirement,
                    result=result,
                    severity=rule.spec.severity,
                    reason=reason,
                )
            )
            is_signal = rule.spec.kind.value == "signal" and result is RuleResultKind.passed
            failed_note = rule.spec.severity is Severity.note and result is RuleResultKind.failed
            if is_signal or failed_note:
                notes.append(Note(rule_id=rule.id, text=reason))

        return Verdict(
            application_id=application.application_id,
            outcome=Verdict.outcome_of(rule_results),
            category_fit=category_fit,
            rules=rule_results,
            notes=notes,
            ruleset=self.ruleset.version,
            screened_at=self._clock(),
            application=ApplicationSummary.of(application),
        )

    def _reason(
        self, rule: CompiledRule, result: RuleResultKind, document: dict[str, Any]
    ) -> LocalizedText:
        fixed = self._fixed_reasons.get((rule.id, result))
        if fixed is not None:
            return fixed
        text = rule.reasons[result]
        rendered = {
            language: self.renderer.render(
                getattr(text, language),
                rule.placeholders[(result, language)],
                language,
                document,
                rule.parameters,
            )
            for language in ("sv", "en")
        }
        return LocalizedText(**rendered)
