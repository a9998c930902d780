"""Pydantic models: the contract between the portal, the screening and the committee."""

from .application import Application
from .common import Category, LocalizedText
from .verdict import Outcome, RuleResult, RuleResultKind, Severity, Verdict

__all__ = [
    "Application",
    "Category",
    "LocalizedText",
    "Outcome",
    "RuleResult",
    "RuleResultKind",
    "Severity",
    "Verdict",
]
