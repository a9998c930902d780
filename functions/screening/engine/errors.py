"""What an engine raises. No verdict may be given from an evaluation that raised."""

from __future__ import annotations


class EngineError(RuntimeError):
    """The engine could not evaluate; no verdict may be given from this evaluation."""


class NothingMatchedError(EngineError):
    """A fact that every ruleset must answer matched no rule at all."""


class IncompleteTraceError(EngineError):
    """Some decision yielded no result, or more than one: the verdict would not be traceable."""
