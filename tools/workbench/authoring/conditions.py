"""Compile a rule file's condition into the engine-neutral tree (``screening.engine.tree``).

Every field a condition reads is checked against the application model's catalogue (kind,
enum values, personal data) and recorded in the fact plan: as its value when a rule compares
it, as "given" when a rule only needs it present — free text never reaches an engine.

Semantics a rule author can rely on (the same in every engine):

* A comparison with a missing value is false (``at_least`` on an empty field fails).
* ``present`` means given and not empty; for a list, at least one item.
* ``some`` is false for an empty list; ``every`` is true for an empty list.
* ``if``/``then`` holds when ``if`` does not, or ``then`` does.
* ``category_fits: FIELD``: what is built (``project.facility_kinds``) includes a kind that the
  category table (``rules/data/categories.yaml``) lists for the category named by FIELD.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from screening.engine.tree import ITEM, All, Any_, Every, Implies, Node, Not, Some, Switch, Test
from screening.ruleset.facts import FactPlan, ListEntry, ValueEntry, key_of

from .fields import PERSONAL_DATA_ROOTS, FieldCatalog, FieldInfo
from .problems import CompileError
from .spec import (
    AllOf,
    AnyOf,
    CategoryFits,
    FieldCondition,
    FieldRef,
    IfThen,
    ListRef,
    NotCondition,
    Parameter,
    ParamRef,
)
from .spec import (
    Every as EverySpec,
)
from .spec import (
    Some as SomeSpec,
)

Location = tuple[Any, ...]
FACILITY_KINDS = "project.facility_kinds"

_COMPARISONS = {"greater_than": "gt", "at_least": "ge", "less_than": "lt", "at_most": "le"}
_COUNTS = {"count_at_least": "ge", "count_at_most": "le"}


@dataclass
class _ListScope:
    path: str
    key: str
    scalar: bool
    items: FieldCatalog
    item_info: FieldInfo | None  # for a list of values
    entries: dict[str, ValueEntry] = field(default_factory=dict)
    item_mode: str = "given"


class PlanRecorder:
    """The fact plan as the rules are compiled: what each condition reads, and how."""

    def __init__(self) -> None:
        self.plan = FactPlan()

    def value(self, path: str, compared: bool) -> str:
        key = key_of(path)
        known = self.plan.values.get(key)
        mode = "value" if compared or (known is not None and known.mode == "value") else "given"
        self.plan.values[key] = ValueEntry(key, path, mode)  # type: ignore[arg-type]
        return key

    def count(self, path: str) -> str:
        key = f"{key_of(path)}__count"
        self.plan.counts[key] = path
        return key

    def list(self, scope: _ListScope) -> None:
        known = self.plan.lists.get(scope.key)
        entries = dict(scope.entries)
        mode = scope.item_mode
        if known is not None:
            for entry in known.items:
                if entry.key not in entries or entry.mode == "value":
                    entries[entry.key] = entry
            mode = "value" if known.mode == "value" else mode
        self.plan.lists[scope.key] = ListEntry(
            scope.key,
            self.count(scope.path),
            scope.path,
            scope.scalar,
            mode,  # type: ignore[arg-type]
            tuple(entries.values()),
        )


class ConditionCompiler:
    """Compiles the conditions of one rule; raises :class:`CompileError` with a location."""

    def __init__(
        self,
        catalog: FieldCatalog,
        recorder: PlanRecorder,
        parameters: dict[str, Parameter],
        lists: dict[str, list[Any]],
        category_kinds: dict[str, tuple[str, ...]],
    ) -> None:
        self.catalog = catalog
        self.recorder = recorder
        self.parameters = parameters
        self.lists = lists
        self.category_kinds = category_kinds
        self.used_parameters: set[str] = set()
        self.fields_read: set[str] = set()  # model paths, for the labels check

    def compile(self, condition: Any, location: Location) -> Node:
        return self._compile(condition, location, None)

    # ---------------------------------------------------------------- structure

    def _compile(self, node: Any, loc: Location, scope: _ListScope | None) -> Node:
        handler: Callable[[Any, Location, _ListScope | None], Node] = {
            AllOf: self._all,
            AnyOf: self._any,
            NotCondition: self._not,
            IfThen: self._if,
            SomeSpec: self._some,
            EverySpec: self._every,
            CategoryFits: self._category_fits,
            FieldCondition: self._field,
        }[type(node)]
        return handler(node, loc, scope)

    def _all(self, node: AllOf, loc: Location, scope: _ListScope | None) -> Node:
        return All(tuple(self._compile(c, (*loc, "all", i), scope) for i, c in enumerate(node.all)))

    def _any(self, node: AnyOf, loc: Location, scope: _ListScope | None) -> Node:
        return Any_(
            tuple(self._compile(c, (*loc, "any", i), scope) for i, c in enumerate(node.any))
        )

    def _not(self, node: NotCondition, loc: Location, scope: _ListScope | None) -> Node:
        return Not(self._compile(node.not_, (*loc, "not"), scope))

    def _if(self, node: IfThen, loc: Location, scope: _ListScope | None) -> Node:
        return Implies(
            self._compile(node.if_, (*loc, "if"), scope),
            self._compile(node.then, (*loc, "then"), scope),
        )

    def _list_scope(self, path: str, loc: Location, scope: _ListScope | None) -> _ListScope:
        if scope is not None:
            raise CompileError(loc, "some/every cannot be nested inside another some/every")
        info = self._info(path, loc, None)
        if info.kind != "list":
            raise CompileError(loc, f"'{path}' is a {info.kind} field; some/every need a list")
        if info.item_kind == "derived":
            raise CompileError(loc, f"'{path}' can be counted, not looked into")
        scalar = info.item is None
        item_info = (
            FieldInfo(
                path="item",
                kind=info.item_kind or "text",
                enum_name=info.item_enum_name,
                enum_values=info.item_enum_values,
            )
            if scalar
            else None
        )
        return _ListScope(path, key_of(path), scalar, info.item or FieldCatalog(), item_info)

    def _some(self, node: SomeSpec, loc: Location, scope: _ListScope | None) -> Node:
        inner = self._list_scope(node.some, (*loc, "some"), scope)
        where = self._compile(node.where, (*loc, "where"), inner)
        self.recorder.list(inner)
        return Some(inner.key, f"{inner.key}__count", where, field=inner.path)

    def _every(self, node: EverySpec, loc: Location, scope: _ListScope | None) -> Node:
        inner = self._list_scope(node.every, (*loc, "every"), scope)
        where = self._compile(node.where, (*loc, "where"), inner)
        self.recorder.list(inner)
        return Every(inner.key, f"{inner.key}__count", where, field=inner.path)

    def _category_fits(self, node: CategoryFits, loc: Location, scope: _ListScope | None) -> Node:
        loc = (*loc, "category_fits")
        if scope is not None:
            raise CompileError(loc, "category_fits cannot be used inside some/every")
        info = self._info(node.category_fits, loc, None)
        if info.enum_name != "category":
            raise CompileError(loc, f"'{node.category_fits}' is not a category field")
        key = self.recorder.value(node.category_fits, compared=True)
        self.fields_read.add(FACILITY_KINDS)
        # One case per category: "declared housing: something built fits housing". A failure
        # names only what is built, for the category actually declared.
        return Switch(
            key,
            tuple((code, self.fits(code)) for code in sorted(self.category_kinds)),
            field=node.category_fits,
        )

    def fits(self, code: str) -> Node:
        """What is built includes a facility kind the table lists for ``code``."""
        scope = _ListScope(FACILITY_KINDS, key_of(FACILITY_KINDS), True, FieldCatalog(), None)
        scope.item_mode = "value"
        self.recorder.list(scope)
        kinds = self.category_kinds[code]
        test = Test(ITEM, "in", kinds, field="", test="in") if kinds else Test(ITEM, "absent")
        return Some(scope.key, f"{scope.key}__count", test, field=FACILITY_KINDS)

    # ---------------------------------------------------------------- field tests

    def _field(self, node: FieldCondition, loc: Location, scope: _ListScope | None) -> Node:
        info = self._info(node.field, (*loc, "field"), scope)
        test, operand = node.test, node.operand
        loc = (*loc, test)
        relative = node.field
        if test == "present":
            return self._present(node.field, info, scope, bool(operand), loc)
        if test in _COUNTS:
            self._expect_kind(info, {"list"}, test, loc)
            if scope is not None:
                raise CompileError(loc, "lists inside list items cannot be counted")
            key = self.recorder.count(node.field)
            limit = self._count_operand(operand, loc)
            return Test(key, _COUNTS[test], limit, field=node.field, test=test)  # type: ignore[arg-type]
        if test in _COMPARISONS:
            self._expect_kind(info, {"number"}, test, loc)
            key = self._value_key(node.field, info, scope, compared=True)
            if isinstance(operand, FieldRef):
                other = self._field_operand(operand, info, loc, scope)
                return Test(
                    key,
                    _COMPARISONS[test],
                    ref=other,
                    field=relative,
                    test=test,  # type: ignore[arg-type]
                    ref_field=operand.field,
                )
            value = self._scalar_operand(operand, info, loc)
            return Test(key, _COMPARISONS[test], value, field=relative, test=test)  # type: ignore[arg-type]
        if test in ("equals", "not_equals"):
            if info.kind not in ("enum", "boolean", "number"):
                raise CompileError(
                    loc,
                    f"'{node.field}' is a {info.kind} field; {test} compares a choice, a flag "
                    "or a number (test a text with present)",
                )
            key = self._value_key(node.field, info, scope, compared=True)
            op = "eq" if test == "equals" else "ne"
            if isinstance(operand, FieldRef):
                other = self._field_operand(operand, info, loc, scope)
                return Test(key, op, ref=other, field=relative, test=test, ref_field=operand.field)
            value = self._scalar_operand(operand, info, loc)
            return Test(key, op, value, field=relative, test=test)
        # in / not_in
        if info.kind not in ("enum", "number", "boolean"):
            raise CompileError(loc, f"'{node.field}' is a {info.kind} field; {test} needs a choice")
        values = self._list_operand(operand, info, loc)
        key = self._value_key(node.field, info, scope, compared=True)
        return Test(
            key, "in" if test == "in" else "not_in", tuple(values), field=relative, test=test
        )

    def _present(
        self, path: str, info: FieldInfo, scope: _ListScope | None, wanted: bool, loc: Location
    ) -> Node:
        if info.kind == "list":
            if scope is not None:
                raise CompileError(loc, "lists inside list items cannot be tested")
            key = self.recorder.count(path)
            node: Node = Test(key, "gt", 0, field=path, test="present")
        else:
            key = self._value_key(path, info, scope, compared=False)
            node = Test(key, "present", field=path, test="present")
        return node if wanted else Not(node)

    # ---------------------------------------------------------------- names and operands

    def _info(self, path: str, loc: Location, scope: _ListScope | None) -> FieldInfo:
        if path.split(".")[0] in PERSONAL_DATA_ROOTS:
            raise CompileError(
                loc, f"'{path}' is personal data (the contact person); rules may not read it"
            )
        if path == "item":
            if scope is None or scope.item_info is None:
                raise CompileError(
                    loc,
                    "'item' means the list item itself; use it inside some/every of a "
                    "list of values, and name the item's field for a list of objects",
                )
            return scope.item_info
        catalog = scope.items if scope is not None else self.catalog
        info = catalog.get(path)
        if info is None:
            where = f"items of {scope.path}" if scope is not None else "the application"
            hint = difflib.get_close_matches(path, catalog.paths(), n=1)
            suggestion = f"; did you mean '{hint[0]}'?" if hint else ""
            raise CompileError(loc, f"unknown field '{path}' in {where}{suggestion}")
        if info.kind == "object":
            raise CompileError(loc, f"'{path}' is a group of fields; name one of its fields")
        self.fields_read.add(f"{scope.path}.{path}" if scope is not None else path)
        return info

    def _value_key(
        self, path: str, info: FieldInfo, scope: _ListScope | None, compared: bool
    ) -> str:
        if scope is None:
            return self.recorder.value(path, compared)
        if path == "item":
            if compared:
                scope.item_mode = "value"
            return ITEM
        key = key_of(path)
        known = scope.entries.get(key)
        mode = "value" if compared or (known is not None and known.mode == "value") else "given"
        scope.entries[key] = ValueEntry(key, path, mode)  # type: ignore[arg-type]
        return key

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

    def _field_operand(
        self, ref: FieldRef, info: FieldInfo, loc: Location, scope: _ListScope | None
    ) -> str:
        if scope is not None:
            raise CompileError(loc, "comparing with another field is not supported inside lists")
        other = self._info(ref.field, loc, None)
        if other.kind != info.kind:
            raise CompileError(
                loc,
                f"'{info.path}' ({info.kind}) cannot be compared with '{ref.field}' ({other.kind})",
            )
        return self.recorder.value(ref.field, compared=True)

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
