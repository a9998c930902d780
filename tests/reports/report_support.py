"""Helpers for the report tests (a uniquely named module: conftest.py is not importable)."""

from __future__ import annotations

import copy
import json
from collections.abc import Sequence
from datetime import UTC, date, datetime, time
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from workbench.stored import StoredApplication

from screening.models.decision import Assessment, Decision, DecisionInput, DecisionKind

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


DECIDED_ON = date(2026, 11, 20)
ROUND = "2026-R3"


def decide(
    application_id: str,
    kind: str,
    *,
    number: int = 1,
    day: date = DECIDED_ON,
    round: str = ROUND,
    overridden: Sequence[str] = (),
    assessments: dict[str, str] | None = None,
    motivation: str | None = "Kommitténs motivering.",
    revision: int = 1,
    source: str = "api",
) -> Decision:
    """A decision as the service records it: the committee's input validated as
    ``DecisionInput`` (the PUT body / CSV row), then numbered and stamped like the store does."""
    decided = DecisionInput(
        decision=DecisionKind(kind),
        decision_date=day,
        round=round,
        screening_revision=revision,
        assessments={rid: Assessment(value) for rid, value in (assessments or {}).items()},
        overridden_rules=list(overridden),
        motivation=motivation,
    )
    return Decision(
        application_id=application_id,
        number=number,
        recorded_at=datetime.combine(day, time(15, 30), UTC),
        source=source,
        **decided.model_dump(),
    )


# Parameters a candidate ruleset sets, as ``screening impact --set rule.parameter=value`` does.
LOOSER = {("investment.physical", "non_investment_kinds"): ["purchase"]}
"""Operating costs no longer fail the physical-investment rule."""
LONGER = {("grundkrav_4.long_term", "min_time_horizon_years"): 20}
"""A 15-year horizon is no longer long-term: it needs review."""


def stored(document: dict[str, Any], *decisions: Decision) -> StoredApplication:
    """A stored application as ``screening export`` writes it (decisions newest first)."""
    return StoredApplication(
        application_id=document["application_id"],
        revision=1,
        application_json=json.dumps(document, ensure_ascii=False),
        decisions=sorted(decisions, key=lambda d: d.number, reverse=True),
    )


# ---------------------------------------------------------------- escaping checks

ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


class Markup(HTMLParser):
    """Every element and attribute the browser would build from the page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str | None]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes.extend(attrs)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parsed(page: str) -> Markup:
    markup = Markup()
    markup.feed(page)
    return markup


def assert_inert(page: str) -> None:
    markup = parsed(page)
    assert "script" not in markup.tags
    assert not [name for name, _ in markup.attributes if name.startswith("on")]
    assert "<script" not in page.lower()
