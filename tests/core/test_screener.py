"""The verdict: severity logic, reasons citing facts, notes, category fit, no personal data."""

from __future__ import annotations

import pytest

from screening import Screener, parse_application
from screening.models.common import LocalizedText
from screening.models.verdict import Requirement, RuleResult, Verdict
from screening.ruleset.reasons import format_number

TEXT = LocalizedText(sv="x", en="x")
REQ = Requirement(id="r", title=TEXT)


def result(kind: str, severity: str) -> RuleResult:
    return RuleResult(
        rule_id="a.b", title=TEXT, requirement=REQ, result=kind, severity=severity, reason=TEXT
    )


@pytest.mark.parametrize(
    ("results", "outcome"),
    [
        ([], "eligible"),
        ([("passed", "reject"), ("not_applicable", "refer")], "eligible"),
        ([("failed", "note")], "eligible"),
        ([("failed", "refer"), ("failed", "note")], "needs_review"),
        ([("failed", "refer"), ("failed", "reject")], "ineligible"),
        ([("failed", "reject")], "ineligible"),
    ],
)
def test_outcome_follows_severity(results, outcome) -> None:
    assert Verdict.outcome_of([result(k, s) for k, s in results]).value == outcome


def screen(screener: Screener, document: dict) -> Verdict:
    return screener.screen(parse_application(document))


def by_id(verdict: Verdict) -> dict[str, RuleResult]:
    return {r.rule_id: r for r in verdict.rules}


def test_every_rule_is_listed_in_ruleset_order(screener, base_document) -> None:
    verdict = screen(screener, base_document)
    assert [r.rule_id for r in verdict.rules] == [r.id for r in screener.ruleset.rules]
    assert verdict.outcome.value == "eligible"
    assert all(r.reason.sv and r.reason.en for r in verdict.rules)


def test_a_loan_above_cost_is_ineligible_with_the_figures(screener, base_document) -> None:
    base_document["project"].update(loan_amount_sek=45_000_000, total_investment_sek=30_000_000)
    verdict = screen(screener, base_document)
    rule = by_id(verdict)["investment.loan_within_cost"]
    assert verdict.outcome.value == "ineligible"
    assert (rule.result.value, rule.severity.value) == ("failed", "reject")
    assert rule.reason.sv == (
        "Lånebeloppet 45 000 000 kr överstiger investeringsutgiften 30 000 000 kr."
    )
    assert rule.reason.en == (
        "The loan amount SEK 45,000,000 exceeds the investment cost SEK 30,000,000."
    )


def test_a_park_declared_as_housing_is_referred_with_the_fitting_category(
    screener, base_document
) -> None:
    base_document["project"].update(
        title="Ny stadsdelspark",
        description="En ny park med belysning och lekplats mellan skolan och centrum.",
        investment_kind="park_outdoor_environment",
        investment_description="Park, belysning, gångvägar.",
    )
    verdict = screen(screener, base_document)
    assert verdict.outcome.value == "needs_review"
    assert [c.value for c in verdict.category_fit.matched] == [
        "safety_accessibility",
        "health_education_sport_culture",
    ]
    assert verdict.category_fit.declared_matches is False
    reason = by_id(verdict)["category.declared_fits"].reason.sv
    assert "Boende och boendemiljöer stämmer inte" in reason
    assert "Trygghet, säkerhet och tillgänglighet" in reason


def test_signals_add_notes_and_never_change_the_outcome(screener, base_document) -> None:
    base_document["project"].update(
        municipality="Botkyrka",
        districts=["Fittja"],
        applies_for_green_loan=True,
        already_carried_out=True,
        start_date="2020-01-01",
        end_date="2022-01-01",
    )
    verdict = screen(screener, base_document)
    assert verdict.outcome.value == "eligible"
    assert [n.rule_id for n in verdict.notes] == [
        "signal.vulnerable_area",
        "signal.green_loan",
        "signal.already_carried_out",
    ]
    assert "Fittja" in verdict.notes[0].text.sv


def test_the_verdict_holds_no_personal_data(screener, base_document) -> None:
    base_document["contact_person"] = {
        "name": "Greta Personsson",
        "email": "greta.p@example.se",
        "phone": "070-123 45 67",
    }
    text = screen(screener, base_document).model_dump_json()
    for secret in ("Personsson", "greta.p@example.se", "070-123 45 67", "contact"):
        assert secret not in text


def test_the_verdict_names_the_ruleset_version(screener, base_document) -> None:
    verdict = screen(screener, base_document)
    assert verdict.ruleset.version == (screener.ruleset.root / "VERSION").read_text().strip()
    assert len(verdict.ruleset.content_hash) == 16


@pytest.mark.parametrize(
    ("value", "sv", "en"),
    [(45_000_000, "45 000 000", "45,000,000"), (12.5, "12,5", "12.5"), (100.0, "100", "100")],
)
def test_numbers_are_written_the_readers_way(value, sv, en) -> None:
    assert format_number(value, "sv") == sv
    assert format_number(value, "en") == en
