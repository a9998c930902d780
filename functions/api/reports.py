"""ReportsFunction: the committee's HTML pages — one application's report and a round's summary.

The only function that imports Jinja2 and the report code. Pages are self-contained and
script-free, and are sent with a Content-Security-Policy that forbids scripts, so applicants'
text can never run in a committee member's browser. Reads the table and the compiled ruleset
(for labels and the order of requirements); never the rule engine.
"""

from __future__ import annotations

from datetime import date
from functools import partial
from typing import Annotated, Any, Literal
from urllib.parse import quote, urlencode

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.event_handler.openapi.types import OpenAPIResponse

from screening.agreement import Band
from screening.follow_up.portfolio import portfolio
from screening.models.verdict import Outcome, Verdict
from screening.report import (
    CONTENT_SECURITY_POLICY,
    render_agreement_report,
    render_application_report,
    render_follow_up_report,
    render_portfolio_report,
    render_round_report,
)
from screening.ruleset.compiled import CompiledRuleset
from screening.validation import FieldError

from . import aws, decisions, errors, rulesets
from . import responses as doc
from .auth import require_committee
from .committee import history_of, range_checked
from .loans import Loans
from .observability import count, left_out, request_logged
from .params import ApplicationIdPath, DateFrom, DateTo, IsoDate, RoundQuery
from .resolver import Entry, make_resolver
from .settings import Settings
from .store.decisions import DecisionStore
from .store.follow_ups import FollowUpStore
from .store.older_contract import StoredUnderOlderContract
from .store.screenings import Listing, ScreeningStore

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


class ReportServices:
    def __init__(
        self,
        settings: Settings,
        ruleset: rulesets.RulesetState,
        client: Any = None,
        follow_up: CompiledRuleset | None = None,
    ) -> None:
        self.settings = settings
        self.ruleset = ruleset
        self._client = client
        self.follow_up = follow_up  # the follow-up ruleset: its labels and indicators

    @property
    def store(self) -> ScreeningStore:
        return aws.screening_store(self.settings, self._client)

    @property
    def decisions(self) -> DecisionStore:
        return DecisionStore(self.store.client, self.settings.verdict_table)

    @property
    def loans(self) -> Loans:
        table = self.settings.verdict_table
        return Loans(
            self.store,
            DecisionStore(self.store.client, table),
            FollowUpStore(self.store.client, table),
        )

    def follow_up_ruleset(self) -> CompiledRuleset:
        if self.follow_up is None:
            count("RulesetUnavailable")  # the alarm watches it, as for the entry's 503
            raise errors.ruleset_unavailable()
        return self.follow_up


def _html(body: str) -> Response[str]:
    return Response(status_code=200, content_type=HTML, body=body, headers=dict(HEADERS))


def _other(language: str) -> str:
    return "en" if language == "sv" else "sv"


def router(services: ReportServices) -> Router:
    router = Router()
    html_response: dict[int, OpenAPIResponse] = {
        200: doc.html("An HTML page"),
        **doc.COMMITTEE,
        **doc.INTERNAL,
        **doc.RULESET,
    }

    def labels() -> Any:
        ruleset = services.ruleset.ruleset
        assert ruleset is not None  # the entry answers 503 before routing
        return ruleset.labels.values, [r["id"] for r in ruleset.requirements]

    @router.get(
        "/screenings/<application_id>/report",
        summary="The current verdict of an application as an HTML report (Swedish by default)",
        tags=["committee"],
        security=doc.COMMITTEE_JWT,
        responses={
            **html_response,
            404: doc.error("No screening of that application"),
            409: doc.error("Stored under an earlier contract"),
            422: doc.error("Invalid application id or language"),
        },
    )
    def application_report(
        application_id: ApplicationIdPath,
        lang: Annotated[Language, Query()] = "sv",
    ) -> Response[str]:
        found = history_of(services.store, application_id, services.decisions)
        value_labels, requirements = labels()
        return _html(
            render_application_report(
                found.latest.verdict,
                labels=value_labels,
                requirements=requirements,
                history=[s.verdict for s in found.history],
                decisions=found.decisions,
                language=lang,
                language_href="?" + urlencode({"lang": _other(lang)}),
            )
        )

    @router.get(
        "/reports/round",
        summary="The round summary (sammanställning) of screenings in a date range, as HTML",
        tags=["committee"],
        security=doc.COMMITTEE_JWT,
        responses={**html_response, 422: doc.error("Missing or reversed date range")},
    )
    def round_report(
        date_from: Annotated[IsoDate, Query(alias="from", description="YYYY-MM-DD, UTC")],
        date_to: Annotated[IsoDate, Query(alias="to", description="YYYY-MM-DD, inclusive")],
        lang: Annotated[Language, Query()] = "sv",
    ) -> Response[str]:
        if date_from > date_to:
            raise errors.invalid_request(
                "'from' is after 'to'", [FieldError("from", "must not be after 'to'")]
            )
        verdicts = _round_verdicts(services.store, date_from, date_to)
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
                labels=labels()[0],
                language=lang,
                report_href=report_href,
                language_href="?" + urlencode(query),
            )
        )

    @router.get(
        "/reports/agreement",
        summary="How far the pre-screening agrees with the committee's decisions, as HTML",
        tags=["committee"],
        security=doc.COMMITTEE_JWT,
        responses={**html_response, 422: doc.error("Invalid or reversed range, or round")},
    )
    def agreement_report(
        date_from: DateFrom = None,
        date_to: DateTo = None,
        round: RoundQuery = None,
        lang: Annotated[Language, Query()] = "sv",
    ) -> Response[str]:
        range_checked(date_from, date_to)
        agreement = decisions.agreement_of(
            services.store, services.decisions, date_from, date_to, round, Band()
        )
        suffix = "" if lang == "sv" else "?lang=en"
        query = {
            k: v
            for k, v in {
                "from": date_from.isoformat() if date_from else None,
                "to": date_to.isoformat() if date_to else None,
                "round": round,
                "lang": _other(lang),
            }.items()
            if v
        }
        return _html(
            render_agreement_report(
                agreement,
                labels=labels()[0],
                language=lang,
                language_href="?" + urlencode(query),
                report_href=lambda application_id: (
                    f"../screenings/{quote(application_id, safe='')}/report{suffix}"
                ),
            )
        )

    @router.get(
        "/loans/<application_id>/follow-up/report",
        summary="A granted loan's follow-up as an HTML report: goal charts, each year's rules",
        tags=["committee"],
        security=doc.COMMITTEE_JWT,
        responses={
            **html_response,
            404: doc.error("The application is not a loan the committee has granted"),
            409: doc.error("The loan's application was stored under an earlier contract"),
            422: doc.error("Invalid application id or language"),
        },
    )
    def follow_up_report(
        application_id: ApplicationIdPath,
        lang: Annotated[Language, Query()] = "sv",
    ) -> Response[str]:
        ruleset = services.follow_up_ruleset()
        loan = services.loans.loan(application_id)
        if loan is None:
            raise errors.not_a_granted_loan(application_id)
        return _html(
            render_follow_up_report(
                loan,
                labels=ruleset.labels.values,
                language=lang,
                language_href="?" + urlencode({"lang": _other(lang)}),
            )
        )

    @router.get(
        "/reports/portfolio",
        summary="The granted loans' follow-up: per category and round, indicator totals (HTML)",
        tags=["committee"],
        security=doc.COMMITTEE_JWT,
        responses={**html_response, 422: doc.error("Invalid year or language")},
    )
    def portfolio_report(
        year: Annotated[
            int | None, Query(ge=1990, le=2100, description="Reporting year (default: latest)")
        ] = None,
        lang: Annotated[Language, Query()] = "sv",
    ) -> Response[str]:
        ruleset = services.follow_up_ruleset()
        figures = portfolio(services.loans.granted(), indicators=ruleset.indicators, year=year)
        suffix = "" if lang == "sv" else "?lang=en"
        query = {k: v for k, v in {"year": year, "lang": _other(lang)}.items() if v}
        return _html(
            render_portfolio_report(
                figures,
                labels=ruleset.labels.values,
                language=lang,
                language_href="?" + urlencode(query),
                loan_href=lambda application_id: (
                    f"../loans/{quote(application_id, safe='')}/follow-up/report{suffix}"
                ),
            )
        )

    return router


def _round_verdicts(store: ScreeningStore, date_from: date, date_to: date) -> list[Verdict]:
    """Every stored verdict of the applications screened in the range (the renderer keeps the
    latest in range per application). The listing gives ids; each history gives the verdicts."""
    application_ids: dict[str, None] = {}
    for outcome in Outcome:
        listing = Listing(outcome, date_from, date_to, ROUND_PAGE_SIZE)
        cursor: str | None = None
        seen = 0
        while True:
            page = store.list(listing, cursor)
            for item in page.items:
                application_ids.setdefault(item.application_id, None)
            seen += len(page.items)
            cursor = page.next_cursor
            if cursor is None or seen >= ROUND_MAX_SCREENINGS:
                break
    verdicts: list[Verdict] = []
    for application_id in application_ids:
        try:
            verdicts.extend(s.verdict for s in store.history(application_id)[1])
        except StoredUnderOlderContract as older:  # the round shows what it can read
            left_out(older.application_id, older.revision)
    return verdicts


def build(services: ReportServices) -> Entry:
    return Entry(
        make_resolver(router(services)),
        partial(require_committee, group=services.settings.committee_group),
        lambda: services.ruleset.ready,
    )


def init() -> None:
    """Container init: services from the environment, the function's entry. (The local server
    calls it again once the environment is set.)"""
    global SERVICES, ENTRY
    SERVICES = ReportServices(
        Settings.from_env(), rulesets.load(engine=False), follow_up=rulesets.follow_up_ruleset()
    )
    ENTRY = build(SERVICES)


SERVICES: ReportServices
ENTRY: Entry
init()


@request_logged
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return ENTRY(event, context)
