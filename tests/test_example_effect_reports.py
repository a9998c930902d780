"""Every example effect report (events/effect-reports/) gets the follow-up verdict its entry in
expected.yaml gives it — by the CLI's offline check and through the API (moto), where the loan
is first submitted and granted."""

from __future__ import annotations

import json
from datetime import date
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


@pytest.mark.parametrize(
    "entry", EXPECTED["missing"], ids=lambda e: f"{e['year']}-on-{e['checked_on']}"
)
def test_a_report_that_never_came_is_a_result_once_it_is_overdue(
    entry: dict[str, Any], checker: FollowUpChecker
) -> None:
    application = parse_application(APPLICATION.read_text("utf-8"))
    earlier = [report(name) for name in entry["earlier"]]
    verdict = checker.check(
        application, entry["year"], None, earlier, date.fromisoformat(entry["checked_on"])
    )
    failed = [r.rule_id for r in verdict.rules if r.result.value == "failed"]
    assert (verdict.outcome.value, failed) == (entry["outcome"], entry["failed"])
    assert verdict.report_received is False
    for rule_id in entry.get("not_applicable", []):
        result = next(r for r in verdict.rules if r.rule_id == rule_id)
        assert result.result.value == "not_applicable", result.reason.sv


def test_the_cli_says_a_missing_report_is_not_yet_due_before_its_due_date(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The reviewer's case: 2028's report is due by 2029-04-30; on 2029-01-15 it is not late."""
    argv = ["follow-up", "check", "--year", "2028", "--application", str(APPLICATION),
            "--earlier", str(FOLDER / "kungalv-2027-on-track.json")]  # fmt: skip
    assert main([*argv, "--on", "2029-01-15"]) == 0
    printed = capsys.readouterr().out
    assert "Enligt plan" in printed and "Långivaren påminner" not in printed
    assert "inte försenad: den ska lämnas senast i april året efter" in printed
    assert main([*argv, "--on", "2029-05-01", "--lang", "en"]) == 0
    printed = capsys.readouterr().out
    assert "Needs attention" in printed
    assert "No effect report for 2028 has been received, and it was due by the end of April" in (
        printed
    )


def moving_away_reports(folder: Path) -> list[Path]:
    """The 2027 report, then 2028 and 2029 in which goal 2 falls each year (71 → 68 → 65)."""
    paths = []
    for year, value in ((2027, 71), (2028, 68), (2029, 65)):
        document = json.loads((FOLDER / "kungalv-2028-on-track.json").read_text("utf-8"))
        document["reporting_year"] = year
        document["submitted_at"] = f"{year + 1}-03-22T10:00:00+01:00"
        for goal in document["goals"]:
            goal["measured_year"], goal["measured_on"] = year, f"{year}-12-31"
        document["goals"][1]["value"] = value
        paths.append(folder / f"{year}.json")
        paths[-1].write_text(json.dumps(document, ensure_ascii=False), "utf-8")
    return paths


@pytest.mark.parametrize("repeated", [True, False], ids=["repeated-flag", "one-flag"])
def test_every_earlier_report_given_counts_however_the_option_is_written(
    repeated: bool, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first, second, latest = moving_away_reports(tmp_path)
    earlier = (
        ["--earlier", str(first), "--earlier", str(second)]
        if repeated
        else ["--earlier", str(first), str(second)]
    )
    out = tmp_path / "verdict.json"
    argv = ["follow-up", "check", str(latest), "--application", str(APPLICATION), *earlier]
    assert main([*argv, "--json", str(out)]) == 0
    capsys.readouterr()
    rules = {r["rule_id"]: r for r in json.loads(out.read_text("utf-8"))["rules"]}
    away = rules["goals.not_moving_away"]
    assert away["result"] == "failed"  # needs both earlier reports: 71 → 68 → 65
    assert "Effektmål 2 har rört sig bort från sitt målvärde 2 år i rad" in away["reason"]["sv"]


def test_the_checker_refuses_rules_that_disagree_on_the_due_month(
    checker: FollowUpChecker,
) -> None:
    from dataclasses import replace

    from screening.follow_up.checker import refuse_two_due_months

    refuse_two_due_months(checker.ruleset)  # the shipped rules agree
    months = {
        r.id: r.parameters["due_month"]
        for r in checker.ruleset.rules
        if "due_month" in r.parameters
    }
    assert set(months) == {"report.received", "report.on_time"}
    rules = tuple(
        replace(r, parameters={**r.parameters, "due_month": 5}) if r.id == "report.on_time" else r
        for r in checker.ruleset.rules
    )
    with pytest.raises(ValueError, match="disagree on due_month"):
        FollowUpChecker(replace(checker.ruleset, rules=rules))


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
