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

from screening import Screener, parse_application
from screening.models.common import Category

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


def test_submissions_spread_over_october_and_november() -> None:
    months = Counter(_document(entry)["submitted_at"][:7] for entry in ENTRIES)
    assert set(months) == {"2026-10", "2026-11"}
    assert min(months.values()) >= 3
