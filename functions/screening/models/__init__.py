"""Pydantic models: the contract between the portal, the screening and the committee."""

from .application import Application
from .common import CONTRACT_VERSION, Category, LocalizedText, Reference, ReferenceKind
from .verdict import Outcome, RuleResult, RuleResultKind, Severity, Verdict

__all__ = [
    "CONTRACT_VERSION",
    "Application",
    "Category",
    "LocalizedText",
    "Outcome",
    "Reference",
    "ReferenceKind",
    "RuleResult",
    "RuleResultKind",
    "Severity",
    "Verdict",
]
