"""Reason texts: templates compiled once per ruleset, filled in per application.

A reason cites the application's values so that it states the deciding facts::

    "Lånebeloppet {project.loan_amount_sek:kr} överstiger investeringsutgiften
     {project.total_investment_sek:kr}."

Placeholders (checked by ``screening rules check``):

* ``{path}``: an application field, ``derived.…`` (a value derived from rule data, e.g. the
  vulnerable areas matched), ``category_fit.matched`` / ``category_fit.declared``, or
  ``param.NAME`` (a parameter of the rule);
* ``{path:FORMAT}``: ``kr`` (amounts), ``percent``, ``raw``, ``month`` (4 → "april"), or a unit from
  ``rules/data/labels.yaml`` (``{social_content.time_horizon_years:year}`` → "1 år" / "15 år");
* ``{path|text}``: what to write when the value is absent or an empty list, so a sentence
  reads right ("…passar {category_fit.matched|ingen av kategorierna}");
* ``{failures}``: which parts of the condition failed, with their values (failed reasons).

Values are written the reader's way (:mod:`screening.language`): enum values by their label,
flags as ja/nej, numbers with Swedish digit grouping, lists joined with "och" / "and".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from functools import cache
from typing import Any

from .. import language as lang
from .compiled import Labels
from .facts import getter

PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_.]*)(?::([a-z_]+))?(?:\|([^{}]*))?\}")
FORMATS = ("kr", "percent", "raw", "month")
FAILURES = "failures"
MISSING = {"sv": "uppgift saknas", "en": "not given"}


@dataclass(frozen=True, slots=True)
class Placeholder:
    path: str
    format: str | None
    fallback: str | None


def parse(template: str) -> list[str | Placeholder]:
    """Literal text and placeholders, in order."""
    parts: list[str | Placeholder] = []
    position = 0
    for match in PLACEHOLDER.finditer(template):
        if match.start() > position:
            parts.append(template[position : match.start()])
        parts.append(Placeholder(match.group(1), match.group(2), match.group(3)))
        position = match.end()
    if position < len(template):
        parts.append(template[position:])
    return parts


@cache
def enum_label_key(enum_type: type[Enum]) -> str:
    """ApplicantType → applicant_type: the key of its labels in rules/data/labels.yaml."""
    name = enum_type.__name__
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in name).lstrip("_")


class Formatter:
    """Writes one value in one language with the ruleset's labels and units."""

    def __init__(self, labels: Labels) -> None:
        self.labels = labels

    def value(
        self, value: Any, language: str, fmt: str | None = None, enum: str | None = None
    ) -> str:
        if isinstance(value, list | tuple):
            return lang.join([self.value(v, language, fmt, enum) for v in value], language)
        if isinstance(value, Enum):
            return self.labels.value(enum_label_key(type(value)), str(value.value), language)
        if hasattr(value, "describe"):
            return str(value.describe(language))
        if isinstance(value, bool):
            return lang.yes_no(value, language)
        if isinstance(value, int | float):
            return self.number(value, language, fmt)
        if isinstance(value, datetime):
            return value.date().isoformat()
        if isinstance(value, date):
            return value.isoformat()
        return self.labels.value(enum, str(value), language) if enum else str(value)

    def number(self, value: float, language: str, fmt: str | None) -> str:
        if fmt == "kr":
            return lang.kronor(value, language)
        if fmt == "percent":
            return lang.percent(value, language)
        if fmt == "raw":
            return str(value)
        if fmt == "month":
            return lang.month(int(value), language)
        if fmt and fmt in self.labels.units:
            return lang.quantity(value, self.labels.units[fmt][language], language)
        return lang.number(value, language)


Context = Mapping[str, Any]
Renderer = Callable[[Context, str], str]


class Template:
    """One reason text in one language, compiled: literals and bound value renderers."""

    def __init__(self, text: str, formatter: Formatter, parameters: Mapping[str, Any]) -> None:
        self.text = text
        self.parts: list[str | Renderer] = []
        self.uses_failures = False
        for part in parse(text):
            if isinstance(part, str):
                self.parts.append(part)
            elif part.path == FAILURES:
                self.uses_failures = True
                self.parts.append(lambda context, language: str(context[FAILURES]))
            else:
                self.parts.append(_renderer(part, formatter, parameters))
        self.fixed = all(isinstance(p, str) for p in self.parts)

    def render(self, context: Context, language: str) -> str:
        if self.fixed:
            return self.text
        return "".join(p if isinstance(p, str) else p(context, language) for p in self.parts)


def _renderer(
    placeholder: Placeholder, formatter: Formatter, parameters: Mapping[str, Any]
) -> Renderer:
    fmt, fallback = placeholder.format, placeholder.fallback
    if placeholder.path.startswith("param."):
        fixed = parameters[placeholder.path.removeprefix("param.")]

        def parameter(context: Context, language: str) -> str:
            return formatter.value(fixed, language, fmt)

        return parameter
    root, _, rest = placeholder.path.partition(".")
    get = getter(rest) if rest else (lambda node: node)

    def field(context: Context, language: str) -> str:
        value = get(context[root]) if root in context else None
        if value is None or value == "" or (isinstance(value, list | tuple) and not value):
            return fallback if fallback is not None else MISSING[language]
        return formatter.value(value, language, fmt)

    return field
