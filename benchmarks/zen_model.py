"""The ruleset's decisions as a GoRules ZEN decision model, generated from the neutral trees.

The benchmark compares the screening (durable_rules deciding) with the same screening where
GoRules ZEN (``zen-engine``, Rust) decides instead: same rules, same fact, same verdict
assembly and reasons. To keep "the same rules" true by construction, the ZEN model is not
written by hand: every :class:`~screening.engine.Decision` of the compiled ruleset becomes one
expression of a ZEN *expression node*, compiled from the same engine-neutral condition tree
(``screening.engine.tree``) that durable_rules and the reference evaluator run.

The tree's semantics (see ``engine.tree``) in ZEN's expression language:

* a test on a missing key is false: ``x == v`` is false for ``null``; an ordered comparison
  first checks ``type(x) == 'number'`` (ZEN refuses to compare ``null``, and a flag is never a
  number, as in the reference);
* ``present`` is ``x != null``; inside a list item a value not given is ``ABSENT``;
* ``some``/``every`` are ZEN's ``some(list, …)``/``all(list, …)`` (``#`` is the item);
* ``implies`` is ``not p or c``; a ``switch`` is the sum of "the value is v and v's case holds".

Each decision's expression yields ``"passed"``, ``"failed"`` or ``"not_applicable"``, exactly
as :func:`screening.engine.decide_one` decides. :class:`ZenEngine` implements the screening's
``Engine`` protocol, so ``Screener(ruleset, engine=ZenEngine(...))`` builds the same verdict.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

import zen

from screening.engine import FAILED, NOT_APPLICABLE, PASSED, Decision
from screening.engine.tree import (
    ABSENT,
    ITEM,
    All,
    Any_,
    Every,
    Implies,
    Node,
    Not,
    Some,
    Switch,
    Test,
)

_ORDERED = {"lt": "<", "le": "<=", "gt": ">", "ge": ">="}


def _literal(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value)  # ZEN strings take JSON's escapes
    raise TypeError(f"no ZEN literal for {type(value).__name__}")


def _variable(key: str, item: bool) -> str:
    if item:
        return "#" if key == ITEM else f"#.{key}"
    return key  # fact keys are identifiers (a.b paths are flattened to a__b)


def _test(test: Test, item: bool) -> str:
    x = _variable(test.key, item)
    given = f"({x} != null and {x} != {_literal(ABSENT)})" if item else f"({x} != null)"
    if test.op == "present":
        return given
    if test.op == "absent":
        return f"not ({given})"
    other = _variable(test.ref, False) if test.ref is not None else None
    if test.op in ("eq", "ne", "in", "not_in"):
        if other is not None:
            same = f"({x} != null and {other} != null and {x} == {other})"
            differ = f"({x} != null and {other} != null and {x} != {other})"
            return same if test.op == "eq" else differ
        values = test.value if isinstance(test.value, tuple) else (test.value,)
        one_of = (
            f"{x} == {_literal(values[0])}"
            if len(values) == 1
            else f"{x} in [{', '.join(_literal(v) for v in values)}]"
        )
        if test.op in ("eq", "in"):
            return f"({one_of})"
        return f"({given} and not ({one_of}))"
    bound = other if other is not None else _literal(test.value)
    guard = f"type({x}) == 'number'"
    if other is not None:
        guard += f" and type({other}) == 'number'"
    return f"({guard} and {x} {_ORDERED[test.op]} {bound})"


def expression(node: Node, item: bool = False) -> str:
    """``node`` as a ZEN boolean expression (``item``: inside some/every, ``#`` is the item)."""
    if isinstance(node, Test):
        return _test(node, item)
    if isinstance(node, All):
        return "(" + " and ".join(expression(p, item) for p in node.parts) + ")"
    if isinstance(node, Any_):
        return "(" + " or ".join(expression(p, item) for p in node.parts) + ")"
    if isinstance(node, Not):
        return f"(not {expression(node.part, item)})"
    if isinstance(node, Implies):
        return f"((not {expression(node.premise, item)}) or {expression(node.conclusion, item)})"
    if isinstance(node, Switch):
        x = _variable(node.key, item)
        cases = [f"({x} == {_literal(v)} and {expression(c, item)})" for v, c in node.cases]
        return "(" + " or ".join(cases) + ")"
    if item:
        raise ValueError("some/every cannot be nested")
    where = expression(node.where, True)
    if isinstance(node, Some):
        return f"some({node.key} ?? [], {where})"
    assert isinstance(node, Every)
    return f"all({node.key} ?? [], {where})"


def decision_expression(decision: Decision) -> str:
    otherwise = NOT_APPLICABLE if decision.signal else FAILED
    decided = f"({expression(decision.condition)}) ? '{PASSED}' : '{otherwise}'"
    if decision.applies is None:
        return decided
    return f"({expression(decision.applies)}) ? ({decided}) : '{NOT_APPLICABLE}'"


def model(decisions: Sequence[Decision]) -> dict[str, Any]:
    """A JDM graph: input → one expression node (an expression per decision) → output.

    Output keys are ``d0``, ``d1``, … (decision names hold dots, which ZEN reads as paths)."""
    expressions = [
        {"id": f"e{i}", "key": f"d{i}", "value": decision_expression(d)}
        for i, d in enumerate(decisions)
    ]
    return {
        "nodes": [
            {"id": "input", "type": "inputNode", "name": "fact", "position": {"x": 0, "y": 0}},
            {
                "id": "decide",
                "type": "expressionNode",
                "name": "decisions",
                "position": {"x": 300, "y": 0},
                "content": {"expressions": expressions},
            },
            {
                "id": "output",
                "type": "outputNode",
                "name": "results",
                "position": {"x": 600, "y": 0},
            },
        ],
        "edges": [
            {"id": "e-in", "sourceId": "input", "targetId": "decide", "type": "edge"},
            {"id": "e-out", "sourceId": "decide", "targetId": "output", "type": "edge"},
        ],
    }


class ZenEngine:
    """The decisions evaluated by GoRules ZEN, without trace (the screening's Engine protocol)."""

    def __init__(self, decisions: Sequence[Decision]) -> None:
        self.decisions = tuple(decisions)
        self.content = json.dumps(model(self.decisions))
        self._decision = zen.ZenEngine().create_decision(self.content)
        self._names = {f"d{i}": d.name for i, d in enumerate(self.decisions)}
        self._options = {"trace": False}

    def decide(self, fact: Mapping[str, Any]) -> dict[str, str]:
        result = self._decision.evaluate(fact, self._options)["result"]
        names = self._names
        return {names[key]: value for key, value in result.items()}
