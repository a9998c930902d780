"""What the follow-up pages show, computed from a loan's follow-up verdicts (or the portfolio)
before any HTML is written: each effect goal's series over the years (and where its indicator
changed definition), the rules of each year with the failed ones first, and the portfolio's
tables for its charts. The templates only lay out."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..follow_up.portfolio import STATUSES, GroupFigures, LoanFollowUp, Portfolio
from ..models.follow_up import FollowUpVerdict, GoalProgress
from ..models.verdict import RuleResult, RuleResultKind, Severity
from .chart import (
    FOLLOW_UP_FILLS,
    STATUS_CHART_WIDTH,
    STATUS_LEGEND_STEP,
    Chart,
    GoalChart,
    goal_chart,
    stacked_bars,
)

_SEVERITY_ORDER = {Severity.reject: 0, Severity.refer: 1, Severity.note: 2}
NO_ROUND = "-"
"""The portfolio's key for loans without a recorded round."""


@dataclass(frozen=True)
class GoalYear:
    """One effect goal in one reporting year."""

    reporting_year: int
    value: float | None
    measured_year: int | None
    path_value: float | None
    shortfall_percent: float | None
    target_met: bool | None
    version: int
    indicator: str | None
    unit: str | None
    new_definition: bool  # measured by another definition than the year before it


@dataclass(frozen=True)
class Definition:
    """One definition (version) of a goal's indicator, and the first year reported by it."""

    version: int
    indicator_id: str
    indicator: str | None
    unit: str | None
    first_year: int


@dataclass(frozen=True)
class GoalView:
    number: int
    goal: str | None
    indicator_id: str
    indicator: str | None
    unit: str | None
    baseline_value: float | None
    baseline_year: int | None
    target_value: float | None
    target_year: int | None
    years: tuple[GoalYear, ...]  # oldest first
    definitions: tuple[Definition, ...]
    chart: GoalChart | None

    @property
    def changed(self) -> bool:
        """The indicator's definition changed at some point: the series has a break."""
        return len(self.definitions) > 1 or any(d.version != 1 for d in self.definitions)

    @property
    def approved(self) -> Definition | None:
        return next((d for d in self.definitions if d.version == 1), None)


def goal_views(loan: LoanFollowUp) -> list[GoalView]:
    """Every effect goal of the loan with its values over the years, by goal number.

    The baseline and target are the approved ones (the same in every verdict); the latest
    verdict names the goal. The chart plots each value at the year it was measured (its
    reporting year if none is given), where the follow-up rules measure it against the path."""
    by_number: dict[int, list[tuple[FollowUpVerdict, GoalProgress]]] = {}
    for verdict in loan.verdicts:
        for goal in verdict.goals:
            by_number.setdefault(goal.number, []).append((verdict, goal))
    views = []
    for number in sorted(by_number):
        entries = by_number[number]
        latest = entries[-1][1]
        years: list[GoalYear] = []
        definitions: dict[int, Definition] = {}
        for verdict, goal in entries:
            if goal.indicator_version not in definitions:
                definitions[goal.indicator_version] = Definition(
                    goal.indicator_version,
                    goal.indicator_id,
                    goal.indicator,
                    goal.unit,
                    verdict.reporting_year,
                )
            before = next((y.version for y in reversed(years) if y.value is not None), None)
            years.append(
                GoalYear(
                    reporting_year=verdict.reporting_year,
                    value=goal.value,
                    measured_year=goal.measured_year,
                    path_value=goal.path_value,
                    shortfall_percent=goal.shortfall_percent,
                    target_met=goal.target_met,
                    version=goal.indicator_version,
                    indicator=goal.indicator,
                    unit=goal.unit,
                    new_definition=(
                        goal.value is not None
                        and before is not None
                        and before != goal.indicator_version
                    ),
                )
            )
        views.append(
            GoalView(
                number=number,
                goal=latest.goal,
                indicator_id=latest.indicator_id,
                indicator=latest.indicator,
                unit=latest.unit,
                baseline_value=latest.baseline_value,
                baseline_year=latest.baseline_year,
                target_value=latest.target_value,
                target_year=latest.target_year,
                years=tuple(years),
                definitions=tuple(definitions[v] for v in sorted(definitions)),
                chart=goal_chart(
                    baseline_year=latest.baseline_year,
                    baseline_value=latest.baseline_value,
                    target_year=latest.target_year,
                    target_value=latest.target_value,
                    # Plotted where the rules judge it: the year it was measured.
                    values=[
                        (y.measured_year or y.reporting_year, y.value, y.version)
                        for y in years
                        if y.value is not None
                    ],
                ),
            )
        )
    return views


def rules_failed_first(rules: Sequence[RuleResult]) -> list[RuleResult]:
    """The failed rules first (what sets the outcome first: off track, then needs attention,
    then notes), then the others in the ruleset's order."""
    failed = [r for r in rules if r.result is RuleResultKind.failed]
    others = [r for r in rules if r.result is not RuleResultKind.failed]
    return sorted(failed, key=lambda r: _SEVERITY_ORDER[r.severity]) + others


def deciding_rules(verdict: FollowUpVerdict) -> list[RuleResult]:
    """The failed rules that set the outcome: off track before needs attention."""
    return [
        r
        for r in rules_failed_first(verdict.rules)
        if r.result is RuleResultKind.failed and r.severity is not Severity.note
    ]


@dataclass(frozen=True)
class YearView:
    verdict: FollowUpVerdict
    rules: tuple[RuleResult, ...]  # failed first

    @property
    def failed(self) -> int:
        return sum(r.result is RuleResultKind.failed for r in self.rules)


def year_views(loan: LoanFollowUp) -> list[YearView]:
    """Each reporting year's rules, the newest year first."""
    return [
        YearView(verdict, tuple(rules_failed_first(verdict.rules)))
        for verdict in reversed(loan.verdicts)
    ]


# ---------------------------------------------------------------- the portfolio


def group_code(group: GroupFigures) -> str:
    return group.key if group.key is not None else NO_ROUND


def status_table(groups: Sequence[GroupFigures]) -> dict[str, dict[str, int]]:
    """Group (category code or round) → status → loans: the stacked chart's table."""
    return {group_code(g): g.by_status() for g in groups}


def status_chart(groups: Sequence[GroupFigures], titles: Mapping[str, str]) -> Chart:
    return stacked_bars(
        status_table(groups),
        titles,
        STATUSES,
        fills=FOLLOW_UP_FILLS,
        width=STATUS_CHART_WIDTH,
        legend_step=STATUS_LEGEND_STEP,
    )


def loans_reported(portfolio: Portfolio) -> int:
    return portfolio.overall.loans - portfolio.overall.no_report
