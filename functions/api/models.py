"""Response models of the committee and catalogue routes (the portal route returns a Verdict)."""

from __future__ import annotations

from pydantic import AwareDatetime, BaseModel, Field

from screening import Outcome, Verdict
from screening.models.common import LocalizedText
from screening.models.verdict import Requirement, RulesetVersion, Severity


class StoredScreening(BaseModel):
    revision: int = Field(ge=1, description="1 for the first screening, then 2, 3, …")
    content_sha256: str = Field(description="sha256 of the submitted application's content")
    verdict: Verdict


class ScreeningHistory(BaseModel):
    application_id: str
    latest: StoredScreening
    history: list[StoredScreening] = Field(
        description="Earlier screenings of the same application, newest first"
    )


class ScreeningSummary(BaseModel):
    application_id: str
    revision: int
    outcome: Outcome
    screened_at: AwareDatetime
    organisation_name: str
    project_title: str
    ruleset_version: str


class ScreeningPage(BaseModel):
    items: list[ScreeningSummary] = Field(description="Newest first")
    next_cursor: str | None = Field(
        description="Pass as ?cursor= with the same filters for the next page; null at the end"
    )


class RuleEntry(BaseModel):
    id: str
    title: LocalizedText
    requirement: Requirement
    severity: Severity
    kind: str = Field(description="check or signal")


class RuleCatalogue(BaseModel):
    ruleset: RulesetVersion
    rules: list[RuleEntry]
