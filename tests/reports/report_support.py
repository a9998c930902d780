"""Helpers for the report tests (a uniquely named module: conftest.py is not importable)."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "events" / "applications"

HOSTILE = "<script>alert(1)</script> \"citat\" 'apostrof' & Åsa Öberg ÄÖÅ 😀"
"""Untrusted text: a script tag, both quotes, an ampersand, Swedish letters and an emoji."""


def derive(base: dict[str, Any], app_id: str, **sections: dict[str, Any]) -> dict[str, Any]:
    """The base application with ``application_id`` and some fields of sections replaced."""
    document = copy.deepcopy(base)
    document["application_id"] = app_id
    for section, values in sections.items():
        document[section].update(values)
    return document


def example_documents(base_document: dict[str, Any]) -> list[dict[str, Any]]:
    """The example applications (events/applications/*.json), or the base while none exist."""
    files = sorted(EXAMPLES.glob("*.json"))
    if files:
        return [json.loads(f.read_text("utf-8")) for f in files]
    return [base_document]


RULES_DIR = REPO / "rules"
