"""The durable_rules engine: the neutral tree in durable_rules' JSON, run on its C core.

durable_rules only reports the rules that match; it cannot say why one did not. So every
condition is compiled twice, into an expression that matches exactly when it holds and one
that matches exactly when it fails (negation pushed down to the leaves by De Morgan, with a
missing value counted explicitly), and each decision gets one durable rule per possible
result. Exactly one of them fires for every fact, or :class:`IncompleteTraceError` is raised
and no verdict is given.

This module and :mod:`.durable_session` are the only places that know durable_rules' syntax
(``$and``, ``$or``, ``$iany``, ``$iall``, ``$ex``, ``$nex``, ``$m`` …); a test checks it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from . import FAILED, NOT_APPLICABLE, PASSED, Decision
from .durable_session import FACT_KIND_KEY, DurableRuleset
from .errors import EngineError, IncompleteTraceError
from .tree import ABSENT, ITEM, All, Any_, Every, Implies, Node, Not, Some, Switch, Test

Expression = dict[str, Any]
FACT_KIND = "lsh_fact"


@dataclass(frozen=True, slots=True)
class _Compiled:
    holds: Expression
    fails: Expression


def all_of(*parts: Expression) -> Expression:
    flat: list[Expression] = []
    for part in parts:
        flat.extend(part["$and"] if set(part) == {"$and"} else [part])
    return flat[0] if len(flat) == 1 else {"$and": flat}


def any_of(*parts: Expression) -> Expression:
    flat: list[Expression] = []
    for part in parts:
        flat.extend(part["$or"] if set(part) == {"$or"} else [part])
    return flat[0] if len(flat) == 1 else {"$or": flat}


_NEGATED = {"lt": "ge", "le": "gt", "gt": "le", "ge": "lt"}
_OPERATOR = {"lt": "$lt", "le": "$lte", "gt": "$gt", "ge": "$gte"}


def _ex(key: str) -> Expression:
    return {"$ex": {key: 1}}


def _nex(key: str) -> Expression:
    return {"$nex": {key: 1}}


def _test(test: Test) -> _Compiled:
    key = test.key
    op = test.op
    if op == "present":
        return _Compiled(_ex(key), _nex(key))
    if op == "absent":
        return _Compiled(_nex(key), _ex(key))
    if op in ("eq", "ne", "in", "not_in"):
        if test.ref is not None:  # equal to another value of the fact: both must be present
            same, other = {key: {"$m": test.ref}}, {"$neq": {key: {"$m": test.ref}}}
            missing = any_of(_nex(key), _nex(test.ref))
            if op == "eq":
                return _Compiled(all_of(_ex(key), _ex(test.ref), same), any_of(missing, other))
            return _Compiled(all_of(_ex(key), _ex(test.ref), other), any_of(missing, same))
        values = test.value if isinstance(test.value, tuple) else (test.value,)
        one_of = any_of(*({key: v} for v in values))
        none_of = all_of(_ex(key), *({"$neq": {key: v}} for v in values))
        if op in ("eq", "in"):
            return _Compiled(one_of, any_of(_nex(key), none_of))
        return _Compiled(none_of, any_of(_nex(key), one_of))
    # Measured: durable_rules matches a comparison whose `$m` reference is missing, and an
    # inequality on a missing key; every comparison therefore states that its values exist.
    operand: Any = {"$m": test.ref} if test.ref is not None else test.value
    present = [_ex(key)] + ([_ex(test.ref)] if test.ref is not None else [])
    missing = [_nex(key)] + ([_nex(test.ref)] if test.ref is not None else [])
    holds = all_of(*present, {_OPERATOR[op]: {key: operand}})
    negated = all_of(*present, {_OPERATOR[_NEGATED[op]]: {key: operand}})
    return _Compiled(holds, any_of(*missing, negated))


# ---------------------------------------------------------------- inside a list
# Measured on durable_rules 2.0.28: an `$or` nested inside `$iany` or `$iall` is decided
# wrongly (only its last alternative counts), so a condition on list items is never handed to
# durable_rules with an `$or` inside a quantifier. It is brought into disjunctive normal form
# here: "some item satisfies A or B" becomes "some item satisfies A, or some item satisfies B"
# (sound), and "every item satisfies …" must be a single conjunction (otherwise refused, and
# `screening rules check` says so). Every key is present in an item — a value not given is
# ABSENT — so "not given or different" is one inequality rather than a disjunction.

Conjunction = tuple[Expression, ...]
DNF = list[Conjunction]
MAX_ALTERNATIVES = 64


def _item_atoms(test: Test, holds: bool) -> DNF:
    key = "$i" if test.key == ITEM else f"$i.{test.key}"
    op = test.op
    scalar = test.key == ITEM  # a list of values holds no absent items (the fact drops them)
    if op in ("present", "absent"):
        if scalar:
            raise EngineError("an item of a list of values is always given; test the list instead")
        given = (op == "present") == holds
        return [({"$neq": {key: ABSENT}},)] if given else [({key: ABSENT},)]
    if op not in ("eq", "ne", "in", "not_in") or test.ref is not None:
        raise EngineError(
            f"a list item's '{test.field or test.key}' can be tested for a value, a choice or "
            "presence; durable_rules cannot compare it with a number or another field"
        )
    values = test.value if isinstance(test.value, tuple) else (test.value,)
    one_of: DNF = [({key: v},) for v in values]
    different = tuple({"$neq": {key: v}} for v in values)  # ABSENT differs from every value
    if op in ("eq", "in"):
        # holds: one of the values; fails: another value or absent — one conjunction
        return one_of if holds else [different]
    # 'ne'/'not_in' holds: given and none of the values; fails: one of them, or absent
    if holds:
        return [different if scalar else ({"$neq": {key: ABSENT}}, *different)]
    return one_of if scalar else [*one_of, ({key: ABSENT},)]


def _cross(left: DNF, right: DNF) -> DNF:
    product = [a + b for a in left for b in right]
    if len(product) > MAX_ALTERNATIVES:
        raise EngineError("the condition on list items has too many alternatives; simplify it")
    return product


def _item_dnf(node: Node, holds: bool) -> DNF:
    """``node`` (on one list item) as alternatives of conjunctions of single tests."""
    if isinstance(node, Test):
        return _item_atoms(node, holds)
    if isinstance(node, Not):
        return _item_dnf(node.part, not holds)
    if isinstance(node, Implies):
        if holds:
            return _item_dnf(node.premise, False) + _item_dnf(node.conclusion, True)
        return _cross(_item_dnf(node.premise, True), _item_dnf(node.conclusion, False))
    if isinstance(node, Switch):
        raise EngineError("category_fits cannot be used inside some/every")
    if isinstance(node, All | Any_):
        conjunctive = isinstance(node, All) == holds
        parts = [_item_dnf(p, holds) for p in node.parts]
        if not conjunctive:
            return [alternative for part in parts for alternative in part]
        result: DNF = [()]
        for part in parts:
            result = _cross(result, part)
        return result
    raise EngineError("some/every cannot be nested inside another some/every")


def _exists(key: str, alternatives: DNF) -> Expression:
    return any_of(*({"$iany": {key: all_of(*conjunction)}} for conjunction in alternatives))


def _for_all(key: str, alternatives: DNF, what: str) -> Expression:
    if len(alternatives) != 1:
        raise EngineError(
            f"durable_rules cannot decide {what}: for each item the condition would need an "
            "'or'. Inside 'every', use all-of tests (equals, not_in, present); inside 'some', "
            "use tests whose opposite is all-of (equals, in, present), one test or any-of them"
        )
    return {"$iall": {key: all_of(*alternatives[0])}}


def compile_node(node: Node) -> _Compiled:
    """The durable expressions under which ``node`` holds, and under which it fails."""
    if isinstance(node, Test):
        return _test(node)
    if isinstance(node, All):
        parts = [compile_node(p) for p in node.parts]
        return _Compiled(all_of(*(p.holds for p in parts)), any_of(*(p.fails for p in parts)))
    if isinstance(node, Any_):
        parts = [compile_node(p) for p in node.parts]
        return _Compiled(any_of(*(p.holds for p in parts)), all_of(*(p.fails for p in parts)))
    if isinstance(node, Not):
        inner = compile_node(node.part)
        return _Compiled(inner.fails, inner.holds)
    if isinstance(node, Implies):
        premise = compile_node(node.premise)
        conclusion = compile_node(node.conclusion)
        return _Compiled(
            any_of(premise.fails, conclusion.holds), all_of(premise.holds, conclusion.fails)
        )
    if isinstance(node, Switch):
        # The cases exclude each other: "the value is v and v's case holds", summed over v.
        cases = [({node.key: value}, compile_node(case)) for value, case in node.cases]
        values = [value for value, _ in node.cases]
        other = all_of(_ex(node.key), *({"$neq": {node.key: v}} for v in values))
        return _Compiled(
            any_of(*(all_of(is_value, c.holds) for is_value, c in cases)),
            any_of(_nex(node.key), other, *(all_of(is_value, c.fails) for is_value, c in cases)),
        )
    where_holds = _item_dnf(node.where, True)
    where_fails = _item_dnf(node.where, False)
    empty, not_empty = {"$lte": {node.count_key: 0}}, {"$gt": {node.count_key: 0}}
    what = f"'{'some' if isinstance(node, Some) else 'every'}' over {node.field or node.key}"
    if isinstance(node, Some):
        return _Compiled(
            _exists(node.key, where_holds),
            any_of(empty, _for_all(node.key, where_fails, what)),
        )
    assert isinstance(node, Every)
    return _Compiled(
        any_of(empty, _for_all(node.key, where_holds, what)),
        all_of(not_empty, _exists(node.key, where_fails)),
    )


def variants(decision: Decision) -> dict[str, Expression]:
    """The durable expression under which each result is the decision's result."""
    condition = compile_node(decision.condition)
    applies = compile_node(decision.applies) if decision.applies is not None else None
    otherwise = NOT_APPLICABLE if decision.signal else FAILED
    if applies is None:
        return {PASSED: condition.holds, otherwise: condition.fails}
    if decision.signal:
        return {
            PASSED: all_of(applies.holds, condition.holds),
            NOT_APPLICABLE: any_of(applies.fails, condition.fails),
        }
    return {
        PASSED: all_of(applies.holds, condition.holds),
        FAILED: all_of(applies.holds, condition.fails),
        NOT_APPLICABLE: applies.fails,
    }


def definition(decisions: Sequence[Decision]) -> dict[str, Expression]:
    """The ruleset in durable_rules' JSON form: one rule per decision and result."""
    rules: dict[str, Expression] = {}
    for decision in decisions:
        for result, expression in variants(decision).items():
            rules[f"{decision.name}|{result}"] = {
                "all": [{"m": {"$and": [{FACT_KIND_KEY: FACT_KIND}, expression]}}]
            }
    return rules


class DurableEngine:
    """Decides a ruleset's decisions with durable_rules. Build once per process and version."""

    def __init__(self, name: str, decisions: Sequence[Decision]) -> None:
        self.decisions = tuple(decisions)
        rules = definition(self.decisions)
        # Versioned names let two ruleset versions live side by side in one process.
        self._ruleset = DurableRuleset(re.sub(r"[^A-Za-z0-9_]", "_", name), rules)
        self._routes = {rule_name: tuple(rule_name.rsplit("|", 1)) for rule_name in rules}

    def decide(self, fact: Mapping[str, Any]) -> dict[str, str]:
        fired: list[str] = []
        message = {**fact, FACT_KIND_KEY: FACT_KIND}
        with self._ruleset.session() as session:
            session.assert_fact(message, fired.append)
        # durable_rules fires a rule once per matching branch of an `$or`, so one result may
        # arrive more than once; two different results for one decision may not.
        found: dict[str, set[str]] = {}
        for rule_name in fired:
            name, result = self._routes[rule_name]
            found.setdefault(name, set()).add(result)
        results: dict[str, str] = {}
        broken: list[str] = []
        for decision in self.decisions:
            outcomes = found.get(decision.name, set())
            if len(outcomes) == 1:
                (results[decision.name],) = outcomes
            else:
                broken.append(f"{decision.name} ({', '.join(sorted(outcomes)) or 'none'})")
        if broken:
            raise IncompleteTraceError(
                "the engine did not yield exactly one result for: " + ", ".join(broken)
            )
        return results


__all__ = ["FACT_KIND", "DurableEngine", "compile_node", "definition", "variants"]
