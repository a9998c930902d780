"""What a ruleset's rules read — its *subject* — and how its examples are built.

Two rulesets share one rule language, one checker and one engine:

* ``screening`` (``rules/``): the rules read an application;
* ``follow_up`` (``rules/follow-up/``): the rules read a follow-up case, built from a granted
  loan's approved application and its yearly effect report (screening.follow_up.case).

The manifest names the subject (``subject: follow_up``; screening when absent). A subject gives
the fields a rule may name, the values a reason may cite beside them, its base example, and
which data files it needs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from screening.models.application import Application
from screening.models.effect_report import EffectReport
from screening.models.follow_up import FollowUpCase
from screening.ruleset.compiled import FOLLOW_UP, SCREENING
from screening.validation import BodyInvalid, FieldError, parse_application, parse_as

from .fields import APPLICATION_FIELDS, FieldCatalog, FieldInfo, catalogue_of
from .yamlfile import load_yaml


@dataclass(frozen=True)
class Subject:
    name: str
    fields: FieldCatalog
    context_fields: dict[str, FieldInfo]  # what a reason may cite beside the fields
    base_example: str  # relative to the rules folder
    example_key: str  # the key of a rule example's fragment
    screening_data: bool  # categories, applicant types and the police list are needed


SCREENING_SUBJECT = Subject(
    name=SCREENING,
    fields=APPLICATION_FIELDS,
    context_fields={
        "category_fit.matched": FieldInfo("category_fit.matched", "list", item_kind="enum"),
        "category_fit.declared": FieldInfo("category_fit.declared", "list", item_kind="enum"),
    },
    base_example="examples/base-application.yaml",
    example_key="application",
    screening_data=True,
)

FOLLOW_UP_SUBJECT = Subject(
    name=FOLLOW_UP,
    fields=catalogue_of(FollowUpCase),
    context_fields={},
    base_example="examples/base-follow-up.yaml",
    example_key="follow_up",
    screening_data=False,
)

SUBJECTS = {s.name: s for s in (SCREENING_SUBJECT, FOLLOW_UP_SUBJECT)}


@dataclass(frozen=True)
class FollowUpInput:
    """A follow-up example: the approved application, the year, its report (None: none came),
    the earlier years' reports and the day of the check."""

    application: Application
    reporting_year: int
    report: EffectReport | None
    history: list[EffectReport]
    checked_on: date


def follow_up_input(document: Mapping[str, Any], folder: Path) -> FollowUpInput:
    """Build a follow-up example from its document (``examples/base-follow-up.yaml`` with a
    rule example's fragment merged over it). The approved application is given inline
    (``application:``) or as a file relative to the examples folder (``application_file:``)."""
    errors: list[FieldError] = []
    application = None
    source = document.get("application")
    if source is None and document.get("application_file"):
        path = (folder / str(document["application_file"])).resolve()
        try:
            source = load_yaml(path).data
        except (OSError, ValueError) as error:
            errors.append(FieldError("application_file", f"cannot read {path}: {error}"))
    if source is None and not errors:
        errors.append(FieldError("application", "is required (or application_file)"))
    if source is not None:
        try:
            application = parse_application(source)
        except BodyInvalid as error:
            errors += [FieldError(f"application.{e.field}", e.message) for e in error.errors]
    year = document.get("reporting_year")
    if not isinstance(year, int):
        errors.append(FieldError("reporting_year", "must be a year, e.g. 2028"))
    checked_on = document.get("checked_on")
    if isinstance(checked_on, str):
        try:
            checked_on = date.fromisoformat(checked_on)
        except ValueError:
            checked_on = None
    if not isinstance(checked_on, date):
        errors.append(FieldError("checked_on", "must be a date written YYYY-MM-DD"))
    report = None
    if document.get("report") is not None:
        try:
            report = parse_as(EffectReport, document["report"])
        except BodyInvalid as error:
            errors += [FieldError(f"report.{e.field}", e.message) for e in error.errors]
    history = []
    for index, earlier in enumerate(document.get("earlier_reports") or []):
        try:
            history.append(parse_as(EffectReport, earlier))
        except BodyInvalid as error:
            errors += [
                FieldError(f"earlier_reports.{index}.{e.field}", e.message) for e in error.errors
            ]
    if errors:
        raise BodyInvalid(errors)
    assert application is not None and isinstance(year, int) and isinstance(checked_on, date)
    return FollowUpInput(application, year, report, history, checked_on)
