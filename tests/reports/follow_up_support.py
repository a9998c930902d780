"""Loans under follow-up for the report tests: real follow-up verdicts from the real follow-up
rules, for the base follow-up example and for example applications followed over the years.

``follow(checker, document, reports, round=...)`` checks one loan year by year (each year with
the earlier reports as history), the way the service does when a report comes in;
``yearly_report`` writes a report that measures the approved indicators unless told otherwise.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from report_support import EXAMPLES, REPO
from workbench.authoring import compile_rules
from workbench.authoring.subjects import follow_up_input

from screening.follow_up.checker import FollowUpChecker
from screening.follow_up.portfolio import LoanFollowUp
from screening.models.effect_report import EffectReport
from screening.ruleset.compiled import (
    FOLLOW_UP,
    CompiledRuleset,
    RulesetUnavailable,
    load_compiled,
)
from screening.validation import parse_application

FOLLOW_UP_RULES = REPO / "rules" / "follow-up"
FOLLOW_UP_EXAMPLES = FOLLOW_UP_RULES / "examples"


def load_follow_up_rules() -> CompiledRuleset:
    """The shipped compiled follow-up ruleset; compiled from the rule files when it is stale
    (another change to the rules under way)."""
    try:
        return load_compiled(FOLLOW_UP_RULES, subject=FOLLOW_UP)
    except RulesetUnavailable:
        return compile_rules(FOLLOW_UP_RULES, verify_version=False).ruleset


def base_follow_up_document() -> dict[str, Any]:
    return yaml.safe_load((FOLLOW_UP_EXAMPLES / "base-follow-up.yaml").read_text("utf-8"))


def base_loan(checker: FollowUpChecker, round: str | None = "2026-R3") -> LoanFollowUp:
    """The base follow-up example as a loan: 2027, 2028 and 2029, on track every year."""
    given = follow_up_input(base_follow_up_document(), FOLLOW_UP_EXAMPLES)
    reports = sorted([*given.history, given.report], key=lambda r: r.reporting_year)
    verdicts = [
        checker.check(
            given.application,
            report.reporting_year,
            report,
            [r for r in reports if r.reporting_year < report.reporting_year],
            report.submitted_at.date(),
        )
        for report in reports
    ]
    return LoanFollowUp.of(given.application, verdicts, round=round)


def example_document(stem: str) -> dict[str, Any]:
    return json.loads((EXAMPLES / f"{stem}.json").read_text("utf-8"))


def with_indicators(
    document: dict[str, Any], app_id: str | None = None, **goals: Mapping[str, Any]
) -> dict[str, Any]:
    """The application with some effect goals changed: ``goal_2={"indicator_id": ...}``."""
    changed = copy.deepcopy(document)
    if app_id:
        changed["application_id"] = app_id
    for name, values in goals.items():
        number = int(name.removeprefix("goal_"))
        changed["social_content"]["effect_goals"][number - 1].update(values)
    return changed


def yearly_report(
    document: Mapping[str, Any],
    year: int,
    values: Mapping[int, float | Mapping[str, Any] | None],
    *,
    people_reached: int | None = 250,
    submitted: str | None = None,
) -> dict[str, Any]:
    """A report for ``year``: goal N measured as approved with ``values[N]`` (a mapping
    changes the entry, e.g. another indicator or unit; a goal not in ``values`` is left out);
    the investment on schedule and every intervention running."""
    goals = document["social_content"].get("effect_goals") or []
    entries = []
    for number, change in sorted(values.items()):
        approved = goals[number - 1]
        entry = {
            "goal": number,
            "indicator": approved.get("indicator"),
            "unit": approved.get("unit"),
            "measured_year": year,
            "data_source": approved.get("data_source") or "Egen mätning",
        }
        if approved.get("indicator_id"):
            entry["indicator_id"] = approved["indicator_id"]
        if isinstance(change, Mapping):
            entry.update(change)
        else:
            entry["value"] = change
        entries.append(entry)
    planned_end = date.fromisoformat(document["project"]["end_date"])
    if planned_end <= date(year, 12, 31):
        investment = {"progress": "completed", "completed_on": planned_end.isoformat()}
    else:
        investment = {"progress": "under_way"}
    interventions = document["social_content"].get("interventions") or []
    return {
        "application_id": document["application_id"],
        "reporting_year": year,
        "submitted_at": submitted or f"{year + 1}-03-16T10:00:00+01:00",
        "goals": entries,
        "people_reached": people_reached,
        "investment": investment,
        "interventions": [
            {"intervention": n, "progress": "running"} for n in range(1, len(interventions) + 1)
        ],
        "narrative": "Arbetet fortsätter enligt planen.",
    }


def follow(
    checker: FollowUpChecker,
    document: Mapping[str, Any],
    reports: Mapping[int, Mapping[str, Any] | None],
    *,
    round: str | None,
) -> LoanFollowUp:
    """The loan checked year by year: ``reports[year]`` None means no report came (checked on
    1 June the year after)."""
    application = parse_application(dict(document))
    history: list[EffectReport] = []
    verdicts = []
    for year in sorted(reports):
        given = reports[year]
        report = EffectReport.model_validate_json(json.dumps(given)) if given else None
        checked_on = report.submitted_at.date() if report else date(year + 1, 6, 1)
        verdicts.append(checker.check(application, year, report, list(history), checked_on))
        if report is not None:
            history.append(report)
    return LoanFollowUp.of(application, verdicts, round=round)


def portfolio_loans(checker: FollowUpChecker) -> list[LoanFollowUp]:
    """Seven granted loans in three categories and four rounds, followed 2027–2029:

    - base-0001 (housing, 2026-R3): the base example, on track; two shares (not additive).
    - Vivalla (housing, 2026-R1): people employed locally (additive, catalogue unit) 6, 14, 22.
    - Enköping (housing, 2026-R1): activity participants (additive) 180, 260, 330; goal 2 in
      2029 is far behind its path and unexplained → needs attention.
    - Malmö (safety, 2026-R2): goal 1's indicator is redefined in 2029 (a new version: a break
      in the series), goal 2 is the borrower's own count.
    - Göteborg preschool (health, 2026-R2): goal 1 left out of the 2029 report → off track.
    - Haninge sports hall (health, no round recorded): no report for 2029 came in.
    - Husby youth clinic (health, 2026-R3): activity participants 60, 110; its goals have no
      baseline year, so there is no path to draw.
    """
    vivalla = with_indicators(
        example_document("orebro-vivalla-renovation-owned-via-parent-company"),
        goal_2={"indicator_id": "people_employed_locally", "unit": "personer"},
    )
    enkoping = with_indicators(
        example_document("enkopings-hyresbostader-area-investment"),
        goal_1={"indicator_id": "activity_participants", "unit": "personer"},
    )
    malmo = example_document("malmo-rosengard-lit-paths")
    preschool = example_document("goteborg-preschool-hammarkullen")
    haninge = example_document("haninge-sports-hall-jordbro-needs-without-source")
    clinic = with_indicators(
        example_document("region-stockholm-youth-clinic-husby-no-baseline-years"),
        goal_2={"indicator_id": "activity_participants"},
    )
    redefined = {
        "indicator": "Andel kvinnor som känner sig trygga att gå ute ensamma kvällstid",
        "unit": "procent",
        "value": 47,
    }
    return [
        base_loan(checker),
        follow(
            checker,
            vivalla,
            {
                2027: yearly_report(vivalla, 2027, {1: 41, 2: 6}, people_reached=1200),
                2028: yearly_report(vivalla, 2028, {1: 46, 2: 14}, people_reached=1650),
                2029: yearly_report(vivalla, 2029, {1: 50, 2: 22}, people_reached=2100),
            },
            round="2026-R1",
        ),
        follow(
            checker,
            enkoping,
            {
                2027: yearly_report(
                    enkoping, 2027, {1: 180, 2: 55, 3: 41, 4: 18}, people_reached=900
                ),
                2028: yearly_report(
                    enkoping, 2028, {1: 260, 2: 57, 3: 44, 4: 17}, people_reached=1100
                ),
                2029: yearly_report(
                    enkoping, 2029, {1: 330, 2: 50, 3: 46, 4: 16}, people_reached=1300
                ),
            },
            round="2026-R1",
        ),
        follow(
            checker,
            malmo,
            {
                2027: yearly_report(malmo, 2027, {1: 58, 2: 6}, people_reached=3400),
                2028: yearly_report(malmo, 2028, {1: 55, 2: 10}, people_reached=3900),
                2029: yearly_report(malmo, 2029, {1: redefined, 2: 14}, people_reached=4100),
            },
            round="2026-R2",
        ),
        follow(
            checker,
            preschool,
            {
                2027: yearly_report(preschool, 2027, {1: 74}, people_reached=310),
                2028: yearly_report(preschool, 2028, {1: 76}, people_reached=330),
                2029: yearly_report(preschool, 2029, {}, people_reached=340),
            },
            round="2026-R2",
        ),
        follow(
            checker,
            haninge,
            {
                2027: yearly_report(haninge, 2027, {1: 360}, people_reached=420),
                2028: yearly_report(haninge, 2028, {1: 410}, people_reached=470),
                2029: None,
            },
            round=None,
        ),
        follow(
            checker,
            clinic,
            {
                2028: yearly_report(clinic, 2028, {1: 150, 2: 60}, people_reached=800),
                2029: yearly_report(clinic, 2029, {1: 171, 2: 110}, people_reached=1150),
            },
            round="2026-R3",
        ),
    ]


def example_stems() -> list[str]:
    return [p.stem for p in sorted(Path(EXAMPLES).glob("*.json"))]


# The loans of portfolio_loans by application id.
BASE = "base-0001"
VIVALLA = "lsh-2026-0012"
ENKOPING = "lsh-2026-0027"
MALMO = "lsh-2026-0015"
PRESCHOOL = "lsh-2026-0030"
HANINGE = "lsh-2026-0011"
CLINIC = "lsh-2026-0026"


def participants_document(
    base: Mapping[str, Any],
    app_id: str,
    *,
    unit: str = "personer",
    indicator_id: str = "activity_participants",
    loan_amount_sek: int | None = None,
    total_investment_sek: int | None = None,
    category: str | None = None,
) -> dict[str, Any]:
    """The base application with a third effect goal counting participants, by the lender's
    indicator ``indicator_id`` in ``unit``."""
    document = copy.deepcopy(dict(base))
    document["application_id"] = app_id
    document["social_content"]["effect_goals"].append(
        {
            "effect_area": "participation_and_influence",
            "goal": "Fler deltar i boendedialogen",
            "indicator": "Unika deltagare i boendedialogens träffar under året",
            "indicator_id": indicator_id,
            "unit": unit,
            "baseline_value": 0,
            "baseline_year": 2026,
            "target_value": 300,
            "target_year": 2031,
            "data_source": "Närvarolistor",
        }
    )
    if loan_amount_sek is not None:
        document["project"]["loan_amount_sek"] = loan_amount_sek
    if total_investment_sek is not None:
        document["project"]["total_investment_sek"] = total_investment_sek
    if category is not None:
        document["project"]["declared_category"] = category
    return document
