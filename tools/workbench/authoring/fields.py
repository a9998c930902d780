"""The catalogue of application fields a rule may name, read off the pydantic model.

Rules name fields by dotted path (``project.loan_amount_sek``). The catalogue knows each path's
kind (text, number, boolean, enum, date, list, object), so the checker can say "unknown field,
did you mean …" or "at_least needs a number field" before anything runs.
"""

from __future__ import annotations

import types
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import AwareDatetime, BaseModel

from screening.models.application import Application
from screening.ruleset.derived import PublicBodyKind

#: Fields that hold personal data: no rule or reason may read them.
PERSONAL_DATA_ROOTS = ("contact_person",)


@dataclass(frozen=True)
class FieldInfo:
    path: str
    kind: str  # text | number | boolean | enum | date | list | object
    enum_name: str | None = None
    enum_values: tuple[str, ...] = ()
    item: FieldCatalog | None = None  # for lists of objects
    item_kind: str | None = None  # for lists: the kind of each item
    item_enum_name: str | None = None
    item_enum_values: tuple[str, ...] = ()
    description: str | None = None


@dataclass
class FieldCatalog:
    fields: dict[str, FieldInfo] = field(default_factory=dict)

    def get(self, path: str) -> FieldInfo | None:
        return self.fields.get(path)

    def paths(self) -> list[str]:
        return sorted(self.fields)


def _unwrap(annotation: Any) -> Any:
    """Strip Annotated and Optional: ``Annotated[str | None, …]`` → ``str``."""
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            args = [a for a in get_args(annotation) if a is not type(None)]
            annotation = args[0] if len(args) == 1 else annotation
            if len(args) != 1:
                return annotation
        else:
            return annotation


def _kind_of(annotation: Any) -> tuple[str, type[Enum] | None]:
    annotation = _unwrap(annotation)
    if annotation is AwareDatetime:
        return "date", None
    if isinstance(annotation, type):
        if issubclass(annotation, Enum):
            return "enum", annotation
        if issubclass(annotation, bool):
            return "boolean", None
        if issubclass(annotation, int | float):
            return "number", None
        if issubclass(annotation, str):
            return "text", None
        if issubclass(annotation, datetime | date):
            return "date", None
        if issubclass(annotation, BaseModel):
            return "object", None
    if get_origin(annotation) is list:
        return "list", None
    raise TypeError(f"no field kind for {annotation!r}")


def _enum_name(enum: type[Enum]) -> str:
    # ApplicantType → applicant_type: the key of its labels in rules/data/labels.yaml
    name = enum.__name__
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in name).lstrip("_")


def catalogue_of(model: type[BaseModel], prefix: str = "") -> FieldCatalog:
    catalog = FieldCatalog()
    members: list[tuple[str, Any, str | None]] = [
        (name, info.annotation, info.description) for name, info in model.model_fields.items()
    ]
    members += [
        (name, info.return_type, info.description)
        for name, info in model.model_computed_fields.items()
    ]
    for name, annotation, description in members:
        path = f"{prefix}{name}"
        kind, enum = _kind_of(annotation)
        info = FieldInfo(path=path, kind=kind, description=description)
        if enum is not None:
            info = FieldInfo(
                path=path,
                kind=kind,
                enum_name=_enum_name(enum),
                enum_values=tuple(e.value for e in enum),
                description=description,
            )
        elif kind == "object":
            nested = catalogue_of(_unwrap(annotation), prefix=f"{path}.")
            catalog.fields.update(nested.fields)
        elif kind == "list":
            item_type = _unwrap(get_args(_unwrap(annotation))[0])
            item_kind, item_enum = _kind_of(item_type)
            info = FieldInfo(
                path=path,
                kind="list",
                item=catalogue_of(item_type) if item_kind == "object" else None,
                item_kind=item_kind,
                item_enum_name=_enum_name(item_enum) if item_enum else None,
                item_enum_values=tuple(e.value for e in item_enum) if item_enum else (),
                description=description,
            )
        catalog.fields[path] = info
    return catalog


def _with_derived(catalog: FieldCatalog) -> FieldCatalog:
    """The application's fields plus the values derived from rule data (``derived.*``,
    computed by screening.ruleset.derived): rules may count them, reasons may cite them."""
    catalog.fields["derived.vulnerable_areas"] = FieldInfo(
        "derived.vulnerable_areas",
        "list",
        item_kind="derived",
        description="Districts on the police list of vulnerable areas in force (matches)",
    )
    catalog.fields["derived.vulnerable_area_list"] = FieldInfo(
        "derived.vulnerable_area_list",
        "derived",
        description="The edition of the police list in force at submission",
    )
    # Membership: municipalities and regions, told apart from the rest of the 2-numbers (the
    # state, kommunalförbund …) by the series in the rule parameters municipality_number_series
    # and region_number_series. The model's own applicant.member_share_percent counts every
    # 2-number as a member (the state too): it stays nameable so that earlier releases still
    # compile, and `rules check` warns where a rule reads it (SUPERSEDED_FIELDS).
    catalog.fields["derived.member_share_percent"] = FieldInfo(
        "derived.member_share_percent",
        "number",
        description="Share (percent) held by municipalities and regions (organisation numbers "
        "in their series) and by owners the application says they control",
    )
    catalog.fields["derived.applicant_public_body"] = FieldInfo(
        "derived.applicant_public_body",
        "enum",
        enum_name="public_body_kind",
        enum_values=tuple(k.value for k in PublicBodyKind),
        description="Whether the applicant's organisation number is a municipality's, a "
        "region's, another public body's (another 2-number) or no public body's",
    )
    return catalog


APPLICATION_FIELDS = _with_derived(catalogue_of(Application))

#: Fields a rule should no longer read, and what to read instead (a warning, not an error, so
#: that the rules of earlier releases still compile: `screening rules release`, `impact`).
SUPERSEDED_FIELDS = {
    "applicant.member_share_percent": (
        "derived.member_share_percent",
        "it counts every organisation number starting with 2 as a member, the state's too",
    ),
}
