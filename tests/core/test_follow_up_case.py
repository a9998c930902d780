"""The follow-up case's arithmetic: the path (at the year a value was measured), the shortfall,
moving away from the target (by measured year; never without a baseline), a late investment (an
investment already carried out is not late), and personal identity numbers in report texts."""

from __future__ import annotations

import copy
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from screening.follow_up.case import build_case, goal_progress, path_value, still_to_go
from screening.models.application import EffectGoal
from screening.models.effect_report import EffectReport
from screening.models.personal_number import contains_personal_number
from screening.validation import parse_application, parse_as

REPO = Path(__file__).resolve().parents[2]
FOLDER = REPO / "rules" / "follow-up" / "examples"
BASE = yaml.safe_load((FOLDER / "base-follow-up.yaml").read_text("utf-8"))
APPLICATIONS = REPO / "events" / "applications"


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


def test_without_a_baseline_there_is_no_distance_to_judge() -> None:
    assert still_to_go(goal(target_value=60), 70) is None
    assert still_to_go(goal(target_value=60), 50) is None


def reports(*values: tuple[int, float] | tuple[int, float, int]) -> list[EffectReport]:
    """Base reports for goal 1: (reporting year, value[, measured year]); measured in the
    reporting year unless given."""
    out = []
    for year, value, *measured in values:
        report = copy.deepcopy(BASE["report"])
        report["reporting_year"] = year
        report["submitted_at"] = f"{year + 1}-03-15T10:00:00+01:00"
        report["goals"][0]["value"] = value
        report["goals"][0]["measured_year"] = measured[0] if measured else year
        out.append(parse_as(EffectReport, report))
    return out


def base_application(**goal_1: Any) -> Any:
    document = yaml.safe_load((FOLDER / BASE["application_file"]).read_text("utf-8"))
    document["social_content"]["effect_goals"][0].update(goal_1)
    return parse_application(document)


def moving_away(application: Any, *values: tuple[int, float] | tuple[int, float, int]) -> int:
    series = reports(*values)
    year = series[-1].reporting_year
    case = build_case(application, year, series[-1], series[:-1], date(year + 1, 3, 20))
    return case.goals[0].years_moving_away


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


def test_a_value_is_measured_against_the_path_in_the_year_it_was_measured() -> None:
    """The reviewer's biennial case: goal 1 from 30 (2026) to 60 (2029); the 2028 report gives
    40, measured in 2027 — exactly 2027's point on the path, not 33 % behind 2028's (50)."""
    application = base_application(
        baseline_value=30, baseline_year=2026, target_value=60, target_year=2029
    )
    earlier, lagged = reports((2027, 40), (2028, 40, 2027))
    case = build_case(application, 2028, lagged, [earlier], date(2029, 3, 20))
    assert (case.goals[0].path_value, case.goals[0].shortfall_percent) == (40, 0)
    assert case.largest_unexplained_shortfall_percent is None  # goal 2 is ahead
    progress = goal_progress(application, 2028, lagged, [earlier])[0]
    assert (progress.measured_year, progress.path_value, progress.shortfall_percent) == (
        2027,
        40,
        0,
    )
    # Without a measured year, the reporting year's point.
    unmeasured = lagged.model_copy(
        update={"goals": [lagged.goals[0].model_copy(update={"measured_year": None})]}
    )
    case = build_case(application, 2028, unmeasured, [earlier], date(2029, 3, 20))
    assert case.goals[0].path_value == 50


def test_an_old_measurement_never_hides_a_year_without_progress() -> None:
    """A third review's cases: a 2029 report that gives the baseline value again, measured in
    the baseline year, is judged against the path at most two years back (2027), not at the
    baseline; a value measured before the baseline year meets the path's start."""
    application = base_application(
        baseline_value=30, baseline_year=2025, target_value=60, target_year=2031
    )
    stale = reports((2029, 30, 2025))[0]
    case = build_case(application, 2029, stale, [], date(2030, 3, 20))
    assert (case.goals[0].path_value, case.goals[0].shortfall_percent) == (40, 33.3)
    assert (
        build_case(application, 2029, stale, [], date(2030, 3, 20), lag=4)
        .goals[0]
        .shortfall_percent
        == 0
    )  # a wider tolerated lag is the rule authors' parameter
    before_baseline = reports((2027, 28, 2024))[0]
    case = build_case(application, 2027, before_baseline, [], date(2028, 3, 20))
    assert (case.goals[0].path_value, case.goals[0].shortfall_percent) == (30, 6.7)


def test_a_value_without_a_stated_year_is_never_merged_with_another() -> None:
    application = base_application()  # goal 1: 70 % (2026) → 90 % (2031)
    series = reports((2027, 85), (2028, 80), (2029, 75, 2028))
    unstated = series[1].model_copy(
        update={"goals": [series[1].goals[0].model_copy(update={"measured_year": None})]}
    )
    case = build_case(application, 2029, series[2], [series[0], unstated], date(2030, 3, 20))
    assert case.goals[0].years_moving_away == 2  # 85 → 80 (2028, unstated) → 75 (2028, stated)


def test_a_completion_date_without_progress_is_a_completed_investment() -> None:
    application = parse_application(
        (APPLICATIONS / "eidar-lextorp-district-centre.json").read_text("utf-8")
    )  # already carried out, ended 2021-11-30
    goals = [
        {"goal": number, "indicator": g.indicator, "unit": g.unit, "value": g.target_value,
         "measured_year": 2027, "data_source": g.data_source}
        for number, g in enumerate(application.social_content.effect_goals, start=1)
    ]  # fmt: skip
    report = parse_as(
        EffectReport,
        {
            "application_id": application.application_id,
            "reporting_year": 2027,
            "submitted_at": "2028-03-20T10:00:00+01:00",
            "goals": goals,
            "investment": {"completed_on": "2021-11-30"},
        },
    )
    investment = build_case(application, 2027, report, [], date(2028, 3, 20)).investment
    assert investment.progress is not None
    assert (investment.progress.value, investment.late) == ("completed", False)


def test_moving_away_compares_measurements_in_the_order_they_were_measured() -> None:
    application = base_application()  # goal 1: 70 % (2026) → 90 % (2031)
    # Re-reported for the same measured year: not a new movement, and no break either.
    assert moving_away(application, (2027, 85), (2028, 80), (2029, 80, 2028)) == 1
    assert moving_away(application, (2027, 85), (2028, 80), (2029, 80, 2028), (2030, 75)) == 2
    # A corrected value for 2027 in the 2028 report: 2027 (corrected) → 2029 is one movement.
    assert moving_away(application, (2027, 85), (2028, 80, 2027), (2029, 75)) == 1
    # A value measured before the latest earlier one is compared with what came before it.
    assert moving_away(application, (2027, 85), (2028, 80, 2027), (2029, 78, 2029)) == 1
    # The usual case is unchanged: measured every year, moving away twice.
    assert moving_away(application, (2027, 85), (2028, 80), (2029, 75)) == 2


def test_a_goal_without_a_baseline_is_never_judged_moving_away() -> None:
    """The reviewer's case: no baseline, target 60 %, values 62, 66, 70: beyond the target, but
    whether that is past it or away from it depends on a direction the application does not
    give."""
    application = base_application(baseline_value=None, target_value=60)
    assert moving_away(application, (2027, 62), (2028, 66), (2029, 70)) == 0
    assert moving_away(application, (2027, 58), (2028, 55), (2029, 50)) == 0


def test_an_earlier_year_given_twice_counts_once_the_last_given() -> None:
    application = base_application()
    first, second, later, latest = reports((2027, 90), (2027, 85), (2028, 80), (2029, 75))
    case = build_case(application, 2029, latest, [first, later, second], date(2030, 3, 20))
    assert case.goals[0].years_moving_away == 2  # 85 (2027, the last given) → 80 → 75


def test_an_investment_already_carried_out_is_completed_when_the_report_is_silent() -> None:
    application = parse_application(
        (APPLICATIONS / "eidar-lextorp-district-centre.json").read_text("utf-8")
    )  # already carried out, ended 2021-11-30
    assert application.project.already_carried_out
    goals = [
        {"goal": number, "indicator": g.indicator, "unit": g.unit, "value": g.target_value,
         "measured_year": 2027, "data_source": g.data_source}
        for number, g in enumerate(application.social_content.effect_goals, start=1)
    ]  # fmt: skip
    silent = parse_as(
        EffectReport,
        {
            "application_id": application.application_id,
            "reporting_year": 2027,
            "submitted_at": "2028-03-20T10:00:00+01:00",
            "goals": goals,
        },
    )
    case = build_case(application, 2027, silent, [], date(2028, 3, 20))
    assert case.investment.progress is not None
    assert (case.investment.progress.value, case.investment.late) == ("completed", False)
    # The report's own word still counts: still under way, years after the planned end, is late.
    under_way = silent.model_copy(
        update={"investment": parse_as(EffectReport, {**silent.model_dump(mode="json"),
                                                      "investment": {"progress": "under_way"}}
                                       ).investment}
    )  # fmt: skip
    assert build_case(application, 2027, under_way, [], date(2028, 3, 20)).investment.late
    # An investment not yet carried out that nobody reports on is late after its planned end.
    planned = application.model_copy(
        update={"project": application.project.model_copy(update={"already_carried_out": False})}
    )
    assert build_case(planned, 2027, silent, [], date(2028, 3, 20)).investment.late


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
