"""The rule-file format, as pydantic models: what a rule author may write in ``rules/*.yaml``.

These models are the single source of ``schemas/rule-file.schema.json`` (editors autocomplete
and underline with it) and of the structural checks of ``screening rules check``. The meaning
checks (known fields, defined parameters, types) live in :mod:`screening.ruleset.checker`.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    model_validator,
)

from ..models.common import LocalizedText
from ..models.verdict import RuleResultKind, Severity

RULE_ID_PATTERN = r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$"
NAME_PATTERN = r"^[a-z][a-z0-9_]*$"
FIELD_PATTERN = r"^(item|[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*)$"


class SpecModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


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
KeywordsOperand = list[str] | ParamRef | ListRef

# ---------------------------------------------------------------- conditions

#: The tests a field condition may name; exactly one per condition.
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
    "length_at_least",
    "length_at_most",
    "count_at_least",
    "count_at_most",
    "contains_any",
)


class FieldCondition(SpecModel):
    """A test of one field, e.g. ``{field: project.loan_amount_sek, at_most: {field: …}}``."""

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
    length_at_least: CountOperand | None = Field(default=None, description="Text length")
    length_at_most: CountOperand | None = None
    count_at_least: CountOperand | None = Field(default=None, description="Number of list items")
    count_at_most: CountOperand | None = None
    contains_any: KeywordsOperand | None = Field(
        default=None, description="Text contains one of these lower-case words or word stems"
    )

    @model_validator(mode="after")
    def _exactly_one_test(self) -> FieldCondition:
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


class Some(SpecModel):
    """At least one item of a list satisfies ``where`` (false for an empty list)."""

    some: str = Field(pattern=FIELD_PATTERN, description="Path of a list")
    where: Condition


class Every(SpecModel):
    """Every item of a list satisfies ``where`` (true for an empty list: add count_at_least)."""

    every: str = Field(pattern=FIELD_PATTERN, description="Path of a list")
    where: Condition


class CategoryFits(SpecModel):
    """The category named by a field fits the project (see rules/data/categories.yaml)."""

    category_fits: str = Field(pattern=FIELD_PATTERN)


_CONDITION_MODELS: dict[str, type[BaseModel]] = {
    "all": AllOf,
    "any": AnyOf,
    "not": NotCondition,
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
    | Annotated[Some, Tag("some")]
    | Annotated[Every, Tag("every")]
    | Annotated[FieldCondition, Tag("field")]
    | Annotated[CategoryFits, Tag("category_fits")],
    Discriminator(
        _condition_tag,
        custom_error_type="unknown_condition",
        custom_error_message=(
            "a condition starts with one of: field, all, any, not, some, every, category_fits"
        ),
    ),
]

for _model in (AllOf, AnyOf, NotCondition, Some, Every):
    _model.model_rebuild()

# ---------------------------------------------------------------- rules


class RuleKind(StrEnum):
    check = "check"
    """A requirement: passed when the condition holds, failed when not."""
    signal = "signal"
    """A signal for the committee: passed (and a note) when the condition holds, else n/a."""


class Parameter(SpecModel):
    """A named threshold or list, documented where it is set."""

    value: Scalar | list[Scalar]
    description: str = Field(min_length=1)


class Reasons(SpecModel):
    """Reason texts per result; ``{path}`` inserts a value, ``{path:kr}`` formats kronor."""

    passed: LocalizedText
    failed: LocalizedText | None = None
    not_applicable: LocalizedText | None = None


class RuleExample(SpecModel):
    """An application fragment (merged over rules/examples/base-application.yaml)."""

    description: str = Field(min_length=1)
    application: dict[str, Any] = Field(default_factory=dict)
    expect: RuleResultKind
    reason_contains: str | None = Field(
        default=None, description="Text the Swedish reason must contain"
    )


class RuleSpec(SpecModel):
    id: str = Field(pattern=RULE_ID_PATTERN, description="Stable id, e.g. grundkrav_3.target_group")
    title: LocalizedText
    requirement: str = Field(pattern=NAME_PATTERN, description="Id in data/requirements.yaml")
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


# ---------------------------------------------------------------- data files


class RequirementSpec(SpecModel):
    title: LocalizedText
    description: LocalizedText | None = None


class RequirementsFile(SpecModel):
    """rules/data/requirements.yaml: the framework requirements rules encode, in order."""

    schema_: str | None = Field(default=None, alias="$schema")
    requirements: dict[str, RequirementSpec]


class CategorySpec(SpecModel):
    title: LocalizedText
    investment_kinds: list[str] = Field(min_length=1)
    keywords: list[str] = Field(min_length=1)


class CategoriesFile(SpecModel):
    """rules/data/categories.yaml: a project fits a category when its investment kind is one of
    the category's kinds and its text contains at least one of the category's keywords."""

    schema_: str | None = Field(default=None, alias="$schema")
    categories: dict[str, CategorySpec]


class ApplicantTypeSpec(SpecModel):
    may_borrow: bool = Field(description="The lender may lend to this type")
    is_company: bool = Field(description="A company, which must be owned or controlled by a member")


class ApplicantTypesFile(SpecModel):
    schema_: str | None = Field(default=None, alias="$schema")
    applicant_types: dict[str, ApplicantTypeSpec]


class VulnerableArea(SpecModel):
    municipality: str = Field(min_length=1)
    area: str = Field(min_length=1)
    level: Literal["utsatt", "särskilt utsatt"]


class VulnerableAreasFile(SpecModel):
    schema_: str | None = Field(default=None, alias="$schema")
    source: str
    areas: list[VulnerableArea] = Field(min_length=1)


class LabelsFile(SpecModel):
    """rules/data/labels.yaml: sv/en labels for every value of every closed list."""

    schema_: str | None = Field(default=None, alias="$schema")
    labels: dict[str, dict[str, LocalizedText]]


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
