"""The committee's HTML reports: one application's verdict and a round's summary.

``reports_router(services)`` is a Powertools ``Router`` for the committee function (behind the
same committee guard as ``GET /screenings``); the HTML comes from ``screening.report``. Pages
are self-contained and script-free, and are sent with a Content-Security-Policy that forbids
scripts, so applicants' text can never run in a committee member's browser.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal
from urllib.parse import quote, urlencode

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Path, Query

from screening import Outcome, Verdict
from screening.report import (
    CONTENT_SECURITY_POLICY,
    render_application_report,
    render_round_report,
)

from . import errors
from .http import Services
from .models import StoredScreening
from .store import Listing

HTML = "text/html; charset=utf-8"
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
}
ROUND_PAGE_SIZE = 100
ROUND_MAX_SCREENINGS = 2_000
"""A round holds tens of applications; this bounds the listing if the range is far too wide."""

Language = Literal["sv", "en"]


def _html(body: str) -> Response[str]:
    return Response(status_code=200, content_type=HTML, body=body, headers=dict(HEADERS))


def _other(language: str) -> str:
    return "en" if language == "sv" else "sv"


def reports_router(services: Services) -> Router:
    router = Router()
    html_response = {200: {"description": "An HTML page", "content": {"text/html": {}}}}

    def screener_ruleset():  # type: ignore[no-untyped-def]
        screener = services.ruleset.screener
        assert screener is not None  # the entry answers 503 before routing
        return screener.ruleset

    @router.get(
        "/screenings/<application_id>/report",
        summary="The latest verdict of an application as an HTML report (Swedish by default)",
        tags=["committee"],
        security=[{"committeeJwt": []}],
        responses=html_response,
    )
    def application_report(
        application_id: Annotated[str, Path(min_length=1, max_length=100)],
        lang: Annotated[Language, Query()] = "sv",
    ) -> Response[str]:
        found = services.store.history(application_id)
        if not found:
            raise errors.not_found(application_id)
        ruleset = screener_ruleset()
        return _html(
            render_application_report(
                found[0].verdict,
                labels=ruleset.labels,
                requirements=ruleset.requirements,
                history=[s.verdict for s in found[1:]],
                language=lang,
                language_href="?" + urlencode({"lang": _other(lang)}),
            )
        )

    @router.get(
        "/reports/round",
        summary="The round summary (sammanställning) of screenings in a date range, as HTML",
        tags=["committee"],
        security=[{"committeeJwt": []}],
        responses=html_response,
    )
    def round_report(
        date_from: Annotated[date, Query(alias="from", description="YYYY-MM-DD, UTC")],
        date_to: Annotated[date, Query(alias="to", description="YYYY-MM-DD, inclusive")],
        lang: Annotated[Language, Query()] = "sv",
    ) -> Response[str]:
        if date_from > date_to:
            raise errors.invalid_request(
                "'from' is after 'to'", [errors.FieldError("from", "must not be after 'to'")]
            )
        verdicts = _round_verdicts(services, date_from, date_to)
        suffix = "" if lang == "sv" else "?lang=en"

        def report_href(verdict: Verdict) -> str:
            # Relative, so it works under any stage or custom-domain prefix.
            return f"../screenings/{quote(verdict.application_id, safe='')}/report{suffix}"

        query = {"from": date_from.isoformat(), "to": date_to.isoformat(), "lang": _other(lang)}
        return _html(
            render_round_report(
                verdicts,
                date_from,
                date_to,
                labels=screener_ruleset().labels,
                language=lang,
                report_href=report_href,
                language_href="?" + urlencode(query),
            )
        )

    return router


def _round_verdicts(services: Services, date_from: date, date_to: date) -> list[Verdict]:
    """Every stored verdict of the applications screened in the range (the renderer keeps the
    latest in range per application). The listing gives ids; each history gives the verdicts.

    Listed per outcome (the by-outcome index), which also holds when the by-date index does not
    project ``outcome``."""
    application_ids: dict[str, None] = {}
    for outcome in Outcome:
        listing = Listing(outcome, date_from, date_to, ROUND_PAGE_SIZE)
        cursor: str | None = None
        seen = 0
        while True:
            page = services.store.list(listing, cursor)
            for item in page.items:
                application_ids.setdefault(item.application_id, None)
            seen += len(page.items)
            cursor = page.next_cursor
            if cursor is None or seen >= ROUND_MAX_SCREENINGS:
                break
    stored: list[StoredScreening] = []
    for application_id in application_ids:
        stored.extend(services.store.history(application_id))
    return [s.verdict for s in stored]
