"""Every rule's result, reason and failed parts: what a screening verdict and a follow-up
verdict share.

The engine decides each rule; this turns the decisions into results: it renders each rule's
reason in sv and en, explains a failed rule (which answers, by JSON pointer), and collects the
notes of raised signals and the severities that failed (the outcome follows from them).

Built once per ruleset, and most of the work is done then (measured: validating every rule
result from dicts was a quarter of a screening):

* each rule's fixed parts (title, requirement, reference, severity) are validated model
  instances;
* a result whose reason is fixed text and that has no failed parts is one shared, immutable
  ``RuleResult`` (models are frozen), as is its note;
* any other result is assembled from those validated parts, its rendered reason and its
  failed parts (validated): :func:`assembled` checks what the schema would (non-empty texts),
  without validating the already validated parts again;
* a passed or not applicable result whose reason cites only plain values (enum members,
  flags, numbers, lists of those: ``reasons.value_key``) is kept, keyed by those values, and
  reused for the next subject citing the same values: the reason is a function of them. At
  most :data:`KEPT` per rule result, oldest dropped first, so memory stays flat.
"""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import suppress
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import BaseModel

from .engine import FAILED, PASSED, EngineError
from .language import LANGUAGES
from .models.common import LocalizedText, Reference
from .models.verdict import FailedPart, Note, Requirement, RuleResult, RuleResultKind, Severity
from .ruleset.compiled import CompiledRuleset, RuleDefinition
from .ruleset.explain import Explainer, render_parts, summary
from .ruleset.reasons import Formatter, Reason, value_key

KEPT = 256  # results kept per rule and result, by the values their reason cites
_M = TypeVar("_M", bound=BaseModel)
_set = object.__setattr__


def assembled(model: type[_M], fields: dict[str, Any]) -> _M:
    """An instance of ``model`` from values that are already of the fields' types (validated
    instances, enum members, checked text): what pydantic's ``model_construct`` does, without
    its per-field Python loop. Every field must be given."""
    instance = model.__new__(model)
    _set(instance, "__dict__", fields)
    _set(instance, "__pydantic_fields_set__", set(fields))
    _set(instance, "__pydantic_extra__", None)
    _set(instance, "__pydantic_private__", None)
    return instance


def _text(texts: Mapping[str, str]) -> LocalizedText:
    """A rendered reason as ``LocalizedText``; refuses what the schema refuses (empty text)."""
    sv, en = texts["sv"], texts["en"]
    if not (type(sv) is str and type(en) is str and sv and en):
        return LocalizedText.model_validate({"sv": sv, "en": en})  # raises, saying why
    return assembled(LocalizedText, {"sv": sv, "en": en})


class _Outcome:
    """One result of one rule: its reason compiled, and the shared result when it is fixed."""

    def __init__(
        self, rule: _Rule, result: str, texts: Mapping[str, str], formatter: Formatter
    ) -> None:
        self.kind = RuleResultKind(result)
        self.reason = Reason(
            {language: texts[language] for language in LANGUAGES}, formatter, rule.parameters
        )
        self.shared: RuleResult | None = None
        self.note: Note | None = None
        self.kept: dict[tuple[Any, ...], tuple[RuleResult, Note | None]] = {}
        if self.reason.fixed and result != FAILED:
            self.shared = RuleResult.model_validate(
                {
                    **rule.fixed,
                    "result": self.kind,
                    "reason": self.reason.fixed_texts,
                    "failed_parts": [],
                }
            )
            if rule.signal and result == PASSED:
                self.note = Note.model_validate({"rule_id": rule.id, "text": self.shared.reason})


class _Rule:
    """A rule ready to report: its fixed fields as validated models, its reasons compiled."""

    def __init__(self, rule: RuleDefinition, formatter: Formatter) -> None:
        self.definition = rule
        self.id = rule.id
        self.severity = Severity(rule.severity)
        self.signal = rule.signal
        self.parameters = rule.parameters
        self.fixed: dict[str, Any] = {
            "rule_id": rule.id,
            "title": LocalizedText.model_validate(rule.title),
            "requirement": Requirement.model_validate(rule.requirement),
            "severity": self.severity,
            "reference": Reference.model_validate(rule.reference),
        }
        self.outcomes = {
            result: _Outcome(self, result, text, formatter) for result, text in rule.reasons.items()
        }


@dataclass
class Reported:
    rules: list[RuleResult]
    notes: list[Note]
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
            outcome = rule.outcomes[result]
            if outcome.shared is not None:
                out.rules.append(outcome.shared)
                if outcome.note is not None:
                    out.notes.append(outcome.note)
                continue
            failed_parts: list[FailedPart] = []
            failures: dict[str, str] | None = None
            values = outcome.reason.read(context)
            key = None
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
                    assembled(
                        FailedPart,
                        {
                            "pointer": str(p.pointer),
                            "text": _text({"sv": lines["sv"][i], "en": lines["en"][i]}),
                        },
                    )
                    for i, p in enumerate(parts)
                ]
                if outcome.reason.uses_failures:
                    failures = {language: summary(parts, language) for language in LANGUAGES}
            else:
                key = value_key(values)
                if key is not None:
                    kept = outcome.kept.get(key)
                    if kept is not None:
                        out.rules.append(kept[0])
                        if kept[1] is not None:
                            out.notes.append(kept[1])
                        continue
            reason = _text(outcome.reason.write(values, failures))
            rule_result = assembled(
                RuleResult,
                {
                    "rule_id": rule.id,
                    "title": rule.fixed["title"],
                    "requirement": rule.fixed["requirement"],
                    "result": outcome.kind,
                    "severity": rule.severity,
                    "reason": reason,
                    "reference": rule.fixed["reference"],
                    "failed_parts": failed_parts,
                },
            )
            out.rules.append(rule_result)
            note = None
            if rule.signal and result == PASSED:
                note = assembled(Note, {"rule_id": rule.id, "text": reason})
                out.notes.append(note)
            if key is not None:
                _keep(outcome.kept, key, (rule_result, note))
        return out


def _keep(kept: dict[Any, Any], key: Any, value: Any) -> None:
    """Keep ``value``; past :data:`KEPT` entries, the oldest goes (safe under threads: a lost
    race only keeps one entry more or less)."""
    if len(kept) >= KEPT:
        with suppress(StopIteration, RuntimeError, KeyError):
            del kept[next(iter(kept))]
    kept[key] = value
