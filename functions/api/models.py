"""Response models of the service's routes (the portal's submit returns a Verdict)."""

from __future__ import annotations

from pydantic import AwareDatetime, BaseModel, Field

from screening.models.common import LocalizedText, Reference
from screening.models.decision import Decision
from screening.models.verdict import Outcome, Requirement, RulesetVersion, Severity, Verdict


class StoredScreening(BaseModel):
    revision: int = Field(ge=1, description="1 for the first screening, then 2, 3, …")
    content_sha256: str = Field(description="sha256 of the application's content as stored")
    kind: str = Field(default="submission", description="submission or rescreen")
    verdict: Verdict


class ScreeningHistory(BaseModel):
    application_id: str
    latest: StoredScreening = Field(
        description="The screening of the content the portal submitted last"
    )
    history: list[StoredScreening] = Field(
        description="Every stored screening of the application, newest first (at most 50)"
    )
    decision: Decision | None = Field(default=None, description="The committee's latest decision")
    decisions: list[Decision] = Field(
        default_factory=list, description="Every decision recorded, newest first"
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
    reference: Reference
    parameters: dict[str, object] = Field(default_factory=dict)


class RuleCatalogue(BaseModel):
    ruleset: RulesetVersion
    contract_version: str
    rules: list[RuleEntry]
