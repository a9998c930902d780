"""The follow-up: what the service says about one loan's effect report for one year, and the
case its rules read (the approved application and the reports, side by side)."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import AwareDatetime, Field

from .common import Category, Model
from .effect_report import InterventionProgress, InvestmentProgress
from .verdict import Note, RuleResult, RulesetVersion, Severity


class FollowUpOutcome(StrEnum):
    on_track = "on_track"
    needs_attention = "needs_attention"
    off_track = "off_track"


def follow_up_outcome_of(failed_severities: set[Severity]) -> FollowUpOutcome:
    """The follow-up rules use the same severities: a failed ``reject`` (on a fact, against a
    published requirement) → off_track; a failed ``refer`` → needs_attention."""
    if Severity.reject in failed_severities:
        return FollowUpOutcome.off_track
    if Severity.refer in failed_severities:
        return FollowUpOutcome.needs_attention
    return FollowUpOutcome.on_track


# ---------------------------------------------------------------- the case the rules read


class GoalCase(Model):
    """One approved effect goal against this year's report."""

    number: int = Field(description="The goal's number in the approved application")
    goal: str | None = Field(description="The goal in words, as approved")
    indicator_id: str = Field(description="The indicator's id (the borrower's own if none given)")
    reported: bool = Field(description="The report has an entry for the goal")
    value: float | None = Field(description="The measured value")
    measured_year: int | None
    data_source: str | None
    indicator_changed: bool = Field(
        description="The reported indicator or unit differs from the approved one (false when "
        "the goal is not reported: that is goals.reported's finding)"
    )
    path_value: float | None = Field(
        description="Where the indicator should be, in the year the value was measured, on the "
        "straight path from baseline to target (the target after its year)"
    )
    shortfall_percent: float | None = Field(
        description="How far the value is behind the path, in percent of the planned change "
        "(negative: ahead); None when baseline, target or value is missing"
    )
    deviation_explained: bool = Field(description="The report explains a deviation")
    years_moving_away: int = Field(
        description="Measurements in a row (by measured year, up to this report's), in which "
        "the value moved away from the target (same indicator version)"
    )


class InterventionCase(Model):
    number: int = Field(description="The intervention's number in the approved application")
    description: str | None = Field(description="The intervention, as approved")
    reported: bool
    progress: InterventionProgress | None
    ended_early: bool = Field(
        description="Reported ended although its planned end (if any) is after the reporting year"
    )
    explained: bool = Field(description="The report says why it is paused or ended")


class InvestmentCase(Model):
    planned_end: date = Field(description="The end date in the approved application")
    progress: InvestmentProgress | None
    completed_on: date | None
    late: bool = Field(
        description="Completed after the planned end, or not completed although the planned end "
        "fell in or before the reporting year"
    )
    delay_explained: bool


class FollowUpCase(Model):
    """What the follow-up rules read: built by screening.follow_up.case, never sent by anyone."""

    application_id: str
    reporting_year: int
    report_received: bool = Field(description="A report for the year has been received")
    received_on: date | None = Field(
        description="The day the lender received the report (its own clock, not the report's)"
    )
    months_after_year_end: int = Field(
        description="The calendar month the report was received (or, if none came, of the "
        "check), counted from the year's end: 1 = January of the next year"
    )
    people_reached: int | None
    goals: list[GoalCase] = Field(description="Every approved goal")
    reported_goals: list[GoalCase] = Field(description="The approved goals the report covers")
    # The rules compare numbers at the top level (the engine compares list items only for a
    # value, a choice or presence): the worst goal stands for all, and is named.
    largest_unexplained_shortfall_percent: float | None = Field(
        description="The largest shortfall behind the path among the goals whose deviation the "
        "report does not explain"
    )
    furthest_behind_goal: int | None = Field(description="That goal's number")
    most_years_moving_away: int = Field(
        description="The most reports in a row in which one goal moved away from its target"
    )
    moving_away_goal: int | None = Field(description="That goal's number")
    interventions: list[InterventionCase]
    investment: InvestmentCase


# ---------------------------------------------------------------- what is returned and stored


class GoalProgress(Model):
    """One goal's place on its path: what the charts and the portfolio figures read."""

    number: int
    goal: str | None
    indicator_id: str
    indicator: str | None
    unit: str | None
    indicator_version: int = Field(
        description="1 = as approved; a changed definition or unit starts a new version, a "
        "break in the series (never joined to the earlier values)"
    )
    baseline_value: float | None
    baseline_year: int | None
    target_value: float | None
    target_year: int | None
    value: float | None
    measured_year: int | None
    path_value: float | None
    shortfall_percent: float | None
    target_met: bool | None = Field(description="The value has reached the target")


class FollowUpVerdict(Model):
    application_id: str
    reporting_year: int
    outcome: FollowUpOutcome
    report_received: bool
    report_submitted_at: AwareDatetime | None
    rules: list[RuleResult] = Field(description="Every follow-up rule, in ruleset order")
    notes: list[Note]
    goals: list[GoalProgress]
    people_reached: int | None
    category: Category = Field(description="The loan's declared category")
    ruleset: RulesetVersion
    checked_at: AwareDatetime
