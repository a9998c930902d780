"""The yearly effect report (*återrapportering*) of a granted loan: one loan, one year.

Per effect goal the committee approved: the indicator's measured value, when and how it was
measured, and why it deviates from the path to the target if it does; people reached in the
target group; how the physical investment and each social intervention are going; changes since
the application, and a short narrative. Goals and interventions are named by their number in
the approved application (1 = the first).

Like the application, only what is unreadable as data is refused (422); a missing value is a
follow-up rule's result. One thing more is refused: a text holding a personal identity number
(the report holds no personal data).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import Field, field_validator

from .application import IndicatorId, Measurement, Year
from .common import Answer, ApplicationId, Day, Moment, ShortAnswer, StrictModel

EFFECT_REPORT_CONTRACT_VERSION = "1.0"
"""Version of the effect report contract (schemas/effect-report.schema.json)."""

ItemNumber = Annotated[int, Field(ge=1, le=40)]


class InvestmentProgress(StrEnum):
    planned = "planned"  # planerad
    under_way = "under_way"  # pågår
    completed = "completed"  # färdigställd


class InterventionProgress(StrEnum):
    planned = "planned"  # ej påbörjad (it starts later, as planned)
    running = "running"  # pågår
    paused = "paused"  # pausad
    ended = "ended"  # avslutad


class GoalResult(StrictModel):
    """One approved effect goal's indicator, as measured for the reporting year."""

    goal: ItemNumber = Field(description="The goal's number in the approved application")
    indicator_id: IndicatorId | None = Field(
        default=None, description="The indicator's id, as in the application"
    )
    indicator: ShortAnswer = Field(description="What was measured (the indicator's definition)")
    unit: ShortAnswer = Field(description="The unit of the value, e.g. percent, people")
    value: Measurement | None = Field(default=None, description="The measured value")
    measured_year: Year | None = Field(default=None, description="The year the value is for")
    measured_on: Day | None = Field(default=None, description="When it was measured")
    data_source: ShortAnswer = Field(description="Where the value comes from, e.g. a survey")
    method: ShortAnswer = Field(description="How it was measured")
    deviation_explanation: Answer = Field(
        description="Why the value is off the path towards the target, if it is"
    )


class InvestmentStatus(StrictModel):
    progress: InvestmentProgress | None = None
    completed_on: Day | None = Field(default=None, description="When it was completed")
    expected_completion: Day | None = Field(
        default=None, description="When it is now expected to be completed, if not yet"
    )
    delay_explanation: Answer = Field(description="Why it is later than planned, if it is")


class InterventionStatus(StrictModel):
    intervention: ItemNumber = Field(description="Its number in the approved application")
    progress: InterventionProgress | None = None
    explanation: Answer = Field(description="Why it is paused or ended, if it is")


class Changes(StrictModel):
    """Changes since the application, each in a few words (or nothing)."""

    scope: Answer = None
    partners: Answer = None
    costs: Answer = None


class EffectReport(StrictModel):
    """POST /effect-reports: one granted loan's report for one year."""

    application_id: ApplicationId
    reporting_year: Year = Field(description="The calendar year reported on")
    submitted_at: Moment
    goals: list[GoalResult] = Field(default_factory=list, max_length=40)
    people_reached: int | None = Field(
        default=None, ge=0, le=100_000_000, description="People in the target group reached"
    )
    investment: InvestmentStatus | None = None
    interventions: list[InterventionStatus] = Field(default_factory=list, max_length=40)
    changes: Changes | None = None
    narrative: Answer = Field(description="A short account of the year")

    @field_validator("goals")
    @classmethod
    def _one_entry_per_goal(cls, goals: list[GoalResult]) -> list[GoalResult]:
        numbers = [g.goal for g in goals]
        if len(set(numbers)) != len(numbers):
            raise ValueError("each goal is reported once (goal numbers repeat)")
        return goals

    @field_validator("interventions")
    @classmethod
    def _one_entry_per_intervention(
        cls, interventions: list[InterventionStatus]
    ) -> list[InterventionStatus]:
        numbers = [i.intervention for i in interventions]
        if len(set(numbers)) != len(numbers):
            raise ValueError("each intervention is reported once (numbers repeat)")
        return interventions
