"""The verdict: severity logic, reasons that name the failing part in sv and en, references,
JSON pointers to the answers to fix, notes, category fit, and no personal data."""

from __future__ import annotations

import copy
import json

import pytest

from screening.models.verdict import RuleResult, Severity, Verdict, outcome_of
from screening.screener import Screener
from screening.validation import parse_application


@pytest.mark.parametrize(
    ("failed", "outcome"),
    [
        (set(), "eligible"),
        ({Severity.note}, "eligible"),
        ({Severity.refer, Severity.note}, "needs_review"),
        ({Severity.refer, Severity.reject}, "ineligible"),
        ({Severity.reject}, "ineligible"),
    ],
)
def test_outcome_follows_severity(failed: set[Severity], outcome: str) -> None:
    assert outcome_of(failed).value == outcome


def screen(screener: Screener, document: dict) -> Verdict:
    return screener.screen(parse_application(document))


def by_id(verdict: Verdict) -> dict[str, RuleResult]:
    return {r.rule_id: r for r in verdict.rules}


def test_every_rule_is_listed_in_ruleset_order_with_its_reference(
    screener: Screener, base_document: dict
) -> None:
    verdict = screen(screener, base_document)
    assert [r.rule_id for r in verdict.rules] == [r.id for r in screener.ruleset.rules]
    assert verdict.outcome.value == "eligible"
    for rule in verdict.rules:
        assert rule.reason.sv and rule.reason.en
        assert rule.reference.title and rule.reference.source
        assert rule.failed_parts == []
        if rule.severity is Severity.reject:
            assert rule.reference.kind.value in ("published", "law"), rule.rule_id
    assert verdict.ruleset.version and verdict.contract_version == "2.0"


def test_a_loan_above_cost_is_ineligible_with_the_figures(
    screener: Screener, base_document: dict
) -> None:
    base_document["project"].update(loan_amount_sek=45_000_000, total_investment_sek=30_000_000)
    verdict = screen(screener, base_document)
    rule = by_id(verdict)["investment.loan_within_cost"]
    assert verdict.outcome.value == "ineligible"
    assert (rule.result.value, rule.severity.value) == ("failed", "reject")
    assert (
        rule.reason.sv
        == "Lånebeloppet 45 000 000 kr överstiger investeringsutgiften 30 000 000 kr."
    )
    assert (
        rule.reason.en
        == "The loan amount SEK 45,000,000 exceeds the investment cost SEK 30,000,000."
    )
    (part,) = rule.failed_parts
    assert part.pointer == "/project/loan_amount_sek"
    assert part.text.sv == "lånebelopp: 45 000 000 kr (högst investeringsutgiften 30 000 000 kr)"
    assert (
        part.text.en == "loan amount: SEK 45,000,000 (at most the investment cost SEK 30,000,000)"
    )


def test_a_reason_names_which_goal_lacks_which_answer(
    screener: Screener, base_document: dict
) -> None:
    goals = base_document["social_content"]["effect_goals"]
    goals[0]["baseline_year"] = None
    goals[1].update(indicator=None, data_source=None)
    verdict = screen(screener, base_document)
    rule = by_id(verdict)["grundkrav_5.measurable_goals"]
    assert verdict.outcome.value == "needs_review"
    assert rule.reason.sv == (
        "Effektmålen behöver kompletteras för att kunna följas upp: "
        "effektmål 1 (Hyresgäster bor kvar efter renovering): utgångsår saknas; "
        "effektmål 2 (Ökad upplevd trygghet): indikator och datakälla saknas."
    )
    assert (
        "effect goal 2 (Ökad upplevd trygghet): indicator and data source missing" in rule.reason.en
    )
    assert [p.pointer for p in rule.failed_parts] == [
        "/social_content/effect_goals/0/baseline_year",
        "/social_content/effect_goals/1/indicator",
        "/social_content/effect_goals/1/data_source",
    ]


@pytest.mark.parametrize(
    ("years", "sv", "en"),
    [
        (
            1,
            "Tidshorisonten är 1 år, kortare än 10 år.",
            "The time horizon is 1 year, shorter than 10 years.",
        ),
        (
            2,
            "Tidshorisonten är 2 år, kortare än 10 år.",
            "The time horizon is 2 years, shorter than 10 years.",
        ),
    ],
)
def test_numbers_and_plurals_agree(
    screener: Screener, base_document: dict, years: int, sv: str, en: str
) -> None:
    base_document["social_content"]["time_horizon_years"] = years
    rule = by_id(screen(screener, base_document))["grundkrav_4.long_term"]
    assert rule.reason.sv.startswith(sv) and rule.reason.en.startswith(en)


def test_an_empty_list_reads_as_a_sentence_never_as_a_placeholder(
    screener: Screener, base_document: dict
) -> None:
    base_document["project"]["facility_kinds"] = ["other"]
    rule = by_id(screen(screener, base_document))["category.declared_fits"]
    assert "det passar ingen av de tre kategorierna" in rule.reason.sv
    assert "it fits none of the three categories" in rule.reason.en
    for text in (rule.reason.sv, rule.reason.en):
        assert "uppgift saknas" not in text and "not given" not in text


def test_an_application_with_every_answer_omitted_gets_a_verdict_naming_each(
    screener: Screener, base_document: dict
) -> None:
    del base_document["social_content"]
    verdict = screen(screener, base_document)
    assert verdict.outcome.value == "ineligible"
    results = by_id(verdict)
    rejected = sorted(
        r.rule_id
        for r in verdict.rules
        if r.result.value == "failed" and r.severity is Severity.reject
    )
    assert rejected == [
        "grundkrav_1.answered",
        "grundkrav_2.answered",
        "grundkrav_3.answered",
        "grundkrav_4.answered",
        "grundkrav_5.evaluation_answered",
        "grundkrav_5.goals_answered",
        "investment.social_intervention_linked",
        "social_effect.questions_answered",
    ]
    # The quality rules say they follow from the answered rules, not fail twice.
    assert results["grundkrav_3.target_group_defined"].result.value == "not_applicable"
    questions = results["social_effect.questions_answered"]
    assert [p.pointer for p in questions.failed_parts] == [
        "/social_content/needs/description",
        "/social_content/needs/evidence",
        "/social_content/desired_change",
        "/social_content/future_state",
    ]
    assert "framtida tillstånd (fråga 5)" in questions.reason.sv


def test_a_short_specific_complete_application_is_eligible(
    screener: Screener, base_document: dict
) -> None:
    content = base_document["social_content"]
    content["needs"]["description"] = "Hög arbetslöshet."
    content["desired_change"] = "Fler i arbete."
    content["future_state"] = "Ett tryggt område."
    content["target_group"]["description"] = "Unga vuxna."
    content["interventions"] = [{"description": "Jobbcoacher."}]
    content["evaluation"]["method"] = "Årlig enkät."
    content["systematic_work"]["description"] = "Del av programmet."
    content["development"]["justification"] = "Nytt här."
    assert screen(screener, base_document).outcome.value == "eligible"


def test_signals_become_notes_and_never_change_the_outcome(
    screener: Screener, base_document: dict
) -> None:
    base_document["project"].update(
        municipality="Botkyrka", districts=["Fittja"], applies_for_green_loan=True
    )
    verdict = screen(screener, base_document)
    assert verdict.outcome.value == "eligible"
    notes = {n.rule_id: n.text for n in verdict.notes}
    assert set(notes) == {"signal.vulnerable_area", "signal.green_loan"}
    assert "Fittja, Botkyrka: särskilt utsatt område" in notes["signal.vulnerable_area"].sv
    assert "polisens lista 2025" in notes["signal.vulnerable_area"].sv


def test_category_fit_comes_from_what_is_built(screener: Screener, base_document: dict) -> None:
    base_document["project"]["facility_kinds"] = ["park"]
    verdict = screen(screener, base_document)
    fit = verdict.category_fit
    assert [c.value for c in fit.matched] == [
        "safety_accessibility",
        "health_education_sport_culture",
    ]
    assert fit.declared_matches is False
    assert by_id(verdict)["category.declared_fits"].result.value == "failed"


def test_the_verdict_holds_no_personal_data(screener: Screener, base_document: dict) -> None:
    base_document["contact_person"] = {
        "name": "Kanarie Testperson",
        "email": "kanarie.testperson@example.se",
        "phone": "+46 70 111 22 33",
    }
    text = screen(screener, base_document).model_dump_json()
    for canary in ("Kanarie", "kanarie.testperson", "111 22 33"):
        assert canary not in text


def test_the_same_application_gives_the_same_verdict(
    screener: Screener, base_document: dict
) -> None:
    first = screen(screener, copy.deepcopy(base_document)).model_dump(exclude={"screened_at"})
    again = screen(screener, base_document).model_dump(exclude={"screened_at"})
    assert json.dumps(first, default=str) == json.dumps(again, default=str)


# ---------------------------------------------------------------- partly given answers


@pytest.mark.parametrize(
    ("change", "rule_id", "referred_by"),
    [
        # Any part of the target group answers question 2; its detail rule refers.
        (
            {"target_group": {"districts": ["Norra kvarteren"], "approximate_size": 400}},
            "grundkrav_3.answered",
            "grundkrav_3.target_group_defined",
        ),
        # An external evaluation alone answers grundkrav 5's evaluation.
        (
            {"evaluation": {"external_evaluation": True}},
            "grundkrav_5.evaluation_answered",
            "grundkrav_5.systematic_evaluation",
        ),
        # Evidence alone answers question 1.
        (
            {
                "needs": {
                    "evidence": [{"fact": "41 % har låg inkomst", "source": "SCB", "year": 2025}]
                }
            },
            "social_effect.questions_answered",
            "social_effect.needs_evidenced",
        ),
    ],
)
def test_a_partly_given_answer_refers_and_is_never_rejected(
    screener: Screener, base_document: dict, change: dict, rule_id: str, referred_by: str
) -> None:
    base_document["social_content"].update(change)
    verdict = screen(screener, base_document)
    results = by_id(verdict)
    assert results[rule_id].result.value == "passed"
    assert results[referred_by].result.value == "failed"
    assert results[referred_by].severity is Severity.refer
    assert verdict.outcome.value == "needs_review"


def test_type_a_with_a_justification_for_type_b_is_referred_to_check_the_type(
    screener: Screener, base_document: dict
) -> None:
    base_document["social_content"].update(
        interventions=[], intervention_justification="Lägenheterna är i sig insatsen."
    )
    verdict = screen(screener, base_document)
    results = by_id(verdict)
    assert verdict.outcome.value == "needs_review"
    assert results["investment.social_intervention_linked"].result.value == "not_applicable"
    described = results["investment.intervention_described"]
    assert (described.result.value, described.severity.value) == ("failed", "refer")
    assert "kontrollera investeringstypen" in described.reason.sv
    assert "check the investment type" in described.reason.en


# ---------------------------------------------------------------- who may borrow


def test_an_other_type_owned_by_a_municipality_is_referred_not_rejected(
    screener: Screener, base_document: dict
) -> None:
    base_document["applicant"]["type"] = "other"
    verdict = screen(screener, base_document)
    results = by_id(verdict)
    assert verdict.outcome.value == "needs_review"
    assert results["borrower.applicant_type"].result.value == "not_applicable"
    checked = results["borrower.organisation_number_matches_type"]
    assert checked.result.value == "failed"
    assert [p.pointer for p in checked.failed_parts] == ["/applicant/type"]


def test_a_private_company_of_type_other_is_rejected_naming_what_shows_no_member(
    screener: Screener, base_document: dict
) -> None:
    base_document["applicant"].update(
        type="other",
        declares_membership=False,
        owners=[
            {
                "organisation_name": "Privat Holding AB",
                "organisation_number": "556123-4567",
                "ownership_share_percent": 100,
                "controlled_by_members": False,
            }
        ],
    )
    verdict = screen(screener, base_document)
    rule = by_id(verdict)["borrower.applicant_type"]
    assert verdict.outcome.value == "ineligible"
    assert (rule.result.value, rule.severity.value) == ("failed", "reject")
    assert "/applicant/owners/0/organisation_number" in [p.pointer for p in rule.failed_parts]

    # Whether the owning company is controlled by members is not answered: unknown is not a
    # fact, so the committee reads it (the type check refers), never a reject.
    del base_document["applicant"]["owners"][0]["controlled_by_members"]
    unknown = screen(screener, base_document)
    assert unknown.outcome.value == "needs_review"
    assert by_id(unknown)["borrower.applicant_type"].result.value == "not_applicable"


@pytest.mark.parametrize(
    ("number", "share", "outcome"),
    [
        ("212000-1355", 100, "eligible"),  # a municipality
        ("232100-0016", 100, "eligible"),  # a region
        ("202100-4979", 0, "needs_review"),  # the state (Statens fastighetsverk): not a member
        ("222000-0018", 0, "needs_review"),  # a kommunalförbund, control not stated
    ],
)
def test_only_municipalities_and_regions_count_as_members(
    screener: Screener, base_document: dict, number: str, share: int, outcome: str
) -> None:
    base_document["applicant"]["owners"] = [
        {
            "organisation_name": "Ägaren",
            "organisation_number": number,
            "ownership_share_percent": 100,
        }
    ]
    verdict = screen(screener, base_document)
    rule = by_id(verdict)["borrower.company_controlled_by_members"]
    assert verdict.outcome.value == outcome
    assert f"kommuner och regioner {share} %" in rule.reason.sv.lower().replace("äger ", "")


def test_a_state_agency_is_neither_a_member_nor_rejected(
    screener: Screener, base_document: dict
) -> None:
    base_document["applicant"].update(
        organisation_name="Skatteverket", organisation_number="202100-5448", owners=[]
    )
    for kind in ("other", "municipality"):
        base_document["applicant"]["type"] = kind
        verdict = screen(screener, base_document)
        results = by_id(verdict)
        assert verdict.outcome.value == "needs_review", kind
        assert results["borrower.organisation_number_matches_type"].result.value == "failed"
        assert results["borrower.applicant_type"].result.value != "failed"


def test_a_failed_part_is_named_once_however_often_the_condition_tests_it(
    screener: Screener, base_document: dict
) -> None:
    from screening.engine.tree import All, Any_, Test
    from screening.ruleset.explain import Explainer

    # The shape of a "type and number" check: the same two leaves in every alternative.
    type_is = [
        Test("applicant__type", "eq", kind, field="applicant.type", test="equals")
        for kind in ("municipality", "region", "municipal_federation")
    ]
    group = Test(
        "applicant__organisation_group",
        "eq",
        "public_body",
        field="applicant.organisation_group",
        test="equals",
    )
    condition = Any_(tuple(All((t, group)) for t in type_is))
    fact = {"applicant__type": "other", "applicant__organisation_group": "limited_company"}
    application = parse_application(base_document)
    parts = Explainer(screener.ruleset.labels).parts(condition, fact, application)
    assert [p.pointer for p in parts] == ["/applicant/type", "/applicant/organisation_number"]
