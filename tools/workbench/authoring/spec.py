"""The rule-file format, as pydantic models: what a rule author may write in ``rules/``.

These models are the single source of the JSON Schemas in ``schemas/`` (editors autocomplete
and underline with them) and of the structural checks of ``screening rules check``. The meaning
checks (known fields, defined parameters, the severity policy, references) are in
:mod:`.compile` and :mod:`.conditions`.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, model_validator

from screening.models.common import LocalizedText, ReferenceKind
from screening.models.verdict import RuleResultKind, Severity

RULE_ID_PATTERN = r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$"
NAME_PATTERN = r"^[a-z][a-z0-9_]*$"
FIELD_PATTERN = r"^(item|[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*)$"


class SpecModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


# ---------------------------------------------------------------- references


class RuleReference(SpecModel):
    """Where a rule or parameter comes from: a source of rules/data/sources.yaml and the part
    of it that says so."""

    source: str = Field(pattern=NAME_PATTERN, description="Id in rules/data/sources.yaml")
    section: str | None = Field(default=None, description="Section, heading or page")
    note: str | None = Field(default=None, description="Why the source supports it")


# ---------------------------------------------------------------- operands


class ParamRef(SpecModel):
    """The value of a named parameter of the rule: ``{param: min_years}``."""

    param: str = Field(pattern=NAME_PATTERN)


class FieldRef(SpecModel):
    """The value of another field of the application: ``{field: project.total_investment_sek}``."""

    field: str = Field(pattern=FIELD_PATTERN)


class ListRef(SpecModel):
    """A named list from the data files: ``{list: eligible_applicant_types}``."""

    list: str = Field(pattern=NAME_PATTERN)


Scalar = str | int | float | bool
Operand = Scalar | ParamRef | FieldRef
ListOperand = list[Scalar] | ParamRef | ListRef
NumberOperand = int | float | ParamRef | FieldRef
CountOperand = int | ParamRef

# ---------------------------------------------------------------- conditions

#: The tests a field condition may name; exactly one per condition. There is deliberately no
#: test of a text's length or words: a verdict never rests on how long or how worded an answer
#: is (docs/rule-authoring.md, "What a rule may decide on").
FIELD_TESTS = (
    "equals",
    "not_equals",
    "in",
    "not_in",
    "greater_than",
    "at_least",
    "less_than",
    "at_most",
    "present",
    "count_at_least",
    "count_at_most",
)
#: Tests that earlier rule files used and that are refused now, with what to do instead.
REFUSED_TESTS = {
    "length_at_least": "a verdict may not rest on the length of a text; ask for a choice, a "
    "flag or a number, or test that the answer is present",
    "length_at_most": "a verdict may not rest on the length of a text (the schema limits sizes)",
    "contains_any": "a verdict may not rest on words in a free text; ask for a choice instead",
}


class FieldCondition(SpecModel):
    """A test of one field, e.g. ``{field: project.loan_amount_sek, at_most: {field: …}}``."""

    model_config = ConfigDict(extra="allow", frozen=True, populate_by_name=True)

    field: str = Field(pattern=FIELD_PATTERN, description="Dotted path into the application")
    equals: Operand | None = None
    not_equals: Operand | None = None
    in_: ListOperand | None = Field(default=None, alias="in")
    not_in: ListOperand | None = None
    greater_than: NumberOperand | None = None
    at_least: NumberOperand | None = None
    less_than: NumberOperand | None = None
    at_most: NumberOperand | None = None
    present: bool | None = Field(default=None, description="true: given and not empty")
    count_at_least: CountOperand | None = Field(default=None, description="Number of list items")
    count_at_most: CountOperand | None = None

    @model_validator(mode="after")
    def _exactly_one_test(self) -> FieldCondition:
        extra = sorted(self.model_extra or {})
        for key in extra:
            if key in REFUSED_TESTS:
                raise ValueError(f"'{key}' is not allowed: {REFUSED_TESTS[key]}")
        if extra:
            raise ValueError(f"unknown key '{extra[0]}' in a field condition")
        named = self.tests()
        if len(named) != 1:
            found = ", ".join(named) if named else "none"
            raise ValueError(
                f"a field condition names exactly one test ({', '.join(FIELD_TESTS)}); "
                f"found: {found}"
            )
        return self

    def tests(self) -> list[str]:
        return [t for t in FIELD_TESTS if getattr(self, "in_" if t == "in" else t) is not None]

    @property
    def test(self) -> str:
        return self.tests()[0]

    @property
    def operand(self) -> Any:
        return getattr(self, "in_" if self.test == "in" else self.test)


class AllOf(SpecModel):
    """Every condition holds."""

    all: list[Condition] = Field(min_length=1)


class AnyOf(SpecModel):
    """At least one condition holds."""

    any: list[Condition] = Field(min_length=1)


class NotCondition(SpecModel):
    """The condition does not hold."""

    not_: Condition = Field(alias="not")


class IfThen(SpecModel):
    """When ``if`` holds, ``then`` must hold too (holds whenever ``if`` does not). A failure
    names only what ``then`` lacks."""

    if_: Condition = Field(alias="if")
    then: Condition


class Some(SpecModel):
    """At least one item of a list satisfies ``where`` (false for an empty list)."""

    some: str = Field(pattern=FIELD_PATTERN, description="Path of a list")
    where: Condition


class Every(SpecModel):
    """Every item of a list satisfies ``where`` (true for an empty list: add count_at_least)."""

    every: str = Field(pattern=FIELD_PATTERN, description="Path of a list")
    where: Condition


class CategoryFits(SpecModel):
    """What is built fits the category named by a field (rules/data/categories.yaml)."""

    category_fits: str = Field(pattern=FIELD_PATTERN)


_CONDITION_MODELS: dict[str, type[BaseModel]] = {
    "all": AllOf,
    "any": AnyOf,
    "not": NotCondition,
    "if": IfThen,
    "some": Some,
    "every": Every,
    "field": FieldCondition,
    "category_fits": CategoryFits,
}
_CONDITION_TAGS = {model: tag for tag, model in _CONDITION_MODELS.items()}


def _condition_tag(value: Any) -> str | None:
    """Which kind of condition a mapping is, by the key that introduces it."""
    if isinstance(value, BaseModel):
        return _CONDITION_TAGS.get(type(value))
    if isinstance(value, dict):
        return next((key for key in value if key in _CONDITION_MODELS), None)
    return None


Condition = Annotated[
    Annotated[AllOf, Tag("all")]
    | Annotated[AnyOf, Tag("any")]
    | Annotated[NotCondition, Tag("not")]
    | Annotated[IfThen, Tag("if")]
    | Annotated[Some, Tag("some")]
    | Annotated[Every, Tag("every")]
    | Annotated[FieldCondition, Tag("field")]
    | Annotated[CategoryFits, Tag("category_fits")],
    Discriminator(
        _condition_tag,
        custom_error_type="unknown_condition",
        custom_error_message=(
            "a condition starts with one of: field, all, any, not, if, some, every, category_fits"
        ),
    ),
]

for _model in (AllOf, AnyOf, NotCondition, IfThen, Some, Every):
    _model.model_rebuild()

# ---------------------------------------------------------------- rules


class RuleKind(StrEnum):
    check = "check"
    """A requirement: passed when the condition holds, failed when not."""
    signal = "signal"
    """A signal for the committee: passed (and a note) when the condition holds, else n/a."""


class Parameter(SpecModel):
    """A named threshold or list, documented and grounded where it is set."""

    value: Scalar | list[Scalar]
    description: str = Field(min_length=1)
    reference: RuleReference


class Reasons(SpecModel):
    """Reason texts per result; see screening.ruleset.reasons for placeholders."""

    passed: LocalizedText
    failed: LocalizedText | None = None
    not_applicable: LocalizedText | None = None


class RuleExample(SpecModel):
    """A fragment merged over the base example: for screening rules an application fragment
    (``application:``, over examples/base-application.yaml), for follow-up rules a fragment of
    the follow-up (``follow_up:``, over examples/base-follow-up.yaml)."""

    description: str = Field(min_length=1)
    application: dict[str, Any] | None = None
    follow_up: dict[str, Any] | None = None
    expect: RuleResultKind
    reason_contains: str | None = Field(
        default=None, description="Text the Swedish reason must contain"
    )
    reason_contains_en: str | None = Field(
        default=None, description="Text the English reason must contain"
    )
    failed_pointers: list[str] | None = Field(
        default=None, description="The JSON pointers the failed result must name, in order"
    )


class RuleSpec(SpecModel):
    id: str = Field(pattern=RULE_ID_PATTERN, description="Stable id, e.g. grundkrav_3.target_group")
    title: LocalizedText
    requirement: str = Field(pattern=NAME_PATTERN, description="Id in data/requirements.yaml")
    reference: RuleReference = Field(description="The published requirement, law or assumption")
    kind: RuleKind = RuleKind.check
    severity: Severity = Field(description="What failing does: reject, refer or note")
    parameters: dict[str, Parameter] = Field(default_factory=dict)
    applies_when: Condition | None = Field(
        default=None, description="When false the rule is not_applicable"
    )
    condition: Condition
    reasons: Reasons
    examples: list[RuleExample] = Field(min_length=1)


class RuleFile(SpecModel):
    """One file of rules, e.g. rules/05-grundkrav.yaml."""

    schema_: str | None = Field(default=None, alias="$schema")
    description: str | None = None
    rules: list[RuleSpec] = Field(min_length=1)


# ---------------------------------------------------------------- release files


class VersionFile(SpecModel):
    """rules/VERSION: the release. Written by `screening rules bump`; never edit the hash."""

    version: str = Field(pattern=r"^[0-9A-Za-z][0-9A-Za-z.\-]{0,31}$")
    content_hash: str = Field(pattern=r"^[0-9a-f]{16}$")
    effective_from: dt.date = Field(description="In force for applications submitted from")


class ManifestFile(SpecModel):
    """rules/manifest.yaml: what the ruleset consists of. Written by `screening rules bump`."""

    schema_: str | None = Field(default=None, alias="$schema")
    subject: Literal["screening", "follow_up"] = Field(
        default="screening",
        description="What the rules read: an application (screening) or a loan's yearly "
        "effect report beside its approved application (follow_up)",
    )
    files: dict[str, list[str]] = Field(description="Rule file → the rule ids it defines")


# ---------------------------------------------------------------- data files


class SourceSpec(SpecModel):
    model_config = ConfigDict(extra="allow", frozen=True)

    kind: ReferenceKind
    title: str = Field(min_length=1)
    publisher: str | None = None
    date: dt.date | None = None
    accessed: dt.date | None = None
    url: str | None = Field(default=None, pattern=r"^https://")
    language: str | None = None
    decided_by: str | None = None


class SourcesFile(SpecModel):
    """rules/data/sources.yaml: the documents rules and parameters cite."""

    schema_: str | None = Field(default=None, alias="$schema")
    sources: dict[str, SourceSpec]


class RequirementSpec(SpecModel):
    title: LocalizedText
    description: LocalizedText | None = None
    reference: RuleReference | None = None


class RequirementsFile(SpecModel):
    """rules/data/requirements.yaml: the framework requirements rules encode, in order."""

    schema_: str | None = Field(default=None, alias="$schema")
    requirements: dict[str, RequirementSpec]


class CategorySpec(SpecModel):
    title: LocalizedText
    reference: RuleReference
    examples: LocalizedText | None = Field(
        default=None, description="The published example investments"
    )


class FacilityKindFit(SpecModel):
    fits: list[str] = Field(description="Categories this kind of facility fits")
    note: str | None = None


class CategoriesFile(SpecModel):
    """rules/data/categories.yaml: the three categories, and the decision table of what is
    built (project.facility_kinds) × category."""

    schema_: str | None = Field(default=None, alias="$schema")
    categories: dict[str, CategorySpec]
    facility_kinds: dict[str, FacilityKindFit]


class ApplicantTypeSpec(SpecModel):
    may_borrow: bool = Field(description="The lender may lend to this type")
    is_company: bool = Field(description="Must be owned or controlled by members; names its owners")
    organisation_group: str | None = Field(
        default=None, description="The group its organisation number belongs to, e.g. public_body"
    )


class ApplicantTypesFile(SpecModel):
    schema_: str | None = Field(default=None, alias="$schema")
    applicant_types: dict[str, ApplicantTypeSpec]


class VulnerableArea(SpecModel):
    name: str = Field(min_length=1, description="As the police list writes it")
    municipality: str = Field(min_length=1)
    level: Literal["particularly_vulnerable", "risk_area", "vulnerable"]
    known_as: list[str] = Field(default_factory=list)
    police_region: str | None = None
    note: str | None = None


class EditionSource(SpecModel):
    url: str
    title: str
    used_for: str | None = None


class VulnerableAreasEdition(SpecModel):
    """rules/data/vulnerable-areas/EDITION.yaml: one edition of the police list."""

    schema_: str | None = Field(default=None, alias="$schema")
    edition: str
    title: str
    publisher: str
    published: dt.date
    source_url: str | None = None
    sources: list[EditionSource] = Field(default_factory=list)
    expected_area_count: int = Field(ge=1)
    unconfirmed: list[str] = Field(default_factory=list)
    areas: list[VulnerableArea] = Field(min_length=1)


class FieldLabelSpec(SpecModel):
    sv: str = Field(min_length=1)
    en: str = Field(min_length=1)
    format: str | None = Field(default=None, description="kr, percent, or a unit of `units`")
    pointer: str | None = Field(default=None, description="JSON pointer of the answer to fix")


class ItemLabelSpec(SpecModel):
    sv: str = Field(min_length=1, description="e.g. 'effektmål {number}'")
    en: str = Field(min_length=1)
    title: str | None = Field(default=None, description="The item field that names it")


class UnitSpec(SpecModel):
    sv: dict[Literal["one", "other"], str]
    en: dict[Literal["one", "other"], str]


class LabelsFile(SpecModel):
    """rules/data/labels.yaml: how values, fields, list items and units are written."""

    schema_: str | None = Field(default=None, alias="$schema")
    values: dict[str, dict[str, LocalizedText]] = Field(
        description="Every value of every closed list in the API"
    )
    fields: dict[str, FieldLabelSpec] = Field(description="Fields rules read, by model path")
    items: dict[str, ItemLabelSpec] = Field(default_factory=dict)
    units: dict[str, UnitSpec] = Field(default_factory=dict)


class WholeApplicationExample(SpecModel):
    file: str = Field(description="Path of an application JSON, relative to this file")
    outcome: Literal["eligible", "needs_review", "ineligible"]
    results: dict[str, RuleResultKind] = Field(
        default_factory=dict, description="Expected results of named rules"
    )
    matched_categories: list[str] | None = None


class ApplicationExamplesFile(SpecModel):
    """rules/examples/applications.yaml: whole applications and their expected outcome."""

    schema_: str | None = Field(default=None, alias="$schema")
    applications: list[WholeApplicationExample] = Field(min_length=1)


# ---------------------------------------------------------------- follow-up data


class IndicatorSpec(SpecModel):
    """One indicator of the lender's list: the thread between applications and reports."""

    title: LocalizedText
    definition: LocalizedText = Field(description="What exactly is counted or measured")
    unit: str = Field(min_length=1, description="As borrowers write it, e.g. procent, personer")
    version: int = Field(
        ge=1, description="Moves when the definition changes: a break in every series"
    )
    additive: bool = Field(
        description="Values of different loans may be added up (people, jobs), or not (shares)"
    )
    reference: RuleReference


class IndicatorsFile(SpecModel):
    """rules/follow-up/data/indicators.yaml: the lender's indicators, and how portfolio figures
    count a loan's effect."""

    schema_: str | None = Field(default=None, alias="$schema")
    attribution: Literal["whole", "financed_share"] = Field(
        description="Portfolio figures count each project's whole effect, or the share the "
        "loan finances (loan amount / total investment)"
    )
    attribution_reference: RuleReference
    indicators: dict[str, IndicatorSpec] = Field(
        description="Indicator id (as applications write it in indicator_id) → its definition"
    )
