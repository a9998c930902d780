"""Every example effect report (events/effect-reports/) gets the follow-up verdict its entry in
expected.yaml gives it — by the CLI's offline check and through the API (moto), where the loan
is first submitted and granted."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from workbench.cli import main

from screening.follow_up.checker import FollowUpChecker
from screening.models.effect_report import EffectReport
from screening.validation import parse_application, parse_as

FOLDER = Path(__file__).resolve().parents[1] / "events" / "effect-reports"
EXPECTED = yaml.safe_load((FOLDER / "expected.yaml").read_text("utf-8"))
APPLICATION = FOLDER / EXPECTED["application"]


def report(name: str) -> EffectReport:
    result: EffectReport = parse_as(EffectReport, (FOLDER / name).read_text("utf-8"))
    return result


@pytest.fixture(scope="module")
def checker() -> FollowUpChecker:
    from screening.ruleset.compiled import FOLLOW_UP, load_compiled
    from screening.ruleset.release import default_rules_dir

    return FollowUpChecker(load_compiled(default_rules_dir() / "follow-up", FOLLOW_UP))


def test_the_examples_cover_every_case_the_issue_names() -> None:
    names = {entry["file"] for entry in EXPECTED["reports"]}
    for case in ("on-track", "deviation-explained", "deviation-unexplained", "goal-missing",
                 "indicator-changed", "late", "intervention-ended"):  # fmt: skip
        assert any(case in name for name in names), case
    assert EXPECTED["missing"], "a year whose report never came"
    assert {p.name for p in FOLDER.glob("*.json")} == names


@pytest.mark.parametrize("entry", EXPECTED["reports"], ids=lambda e: e["file"])
def test_each_example_gets_its_follow_up_verdict(
    entry: dict[str, Any], checker: FollowUpChecker
) -> None:
    application = parse_application(APPLICATION.read_text("utf-8"))
    checked = report(entry["file"])
    earlier = [report(name) for name in entry["earlier"]]
    verdict = checker.check(
        application, checked.reporting_year, checked, earlier, checked.submitted_at.date()
    )
    failed = [r.rule_id for r in verdict.rules if r.result.value == "failed"]
    assert (verdict.outcome.value, failed) == (entry["outcome"], entry["failed"])
    if "reason_names" in entry:
        reasons = " ".join(r.reason.sv for r in verdict.rules if r.result.value == "failed")
        assert entry["reason_names"] in reasons


@pytest.mark.parametrize("entry", EXPECTED["missing"], ids=lambda e: str(e["year"]))
def test_a_report_that_never_came_is_a_result(
    entry: dict[str, Any], checker: FollowUpChecker
) -> None:
    from datetime import date

    application = parse_application(APPLICATION.read_text("utf-8"))
    earlier = [report(name) for name in entry["earlier"]]
    verdict = checker.check(
        application, entry["year"], None, earlier, date.fromisoformat(entry["checked_on"])
    )
    failed = [r.rule_id for r in verdict.rules if r.result.value == "failed"]
    assert (verdict.outcome.value, failed) == (entry["outcome"], entry["failed"])
    assert verdict.report_received is False


@pytest.mark.parametrize("entry", EXPECTED["reports"][:4], ids=lambda e: e["file"])
def test_the_cli_check_prints_the_verdict_and_writes_json(
    entry: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "verdict.json"
    argv = ["follow-up", "check", str(FOLDER / entry["file"]), "--application", str(APPLICATION)]
    for name in entry["earlier"]:
        argv += ["--earlier", str(FOLDER / name)]
    assert main([*argv, "--json", str(out)]) == 0
    printed = capsys.readouterr().out
    assert json.loads(out.read_text("utf-8"))["outcome"] == entry["outcome"]
    words = {"on_track": "Enligt plan", "needs_attention": "Behöver uppmärksamhet"}
    assert words.get(entry["outcome"], "") in printed


def test_the_cli_refuses_a_report_with_a_personal_identity_number(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    document = json.loads((FOLDER / "kungalv-2027-on-track.json").read_text("utf-8"))
    document["narrative"] = "Frågor till Anna, 811218-9876."
    path = tmp_path / "report.json"
    path.write_text(json.dumps(document, ensure_ascii=False), "utf-8")
    assert main(["follow-up", "check", str(path), "--application", str(APPLICATION)]) == 2
    err = capsys.readouterr().err
    assert "narrative" in err and "personnummer" in err
    assert "811218" not in err
