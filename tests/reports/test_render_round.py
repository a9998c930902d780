"""The round report: counts, chart, the committee's order, the most-failed rules."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest

from screening.models.verdict import Outcome
from screening.report import render_round_report
from screening.report.chart import stacked_bars
from screening.report.format import format_amount, format_number
from screening.report.views import (
    OUTCOME_ORDER,
    counts_by_category,
    most_failed_rules,
    order_for_committee,
    select_round,
)

DAY = datetime(2026, 10, 15, 9, 30, tzinfo=UTC)
FROM, TO = date(2026, 10, 1), date(2026, 10, 31)


@pytest.fixture
def round_verdicts(screen, mixed_documents):
    verdicts = []
    for expected, documents in mixed_documents.items():
        for offset, document in enumerate(documents):
            verdict = screen(document, at=DAY + timedelta(hours=offset))
            assert verdict.outcome.value == expected, document["application_id"]
            verdicts.append(verdict)
    return verdicts


def render(verdicts, ruleset, **kw):
    return render_round_report(verdicts, FROM, TO, labels=ruleset.labels.values, **kw)


def test_order_needs_review_then_ineligible_then_eligible(round_verdicts, ruleset):
    ordered = order_for_committee(round_verdicts)
    assert [v.outcome for v in ordered] == sorted(
        (v.outcome for v in round_verdicts), key=OUTCOME_ORDER.index
    )
    page = render(round_verdicts, ruleset)
    on_page = re.findall(r'data-application-id="([^"]+)" data-outcome="(\w+)"', page)
    assert [outcome for _, outcome in on_page] == [
        "needs_review",
        "ineligible",
        "ineligible",
        "eligible",
        "eligible",
    ]
    assert [app_id for app_id, _ in on_page] == [v.application_id for v in ordered]


def test_rows_link_to_each_report(round_verdicts, ruleset):
    page = render(round_verdicts, ruleset)
    hrefs = re.findall(r'<a class="nowrap" href="([^"]+)">', page)
    assert sorted(hrefs) == sorted(f"{v.application_id}.html" for v in round_verdicts)
    routed = render(round_verdicts, ruleset, report_href=lambda v: f"../s/{v.application_id}")
    assert '<a class="nowrap" href="../s/member-0002">member-0002</a>' in routed


def test_counts_by_outcome_and_category(round_verdicts, ruleset):
    page = render(round_verdicts, ruleset)
    assert '<strong id="total">5</strong>' in page
    tiles = dict(
        re.findall(r'<li class="outcome-\w+" data-outcome="(\w+)"><span class="n">(\d+)', page)
    )
    assert tiles == {"needs_review": "1", "ineligible": "2", "eligible": "2"}
    table = counts_by_category(round_verdicts, list(ruleset.labels.values["category"]))
    assert table["housing"] == {
        Outcome.needs_review: 1,
        Outcome.ineligible: 1,
        Outcome.eligible: 1,
    }
    assert table["safety_accessibility"][Outcome.eligible] == 1
    assert table["health_education_sport_culture"][Outcome.ineligible] == 1
    assert sum(sum(row.values()) for row in table.values()) == 5


def test_chart_is_inline_svg_with_one_bar_per_category(round_verdicts, ruleset):
    page = render(round_verdicts, ruleset)
    svg = page[page.index("<svg") : page.index("</svg>")]
    bars = dict(re.findall(r'<g class="bar" data-category="(\w+)" data-total="(\d+)">', svg))
    assert bars == {
        "housing": "3",
        "safety_accessibility": "1",
        "health_education_sport_culture": "1",
    }
    segments = re.findall(r'data-outcome="(\w+)" data-count="(\d+)"', svg)
    assert sum(int(n) for _, n in segments) == 5
    assert '<title id="chart-title">Ansökningar per kategori och utfall</title>' in svg
    assert 'href="http' not in page and "src=" not in page  # nothing fetched from elsewhere


def test_chart_widths_are_proportional():
    table = {"a": {Outcome.eligible: 2, Outcome.ineligible: 2}, "b": {Outcome.eligible: 1}}
    chart = stacked_bars(table, {"a": "A"}, OUTCOME_ORDER)
    a, b = chart.bars
    assert [s.outcome for s in a.segments] == [Outcome.ineligible, Outcome.eligible]
    assert a.segments[0].width == a.segments[1].width == 4 * b.segments[0].width / 2
    assert a.segments[1].x == a.segments[0].width
    assert b.title == "b"  # no title known: the code


def test_most_failed_rules(round_verdicts, ruleset):
    failed = most_failed_rules(round_verdicts)
    assert failed[0].rule_id == "investment.physical"
    assert failed[0].count == 2
    assert set(failed[0].application_ids) == {"drift-0003", "drift-0005"}
    counts = [item.count for item in failed]
    assert counts == sorted(counts, reverse=True)
    page = render(round_verdicts, ruleset)
    assert '<tr data-rule-id="investment.physical" data-count="2">' in page
    section = page[page.index('id="failed-heading"') :]
    assert section.index("investment.physical") < section.index("borrower.membership")


def test_round_counts_each_application_once_by_its_latest_screening_in_range(
    screen, mixed_documents, base_document, ruleset
):
    rejected = mixed_documents["ineligible"][0]
    first = screen(rejected, at=DAY)
    fixed = dict(rejected, project=dict(rejected["project"], investment_kind="new_build"))
    second = screen(fixed, at=DAY + timedelta(days=2))
    after_round = screen(rejected, at=datetime(2026, 11, 2, 8, tzinfo=UTC))
    before_round = screen(base_document, at=datetime(2026, 9, 30, 23, 59, tzinfo=UTC))
    chosen = select_round([first, second, after_round, before_round], FROM, TO)
    assert chosen == [second]
    page = render([first, second, after_round, before_round], ruleset)
    assert '<strong id="total">1</strong>' in page
    assert "base-0001" not in page


def test_empty_round(ruleset):
    page = render([], ruleset)
    assert '<strong id="total">0</strong>' in page
    assert "Inga ansökningar granskades under perioden." in page
    assert "Ingen regel är underkänd i den här omgången." in page


def test_english_round(round_verdicts, ruleset):
    page = render(round_verdicts, ruleset, language="en")
    assert "Summary of pre-screenings" in page and "Rules failed most often" in page
    assert "Housing and residential environments" in page


@pytest.mark.parametrize(
    ("value", "language", "expected"),
    [
        (45_000_000, "sv", "45\u00a0000\u00a0000\u00a0kr"),
        (45_000_000, "en", "SEK\u00a045,000,000"),
        (0, "sv", "0\u00a0kr"),
    ],
)
def test_amounts(value, language, expected):
    assert format_amount(value, language) == expected


@pytest.mark.parametrize(
    ("value", "language", "expected"),
    [
        (70.0, "sv", "70"),
        (4.5, "sv", "4,5"),
        (4.5, "en", "4.5"),
        (12500.25, "sv", "12\u00a0500,25"),
        (None, "sv", "–"),
    ],
)
def test_numbers(value, language, expected):
    assert format_number(value, language) == expected
