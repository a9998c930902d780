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
    kind = type(value)
    if kind is int or kind is bool:
        return value
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


_MAPPING: dict[type, bool] = {dict: True}


def _is_mapping(node: Any) -> bool:
    kind = type(node)
    known = _MAPPING.get(kind)
    if known is None:  # isinstance on the Mapping ABC is slow: decided once per type
        known = _MAPPING[kind] = isinstance(node, Mapping)
    return known


def getter(path: str) -> Getter:
    """An accessor for a dotted path on a model (or on a mapping, for derived values)."""
    steps = tuple(path.split("."))

    def get(node: Any) -> Any:
        for step in steps:
            if node is None:
                return None
            mapping = _MAPPING.get(type(node))
            if mapping is None:
                mapping = _is_mapping(node)
            node = node.get(step) if mapping else getattr(node, step, None)
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
    """Builds facts for one plan; the accessors are compiled once.

    The plan is turned into one Python function (``source`` shows it): each path prefix is read
    once (``social_content.evaluation`` for its four answers), ``given`` and ``normalise`` are
    inlined by the entry's mode. Measured: 3x faster than walking each path with ``getter``.
    It builds exactly what :meth:`build_generic` builds (the plain definition, kept for tests
    and reading).
    """

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
        self.source = _Generator(plan).source()
        scope: dict[str, Any] = {
            "_normalise": normalise,
            "_given": given,
            "_mapping": _is_mapping,
            "_MAPPINGS": _MAPPING,
            "ABSENT": ABSENT,
        }
        exec(compile(self.source, "<fact plan>", "exec"), scope)
        self._build: Callable[[Any, Mapping[str, Any]], dict[str, Any]] = scope["build"]

    def build(self, application: BaseModel, derived: Mapping[str, Any]) -> dict[str, Any]:
        """The fact of ``application``; ``derived`` holds values computed from rule data."""
        return self._build(application, derived)

    def build_generic(self, application: BaseModel, derived: Mapping[str, Any]) -> dict[str, Any]:
        """The same fact, path by path (the definition :meth:`build` is generated from)."""
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


class _Generator:
    """The source of ``build(application, derived)`` for one plan (see FactBuilder)."""

    def __init__(self, plan: FactPlan) -> None:
        self.plan = plan
        self.reads: list[str] = []  # one local per path prefix, in the order first needed
        self.names: dict[str, str] = {}  # path prefix → the local holding its value

    def source(self) -> str:
        plan = self.plan
        functions: list[str] = []
        body: list[str] = []
        for entry in plan.values.values():
            value = self.read(entry.path)
            written = f"_normalise({value})" if entry.mode == "value" else "True"
            body.append(
                f"if {value} is not None and {value} != '' and {value} != [] and {value} != ():"
            )
            body.append(f"    fact[{entry.key!r}] = {written}")
        for key, path in plan.counts.items():
            items = self.read(path)
            body.append(f"fact[{key!r}] = len({items}) if {items} else 0")
        for number, listed in enumerate(plan.lists.values()):
            items = self.read(listed.path)
            if listed.scalar:
                value = "_normalise(i)" if listed.mode == "value" else "True"
                body.append(
                    f"fact[{listed.key!r}] = [{value} for i in ({items} or ()) if _given(i)]"
                )
            else:
                body.append(f"fact[{listed.key!r}] = [_item{number}(i) for i in ({items} or ())]")
                functions += _item_function(number, listed)
        return "\n".join(
            [
                *functions,
                "def build(application, derived):",
                *(f"    {line}" for line in self.reads),
                "    fact = {}",
                *(f"    {line}" for line in body),
                "    return fact",
            ]
        )

    def read(self, path: str) -> str:
        """A local holding the value at ``path`` (None once a step is missing)."""
        if path in self.names:
            return self.names[path]
        parent, _, step = path.rpartition(".")
        if parent:
            value = _step(self.read(parent), step)
        else:  # the root: the application, with the derived values under ``derived``
            value = "derived" if step == "derived" else f"getattr(application, {step!r}, None)"
        name = self.names[path] = f"v{len(self.names)}"
        self.reads.append(f"{name} = {value}")
        return name


def _item_function(number: int, entry: ListEntry) -> list[str]:
    lines = [f"def _item{number}(item):"]
    fields = []
    for position, item in enumerate(entry.items):
        node = "item"
        for step in item.path.split("."):
            lines.append(f"    a{position} = {_step(node, step)}")
            node = f"a{position}"
        written = f"_normalise({node})" if item.mode == "value" else "True"
        fields.append(f"{item.key!r}: {written} if _given({node}) else ABSENT")
    lines.append("    return {" + ", ".join(fields) + "}")
    return lines


def reader(paths: list[str]) -> Callable[[Mapping[str, Any]], list[Any]]:
    """One function reading every dotted path from a mapping of roots (``root.a.b``: the value
    under ``root``, then as ``getter`` reads ``a.b``), each prefix once; None where missing."""
    names: dict[str, str] = {}
    lines: list[str] = []

    def read(path: str) -> str:
        if path not in names:
            parent, _, step = path.rpartition(".")
            value = _step(read(parent), step) if parent else f"roots.get({step!r})"
            names[path] = f"v{len(names)}"
            lines.append(f"    {names[path]} = {value}")
        return names[path]

    results = [read(path) for path in paths]
    source = "\n".join(["def read(roots):", *lines, f"    return [{', '.join(results)}]"])
    scope: dict[str, Any] = {"_mapping": _is_mapping, "_MAPPINGS": _MAPPING}
    exec(compile(source, "<reason values>", "exec"), scope)
    function: Callable[[Mapping[str, Any]], list[Any]] = scope["read"]
    return function


def _step(node: str, step: str) -> str:
    """One step of a path, as ``getter`` takes it: a mapping by key, anything else by attribute
    (whether a type is a mapping is looked up in ``_MAPPING``, decided once per type)."""
    mapping = f"(m if (m := _MAPPINGS.get(type({node}))) is not None else _mapping({node}))"
    return (
        f"(None if {node} is None else {node}.get({step!r}) if {mapping} "
        f"else getattr({node}, {step!r}, None))"
    )


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
