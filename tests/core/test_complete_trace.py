"""Property: for any valid application, every rule yields exactly one result.

The compiler writes each condition twice (holds / fails); if a negation were wrong, some
application would fire both or neither. Random valid applications, varied where the rules look
(missing optional values, empty lists, boundary numbers, every enum value), probe that.
"""

from __future__ import annotations

import copy
import random

from screening import Application, Screener
from screening.models.application import (
    ApplicantType,
    DevelopmentAspect,
    EvaluationFrequency,
    InvestmentKind,
)
from screening.models.common import Category

TEXTS = [
    "Kort.",
    "En trygg park.",
    "Alla invånare i kommunen.",
    "Hyresgäster som riskerar att behöva flytta; vi vill minska utanförskap och öka tryggheten "
    "genom boendedialog, sysselsättning och en ny tvättstuga i bostadsområdet med förskola.",
    "x" * 400,
]


def vary(rng: random.Random, base: dict) -> dict:
    d = copy.deepcopy(base)
    applicant, project, social = d["applicant"], d["project"], d["social_content"]
    applicant["type"] = rng.choice(list(ApplicantType)).value
    applicant["organisation_number"] = rng.choice(["556000-0001", "212000-2882", "802000-0009"])
    applicant["declares_membership"] = rng.random() < 0.7
    if rng.random() < 0.3:
        applicant.pop("owner", None)
    elif "owner" in applicant:
        applicant["owner"]["ownership_share_percent"] = rng.choice([0.5, 30, 50, 50.01, 100])
        applicant["owner"]["organisation_number"] = rng.choice(["212000-2882", "556123-4567"])
    categories = [c.value for c in Category]
    project["declared_category"] = rng.choice(categories)
    others = [c for c in categories if c != project["declared_category"]]
    project["secondary_category"] = rng.choice([None, *others])
    project["investment_type"] = rng.choice(["a", "b"])
    project["investment_kind"] = rng.choice(list(InvestmentKind)).value
    project["total_investment_sek"] = rng.choice([1, 30_000_000, 120_000_000])
    project["loan_amount_sek"] = rng.choice([1, 30_000_000, 45_000_000, 120_000_000])
    project["description"] = rng.choice(TEXTS)
    project["title"] = rng.choice(TEXTS)[:200]
    project["districts"] = rng.choice([[], ["Fittja"], ["Alby", "Norra kvarteren"]])
    project["municipality"] = rng.choice(["Botkyrka", "Exempelby", "Göteborg"])
    project["applies_for_green_loan"] = rng.random() < 0.5
    project["already_carried_out"] = rng.random() < 0.5
    for key in ("needs_and_challenges", "desired_change", "future_state"):
        social[key] = rng.choice(TEXTS)
    social["intervention_justification"] = rng.choice([None, *TEXTS])
    social["interventions"] = rng.choice(
        [[], [{"description": rng.choice(TEXTS)}], social["interventions"]]
    )
    goals = social["effect_goals"]
    social["effect_goals"] = rng.choice([[], goals, [{"goal": "Ökad trygghet"}, *goals]])
    social["target_group"]["description"] = rng.choice(TEXTS)
    social["evaluation_plan"]["frequency"] = rng.choice(list(EvaluationFrequency)).value
    social["evaluation_plan"]["method"] = rng.choice(TEXTS)
    social["systematic_work"]["governing_document"] = rng.choice([None, "Program 2025"])
    social["development"]["aspects"] = rng.sample(
        [a.value for a in DevelopmentAspect], rng.randint(0, 3)
    )
    social["time_horizon_years"] = rng.choice([1, 9, 10, 11, 40])
    return d


def test_every_rule_yields_exactly_one_result_for_random_applications(
    screener: Screener, base_document: dict
) -> None:
    rng = random.Random(20261122)
    outcomes = set()
    results_seen: dict[str, set[str]] = {}
    for index in range(600):
        document = base_document if index % 10 == 0 else vary(rng, base_document)
        application = Application.model_validate(document)
        verdict = screener.screen(application)  # raises IncompleteTraceError otherwise
        assert len(verdict.rules) == len(screener.ruleset.rules)
        outcomes.add(verdict.outcome.value)
        for rule in verdict.rules:
            results_seen.setdefault(rule.rule_id, set()).add(rule.result.value)
    assert outcomes == {"eligible", "needs_review", "ineligible"}
    # The variation reaches both sides of every rule.
    for rule_id, seen in results_seen.items():
        assert len(seen) >= 2, f"{rule_id} only ever gave {seen}"
