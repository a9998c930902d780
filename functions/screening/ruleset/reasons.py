"""Reason texts: ``{placeholders}`` checked when the rules load, filled in per application.

A reason may cite the application's values so that it states the deciding facts::

    "Lånebeloppet {project.loan_amount_sek:kr} överstiger investeringsutgiften
     {project.total_investment_sek:kr}."

Placeholders: any application field (not the contact person), ``param.NAME`` for a parameter
of the rule, and ``category_fit.matched`` / ``category_fit.declared``. Values are written the
reader's way: enum values by their label from ``rules/data/labels.yaml``, numbers with Swedish
digit grouping, ``:kr`` for amounts ("45 000 000 kr" / "SEK 45,000,000"), lists joined.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .facts import resolve
from .fields import PERSONAL_DATA_ROOTS, FieldCatalog, FieldInfo
from .problems import CompileError

PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_.]*)(?::([a-z]+))?\}")
FORMATS = ("kr", "raw")
CONTEXT_FIELDS = {
    "category_fit.matched": FieldInfo(
        "category_fit.matched", "list", item_kind="enum", item_enum_name="category"
    ),
    "category_fit.declared": FieldInfo(
        "category_fit.declared", "list", item_kind="enum", item_enum_name="category"
    ),
}
_MISSING = {"sv": "uppgift saknas", "en": "not given"}
_BOOLEAN = {"sv": ("ja", "nej"), "en": ("yes", "no")}


@dataclass(frozen=True)
class Placeholder:
    text: str
    path: str
    format: str | None
    field: FieldInfo | None  # None for a parameter


def parse_template(
    template: str,
    catalog: FieldCatalog,
    parameters: dict[str, Any],
    location: tuple[Any, ...],
) -> list[Placeholder]:
    """Every placeholder of a reason, checked; raises CompileError naming the bad one."""
    found = []
    for match in PLACEHOLDER.finditer(template):
        path, fmt = match.group(1), match.group(2)
        if fmt is not None and fmt not in FORMATS:
            raise CompileError(
                location, f"unknown format ':{fmt}' in '{match.group(0)}'; use one of {FORMATS}"
            )
        if path.startswith("param."):
            name = path.removeprefix("param.")
            if name not in parameters:
                raise CompileError(
                    location, f"'{match.group(0)}' names parameter '{name}', which is not defined"
                )
            found.append(Placeholder(match.group(0), path, fmt, None))
            continue
        if path.split(".")[0] in PERSONAL_DATA_ROOTS:
            raise CompileError(
                location, f"'{match.group(0)}' is personal data; reasons may not cite it"
            )
        info = CONTEXT_FIELDS.get(path) or catalog.get(path)
        if info is None:
            raise CompileError(location, f"'{match.group(0)}' names no known field")
        if info.kind == "object" or (info.kind == "list" and info.item is not None):
            raise CompileError(location, f"'{match.group(0)}' is a group of fields, not a value")
        found.append(Placeholder(match.group(0), path, fmt, info))
    leftover = PLACEHOLDER.sub("", template)
    if "{" in leftover or "}" in leftover:
        raise CompileError(location, "a '{' or '}' is not part of a valid {field.path} placeholder")
    return found


class ReasonRenderer:
    """Fills placeholders with values, in the reader's language."""

    def __init__(self, labels: dict[str, dict[str, dict[str, str]]]) -> None:
        self.labels = labels

    def render(
        self,
        template: str,
        placeholders: list[Placeholder],
        language: str,
        document: dict[str, Any],
        parameters: dict[str, Any],
    ) -> str:
        if not placeholders:
            return template
        text = template
        for placeholder in placeholders:
            if placeholder.field is None:
                value: Any = parameters[placeholder.path.removeprefix("param.")]
                info = None
            else:
                value = resolve(document, placeholder.path)
                info = placeholder.field
            text = text.replace(placeholder.text, self._format(value, info, placeholder, language))
        return text

    def _format(
        self, value: Any, info: FieldInfo | None, placeholder: Placeholder, language: str
    ) -> str:
        if value is None or value == "" or value == []:
            return _MISSING[language]
        if placeholder.format == "raw":
            return str(value)
        if isinstance(value, list):
            enum_name = info.item_enum_name if info else None
            return ", ".join(self._one(v, enum_name, placeholder.format, language) for v in value)
        enum_name = info.enum_name if info else None
        return self._one(value, enum_name, placeholder.format, language)

    def _one(self, value: Any, enum_name: str | None, fmt: str | None, language: str) -> str:
        if enum_name and isinstance(value, str):
            label = self.labels.get(enum_name, {}).get(value)
            return label[language] if label else value
        if isinstance(value, bool):
            return _BOOLEAN[language][0 if value else 1]
        if isinstance(value, int | float):
            number = format_number(value, language)
            if fmt == "kr":
                return f"{number} kr" if language == "sv" else f"SEK {number}"
            return number
        return str(value)


def format_number(value: float, language: str) -> str:
    """45000000 → '45 000 000' (sv) / '45,000,000' (en); 12.5 → '12,5' / '12.5'."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = f"{value:,}" if isinstance(value, int) else f"{value:,.2f}".rstrip("0").rstrip(".")
    if language == "sv":
        return text.replace(",", " ").replace(".", ",")
    return text
