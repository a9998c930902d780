"""The committee's decision on an application: what it decided, on which screening, and where it
disagreed with the pre-screening (by rule). Append-only: a later decision supersedes, the
history stays. Holds no personal data (the motivation is the committee's, about the project).
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated

from pydantic import AwareDatetime, Field, field_validator

from .common import Day, Model, ShortAnswer, StrictModel

Round = Annotated[
    str,
    Field(
        pattern=r"^[0-9]{4}-R[0-9]{1,2}$",
        description="The application round, e.g. 2026-R3",
        examples=["2026-R3"],
    ),
]
RuleId = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$", max_length=80)]
RequirementId = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=40)]


class DecisionKind(StrEnum):
    granted = "granted"  # beviljat
    declined = "declined"  # avslag
    returned = "returned"  # återremiss: returned to the applicant for completion


class Assessment(StrEnum):
    met = "met"  # uppfyllt
    not_met = "not_met"  # ej uppfyllt
    not_assessed = "not_assessed"  # ej bedömt


class DecisionInput(StrictModel):
    """What the committee records (PUT /screenings/{application_id}/decision, or a CSV row)."""

    decision: DecisionKind
    decision_date: Day
    round: Round
    screening_revision: int = Field(ge=1, description="The screening revision decided on")
    assessments: dict[RequirementId, Assessment] = Field(
        default_factory=dict,
        max_length=20,
        description="Optionally, the committee's assessment per requirement (requirement id)",
    )
    overridden_rules: list[RuleId] = Field(
        default_factory=list,
        max_length=40,
        description="Rules whose pre-screening result the committee did not follow",
    )
    motivation: ShortAnswer = Field(
        description="A short motivation; no personal data (a personal identity number is refused)"
    )

    @field_validator("overridden_rules")
    @classmethod
    def _unique(cls, rules: list[str]) -> list[str]:
        if len(set(rules)) != len(rules):
            raise ValueError("each rule may be named once")
        return rules


class Decision(Model):
    """A recorded decision, as stored and returned."""

    application_id: str
    number: int = Field(ge=1, description="1 for the first decision, then 2, 3, … (latest wins)")
    decision: DecisionKind
    decision_date: date
    round: str
    screening_revision: int
    assessments: dict[str, Assessment]
    overridden_rules: list[str]
    motivation: str | None
    recorded_at: AwareDatetime
    source: str = Field(description="api or csv")
