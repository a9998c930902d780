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
from .facts import getter, reader

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
    """Writes one value in one language with the ruleset's labels and units.

    What a value is written as depends on its type only (a list, an enum, something that can
    ``describe`` itself, a flag, a number, a date, text), so the kind is decided once per type
    and kept (measured: the chain of ``isinstance`` checks was a third of rendering a reason).
    """

    def __init__(self, labels: Labels) -> None:
        self.labels = labels
        self._kinds: dict[type, Callable[[Any, str, str | None, str | None], str]] = {}
        # Enum members are few, so their texts are kept. Keyed by type too: StrEnum members of
        # two enums with the same value are equal (and hash alike) as strings.
        self._enum_texts: dict[tuple[type, Enum, str], str] = {}

    def value(
        self, value: Any, language: str, fmt: str | None = None, enum: str | None = None
    ) -> str:
        write = self._kinds.get(type(value))
        if write is None:
            write = self._kinds[type(value)] = self._kind(type(value))
        return write(value, language, fmt, enum)

    def _kind(self, kind: type) -> Callable[[Any, str, str | None, str | None], str]:
        if issubclass(kind, list | tuple):
            return self._sequence
        if issubclass(kind, Enum):
            return self._enum
        if hasattr(kind, "describe"):
            return _described
        if issubclass(kind, bool):
            return _flag
        if issubclass(kind, int | float):
            return self._number
        if issubclass(kind, datetime):
            return _moment
        if issubclass(kind, date):
            return _day
        return self._text

    def _sequence(self, value: Any, language: str, fmt: str | None, enum: str | None) -> str:
        return lang.join([self.value(v, language, fmt, enum) for v in value], language)

    def _enum(self, value: Enum, language: str, fmt: str | None, enum: str | None) -> str:
        cached = (type(value), value, language)
        text = self._enum_texts.get(cached)
        if text is None:
            key = enum_label_key(type(value))
            text = self._enum_texts[cached] = self.labels.value(key, str(value.value), language)
        return text

    def _number(self, value: Any, language: str, fmt: str | None, enum: str | None) -> str:
        return self.number(value, language, fmt)

    def _text(self, value: Any, language: str, fmt: str | None, enum: str | None) -> str:
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


def _described(value: Any, language: str, fmt: str | None, enum: str | None) -> str:
    return str(value.describe(language))


def _flag(value: Any, language: str, fmt: str | None, enum: str | None) -> str:
    return lang.yes_no(value, language)


def _moment(value: Any, language: str, fmt: str | None, enum: str | None) -> str:
    return str(value.date().isoformat())


def _day(value: Any, language: str, fmt: str | None, enum: str | None) -> str:
    return str(value.isoformat())


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
    get = _reader(placeholder.path)

    def field(context: Context, language: str) -> str:
        return _written(get(context), formatter, language, fmt, fallback)

    return field


def _reader(path: str) -> Callable[[Context], Any]:
    """The value a placeholder cites: ``root.rest`` read from the context's ``root``."""
    root, _, rest = path.partition(".")
    get = getter(rest) if rest else None

    def read(context: Context) -> Any:
        if root not in context:
            return None
        node = context[root]
        return get(node) if get is not None else node

    return read


def _written(
    value: Any, formatter: Formatter, language: str, fmt: str | None, fallback: str | None
) -> str:
    if value is None or value == "" or (isinstance(value, list | tuple) and not value):
        return fallback if fallback is not None else MISSING[language]
    return formatter.value(value, language, fmt)


class Reason:
    """A reason in every language, compiled once: ``render`` reads each value it cites once and
    writes it in each language into a prepared format string (a rule's parameters are written
    into the text when compiling). Renders exactly what :class:`Template` renders."""

    def __init__(
        self, texts: Mapping[str, str], formatter: Formatter, parameters: Mapping[str, Any]
    ) -> None:
        self.texts = dict(texts)
        self.formatter = formatter
        self.readers: list[Callable[[Context], Any]] = []
        paths: dict[str, int] = {}
        # language → (format string, slots); a slot is (value index or -1 for failures, fmt,
        # fallback)
        self.forms: dict[str, tuple[str, list[tuple[int, str | None, str | None]]]] = {}
        self.uses_failures = False
        for language, text in texts.items():
            pieces: list[str] = []
            slots: list[tuple[int, str | None, str | None]] = []
            for part in parse(text):
                if isinstance(part, str):
                    pieces.append(_escaped(part))
                elif part.path == FAILURES:
                    self.uses_failures = True
                    pieces.append("{}")
                    slots.append((-1, None, None))
                elif part.path.startswith("param."):
                    fixed = parameters[part.path.removeprefix("param.")]
                    pieces.append(_escaped(formatter.value(fixed, language, part.format)))
                else:
                    if part.path not in paths:
                        paths[part.path] = len(self.readers)
                        self.readers.append(_reader(part.path))
                    pieces.append("{}")
                    slots.append((paths[part.path], part.format, part.fallback))
            self.forms[language] = ("".join(pieces), slots)
        # Every cited value, each path prefix read once (a fixed text reads nothing).
        self._read = reader(list(paths)) if paths else _nothing
        self.fixed = not any(slots for _, slots in self.forms.values())
        # Without a slot, the format string is the text with its braces doubled.
        self.fixed_texts = (
            {language: form.format() for language, (form, _) in self.forms.items()}
            if self.fixed
            else {}
        )

    def render(self, context: Context, failures: Mapping[str, str] | None = None) -> dict[str, str]:
        """The reason in each language; ``failures``: the failed parts in each language."""
        if self.fixed:
            return dict(self.fixed_texts)
        return self.write(self.read(context), failures)

    def read(self, context: Context) -> list[Any]:
        """The values the reason cites, in the order of ``readers``."""
        return self._read(context)

    def write(self, values: list[Any], failures: Mapping[str, str] | None = None) -> dict[str, str]:
        """The reason in each language from the values ``read`` gave."""
        formatter = self.formatter
        failed = failures if failures is not None else {}  # as Template: a KeyError if cited
        out: dict[str, str] = {}
        for language, (form, slots) in self.forms.items():
            written = [
                str(failed[language])
                if index < 0
                else _written(values[index], formatter, language, fmt, fallback)
                for index, fmt, fallback in slots
            ]
            out[language] = form.format(*written)
        return out


_PLAIN: set[type] = {str, int, float, bool, type(None), date}  # and enums, added when seen


def _plain(kind: type) -> bool:
    if kind in _PLAIN:
        return True
    if issubclass(kind, Enum):
        _PLAIN.add(kind)
        return True
    return False


def value_key(values: list[Any]) -> tuple[Any, ...] | None:
    """A key that stands for ``values`` exactly when a reason written from them can be kept and
    reused: every value a plain scalar, an enum member, or a list of those, each with its type
    (StrEnum members of two enums with the same value are equal as strings, True == 1).
    None for anything else (models, objects that describe themselves)."""
    kinds = tuple(map(type, values))
    if _PLAIN.issuperset(kinds):  # the usual case, decided in C
        return (kinds, tuple(values))
    key: list[Any] = []
    for kind, value in zip(kinds, values, strict=True):
        if kind is list or kind is tuple:
            item_kinds = tuple(map(type, value))
            if not (_PLAIN.issuperset(item_kinds) or all(map(_plain, item_kinds))):
                return None
            key.append((item_kinds, tuple(value)))
        elif kind in _PLAIN or _plain(kind):
            key.append(value)
        else:
            return None
    return (kinds, tuple(key))


def _nothing(context: Context) -> list[Any]:
    return []


def _escaped(text: str) -> str:
    return text.replace("{", "{{").replace("}", "}}")
