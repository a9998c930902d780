"""Building blocks shared by the contract models (application, verdict, decision, report)."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, AwareDatetime, BaseModel, BeforeValidator, ConfigDict, Field

from .personal_number import refuse_personal_number

CONTRACT_VERSION = "2.0"
"""Version of the application contract (schemas/application.schema.json). Bumped on every change
the portal has to follow; the README's "Contract" section says what changed."""


class Model(BaseModel):
    """Base for what the service writes (verdicts, references): unknown fields are an error."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class StrictModel(BaseModel):
    """Base for what the service reads from its callers (applications, decisions, reports).

    Unknown fields are an error; text is trimmed; numbers must be finite. ``strict`` makes JSON
    input mean what it says: a date is an ISO string (never a number of seconds), a flag is
    ``true``/``false`` (never ``"yes"``), a whole number has no decimals.
    """

    model_config = ConfigDict(
        extra="forbid",
        str_strip_whitespace=True,
        frozen=True,
        strict=True,
        allow_inf_nan=False,
        use_enum_values=False,
    )


def _blank_is_absent(value: object) -> object:
    """An empty or blank answer is no answer: it becomes ``null`` and the rules say so."""
    if isinstance(value, str) and not value.strip():
        return None
    return value


APPLICATION_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]{2,63}$"
ApplicationId = Annotated[
    str,
    Field(
        pattern=APPLICATION_ID_PATTERN,
        min_length=3,
        max_length=64,
        description="The portal's id for the application (stable across resubmissions)",
        examples=["lsh-2026-0007"],
    ),
    AfterValidator(refuse_personal_number),
]
"""The one definition of an application id: routes, stores and models all use it. It is a
partition key, a log field and part of URLs, so it may never be a personal identity number."""

Name = Annotated[str, Field(min_length=1, max_length=200), AfterValidator(refuse_personal_number)]
"""A name that identifies something (an organisation, a project): required when present.
Like every text a client sends, it may not hold a personal identity number."""


def _blank_items_dropped(value: object) -> object:
    """A blank entry in a list of names (a district, a partner) is no entry, as a blank answer
    is no answer: the list is read without it."""
    if isinstance(value, list):
        return [v for v in value if not (isinstance(v, str) and not v.strip())]
    return value


NameList = Annotated[list[Name], BeforeValidator(_blank_items_dropped)]
"""Names an applicant lists (districts, partners): blank entries are left out."""

Answer = Annotated[
    Annotated[str, Field(max_length=5_000)] | None,
    BeforeValidator(_blank_is_absent),
    AfterValidator(refuse_personal_number),
    Field(default=None),
]
"""A free-text answer to one of the framework's questions. May be absent or blank (→ null):
absence is a rule result, never a schema error. The committee reads it; no rule judges its
length. A text holding a personal identity number is refused (personal_number.py)."""

ShortAnswer = Annotated[
    Annotated[str, Field(max_length=500)] | None,
    BeforeValidator(_blank_is_absent),
    AfterValidator(refuse_personal_number),
    Field(default=None),
]
"""A short free-text answer (an indicator's name, a data source, a role)."""


EARLIEST_DAY = date(1990, 1, 1)
LATEST_DAY = date(2100, 12, 31)


def within_service_years(value: date) -> date:
    """A date a loan can have: 1990–2100. Far-off dates (year 1 or 9999) are typing errors,
    and they break time-zone arithmetic downstream (reports), so they are refused as form."""
    day = value.date() if isinstance(value, datetime) else value
    if not EARLIEST_DAY <= day <= LATEST_DAY:
        raise ValueError(f"must be between {EARLIEST_DAY} and {LATEST_DAY}")
    return value


Day = Annotated[
    date, AfterValidator(within_service_years), Field(description="YYYY-MM-DD, 1990–2100")
]
"""A calendar date in what a client sends."""

Moment = Annotated[
    AwareDatetime,
    AfterValidator(within_service_years),
    Field(description="A date and time with its offset, 1990–2100"),
]
"""A point in time in what a client sends."""


class LocalizedText(Model):
    """A text in Swedish (for the committee and applicants) and English."""

    sv: str = Field(min_length=1, description="Swedish text")
    en: str = Field(min_length=1, description="English text")


class Category(StrEnum):
    """The three project categories (*projektkategorier*) of the framework."""

    housing = "housing"
    """Boende och boendemiljöer."""
    safety_accessibility = "safety_accessibility"
    """Trygghet, säkerhet och tillgänglighet."""
    health_education_sport_culture = "health_education_sport_culture"
    """Hälsa, utbildning, idrott och kultur."""


class ReferenceKind(StrEnum):
    """How much a rule or parameter may rest on its source."""

    published = "published"
    """The lender's published framework: a rule citing it may reject."""
    law = "law"
    """A Swedish statute or its preparatory works: a rule citing it may reject."""
    secondary = "secondary"
    """News and third-party pages: context for the committee, never grounds for a reject."""
    assumption = "assumption"
    """A screening policy of the rule authors: may refer, never reject."""


class Reference(Model):
    """Where a rule or parameter comes from: a document and its section, or an assumption."""

    source: str = Field(description="Id in rules/data/sources.yaml")
    publisher: str | None = None
    kind: ReferenceKind
    title: str = Field(description="The document's title, or the assumption's name")
    section: str | None = Field(default=None, description="Section, heading or page")
    url: str | None = None
    date: str | None = Field(default=None, description="Publication date (YYYY-MM-DD) if known")
    note: str | None = Field(default=None, description="Why the source supports the rule")
