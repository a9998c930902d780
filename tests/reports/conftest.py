"""Report fixtures: real verdicts from the real ruleset, for the base application, variants of
it with known outcomes, the example applications, and an application full of hostile text."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import pytest
from follow_up_support import load_follow_up_rules, portfolio_loans
from report_support import HOSTILE, LONGER, LOOSER, ROUND, RULES_DIR, decide, derive, stored
from workbench.authoring import compile_rules
from workbench.impact import ImpactReport, impact

from screening.agreement import Agreement, Band, agreement
from screening.follow_up.checker import FollowUpChecker
from screening.follow_up.portfolio import LoanFollowUp
from screening.models.verdict import Verdict
from screening.ruleset.compiled import CompiledRuleset
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


# ---------------------------------------------------------------- the committee's decisions


@pytest.fixture
def committee_documents(mixed_documents: dict[str, Any]) -> list[tuple[dict[str, Any], Any]]:
    """A decided round: each application with the committee's decision on it.

    Seven applications: two eligible (one granted, one declined), one needing review (granted,
    membership not followed), two ineligible for operating costs (one declined; one granted: a
    false reject, decided last) and two whose loan exceeds the cost (declined, returned)."""
    base, park = mixed_documents["eligible"]
    (member,) = mixed_documents["needs_review"]
    drift_declined, drift_granted = mixed_documents["ineligible"]
    over_cost = [
        derive(
            base,
            app_id,
            project={"title": f"Lån över kostnaden {n}", "loan_amount_sek": 200_000_000},
        )
        for n, app_id in enumerate(("loan-0006", "loan-0007"), start=1)
    ]
    return [
        (base, decide("base-0001", "granted", assessments={"grundkrav_3": "met"})),
        (park, decide("park-0004", "declined", motivation="Parken ligger utanför området.")),
        (member, decide("member-0002", "granted", overridden=["borrower.membership"])),
        (drift_declined, decide("drift-0003", "declined")),
        (
            drift_granted,
            decide(
                "drift-0005",
                "granted",
                day=date(2026, 11, 27),
                overridden=["investment.physical"],
                motivation="Driften är en del av en upprustning.",
            ),
        ),
        (over_cost[0], decide("loan-0006", "declined")),
        (over_cost[1], decide("loan-0007", "returned")),
    ]


@pytest.fixture
def committee_pairs(
    screen: Callable[..., Verdict], committee_documents: list[tuple[dict[str, Any], Any]]
) -> list[tuple[Verdict, Any]]:
    """(verdict, decision) for each decided application: real verdicts of the real rules."""
    return [(screen(document, at=WHEN), decision) for document, decision in committee_documents]


@pytest.fixture
def committee_agreement(committee_pairs: list[tuple[Verdict, Any]]) -> Agreement:
    """The agreement over the decided round; rules are flagged from two failures on."""
    return agreement(
        committee_pairs,
        date_from=date(2026, 11, 1),
        date_to=date(2026, 11, 30),
        round=ROUND,
        band=Band(min_failed=2),
    )


# ---------------------------------------------------------------- a rule change


@pytest.fixture(scope="session")
def candidate_rules() -> Callable[[dict[tuple[str, str], Any]], CompiledRuleset]:
    """The working tree's rules with parameters set, as ``screening impact --set`` compiles
    them (cached per setting)."""
    compiled: dict[str, CompiledRuleset] = {}

    def build(overrides: dict[tuple[str, str], Any]) -> CompiledRuleset:
        key = repr(sorted(overrides.items()))
        if key not in compiled:
            compiled[key] = compile_rules(
                RULES_DIR, verify_version=False, overrides=overrides
            ).ruleset
        return compiled[key]

    return build


@pytest.fixture
def impact_of(ruleset: CompiledRuleset) -> Callable[..., ImpactReport]:
    """``screening impact`` over stored applications, in this process (one worker)."""

    def run(
        documents: list[tuple[dict[str, Any], Any]],
        candidate: CompiledRuleset,
        *,
        base: CompiledRuleset | None = None,
        base_source: str = "release",
        candidate_source: str = "working tree with --set",
        parameters_set: tuple[str, ...] = (),
    ) -> ImpactReport:
        applications = [
            stored(document, *([decision] if decision is not None else []))
            for document, decision in documents
        ]
        return impact(
            (base or ruleset, base_source),
            (candidate, candidate_source),
            applications,
            parameters_set=parameters_set,
            workers=1,
        )

    return run


@pytest.fixture
def committee_impact(
    impact_of: Callable[..., ImpactReport],
    candidate_rules: Callable[[dict[tuple[str, str], Any]], CompiledRuleset],
    committee_documents: list[tuple[dict[str, Any], Any]],
) -> ImpactReport:
    """The decided round under a candidate that loosens one rule and tightens another."""
    settings = {**LOOSER, **LONGER}
    return impact_of(
        committee_documents,
        candidate_rules(settings),
        parameters_set=tuple(f"{r}.{n}={v!r}" for (r, n), v in settings.items()),
    )


# ---------------------------------------------------------------- the effect follow-up


@pytest.fixture(scope="session")
def follow_up_rules() -> CompiledRuleset:
    """The follow-up ruleset (rules/follow-up): its rules, labels and indicator catalogue."""
    return load_follow_up_rules()


@pytest.fixture(scope="session")
def follow_up_checker(follow_up_rules: CompiledRuleset) -> FollowUpChecker:
    return FollowUpChecker(follow_up_rules)


@pytest.fixture(scope="session")
def follow_up_loans(follow_up_checker: FollowUpChecker) -> tuple[LoanFollowUp, ...]:
    """Seven granted loans followed 2027–2029 (follow_up_support.portfolio_loans)."""
    return tuple(portfolio_loans(follow_up_checker))


@pytest.fixture(scope="session")
def loans_by_id(follow_up_loans: tuple[LoanFollowUp, ...]) -> dict[str, LoanFollowUp]:
    return {loan.application_id: loan for loan in follow_up_loans}
