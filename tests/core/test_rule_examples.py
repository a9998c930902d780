"""Every rule's examples, and every whole example application, as tests.

Each is decided by durable_rules (production) and by the reference engine over the same
neutral tree; they must agree on every decision, and give what the example says.
"""

from __future__ import annotations

import pytest
from workbench.authoring import Authored, compile_rules
from workbench.authoring.examples import ExampleOutcome, ExampleRunner

RULES = __import__("pathlib").Path(__file__).resolve().parents[2] / "rules"

_RUNNER = ExampleRunner(compile_rules(RULES))
RULE_EXAMPLES = _RUNNER.rule_examples()
APPLICATION_EXAMPLES = _RUNNER.application_examples()
FOLLOW_UP_EXAMPLES = ExampleRunner(compile_rules(RULES / "follow-up")).rule_examples()


@pytest.mark.parametrize("outcome", RULE_EXAMPLES, ids=[o.name for o in RULE_EXAMPLES])
def test_rule_example(outcome: ExampleOutcome) -> None:
    assert outcome.ok, str(outcome)


@pytest.mark.parametrize("outcome", FOLLOW_UP_EXAMPLES, ids=[o.name for o in FOLLOW_UP_EXAMPLES])
def test_follow_up_rule_example(outcome: ExampleOutcome) -> None:
    assert outcome.ok, str(outcome)


@pytest.mark.parametrize(
    "outcome", APPLICATION_EXAMPLES, ids=[o.name.rsplit("/", 1)[-1] for o in APPLICATION_EXAMPLES]
)
def test_example_application(outcome: ExampleOutcome) -> None:
    assert outcome.ok, str(outcome)


def test_every_rule_shows_passed_and_failed_or_its_signal(authored: Authored) -> None:
    for rule_id, rule in authored.rules.items():
        kinds = {e.expect.value for e in rule.spec.examples}
        expected = (
            {"passed", "not_applicable"}
            if rule.spec.kind.value == "signal"
            else {"passed", "failed"}
        )
        assert expected <= kinds, rule_id


def test_every_rule_that_reads_an_answer_has_an_example_where_it_is_absent(
    authored: Authored,
) -> None:
    # An absent answer is the case applicants hit most; each rule on the social content shows
    # what it says then (a null, an empty list, or a blank).
    def absent(fragment: object) -> bool:
        if isinstance(fragment, dict):
            return any(
                v is None or v == [] or (isinstance(v, str) and not v.strip()) or absent(v)
                for v in fragment.values()
            )
        if isinstance(fragment, list):
            return any(absent(v) for v in fragment)
        return False

    for rule_id, rule in authored.rules.items():
        if not rule_id.startswith(("grundkrav_", "social_effect.")):
            continue
        assert any(absent(e.application) for e in rule.spec.examples), rule_id


def test_there_are_at_least_twenty_example_applications() -> None:
    assert len(APPLICATION_EXAMPLES) >= 20
