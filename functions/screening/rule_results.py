"""Every rule's result, reason and failed parts: what a screening verdict and a follow-up
verdict share.

The engine decides each rule; this turns the decisions into results: it renders each rule's
reason in sv and en, explains a failed rule (which answers, by JSON pointer), and collects the
notes of raised signals and the severities that failed (the outcome follows from them).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .engine import FAILED, PASSED, EngineError
from .language import LANGUAGES
from .models.verdict import Severity
from .ruleset.compiled import CompiledRuleset, RuleDefinition
from .ruleset.explain import Explainer, render_parts, summary
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


@dataclass
class Reported:
    rules: list[dict[str, Any]]
    notes: list[dict[str, Any]]
    failed: set[Severity]


class RuleReporter:
    """Built once per ruleset; ``report`` is called per subject (application or case)."""

    def __init__(self, ruleset: CompiledRuleset) -> None:
        formatter = Formatter(ruleset.labels)
        self.explainer = Explainer(ruleset.labels)
        self.rules = [_Rule(rule, formatter) for rule in ruleset.rules]

    def report(
        self,
        results: Mapping[str, str],
        fact: Mapping[str, Any],
        subject: Any,
        context: Mapping[str, Any],
    ) -> Reported:
        """``context`` holds what the reasons may cite (the subject's parts by name)."""
        out = Reported([], [], set())
        for rule in self.rules:
            result = results[rule.id]
            failed_parts: list[dict[str, Any]] = []
            values = context
            if result == FAILED:
                out.failed.add(rule.severity)
                parts = self.explainer.parts(rule.definition.condition, fact, subject)
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
                values = {**context, "failures": _Failures(parts)}
            reason = {
                language: template.render(_for_language(values, language), language)
                for language, template in rule.reasons[result].items()
            }
            out.rules.append(
                {**rule.fixed, "result": result, "reason": reason, "failed_parts": failed_parts}
            )
            if rule.signal and result == PASSED:
                out.notes.append({"rule_id": rule.id, "text": reason})
        return out


class _Failures:
    """The failed parts, said in the language being rendered (``{failures}``)."""

    def __init__(self, parts: list[Any]) -> None:
        self.parts = parts


def _for_language(values: Mapping[str, Any], language: str) -> Mapping[str, Any]:
    failures = values.get("failures")
    if isinstance(failures, _Failures):
        return {**values, "failures": summary(failures.parts, language)}
    return values
