"""The reference engine: the neutral condition tree evaluated in plain Python.

It is the definition the durable engine is tested against (every rule example must get the
same result from both), the floor of the benchmark, and what explains a failed result: it can
say which leaves of a condition do not hold (:func:`misses`), which durable_rules cannot.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from .tree import ABSENT, ITEM, All, Any_, Every, Implies, Node, Not, Some, Switch, Test


def _lookup(scope: Mapping[str, Any] | Any, key: str) -> Any:
    value = scope if key == ITEM else scope.get(key) if isinstance(scope, Mapping) else None
    return None if value == ABSENT else value


def _compare(op: str, actual: Any, expected: Any) -> bool:
    # Numbers compare with numbers, enum values and flags by equality; a bool is never a number.
    if op == "eq":
        return actual == expected and isinstance(actual, bool) == isinstance(expected, bool)
    if op == "ne":
        return not _compare("eq", actual, expected)
    if op == "in":
        return any(_compare("eq", actual, v) for v in expected)
    if op == "not_in":
        return not _compare("in", actual, expected)
    if isinstance(actual, bool) or isinstance(expected, bool):
        return False
    if not isinstance(actual, int | float) or not isinstance(expected, int | float):
        return False
    return {
        "lt": actual < expected,
        "le": actual <= expected,
        "gt": actual > expected,
        "ge": actual >= expected,
    }[op]


def test_holds(test: Test, scope: Mapping[str, Any] | Any, fact: Mapping[str, Any]) -> bool:
    actual = _lookup(scope, test.key)
    if test.op == "present":
        return actual is not None
    if test.op == "absent":
        return actual is None
    if actual is None:
        return False  # a comparison with a missing value never holds
    if test.ref is not None:
        other = fact.get(test.ref)
        return other is not None and _compare(test.op, actual, other)
    return _compare(test.op, actual, test.value)


def holds(node: Node, fact: Mapping[str, Any], scope: Mapping[str, Any] | Any = None) -> bool:
    """Does ``node`` hold for ``fact``? (``scope`` is the list item inside Some/Every.)"""
    here = fact if scope is None else scope
    if isinstance(node, Test):
        return test_holds(node, here, fact)
    if isinstance(node, All):
        return all(holds(p, fact, scope) for p in node.parts)
    if isinstance(node, Any_):
        return any(holds(p, fact, scope) for p in node.parts)
    if isinstance(node, Not):
        return not holds(node.part, fact, scope)
    if isinstance(node, Implies):
        return not holds(node.premise, fact, scope) or holds(node.conclusion, fact, scope)
    if isinstance(node, Switch):
        case = _case(node, here)
        return case is not None and holds(case, fact, scope)
    items = fact.get(node.key) or []
    if isinstance(node, Some):
        return any(holds(node.where, fact, item) for item in items)
    assert isinstance(node, Every)
    return all(holds(node.where, fact, item) for item in items)


def _case(node: Switch, scope: Mapping[str, Any] | Any) -> Node | None:
    value = _lookup(scope, node.key)
    return next((case for v, case in node.cases if v == value), None)


@dataclass(frozen=True, slots=True)
class Miss:
    """A leaf that made a condition fail: the test, and where (list path and item index)."""

    test: Test
    actual: Any
    list_field: str | None = None  # model path of the list, inside Some/Every
    index: int | None = None  # 0-based item index


def misses(node: Node, fact: Mapping[str, Any]) -> list[Miss]:
    """The leaves that make ``node`` fail on ``fact`` (empty when it holds).

    ``all``: every failing part; ``any``: the failures of every alternative (none held);
    ``implies``: the conclusion's failures; ``every``: each failing item's; ``some``: each
    item's, or the list itself when it is empty; ``not``: the negated part's leaves that held.
    """
    return list(_misses(node, fact, None, None, None, negated=False))


def _misses(
    node: Node,
    fact: Mapping[str, Any],
    scope: Any,
    list_field: str | None,
    index: int | None,
    negated: bool,
) -> Iterator[Miss]:
    here = fact if scope is None else scope
    wanted = not negated  # what the node should evaluate to
    if isinstance(node, All) != negated and isinstance(node, All | Any_):
        # An 'all' that must hold (or an 'any' that must not) misses exactly where its parts
        # miss, and each part checks itself: evaluating the whole node first would only
        # evaluate every part twice.
        for part in node.parts:
            yield from _misses(part, fact, scope, list_field, index, negated)
        return
    if holds(node, fact, scope) == wanted:
        return
    if isinstance(node, Test):
        yield Miss(node, _lookup(here, node.key), list_field, index)
        return
    if isinstance(node, Not):
        yield from _misses(node.part, fact, scope, list_field, index, not negated)
        return
    if isinstance(node, Implies):
        if negated:  # the premise held and the conclusion failed: nothing to fix in a 'not'
            yield from _misses(node.premise, fact, scope, list_field, index, True)
        else:
            yield from _misses(node.conclusion, fact, scope, list_field, index, False)
        return
    if isinstance(node, Switch):
        case = _case(node, here)
        if case is None:  # not one of the values: the field itself is what to fix
            value = _lookup(here, node.key)
            values = tuple(v for v, _ in node.cases)
            yield Miss(
                Test(node.key, "in", values, field=node.field, test="in"), value, list_field, index
            )
        else:
            yield from _misses(case, fact, scope, list_field, index, negated)
        return
    if isinstance(node, All | Any_):
        # all-failing / any-negated: the offending parts; any-failing / all-negated: all parts.
        for part in node.parts:
            yield from _misses(part, fact, scope, list_field, index, negated)
        return
    items: list[Any] = list(fact.get(node.key) or [])
    quantified_failure = (isinstance(node, Some) and not negated) or (
        isinstance(node, Every) and negated
    )
    if quantified_failure and not items:
        empty = Test(node.count_key, "gt", 0, field=node.field, test="count_at_least")
        yield Miss(empty, 0, None, None)
        return
    for position, item in enumerate(items):
        yield from _misses(node.where, fact, item, node.field, position, negated)
