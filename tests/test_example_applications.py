"""The example applications in events/applications/ and what the screening must say about them.

rules/examples/applications.yaml lists every example with its expected outcome, matched
categories and the results of the rules that explain it. These tests run each entry through
the real ruleset, and check that the corpus is complete: every JSON file is listed, every rule
that fails is listed (so a failure is always intended and explained), and the corpus covers
all three outcomes and all three categories.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

from screening.models.application import ApplicantType
from screening.models.common import Category
from screening.screener import Screener
from screening.validation import parse_application

REPO = Path(__file__).resolve().parents[1]
EXAMPLES_YAML = REPO / "rules" / "examples" / "applications.yaml"
APPLICATIONS_DIR = REPO / "events" / "applications"
OUTCOMES = {"eligible", "needs_review", "ineligible"}


def _entries() -> list[dict[str, Any]]:
    document = yaml.safe_load(EXAMPLES_YAML.read_text("utf-8"))
    return document["applications"]


def _path(entry: dict[str, Any]) -> Path:
    return (EXAMPLES_YAML.parent / entry["file"]).resolve()


def _document(entry: dict[str, Any]) -> dict[str, Any]:
    return json.loads(_path(entry).read_text("utf-8"))


ENTRIES = _entries()


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: Path(e["file"]).stem)
def test_example_application(entry: dict[str, Any], screener: Screener) -> None:
    application = parse_application(_document(entry))
    verdict = screener.screen(application)
    results = {r.rule_id: r for r in verdict.rules}

    failed = sorted(r.rule_id for r in verdict.rules if r.result.value == "failed")
    assert verdict.outcome.value == entry["outcome"], f"failed rules: {failed}"

    for rule_id, expected in entry.get("results", {}).items():
        assert rule_id in results, f"no rule {rule_id!r} in the ruleset"
        got = results[rule_id]
        assert got.result.value == expected, f"{rule_id}: {got.result.value} ({got.reason.sv})"

    if entry.get("matched_categories") is not None:
        matched = sorted(c.value for c in verdict.category_fit.matched)
        assert matched == sorted(entry["matched_categories"])

    # No unintended failures: every failing rule is one the entry names as failing.
    expected_failures = sorted(
        rule_id for rule_id, result in entry.get("results", {}).items() if result == "failed"
    )
    assert failed == expected_failures


def test_every_example_file_is_listed() -> None:
    listed = {_path(entry) for entry in ENTRIES}
    on_disk = {path.resolve() for path in APPLICATIONS_DIR.glob("*.json")}
    assert on_disk, "no example applications found"
    assert sorted(p.name for p in on_disk - listed) == [], "unlisted example applications"
    assert sorted(str(p) for p in listed - on_disk) == [], "listed files that do not exist"


def test_every_file_is_listed_once() -> None:
    counts = Counter(_path(entry) for entry in ENTRIES)
    assert [p.name for p, n in counts.items() if n > 1] == []


def test_application_ids_are_unique() -> None:
    ids = Counter(_document(entry)["application_id"] for entry in ENTRIES)
    assert [i for i, n in ids.items() if n > 1] == []


def test_corpus_covers_every_outcome() -> None:
    assert {entry["outcome"] for entry in ENTRIES} == OUTCOMES


def test_corpus_covers_every_category() -> None:
    every = {c.value for c in Category}
    declared = {_document(entry)["project"]["declared_category"] for entry in ENTRIES}
    matched = {c for entry in ENTRIES for c in entry.get("matched_categories") or []}
    assert declared == every
    assert matched == every


def test_corpus_covers_every_kind_of_applicant_the_portal_sends() -> None:
    types = {_document(entry)["applicant"]["type"] for entry in ENTRIES}
    assert {"municipality", "region", "municipal_company", "regional_company", "other"} <= types
    assert types <= {t.value for t in ApplicantType}


def test_corpus_covers_both_investment_types_and_omitted_answers() -> None:
    documents = [_document(entry) for entry in ENTRIES]
    assert {d["project"]["investment_type"] for d in documents} == {"a", "b"}
    assert any("social_content" not in d for d in documents), "one omits every answer"
    omitted = [
        d
        for d in documents
        if "social_content" in d
        and not all(
            d["social_content"].get(k) for k in ("target_group", "evaluation", "effect_goals")
        )
    ]
    assert len(omitted) >= 2


def test_the_short_complete_application_is_eligible(screener: Screener) -> None:
    # Written the way applicants write: every answer one sentence. Length never decides.
    entry = next(e for e in ENTRIES if "short" in e["file"])
    verdict = screener.screen(parse_application(_document(entry)))
    assert verdict.outcome.value == "eligible"


def test_the_application_without_answers_is_ineligible_naming_each(screener: Screener) -> None:
    entry = next(e for e in ENTRIES if "social-content-omitted" in e["file"])
    verdict = screener.screen(parse_application(_document(entry)))
    assert verdict.outcome.value == "ineligible"
    failed = {r.rule_id: r for r in verdict.rules if r.result.value == "failed"}
    for rule_id in (
        "social_effect.questions_answered",
        "grundkrav_1.answered",
        "grundkrav_2.answered",
        "grundkrav_3.answered",
        "grundkrav_4.answered",
        "grundkrav_5.goals_answered",
        "grundkrav_5.evaluation_answered",
    ):
        assert failed[rule_id].severity.value == "reject"
        assert failed[rule_id].failed_parts, rule_id
    pointers = {p.pointer for r in failed.values() for p in r.failed_parts}
    assert "/social_content/future_state" in pointers
    assert "/social_content/time_horizon_years" in pointers
