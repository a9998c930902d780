"""Run the rule authors' examples: each rule's own examples, and whole example applications.

A rule example is an application *fragment* merged over ``rules/examples/base-application.yaml``
(maps merge key by key; lists and values replace; ``null`` removes), with the result the rule
must give, and optionally text its reasons must contain and the JSON pointers a failed result
must name. Whole-application examples (``rules/examples/applications.yaml``) name a JSON file
and the outcome, rule results and categories the screening must give it.

Every example is decided by both engines (durable_rules and the reference engine); a
disagreement is a failure, so the engines are held to the same meaning of every rule.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from screening.engine import ReferenceEngine
from screening.follow_up.case import build_case
from screening.follow_up.checker import FollowUpChecker
from screening.models.application import Application
from screening.models.verdict import Verdict
from screening.screener import Screener
from screening.validation import ApplicationInvalid, BodyInvalid, parse_application

from .compile import APPLICATION_EXAMPLES, Authored
from .spec import ApplicationExamplesFile
from .subjects import SCREENING_SUBJECT, follow_up_input
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


class ExampleRunner:
    def __init__(self, authored: Authored, screener: Screener | None = None) -> None:
        self.authored = authored
        self.follow_up = authored.subject is not SCREENING_SUBJECT
        self.screener = None if self.follow_up else screener or Screener(authored.ruleset)
        self.checker = FollowUpChecker(authored.ruleset) if self.follow_up else None
        self.reference = ReferenceEngine(authored.ruleset.decisions())

    def _disagreements(self, results: dict[str, str], fact: dict[str, Any]) -> list[str]:
        reference = self.reference.decide(fact)
        return [
            f"engines disagree on {name}: durable {results[name]}, reference {reference[name]}"
            for name in results
            if results[name] != reference[name]
        ]

    def _screen(self, application: Application) -> tuple[Verdict, list[str]]:
        """The verdict, and every decision on which the two engines disagree."""
        assert self.screener is not None
        results, state = self.screener.decide(application)
        return self.screener.screen(application), self._disagreements(results, state["fact"])

    def _evaluate(self, document: dict[str, Any]) -> tuple[Any, list[str]]:
        """The verdict (screening or follow-up) of an example document; raises BodyInvalid."""
        if self.checker is None:
            return self._screen(parse_application(document))
        given = follow_up_input(document, self.authored.root / "examples")
        case = build_case(
            given.application, given.reporting_year, given.report, given.history, given.checked_on
        )
        results, fact = self.checker.decide(case)
        verdict = self.checker.check(
            given.application, given.reporting_year, given.report, given.history, given.checked_on
        )
        return verdict, self._disagreements(results, fact)

    def rule_examples(self) -> list[ExampleOutcome]:
        outcomes = [self._base_is_eligible()]
        for rule_id, rule in self.authored.rules.items():
            document = rule.document
            for index, example in enumerate(rule.spec.examples):
                line = document.line_of((*rule.location, "examples", index))
                name = f"{rule_id}: {example.description}"
                failures: list[str] = []
                fragment = (example.follow_up if self.follow_up else example.application) or {}
                try:
                    verdict, disagreements = self._evaluate(
                        merge(self.authored.base_example, fragment)
                    )
                except BodyInvalid as error:
                    problems = ", ".join(str(e) for e in error.errors)
                    failures.append(f"the merged example is invalid: {problems}")
                else:
                    failures += disagreements
                    result = next(r for r in verdict.rules if r.rule_id == rule_id)
                    if result.result is not example.expect:
                        failures.append(
                            f"expected {example.expect.value}, got {result.result.value} "
                            f"({result.reason.sv})"
                        )
                    if example.reason_contains and example.reason_contains not in result.reason.sv:
                        failures.append(
                            f"reason does not contain '{example.reason_contains}': "
                            f"{result.reason.sv}"
                        )
                    if (
                        example.reason_contains_en
                        and example.reason_contains_en not in result.reason.en
                    ):
                        failures.append(
                            f"English reason does not contain '{example.reason_contains_en}': "
                            f"{result.reason.en}"
                        )
                    if example.failed_pointers is not None:
                        pointers = [p.pointer for p in result.failed_parts]
                        if pointers != example.failed_pointers:
                            failures.append(
                                f"expected failed pointers {example.failed_pointers}, "
                                f"got {pointers}"
                            )
                outcomes.append(ExampleOutcome(document.path, line, name, tuple(failures)))
        return outcomes

    def _base_is_eligible(self) -> ExampleOutcome:
        path = self.authored.root / self.authored.subject.base_example
        try:
            verdict, disagreements = self._evaluate(dict(self.authored.base_example))
        except BodyInvalid as error:
            problems = ", ".join(str(e) for e in error.errors)
            return ExampleOutcome(path, 1, "the base example", (f"invalid: {problems}",))
        failures = tuple(disagreements) + tuple(
            f"{r.rule_id} is {r.result.value}: {r.reason.sv}"
            for r in verdict.rules
            if r.result.value == "failed"
        )
        return ExampleOutcome(path, 1, "the base example passes every rule", failures)

    def application_examples(self) -> list[ExampleOutcome]:
        path = self.authored.root / APPLICATION_EXAMPLES
        if self.follow_up or not path.is_file():
            return []
        document = load_yaml(path)
        examples = ApplicationExamplesFile.model_validate(document.data)
        known_rules = set(self.authored.rules)
        outcomes = []
        for index, example in enumerate(examples.applications):
            line = document.line_of(("applications", index))
            file = (path.parent / example.file).resolve()
            failures: list[str] = []
            try:
                application = parse_application(file.read_bytes())
            except FileNotFoundError:
                failures.append(f"no such file {file}")
            except ApplicationInvalid as error:
                failures.append("invalid: " + ", ".join(str(e) for e in error.errors))
            else:
                verdict, disagreements = self._screen(application)
                failures += disagreements
                failures += _compare(verdict, example, known_rules)
            outcomes.append(ExampleOutcome(path, line, example.file, tuple(failures)))
        return outcomes


def _compare(verdict: Verdict, example: Any, known_rules: set[str]) -> list[str]:
    failures = []
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
                f"{rule_id}: expected {expected.value}, got {got.result.value} ({got.reason.sv})"
            )
    if example.matched_categories is not None:
        matched = [c.value for c in verdict.category_fit.matched]
        if sorted(matched) != sorted(example.matched_categories):
            failures.append(f"expected categories {example.matched_categories}, got {matched}")
    return failures


def application_json(document: Any) -> str:
    return json.dumps(document, ensure_ascii=False, default=str)
