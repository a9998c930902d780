"""Applicants' text is untrusted: it must appear as text on the page, never as markup."""

from __future__ import annotations

from datetime import date
from html.parser import HTMLParser

import pytest
from report_support import ESCAPED, HOSTILE, assert_inert, parsed

from screening.report import render_application_report, render_round_report


@pytest.fixture
def hostile(screen, hostile_document):
    return screen(hostile_document)


def test_hostile_application_report_shows_the_text_and_runs_nothing(hostile, ruleset):
    page = render_application_report(
        hostile, labels=ruleset.labels.values, requirements=[r["id"] for r in ruleset.requirements]
    )
    assert_inert(page)
    text = "".join(parsed(page).text)
    for field in (
        f"Bolag {HOSTILE}",  # organisation name
        f"Titel {HOSTILE}",  # project title
        f"Kommun {HOSTILE}",  # municipality
        f"Område {HOSTILE}",  # districts
        f"Mål {HOSTILE}",  # effect goal
        f"Indikator {HOSTILE}",  # indicator
    ):
        assert field in text, field
    # Reasons quote the applicant's text (owner, governing document, districts): as text too.
    reasons = " ".join(rule.reason.sv for rule in hostile.rules)
    assert f"Ägare {HOSTILE}" in reasons and f"Ägare {HOSTILE}" in text
    assert f"Program {HOSTILE}" in reasons and f"Program {HOSTILE}" in text
    assert ESCAPED in page
    assert "&amp;" in page and "&#34;citat&#34;" in page and "&#39;apostrof&#39;" in page
    assert "Åsa Öberg ÄÖÅ 😀" in page  # Swedish letters and emoji kept as they are


def test_hostile_round_report_shows_the_text_and_runs_nothing(hostile, ruleset):
    day = hostile.screened_at.date()
    page = render_round_report([hostile], day, day, labels=ruleset.labels.values)
    assert_inert(page)
    text = "".join(parsed(page).text)
    assert f"Bolag {HOSTILE}" in text
    assert f"Titel {HOSTILE}" in text
    assert ESCAPED in page


def test_text_cannot_break_out_of_an_attribute(hostile, ruleset):
    """The verdict model itself does not constrain application_id; the page must hold anyway."""
    evil_id = 'x" onmouseover="alert(1)" data-x=\'<script>alert(1)</script>'
    verdict = hostile.model_copy(update={"application_id": evil_id})
    day = verdict.screened_at.date()
    for page in (
        render_application_report(
            verdict,
            labels=ruleset.labels.values,
            requirements=[r["id"] for r in ruleset.requirements],
        ),
        render_round_report([verdict], day, day, labels=ruleset.labels.values),
    ):
        assert_inert(page)
    round_page = render_round_report([verdict], day, day, labels=ruleset.labels.values)
    rows = [value for name, value in parsed(round_page).attributes if name == "data-application-id"]
    assert rows == [evil_id]  # the whole id stayed inside its attribute
    hrefs = [v for n, v in parsed(round_page).attributes if n == "href"]
    assert hrefs == [
        "x%22%20onmouseover%3D%22alert%281%29%22%20data-x%3D%27%3Cscript%3Ealert%281%29%3C%2Fscript%3E.html"
    ]


def test_pages_forbid_scripts_by_content_security_policy(hostile, ruleset):
    page = render_application_report(
        hostile, labels=ruleset.labels.values, requirements=[r["id"] for r in ruleset.requirements]
    )
    metas = [attrs for tag, attrs in _tags_with_attrs(page) if tag == "meta"]
    policies = [
        dict(a)["content"] for a in metas if dict(a).get("http-equiv") == "Content-Security-Policy"
    ]
    assert policies and "default-src 'none'" in policies[0] and "script-src" not in policies[0]


def _tags_with_attrs(page: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    found: list[tuple[str, list[tuple[str, str | None]]]] = []

    class Collect(HTMLParser):
        def handle_starttag(self, tag, attrs):  # type: ignore[no-untyped-def]
            found.append((tag, attrs))

    Collect().feed(page)
    return found


def test_round_report_date_range_is_required_to_be_dates(ruleset):
    page = render_round_report(
        [], date(2026, 10, 1), date(2026, 10, 31), labels=ruleset.labels.values
    )
    assert "Inga ansökningar granskades under perioden." in page
