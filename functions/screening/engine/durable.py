"""The durable_rules engine: the neutral tree in durable_rules' JSON, run on its C core.

durable_rules only reports the rules that match; it cannot say why one did not. Every condition
is compiled twice, into an expression that matches exactly when it holds and one that matches
exactly when it fails (negation pushed down to the leaves by De Morgan, with a missing value
counted explicitly): :func:`variants` gives, per decision, the expression of every result, and
the authoring tools refuse a rule that durable_rules cannot decide.

What is registered (measured: assert and drain cost grow with every rule and every firing):

* one durable rule per result that durable_rules must *see*: a check's ``passed`` (and its
  ``not_applicable`` when it has ``applies``), a signal's ``passed`` and ``not_applicable``.
  A check's ``failed`` is the one result inferred — when none of its rules fired — and every
  inferred ``failed`` is confirmed by the reference evaluator before it is returned (failures
  are few, and each is explained by the reference anyway). No firing that the reference does
  not confirm, or two results for one decision, raises :class:`IncompleteTraceError`: no
  verdict is given.
* the expressions are simplified before registering (a key known present is not tested again,
  alternatives that contradict the rest of a conjunction are dropped, ``or`` terms come last so
  the alpha network filters before it branches); each rule has a ``cap`` so the duplicate
  firings of one rule's alternatives are drained in one action;
* keys are renamed to short names and only the keys some rule reads are posted: the message
  durable_rules parses, scans per alpha node and copies into every action is a fraction of the
  fact.

This module and :mod:`.durable_session` are the only places that know durable_rules' syntax
(``$and``, ``$or``, ``$iany``, ``$iall``, ``$ex``, ``$nex``, ``$m`` …); a test checks it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from . import FAILED, NOT_APPLICABLE, PASSED, Decision, decide_one
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
    absent = [_nex(key)] + ([_nex(test.ref)] if test.ref is not None else [])
    holds = all_of(*present, {_OPERATOR[op]: {key: operand}})
    negated = all_of(*present, {_OPERATOR[_NEGATED[op]]: {key: operand}})
    return _Compiled(holds, any_of(*absent, negated))


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


def _item_equality(conjunction: Conjunction) -> str | None:
    """The item key of an alternative that is one equality with a value ("$i.key": v)."""
    if len(conjunction) != 1 or len(conjunction[0]) != 1:
        return None
    ((key, value),) = conjunction[0].items()
    return key if key.startswith("$i") and not isinstance(value, dict) else None


def _exists(key: str, alternatives: DNF) -> Expression:
    # Alternatives that are single equalities on the same item key are one `$iany` with an
    # `$or` inside: measured exhaustively on durable_rules 2.0.28, an `$or` inside `$iany` is
    # only decided wrongly when its alternatives test different keys of the item (a later key
    # overwrites an earlier match). One `$iany` reads the list once instead of once per value.
    same_key: dict[str, list[Expression]] = {}
    parts: list[Expression] = []
    for conjunction in alternatives:
        item_key = _item_equality(conjunction)
        if item_key is None:
            parts.append({"$iany": {key: all_of(*conjunction)}})
        else:
            if item_key not in same_key:
                same_key[item_key] = []
                parts.append({"$iany": {key: {"$or": same_key[item_key]}}})
            same_key[item_key].append(conjunction[0])
    for expression in parts:  # a single value needs no `$or`
        inner = expression["$iany"][key]
        if set(inner) == {"$or"} and len(inner["$or"]) == 1:
            expression["$iany"][key] = inner["$or"][0]
    return any_of(*parts)


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


def inferred(decision: Decision) -> str | None:
    """The result that is not registered but inferred when no rule of the decision fires."""
    return None if decision.signal else FAILED


# ---------------------------------------------------------------- simplification
# Measured on durable_rules 2.0.28 (tests/core/test_engine.py proves the equivalence on random
# trees): a test of a key against a literal (equal, not equal, ordered, $iany, $iall) is only
# reached when the key is in the message, so it implies `$ex`; a `$m` reference does not.


def _literal_key(term: Expression) -> str | None:
    """The key a term tests against a literal, which the term therefore needs present."""
    if len(term) != 1:
        return None
    ((operator, operand),) = term.items()
    if not operator.startswith("$"):
        return None if isinstance(operand, dict) else operator
    if operator in ("$neq", "$lt", "$lte", "$gt", "$gte", "$iany", "$iall") and len(operand) == 1:
        ((key, value),) = operand.items()
        if operator in ("$iany", "$iall") or not isinstance(value, dict):
            return str(key)
    return None


def _present(term: Expression) -> str | None:
    if set(term) == {"$ex"}:
        return str(next(iter(term["$ex"])))
    return _literal_key(term)


def _absent(term: Expression) -> str | None:
    return str(next(iter(term["$nex"]))) if set(term) == {"$nex"} else None


def _simplify(expression: Expression) -> Expression:
    if set(expression) == {"$and"}:
        return _simplify_and([_simplify(t) for t in expression["$and"]])
    if set(expression) == {"$or"}:
        return any_of(*(_simplify(t) for t in expression["$or"]))
    return expression


def _simplify_and(terms: list[Expression]) -> Expression:
    flat: list[Expression] = []
    for term in terms:
        for part in term["$and"] if set(term) == {"$and"} else [term]:
            if part not in flat:
                flat.append(part)
    present = {k for k in map(_present, flat) if k is not None}
    absent = {k for k in map(_absent, flat) if k is not None}
    kept: list[Expression] = []
    for term in flat:
        if set(term) == {"$or"}:
            alternatives = []
            satisfied = False
            for alternative in term["$or"]:
                reduced = _given(alternative, present, absent)
                if reduced is True:
                    satisfied = True
                    break
                if reduced is not False:
                    alternatives.append(reduced)
            if satisfied:
                continue
            if not alternatives:  # contradictory: keep it as written (durable decides it)
                kept.append(term)
                continue
            kept.append(any_of(*alternatives))
        elif set(term) == {"$ex"} and any(
            _literal_key(other) == _present(term) and other is not term for other in flat
        ):
            continue  # another term tests this key against a literal: it is present
        else:
            kept.append(term)
    # Filter first, branch last: an `$or` duplicates everything after it in the alpha network.
    kept.sort(key=lambda t: set(t) == {"$or"})
    return all_of(*kept) if kept else flat[0]


def _given(expression: Expression, present: set[str], absent: set[str]) -> Expression | bool:
    """``expression`` knowing the keys ``present`` and ``absent`` (True / False if decided)."""
    if _present(expression) is not None and set(expression) == {"$ex"}:
        key = _present(expression)
        return True if key in present else False if key in absent else expression
    if _absent(expression) is not None:
        key = _absent(expression)
        return False if key in present else True if key in absent else expression
    if _literal_key(expression) in absent:
        return False
    if set(expression) == {"$and"}:
        terms = []
        for term in expression["$and"]:
            reduced = _given(term, present, absent)
            if reduced is False:
                return False
            if reduced is not True:
                terms.append(reduced)
        return all_of(*terms) if terms else True
    return expression


# ---------------------------------------------------------------- short keys


class _Keys:
    """Short names for the fact's keys (``k0``, ``k1`` …) and each list's item keys."""

    def __init__(self) -> None:
        self.top: dict[str, str] = {}
        self.items: dict[str, dict[str, str]] = {}  # list key → item key → short

    def key(self, key: str) -> str:
        return self.top.setdefault(key, f"k{len(self.top)}")

    def item(self, list_key: str, key: str) -> str:
        if key == ITEM:
            return key
        names = self.items.setdefault(list_key, {})
        return names.setdefault(key, f"i{len(names)}")

    def rename(self, node: Node, list_key: str | None = None) -> Node:
        def name(key: str) -> str:
            return self.item(list_key, key) if list_key is not None else self.key(key)

        if isinstance(node, Test):
            ref = self.key(node.ref) if node.ref is not None else None
            return replace(node, key=name(node.key), ref=ref)
        if isinstance(node, All):
            return All(tuple(self.rename(p, list_key) for p in node.parts))
        if isinstance(node, Any_):
            return Any_(tuple(self.rename(p, list_key) for p in node.parts))
        if isinstance(node, Not):
            return Not(self.rename(node.part, list_key))
        if isinstance(node, Implies):
            return Implies(
                self.rename(node.premise, list_key), self.rename(node.conclusion, list_key)
            )
        if isinstance(node, Switch):
            cases = tuple((v, self.rename(c, list_key)) for v, c in node.cases)
            return Switch(name(node.key), cases, node.field)
        if list_key is not None:
            raise EngineError("some/every cannot be nested inside another some/every")
        quantifier = type(node)
        short = self.key(node.key)
        where = self.rename(node.where, node.key)
        return quantifier(short, self.key(node.count_key), where, node.field)

    def plan(self) -> tuple[tuple[str, str, dict[str, str] | None], ...]:
        """(fact key, short key, item keys or None) for every key some rule reads."""
        return tuple((key, short, self.items.get(key)) for key, short in self.top.items())


def definition(
    decisions: Sequence[Decision], keys: _Keys | None = None
) -> tuple[dict[str, Expression], dict[str, tuple[tuple[str, str], ...]]]:
    """The ruleset in durable_rules' JSON form, one rule per registered result of a decision,
    and what each rule's firing decides: (decision name, result) pairs. Decisions whose result
    has the very same expression (e.g. one ``applies`` for several rules) share one rule."""
    keys = keys or _Keys()
    rules: dict[str, Expression] = {}
    routes: dict[str, list[tuple[str, str]]] = {}
    named: dict[str, str] = {}  # pattern (as JSON) → rule name
    for decision in decisions:
        short = Decision(
            decision.name,
            keys.rename(decision.condition),
            keys.rename(decision.applies) if decision.applies is not None else None,
            decision.signal,
        )
        skip = inferred(decision)
        for result, expression in variants(short).items():
            if result == skip:
                continue
            pattern = _simplify(all_of({FACT_KIND_KEY: FACT_KIND}, expression))
            text = json.dumps(pattern, sort_keys=True)
            rule_name = named.setdefault(text, f"{decision.name}|{result}")
            if rule_name not in rules:
                rules[rule_name] = {"all": [{"m": pattern}], "cap": _CAP}
            routes.setdefault(rule_name, []).append((decision.name, result))
    return rules, {name: tuple(found) for name, found in routes.items()}


_CAP = 250  # a rule's pending firings drained in one action (its alternatives may each fire)


class DurableEngine:
    """Decides a ruleset's decisions with durable_rules. Build once per process and version."""

    def __init__(self, name: str, decisions: Sequence[Decision]) -> None:
        self.decisions = tuple(decisions)
        keys = _Keys()
        rules, self._routes = definition(self.decisions, keys)
        # Versioned names let two ruleset versions live side by side in one process.
        self._ruleset = DurableRuleset(re.sub(r"[^A-Za-z0-9_]", "_", name), rules)
        self._keys = keys.plan()
        self._message = self._message_function()
        # Per rule: what its firing decides, and how many results that is (a rule shared by
        # two results of one decision must still count as two: the conflict is found below).
        self._decided = {rule: (dict(found), len(found)) for rule, found in self._routes.items()}
        self._names = frozenset(d.name for d in self.decisions)
        self._inferred = {d.name: (d, inferred(d)) for d in self.decisions}

    def message(self, fact: Mapping[str, Any]) -> dict[str, Any]:
        """The fact as durable_rules is given it: short keys, only the keys rules read."""
        return self._message(fact)

    def _message_function(self) -> Callable[[Mapping[str, Any]], dict[str, Any]]:
        """``message`` as one generated function: a line per key rules read (measured: half the
        time of a loop over the key plan)."""
        lines = ["def message(fact):", f"    out = {{{FACT_KIND_KEY!r}: {FACT_KIND!r}}}"]
        for number, (key, short, items) in enumerate(self._keys):
            lines.append(f"    value = fact.get({key!r})")
            lines.append("    if value is not None:")
            if items is None:
                lines.append(f"        out[{short!r}] = value")
            else:
                lines.append(
                    f"        out[{short!r}] = [{{_items{number}[k]: v for k, v in item.items() "
                    f"if k in _items{number}}} if type(item) is dict else item for item in value]"
                )
        lines.append("    return out")
        scope: dict[str, Any] = {
            f"_items{number}": items
            for number, (_, _, items) in enumerate(self._keys)
            if items is not None
        }
        exec(compile("\n".join(lines), "<durable message>", "exec"), scope)
        function: Callable[[Mapping[str, Any]], dict[str, Any]] = scope["message"]
        return function

    def decide(self, fact: Mapping[str, Any]) -> dict[str, str]:
        fired = self._ruleset.evaluate(self._message(fact))
        results: dict[str, str] = {}
        given = 0
        try:
            for rule_name in fired:
                decided, count = self._decided[rule_name]
                results.update(decided)
                given += count
        except KeyError as error:
            raise EngineError(f"durable_rules fired an unknown rule {error}") from None
        broken: list[str] = []
        if given != len(results):  # some decision got more than one result
            found: dict[str, set[str]] = {}
            for rule_name in fired:
                for name, result in self._routes[rule_name]:
                    found.setdefault(name, set()).add(result)
            broken = [f"{n} ({', '.join(sorted(r))})" for n, r in found.items() if len(r) > 1]
        for name in self._names - results.keys():
            # Nothing fired: the inferred result, confirmed by the reference evaluator.
            decision, otherwise = self._inferred[name]
            if otherwise is not None and decide_one(decision, fact) == otherwise:
                results[name] = otherwise
            else:
                broken.append(f"{name} (none)")
        if broken:
            raise IncompleteTraceError(
                "the engine did not yield exactly one result for: " + ", ".join(sorted(broken))
            )
        return results


__all__ = ["FACT_KIND", "DurableEngine", "compile_node", "definition", "inferred", "variants"]
