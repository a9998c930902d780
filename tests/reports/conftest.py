"""Report fixtures: real verdicts from the real ruleset, for the base application, variants of
it with known outcomes, the example applications, and an application full of hostile text."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from report_support import HOSTILE, derive

from screening.models.verdict import Verdict
from screening.screener import Screener
from screening.validation import parse_application


@pytest.fixture
def screen(screener: Screener) -> Callable[..., Verdict]:
    """Screen a document; ``at`` fixes screened_at (the screener's clock is real time)."""

    def run(document: dict[str, Any], at: datetime | None = None) -> Verdict:
        verdict = screener.screen(parse_application(document))
        return verdict.model_copy(update={"screened_at": at}) if at else verdict

    return run


@pytest.fixture
def hostile_document(base_document: dict[str, Any]) -> dict[str, Any]:
    """Hostile text in every free-text field that reaches a verdict (and its reasons)."""
    document = derive(
        base_document,
        "hostile-0001",
        project={
            "title": f"Titel {HOSTILE}",
            "municipality": f"Kommun {HOSTILE}",
            "districts": [f"Område {HOSTILE}", "Fittja"],
            "applies_for_green_loan": True,
        },
    )
    document["applicant"]["organisation_name"] = f"Bolag {HOSTILE}"
    document["applicant"]["owners"][0]["organisation_name"] = f"Ägare {HOSTILE}"
    document["social_content"]["effect_goals"][0].update(
        goal=f"Mål {HOSTILE}", indicator=f"Indikator {HOSTILE}"
    )
    document["social_content"]["systematic_work"]["governing_document"] = f"Program {HOSTILE}"
    return document


WHEN = datetime(2026, 10, 15, 9, 30, tzinfo=UTC)


@pytest.fixture
def mixed_documents(base_document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Applications with known outcomes: expected outcome → documents."""
    return {
        "eligible": [
            base_document,
            derive(
                base_document,
                "park-0004",
                project={
                    "title": "Trygg belysning och upprustad park",
                    "declared_category": "safety_accessibility",
                    "facility_kinds": ["park", "outdoor_environment"],
                },
            ),
        ],
        "needs_review": [
            derive(base_document, "member-0002", applicant={"declares_membership": False}),
        ],
        "ineligible": [
            derive(
                base_document,
                "drift-0003",
                project={
                    "title": "Drift av fritidsgård",
                    "investment_kind": "operating_cost",
                    "declared_category": "health_education_sport_culture",
                },
            ),
            derive(
                base_document,
                "drift-0005",
                project={"title": "Driftbidrag till boende", "investment_kind": "operating_cost"},
            ),
        ],
    }
