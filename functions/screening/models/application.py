"""The application for an LSH loan, as the portal submits it: the API contract.

Field names are English snake_case; descriptions carry the Swedish term the framework uses.
Validation here is about *form* (types, formats, lengths, closed lists, dates in order).
Whether the content meets the framework is the rules' job (``rules/``), so a company without
an owner is a valid application that the rules then reject, with a reason.

Derived values that rules may use (``@computed_field``) are part of the model so that the
rule checker knows them and the JSON Schema documents them (serialization mode only).
"""

from __future__ import annotations

import unicodedata
from datetime import date
from enum import StrEnum
from typing import Annotated

from pydantic import AwareDatetime, Field, ValidationInfo, computed_field, field_validator

from .common import Category, StrictModel
from .organisation_number import OrganisationNumber, organisation_group

# Bounded text types: every free text has a ceiling so a body can never grow without limit.
Name = Annotated[str, Field(min_length=1, max_length=200)]
ShortText = Annotated[str, Field(min_length=1, max_length=1_000)]
LongText = Annotated[str, Field(min_length=1, max_length=5_000)]
Kronor = Annotated[int, Field(gt=0, le=100_000_000_000, strict=True, description="Whole kronor")]
Year = Annotated[int, Field(ge=1990, le=2100)]


class ApplicantType(StrEnum):
    municipality = "municipality"  # kommun
    region = "region"  # region
    municipal_company = "municipal_company"  # kommunalt bolag
    regional_company = "regional_company"  # regionalt bolag
    other = "other"  # annan organisation


class InvestmentType(StrEnum):
    """The framework's two investment types."""

    linked_intervention = "a"
    """(a) a physical investment with a linked social intervention."""
    investment_is_intervention = "b"
    """(b) a physical investment that in itself qualifies as the social intervention."""


class InvestmentKind(StrEnum):
    new_build = "new_build"  # nybyggnation
    renovation = "renovation"  # renovering
    extension = "extension"  # tillbyggnad
    conversion = "conversion"  # ombyggnad
    park_outdoor_environment = "park_outdoor_environment"  # park och utemiljö
    infrastructure = "infrastructure"  # infrastruktur
    purchase = "purchase"  # förvärv
    temporary_building = "temporary_building"  # tillfällig byggnad
    operating_cost = "operating_cost"  # driftkostnad


class DevelopmentAspect(StrEnum):
    """Grundkrav 1: how the initiative develops the field."""

    practice = "practice"  # utveckling av praktik
    innovation = "innovation"  # innovation
    quality = "quality"  # ökad kvalitet


class EvaluationFrequency(StrEnum):
    monthly = "monthly"
    quarterly = "quarterly"
    semiannually = "semiannually"
    annually = "annually"
    biennially = "biennially"
    once_at_end = "once_at_end"


class Owner(StrictModel):
    """The member (municipality or region) that owns or controls a company applicant."""

    organisation_name: Name
    organisation_number: OrganisationNumber
    ownership_share_percent: float = Field(gt=0, le=100, description="Ägarandel i procent")

    @computed_field(description="Organisation group from the first digit, e.g. public_body")
    @property
    def organisation_group(self) -> str:
        return organisation_group(self.organisation_number)


class Applicant(StrictModel):
    organisation_name: Name
    organisation_number: OrganisationNumber
    type: ApplicantType
    owner: Owner | None = Field(
        default=None, description="For a company: the owning member (ägare)"
    )
    declares_membership: bool = Field(
        description="The applicant (for a company: its owner) says it is a member of the lender"
    )

    @computed_field(description="Organisation group from the first digit, e.g. public_body")
    @property
    def organisation_group(self) -> str:
        return organisation_group(self.organisation_number)


class ContactPerson(StrictModel):
    """Personal data: never logged, never in a reason, never in a verdict."""

    name: Name
    email: str = Field(max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    phone: str = Field(max_length=20, pattern=r"^\+?[0-9 ()-]{6,20}$")


def district_key(municipality: str, district: str) -> str:
    """Normalised ``kommun/område`` key, as the vulnerable-area list is matched on."""

    def norm(text: str) -> str:
        text = unicodedata.normalize("NFC", text).casefold().strip()
        return " ".join(text.replace(" kommun", "").split())

    return f"{norm(municipality)}/{norm(district)}"


class Project(StrictModel):
    title: Name
    description: LongText
    municipality: Name = Field(description="Kommun where the investment is made")
    districts: list[Name] = Field(
        default_factory=list, max_length=20, description="Named areas (stadsdelar)"
    )
    declared_category: Category
    secondary_category: Category | None = None
    investment_type: InvestmentType
    investment_kind: InvestmentKind
    investment_description: LongText = Field(description="The physical investment")
    total_investment_sek: Kronor
    loan_amount_sek: Kronor
    start_date: date
    end_date: date
    already_carried_out: bool
    applies_for_green_loan: bool

    @field_validator("end_date")
    @classmethod
    def _end_after_start(cls, end: date, info: ValidationInfo) -> date:
        start = info.data.get("start_date")
        if start is not None and end <= start:
            raise ValueError("must be after start_date")
        return end

    @field_validator("secondary_category")
    @classmethod
    def _secondary_differs(cls, second: Category | None, info: ValidationInfo) -> Category | None:
        if second is not None and second == info.data.get("declared_category"):
            raise ValueError("must differ from declared_category")
        return second

    @computed_field(description="Years from start_date to end_date")
    @property
    def duration_years(self) -> float:
        return round((self.end_date - self.start_date).days / 365.25, 2)

    @computed_field(description="Title, description and investment description in one text")
    @property
    def full_text(self) -> str:
        return "\n".join((self.title, self.description, self.investment_description))

    @computed_field(description="Normalised kommun/område keys of the districts")
    @property
    def district_keys(self) -> list[str]:
        return [district_key(self.municipality, d) for d in self.districts]


class TargetGroup(StrictModel):
    description: LongText = Field(description="Målgrupp: who change is sought for")
    approximate_size: int = Field(ge=1, le=10_000_000, description="Approximate number of people")


class Intervention(StrictModel):
    """A social intervention (*social insats*) linked to the investment."""

    description: LongText
    partners: list[Name] = Field(default_factory=list, max_length=30)
    start_date: date | None = None
    end_date: date | None = None

    @field_validator("end_date")
    @classmethod
    def _end_after_start(cls, end: date | None, info: ValidationInfo) -> date | None:
        start = info.data.get("start_date")
        if end is not None and start is not None and end <= start:
            raise ValueError("must be after start_date")
        return end


class EffectGoal(StrictModel):
    """An effect goal (*effektmål*) with indicator, baseline and target."""

    goal: ShortText
    indicator: ShortText | None = None
    baseline_value: float | None = None
    baseline_year: Year | None = None
    target_value: float | None = None
    target_year: Year | None = None
    data_source: ShortText | None = None

    @field_validator("target_year")
    @classmethod
    def _target_after_baseline(cls, target: int | None, info: ValidationInfo) -> int | None:
        baseline = info.data.get("baseline_year")
        if target is not None and baseline is not None and target < baseline:
            raise ValueError("must not be before baseline_year")
        return target


class EvaluationPlan(StrictModel):
    method: LongText
    frequency: EvaluationFrequency
    responsible: Name
    external_evaluation: bool


class SystematicWork(StrictModel):
    """Grundkrav 2: the borrower's systematic work for social sustainability."""

    governing_document: Name | None = Field(
        default=None, description="Styrdokument, e.g. a social sustainability programme"
    )
    description: LongText = Field(description="How the initiative is part of, or develops, it")


class Development(StrictModel):
    """Grundkrav 1: development of practice, innovation and/or quality."""

    aspects: list[DevelopmentAspect] = Field(default_factory=list, max_length=3)
    justification: LongText

    @field_validator("aspects")
    @classmethod
    def _unique(cls, aspects: list[DevelopmentAspect]) -> list[DevelopmentAspect]:
        if len(set(aspects)) != len(aspects):
            raise ValueError("each aspect may be named once")
        return aspects


class SocialContent(StrictModel):
    """The five questions, effect goals, evaluation and the grundkrav material."""

    needs_and_challenges: LongText = Field(description="1. Sociala behov och utmaningar")
    target_group: TargetGroup = Field(description="2. Målgrupp")
    interventions: list[Intervention] = Field(
        default_factory=list, max_length=20, description="3. Insatser"
    )
    intervention_justification: LongText | None = Field(
        default=None,
        description="Investment type b: why the investment itself is the social intervention",
    )
    desired_change: LongText = Field(description="4. Önskad förändring för målgruppen")
    future_state: LongText = Field(description="5. Framtida tillstånd")
    effect_goals: list[EffectGoal] = Field(default_factory=list, max_length=20)
    evaluation_plan: EvaluationPlan
    systematic_work: SystematicWork
    development: Development
    time_horizon_years: int = Field(ge=1, le=100, description="Tidshorisont i år")


class Application(StrictModel):
    """An application for *Lån för Social Hållbarhet*, as submitted by the portal."""

    application_id: str = Field(
        pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{2,63}$",
        description="The portal's id for the application (stable across resubmissions)",
    )
    submitted_at: AwareDatetime
    applicant: Applicant
    contact_person: ContactPerson
    project: Project
    social_content: SocialContent
