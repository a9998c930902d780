"""``screening impact --base HEAD~1`` after a threshold change, over 217 stored applications.

The corpus is the 31 example applications, each at seven time horizons (5 … 30 years), with
the committee's decisions attached. The rule author raises the long-term threshold of
``grundkrav_4.long_term`` from 10 to 20 years and commits. Known in advance: exactly the
applications that were eligible with a horizon of 10–19 years become ``needs_review``, and
``grundkrav_4.long_term`` is the rule responsible.
"""

from __future__ import annotations

import copy
import json
import shutil
import subprocess
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from workbench.cli import main
from workbench.stored import StoredApplication

from rule_changes import raise_long_term_threshold
from screening.models.decision import Decision, DecisionKind
from screening.models.verdict import Outcome
from screening.ruleset.release import default_rules_dir
from screening.screener import Screener
from screening.validation import parse_application

HORIZONS = (5, 10, 12, 15, 19, 20, 30)
NEW_THRESHOLD = 20
EXAMPLES = Path(__file__).resolve().parents[2] / "events" / "applications"


def git(where: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-C", str(where), "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args],
        check=True,
        capture_output=True,
    )


@pytest.fixture(scope="module")
def repository(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A git repository of the rules: HEAD~1 as today, HEAD with the threshold raised."""
    root = tmp_path_factory.mktemp("repo")
    rules = root / "rules"
    shutil.copytree(default_rules_dir(), rules, ignore=shutil.ignore_patterns("compiled"))
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "rules as released")
    raise_long_term_threshold(rules, NEW_THRESHOLD)
    git(root, "commit", "-q", "-am", "grundkrav_4.long_term: 20 years")
    return rules


def decision(application_id: str, kind: DecisionKind) -> Decision:
    return Decision(
        application_id=application_id,
        number=1,
        decision=kind,
        decision_date=date(2026, 11, 20),
        round="2026-R3",
        screening_revision=1,
        assessments={},
        overridden_rules=[],
        motivation=None,
        recorded_at=datetime(2026, 11, 20, 15, 0, tzinfo=UTC),
        source="csv",
    )


@pytest.fixture(scope="module")
def corpus(screener: Screener) -> dict[str, Any]:
    """The stored applications, their outcome today, and the committee's decisions: every
    application eligible today is decided — declined at 12 years (the committee did not find it
    long-term), granted otherwise."""
    stored: list[StoredApplication] = []
    outcome: dict[str, Outcome] = {}
    horizon: dict[str, int | None] = {}
    decided: dict[str, DecisionKind] = {}
    for path in sorted(EXAMPLES.glob("*.json")):
        example = json.loads(path.read_text("utf-8"))
        example.pop("contact_person", None)  # never stored
        for years in HORIZONS:
            document = copy.deepcopy(example)
            document["application_id"] = f"{example['application_id']}-H{years:02d}"
            if document.get("social_content") is not None:
                document["social_content"]["time_horizon_years"] = years
            application_id = document["application_id"]
            horizon[application_id] = years if document.get("social_content") is not None else None
            outcome[application_id] = screener.screen(parse_application(document)).outcome
            decisions = []
            if outcome[application_id] is Outcome.eligible:
                kind = DecisionKind.declined if years == 12 else DecisionKind.granted
                decided[application_id] = kind
                decisions = [decision(application_id, kind)]
            stored.append(
                StoredApplication(
                    application_id, 1, json.dumps(document, ensure_ascii=False), decisions=decisions
                )
            )
    return {"stored": stored, "outcome": outcome, "horizon": horizon, "decided": decided}


@pytest.fixture(scope="module")
def export(corpus: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("export") / "applications.jsonl"
    path.write_text("".join(s.to_line() + "\n" for s in corpus["stored"]), "utf-8")
    return path


@pytest.fixture(scope="module")
def run(repository: Path, export: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out = tmp_path_factory.mktemp("impact")
    argv = [
        "impact",
        "--base",
        "HEAD~1",
        "--rules",
        str(repository),
        "--export",
        str(export),
        "--workers",
        "2",
        "--quiet",
        "--json",
        str(out / "impact.json"),
        "--html",
        str(out / "impact.html"),
    ]
    assert main(argv) == 0
    return {
        "report": json.loads((out / "impact.json").read_text("utf-8")),
        "html": out / "impact.html",
    }


def test_the_corpus_is_large_and_varied(corpus: dict[str, Any]) -> None:
    assert len(corpus["stored"]) >= 200
    assert set(corpus["outcome"].values()) == set(Outcome)
    assert len(corpus["decided"]) >= 30


def test_impact_lists_exactly_the_applications_whose_outcome_changes(
    run: dict[str, Any], corpus: dict[str, Any]
) -> None:
    report = run["report"]
    expected = {
        application_id
        for application_id, outcome in corpus["outcome"].items()
        if outcome is Outcome.eligible
        and corpus["horizon"][application_id] is not None
        and 10 <= corpus["horizon"][application_id] < NEW_THRESHOLD
    }
    assert expected, "the corpus must hold applications the change affects"
    assert report["applications"] == len(corpus["stored"])
    assert {c["application_id"] for c in report["changed"]} == expected
    for change in report["changed"]:
        assert (change["base"], change["candidate"]) == ("eligible", "needs_review")
        assert change["responsible_rules"] == ["grundkrav_4.long_term"]
    assert report["transitions"] == {"eligible → needs_review": len(expected)}
    (rule,) = report["rules"]
    assert rule["rule_id"] == "grundkrav_4.long_term"
    # Results also move where the outcome does not (already needs_review for another reason).
    affected = {
        a
        for a, years in corpus["horizon"].items()
        if years is not None and 10 <= years < NEW_THRESHOLD
    }
    assert rule["directions"] == {"passed → failed": len(affected)}
    assert report["base"]["source"].startswith("git HEAD~1")
    assert report["candidate"]["source"] == "working tree"


def test_impact_measures_agreement_with_the_committee_under_both_rulesets(
    run: dict[str, Any], corpus: dict[str, Any]
) -> None:
    base, candidate = run["report"]["agreement"]["base"], run["report"]["agreement"]["candidate"]
    decided = corpus["decided"]
    declined_at_12 = sum(1 for kind in decided.values() if kind is DecisionKind.declined)
    now_referred = {c["application_id"] for c in run["report"]["changed"]} & set(decided)
    assert base["decided"] == candidate["decided"] == len(decided)
    assert (base["agreeing"], base["comparable"]) == (len(decided) - declined_at_12, len(decided))
    # Under the candidate the 10–19-year applications go to the committee instead: what is
    # left to compare (20 and 30 years, all granted) agrees.
    assert candidate["comparable"] == len(decided) - len(now_referred)
    assert candidate["agreeing"] == candidate["comparable"]
    assert candidate["rate"] == 1.0 > base["rate"]


def test_impact_prints_a_summary_with_both_agreements(
    repository: Path, export: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["impact", "--base", "HEAD~1", "--rules", str(repository), "--export", str(export)]
    assert main([*argv, "--workers", "1", "--quiet"]) == 0
    printed = capsys.readouterr().out
    assert "eligible → needs_review" in printed
    assert "grundkrav_4.long_term" in printed
    assert "Agreement with the committee, base:" in printed
    assert "Agreement with the committee, candidate:" in printed


def test_a_parameter_can_be_tried_without_editing_the_rules(
    repository: Path, export: Path, run: dict[str, Any], tmp_path: Path
) -> None:
    """--set on HEAD~1's files gives the same changes as the committed edit."""
    out = tmp_path / "set.json"
    argv = [
        "impact",
        "--base",
        "HEAD~1",
        "--rules",
        str(repository),
        "--export",
        str(export),
        "--set",
        "grundkrav_4.long_term.min_time_horizon_years=30",
        "--quiet",
        "--json",
        str(out),
    ]
    assert main(argv) == 0
    tried = json.loads(out.read_text("utf-8"))
    assert tried["parameters_set"] == ["grundkrav_4.long_term.min_time_horizon_years=30"]
    committed = {c["application_id"] for c in run["report"]["changed"]}
    assert committed < {c["application_id"] for c in tried["changed"]}  # 20 years now refers too


def test_an_unknown_base_or_setting_is_a_clear_error(
    repository: Path, export: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["impact", "--rules", str(repository), "--export", str(export), "--quiet"]
    assert main([*argv, "--base", "no-such-ref"]) != 0
    assert "neither a folder, a shipped release nor a git revision" in capsys.readouterr().err
    assert main([*argv, "--set", "grundkrav_4.long_term.no_such_parameter=3"]) != 0
    assert "no_such_parameter" in capsys.readouterr().err


def test_the_html_report_names_the_changed_applications(
    run: dict[str, Any],
) -> None:
    html = run["html"].read_text("utf-8")
    assert html.startswith("<!DOCTYPE html>")
    for change in run["report"]["changed"][:5]:
        assert change["application_id"] in html
