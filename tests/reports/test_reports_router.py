"""GET /screenings/{id}/report and GET /reports/round through a real resolver, store in moto."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta

import pytest

for key, value in {
    "AWS_DEFAULT_REGION": "eu-north-1",
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SECURITY_TOKEN": "testing",
    "AWS_SESSION_TOKEN": "testing",
}.items():
    os.environ.setdefault(key, value)
os.environ.pop("AWS_PROFILE", None)
os.environ.pop("AWS_ENDPOINT_URL_DYNAMODB", None)

import boto3  # noqa: E402
from moto import mock_aws  # noqa: E402
from report_support import derive  # noqa: E402
from workbench.local.events import iam_context, jwt_context, report_event, round_event  # noqa: E402
from workbench.local.tables import create_tables  # noqa: E402

from api import reports, rulesets  # noqa: E402
from api.settings import Settings  # noqa: E402
from screening.ruleset.compiled import Releases  # noqa: E402

SETTINGS = Settings.from_env({"VERDICT_TABLE": "report-screenings"})
DAY = datetime(2026, 10, 15, 9, 0, tzinfo=UTC)


class Context:
    function_name = "lsh-report-test"
    memory_limit_in_mb = 512
    invoked_function_arn = "arn:aws:lambda:eu-north-1:123456789012:function:lsh-report-test"
    aws_request_id = "report-test"

    def get_remaining_time_in_millis(self) -> int:
        return 30_000


@pytest.fixture
def services(ruleset):
    with mock_aws():
        client = boto3.client("dynamodb")
        create_tables(client, SETTINGS.verdict_table)
        yield reports.ReportServices(SETTINGS, rulesets.RulesetState(Releases([ruleset])), client)


@pytest.fixture
def entry(services):
    return reports.build(services)


def store(services, screen, document, at):
    verdict = screen(document, at=at)
    sha = f"sha-{at.isoformat()}"
    head = services.store.lookup(verdict.application_id, sha).head
    services.store.append(
        verdict,
        sha=sha,
        application_json="{}",
        organisation_number="556000-0001",
        submitted_by="portal",
        head=head,
        today=at.date().isoformat(),
    )
    return verdict


def test_application_report_is_html_with_history_and_strict_headers(
    entry, services, screen, base_document
):
    first = derive(base_document, "app-0001", applicant={"declares_membership": False})
    store(services, screen, first, DAY)
    store(services, screen, derive(base_document, "app-0001"), DAY + timedelta(days=1))
    reply = entry(report_event("app-0001"), Context())
    assert reply["statusCode"] == 200
    headers = reply["headers"]
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert "default-src 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    page = reply["body"]
    assert page.startswith("<!DOCTYPE html>") and '<html lang="sv">' in page
    assert "Uppfyller kraven" in page  # the latest screening
    assert "pill-needs_review" in page  # the earlier one, in the history
    assert '<a href="?lang=en" hreflang="en">In English</a>' in page


def test_application_report_in_english(entry, services, screen, base_document):
    store(services, screen, base_document, DAY)
    page = entry(report_event("base-0001", {"lang": "en"}), Context())["body"]
    assert '<html lang="en">' in page and "Meets the requirements" in page


def test_unknown_application_is_404_and_bad_language_422(entry, services, screen, base_document):
    assert entry(report_event("nobody-0001"), Context())["statusCode"] == 404
    store(services, screen, base_document, DAY)
    assert entry(report_event("base-0001", {"lang": "de"}), Context())["statusCode"] == 422


def test_committee_only(entry, services, screen, base_document):
    store(services, screen, base_document, DAY)
    assert entry(report_event("base-0001", authorizer={}), Context())["statusCode"] == 401
    portal = entry(report_event("base-0001", authorizer=iam_context()), Context())
    assert portal["statusCode"] == 403
    outsider = jwt_context(groups="[applicants]")
    assert (
        entry(round_event({"from": "2026-10-01", "to": "2026-10-31"}, outsider), Context())[
            "statusCode"
        ]
        == 403
    )


def test_round_report_from_the_store(entry, services, screen, mixed_documents):
    for index, documents in enumerate(mixed_documents.values()):
        for offset, document in enumerate(documents):
            store(services, screen, document, DAY + timedelta(days=index, hours=offset))
    late = derive(mixed_documents["eligible"][0], "late-0009")
    store(services, screen, late, datetime(2026, 11, 3, tzinfo=UTC))
    reply = entry(round_event({"from": "2026-10-01", "to": "2026-10-31"}), Context())
    assert reply["statusCode"] == 200
    assert reply["headers"]["Content-Type"] == "text/html; charset=utf-8"
    page = reply["body"]
    assert '<strong id="total">5</strong>' in page and "late-0009" not in page
    assert '<a class="nowrap" href="../screenings/member-0002/report">' in page
    assert page.index('data-application-id="member-0002"') < page.index(
        'data-application-id="base-0001"'
    )
    english = entry(
        round_event({"from": "2026-10-01", "to": "2026-10-31", "lang": "en"}), Context()
    )
    assert 'href="../screenings/member-0002/report?lang=en"' in english["body"]


def test_round_dates_are_checked(entry):
    reversed_range = entry(round_event({"from": "2026-10-31", "to": "2026-10-01"}), Context())
    assert reversed_range["statusCode"] == 422
    assert entry(round_event({"from": "2026-10-01"}), Context())["statusCode"] == 422


def test_hostile_text_is_escaped_in_the_served_page(entry, services, screen, hostile_document):
    store(services, screen, hostile_document, DAY)
    for event in (
        report_event("hostile-0001"),
        round_event({"from": "2026-10-01", "to": "2026-10-31"}),
    ):
        page = entry(event, Context())["body"]
        assert "<script" not in page.lower()
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
        assert "Åsa Öberg ÄÖÅ 😀" in page
