"""The verdict: what the screening returns for one application (the API's response)."""

from __future__ import annotations

from enum import StrEnum

from pydantic import AwareDatetime, Field

from .application import ApplicantType, EffectArea, FacilityKind, InvestmentKind, InvestmentType
from .common import Category, LocalizedText, Model, Reference


class Outcome(StrEnum):
    eligible = "eligible"
    needs_review = "needs_review"
    ineligible = "ineligible"


class RuleResultKind(StrEnum):
    passed = "passed"
    failed = "failed"
    not_applicable = "not_applicable"


class Severity(StrEnum):
    """What a failing rule does to the outcome."""

    reject = "reject"  # failed → ineligible (only on a fact, against a published requirement)
    refer = "refer"  # failed → needs_review (a person's judgement is needed)
    note = "note"  # never changes the outcome


def outcome_of(failed_severities: set[Severity]) -> Outcome:
    """Any failed ``reject`` → ineligible; else any failed ``refer`` → needs_review."""
    if Severity.reject in failed_severities:
        return Outcome.ineligible
    if Severity.refer in failed_severities:
        return Outcome.needs_review
    return Outcome.eligible


class Requirement(Model):
    """The framework requirement a rule encodes, e.g. grundkrav 3."""

    id: str
    title: LocalizedText


class FailedPart(Model):
    """One answer to fix: where it is (a JSON pointer into the application) and what is wrong."""

    pointer: str = Field(
        description="JSON pointer of the answer, e.g. /social_content/effect_goals/1/baseline_year"
    )
    text: LocalizedText


class RuleResult(Model):
    rule_id: str
    title: LocalizedText
    requirement: Requirement
    result: RuleResultKind
    severity: Severity = Field(description="What the rule does to the outcome when it fails")
    reason: LocalizedText = Field(description="Why, citing the deciding facts")
    reference: Reference = Field(description="The published requirement or assumption it rests on")
    failed_parts: list[FailedPart] = Field(
        default_factory=list,
        description="For a failed result: each answer to fix, so the portal can go straight to it",
    )


class Note(Model):
    """A signal for the committee that never changes the outcome."""

    rule_id: str
    text: LocalizedText


class CategoryFit(Model):
    declared: list[Category] = Field(description="Declared category, then the second if any")
    matched: list[Category] = Field(
        description="Categories that what is built fits (rules/data/categories.yaml)"
    )
    declared_matches: bool = Field(description="The declared (first) category is among matched")


class RulesetVersion(Model):
    version: str = Field(description="Version recorded in rules/VERSION")
    content_hash: str = Field(description="sha256 over the rule files, first 16 hex digits")
    effective_from: str | None = Field(
        default=None, description="The release is in force for applications submitted from"
    )

    def __str__(self) -> str:
        return f"{self.version}+{self.content_hash}"


class EffectGoalSummary(Model):
    effect_area: EffectArea | None
    goal: str | None
    indicator: str | None
    unit: str | None
    baseline_value: float | None
    baseline_year: int | None
    target_value: float | None
    target_year: int | None


class ApplicationSummary(Model):
    """What the committee needs to recognise the application. Holds no personal data."""

    organisation_name: str
    organisation_number: str
    applicant_type: ApplicantType
    project_title: str
    municipality: str
    districts: list[str]
    declared_category: Category
    investment_type: InvestmentType
    investment_kind: InvestmentKind
    facility_kinds: list[FacilityKind]
    total_investment_sek: int
    loan_amount_sek: int
    submitted_at: AwareDatetime
    effect_goals: list[EffectGoalSummary]


class Verdict(Model):
    """The pre-screening verdict. It never grants a loan; the committee decides."""

    application_id: str
    outcome: Outcome
    category_fit: CategoryFit
    rules: list[RuleResult] = Field(description="Every rule of the ruleset, in ruleset order")
    notes: list[Note]
    ruleset: RulesetVersion
    contract_version: str = Field(description="Version of the application contract screened")
    screened_at: AwareDatetime
    application: ApplicationSummary


__all__ = [
    "ApplicationSummary",
    "CategoryFit",
    "EffectGoalSummary",
    "FailedPart",
    "Note",
    "Outcome",
    "Requirement",
    "RuleResult",
    "RuleResultKind",
    "RulesetVersion",
    "Severity",
    "Verdict",
    "outcome_of",
]
