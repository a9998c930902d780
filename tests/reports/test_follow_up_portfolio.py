"""The portfolio of loans under follow-up (screening.follow_up.portfolio): statuses counted per
category and round, people reached and goals met, indicator totals that add up only identical
indicators of the lender's catalogue, each attributed as the catalogue says; the CSV rows for
the lender's impact reporting."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import timedelta

import pytest
import yaml
from follow_up_support import (
    BASE,
    CLINIC,
    ENKOPING,
    HANINGE,
    MALMO,
    PRESCHOOL,
    VIVALLA,
    follow,
    participants_document,
    yearly_report,
)
from report_support import REPO

from screening.follow_up.portfolio import (
    INDICATOR_COLUMNS,
    STATUSES,
    LoanFollowUp,
    NotAddedReason,
    indicator_csv,
    indicator_rows,
    portfolio,
    status_of,
)
from screening.models.common import Category
from screening.validation import parse_application


@pytest.fixture(scope="module")
def base_application_document():
    return yaml.safe_load((REPO / "rules/examples/base-application.yaml").read_text("utf-8"))


def participants_loan(checker, base, app_id, values, *, reported_unit=None, round="2027-R1", **kw):
    """A loan counting participants (goal 3) with ``values`` {year: value} from 2028 on."""
    document = participants_document(base, app_id, **kw)
    reports = {}
    for year, value in values.items():
        goal_3 = value if reported_unit is None else {"value": value, "unit": reported_unit}
        reports[year] = yearly_report(document, year, {1: 80, 2: 60, 3: goal_3})
    return follow(checker, document, reports, round=round)


def by_key(groups):
    return {group.key: group for group in groups}


# ---------------------------------------------------------------- counts


def test_statuses_per_category_and_round(follow_up_loans, follow_up_rules):
    result = portfolio(follow_up_loans, indicators=follow_up_rules.indicators, year=2029)
    assert result.year == 2029
    assert result.overall.by_status() == {
        "on_track": 3,
        "needs_attention": 2,
        "off_track": 1,
        "no_report": 1,
    }
    categories = by_key(result.by_category)
    assert [g.key for g in result.by_category] == [c.value for c in Category]
    assert categories["housing"].by_status() == {
        "on_track": 2,
        "needs_attention": 1,
        "off_track": 0,
        "no_report": 0,
    }
    assert categories["safety_accessibility"].needs_attention == 1
    assert categories["health_education_sport_culture"].by_status() == {
        "on_track": 1,
        "needs_attention": 0,
        "off_track": 1,
        "no_report": 1,
    }
    # Rounds in order; the loan without a recorded round last.
    assert [g.key for g in result.by_round] == ["2026-R1", "2026-R2", "2026-R3", None]
    rounds = by_key(result.by_round)
    assert (rounds["2026-R2"].needs_attention, rounds["2026-R2"].off_track) == (1, 1)
    assert rounds["2026-R3"].on_track == 2
    assert rounds[None].by_status()["no_report"] == 1


def test_every_loan_is_counted_once_in_each_breakdown(follow_up_loans, follow_up_rules):
    for year in (2027, 2028, 2029, None):
        result = portfolio(follow_up_loans, indicators=follow_up_rules.indicators, year=year)
        for groups in (result.by_category, result.by_round):
            assert sum(g.loans for g in groups) == len(follow_up_loans)
            assert all(sum(g.by_status().values()) == g.loans for g in groups)
        assert sum(result.overall.by_status().values()) == len(follow_up_loans)
        assert len(result.loans) == len(follow_up_loans)


def test_people_reached_and_goals_count_the_reports_of_the_year(follow_up_loans, follow_up_rules):
    result = portfolio(follow_up_loans, indicators=follow_up_rules.indicators, year=2029)
    # Haninge sent no report: it adds no one.
    assert result.overall.people_reached == 480 + 2100 + 1300 + 4100 + 340 + 1150
    assert result.overall.people_reached_loans == 6
    # 14 approved goals; the preschool left its goal out and Haninge sent nothing: 12 reported.
    assert (result.overall.goals, result.overall.goals_reported) == (14, 12)
    # Only Malmö's goal 2 (14 accessible passages, the target) has reached its target.
    assert result.overall.goals_met == 1
    assert by_key(result.by_category)["safety_accessibility"].goals_met == 1
    assert by_key(result.by_round)[None].people_reached == 0


def test_a_missing_report_is_no_report_whatever_the_outcome(loans_by_id):
    haninge = loans_by_id[HANINGE]
    missing = haninge.verdict(2029)
    assert missing is not None and not missing.report_received
    assert missing.outcome.value == "needs_attention"  # the rules refer it …
    assert status_of(missing) == "no_report"  # … the portfolio counts it as not reported
    assert status_of(haninge.verdict(2028)) == "on_track"
    assert status_of(None) == "no_report"


def test_the_year_chooses_the_verdicts(follow_up_loans, follow_up_rules):
    earlier = portfolio(follow_up_loans, indicators=follow_up_rules.indicators, year=2028)
    assert by_key(earlier.by_round)[None].on_track == 1  # Haninge reported in 2028
    rows = {row.application_id: row for row in earlier.loans}
    assert rows[MALMO].status == "needs_attention" and rows[MALMO].reporting_year == 2028
    first = portfolio(follow_up_loans, indicators=follow_up_rules.indicators, year=2027)
    rows = {row.application_id: row for row in first.loans}
    assert rows[CLINIC].status == "no_report" and rows[CLINIC].reporting_year is None
    assert rows[CLINIC].goals == 0  # no verdict: nothing known about its goals that year


def test_without_a_year_each_loan_counts_by_its_latest_verdict(follow_up_loans, follow_up_rules):
    # Haninge's 2029 verdict not made yet: its latest is 2028.
    loans = [
        replace(loan, verdicts=loan.verdicts[:2]) if loan.application_id == HANINGE else loan
        for loan in follow_up_loans
    ]
    latest = portfolio(loans, indicators=follow_up_rules.indicators)
    assert latest.year is None
    rows = {row.application_id: row for row in latest.loans}
    assert (rows[HANINGE].reporting_year, rows[HANINGE].status) == (2028, "on_track")
    assert rows[BASE].reporting_year == 2029
    in_2029 = portfolio(loans, indicators=follow_up_rules.indicators, year=2029)
    assert {row.application_id: row for row in in_2029.loans}[HANINGE].status == "no_report"


def test_loans_needing_action_come_first(follow_up_loans, follow_up_rules):
    result = portfolio(follow_up_loans, indicators=follow_up_rules.indicators, year=2029)
    statuses = [row.status for row in result.loans]
    assert (
        statuses
        == ["off_track", "needs_attention", "needs_attention", "no_report"] + ["on_track"] * 3
    )
    assert result.loans[0].application_id == PRESCHOOL


# ---------------------------------------------------------------- indicator totals


def test_totals_add_up_only_additive_catalogue_indicators(follow_up_loans, follow_up_rules):
    result = portfolio(follow_up_loans, indicators=follow_up_rules.indicators, year=2029)
    totals = {t.indicator_id: t for t in result.totals}
    assert set(totals) == {"activity_participants", "people_employed_locally"}
    participants = totals["activity_participants"]
    assert (participants.value, participants.loans) == (330 + 110, 2)
    assert (participants.indicator_version, participants.unit) == (1, "personer")
    assert {c.application_id for c in participants.contributions} == {ENKOPING, CLINIC}
    assert participants.title.sv == "Deltagare i aktiviteter"
    assert totals["people_employed_locally"].value == 22
    assert totals["people_employed_locally"].contributions[0].application_id == VIVALLA
    # In the catalogue's order.
    catalogue = list(follow_up_rules.indicators["indicators"])
    assert [t.indicator_id for t in result.totals] == sorted(totals, key=catalogue.index)


def test_shares_and_own_indicators_are_listed_as_not_added(follow_up_loans, follow_up_rules):
    result = portfolio(follow_up_loans, indicators=follow_up_rules.indicators, year=2029)
    reasons = {(n.reason, n.indicator_id): n for n in result.not_added}
    shares = reasons[(NotAddedReason.not_additive, "households_remaining")]
    assert (shares.unit, shares.application_ids) == ("procent", [BASE])
    own = reasons[(NotAddedReason.own_indicator, None)]
    # goal-1 of several loans is never one indicator: the own ids are not even kept.
    assert own.indicator_id is None and own.unit is None
    assert {VIVALLA, ENKOPING, MALMO, CLINIC} <= set(own.application_ids)
    assert all(t.indicator_id.startswith("goal-") is False for t in result.totals)


def test_the_same_own_id_in_two_loans_is_never_added(
    follow_up_checker, follow_up_rules, base_application_document
):
    loans = [
        participants_loan(
            follow_up_checker,
            base_application_document,
            f"own-000{n}",
            {2028: 100 * n},
            indicator_id="dialogue_participants",
        )
        for n in (1, 2)
    ]
    result = portfolio(loans, indicators=follow_up_rules.indicators, year=2028)
    assert result.totals == []
    (own,) = [n for n in result.not_added if n.reason is NotAddedReason.own_indicator]
    assert own.goals == 2 and own.application_ids == ["own-0001", "own-0002"]


def test_only_identical_version_and_unit_add_up(
    follow_up_checker, follow_up_rules, base_application_document
):
    base = base_application_document
    same = [
        participants_loan(follow_up_checker, base, "same-0001", {2028: 120, 2029: 180}),
        participants_loan(follow_up_checker, base, "same-0002", {2028: 40, 2029: 75}),
    ]
    # Reported as "deltagartillfällen" (visits, not unique people): a new definition.
    changed = participants_loan(
        follow_up_checker,
        base,
        "changed-0003",
        {2028: 50, 2029: 900},
        reported_unit="deltagartillfällen",
    )
    # Approved in "antal", not the catalogue's unit.
    other_unit = participants_loan(follow_up_checker, base, "unit-0004", {2029: 33}, unit="antal")
    result = portfolio(
        [*same, changed, other_unit], indicators=follow_up_rules.indicators, year=2029
    )
    (total,) = result.totals
    assert (total.indicator_id, total.indicator_version, total.unit) == (
        "activity_participants",
        1,
        "personer",
    )
    assert (total.value, total.loans) == (180 + 75, 2)
    reasons = {n.reason: n for n in result.not_added if n.indicator_id == "activity_participants"}
    assert reasons[NotAddedReason.changed_definition].application_ids == ["changed-0003"]
    assert reasons[NotAddedReason.changed_definition].indicator_version == 2
    assert reasons[NotAddedReason.changed_definition].unit == "deltagartillfällen"
    assert reasons[NotAddedReason.unit_differs].application_ids == ["unit-0004"]
    assert reasons[NotAddedReason.unit_differs].unit == "antal"


def test_additive_in_the_catalogue_decides(follow_up_loans, follow_up_rules):
    indicators = dict(follow_up_rules.indicators)
    catalogue = {k: dict(v) for k, v in indicators["indicators"].items()}
    catalogue["households_remaining"]["additive"] = True
    catalogue["activity_participants"]["additive"] = False
    indicators["indicators"] = catalogue
    result = portfolio(follow_up_loans, indicators=indicators, year=2029)
    assert {t.indicator_id for t in result.totals} == {
        "households_remaining",
        "people_employed_locally",
    }
    assert any(
        n.reason is NotAddedReason.not_additive and n.indicator_id == "activity_participants"
        for n in result.not_added
    )


def test_whole_effect_is_the_default_attribution(follow_up_loans, follow_up_rules):
    assert follow_up_rules.indicators["attribution"] == "whole"
    result = portfolio(follow_up_loans, indicators=follow_up_rules.indicators, year=2029)
    assert result.attribution == "whole"
    assert result.attribution_reference is not None
    assert result.attribution_reference.source == "green_bonds_impact_reporting"
    assert all(t.attribution == "whole" for t in result.totals)
    assert all(
        c.share == 1 and c.attributed == c.value for t in result.totals for c in t.contributions
    )


def test_financed_share_attributes_the_loans_part(
    follow_up_checker, follow_up_rules, base_application_document
):
    base = base_application_document
    loans = [
        # 60 of 120 million financed: half of 200 participants.
        participants_loan(
            follow_up_checker,
            base,
            "share-0001",
            {2029: 200},
            loan_amount_sek=60_000_000,
            total_investment_sek=120_000_000,
        ),
        # A loan above the cost never attributes more than the whole effect.
        participants_loan(
            follow_up_checker,
            base,
            "share-0002",
            {2029: 90},
            loan_amount_sek=48_000_000,
            total_investment_sek=42_000_000,
        ),
    ]
    indicators = {**follow_up_rules.indicators, "attribution": "financed_share"}
    (total,) = portfolio(loans, indicators=indicators, year=2029).totals
    assert total.attribution == "financed_share"
    shares = {c.application_id: (c.share, c.attributed) for c in total.contributions}
    assert shares == {"share-0001": (0.5, 100.0), "share-0002": (1.0, 90.0)}
    assert total.value == 190
    (whole,) = portfolio(loans, indicators=follow_up_rules.indicators, year=2029).totals
    assert whole.value == 290


def test_an_unknown_attribution_is_refused(follow_up_loans, follow_up_rules):
    with pytest.raises(ValueError, match="attribution"):
        portfolio(follow_up_loans, indicators={**follow_up_rules.indicators, "attribution": "some"})


def test_an_empty_portfolio(follow_up_rules):
    result = portfolio([], indicators=follow_up_rules.indicators)
    assert result.overall.loans == 0 and result.totals == [] and result.loans == []
    assert [g.key for g in result.by_category] == [c.value for c in Category]
    assert result.by_round == []


# ---------------------------------------------------------------- the loan


def test_a_loan_takes_the_latest_verdict_per_year(loans_by_id, base_application_document):
    loan = loans_by_id[BASE]
    again = loan.verdicts[1].model_copy(
        update={"checked_at": loan.verdicts[1].checked_at + timedelta(days=30)}
    )
    older = loan.verdicts[2].model_copy(
        update={"checked_at": loan.verdicts[2].checked_at - timedelta(days=30)}
    )
    application = parse_application(base_application_document)
    rebuilt = LoanFollowUp.of(
        application, [older, *reversed(loan.verdicts), again, *loans_by_id[MALMO].verdicts]
    )
    assert [v.reporting_year for v in rebuilt.verdicts] == [2027, 2028, 2029]
    assert rebuilt.verdicts[1] is again
    assert rebuilt.verdicts[2] is loan.verdicts[2]
    assert rebuilt.round is None and rebuilt.category is Category.housing


def test_a_loan_refuses_verdicts_of_another_loan_or_out_of_order(loans_by_id):
    loan = loans_by_id[BASE]
    with pytest.raises(ValueError, match="lsh-2026-0015"):
        replace(loan, verdicts=(*loan.verdicts, loans_by_id[MALMO].verdicts[0]))
    with pytest.raises(ValueError, match="oldest first"):
        replace(loan, verdicts=tuple(reversed(loan.verdicts)))
    with pytest.raises(ValueError, match="oldest first"):
        replace(loan, verdicts=(*loan.verdicts, loan.verdicts[-1]))
    with pytest.raises(ValueError, match="positive"):
        replace(loan, total_investment_sek=0)


def test_financed_share_is_at_most_one(loans_by_id):
    loan = loans_by_id[BASE]
    assert loan.financed_share == pytest.approx(100 / 120)
    above = replace(loan, loan_amount_sek=130_000_000)
    assert above.financed_share == 1.0


# ---------------------------------------------------------------- rows and CSV


def test_one_row_per_loan_goal_and_year(follow_up_loans):
    rows = indicator_rows(follow_up_loans)
    expected = sum(len(v.goals) for loan in follow_up_loans for v in loan.verdicts)
    assert len(rows) == expected
    assert all(tuple(row) == INDICATOR_COLUMNS for row in rows)
    malmo = [r for r in rows if r["application_id"] == MALMO and r["goal"] == 1]
    assert [(r["reporting_year"], r["indicator_version"]) for r in malmo] == [
        (2027, 1),
        (2028, 1),
        (2029, 2),
    ]
    changed = malmo[-1]
    assert changed["value"] == 47 and changed["shortfall_percent"] is None
    assert changed["target_met"] is None and changed["outcome"] == "needs_attention"
    assert (changed["baseline_value"], changed["target_value"]) == (62, 40)
    assert changed["round"] == "2026-R2" and changed["category"] == "safety_accessibility"
    missing = [r for r in rows if r["application_id"] == HANINGE and r["reporting_year"] == 2029]
    assert [(r["value"], r["outcome"]) for r in missing] == [(None, "needs_attention")]
    no_round = [r for r in rows if r["application_id"] == HANINGE]
    assert {r["round"] for r in no_round} == {None}


def test_csv_header_and_cells(follow_up_loans):
    text = indicator_csv(follow_up_loans)
    lines = text.split("\r\n")
    assert lines[0] == ";".join(INDICATOR_COLUMNS)
    assert lines[-1] == ""  # every line ends in CRLF
    parsed = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    assert parsed[0] == list(INDICATOR_COLUMNS)
    assert len(parsed) - 1 == len(indicator_rows(follow_up_loans))
    cells = [dict(zip(parsed[0], row, strict=True)) for row in parsed[1:]]
    first = cells[0]
    assert first == {
        "application_id": BASE,
        "round": "2026-R3",
        "category": "housing",
        "reporting_year": "2027",
        "goal": "1",
        "indicator_id": "households_remaining",
        "indicator_version": "1",
        "unit": "procent",
        "baseline_value": "70",
        "baseline_year": "2026",
        "target_value": "90",
        "target_year": "2031",
        "value": "74",
        "measured_year": "2027",
        "path_value": "74",
        "shortfall_percent": "0",
        "target_met": "false",
        "outcome": "on_track",
    }
    vivalla = next(c for c in cells if c["application_id"] == VIVALLA and c["goal"] == "1")
    assert vivalla["path_value"] == "44.2857"  # '.' as the decimal sign, nothing rounded away
    haninge = [c for c in cells if c["application_id"] == HANINGE]
    assert {c["round"] for c in haninge} == {""}
    assert haninge[-1]["value"] == "" and haninge[-1]["target_met"] == ""
    assert any(c["target_met"] == "true" for c in cells)


def test_csv_other_delimiter_and_formula_text(follow_up_loans, loans_by_id):
    loan = loans_by_id[BASE]
    odd = replace(loan, round='=HYPERLINK("x")')
    text = indicator_csv([odd], delimiter=",")
    parsed = list(csv.reader(io.StringIO(text, newline=""), delimiter=","))
    assert parsed[0] == list(INDICATOR_COLUMNS)
    assert {row[1] for row in parsed[1:]} == {'\'=HYPERLINK("x")'}
    # A negative number stays a number.
    ahead = [row for row in parsed[1:] if row[15].startswith("-")]
    assert ahead and all(float(row[15]) < 0 for row in ahead)


def test_csv_holds_no_personal_data(follow_up_loans, base_application_document):
    text = indicator_csv(follow_up_loans)
    contact = base_application_document["contact_person"]
    for value in contact.values():
        assert str(value) not in text
    assert "@" not in text


def test_statuses_are_the_chart_keys():
    assert STATUSES == ("on_track", "needs_attention", "off_track", "no_report")
