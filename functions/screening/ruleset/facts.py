"""The fact: the values of one application that the rules read, flat, as every engine sees it.

The authoring tools record what each condition reads (the *fact plan*); this module builds the
fact from the validated application model with accessors compiled once per ruleset — no JSON
dump of the application, no path resolving per call.

What the engine is given, and why:

* enum values and flags as they are; numbers a rule compares, normalised (whole numbers as
  ints, others rounded to 4 decimals) so the engine's JSON parser never sees ``1e-05`` or
  ``1e+16`` (durable_rules' C parser refuses exponents);
* for every other value only the fact that it is given (``true``): free text, and numbers a
  rule only needs to be present, never reach the engine;
* a missing or empty value is left out, so ``present`` is "the key exists";
* lists as their item count and, where a rule looks inside them, their items in the same form,
  except that inside an item every key is there: a value not given is ``ABSENT``.

Keeping the message small also matters: durable_rules refuses more than ~253 properties.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel

from ..engine.tree import ABSENT

Mode = Literal["value", "given"]
Getter = Callable[[Any], Any]


def key_of(path: str) -> str:
    return path.replace(".", "__")


def normalise(value: Any) -> Any:
    """A value as the engine may see it: enum values as strings, finite short numbers."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 2**53:
            return int(value)
        rounded = round(value, 4)
        return int(rounded) if rounded.is_integer() else rounded
    if isinstance(value, str):  # StrEnum members are str: their value is what rules compare
        return str(value)
    raise TypeError(f"no fact form for {type(value).__name__}")


def given(value: Any) -> bool:
    return value is not None and value != "" and value != [] and value != ()


def getter(path: str) -> Getter:
    """An accessor for a dotted path on a model (or on a mapping, for derived values)."""
    steps = tuple(path.split("."))

    def get(node: Any) -> Any:
        for step in steps:
            if node is None:
                return None
            node = node.get(step) if isinstance(node, Mapping) else getattr(node, step, None)
        return node

    return get


@dataclass(frozen=True, slots=True)
class ValueEntry:
    key: str
    path: str  # model path (relative to the list item inside a list entry)
    mode: Mode


@dataclass(frozen=True, slots=True)
class ListEntry:
    key: str
    count_key: str
    path: str
    scalar: bool  # items are values (enum values) rather than objects
    mode: Mode  # for scalar items
    items: tuple[ValueEntry, ...] = ()  # for object items


@dataclass
class FactPlan:
    """What the rules read. Built by the authoring compiler; shipped in the compiled ruleset."""

    values: dict[str, ValueEntry] = field(default_factory=dict)
    counts: dict[str, str] = field(default_factory=dict)  # count key → list path
    lists: dict[str, ListEntry] = field(default_factory=dict)

    def property_count(self) -> int:
        return len({*self.values, *self.counts, *self.lists}) + 2  # + sid and fact kind

    # ---- artifact form
    def to_data(self) -> dict[str, Any]:
        return {
            "values": [[e.key, e.path, e.mode] for e in self.values.values()],
            "counts": [[k, p] for k, p in self.counts.items()],
            "lists": [
                {
                    "key": e.key,
                    "count_key": e.count_key,
                    "path": e.path,
                    "scalar": e.scalar,
                    "mode": e.mode,
                    "items": [[i.key, i.path, i.mode] for i in e.items],
                }
                for e in self.lists.values()
            ],
        }

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> FactPlan:
        plan = cls()
        for key, path, mode in data["values"]:
            plan.values[key] = ValueEntry(key, path, mode)
        for key, path in data["counts"]:
            plan.counts[key] = path
        for entry in data["lists"]:
            items = tuple(ValueEntry(k, p, m) for k, p, m in entry["items"])
            plan.lists[entry["key"]] = ListEntry(
                entry["key"],
                entry["count_key"],
                entry["path"],
                entry["scalar"],
                entry["mode"],
                items,
            )
        return plan


class FactBuilder:
    """Builds facts for one plan; the accessors are compiled once."""

    def __init__(self, plan: FactPlan) -> None:
        self.plan = plan
        self._values = [(e.key, getter(e.path), e.mode == "value") for e in plan.values.values()]
        self._counts = [(k, getter(p)) for k, p in plan.counts.items()]
        self._lists = [
            (
                e.key,
                getter(e.path),
                e.scalar,
                e.mode == "value",
                [(i.key, getter(i.path), i.mode == "value") for i in e.items],
            )
            for e in plan.lists.values()
        ]

    def build(self, application: BaseModel, derived: Mapping[str, Any]) -> dict[str, Any]:
        """The fact of ``application``; ``derived`` holds values computed from rule data."""
        source = _Source(application, derived)
        fact: dict[str, Any] = {}
        for key, get, as_value in self._values:
            value = get(source)
            if given(value):
                fact[key] = normalise(value) if as_value else True
        for key, get in self._counts:
            items = get(source)
            fact[key] = len(items) if items else 0
        for key, get, scalar, as_value, item_entries in self._lists:
            items = get(source) or ()
            if scalar:
                fact[key] = [normalise(i) if as_value else True for i in items if given(i)]
            else:
                fact[key] = [_item(item, item_entries) for item in items]
        return fact


def _item(item: Any, entries: list[tuple[str, Getter, bool]]) -> dict[str, Any]:
    # Every key is present in an item: a value not given is ABSENT (see engine.tree).
    out: dict[str, Any] = {}
    for key, get, as_value in entries:
        value = get(item)
        if not given(value):
            out[key] = ABSENT
        else:
            out[key] = normalise(value) if as_value else True
    return out


class _Source:
    """The application with its derived values under ``derived.``: one root for accessors."""

    __slots__ = ("_application", "derived")

    def __init__(self, application: BaseModel, derived: Mapping[str, Any]) -> None:
        self._application = application
        self.derived = derived

    def __getattr__(self, name: str) -> Any:
        return getattr(self._application, name, None)
