"""The application report: outcome first, what decides it, every rule under its requirement."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from report_support import ESCAPED, HOSTILE, assert_inert, decide, derive, parsed

from screening.report import render_application_report
from screening.report.views import (
    assessed_requirements,
    deciding_rules,
    decisions_of,
    earlier_screenings,
    group_by_requirement,
)


def render(verdict, ruleset, **kw):
    return render_application_report(
        verdict,
        labels=ruleset.labels.values,
        requirements=[r["id"] for r in ruleset.requirements],
        **kw,
    )


def rows(page: str) -> list[tuple[str, str]]:
    """(rule id, result) of every rule row, in page order."""
    return re.findall(r'<tr id="rule-([^"]+)" class="rule rule-\w+" data-result="(\w+)">', page)


@pytest.fixture
def referred(screen, base_document):
    """Needs review: membership not declared (refer); also in a vulnerable area (a note)."""
    return screen(
        derive(
            base_document,
            "member-0002",
            applicant={"declares_membership": False},
            project={"municipality": "Botkyrka", "districts": ["Fittja"]},
        )
    )


@pytest.fixture
def rejected(screen, base_document):
    """Ineligible (operating cost: reject) and needing review (not a member: refer)."""
    return screen(
        derive(
            base_document,
            "drift-0003",
            applicant={"declares_membership": False},
            project={"investment_kind": "operating_cost"},
        )
    )


def test_outcome_is_the_first_thing_on_the_page(referred, ruleset):
    page = render(referred, ruleset)
    body = page[page.index("<body>") :]
    h1 = re.search(r"<h1[^>]*>(.*?)</h1>", body, re.S)
    assert h1 and body.index("<h1") < body.index("<h2")
    assert "Behöver granskning" in h1.group(1)
    assert 'data-outcome="needs_review"' in h1.group(0)
    assert "<title>Behöver granskning – " in page
    assert '<html lang="sv">' in page


@pytest.mark.parametrize(
    ("fixture", "words"),
    [
        ("base", "Uppfyller kraven"),
        ("referred", "Behöver granskning"),
        ("rejected", "Uppfyller inte kraven"),
    ],
)
def test_outcome_wording(fixture, words, request, screen, base_document, ruleset):
    verdict = screen(base_document) if fixture == "base" else request.getfixturevalue(fixture)
    h1 = re.search(r"<h1[^>]*>(.*?)</h1>", render(verdict, ruleset), re.S).group(1)
    assert h1.rstrip().endswith(words + "</span>")


def test_every_rule_appears_once_grouped_in_requirement_order(rejected, ruleset):
    page = render(rejected, ruleset)
    found = rows(page)
    assert sorted(rule_id for rule_id, _ in found) == sorted(r.rule_id for r in rejected.rules)
    assert dict(found) == {r.rule_id: r.result.value for r in rejected.rules}
    order = [r["id"] for r in ruleset.requirements]
    by_id = {r.rule_id: r.requirement.id for r in rejected.rules}
    seen = [order.index(by_id[rule_id]) for rule_id, _ in found]
    assert seen == sorted(seen)
    captions = re.findall(r"<caption>(.*?)</caption>", page)
    assert captions[0] == "Vem som får låna" and captions[-1] == "Signaler till kommittén"


def test_failed_rules_decide_rejections_before_referrals(rejected, ruleset):
    deciding = deciding_rules(rejected)
    assert [r.rule_id for r in deciding][:1] == ["investment.physical"]
    assert "borrower.membership" in [r.rule_id for r in deciding]
    assert [r.severity.value for r in deciding] == sorted(
        (r.severity.value for r in deciding), key=["reject", "refer"].index
    )
    page = render(rejected, ruleset)
    section = page[page.index('id="deciding-heading"') : page.index('id="brief-heading"')]
    assert section.index("investment.physical") < section.index("borrower.membership")
    assert "avgör: uppfyller inte kraven" in section and "avgör: behöver granskning" in section


def test_eligible_report_says_nothing_failed(screen, base_document, ruleset):
    page = render(screen(base_document), ruleset)
    assert "Inga regler är underkända." in page
    assert 'data-result="failed"' not in page


def test_brief_category_fit_amounts_and_notes(referred, ruleset):
    page = render(referred, ruleset)
    assert "Exempelbostäder AB (kommunalt bolag)" in page
    assert "100\u00a0000\u00a0000\u00a0kr" in page and "120\u00a0000\u00a0000\u00a0kr" in page
    assert "typ a (fysisk investering med kopplad social insats)" in page
    assert "<dd>Boende och boendemiljöer</dd>" in page  # declared
    assert "Boende och boendemiljöer; Trygghet, säkerhet och tillgänglighet" in page  # matched
    assert "Den angivna kategorin passar projektet." in page
    notes = page[page.index('id="notes-heading"') : page.index('id="rules-heading"')]
    assert "polisens lista 2025" in notes and "signal.vulnerable_area" in notes


def test_effect_goals_table(referred, ruleset):
    page = render(referred, ruleset)
    goals = page[page.index('id="goals-heading"') : page.index('id="history-heading"')]
    assert goals.count("<tr>") == 1 + len(referred.application.effect_goals)
    assert "Andel hushåll som bor kvar två år efter renovering" in goals
    assert "70 (2026)" in goals and "90 (2031)" in goals


def test_history_lists_earlier_screenings_newest_first(referred, screen, base_document, ruleset):
    older = screen(base_document).model_copy(
        update={
            "application_id": "member-0002",
            "screened_at": referred.screened_at - timedelta(days=9),
        }
    )
    oldest = older.model_copy(update={"screened_at": referred.screened_at - timedelta(days=20)})
    other_application = screen(base_document)
    history = [oldest, referred, other_application, older]
    assert earlier_screenings(referred, history) == [older, oldest]
    page = render(referred, ruleset, history=history)
    table = page[
        page.index('id="history-heading"') : page.index(
            "</section>", page.index('id="history-heading"')
        )
    ]
    assert table.count("pill-eligible") == 2
    assert "Ansökan har inte granskats tidigare." not in page
    assert "Ansökan har inte granskats tidigare." in render(referred, ruleset)


def test_ruleset_version_and_screening_time(referred, ruleset):
    page = render(referred, ruleset)
    footer = page[page.index("<footer>") :]
    assert f"{referred.ruleset.version}+{referred.ruleset.content_hash}" in footer
    assert re.search(r"Granskad \d{4}-\d{2}-\d{2} \d{2}:\d{2}", footer)


def test_english_on_request(rejected, ruleset):
    page = render(rejected, ruleset, language="en", language_href="?lang=sv")
    assert '<html lang="en">' in page
    assert "Does not meet the requirements" in page
    assert "SEK\u00a0100,000,000" in page
    assert "Who may borrow" in page and "municipal company" in page
    assert '<a href="?lang=sv" hreflang="sv">På svenska</a>' in page


def test_unknown_language_is_refused(rejected, ruleset):
    with pytest.raises(ValueError, match="language"):
        render(rejected, ruleset, language="de")


def test_requirement_unknown_to_the_ruleset_keeps_its_rules(rejected):
    """A verdict from an older ruleset: its extra requirement follows, nothing is dropped."""
    groups = group_by_requirement(rejected.rules, ["grundkrav_3"])
    assert groups[0].requirement.id == "grundkrav_3"
    assert sum(len(g.rules) for g in groups) == len(rejected.rules)
    assert len({g.requirement.id for g in groups}) == len(groups)


def test_each_rule_shows_its_reference_and_the_answers_to_complete(screen, base_document, ruleset):
    base_document["social_content"]["effect_goals"][1]["data_source"] = None
    page = render(screen(base_document), ruleset)
    assert 'Grund: <a href="https://kommuninvest.se/' in page
    assert "antagande i förhandsgranskningen" in page  # a refer rule resting on an assumption
    deciding = page[page.index('id="deciding-heading"') : page.index('id="rules-heading"')]
    assert "effektmål 2 (Ökad upplevd trygghet): datakälla saknas" in deciding


# ---------------------------------------------------------------- the committee's decision


def decision_section(page: str) -> str:
    start = page.index('<section id="decision"')
    return page[start : page.index("</section>", start)]


@pytest.fixture
def decisions(rejected):
    """Two decisions on the rejected application (returned, then granted), one on another."""
    return [
        decide(
            rejected.application_id,
            "returned",
            number=1,
            day=date(2026, 10, 30),
            round="2026-R2",
            motivation="Komplettera medlemskapet.",
        ),
        decide(
            rejected.application_id,
            "granted",
            number=2,
            overridden=["investment.physical", "borrower.membership"],
            assessments={
                "grundkrav_3": "met",
                "physical_investment": "not_met",
                "borrower": "not_assessed",
            },
            motivation="Driften ingår i en upprustning; medlemskap är beslutat.",
            revision=2,
        ),
        decide("other-0009", "declined", number=7),
    ]


def test_latest_decision_follows_the_outcome(rejected, decisions, ruleset):
    page = render(rejected, ruleset, decisions=decisions)
    body = page[page.index("<body>") :]
    assert body.index("<h1") < body.index('id="decision"') < body.index('id="deciding-heading"')
    shown = decision_section(page)
    assert 'data-decision="granted"' in shown and "✓</span> Beviljad" in shown
    assert "2026-11-20" in shown and "Omgång 2026-R3" in shown
    assert "Driften ingår i en upprustning; medlemskap är beslutat." in shown
    assert "Beslut nr 2, avser granskning nr 2" in shown
    assert "källa: api" in shown
    # Granted, although the pre-screening found the application ineligible: said in words.
    assert 'data-accord="false_reject"' in shown
    assert (
        "Beviljad trots att förhandsgranskningen bedömde att ansökan inte uppfyller kraven."
        in shown
    )
    overridden = re.findall(r'<li data-rule-id="([^"]+)">', shown)
    assert overridden == ["investment.physical", "borrower.membership"]
    assert "Lånet finansierar en fysisk investering" in shown
    assert "avgör: uppfyller inte kraven" in shown


def test_assessments_in_the_frameworks_order(rejected, decisions, ruleset):
    latest, _ = decisions_of(rejected, decisions)
    requirements = [r["id"] for r in ruleset.requirements]
    assessed = assessed_requirements(latest, rejected, requirements)
    assert [a.requirement_id for a in assessed] == sorted(
        latest.assessments, key=requirements.index
    )
    page = render(rejected, ruleset, decisions=decisions)
    rows = re.findall(r'<tr data-requirement="(\w+)" data-assessment="(\w+)">', page)
    assert rows == [(a.requirement_id, a.assessment.value) for a in assessed]
    table = page[
        page.index('id="assessments"') : page.index("</table>", page.index('id="assessments"'))
    ]
    assert "Vem som får låna" in table and "Ej bedömt" in table and "Ej uppfyllt" in table


def test_assessment_of_an_unknown_requirement_keeps_its_id(rejected, ruleset):
    decision = decide(rejected.application_id, "declined", assessments={"old_requirement": "met"})
    assessed = assessed_requirements(decision, rejected, [])
    assert [(a.requirement_id, a.title) for a in assessed] == [("old_requirement", None)]
    page = render(rejected, ruleset, decisions=[decision])
    assert '<th scope="row" style="font-weight:400">old_requirement</th>' in page


def test_earlier_decisions_in_the_history(rejected, decisions, ruleset):
    latest, earlier = decisions_of(rejected, decisions)
    assert latest.number == 2 and [d.number for d in earlier] == [1]
    page = render(rejected, ruleset, decisions=decisions)
    history = page[page.index('id="history-heading"') :]
    assert "Tidigare beslut" in history
    rows = re.findall(r'<tr data-decision-number="(\d+)" data-decision="(\w+)">', history)
    assert rows == [("1", "returned")]
    assert "Komplettera medlemskapet." in history and "2026-R2" in history
    assert "other-0009" not in page and "Avslagen" not in page


def test_agreeing_decision_and_one_left_to_the_committee(screen, base_document, referred, ruleset):
    eligible = screen(base_document)
    page = render(eligible, ruleset, decisions=[decide(eligible.application_id, "granted")])
    assert "Beslutet stämmer med förhandsgranskningens utfall." in decision_section(page)
    page = render(
        referred, ruleset, decisions=[decide(referred.application_id, "declined", motivation=None)]
    )
    shown = decision_section(page)
    assert "Förhandsgranskningen lämnade bedömningen till kommittén." in shown
    assert "Ingen motivering angiven." in shown
    assert "Regler som kommittén inte följde</dt>\n    <dd>inga</dd>" in shown
    assert "Tidigare beslut" not in page


def test_without_decisions_the_page_is_unchanged(rejected, decisions, ruleset):
    plain = render(rejected, ruleset)
    assert 'id="decision"' not in plain and "Kommitténs beslut" not in plain
    assert render(rejected, ruleset, decisions=()) == plain
    others_only = [d for d in decisions if d.application_id != rejected.application_id]
    assert render(rejected, ruleset, decisions=others_only) == plain


def test_decision_in_english(rejected, decisions, ruleset):
    page = render(rejected, ruleset, decisions=decisions, language="en")
    shown = decision_section(page)
    assert "The committee&#39;s decision" in shown and "Granted" in shown
    assert "Granted although the pre-screening found" in shown
    assert "The loan finances a physical investment" in shown
    assert "Earlier decisions" in page and "Returned" in page


def test_hostile_motivation_is_text(rejected, ruleset):
    decision = decide(rejected.application_id, "declined", motivation=f"Motivering {HOSTILE}")
    page = render(rejected, ruleset, decisions=[decision])
    assert_inert(page)
    assert f"Motivering {HOSTILE}" in "".join(parsed(page).text)
    assert ESCAPED in page
