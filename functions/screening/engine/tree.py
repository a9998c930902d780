"""The engine-neutral condition tree: what rule conditions compile to, and every engine runs.

A rule file's condition (``rules/*.yaml``) is compiled by the authoring tools into this small
tree over one *fact*: a flat dict of the values the rules read (``screening.ruleset.facts``).
``engine.durable`` turns a tree into durable_rules' JSON and runs it (production);
``engine.reference`` evaluates the same tree in plain Python (the explanations of failed
results, and the reference the durable engine is tested against). A new engine is a new module
over this tree, nothing else.

Semantics every engine implements:

* A ``Test`` on a key that is absent from the fact is false (a comparison with a missing value
  never holds); ``Not`` of it is true. ``present`` is true when the key is in the fact.
* ``Some`` is false for an empty list; ``Every`` is true for an empty list.
* ``Implies(premise, conclusion)`` holds when the premise does not, or the conclusion does.
* Inside ``Some``/``Every``, test keys are the list item's keys; :data:`ITEM` is a list item
  that is itself a value (a list of enum values). An item value that is not given is
  :data:`ABSENT`, which every engine reads as missing.

Every node carries what an explanation needs (the model path of the field, the test as the
rule author wrote it); engines ignore it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar, Literal

Scalar = str | int | float | bool
Op = Literal["eq", "ne", "lt", "le", "gt", "ge", "in", "not_in", "present", "absent"]
OPS: tuple[str, ...] = ("eq", "ne", "lt", "le", "gt", "ge", "in", "not_in", "present", "absent")

ITEM = "."
"""The key of a list item that is itself a value."""

ABSENT = "__absent__"
"""An item value that is not given. Inside a list every key a rule reads is present, so an
engine can test "not given" and "not equal" without a disjunction (see engine.durable)."""


@dataclass(frozen=True, slots=True)
class Test:
    """One comparison of a fact value: ``key op value`` or ``key op <the value at ref>``."""

    __test__: ClassVar[bool] = False  # a rule's test, not a pytest test class

    key: str
    op: Op
    value: Scalar | tuple[Scalar, ...] | None = None
    ref: str | None = None  # compare with another key of the same fact instead of a value
    # For explanations only:
    field: str = ""  # model path, relative to the list item inside Some/Every
    test: str = ""  # the test as written: equals, at_least, count_at_least, present, …
    ref_field: str | None = None  # model path of ``ref``


@dataclass(frozen=True, slots=True)
class All:
    parts: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Any_:
    parts: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Not:
    part: Node


@dataclass(frozen=True, slots=True)
class Implies:
    premise: Node
    conclusion: Node


@dataclass(frozen=True, slots=True)
class Some:
    """At least one item of the list at ``key`` satisfies ``where``."""

    key: str
    count_key: str
    where: Node
    field: str = ""  # model path of the list


@dataclass(frozen=True, slots=True)
class Every:
    """Every item of the list at ``key`` satisfies ``where`` (true for an empty list)."""

    key: str
    count_key: str
    where: Node
    field: str = ""


@dataclass(frozen=True, slots=True)
class Switch:
    """One case per value of a field: holds when the field has one of the values and that
    value's case holds (``category_fits``: what is built must fit the category declared).
    The cases exclude each other, so an engine decides it without multiplying alternatives."""

    key: str
    cases: tuple[tuple[Scalar, Node], ...]
    field: str = ""


Node = Test | All | Any_ | Not | Implies | Some | Every | Switch


# ------------------------------------------------------------------ serialisation
# The compiled ruleset ships as JSON (a build artifact); these two functions are its node form.


def to_data(node: Node) -> dict[str, Any]:
    if isinstance(node, Test):
        data: dict[str, Any] = {"t": "test", "key": node.key, "op": node.op}
        if node.value is not None:
            data["value"] = list(node.value) if isinstance(node.value, tuple) else node.value
        for name in ("ref", "ref_field"):
            if getattr(node, name) is not None:
                data[name] = getattr(node, name)
        data["field"], data["test"] = node.field, node.test
        return data
    if isinstance(node, All | Any_):
        return {
            "t": "all" if isinstance(node, All) else "any",
            "parts": [to_data(p) for p in node.parts],
        }
    if isinstance(node, Not):
        return {"t": "not", "part": to_data(node.part)}
    if isinstance(node, Implies):
        return {"t": "implies", "if": to_data(node.premise), "then": to_data(node.conclusion)}
    if isinstance(node, Switch):
        return {
            "t": "switch",
            "key": node.key,
            "field": node.field,
            "cases": [[value, to_data(case)] for value, case in node.cases],
        }
    kind = "some" if isinstance(node, Some) else "every"
    return {
        "t": kind,
        "key": node.key,
        "count_key": node.count_key,
        "field": node.field,
        "where": to_data(node.where),
    }


def from_data(data: dict[str, Any]) -> Node:
    kind = data["t"]
    if kind == "test":
        value = data.get("value")
        return Test(
            key=data["key"],
            op=data["op"],
            value=tuple(value) if isinstance(value, list) else value,
            ref=data.get("ref"),
            field=data.get("field", ""),
            test=data.get("test", ""),
            ref_field=data.get("ref_field"),
        )
    if kind in ("all", "any"):
        parts = tuple(from_data(p) for p in data["parts"])
        return All(parts) if kind == "all" else Any_(parts)
    if kind == "not":
        return Not(from_data(data["part"]))
    if kind == "implies":
        return Implies(from_data(data["if"]), from_data(data["then"]))
    if kind == "switch":
        cases = tuple((value, from_data(case)) for value, case in data["cases"])
        return Switch(data["key"], cases, data.get("field", ""))
    quantifier = Some if kind == "some" else Every
    return quantifier(
        data["key"], data["count_key"], from_data(data["where"]), data.get("field", "")
    )
