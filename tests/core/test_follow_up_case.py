"""The follow-up case's arithmetic: the path, the shortfall, moving away from the target, a
late investment, and personal identity numbers in report texts."""

from __future__ import annotations

import copy
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from screening.follow_up.case import build_case, path_value, still_to_go
from screening.models.application import EffectGoal
from screening.models.effect_report import EffectReport
from screening.models.personal_number import contains_personal_number
from screening.validation import parse_application, parse_as

FOLDER = Path(__file__).resolve().parents[2] / "rules" / "follow-up" / "examples"
BASE = yaml.safe_load((FOLDER / "base-follow-up.yaml").read_text("utf-8"))


def goal(**values: Any) -> EffectGoal:
    fields = {"goal": "Mål", "indicator": "Andel", "unit": "procent", **values}
    return EffectGoal.model_validate_json(__import__("json").dumps(fields))


def test_there_is_no_path_before_the_baseline_year_and_the_target_after_the_target_year() -> None:
    rising = goal(baseline_value=30, baseline_year=2028, target_value=60, target_year=2031)
    assert path_value(rising, 2027) is None
    assert (path_value(rising, 2028), path_value(rising, 2029), path_value(rising, 2035)) == (
        30,
        40,
        60,
    )


@pytest.mark.parametrize(
    ("baseline", "target", "value", "to_go"),
    [
        (30, 60, 40, 20),  # rising, on its way
        (30, 60, 65, 0),  # rising, past the target: nothing left to go
        (60, 30, 40, 10),  # a goal that should fall
        (60, 30, 25, 0),  # fallen past its target
        (50, 50, 47, 3),  # hold a level: either way counts
    ],
)
def test_still_to_go_counts_only_the_side_the_goal_moves_from(
    baseline: float, target: float, value: float, to_go: float
) -> None:
    assert still_to_go(goal(baseline_value=baseline, target_value=target), value) == to_go


def reports(*values: tuple[int, float]) -> list[EffectReport]:
    out = []
    for year, value in values:
        report = copy.deepcopy(BASE["report"])
        report["reporting_year"] = year
        report["submitted_at"] = f"{year + 1}-03-15T10:00:00+01:00"
        report["goals"][0]["value"] = value
        report["goals"][0]["measured_year"] = year
        out.append(parse_as(EffectReport, report))
    return out


def test_passing_the_target_is_not_moving_away_but_falling_back_is() -> None:
    application = parse_application(
        yaml.safe_load((FOLDER / BASE["application_file"]).read_text("utf-8"))
    )  # goal 1: 70 % (2026) → 90 % (2031)
    past = reports((2027, 91), (2028, 95), (2029, 99))
    case = build_case(application, 2029, past[-1], past[:-1], date(2030, 3, 20))
    assert case.goals[0].years_moving_away == 0
    back = reports((2027, 85), (2028, 80), (2029, 75))
    case = build_case(application, 2029, back[-1], back[:-1], date(2030, 3, 20))
    assert case.goals[0].years_moving_away == 2


def test_a_report_that_leaves_the_investment_out_keeps_the_earlier_word_on_it() -> None:
    application = parse_application(
        yaml.safe_load((FOLDER / BASE["application_file"]).read_text("utf-8"))
    )  # planned end 2029-12-31
    earlier, latest = reports((2029, 83), (2030, 85))
    earlier = earlier.model_copy(
        update={"investment": latest.investment}  # completed 2029-11-30, on time
    )
    silent = latest.model_copy(update={"investment": None})
    case = build_case(application, 2030, silent, [earlier], date(2031, 3, 1))
    assert case.investment.progress is not None and not case.investment.late


@pytest.mark.parametrize(
    "text",
    [
        "811218-9876",
        "811218–9876",  # en dash
        "811218\u00a09876",  # non-breaking space
        "811218\u20119876",  # non-breaking hyphen
        "811218 - 9876",
        "81-12-18-9876",
        "19811218-9876",
        "Ring 811278-9873 (samordningsnummer)",
    ],
)
def test_personal_identity_numbers_are_found_however_they_are_written(text: str) -> None:
    assert contains_personal_number(text)


@pytest.mark.parametrize(
    "text",
    ["Mätt 2026-12-31", "2 400 personer", "Org 212000-2882", "år 2027–2031", "8112189875"],
)
def test_dates_amounts_and_organisation_numbers_are_not_personal_numbers(text: str) -> None:
    assert not contains_personal_number(text)
