"""The impact report: what a rule change does to stored applications, as a page.

Every report here comes from ``workbench.impact.impact`` itself: real applications screened
under the real rules and under a candidate compiled with parameters set (as
``screening impact --set`` does), with decisions recorded as the service records them.
"""

from __future__ import annotations

import re

import pytest
from jinja2 import ChoiceLoader, StrictUndefined, UndefinedError
from report_support import ESCAPED, HOSTILE, LONGER, LOOSER, assert_inert, parsed
from workbench.impact_report import (
    agreement_shift,
    changed_groups,
    direction,
    environment,
    outcome_counts,
    render_impact_report,
    tally,
    transitions,
)

from screening.models.verdict import Outcome
from screening.report.render import environment as report_environment

NBSP = "\u00a0"


def render(report, ruleset, **kw):
    return render_impact_report(report, labels=ruleset.labels.values, **kw)


def titles(ruleset):
    return {rule.id: rule.title for rule in ruleset.rules}


def section(page: str, heading_id: str) -> str:
    start = page.index(f'id="{heading_id}"')
    return page[start : page.index("</section>", start)]


# ---------------------------------------------------------------- what the page is built from


def test_transitions_come_from_the_matrix_and_match_the_reports_own(committee_impact):
    found = transitions(committee_impact)
    assert {t.key: t.count for t in found} == committee_impact.transitions
    assert [(t.base, t.candidate, t.count) for t in found] == [
        (Outcome.eligible, Outcome.needs_review, 2),
        (Outcome.ineligible, Outcome.needs_review, 2),
    ]
    counts = outcome_counts(committee_impact)
    assert counts["base"] == {
        Outcome.eligible: 2,
        Outcome.needs_review: 1,
        Outcome.ineligible: 4,
    }
    assert counts["candidate"] == {
        Outcome.eligible: 0,
        Outcome.needs_review: 5,
        Outcome.ineligible: 2,
    }


def test_changed_applications_grouped_with_where_they_stand_against_the_committee(
    committee_impact,
):
    groups = changed_groups(committee_impact)
    assert [(t.key, [r.change.application_id for r in rows]) for t, rows in groups] == [
        ("eligible → needs_review", ["base-0001", "park-0004"]),
        ("ineligible → needs_review", ["drift-0003", "drift-0005"]),
    ]
    stands = {
        r.change.application_id: (r.before.value, r.after.value) for _, rows in groups for r in rows
    }
    assert stands == {
        "base-0001": ("agree", "not_comparable"),
        "park-0004": ("disagree", "not_comparable"),
        "drift-0003": ("agree", "not_comparable"),
        "drift-0005": ("false_reject", "not_comparable"),
    }
    assert sum(len(rows) for _, rows in groups) == len(committee_impact.changed)


def test_direction_keys():
    assert direction("passed → failed") == ("passed", "failed")
    assert direction("absent → not_applicable") == ("absent", "not_applicable")
    assert direction("odd") == ("odd", "")


def test_a_change_that_only_leaves_more_to_the_committee_is_mixed(committee_impact):
    base, candidate = (tally(committee_impact.agreement[s]) for s in ("base", "candidate"))
    assert (base.agreeing, base.disagreeing, base.false_rejects, base.not_comparable) == (
        4,
        2,
        1,
        1,
    )
    assert (candidate.agreeing, candidate.disagreeing, candidate.not_comparable) == (2, 0, 5)
    # The rate rises (67 % → 100 %) only because disagreements became "needs review".
    assert committee_impact.agreement["candidate"].rate > committee_impact.agreement["base"].rate
    assert agreement_shift(committee_impact) == "mixed"


@pytest.fixture
def without_drift_decision(committee_documents):
    return [
        (document, None if document["application_id"] == "drift-0003" else decision)
        for document, decision in committee_documents
    ]


def test_closer_further_same_and_unknown(
    impact_of, candidate_rules, ruleset, without_drift_decision, committee_documents
):
    looser = candidate_rules(LOOSER)
    # Operating costs pass: the false reject drift-0005 becomes eligible and agrees.
    closer = impact_of(without_drift_decision, looser)
    assert agreement_shift(closer) == "closer"
    assert closer.agreement["candidate"].false_rejects == []
    # The same change undone.
    further = impact_of(without_drift_decision, ruleset, base=looser)
    assert agreement_shift(further) == "further"
    # No change at all.
    same = impact_of(committee_documents, ruleset)
    assert agreement_shift(same) == "same" and same.changed == []
    # Nothing decided.
    undecided = [(document, None) for document, _ in committee_documents]
    assert agreement_shift(impact_of(undecided, looser)) == "unknown"


# ---------------------------------------------------------------- the page, top to bottom


def test_header_names_both_rulesets_and_what_changes(committee_impact, ruleset):
    report = committee_impact
    page = render(report, ruleset)
    assert '<html lang="sv">' in page
    assert (
        f"<title>Vad regeländringen gör med granskade ansökningar – {report.base.version} → "
        f"{report.candidate.version}</title>"
    ) in page
    header = page[page.index("<header>") : page.index("</header>")]
    base = header[
        header.index('id="side-base"') : header.index("</dd>", header.index('id="side-base"'))
    ]
    assert report.base.version in base and report.base.content_hash in base and "(release)" in base
    candidate = header[header.index('id="side-candidate"') :]
    assert report.candidate.version in candidate and "(working tree with --set)" in candidate
    assert "Nuvarande regler" in header and "Förslaget" in header
    params = re.findall(r"<li><code>(.*?)</code></li>", header)
    assert params == [
        "investment.physical.non_investment_kinds=[&#39;purchase&#39;]",
        "grundkrav_4.long_term.min_time_horizon_years=20",
    ]
    assert 'id="rescreened" data-count="7"' in header
    assert 'id="changed-count" data-count="4"' in header
    assert f"67{NBSP}% → 100{NBSP}%" in header
    assert 'class="shift shift-mixed" id="shift"' in header
    assert "Förslaget ändrar överensstämmelsen åt båda hållen" in header


def test_sections_in_order(committee_impact, ruleset):
    page = render(committee_impact, ruleset)
    body = page[page.index("<main>") :]
    order = [
        body.index(f'id="{anchor}"')
        for anchor in ("transitions", "chart", "outcomes", "changed", "rule-changes", "agreement")
    ]
    assert order == sorted(order)


def test_transitions_with_counts(committee_impact, ruleset):
    page = render(committee_impact, ruleset)
    found = re.findall(
        r'data-transition="([^"]+)" data-count="(\d+)"', section(page, "transitions-heading")
    )
    assert dict(found) == {k: str(v) for k, v in committee_impact.transitions.items()}


def test_chart_compares_the_outcomes_of_both_rulesets(committee_impact, ruleset):
    page = render(committee_impact, ruleset)
    svg = page[page.index("<svg") : page.index("</svg>")]
    assert '<title id="chart-title">Utfall med nuvarande regler och med förslaget</title>' in svg
    bars = re.findall(r'<g class="bar" data-side="(\w+)" data-total="(\d+)">', svg)
    assert bars == [("base", "7"), ("candidate", "7")]
    per_bar = re.split(r'<g class="bar"', svg)[1:]
    for chunk in per_bar:
        counts = re.findall(r'data-outcome="(\w+)" data-count="(\d+)"', chunk)
        assert sum(int(n) for _, n in counts) == 7
    assert f"Förslaget ({committee_impact.candidate.version})" in svg
    assert 'href="http' not in page and "src=" not in page


def test_outcome_matrix(committee_impact, ruleset):
    page = render(committee_impact, ruleset)
    table = page[page.index('id="outcomes"') : page.index("</table>", page.index('id="outcomes"'))]
    found = {
        (base, candidate): int(n)
        for base, row in re.findall(r'<tr data-outcome="(\w+)">(.*?)</tr>', table, re.S)
        for candidate, n in re.findall(r'data-candidate="(\w+)" data-count="(\d+)"', row)
    }
    for base, row in committee_impact.outcomes.items():
        for candidate, n in row.items():
            assert found[(base, candidate)] == n


def test_every_changed_application_with_its_responsible_rules(committee_impact, ruleset):
    page = render(committee_impact, ruleset, rule_titles=titles(ruleset))
    changed = section(page, "changed-heading")
    rows = re.findall(
        r'<tr class="changed" data-application-id="([^"]+)" data-base="(\w+)" '
        r'data-candidate="(\w+)">(.*?)</tr>',
        changed,
        re.S,
    )
    assert {app for app, *_ in rows} == {c.application_id for c in committee_impact.changed}
    by_id = {c.application_id: c for c in committee_impact.changed}
    for app, base, candidate, cells in rows:
        change = by_id[app]
        assert (base, candidate) == (change.base.value, change.candidate.value)
        assert re.findall(r'<li data-rule-id="([^"]+)">', cells) == change.responsible_rules
    drift = next(cells for app, *_, cells in rows if app == "drift-0005")
    assert (
        "Initiativet är långsiktigt" in drift and "Lånet finansierar en fysisk investering" in drift
    )
    assert "✓</span> Beviljad" in drift
    assert "underkänd men beviljad</span> → " in drift and "jämförs inte" in drift
    groups = re.findall(r'<tbody data-transition="([^"]+)">', changed)
    assert groups == ["eligible → needs_review", "ineligible → needs_review"]


def test_rule_titles_are_optional(committee_impact, ruleset):
    page = render(committee_impact, ruleset)
    changed = section(page, "changed-heading")
    assert "Initiativet är långsiktigt" not in changed
    assert '<span class="rule-id">grundkrav_4.long_term</span>' in changed


def test_undecided_application_says_so(impact_of, candidate_rules, without_drift_decision, ruleset):
    page = render(impact_of(without_drift_decision, candidate_rules(LOOSER)), ruleset)
    row = page[page.index('data-application-id="drift-0003"') :]
    row = row[: row.index("</tr>")]
    assert "inget beslut" in row


def test_rule_changes_with_directions_in_words(committee_impact, ruleset):
    page = render(committee_impact, ruleset, rule_titles=titles(ruleset))
    rules = section(page, "rule-changes-heading")
    rows = re.findall(r'<tr data-rule-id="([^"]+)" data-changed="(\d+)">', rules)
    assert rows == [(r.rule_id, str(r.changed)) for r in committee_impact.rules]
    long_term = next(r for r in committee_impact.rules if r.rule_id == "grundkrav_4.long_term")
    assert long_term.directions == {"passed → failed": 7}
    row = rules[rules.index('data-rule-id="grundkrav_4.long_term"') :]
    row = row[: row.index("</tr>")]
    assert re.search(r"Uppfylld</span> → .*Ej uppfylld</span>: <strong>7</strong>", row)


def test_agreement_under_both_rulesets(committee_impact, ruleset):
    page = render(committee_impact, ruleset)
    agreement = section(page, "agreement-heading")
    rows = {
        name: re.findall(r'<td class="num"[^>]*>(?:<strong>)?([^<]+)', row)
        for name, row in re.findall(r'<tr data-row="(\w+)">(.*?)</tr>', agreement, re.S)
    }
    assert rows["decided"] == ["7", "7"]
    assert rows["agreeing"] == ["4", "2"]
    assert rows["disagreeing"] == ["2", "0"]
    assert rows["not_comparable"] == ["1", "5"]
    assert rows["rate"] == [f"67{NBSP}%", f"100{NBSP}%"]
    assert rows["false_rejects"] == ["1", "0"]
    assert "drift-0005" in agreement
    assert 'id="matrix-base"' in agreement and 'id="matrix-candidate"' in agreement
    base_cell = re.search(
        r'id="matrix-base".*?<tr data-outcome="ineligible">.*?data-decision="granted" '
        r'data-count="(\d+)" data-accord="(\w+)"',
        agreement,
        re.S,
    )
    assert base_cell.groups() == ("1", "false_reject")


def test_closer_is_said_in_words(impact_of, candidate_rules, without_drift_decision, ruleset):
    page = render(impact_of(without_drift_decision, candidate_rules(LOOSER)), ruleset)
    assert 'class="shift shift-closer"' in page
    assert "Förslaget för förhandsgranskningen närmare kommitténs beslut" in page


def test_no_change(impact_of, committee_documents, ruleset):
    page = render(impact_of(committee_documents, ruleset), ruleset)
    assert 'id="transitions-none">Inget utfall ändras.</p>' in page
    assert "Ingen regels resultat ändras." in page
    assert 'class="shift shift-same"' in page
    assert "<svg" in page  # the chart still shows the outcomes, the same twice


def test_timing_in_the_footer(committee_impact, ruleset):
    page = render(committee_impact, ruleset)
    footer = page[page.index("<footer>") :]
    assert "7 ansökningar granskade på" in footer and "arbetsprocesser: 1" in footer
    shadow = committee_impact.model_copy(update={"workers": 0, "seconds": 0.0})
    assert 'id="timing"' not in render(shadow, ruleset)


def test_english_on_request(committee_impact, ruleset):
    page = render(
        committee_impact,
        ruleset,
        language="en",
        rule_titles=titles(ruleset),
        language_href="?lang=sv",
    )
    assert '<html lang="en">' in page
    assert "What the rule change does to screened applications" in page
    assert "Current rules" in page and "The proposal" in page
    assert "The proposal moves the agreement both ways" in page
    assert "The initiative is long-term" in page
    assert "67% → 100%" in page
    assert '<a href="?lang=sv" hreflang="sv">På svenska</a>' in page


def test_unknown_language_is_refused(committee_impact, ruleset):
    with pytest.raises(ValueError, match="language"):
        render(committee_impact, ruleset, language="de")


def test_environment_extends_the_report_packages(committee_impact):
    env = environment()
    assert isinstance(env.loader, ChoiceLoader)
    assert env.autoescape is True and env.undefined is StrictUndefined
    assert env.filters["percent"] is report_environment().filters["percent"]
    assert env.globals["csp"] == report_environment().globals["csp"]
    with pytest.raises(UndefinedError):
        env.from_string("{{ nothing.here }}").render()
    assert (
        env.get_template("base.html.j2").filename
        == report_environment().get_template("base.html.j2").filename
    )


# ---------------------------------------------------------------- untrusted text


def test_hostile_text_is_shown_as_text(impact_of, candidate_rules, committee_documents, ruleset):
    report = impact_of(
        committee_documents,
        candidate_rules(LONGER),
        base_source=f"folder {HOSTILE}",
        parameters_set=(f"rule.param={HOSTILE}",),
    )
    evil_id = 'x" onmouseover="alert(1)" data-x=\'<script>alert(1)</script>'
    report = report.model_copy(
        update={
            "changed": [
                report.changed[0].model_copy(
                    update={"application_id": evil_id, "responsible_rules": [f"r.{HOSTILE}"]}
                ),
                *report.changed[1:],
            ]
        }
    )
    page = render(report, ruleset)
    assert_inert(page)
    text = "".join(parsed(page).text)
    assert f"folder {HOSTILE}" in text and f"rule.param={HOSTILE}" in text
    assert f"r.{HOSTILE}" in text
    assert ESCAPED in page and "Åsa Öberg ÄÖÅ 😀" in page
    ids = [v for n, v in parsed(page).attributes if n == "data-application-id"]
    assert evil_id in ids  # the whole id stayed inside its attribute
