"""Which part of a condition failed: the answers to fix, by JSON pointer, in sv and en.

The engine decides that a rule failed; the reference engine's :func:`misses` says which leaves
of its condition did not hold. Each becomes a :class:`FailedPart` naming the answer the way the
applicant sees it — the item ("effektmål 2 (Ökad trygghet)"), the field ("utgångsår") and what
is wrong with its value ("saknas", "30 % (mer än 50 %)") — with the JSON pointer the portal
uses to take the applicant straight to the field. The rule's failed reason may include them
all with ``{failures}``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .. import language as lang
from ..engine.reference import Miss, misses
from ..engine.tree import ITEM, Node
from .compiled import FieldLabel, Labels
from .facts import getter
from .reasons import Formatter

_MISSING = {"sv": "saknas", "en": "missing"}
_BOUND = {
    "sv": {"ge": "lägst", "gt": "mer än", "le": "högst", "lt": "mindre än"},
    "en": {"ge": "at least", "gt": "more than", "le": "at most", "lt": "less than"},
}
_TITLE_LIMIT = 60


@dataclass(frozen=True, slots=True)
class Part:
    pointer: str
    item: dict[str, str] | None  # the item's name per language, e.g. "effektmål 2 (…)"
    field: dict[str, str]  # the field's name per language
    missing: bool  # the answer is absent
    value: dict[str, str] | None  # what is wrong with the value, per language, when present


class Explainer:
    def __init__(self, labels: Labels) -> None:
        self.labels = labels
        self.formatter = Formatter(labels)

    def parts(self, condition: Node, fact: Mapping[str, Any], application: Any) -> list[Part]:
        """Each answer to fix once: a leaf tested in several alternatives of a condition (the
        applicant's type in every "type and number" pair) is one part, not one per test."""
        parts: list[Part] = []
        seen: set[tuple[str, ...]] = set()
        for miss in misses(condition, fact):
            part = self._part(miss, fact, application)
            key = (part.pointer, *(_line(part, language) for language in lang.LANGUAGES))
            if key not in seen:
                seen.add(key)
                parts.append(part)
        return parts

    # ---------------------------------------------------------------- one miss

    def _part(self, miss: Miss, fact: Mapping[str, Any], application: Any) -> Part:
        test = miss.test
        path = f"{miss.list_field}.{test.field}" if miss.list_field else test.field
        if miss.list_field and test.key == ITEM:
            path = miss.list_field
        label = self._field_label(path)
        # A list of values (e.g. the target group's kinds) names the value itself, not an item.
        item = self._item(miss, application) if miss.list_field and test.key != ITEM else None
        pointer = self._pointer(miss, path, label)
        counted = test.test in ("count_at_least", "present") and test.key.endswith("__count")
        absent = miss.actual is None or (counted and miss.actual == 0)
        if absent and test.op != "absent":
            return Part(pointer, item, {"sv": label.sv, "en": label.en}, True, None)
        value: dict[str, str] = {
            language: self._value(miss, label, fact, language) for language in lang.LANGUAGES
        }
        return Part(pointer, item, {"sv": label.sv, "en": label.en}, False, value)

    def _field_label(self, path: str) -> FieldLabel:
        return self.labels.fields.get(path) or FieldLabel(path, path)

    def _pointer(self, miss: Miss, path: str, label: FieldLabel) -> str:
        # A label's pointer starting with "/" is the answer to fix; without it, it names the
        # answer inside the same list item (an owner's organisation_group → its
        # organisation_number).
        if label.pointer and (label.pointer.startswith("/") or not miss.list_field):
            return label.pointer
        if miss.list_field:
            base = "/" + miss.list_field.replace(".", "/") + f"/{miss.index}"
            if label.pointer:
                return f"{base}/{label.pointer.replace('.', '/')}"
            return base if miss.test.key == ITEM else f"{base}/{miss.test.field.replace('.', '/')}"
        return "/" + path.replace(".", "/")

    def _item(self, miss: Miss, application: Any) -> dict[str, str]:
        assert miss.list_field is not None and miss.index is not None
        label = self.labels.items.get(miss.list_field)
        items = getter(miss.list_field)(application) or []
        item = items[miss.index] if miss.index < len(items) else None
        # An item that knows its own number (a follow-up goal is goal N of the application,
        # wherever it stands in a list) is named by it; otherwise by its place.
        own = getattr(item, "number", None)
        number = own if isinstance(own, int) else miss.index + 1
        if label is None:
            return {language: f"#{number}" for language in lang.LANGUAGES}
        title = ""
        text = getter(label.title)(item) if label.title and item is not None else None
        if isinstance(text, str) and text:
            short = text if len(text) <= _TITLE_LIMIT else text[: _TITLE_LIMIT - 1] + "…"
            title = f" ({short})"
        return {
            "sv": label.sv.replace("{number}", str(number)) + title,
            "en": label.en.replace("{number}", str(number)) + title,
        }

    def _value(self, miss: Miss, label: FieldLabel, fact: Mapping[str, Any], language: str) -> str:
        test = miss.test
        if test.test == "count_at_least":
            bound = self.formatter.number(test.value, language, None)  # type: ignore[arg-type]
            return f"{lang.number(miss.actual, language)} ({_BOUND[language]['ge']} {bound})"
        actual = self.formatter.value(miss.actual, language, label.format, label.enum)
        if test.op in _BOUND[language]:
            if test.ref is not None:
                other = self._field_label(test.ref_field or "")
                other_value = self.formatter.value(fact.get(test.ref), language, other.format)
                bound = f"{getattr(other, language)} {other_value}"
            else:
                bound = self.formatter.value(test.value, language, label.format, label.enum)
            return f"{actual} ({_BOUND[language][test.op]} {bound})"
        return actual


def render_parts(parts: list[Part], language: str) -> list[str]:
    """One line per part: 'effektmål 2 (Ökad trygghet): utgångsår saknas'."""
    return [_line(p, language) for p in parts]


def _line(part: Part, language: str) -> str:
    field = part.field[language]
    text = f"{field} {_MISSING[language]}" if part.missing else f"{field}: {part.value[language]}"  # type: ignore[index]
    return f"{part.item[language]}: {text}" if part.item else text


def summary(parts: list[Part], language: str) -> str:
    """All parts in one sentence fragment, grouped by item, absent fields joined:
    'effektmål 2 (Ökad trygghet): utgångsår och datakälla saknas; effektmål 3: indikator saknas'.
    """
    groups: dict[str | None, list[Part]] = {}
    for part in parts:
        groups.setdefault(part.item[language] if part.item else None, []).append(part)
    chunks = []
    for item, members in groups.items():
        absent = [p.field[language] for p in members if p.missing]
        texts = []
        if absent:
            unique = list(dict.fromkeys(absent))
            texts.append(f"{lang.join(unique, language)} {_MISSING[language]}")
        texts += [f"{p.field[language]}: {p.value[language]}" for p in members if not p.missing]  # type: ignore[index]
        text = ", ".join(texts)
        chunks.append(f"{item}: {text}" if item else text)
    return "; ".join(chunks)
