"""The application for an LSH loan, as the portal submits it: the API contract (version 2).

Field names are English snake_case; descriptions carry the Swedish term the framework uses.

**Form and content.** This model rejects (422) only what makes an application unreadable or
untrustworthy as data: types, formats, identifiers, amounts, dates in order, closed lists, size
limits and unknown fields. Every *answer* to the framework's questions may be absent or blank —
the five questions, target group, interventions, effect goals, evaluation, systematic work,
development and time horizon. An absent answer is a rule result with a reason, and the
verdict is still given (docs/rule-authoring.md, "Form and content").

Where the framework asks something checkable, the contract asks it as a choice, a flag or a
number (an effect goal's effect area, the target group's kinds, the yearly report to the
lender); free text is what the committee reads.

Derived values that rules may use (``@computed_field``) are part of the model so that the
rule checker knows them and the JSON Schema documents them (serialization mode only).
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated, TypeVar

from pydantic import Field, ValidationInfo, computed_field, field_validator

from .common import (
    Answer,
    ApplicationId,
    Category,
    Day,
    Moment,
    Name,
    NameList,
    ShortAnswer,
    StrictModel,
)
from .organisation_number import OrganisationGroup, OrganisationNumber, organisation_group

Kronor = Annotated[int, Field(gt=0, le=100_000_000_000, description="Whole kronor")]
Year = Annotated[int, Field(ge=1990, le=2100)]
Percent = Annotated[float, Field(gt=0, le=100)]
IndicatorId = Annotated[
    str,
    Field(
        pattern=r"^[a-z][a-z0-9_.-]{1,63}$",
        description="An indicator's id: from the lender's indicator list "
        "(rules/follow-up/data/indicators.yaml) or the borrower's own",
        examples=["perceived_safety_evening"],
    ),
]
Measurement = Annotated[
    float,
    Field(ge=-1_000_000_000, le=1_000_000_000, description="A measured or targeted value"),
]


# ------------------------------------------------------------------ closed lists


class ApplicantType(StrEnum):
    municipality = "municipality"  # kommun
    region = "region"  # region
    municipal_federation = "municipal_federation"  # kommunalförbund
    municipal_company = "municipal_company"  # kommunalt bolag
    regional_company = "regional_company"  # regionalt bolag
    municipal_foundation = "municipal_foundation"  # kommunal stiftelse
    other = "other"  # annan organisation


class InvestmentType(StrEnum):
    """The framework's two investment types."""

    linked_intervention = "a"
    """(a) a physical investment with a linked social intervention."""
    investment_is_intervention = "b"
    """(b) a physical investment that in itself qualifies as the social intervention."""


class InvestmentKind(StrEnum):
    """What the loan pays for: the kind of works, or operating costs (never financed)."""

    new_build = "new_build"  # nybyggnation
    renovation = "renovation"  # renovering, upprustning
    extension = "extension"  # tillbyggnad
    conversion = "conversion"  # ombyggnad
    purchase = "purchase"  # förvärv
    temporary_building = "temporary_building"  # tillfällig byggnad
    operating_cost = "operating_cost"  # driftkostnad


class FacilityKind(StrEnum):
    """What is built or improved; the category table (rules/data/categories.yaml) reads it."""

    housing = "housing"  # bostäder
    residential_common_space = "residential_common_space"  # tvättstuga, trapphus, lokaler
    district_centre = "district_centre"  # stadsdels- eller områdescentrum
    outdoor_environment = "outdoor_environment"  # utemiljö, gårdar, belysning, stråk
    park = "park"  # park, lekplats, dagvattenpark
    rescue_service_facility = "rescue_service_facility"  # räddningstjänst
    elderly_care_facility = "elderly_care_facility"  # äldreomsorg, trygghetsboende
    family_centre = "family_centre"  # familjecentral
    preschool = "preschool"  # förskola
    school = "school"  # skola
    culture_facility = "culture_facility"  # kulturhus
    library = "library"  # bibliotek
    sports_facility = "sports_facility"  # idrottshall, idrottsplats
    youth_centre = "youth_centre"  # fritidsgård, aktivitetshus
    health_care_facility = "health_care_facility"  # vårdcentral, hälsocenter
    meeting_place = "meeting_place"  # mötesplats, föreningslokal
    other = "other"  # annat


class TargetGroupKind(StrEnum):
    """Who change is sought for (grundkrav 3)."""

    residents_of_area = "residents_of_area"  # boende i namngivna områden
    tenants = "tenants"  # hyresgäster
    children_and_youth = "children_and_youth"  # barn och unga
    pupils = "pupils"  # elever
    elderly = "elderly"  # äldre
    newly_arrived = "newly_arrived"  # nyanlända
    unemployed = "unemployed"  # arbetslösa
    people_with_disabilities = "people_with_disabilities"  # personer med funktionsnedsättning
    families_with_children = "families_with_children"  # barnfamiljer
    whole_population = "whole_population"  # hela befolkningen
    other = "other"  # annan grupp


class EffectArea(StrEnum):
    """The social effect an effect goal is about (the framework's examples)."""

    reduced_exclusion = "reduced_exclusion"  # minskat utanförskap
    increased_safety = "increased_safety"  # ökad trygghet
    employment = "employment"  # sysselsättning
    health = "health"  # hälsa
    education = "education"  # utbildning
    housing_stability = "housing_stability"  # stabilt boende
    participation_and_influence = "participation_and_influence"  # delaktighet och inflytande
    accessibility = "accessibility"  # tillgänglighet
    other = "other"  # annan effekt


class MeasurementCadence(StrEnum):
    """How often the effect is measured (apart from the yearly report to the lender)."""

    monthly = "monthly"
    quarterly = "quarterly"
    semiannually = "semiannually"
    annually = "annually"
    biennially = "biennially"
    once_at_end = "once_at_end"


class DevelopmentAspect(StrEnum):
    """Grundkrav 1: how the initiative develops the field."""

    practice = "practice"  # utveckling av praktik
    innovation = "innovation"  # innovation
    quality = "quality"  # ökad kvalitet


class SystematicWorkRelation(StrEnum):
    """Grundkrav 2: part of the borrower's systematic work, or helps develop it."""

    part_of = "part_of"  # del av det systematiska arbetet
    develops = "develops"  # bidrar till att utveckla det


_T = TypeVar("_T")


def _unique(values: list[_T]) -> list[_T]:
    if len(set(values)) != len(values):
        raise ValueError("each value may be named once")
    return values


# ------------------------------------------------------------------ the applicant


class Owner(StrictModel):
    """An owner (for a foundation or a kommunalförbund: a principal, huvudman) of an applicant
    that a member must control: a municipality, a region, or a company they control."""

    organisation_name: Name
    organisation_number: OrganisationNumber
    ownership_share_percent: Percent | None = Field(
        default=None,
        description="Ägarandel i procent (absent: no answer, for borrower.company_owners_given "
        "to refer)",
    )
    controlled_by_members: bool | None = Field(
        default=None,
        description="For an owner that is itself a company (e.g. a municipal parent company, "
        "stadshus-AB): municipalities or regions own or control it",
    )

    @computed_field(  # type: ignore[prop-decorator]
        description="Organisation group from the first digit, e.g. public_body"
    )
    @property
    def organisation_group(self) -> OrganisationGroup:
        return organisation_group(self.organisation_number)


class Applicant(StrictModel):
    organisation_name: Name
    organisation_number: OrganisationNumber
    type: ApplicantType
    owners: list[Owner] = Field(
        default_factory=list,
        max_length=20,
        description="For a company, foundation or kommunalförbund: who owns or controls it",
    )
    declares_membership: bool | None = Field(
        default=None,
        description="The applicant (for a company: its owner) says it is a member of the lender",
    )

    @field_validator("owners")
    @classmethod
    def _shares_add_up(cls, owners: list[Owner]) -> list[Owner]:
        # Owners holding more than the whole company is not a readable answer.
        if sum(o.ownership_share_percent or 0.0 for o in owners) > 100.000001:
            raise ValueError("the owners' shares add up to more than 100 percent")
        return owners

    @computed_field(  # type: ignore[prop-decorator]
        description="Organisation group from the first digit, e.g. public_body"
    )
    @property
    def organisation_group(self) -> OrganisationGroup:
        return organisation_group(self.organisation_number)

    @computed_field(  # type: ignore[prop-decorator]
        description="Share (percent) held by municipalities and regions, directly (organisation "
        "numbers starting with 2) or through companies they control, as the application states"
    )
    @property
    def member_share_percent(self) -> float:
        held = sum(
            o.ownership_share_percent or 0.0
            for o in self.owners
            if o.organisation_group is OrganisationGroup.public_body or o.controlled_by_members
        )
        return round(held, 2)

    @computed_field(  # type: ignore[prop-decorator]
        description="The owners' names, for reasons"
    )
    @property
    def owner_names(self) -> list[str]:
        return [o.organisation_name for o in self.owners]


class ContactPerson(StrictModel):
    """Personal data: never logged, never stored, never in a reason, verdict or report."""

    name: Name
    email: str = Field(max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    phone: str | None = Field(default=None, max_length=20, pattern=r"^\+?[0-9 ()-]{6,20}$")


# ------------------------------------------------------------------ the project


class Project(StrictModel):
    title: Name
    description: Answer = Field(description="The project in a few sentences")
    municipality: Name = Field(description="Kommun where the investment is made")
    districts: NameList = Field(
        default_factory=list, max_length=20, description="Named areas (stadsdelar, områden)"
    )
    declared_category: Category
    secondary_category: Category | None = None
    investment_type: InvestmentType
    investment_kind: InvestmentKind = Field(description="What the loan pays for")
    facility_kinds: list[FacilityKind] = Field(
        default_factory=list, max_length=10, description="What is built or improved"
    )
    investment_description: Answer = Field(description="The physical investment")
    total_investment_sek: Kronor
    loan_amount_sek: Kronor
    start_date: Day
    end_date: Day = Field(description="Must be after start_date")
    already_carried_out: bool
    applies_for_green_loan: bool

    _facility_kinds_unique = field_validator("facility_kinds")(_unique)

    @field_validator("secondary_category")
    @classmethod
    def _secondary_differs(cls, second: Category | None, info: ValidationInfo) -> Category | None:
        if second is not None and second == info.data.get("declared_category"):
            raise ValueError("must differ from declared_category")
        return second

    @field_validator("end_date")
    @classmethod
    def _end_after_start(cls, end: date, info: ValidationInfo) -> date:
        start = info.data.get("start_date")
        if start is not None and end <= start:
            raise ValueError("must be after start_date")
        return end


# ------------------------------------------------------------------ the social content


class Evidence(StrictModel):
    """A figure behind the social needs, with where it comes from."""

    fact: ShortAnswer = Field(
        description="The figure in words, e.g. '38 % of adults are not employed' (blank: no "
        "answer, for social_effect.needs_evidenced to refer)"
    )
    source: ShortAnswer = Field(description="Where it comes from, e.g. SCB, a survey")
    year: Year | None = None


class Needs(StrictModel):
    """Question 1: the social needs and challenges."""

    description: Answer = Field(description="1. Sociala behov och utmaningar")
    evidence: list[Evidence] = Field(
        default_factory=list, max_length=20, description="Figures behind the needs"
    )


class TargetGroup(StrictModel):
    """Question 2: for whom change is sought (grundkrav 3)."""

    kinds: list[TargetGroupKind] = Field(default_factory=list, max_length=11)
    description: Answer = Field(description="Målgrupp in the applicant's words")
    districts: NameList = Field(
        default_factory=list, max_length=20, description="Where the target group lives"
    )
    approximate_size: int | None = Field(
        default=None, ge=1, le=10_000_000, description="Approximate number of people"
    )

    _kinds_unique = field_validator("kinds")(_unique)


class Intervention(StrictModel):
    """Question 3: a social intervention (*social insats*) linked to the investment."""

    description: Answer
    partners: NameList = Field(default_factory=list, max_length=30)
    start_date: Day | None = None
    end_date: Day | None = None

    @field_validator("end_date")
    @classmethod
    def _end_after_start(cls, end: date | None, info: ValidationInfo) -> date | None:
        start = info.data.get("start_date")
        if end is not None and start is not None and end <= start:
            raise ValueError("must be after start_date")
        return end


class EffectGoal(StrictModel):
    """An effect goal (*effektmål*): the effect area, an indicator, baseline and target."""

    effect_area: EffectArea | None = Field(default=None, description="Which social effect")
    goal: ShortAnswer = Field(description="The goal in words, e.g. 'Ökad trygghet kvällstid'")
    indicator: ShortAnswer = Field(description="What is measured")
    indicator_id: IndicatorId | None = Field(
        default=None,
        description="The indicator's id; the thread between the application and the yearly "
        "effect reports (the lender's list, or the borrower's own)",
    )
    unit: ShortAnswer = Field(description="The indicator's unit, e.g. percent, people")
    baseline_value: Measurement | None = None
    baseline_year: Year | None = None
    target_value: Measurement | None = None
    target_year: Year | None = None
    data_source: ShortAnswer = None

    @field_validator("target_year")
    @classmethod
    def _target_after_baseline(cls, target: int | None, info: ValidationInfo) -> int | None:
        baseline = info.data.get("baseline_year")
        if target is not None and baseline is not None and target < baseline:
            raise ValueError("must not be before baseline_year")
        return target


class Evaluation(StrictModel):
    """Grundkrav 5: how results are followed up and reported."""

    measurement_cadence: MeasurementCadence | None = Field(
        default=None, description="How often the effect is measured"
    )
    reports_yearly_to_lender: bool | None = Field(
        default=None, description="The borrower will report to the lender every year"
    )
    external_evaluation: bool | None = None
    responsible: ShortAnswer = Field(description="Responsible role (not a person's name)")
    method: Answer = Field(description="How results are evaluated")


class SystematicWork(StrictModel):
    """Grundkrav 2: the borrower's systematic work for social sustainability."""

    relation: SystematicWorkRelation | None = Field(
        default=None, description="Part of the systematic work, or helps develop it"
    )
    governing_document: ShortAnswer = Field(
        description="Styrdokument, e.g. a social sustainability programme"
    )
    description: Answer = Field(description="How the initiative is part of, or develops, it")


class Development(StrictModel):
    """Grundkrav 1: development of practice, innovation and/or quality."""

    aspects: list[DevelopmentAspect] = Field(default_factory=list, max_length=3)
    justification: Answer

    _aspects_unique = field_validator("aspects")(_unique)


class SocialContent(StrictModel):
    """The five questions, effect goals, evaluation and the grundkrav material. Every answer
    may be absent: the rules say which are missing."""

    needs: Needs | None = Field(default=None, description="1. Sociala behov och utmaningar")
    target_group: TargetGroup | None = Field(default=None, description="2. Målgrupp")
    interventions: list[Intervention] = Field(
        default_factory=list, max_length=20, description="3. Insatser"
    )
    intervention_justification: Answer = Field(
        description="Investment type b: why the investment itself is the social intervention"
    )
    desired_change: Answer = Field(description="4. Önskad förändring för målgruppen")
    future_state: Answer = Field(description="5. Framtida tillstånd")
    effect_goals: list[EffectGoal] = Field(default_factory=list, max_length=20)
    evaluation: Evaluation | None = None
    systematic_work: SystematicWork | None = None
    development: Development | None = None
    time_horizon_years: int | None = Field(default=None, ge=1, le=100, description="Tidshorisont")


class Application(StrictModel):
    """An application for *Lån för Social Hållbarhet*, as submitted by the portal."""

    application_id: ApplicationId
    submitted_at: Moment
    applicant: Applicant
    contact_person: ContactPerson | None = Field(
        default=None, description="Personal data: used by the portal only, never stored here"
    )
    project: Project
    social_content: SocialContent = Field(default_factory=lambda: SocialContent.model_validate({}))
