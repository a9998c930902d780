"""The follow-up case: the approved application and the year's effect report, side by side.

Everything a follow-up rule compares is computed here once, in plain terms a rule can test:
whether each approved goal is reported, whether its indicator changed, where the path from
baseline to target says the value should be in the year it was measured and how far behind it
the value is, and how many measurements in a row it has moved away from the target. The rules
(``rules/follow-up``) hold every threshold; this module holds none.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from ..models.application import Application, EffectGoal
from ..models.effect_report import (
    EffectReport,
    GoalResult,
    InterventionProgress,
    InvestmentProgress,
)
from ..models.follow_up import (
    FollowUpCase,
    GoalCase,
    GoalProgress,
    InterventionCase,
    InvestmentCase,
)


def indicator_id_of(goal: EffectGoal, number: int) -> str:
    """The goal's indicator id; a goal without one gets ``goal-N`` (the borrower's own,
    never added up with another loan's)."""
    return goal.indicator_id or f"goal-{number}"


def _same_text(a: str | None, b: str | None) -> bool:
    """Equal but for case, spacing and end punctuation; an unanswered side proves no change."""
    if a is None or b is None:
        return True
    norm = [re.sub(r"\s+", " ", t).strip().rstrip(".").casefold() for t in (a, b)]
    return norm[0] == norm[1]


def indicator_changed(approved: EffectGoal, reported: GoalResult) -> bool:
    ids = approved.indicator_id, reported.indicator_id
    if ids[0] and ids[1] and ids[0] != ids[1]:
        return True
    return not (
        _same_text(approved.indicator, reported.indicator)
        and _same_text(approved.unit, reported.unit)
    )


def path_value(goal: EffectGoal, year: int) -> float | None:
    """The straight path from baseline to target: the value expected in ``year``."""
    b, by, t, ty = goal.baseline_value, goal.baseline_year, goal.target_value, goal.target_year
    if b is None or by is None or t is None or ty is None or ty <= by:
        return None
    if year < by:
        return None  # before the baseline year there is no path to be on
    if year >= ty:
        return t
    if year == by:
        return b
    return round(b + (t - b) * (year - by) / (ty - by), 4)


def shortfall_percent(
    goal: EffectGoal, value: float | None, expected: float | None
) -> float | None:
    """How far behind the path, in percent of the whole planned change (negative: ahead)."""
    if value is None or expected is None or goal.baseline_value is None:
        return None
    change = (goal.target_value or 0.0) - goal.baseline_value
    if change == 0:
        return None
    return round((expected - value) / change * 100, 1)


def target_met(goal: EffectGoal, value: float | None) -> bool | None:
    if value is None or goal.target_value is None or goal.baseline_value is None:
        return None
    if goal.target_value >= goal.baseline_value:
        return value >= goal.target_value
    return value <= goal.target_value


MEASUREMENT_LAG_YEARS = 2
"""Default of goals.on_path's parameter ``tolerated_measurement_lag_years``: how many years
before its reporting year a value may have been measured and still be judged at the year it was
measured. The checker passes the ruleset's value."""


def path_year(entry: GoalResult | None, reporting_year: int, lag: int) -> int:
    """The year whose point on the path a value is measured against: the year it was measured
    (register statistics lag a year; a survey may run every second year), else the reporting
    year — but never more than ``lag`` years before the reporting year: an older measurement
    says nothing about this year's progress, so it is judged where the loan should be now
    minus the tolerated lag (a value measured before the baseline year likewise meets the
    path's start, not no path at all)."""
    if entry is None or entry.measured_year is None:
        return reporting_year
    return max(entry.measured_year, reporting_year - lag)


def still_to_go(goal: EffectGoal, value: float) -> float | None:
    """How far the value still is from the target, on the side the goal moves from: 0 once
    the target is reached or passed (going past it is not moving away). A goal to hold a level
    (baseline = target) counts the distance either way. Without a baseline (or a target) the
    goal's direction is unknown — a value beyond the target may be past it or moving away from
    it — so there is no distance to judge: None."""
    target, baseline = goal.target_value, goal.baseline_value
    if target is None or baseline is None:
        return None
    if baseline == target:
        return abs(target - value)
    direction = 1.0 if target > baseline else -1.0
    return max(0.0, (target - value) * direction)


def _measurements(
    approved: EffectGoal,
    number: int,
    history: Sequence[EffectReport],
    report: EffectReport,
    lag: int,
) -> list[float]:
    """The goal's values the trend compares, in the order of the years they were measured, up
    to this report's: from the reports in a row, ending with this one, that give the goal a
    value by the approved indicator (a report that leaves it out or gives no value, or a
    changed indicator, breaks the run). A value re-reported for the same *stated* measured year
    is the same measurement, not a new movement (the latest report's word on it counts); a
    value without a stated year is its own measurement, never merged with another."""
    found: list[tuple[int, int, float]] = []  # (year, -age, value): older reports first
    stated: set[int] = set()
    current: int | None = None
    for age, earlier in enumerate(reversed([*history, report])):  # newest first
        entry = next((g for g in earlier.goals if g.goal == number), None)
        if entry is None or entry.value is None or indicator_changed(approved, entry):
            break  # a gap or a break: the count starts again after it
        year = path_year(entry, earlier.reporting_year, lag)
        if current is None:
            current = year
        if entry.measured_year is not None:
            if year in stated:
                continue
            stated.add(year)
        found.append((year, -age, entry.value))
    return [value for year, _, value in sorted(found) if current is not None and year <= current]


def _years_moving_away(
    approved: EffectGoal,
    number: int,
    history: Sequence[EffectReport],
    report: EffectReport,
    lag: int,
) -> int:
    """Measurements in a row, ending with this report's, each further from the target than the
    one measured before it — within the same indicator version. 0 when the goal's direction is
    unknown (no baseline): a value beyond the target is then never judged moving away."""
    if approved.target_value is None or approved.baseline_value is None:
        return 0
    values = _measurements(approved, number, history, report, lag)
    count = 0
    for before, now in zip(reversed(values[:-1]), reversed(values), strict=False):
        to_go_now, to_go_before = still_to_go(approved, now), still_to_go(approved, before)
        if to_go_now is not None and to_go_before is not None and to_go_now > to_go_before:
            count += 1
        else:
            break
    return count


def months_after_year_end(year: int, on: date) -> int:
    """1 = January of the year after ``year``; 0 or less = still in (or before) the year."""
    return (on.year - (year + 1)) * 12 + on.month


def indicator_version(
    approved: EffectGoal, number: int, history: Sequence[EffectReport], report: EffectReport | None
) -> int:
    """1 while the reports measure the approved indicator; each new definition adds one."""
    seen: list[tuple[str | None, str | None]] = []
    for earlier in [*history, *([report] if report else [])]:
        entry = next((g for g in earlier.goals if g.goal == number), None)
        if entry is None or not indicator_changed(approved, entry):
            continue
        key = (entry.indicator, entry.unit)
        if not any(_same_text(k[0], key[0]) and _same_text(k[1], key[1]) for k in seen):
            seen.append(key)
    if report is None:
        return 1
    entry = next((g for g in report.goals if g.goal == number), None)
    if entry is None or not indicator_changed(approved, entry):
        return 1
    for index, key in enumerate(seen):
        if _same_text(key[0], entry.indicator) and _same_text(key[1], entry.unit):
            return index + 2
    return len(seen) + 1


def build_case(
    application: Application,
    reporting_year: int,
    report: EffectReport | None,
    history: Sequence[EffectReport],
    checked_on: date,
    received_on: date | None = None,
    lag: int = MEASUREMENT_LAG_YEARS,
) -> FollowUpCase:
    """The case for ``reporting_year``: ``report`` (None if none came) against the approved
    application, with the earlier years' reports (oldest first) for the trend. ``received_on``
    is the day the lender received the report (the service's clock); without it, the report's
    own ``submitted_at`` (offline checks of example reports). Of two earlier reports for the
    same year, the one given last counts."""
    history = _earlier_years(history, reporting_year)
    social = application.social_content
    goals: list[GoalCase] = []
    for number, approved in enumerate(social.effect_goals, start=1):
        entry = next((g for g in report.goals if g.goal == number), None) if report else None
        changed = indicator_changed(approved, entry) if entry is not None else False
        value = entry.value if entry is not None else None
        # The value is measured against the path in the year it was measured.
        expected = path_value(approved, path_year(entry, reporting_year, lag))
        goals.append(
            GoalCase(
                number=number,
                goal=approved.goal,
                indicator_id=indicator_id_of(approved, number),
                reported=entry is not None,
                value=value,
                measured_year=entry.measured_year if entry else None,
                data_source=entry.data_source if entry else None,
                indicator_changed=changed,
                path_value=expected,
                # Off the approved indicator there is no path to measure against.
                shortfall_percent=None if changed else shortfall_percent(approved, value, expected),
                deviation_explained=bool(entry and entry.deviation_explanation),
                years_moving_away=(
                    _years_moving_away(approved, number, history, report, lag)
                    if report is not None and entry is not None and not changed
                    else 0
                ),
            )
        )
    interventions = []
    year_end = date(reporting_year, 12, 31)
    for number, planned in enumerate(social.interventions, start=1):
        status = (
            next((i for i in report.interventions if i.intervention == number), None)
            if report
            else None
        )
        progress = status.progress if status else None
        interventions.append(
            InterventionCase(
                number=number,
                description=planned.description,
                reported=status is not None,
                progress=progress,
                ended_early=progress is InterventionProgress.ended
                and (planned.end_date is None or planned.end_date > year_end),
                explained=bool(status and status.explanation),
            )
        )
    # A report that leaves the investment out says nothing new: the latest earlier word on it
    # stands (a completed investment stays completed); without one, the approved application's
    # (an investment already carried out when it was approved is completed, not late).
    investment = report.investment if report else None
    if report is not None and investment is None:
        investment = next((h.investment for h in reversed(history) if h.investment), None)
    planned_end = application.project.end_date
    completed_on = investment.completed_on if investment else None
    built = investment.progress if investment else None
    if report is not None and investment is None and application.project.already_carried_out:
        built = InvestmentProgress.completed
    if built is None and completed_on is not None:  # a completion date says it is completed
        built = InvestmentProgress.completed
    if built is InvestmentProgress.completed:
        late = completed_on is not None and completed_on > planned_end
    else:
        late = planned_end <= year_end
    arrived = (received_on or report.submitted_at.date()) if report else checked_on
    behind = [  # behind the path (not ahead of it) and not explained
        g
        for g in goals
        if g.shortfall_percent is not None and g.shortfall_percent > 0 and not g.deviation_explained
    ]
    worst = max(behind, key=lambda g: g.shortfall_percent or 0.0, default=None)
    away = max(goals, key=lambda g: g.years_moving_away, default=None)
    return FollowUpCase(
        application_id=application.application_id,
        reporting_year=reporting_year,
        report_received=report is not None,
        received_on=arrived if report else None,
        months_after_year_end=months_after_year_end(reporting_year, arrived),
        people_reached=report.people_reached if report else None,
        goals=goals,
        reported_goals=[g for g in goals if g.reported],
        largest_unexplained_shortfall_percent=worst.shortfall_percent if worst else None,
        furthest_behind_goal=worst.number if worst else None,
        most_years_moving_away=away.years_moving_away if away else 0,
        moving_away_goal=away.number if away and away.years_moving_away else None,
        interventions=interventions,
        investment=InvestmentCase(
            planned_end=planned_end,
            progress=built,
            completed_on=completed_on,
            late=late,
            delay_explained=bool(investment and investment.delay_explanation),
        ),
    )


def _earlier_years(history: Sequence[EffectReport], reporting_year: int) -> list[EffectReport]:
    """The reports of the years before ``reporting_year``, oldest first, one per year (the one
    given last)."""
    by_year = {h.reporting_year: h for h in history if h.reporting_year < reporting_year}
    return [by_year[year] for year in sorted(by_year)]


def goal_progress(
    application: Application,
    reporting_year: int,
    report: EffectReport | None,
    history: Sequence[EffectReport],
    lag: int = MEASUREMENT_LAG_YEARS,
) -> list[GoalProgress]:
    """Each approved goal's point for the year: what the charts and the portfolio read. The
    path value is the path's point in the year the value was measured."""
    history = _earlier_years(history, reporting_year)
    out = []
    for number, approved in enumerate(application.social_content.effect_goals, start=1):
        entry = next((g for g in report.goals if g.goal == number), None) if report else None
        changed = entry is not None and indicator_changed(approved, entry)
        value = entry.value if entry is not None else None
        expected = path_value(approved, path_year(entry, reporting_year, lag))
        out.append(
            GoalProgress(
                number=number,
                goal=approved.goal,
                indicator_id=(
                    entry.indicator_id if changed and entry and entry.indicator_id else None
                )
                or indicator_id_of(approved, number),
                indicator=entry.indicator if changed and entry else approved.indicator,
                unit=entry.unit if changed and entry else approved.unit,
                indicator_version=indicator_version(approved, number, history, report),
                baseline_value=approved.baseline_value,
                baseline_year=approved.baseline_year,
                target_value=approved.target_value,
                target_year=approved.target_year,
                value=value,
                measured_year=entry.measured_year if entry else None,
                path_value=expected,
                shortfall_percent=None if changed else shortfall_percent(approved, value, expected),
                target_met=None if changed else target_met(approved, value),
            )
        )
    return out
