"""The follow-up report (one loan over the years) and the portfolio report: what they show
first, a chart per effect goal with a break where the indicator's definition changes, each
year's rules with the failed ones first, the portfolio's counts, charts and indicator totals
with their attribution; Swedish by default, English on request; hostile text stays text."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from follow_up_support import (
    BASE,
    CLINIC,
    ENKOPING,
    HANINGE,
    MALMO,
    PRESCHOOL,
    follow,
    with_indicators,
    yearly_report,
)
from report_support import ESCAPED, HOSTILE, assert_inert, parsed

from screening.follow_up.portfolio import portfolio
from screening.report import (
    CONTENT_SECURITY_POLICY,
    render_follow_up_report,
    render_portfolio_report,
)
from screening.report import words as words_module
from screening.report.chart import GOAL_LEFT, GOAL_RIGHT, goal_chart
from screening.report.follow_up_views import (
    deciding_rules,
    goal_views,
    rules_failed_first,
    status_table,
    year_views,
)
from screening.report.words import ATTRIBUTION, NOT_ADDED, STATUS, TEXT


def page_of(loan, rules, **kw):
    return render_follow_up_report(loan, labels=rules.labels.values, **kw)


def portfolio_page(loans, rules, year=2029, indicators=None, **kw):
    result = portfolio(loans, indicators=indicators or rules.indicators, year=year)
    return render_portfolio_report(result, labels=rules.labels.values, **kw)


def element(page: str, element_id: str, end: str = "</section>") -> str:
    """The element with the id, from its opening tag up to the first ``end`` after it (its
    section's end unless told)."""
    start = page.rindex("<", 0, page.index(f'id="{element_id}"'))
    stop = page.find(end, start)
    return page[start : stop if stop != -1 else None]


# ---------------------------------------------------------------- the words


def test_every_word_table_has_the_same_keys_in_both_languages():
    tables = {
        name: table
        for name, table in vars(words_module).items()
        if name.isupper() and isinstance(table, dict) and set(table) == {"sv", "en"}
    }
    assert {"TEXT", "STATUS", "FOLLOW_UP_SEVERITY", "ATTRIBUTION", "NOT_ADDED", "CATEGORY"} <= set(
        tables
    )
    for name, table in tables.items():
        assert set(table["sv"]) == set(table["en"]), name
        assert all(table["sv"].values()) and all(table["en"].values()), name


# ---------------------------------------------------------------- the goal chart's geometry


def test_goal_chart_path_runs_from_baseline_to_target():
    chart = goal_chart(
        baseline_year=2026,
        baseline_value=70,
        target_year=2031,
        target_value=90,
        values=[(2027, 74, 1), (2028, 78, 1), (2029, 83, 1)],
    )
    assert chart is not None and chart.path is not None
    start, end = chart.path
    assert (start.x, end.x) == (GOAL_LEFT, GOAL_RIGHT)
    assert start.y > end.y  # a higher value is drawn higher
    assert chart.target == end and chart.baseline == start
    assert [t.value for t in chart.year_ticks] == list(range(2026, 2032))
    assert chart.value_ticks[0].value <= 70 and chart.value_ticks[-1].value >= 90
    assert [len(run.points) for run in chart.runs] == [3]
    assert chart.breaks == () and chart.path_after is None
    assert [kind for kind, _ in chart.legend] == ["path", "value", "target"]
    xs = [p.x for p in chart.points]
    assert xs == sorted(xs) and GOAL_LEFT < xs[0] < xs[-1] < GOAL_RIGHT


def test_goal_chart_breaks_where_the_version_changes_and_at_gaps():
    chart = goal_chart(
        baseline_year=2024,
        baseline_value=62,
        target_year=2031,
        target_value=40,
        values=[(2026, 60, 1), (2027, 58, 1), (2029, 55, 1), (2030, 47, 2), (2031, 45, 2)],
    )
    assert chart is not None
    # 2028 is missing: no line across the gap; 2030 is a new definition: never joined.
    assert [(run.version, [p.year for p in run.points]) for run in chart.runs] == [
        (1, [2026, 2027]),
        (1, [2029]),
        (2, [2030, 2031]),
    ]
    (cut,) = chart.breaks
    before, after = chart.points[2], chart.points[3]
    assert (cut.year, cut.before, cut.after) == (2030, 1, 2)
    assert before.x < cut.x < after.x
    assert [kind for kind, _ in chart.legend] == ["path", "value", "changed", "target", "break"]
    assert chart.versions == (1, 2)


def test_goal_chart_without_a_path_or_anything_to_draw():
    only_values = goal_chart(
        baseline_year=None,
        baseline_value=140,
        target_year=2031,
        target_value=280,
        values=[(2028, 150, 1), (2029, 171, 1)],
    )
    assert only_values is not None and only_values.path is None and only_values.baseline is None
    assert only_values.target is not None and only_values.target.year == 2031
    single = goal_chart(
        baseline_year=None,
        baseline_value=None,
        target_year=None,
        target_value=None,
        values=[(2029, 5, 1)],
    )
    assert single is not None and [t.value for t in single.year_ticks] == [2028, 2029, 2030]
    assert single.value_ticks[0].value < 5 < single.value_ticks[-1].value
    assert (
        goal_chart(
            baseline_year=2026,
            baseline_value=None,
            target_year=None,
            target_value=None,
            values=[],
        )
        is None
    )


def test_goal_chart_holds_the_target_after_its_year():
    chart = goal_chart(
        baseline_year=2026,
        baseline_value=3,
        target_year=2029,
        target_value=14,
        values=[(2030, 15, 1)],
    )
    assert chart is not None and chart.path_after is not None
    held_from, held_to = chart.path_after
    assert (held_from.year, held_to.year) == (2029, 2030)
    assert held_from.y == held_to.y == chart.target.y


# ---------------------------------------------------------------- what the loan page is built from


def test_goal_views_follow_each_goal_over_the_years(loans_by_id):
    views = goal_views(loans_by_id[MALMO])
    assert [v.number for v in views] == [1, 2]
    first = views[0]
    assert first.changed and [d.version for d in first.definitions] == [1, 2]
    assert first.approved.indicator == "Andel kvinnor som undviker att gå ute ensamma kvällstid"
    assert first.definitions[1].first_year == 2029
    assert [(y.reporting_year, y.version, y.new_definition) for y in first.years] == [
        (2027, 1, False),
        (2028, 1, False),
        (2029, 2, True),
    ]
    assert len(first.chart.breaks) == 1 and first.chart.breaks[0].year == 2029
    assert not views[1].changed and views[1].chart.breaks == ()


def test_rules_failed_first_then_in_ruleset_order(loans_by_id):
    verdict = loans_by_id[PRESCHOOL].verdict(2029)
    ordered = rules_failed_first(verdict.rules)
    failed = [r for r in ordered if r.result.value == "failed"]
    assert ordered[: len(failed)] == failed and failed
    assert failed[0].severity.value == "reject"  # off track before needs attention
    rest = [r.rule_id for r in ordered[len(failed) :]]
    assert rest == [r.rule_id for r in verdict.rules if r.result.value != "failed"]
    assert deciding_rules(verdict)[0].rule_id == "goals.reported"
    assert [y.verdict.reporting_year for y in year_views(loans_by_id[PRESCHOOL])] == [
        2029,
        2028,
        2027,
    ]


# ---------------------------------------------------------------- the loan page


def test_the_latest_outcome_comes_first(loans_by_id, follow_up_rules):
    page = page_of(loans_by_id[PRESCHOOL], follow_up_rules)
    h1 = page[page.index("<h1") : page.index("</h1>")]
    assert 'data-outcome="off_track"' in h1 and 'data-year="2029"' in h1
    assert STATUS["sv"]["off_track"] in h1
    assert '<html lang="sv">' in page
    assert page.index('id="outcome"') < page.index('id="deciding"') < page.index('id="goals"')
    assert page.index('id="goals"') < page.index('id="years"')
    deciding = element(page, "deciding")
    assert 'data-rule-id="goals.reported"' in deciding
    assert "Följer inte planen" in page[: page.index("</title>")]


def test_a_chart_per_goal(follow_up_loans, follow_up_rules):
    for loan in follow_up_loans:
        page = page_of(loan, follow_up_rules)
        goals = {g.number for v in loan.verdicts for g in v.goals}
        figures = re.findall(r'<figure class="goal-chart" id="goal-(\d+)-chart"', page)
        assert sorted(int(n) for n in figures) == sorted(goals), loan.application_id
        assert page.count("<svg") == len(goals)
        for number in goals:
            values = [
                g.value
                for v in loan.verdicts
                for g in v.goals
                if g.number == number and g.value is not None
            ]
            chart = element(page, f"goal-{number}-chart", "</figure>")
            assert chart.count('class="point"') == len(values)


def test_the_break_is_drawn_where_the_definition_changes(loans_by_id, follow_up_rules):
    page = page_of(loans_by_id[MALMO], follow_up_rules)
    chart = element(page, "goal-1-chart", "</figure>")
    assert 'data-breaks="1"' in chart
    assert re.search(
        r'<g class="version-break" data-year="2029" data-before="1" data-after="2">', chart
    )
    # The 2029 value is a square of its own; no line joins it to the earlier values.
    assert re.search(
        r'<rect class="point" data-year="2029" data-value="47.0" data-version="2"', chart
    )
    lines = re.findall(r'<polyline class="run" data-version="(\d)" points="([^"]+)"', chart)
    assert [version for version, _ in lines] == ["1"]
    assert len(lines[0][1].split()) == 2  # 2027 and 2028 only
    assert 'class="definition-change"' in element(page, "goal-1")
    assert "Andel kvinnor som känner sig trygga att gå ute ensamma kvällstid" in chart
    # The table marks the year of the new definition; goal 2 is unbroken.
    assert re.search(r'<tr data-year="2029" data-version="2" class="new-definition">', page)
    goal_2 = element(page, "goal-2-chart", "</figure>")
    assert 'data-breaks="0"' in goal_2 and "version-break" not in goal_2


def test_each_year_lists_its_rules_failed_first(loans_by_id, follow_up_rules):
    loan = loans_by_id[ENKOPING]
    page = page_of(loan, follow_up_rules)
    tables = re.findall(r'<table class="rules year" id="year-(\d{4})"', page)
    assert tables == ["2029", "2028", "2027"]
    latest = element(page, "year-2029", "</table>")
    results = re.findall(r'data-rule-id="([^"]+)" data-result="(\w+)"', latest)
    assert results[0] == ("goals.on_path", "failed")
    assert len(results) == len(loan.verdict(2029).rules)
    failed = next(r for r in loan.verdict(2029).rules if r.rule_id == "goals.on_path")
    assert failed.reason.sv in latest


def test_a_missing_report_is_said_in_words(loans_by_id, follow_up_rules):
    page = page_of(loans_by_id[HANINGE], follow_up_rules)
    assert "Ingen rapport för 2029 har kommit in." in page
    assert 'data-outcome="needs_attention"' in page[: page.index("</h1>")]
    caption = element(page, "year-2029", "</table>")
    assert "Ingen rapport för 2029 har kommit in." in caption[: caption.index("</caption>")]


def test_english_on_request(loans_by_id, follow_up_rules):
    page = page_of(loans_by_id[MALMO], follow_up_rules, language="en", language_href="sv.html")
    assert '<html lang="en">' in page
    assert STATUS["en"]["needs_attention"] in page[: page.index("</h1>")]
    assert TEXT["en"]["goal_progress"] in page and TEXT["en"]["legend_break"] in page
    assert '<a href="sv.html" hreflang="sv">På svenska</a>' in page
    assert "Safety, security and accessibility" in page


def test_a_loan_without_verdicts(loans_by_id, follow_up_rules):
    page = page_of(replace(loans_by_id[BASE], verdicts=()), follow_up_rules)
    assert 'data-outcome="no_report"' in page
    assert TEXT["sv"]["status_explained_none"] in page
    assert TEXT["sv"]["goals_none"] in page


def test_category_names_from_the_screening_labels_too(loans_by_id, follow_up_rules, ruleset):
    with_labels = render_follow_up_report(loans_by_id[BASE], labels=ruleset.labels.values)
    without = page_of(loans_by_id[BASE], follow_up_rules)
    assert "Boende och boendemiljöer" in with_labels and "Boende och boendemiljöer" in without


# ---------------------------------------------------------------- the portfolio page


def test_portfolio_counts_and_charts(follow_up_loans, follow_up_rules):
    page = portfolio_page(follow_up_loans, follow_up_rules)
    assert '<html lang="sv">' in page and "Rapportår 2029" in page
    tiles = dict(re.findall(r'data-status="(\w+)"><span class="n">(\d+)</span>', page))
    assert tiles == {"on_track": "3", "needs_attention": "2", "off_track": "1", "no_report": "1"}
    chart = element(page, "chart-category", "</figure>")
    bars = re.findall(r'<g class="bar" data-category="(\w+)" data-total="(\d+)">', chart)
    assert bars == [
        ("housing", "3"),
        ("safety_accessibility", "1"),
        ("health_education_sport_culture", "3"),
    ]
    segments = re.findall(r'data-status="(\w+)" data-count="(\d+)"', chart)
    assert sum(int(count) for _, count in segments) == 7
    rounds = element(page, "chart-round", "</figure>")
    assert re.findall(r'data-round="([^"]+)" data-total', rounds) == [
        "2026-R1",
        "2026-R2",
        "2026-R3",
        "-",
    ]
    assert "ingen omgång angiven" in rounds
    row = re.search(r'<tr data-category="housing" data-loans="3">.*?</tr>', page, re.S).group(0)
    assert 'data-people-reached="3880"' in row and 'data-goals-reported="8"' in row
    # The legend names every status, the loans without a report too.
    legend = chart[chart.index('<g class="legend"') :]
    assert all(STATUS["sv"][value] in legend for value in STATUS["sv"])


def test_portfolio_totals_say_their_attribution(follow_up_loans, follow_up_rules):
    page = portfolio_page(follow_up_loans, follow_up_rules)
    totals = element(page, "totals")
    assert 'data-attribution="whole"' in totals
    assert ATTRIBUTION["sv"]["whole"] in totals
    row = re.search(r'<tr class="total" data-indicator-id="activity_participants"[^>]*>', totals)
    assert row and 'data-value="440.0"' in row.group(0) and 'data-loans="2"' in row.group(0)
    assert "Impact Reporting" in totals  # the grounds for the attribution
    assert NOT_ADDED["sv"]["own_indicator"] in totals
    assert NOT_ADDED["sv"]["not_additive"] in totals
    shared = portfolio_page(
        follow_up_loans,
        follow_up_rules,
        indicators={**follow_up_rules.indicators, "attribution": "financed_share"},
    )
    totals = element(shared, "totals")
    assert 'data-attribution="financed_share"' in totals
    assert ATTRIBUTION["sv"]["financed_share"] in totals
    loans = {loan.application_id: loan for loan in follow_up_loans}
    share = round(330 * loans[ENKOPING].financed_share, 4) + round(
        110 * loans[CLINIC].financed_share, 4
    )
    value = re.search(
        r'data-indicator-id="activity_participants"[^>]*data-value="([\d.]+)"', totals
    )
    assert float(value.group(1)) == pytest.approx(share)


def test_portfolio_loans_link_only_when_told(follow_up_loans, follow_up_rules):
    linked = portfolio_page(follow_up_loans, follow_up_rules, loan_href=lambda i: f"loan/{i}.html")
    loans = element(linked, "loans-section")
    assert re.findall(r'data-application-id="([^"]+)" data-status="(\w+)"', loans)[0] == (
        PRESCHOOL,
        "off_track",
    )
    assert f'href="loan/{CLINIC}.html"' in loans
    plain = element(portfolio_page(follow_up_loans, follow_up_rules), "loans-section")
    assert "<a " not in plain


def test_portfolio_of_the_latest_reports_and_in_english(follow_up_loans, follow_up_rules):
    page = portfolio_page(follow_up_loans, follow_up_rules, year=None, language="en")
    assert '<html lang="en">' in page and "Each loan&#39;s latest report" in page
    assert ATTRIBUTION["en"]["whole"].replace("'", "&#39;") in page
    assert "By decision round" in page


def test_an_empty_portfolio_page(follow_up_rules):
    page = render_portfolio_report(
        portfolio([], indicators=follow_up_rules.indicators), labels=follow_up_rules.labels.values
    )
    assert TEXT["sv"]["loans_none"] in page and TEXT["sv"]["indicator_totals_none"] in page


def test_status_table_for_the_chart(follow_up_loans, follow_up_rules):
    result = portfolio(follow_up_loans, indicators=follow_up_rules.indicators, year=2029)
    table = status_table(result.by_round)
    assert list(table) == ["2026-R1", "2026-R2", "2026-R3", "-"]
    assert table["-"] == {"on_track": 0, "needs_attention": 0, "off_track": 0, "no_report": 1}


# ---------------------------------------------------------------- escaping and the page's policy


@pytest.fixture
def hostile_loan(follow_up_checker, base_document):
    document = with_indicators(base_document, "hostile-0001", goal_1={"goal": f"Mål {HOSTILE}"})
    document["project"]["title"] = f"Titel {HOSTILE}"
    document["applicant"]["organisation_name"] = f"Bolag {HOSTILE}"
    changed = {"indicator": f"Indikator {HOSTILE}", "unit": f"enhet {HOSTILE}", "value": 80}
    loan = follow(
        follow_up_checker,
        document,
        {
            2028: yearly_report(document, 2028, {1: 78, 2: 53}),
            2029: yearly_report(document, 2029, {1: changed, 2: 58}),
        },
        round=f"R {HOSTILE}",
    )
    return loan


def test_hostile_text_is_escaped_on_both_pages(hostile_loan, follow_up_rules):
    pages = [
        page_of(hostile_loan, follow_up_rules),
        portfolio_page([hostile_loan], follow_up_rules, loan_href=lambda i: f"{i}.html"),
    ]
    for page in pages:
        assert_inert(page)
        assert ESCAPED in page
        assert "Åsa Öberg ÄÖÅ 😀" in page
        assert (
            f'<meta http-equiv="Content-Security-Policy" content="{CONTENT_SECURITY_POLICY}">'
            in (page.replace("&#39;", "'"))
        )
    loan_page = pages[0]
    text = "".join(parsed(loan_page).text)
    assert f"Indikator {HOSTILE}" in text and f"Titel {HOSTILE}" in text
    assert f"R {HOSTILE}" in text
