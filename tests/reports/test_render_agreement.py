"""The agreement report: how far the pre-screening agrees with the committee's decisions.

Built from real verdicts of the real rules and decisions recorded as the service records them,
through ``screening.agreement.agreement``: the period and the rate first, then the false
rejects, the chart and table of outcome × decision, the rules by override rate with their
flags in words, and every decided application.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from report_support import ESCAPED, HOSTILE, assert_inert, decide, parsed

from screening.agreement import Band, agreement
from screening.models.decision import DecisionKind
from screening.models.verdict import Outcome
from screening.report import render_agreement_report
from screening.report.format import format_percent
from screening.report.views import (
    DECISION_ORDER,
    MATRIX_OUTCOMES,
    Accord,
    accord,
    decision_totals,
    matrix_rows,
    rules_by_override,
)
from screening.report.words import (
    ACCORD,
    ASSESSMENT,
    DECISION,
    FLAG,
    OUTCOME,
    RESULT,
    SEVERITY,
    TEXT,
)

NBSP = "\u00a0"


def render(result, ruleset, **kw):
    return render_agreement_report(result, labels=ruleset.labels.values, **kw)


def section(page: str, heading_id: str) -> str:
    start = page.index(f'id="{heading_id}"')
    return page[start : page.index("</section>", start)]


# ---------------------------------------------------------------- what the page is built from


@pytest.mark.parametrize(
    ("outcome", "decision", "expected"),
    [
        (Outcome.eligible, DecisionKind.granted, Accord.agree),
        (Outcome.eligible, DecisionKind.declined, Accord.disagree),
        (Outcome.eligible, DecisionKind.returned, Accord.disagree),
        (Outcome.ineligible, DecisionKind.declined, Accord.agree),
        (Outcome.ineligible, DecisionKind.returned, Accord.agree),
        (Outcome.ineligible, DecisionKind.granted, Accord.false_reject),
        (Outcome.needs_review, DecisionKind.granted, Accord.not_comparable),
        (Outcome.needs_review, DecisionKind.declined, Accord.not_comparable),
        ("needs_review", "returned", Accord.not_comparable),  # the impact report's string keys
    ],
)
def test_accord_counts_as_the_agreement_does(outcome, decision, expected):
    assert accord(outcome, decision) is expected


def test_accord_matches_the_agreement_counts(committee_pairs, committee_agreement):
    kinds = [accord(v.outcome, d.decision) for v, d in committee_pairs]
    assert kinds.count(Accord.agree) == committee_agreement.agreeing == 4
    assert sum(k is not Accord.not_comparable for k in kinds) == committee_agreement.comparable
    assert kinds.count(Accord.false_reject) == len(committee_agreement.false_rejects) == 1


def test_matrix_rows_in_a_fixed_order_with_every_cell(committee_agreement):
    rows = matrix_rows(committee_agreement.matrix)
    assert [row.outcome for row in rows] == list(MATRIX_OUTCOMES)
    assert all([cell.decision for cell in row.cells] == list(DECISION_ORDER) for row in rows)
    for row in rows:
        for cell in row.cells:
            assert cell.count == committee_agreement.matrix[row.outcome][cell.decision]
    assert sum(row.total for row in rows) == committee_agreement.decided == 7
    assert decision_totals(rows) == {
        DecisionKind.granted: 3,
        DecisionKind.returned: 1,
        DecisionKind.declined: 3,
    }
    empty = matrix_rows({})
    assert all(cell.count == 0 for row in empty for cell in row.cells)


def test_rules_worth_a_row_and_the_rest_counted(committee_agreement):
    shown, quiet = rules_by_override(committee_agreement)
    assert [r.rule_id for r in shown] == [
        "borrower.membership",  # 1 of 1 granted anyway
        "investment.physical",  # 1 of 2
        "investment.loan_within_cost",  # 0 of 2
    ]
    assert quiet == len(committee_agreement.rules) - 3 > 10


# ---------------------------------------------------------------- the page, top to bottom


def test_header_names_the_period_round_and_agreement_rate(committee_agreement, ruleset):
    page = render(committee_agreement, ruleset)
    assert '<html lang="sv">' in page
    assert "<title>Förhandsgranskningen och kommitténs beslut – 2026-11-01 – 2026-11-30" in page
    header = page[page.index("<header>") : page.index("</header>")]
    assert "Beslut fattade: <strong>2026-11-01 – 2026-11-30 · Omgång 2026-R3</strong>" in header
    assert '<strong id="decided-count">7</strong>' in header
    rate = re.search(r'<li class="tile-rate" id="agreement-rate"[^>]*>(.*?)</li>', header)
    assert rate and f"67{NBSP}%" in rate.group(1)
    assert "4 av 6 jämförbara beslut" in rate.group(1)
    assert 'id="false-reject-count" data-count="1"' in header
    assert "tile-false-rejects alarm" in header


def test_false_rejects_come_first_with_their_deciding_rules(committee_agreement, ruleset):
    page = render(committee_agreement, ruleset)
    body = page[page.index("<main>") :]
    order = [
        body.index(f'id="{anchor}"')
        for anchor in (
            "false-rejects",
            "chart",
            "matrix",
            "rules-by-override",
            "decided-applications",
        )
    ]
    assert order == sorted(order)
    first = section(page, "false-rejects-heading")
    assert re.findall(r'<li class="false-reject" data-application-id="([^"]+)"', first) == [
        "drift-0005"
    ]
    deciding = first[
        first.index('class="deciding-rules"') : first.index(
            'class="muted-label"', first.index('class="deciding-rules"')
        )
    ]
    assert 'data-rule-id="investment.physical"' in deciding
    assert "Lånet finansierar en fysisk investering" in deciding
    assert "Beviljad" in first and "Uppfyller inte kraven" in first and "2026-11-27" in first
    # The decided applications start with it too, although it was decided last.
    rows = re.findall(r'<tr class="decided row-(\w+)" data-application-id="([^"]+)"', page)
    assert rows[0] == ("false_reject", "drift-0005")
    assert len(rows) == 7


def test_no_false_reject_says_so(committee_pairs, ruleset):
    without = [(v, d) for v, d in committee_pairs if v.application_id != "drift-0005"]
    page = render(agreement(without), ruleset)
    assert "Ingen ansökan som förhandsgranskningen underkände har beviljats." in page
    assert 'class="false-reject"' not in page
    assert '<li class="tile-false-rejects" id="false-reject-count" data-count="0">' in page


def test_chart_draws_decisions_per_outcome_and_outlines_the_false_rejects(
    committee_agreement, ruleset
):
    page = render(committee_agreement, ruleset)
    svg = page[page.index("<svg") : page.index("</svg>")]
    assert (
        '<title id="chart-title">Kommitténs beslut per utfall i förhandsgranskningen</title>' in svg
    )
    bars = dict(re.findall(r'<g class="bar" data-outcome="(\w+)" data-total="(\d+)">', svg))
    assert bars == {"eligible": "2", "needs_review": "1", "ineligible": "4"}
    segments = re.findall(
        r'<rect class="segment( highlight)?" data-decision="(\w+)" data-count="(\d+)"', svg
    )
    assert sum(int(n) for _, _, n in segments) == committee_agreement.decided
    assert [(d, n) for h, d, n in segments if h] == [("granted", "1")]
    assert "✓ Beviljad" in svg and "↩ Återremitterad" in svg and "✗ Avslagen" in svg
    assert 'href="http' not in page and "src=" not in page


def test_matrix_table_marks_each_cell(committee_agreement, ruleset):
    page = render(committee_agreement, ruleset)
    table = page[
        page.index('<table class="matrix" id="matrix">') : page.index(
            "</table>", page.index('id="matrix"')
        )
    ]
    cells = re.findall(r'<tr data-outcome="(\w+)">.*?</tr>', table, re.S)
    assert cells == ["eligible", "needs_review", "ineligible"]
    found = {
        (o, d): (int(n), a)
        for o, row in re.findall(r'<tr data-outcome="(\w+)">(.*?)</tr>', table, re.S)
        for d, n, a in re.findall(
            r'data-decision="(\w+)" data-count="(\d+)" data-accord="(\w+)"', row
        )
    }
    assert found[("ineligible", "granted")] == (1, "false_reject")
    assert found[("eligible", "granted")] == (1, "agree")
    assert found[("eligible", "declined")] == (1, "disagree")
    assert found[("ineligible", "declined")] == (2, "agree")
    assert found[("ineligible", "returned")] == (1, "agree")
    assert found[("needs_review", "granted")] == (1, "not_comparable")
    assert "Markeringar: " in page


def test_rules_by_override_rate_with_the_flags_in_words(committee_agreement, ruleset):
    page = render(committee_agreement, ruleset)
    rules = section(page, "override-heading")
    rows = re.findall(r'<tr data-rule-id="([^"]+)" data-flag="(\w*)"', rules)
    assert rows == [
        ("borrower.membership", ""),  # failed once: too few to flag
        ("investment.physical", "often_overridden"),
        ("investment.loan_within_cost", "rarely_overridden"),
    ]
    physical = rules[rules.index('data-rule-id="investment.physical"') :]
    physical = physical[: physical.index("</tr>")]
    assert "Ofta överprövad: regeln kan vara fel" in physical
    assert f"50{NBSP}%" in physical and "drift-0005" in physical
    loan = rules[rules.index('data-rule-id="investment.loan_within_cost"') :]
    loan = loan[: loan.index("</tr>")]
    assert "Sällan överprövad över många beslut: följer kommittén maskinen?" in loan
    assert f"0{NBSP}%" in loan
    assert (
        "En regel flaggas när den har underkänt minst 2 beslutade ansökningar och andelen som "
        f"ändå beviljades är över 30{NBSP}% eller under 2{NBSP}%."
    ) in rules
    _, quiet = rules_by_override(committee_agreement)
    assert f"Övriga {quiet} regler underkände ingen av de beslutade ansökningarna." in rules


def test_decided_applications_say_whether_they_agree(committee_pairs, committee_agreement, ruleset):
    page = render(committee_agreement, ruleset)
    rows = re.findall(
        r'<tr class="decided row-\w+" data-application-id="([^"]+)" data-outcome="(\w+)" '
        r'data-decision="(\w+)" data-accord="(\w+)">',
        page,
    )
    expected = {
        v.application_id: (v.outcome.value, d.decision.value, accord(v.outcome, d.decision).value)
        for v, d in committee_pairs
    }
    assert {app: rest for app, *rest in rows} == {k: list(v) for k, v in expected.items()}
    # After the false reject: by decision date, then id.
    assert [app for app, *_ in rows][1:] == sorted(app for app in expected if app != "drift-0005")
    member = page[page.index('data-application-id="member-0002" data-outcome') :]
    member = member[: member.index("</tr>")]
    assert 'data-rule-id="borrower.membership"' in member  # deciding, and not followed
    assert member.count('data-rule-id="borrower.membership"') == 2


def test_empty_agreement(ruleset):
    page = render(agreement([]), ruleset)
    assert "Beslut fattade: <strong>alla beslut</strong>" in page
    assert "Inga jämförbara beslut ännu." in page
    assert "Inga beslut under perioden." in page
    assert "Ingen regel underkände någon av de beslutade ansökningarna." in page
    assert '<span class="n">–</span>' in page


def test_open_period_and_no_round(committee_pairs, ruleset):
    page = render(agreement(committee_pairs, date_from=date(2026, 11, 1)), ruleset)
    assert "Beslut fattade: <strong>2026-11-01 – …</strong>" in page
    assert "Omgång 2026-R3" not in page[: page.index("</header>")]


def test_applications_link_to_their_reports_when_asked(committee_agreement, ruleset):
    plain = render(committee_agreement, ruleset)
    assert "<a " not in plain[plain.index("<main>") :].replace('<a href="https://', "")
    linked = render(committee_agreement, ruleset, report_href=lambda app: f"/s/{app}/report")
    assert '<a class="nowrap" href="/s/drift-0005/report">drift-0005</a>' in linked


def test_english_on_request(committee_agreement, ruleset):
    page = render(committee_agreement, ruleset, language="en", language_href="?lang=sv")
    assert '<html lang="en">' in page
    assert "The pre-screening and the committee&#39;s decisions" in page
    assert "Failed, yet granted" in page
    assert "Often overridden: the rule may be wrong" in page
    assert "Rarely overridden over many decisions: does the committee follow the machine?" in page
    assert "4 of 6 comparable decisions" in page and "67%" in page
    assert "The loan finances a physical investment" in page
    assert '<a href="?lang=sv" hreflang="sv">På svenska</a>' in page


def test_unknown_language_is_refused(committee_agreement, ruleset):
    with pytest.raises(ValueError, match="language"):
        render(committee_agreement, ruleset, language="de")


def test_every_word_table_has_the_same_keys_in_both_languages():
    for table in (TEXT, OUTCOME, RESULT, SEVERITY, DECISION, ASSESSMENT, ACCORD, FLAG):
        assert set(table["sv"]) == set(table["en"])
    assert set(DECISION["sv"]) == {kind.value for kind in DecisionKind}
    assert set(FLAG["sv"]) == {"often_overridden", "rarely_overridden"}


@pytest.mark.parametrize(
    ("value", "language", "expected"),
    [
        (2 / 3, "sv", f"67{NBSP}%"),
        (2 / 3, "en", "67%"),
        (0.0, "sv", f"0{NBSP}%"),
        (0.001, "sv", f"<1{NBSP}%"),
        (0.999, "en", ">99%"),
        (1.0, "en", "100%"),
        (None, "sv", "–"),
    ],
)
def test_percent(value, language, expected):
    assert format_percent(value, language) == expected


# ---------------------------------------------------------------- untrusted text


def test_hostile_names_are_shown_as_text(screen, hostile_document, ruleset):
    verdict = screen(hostile_document)
    evil_id = 'x" onmouseover="alert(1)" data-x=\'<script>alert(1)</script>'
    pairs = [
        (verdict, decide(verdict.application_id, "granted")),
        (
            verdict.model_copy(update={"application_id": evil_id}),
            decide(evil_id, "declined"),
        ),
    ]
    page = render(
        agreement(pairs, round="2026-R3"), ruleset, report_href=lambda app: f"/s/{app}/report"
    )
    assert_inert(page)
    text = "".join(parsed(page).text)
    assert f"Bolag {HOSTILE}" in text and f"Titel {HOSTILE}" in text
    assert ESCAPED in page and "Åsa Öberg ÄÖÅ 😀" in page
    ids = [v for n, v in parsed(page).attributes if n == "data-application-id"]
    assert evil_id in ids  # the whole id stayed inside its attribute
    assert f"/s/{evil_id}/report" in [v for n, v in parsed(page).attributes if n == "href"]


def test_band_is_the_agreements_own(committee_pairs, ruleset):
    strict = agreement(committee_pairs, band=Band(low=0.1, high=0.9, min_failed=1))
    page = render(strict, ruleset)
    assert f"över 90{NBSP}% eller under 10{NBSP}%" in page
    assert "minst 1 beslutade" in page
    flags = dict(re.findall(r'<tr data-rule-id="([^"]+)" data-flag="(\w*)"', page))
    assert flags["borrower.membership"] == "often_overridden"  # 100 % > 90 %
    assert flags["investment.physical"] == ""  # 50 %: inside the band
