"""Turn a submitted body into an :class:`Application`, or field errors a portal can show.

This is the one place a pydantic error becomes field errors (the API, the CLI and the rule
examples all use it). Every error names the field by its dotted path and says what is wrong in
words for a person. No message repeats what was submitted — neither a value nor an unknown
key's text — because either may be personal data: an unknown key is reported at its parent
("contact_person: unknown field").
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError

from .models.application import Application

BODY = "(body)"
_MESSAGES = {
    "extra_forbidden": "unknown field; remove it (the schema lists the fields this object takes)",
    "missing": "is required",
    "model_type": "must be a JSON object",
    "model_attributes_type": "must be a JSON object",
    "json_invalid": "is not valid JSON",
    "finite_number": "must be a finite number",
    "date_type": "must be a date written YYYY-MM-DD",
    "datetime_type": "must be a date and time with its offset, e.g. 2026-10-01T09:00:00+02:00",
    "bool_type": "must be true or false",
    "int_type": "must be a whole number",
    "float_type": "must be a number",
    "string_type": "must be a text",
    "list_type": "must be a list",
}


@dataclass(frozen=True)
class FieldError:
    field: str  # dotted path, e.g. applicant.organisation_number or project.districts.2
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


class BodyInvalid(ValueError):
    """The body is not a valid document; ``errors`` lists every bad field."""

    def __init__(self, errors: list[FieldError]) -> None:
        self.errors = errors
        super().__init__(f"{len(errors)} invalid field(s): " + "; ".join(map(str, errors)))


class ApplicationInvalid(BodyInvalid):
    """The body is not a valid application."""


def field_errors(error: ValidationError) -> list[FieldError]:
    """Pydantic's errors as field errors, in order, without any submitted text."""
    out: list[FieldError] = []
    seen: set[tuple[str, str]] = set()
    details = error.errors(include_input=False, include_url=False, include_context=False)
    # A mapping key that is not one of its closed list is the caller's text, like any value: it
    # is written "[key]" in every error about it (the key's and its value's).
    bad_keys = {
        tuple(str(s) for s in d["loc"][: d["loc"].index("[key]")])
        for d in details
        if "[key]" in d["loc"]
    }
    for detail in details:
        loc = [str(step) for step in detail["loc"]]
        kind = detail["type"]
        for end in range(len(loc), 0, -1):
            if tuple(loc[:end]) in bad_keys:
                rest = loc[end:]
                loc = [*loc[: end - 1], "[key]", *(rest[1:] if rest[:1] == ["[key]"] else rest)]
                break
        if kind == "extra_forbidden":
            loc = loc[:-1]  # the key itself is the caller's text
        path = ".".join(loc) or BODY
        message = _MESSAGES.get(kind) or str(detail["msg"]).removeprefix("Value error, ")
        if (path, message) not in seen:
            seen.add((path, message))
            out.append(FieldError(path, message))
    return out


def validate_json(model: type[BaseModel], body: str | bytes | Mapping[str, Any]) -> Any:
    """``model`` from a JSON body (or a mapping, e.g. from YAML), with strict JSON semantics."""
    text = json.dumps(body, ensure_ascii=False, default=str) if isinstance(body, Mapping) else body
    return model.model_validate_json(text)


def parse_as(model: type[BaseModel], body: str | bytes | Mapping[str, Any]) -> Any:
    """Any contract model from a body; raises BodyInvalid naming every bad field."""
    try:
        return validate_json(model, body)
    except ValidationError as error:
        raise BodyInvalid(field_errors(error)) from None


def parse_application(body: str | bytes | Mapping[str, Any]) -> Application:
    """Validate a body; raises ApplicationInvalid naming every bad field."""
    try:
        application: Application = validate_json(Application, body)
    except ValidationError as error:
        raise ApplicationInvalid(field_errors(error)) from None
    return application
