"""The application report: outcome first, what decides it, every rule under its requirement."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from report_support import derive

from screening.report import render_application_report
from screening.report.views import deciding_rules, earlier_screenings, group_by_requirement


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
