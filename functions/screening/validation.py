"""Turn a submitted document into an :class:`Application`, or field errors a portal can show.

Every error names the field by its dotted path and says what is wrong in words for a person.
No message repeats the submitted value: a wrong value may be personal data.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from .models.application import Application

_MESSAGES = {
    "extra_forbidden": "unknown field; remove it",
    "missing": "is required",
}


@dataclass(frozen=True)
class FieldError:
    field: str  # dotted path, e.g. applicant.organisation_number or project.districts.2
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


class ApplicationInvalid(ValueError):
    """The document is not a valid application; ``errors`` lists every bad field."""

    def __init__(self, errors: list[FieldError]) -> None:
        self.errors = errors
        super().__init__(f"{len(errors)} invalid field(s): " + "; ".join(map(str, errors)))


def field_errors(error: ValidationError) -> list[FieldError]:
    out = []
    for detail in error.errors(include_input=False, include_url=False):
        path = ".".join(str(step) for step in detail["loc"]) or "(body)"
        message = _MESSAGES.get(detail["type"]) or str(detail["msg"]).removeprefix("Value error, ")
        out.append(FieldError(path, message))
    return out


def parse_application(document: Any) -> Application:
    """Validate a decoded JSON document; raises ApplicationInvalid naming every bad field."""
    if not isinstance(document, dict):
        raise ApplicationInvalid([FieldError("(body)", "must be a JSON object")])
    try:
        return Application.model_validate(document)
    except ValidationError as error:
        raise ApplicationInvalid(field_errors(error)) from None
