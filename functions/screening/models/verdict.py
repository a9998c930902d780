"""The verdict: what the screening returns for one application (the API's response)."""

from __future__ import annotations

from enum import StrEnum

from pydantic import AwareDatetime, Field

from .application import (
    ApplicantType,
    Application,
    InvestmentKind,
    InvestmentType,
)
from .common import Category, LocalizedText, StrictModel


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

    reject = "reject"  # failed → ineligible
    refer = "refer"  # failed → needs_review (a person's judgement is needed)
    note = "note"  # never changes the outcome


class Requirement(StrictModel):
    """The framework requirement a rule encodes, e.g. grundkrav 3."""

    id: str
    title: LocalizedText


class RuleResult(StrictModel):
    rule_id: str
    title: LocalizedText
    requirement: Requirement
    result: RuleResultKind
    severity: Severity = Field(description="What the rule does to the outcome when it fails")
    reason: LocalizedText = Field(description="Why, citing the deciding facts")


class Note(StrictModel):
    """A signal for the committee that never changes the outcome."""

    rule_id: str
    text: LocalizedText


class CategoryFit(StrictModel):
    declared: list[Category] = Field(description="Declared category, then the second if any")
    matched: list[Category] = Field(
        description="Categories whose investment kinds and keywords the project matches"
    )
    declared_matches: bool = Field(description="The declared (first) category is among matched")


class RulesetVersion(StrictModel):
    version: str = Field(description="Version written in rules/VERSION")
    content_hash: str = Field(description="sha256 over the rule files, first 16 hex digits")

    def __str__(self) -> str:
        return f"{self.version}+{self.content_hash}"


class EffectGoalSummary(StrictModel):
    goal: str
    indicator: str | None
    baseline_value: float | None
    baseline_year: int | None
    target_value: float | None
    target_year: int | None


class ApplicationSummary(StrictModel):
    """What the committee needs to recognise the application. Holds no personal data."""

    organisation_name: str
    organisation_number: str
    applicant_type: ApplicantType
    project_title: str
    municipality: str
    districts: list[str]
    investment_type: InvestmentType
    investment_kind: InvestmentKind
    total_investment_sek: int
    loan_amount_sek: int
    submitted_at: AwareDatetime
    effect_goals: list[EffectGoalSummary]

    @classmethod
    def of(cls, application: Application) -> ApplicationSummary:
        project = application.project
        return cls(
            organisation_name=application.applicant.organisation_name,
            organisation_number=application.applicant.organisation_number,
            applicant_type=application.applicant.type,
            project_title=project.title,
            municipality=project.municipality,
            districts=list(project.districts),
            investment_type=project.investment_type,
            investment_kind=project.investment_kind,
            total_investment_sek=project.total_investment_sek,
            loan_amount_sek=project.loan_amount_sek,
            submitted_at=application.submitted_at,
            effect_goals=[
                EffectGoalSummary(
                    goal=g.goal,
                    indicator=g.indicator,
                    baseline_value=g.baseline_value,
                    baseline_year=g.baseline_year,
                    target_value=g.target_value,
                    target_year=g.target_year,
                )
                for g in application.social_content.effect_goals
            ],
        )


class Verdict(StrictModel):
    """The pre-screening verdict. It never grants a loan; the committee decides."""

    application_id: str
    outcome: Outcome
    category_fit: CategoryFit
    rules: list[RuleResult] = Field(description="Every rule of the ruleset, in ruleset order")
    notes: list[Note]
    ruleset: RulesetVersion
    screened_at: AwareDatetime
    application: ApplicationSummary

    @staticmethod
    def outcome_of(results: list[RuleResult]) -> Outcome:
        """Any failed ``reject`` → ineligible; else any failed ``refer`` → needs_review."""
        failed = {r.severity for r in results if r.result is RuleResultKind.failed}
        if Severity.reject in failed:
            return Outcome.ineligible
        if Severity.refer in failed:
            return Outcome.needs_review
        return Outcome.eligible


__all__ = [
    "ApplicationSummary",
    "CategoryFit",
    "Note",
    "Outcome",
    "Requirement",
    "RuleResult",
    "RuleResultKind",
    "RulesetVersion",
    "Severity",
    "Verdict",
]
