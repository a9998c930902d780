"""Run the rule authors' examples: each rule's own examples, and whole example applications.

A rule example is an application *fragment* merged over ``rules/examples/base-application.yaml``
(maps merge key by key; lists and values replace; ``null`` removes), with the result the rule
must give. Whole-application examples (``rules/examples/applications.yaml``) name a JSON file
and the outcome, rule results and categories the screening must give it.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..models.application import Application
from ..screener import Screener
from ..validation import field_errors
from .loader import APPLICATION_EXAMPLES, Ruleset
from .spec import ApplicationExamplesFile
from .yamlfile import load_yaml


@dataclass(frozen=True)
class ExampleOutcome:
    """One example's run: where it is written, what it is, and what went wrong if anything."""

    file: Path
    line: int
    name: str
    failures: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.failures

    def __str__(self) -> str:
        status = "ok" if self.ok else "FAILED: " + "; ".join(self.failures)
        return f"{self.file}:{self.line}: {self.name}: {status}"


def merge(base: Any, fragment: Any) -> Any:
    """Fragment over base: maps merge key by key, lists and values replace, None removes."""
    if not isinstance(base, dict) or not isinstance(fragment, dict):
        return copy.deepcopy(fragment)
    merged = copy.deepcopy(base)
    for key, value in fragment.items():
        if value is None:
            merged.pop(key, None)
        elif isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def run_rule_examples(ruleset: Ruleset, screener: Screener) -> list[ExampleOutcome]:
    outcomes = [_base_is_eligible(ruleset, screener)]
    for rule in ruleset.rules:
        document = next(d for d in ruleset.documents.values() if d.path == rule.file)
        for index, example in enumerate(rule.spec.examples):
            line = document.line_of((*rule.location, "examples", index))
            name = f"{rule.id}: {example.description}"
            failures: list[str] = []
            try:
                application = Application.model_validate(
                    merge(ruleset.base_application, example.application)
                )
            except ValidationError as error:
                problems = ", ".join(str(e) for e in field_errors(error))
                failures.append(f"the merged application is invalid: {problems}")
            else:
                verdict = screener.screen(application)
                result = next(r for r in verdict.rules if r.rule_id == rule.id)
                if result.result is not example.expect:
                    failures.append(
                        f"expected {example.expect.value}, got {result.result.value} "
                        f"({result.reason.sv})"
                    )
                if example.reason_contains and example.reason_contains not in result.reason.sv:
                    failures.append(
                        f"reason does not contain '{example.reason_contains}': {result.reason.sv}"
                    )
            outcomes.append(ExampleOutcome(rule.file, line, name, tuple(failures)))
    return outcomes


def _base_is_eligible(ruleset: Ruleset, screener: Screener) -> ExampleOutcome:
    path = ruleset.root / "examples" / "base-application.yaml"
    verdict = screener.screen(Application.model_validate(ruleset.base_application))
    failures = tuple(
        f"{r.rule_id} is {r.result.value}: {r.reason.sv}"
        for r in verdict.rules
        if r.result.value == "failed"
    )
    return ExampleOutcome(path, 1, "the base application passes every rule", failures)


def run_application_examples(ruleset: Ruleset, screener: Screener) -> list[ExampleOutcome]:
    path = ruleset.root / APPLICATION_EXAMPLES
    if not path.is_file():
        return []
    document = load_yaml(path)
    examples = ApplicationExamplesFile.model_validate(document.data)
    known_rules = {rule.id for rule in ruleset.rules}
    outcomes = []
    for index, example in enumerate(examples.applications):
        line = document.line_of(("applications", index))
        file = (path.parent / example.file).resolve()
        failures: list[str] = []
        try:
            application = Application.model_validate(json.loads(file.read_text(encoding="utf-8")))
        except FileNotFoundError:
            failures.append(f"no such file {file}")
        except ValidationError as error:
            failures.append("invalid: " + ", ".join(str(e) for e in field_errors(error)))
        else:
            verdict = screener.screen(application)
            if verdict.outcome.value != example.outcome:
                failed = [r.rule_id for r in verdict.rules if r.result.value == "failed"]
                failures.append(
                    f"expected outcome {example.outcome}, got {verdict.outcome.value} "
                    f"(failed: {', '.join(failed) or 'none'})"
                )
            results = {r.rule_id: r for r in verdict.rules}
            for rule_id, expected in example.results.items():
                if rule_id not in known_rules:
                    failures.append(f"no rule '{rule_id}' in the ruleset")
                elif results[rule_id].result is not expected:
                    got = results[rule_id]
                    failures.append(
                        f"{rule_id}: expected {expected.value}, got {got.result.value} "
                        f"({got.reason.sv})"
                    )
            if example.matched_categories is not None:
                matched = [c.value for c in verdict.category_fit.matched]
                if sorted(matched) != sorted(example.matched_categories):
                    failures.append(
                        f"expected categories {example.matched_categories}, got {matched}"
                    )
        outcomes.append(ExampleOutcome(path, line, example.file, tuple(failures)))
    return outcomes
