"""Compile a rule condition into durable_rules' JSON: once for *holds*, once for *fails*.

durable_rules only reports the rules that match; it cannot say why one did not. So every
condition is compiled twice, into an expression that matches exactly when it holds and one
that matches exactly when it fails (negation pushed down to the leaves by De Morgan, with
"missing" counted explicitly). Each rule thus fires exactly one of its variants and every
application gets a complete trace.

Semantics a rule author can rely on:

* A comparison with a missing value is false (``at_least`` on an empty field fails).
* ``present`` means given and not empty; for a list, at least one item.
* ``some`` is false for an empty list; ``every`` is true for an empty list.
* ``contains_any`` looks for lower-case words or word stems at the start of a word; it is
  evaluated by a keyword probe when the fact is built (see :class:`.facts.Probe`).
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .facts import FactPlan, ListPlan, key_of
from .fields import PERSONAL_DATA_ROOTS, FieldCatalog, FieldInfo
from .problems import CompileError
from .spec import (
    AllOf,
    AnyOf,
    CategoryFits,
    Every,
    FieldCondition,
    FieldRef,
    ListRef,
    NotCondition,
    Parameter,
    ParamRef,
    Some,
)

Expression = dict[str, Any]
Location = tuple[Any, ...]


@dataclass(frozen=True)
class Compiled:
    holds: Expression
    fails: Expression


# ------------------------------------------------------------------ durable JSON helpers


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


def _eq(key: str, value: Any) -> Expression:
    return {key: value}


def _op(op: str, key: str, value: Any) -> Expression:
    return {op: {key: value}}


def _exists(key: str) -> Expression:
    return {"$ex": {key: 1}}


def _missing(key: str) -> Expression:
    return {"$nex": {key: 1}}


_COMPARISONS = {  # test → (holds operator, fails operator)
    "greater_than": ("$gt", "$lte"),
    "at_least": ("$gte", "$lt"),
    "less_than": ("$lt", "$gte"),
    "at_most": ("$lte", "$gt"),
}


# ------------------------------------------------------------------ scope


@dataclass(frozen=True)
class Scope:
    """Where field names resolve: the application, or the items of a list."""

    catalog: FieldCatalog
    key_prefix: str = ""  # "$i." inside some/every
    list_plan: ListPlan | None = None
    list_path: str | None = None
    scalar_item: FieldInfo | None = None

    @property
    def in_list(self) -> bool:
        return self.list_plan is not None


@dataclass(frozen=True)
class CategoryDefinition:
    code: str
    investment_kinds: tuple[str, ...]
    keywords: tuple[str, ...]


class ConditionCompiler:
    """Compiles the conditions of one rule; raises :class:`CompileError` with a location."""

    def __init__(
        self,
        catalog: FieldCatalog,
        plan: FactPlan,
        parameters: dict[str, Parameter],
        lists: dict[str, list[Any]],
        categories: dict[str, CategoryDefinition],
    ) -> None:
        self.catalog = catalog
        self.plan = plan
        self.parameters = parameters
        self.lists = lists
        self.categories = categories
        self.used_parameters: set[str] = set()

    def compile(self, condition: Any, location: Location) -> Compiled:
        return self._compile(condition, location, Scope(self.catalog))

    # ---------------------------------------------------------------- dispatch

    def _compile(self, node: Any, loc: Location, scope: Scope) -> Compiled:
        handler: Callable[[Any, Location, Scope], Compiled] = {
            AllOf: self._all,
            AnyOf: self._any,
            NotCondition: self._not,
            Some: self._some,
            Every: self._every,
            CategoryFits: self._category_fits,
            FieldCondition: self._field,
        }[type(node)]
        return handler(node, loc, scope)

    def _all(self, node: AllOf, loc: Location, scope: Scope) -> Compiled:
        parts = [self._compile(c, (*loc, "all", i), scope) for i, c in enumerate(node.all)]
        return Compiled(all_of(*(p.holds for p in parts)), any_of(*(p.fails for p in parts)))

    def _any(self, node: AnyOf, loc: Location, scope: Scope) -> Compiled:
        parts = [self._compile(c, (*loc, "any", i), scope) for i, c in enumerate(node.any)]
        return Compiled(any_of(*(p.holds for p in parts)), all_of(*(p.fails for p in parts)))

    def _not(self, node: NotCondition, loc: Location, scope: Scope) -> Compiled:
        inner = self._compile(node.not_, (*loc, "not"), scope)
        return Compiled(inner.fails, inner.holds)

    def _list_scope(self, path: str, loc: Location, scope: Scope) -> tuple[Scope, str, str]:
        if scope.in_list:
            raise CompileError(loc, "some/every cannot be nested inside another some/every")
        info = self._field_info(path, loc, scope)
        if info.kind != "list":
            raise CompileError(loc, f"'{path}' is a {info.kind} field; some/every need a list")
        scalar = info.item is None
        plan = self.plan.need_list(path, scalar=scalar)
        item_scope = Scope(
            catalog=info.item or FieldCatalog(),
            key_prefix="$i.",
            list_plan=plan,
            list_path=path,
            scalar_item=(
                FieldInfo(
                    path="item",
                    kind=info.item_kind or "text",
                    enum_name=info.item_enum_name,
                    enum_values=info.item_enum_values,
                )
                if scalar
                else None
            ),
        )
        return item_scope, key_of(path), self.plan.need_count(path)

    def _some(self, node: Some, loc: Location, scope: Scope) -> Compiled:
        item_scope, key, count = self._list_scope(node.some, (*loc, "some"), scope)
        inner = self._compile(node.where, (*loc, "where"), item_scope)
        return Compiled(
            holds={"$iany": {key: inner.holds}},
            fails=any_of(_op("$lte", count, 0), {"$iall": {key: inner.fails}}),
        )

    def _every(self, node: Every, loc: Location, scope: Scope) -> Compiled:
        item_scope, key, count = self._list_scope(node.every, (*loc, "every"), scope)
        inner = self._compile(node.where, (*loc, "where"), item_scope)
        return Compiled(
            holds=any_of(_op("$lte", count, 0), {"$iall": {key: inner.holds}}),
            fails=all_of(_op("$gt", count, 0), {"$iany": {key: inner.fails}}),
        )

    def _category_fits(self, node: CategoryFits, loc: Location, scope: Scope) -> Compiled:
        loc = (*loc, "category_fits")
        if scope.in_list:
            raise CompileError(loc, "category_fits cannot be used inside some/every")
        info = self._field_info(node.category_fits, loc, scope)
        if info.enum_name != "category":
            raise CompileError(loc, f"'{node.category_fits}' is not a category field")
        key = self.plan.need_value(node.category_fits)
        holds, fails = [], []
        for code in sorted(self.categories):
            fit = self.category_condition(code)
            holds.append(all_of(_eq(key, code), fit.holds))
            fails.append(any_of(_op("$neq", key, code), fit.fails))
        return Compiled(any_of(*holds), any_of(_missing(key), all_of(*fails)))

    def category_condition(self, code: str) -> Compiled:
        """Fits: investment kind among the category's kinds and one of its keywords in text."""
        category = self.categories[code]
        kind_key = self.plan.need_value("project.investment_kind")
        probe = self.plan.need_probe("project.full_text", category.keywords)
        kind_in = any_of(*(_eq(kind_key, k) for k in category.investment_kinds))
        kind_out = any_of(
            _missing(kind_key),
            all_of(*(_op("$neq", kind_key, k) for k in category.investment_kinds)),
        )
        return Compiled(
            holds=all_of(kind_in, _eq(probe.key, True)),
            fails=any_of(kind_out, _eq(probe.key, False)),
        )

    # ---------------------------------------------------------------- field tests

    def _field(self, node: FieldCondition, loc: Location, scope: Scope) -> Compiled:
        info = self._field_info(node.field, (*loc, "field"), scope)
        test, operand = node.test, node.operand
        loc = (*loc, test)
        if test == "present":
            return self._present(node.field, info, scope, bool(operand), loc)
        if test in ("length_at_least", "length_at_most"):
            self._expect_kind(info, {"text"}, test, loc)
            key = self._derived_key(node.field, scope, "length", loc)
            limit = self._count_operand(operand, loc)
            op, neg = ("$gte", "$lt") if test == "length_at_least" else ("$lte", "$gt")
            return Compiled(_op(op, key, limit), _op(neg, key, limit))
        if test in ("count_at_least", "count_at_most"):
            self._expect_kind(info, {"list"}, test, loc)
            if scope.in_list:
                raise CompileError(loc, "lists inside list items cannot be counted")
            key = self.plan.need_count(node.field)
            limit = self._count_operand(operand, loc)
            op, neg = ("$gte", "$lt") if test == "count_at_least" else ("$lte", "$gt")
            return Compiled(_op(op, key, limit), _op(neg, key, limit))
        if test == "contains_any":
            return self._contains_any(node.field, info, operand, loc, scope)
        key = self._value_key(node.field, info, scope)
        if test in _COMPARISONS:
            self._expect_kind(info, {"number"}, test, loc)
            holds_op, fails_op = _COMPARISONS[test]
            if isinstance(operand, FieldRef):
                other = self._field_operand(operand, info, loc, scope)
                ref = {"$m": other}
                return Compiled(
                    _op(holds_op, key, ref),
                    any_of(_missing(key), _missing(other), _op(fails_op, key, ref)),
                )
            value = self._scalar_operand(operand, info, loc)
            return Compiled(
                _op(holds_op, key, value), any_of(_missing(key), _op(fails_op, key, value))
            )
        if test in ("equals", "not_equals"):
            if info.kind in ("list", "object", "date"):
                raise CompileError(
                    loc, f"'{node.field}' is a {info.kind} field; {test} needs a value"
                )
            if isinstance(operand, FieldRef):
                other = self._field_operand(operand, info, loc, scope)
                same, differs = _eq(key, {"$m": other}), _op("$neq", key, {"$m": other})
                missing = any_of(_missing(key), _missing(other))
            else:
                value = self._scalar_operand(operand, info, loc)
                same, differs, missing = _eq(key, value), _op("$neq", key, value), _missing(key)
            if test == "equals":
                return Compiled(same, any_of(missing, differs))
            return Compiled(differs, any_of(missing, same))
        if test in ("in", "not_in"):
            values = self._list_operand(operand, info, loc)
            one_of = any_of(*(_eq(key, v) for v in values))
            none_of = all_of(*(_op("$neq", key, v) for v in values))
            if test == "in":
                return Compiled(one_of, any_of(_missing(key), none_of))
            return Compiled(none_of, any_of(_missing(key), one_of))
        raise CompileError(loc, f"unknown test '{test}'")  # pragma: no cover - spec forbids

    def _present(
        self, path: str, info: FieldInfo, scope: Scope, wanted: bool, loc: Location
    ) -> Compiled:
        if info.kind == "list":
            if scope.in_list:
                raise CompileError(loc, "lists inside list items cannot be tested")
            count = self.plan.need_count(path)
            result = Compiled(_op("$gt", count, 0), _op("$lte", count, 0))
        else:
            key = self._value_key(path, info, scope)
            result = Compiled(_exists(key), _missing(key))
        return result if wanted else Compiled(result.fails, result.holds)

    def _contains_any(
        self, path: str, info: FieldInfo, operand: Any, loc: Location, scope: Scope
    ) -> Compiled:
        self._expect_kind(info, {"text"}, "contains_any", loc)
        if scope.in_list:
            raise CompileError(loc, "contains_any cannot be used inside some/every")
        words = self._list_operand(operand, FieldInfo(path=path, kind="text"), loc)
        for word in words:
            if (
                not word
                or not all(ch.isalnum() or ch == " " for ch in word)
                or word != word.casefold()
            ):
                raise CompileError(
                    loc, f"keyword '{word}' must be lower-case letters, digits and spaces only"
                )
        probe = self.plan.need_probe(path, tuple(words))
        return Compiled(_eq(probe.key, True), _eq(probe.key, False))

    # ---------------------------------------------------------------- names and operands

    def _field_info(self, path: str, loc: Location, scope: Scope) -> FieldInfo:
        if path.split(".")[0] in PERSONAL_DATA_ROOTS:
            raise CompileError(
                loc, f"'{path}' is personal data (the contact person); rules may not read it"
            )
        if path == "item":
            if scope.scalar_item is None:
                raise CompileError(
                    loc,
                    "'item' means the list item itself; use it inside some/every of a "
                    "list of values, and name the item's field for a list of objects",
                )
            return scope.scalar_item
        info = scope.catalog.get(path)
        if info is None:
            where = f"items of {scope.list_path}" if scope.in_list else "the application"
            hint = difflib.get_close_matches(path, scope.catalog.paths(), n=1)
            suggestion = f"; did you mean '{hint[0]}'?" if hint else ""
            raise CompileError(loc, f"unknown field '{path}' in {where}{suggestion}")
        if info.kind == "object":
            raise CompileError(loc, f"'{path}' is a group of fields; name one of its fields")
        return info

    def _value_key(self, path: str, info: FieldInfo, scope: Scope) -> str:
        if scope.scalar_item is not None and path == "item":
            return "$i"
        if scope.list_plan is not None:
            scope.list_plan.values[path.replace(".", "__")] = path
            return f"{scope.key_prefix}{path.replace('.', '__')}"
        return self.plan.need_value(path)

    def _derived_key(self, path: str, scope: Scope, what: str, loc: Location) -> str:
        if scope.list_plan is not None:
            if path == "item":
                raise CompileError(loc, "length of a list item value is not supported")
            key = f"{path.replace('.', '__')}__{what}"
            scope.list_plan.lengths[key] = path
            return f"{scope.key_prefix}{key}"
        return self.plan.need_length(path)

    def _expect_kind(self, info: FieldInfo, kinds: set[str], test: str, loc: Location) -> None:
        if info.kind not in kinds:
            wanted = " or ".join(sorted(kinds))
            raise CompileError(
                loc, f"{test} needs a {wanted} field; '{info.path}' is a {info.kind} field"
            )

    def _param(self, ref: ParamRef, loc: Location) -> Any:
        if ref.param not in self.parameters:
            defined = ", ".join(sorted(self.parameters)) or "none"
            raise CompileError(
                loc,
                f"parameter '{ref.param}' is not defined; add it under 'parameters:' "
                f"(defined: {defined})",
            )
        self.used_parameters.add(ref.param)
        return self.parameters[ref.param].value

    def _field_operand(self, ref: FieldRef, info: FieldInfo, loc: Location, scope: Scope) -> str:
        if scope.in_list:
            raise CompileError(loc, "comparing with another field is not supported inside lists")
        other = self._field_info(ref.field, loc, scope)
        if other.kind != info.kind:
            raise CompileError(
                loc,
                f"'{info.path}' ({info.kind}) cannot be compared with '{ref.field}' ({other.kind})",
            )
        return self.plan.need_value(ref.field)

    def _count_operand(self, operand: Any, loc: Location) -> int:
        value = self._param(operand, loc) if isinstance(operand, ParamRef) else operand
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise CompileError(loc, f"needs a whole number of 0 or more, not {value!r}")
        return value

    def _scalar_operand(self, operand: Any, info: FieldInfo, loc: Location) -> Any:
        value = self._param(operand, loc) if isinstance(operand, ParamRef) else operand
        self._check_value(value, info, loc)
        return value

    def _list_operand(self, operand: Any, info: FieldInfo, loc: Location) -> list[Any]:
        if isinstance(operand, ParamRef):
            values = self._param(operand, loc)
        elif isinstance(operand, ListRef):
            if operand.list not in self.lists:
                known = ", ".join(sorted(self.lists))
                raise CompileError(loc, f"unknown list '{operand.list}'; known lists: {known}")
            values = self.lists[operand.list]
        else:
            values = operand
        if not isinstance(values, list) or not values:
            raise CompileError(loc, "needs a non-empty list of values")
        for value in values:
            self._check_value(value, info, loc)
        return list(values)

    def _check_value(self, value: Any, info: FieldInfo, loc: Location) -> None:
        kind = info.kind
        ok = {
            "number": isinstance(value, int | float) and not isinstance(value, bool),
            "boolean": isinstance(value, bool),
            "text": isinstance(value, str),
            "enum": isinstance(value, str) and value in info.enum_values,
        }.get(kind, False)
        if ok:
            return
        if kind == "enum":
            hint = difflib.get_close_matches(str(value), info.enum_values, n=1)
            suggestion = f" (did you mean '{hint[0]}'?)" if hint else ""
            raise CompileError(
                loc,
                f"'{value}' is not a value of '{info.path}'{suggestion}; "
                f"values: {', '.join(info.enum_values)}",
            )
        raise CompileError(loc, f"'{info.path}' is a {kind} field; {value!r} is not a {kind}")
