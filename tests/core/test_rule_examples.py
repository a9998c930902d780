"""The rule authors' own examples, run by pytest (the same runner as `screening rules test`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from screening import Screener, load_ruleset
from screening.cli import main
from screening.ruleset.examples import merge, run_application_examples, run_rule_examples

RULES = Path(__file__).resolve().parents[2] / "rules"
_ruleset = load_ruleset(RULES)
_screener = Screener(_ruleset)
_EXAMPLES = run_rule_examples(_ruleset, _screener) + run_application_examples(_ruleset, _screener)


@pytest.mark.parametrize("example", _EXAMPLES, ids=lambda e: e.name)
def test_example(example) -> None:
    assert example.ok, str(example)


def test_every_rule_has_a_passing_and_a_failing_or_na_example(ruleset) -> None:
    for rule in ruleset.rules:
        expected = {e.expect.value for e in rule.spec.examples}
        assert "passed" in expected, rule.id
        assert expected & {"failed", "not_applicable"}, rule.id


def test_every_rule_yields_exactly_one_result_on_every_example(ruleset, screener) -> None:
    # evaluate() raises IncompleteTraceError unless each rule fired exactly one result.
    from screening.models import Application

    count = 0
    for rule in ruleset.rules:
        for example in rule.spec.examples:
            document = merge(ruleset.base_application, example.application)
            results, _ = screener.evaluate(Application.model_validate(document))
            assert set(results) == {r.id for r in ruleset.rules}
            count += 1
    assert count >= 60


def test_merge_semantics() -> None:
    base = {"a": {"b": 1, "c": [1, 2]}, "d": 1}
    assert merge(base, {"a": {"c": [3]}, "d": None, "e": 2}) == {"a": {"b": 1, "c": [3]}, "e": 2}
    assert base == {"a": {"b": 1, "c": [1, 2]}, "d": 1}


def test_changing_a_threshold_changes_the_verdict_and_its_example_catches_it(
    rules_copy: Path, capsys: pytest.CaptureFixture
) -> None:
    rule_file = rules_copy / "05-grundkrav.yaml"
    rule_file.write_text(
        rule_file.read_text("utf-8").replace("value: 10\n", "value: 20\n", 1), "utf-8"
    )
    assert main(["rules", "test", "--rules", str(rules_copy)]) == 1
    out = capsys.readouterr().out
    assert "grundkrav_4.long_term: Fifteen years: FAILED: expected passed, got failed" in out
    assert "Tidshorisonten är 15 år, kortare än 20 år" in out


def test_changing_a_reason_text_needs_no_python(rules_copy: Path, base_document: dict) -> None:
    rule_file = rules_copy / "05-grundkrav.yaml"
    rule_file.write_text(
        rule_file.read_text("utf-8").replace(
            'sv: "Tidshorisonten är {social_content.time_horizon_years} år."',
            'sv: "Horisont: {social_content.time_horizon_years} år '
            '(minst {param.min_time_horizon_years})."',
        ),
        "utf-8",
    )
    from screening import parse_application

    verdict = Screener(load_ruleset(rules_copy)).screen(parse_application(base_document))
    reason = next(r.reason.sv for r in verdict.rules if r.rule_id == "grundkrav_4.long_term")
    assert reason == "Horisont: 15 år (minst 10)."
