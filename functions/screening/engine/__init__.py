"""Engines: what decides each rule's result from a fact.

A ruleset asks its engine to decide a list of :class:`Decision` s (one per rule, one per
category) over a fact. Two engines implement :class:`Engine` on the same neutral tree
(:mod:`.tree`): :mod:`.durable` (durable_rules; production) and :mod:`.reference` (plain
Python; explanations and tests). Nothing outside this package knows an engine's syntax.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from .errors import EngineError, IncompleteTraceError, NothingMatchedError
from .reference import holds
from .tree import Node

PASSED, FAILED, NOT_APPLICABLE = "passed", "failed", "not_applicable"


@dataclass(frozen=True, slots=True)
class Decision:
    """One result to decide: a rule's (passed / failed / not_applicable) or a category fit.

    A *check* is passed when ``condition`` holds and failed when not; a *signal* is passed
    when it holds and not_applicable when not. With ``applies``, the decision is
    not_applicable whenever ``applies`` does not hold.
    """

    name: str
    condition: Node
    applies: Node | None = None
    signal: bool = False

    def results(self) -> tuple[str, ...]:
        if self.signal:
            return (PASSED, NOT_APPLICABLE)
        return (PASSED, FAILED, NOT_APPLICABLE) if self.applies else (PASSED, FAILED)


class Engine(Protocol):
    def decide(self, fact: Mapping[str, Any]) -> dict[str, str]:
        """Every decision's result by name; raises EngineError rather than leave one out."""
        ...


class ReferenceEngine:
    """The neutral tree evaluated in plain Python (see :mod:`.reference`)."""

    def __init__(self, decisions: Sequence[Decision]) -> None:
        self.decisions = tuple(decisions)

    def decide(self, fact: Mapping[str, Any]) -> dict[str, str]:
        return {d.name: decide_one(d, fact) for d in self.decisions}


def decide_one(decision: Decision, fact: Mapping[str, Any]) -> str:
    if decision.applies is not None and not holds(decision.applies, fact):
        return NOT_APPLICABLE
    if holds(decision.condition, fact):
        return PASSED
    return NOT_APPLICABLE if decision.signal else FAILED


__all__ = [
    "FAILED",
    "NOT_APPLICABLE",
    "PASSED",
    "Decision",
    "Engine",
    "EngineError",
    "IncompleteTraceError",
    "NothingMatchedError",
    "ReferenceEngine",
    "decide_one",
]
