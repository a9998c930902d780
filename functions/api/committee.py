"""CommitteeFunction: the committee reads verdicts (one application's with its decisions, or a
listing), records its decisions, and reads how far the pre-screening agrees with them.

Reads and writes the table only: it loads no ruleset, no rule engine and no report code.
"""

from __future__ import annotations

from datetime import date
from functools import partial
from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Query

from screening.agreement import Agreement, Band
from screening.models.decision import Decision, DecisionInput
from screening.models.verdict import Outcome
from screening.validation import FieldError

from . import aws, body, decisions, errors
from . import responses as doc
from .auth import require_committee
from .errors import CONTENT_TYPE
from .models import ScreeningHistory, ScreeningPage
from .observability import request_logged
from .params import ApplicationIdPath, DateFrom, DateTo, RoundQuery
from .resolver import Entry, make_resolver
from .settings import Settings
from .store.decisions import DecisionStore
from .store.screenings import Listing, ScreeningStore


class CommitteeServices:
    def __init__(self, settings: Settings, client: Any = None) -> None:
        self.settings = settings
        self._client = client

    @property
    def store(self) -> ScreeningStore:
        return aws.screening_store(self.settings, self._client)

    @property
    def decisions(self) -> DecisionStore:
        return DecisionStore(self.store.client, self.settings.verdict_table)


def history_of(
    store: ScreeningStore, application_id: str, decided: DecisionStore | None = None
) -> ScreeningHistory:
    current, found = store.history(application_id)
    if current is None or not found:
        raise errors.not_found(application_id)
    latest = next((s for s in found if s.revision == current), None)
    latest = latest or store.screening(application_id, current) or found[0]
    recorded = decided.decisions(application_id) if decided is not None else []
    return ScreeningHistory(
        application_id=application_id,
        latest=latest,
        history=found,
        decision=recorded[0] if recorded else None,
        decisions=recorded,
    )


def range_checked(date_from: date | None, date_to: date | None) -> None:
    if date_from and date_to and date_from > date_to:
        raise errors.invalid_request(
            "'from' is after 'to'", [FieldError("from", "must not be after 'to'")]
        )


def router(services: CommitteeServices) -> Router:
    router = Router()

    @router.get(
        "/screenings/<application_id>",
        summary="The current verdict of an application and every stored screening",
        tags=["committee"],
        security=doc.COMMITTEE_JWT,
        responses={
            200: doc.json(ScreeningHistory, "Latest and history"),
            404: doc.error("No screening of that application"),
            409: doc.error("Stored under an earlier contract"),
            422: doc.error("The application id is not a valid id"),
            **doc.COMMITTEE,
            **doc.INTERNAL,
        },
    )
    def get_screening(application_id: ApplicationIdPath) -> ScreeningHistory:
        return history_of(services.store, application_id, services.decisions)

    @router.put(
        "/screenings/<application_id>/decision",
        summary="Record the committee's decision on a screening revision",
        description=(
            "Append-only: a changed decision is the next one and supersedes the earlier, which "
            "stays in the history. An identical repeat stores nothing (200)."
        ),
        tags=["committee"],
        security=doc.COMMITTEE_JWT,
        responses={
            200: doc.json(Decision, "Identical to the latest decision: nothing stored"),
            201: doc.json(Decision, "Recorded"),
            400: doc.error("Malformed JSON"),
            404: doc.error("No such application, or no such screening revision"),
            409: doc.error("That screening revision was stored under an earlier contract"),
            413: doc.error("Body over 256 KB"),
            415: doc.error("Not JSON (Content-Type)"),
            422: doc.error("Invalid decision, one entry per field"),
            503: doc.error("Other decisions are being recorded right now (Retry-After)"),
            **doc.COMMITTEE,
            **doc.INTERNAL,
        },
    )
    def put_decision(application_id: ApplicationIdPath) -> Response[Decision]:
        event = router.current_event.raw_event
        decided: DecisionInput = body.parse(DecisionInput, event, errors.invalid_decision)
        recorded = decisions.record(services.store, services.decisions, application_id, decided)
        return Response(
            status_code=201 if recorded.stored else 200,
            content_type=CONTENT_TYPE,
            body=recorded.decision,
            headers={"X-Decision-Number": str(recorded.decision.number)},
        )

    @router.get(
        "/agreement",
        summary="How far the pre-screening agrees with the committee's decisions",
        tags=["committee"],
        security=doc.COMMITTEE_JWT,
        responses={
            200: doc.json(Agreement, "Outcome × decision, per-rule override rates, false rejects"),
            422: doc.error("Invalid query parameter, one entry per parameter"),
            **doc.COMMITTEE,
            **doc.INTERNAL,
        },
    )
    def get_agreement(
        date_from: DateFrom = None,
        date_to: DateTo = None,
        round: RoundQuery = None,
        low: Annotated[float, Query(ge=0, le=1, description="Flag override rates below")] = 0.02,
        high: Annotated[float, Query(ge=0, le=1, description="Flag override rates above")] = 0.3,
        min_failed: Annotated[int, Query(ge=1, le=10_000)] = 10,
    ) -> Agreement:
        range_checked(date_from, date_to)
        if low > high:
            raise errors.invalid_request(
                "'low' is above 'high'", [FieldError("low", "must not be above 'high'")]
            )
        band = Band(low=low, high=high, min_failed=min_failed)
        return decisions.agreement_of(
            services.store, services.decisions, date_from, date_to, round, band
        )

    @router.get(
        "/screenings",
        summary="Screenings, newest first, by outcome and date (inclusive), paginated",
        tags=["committee"],
        security=doc.COMMITTEE_JWT,
        responses={
            200: doc.json(ScreeningPage, "One page"),
            400: doc.error("Cursor malformed or from another query"),
            422: doc.error("Invalid query parameter, one entry per parameter"),
            **doc.COMMITTEE,
            **doc.INTERNAL,
        },
    )
    def list_screenings(
        outcome: Annotated[Outcome | None, Query()] = None,
        date_from: DateFrom = None,
        date_to: DateTo = None,
        limit: Annotated[int, Query(ge=1, le=100)] = 25,
        cursor: Annotated[str | None, Query(max_length=2048)] = None,
    ) -> ScreeningPage:
        range_checked(date_from, date_to)
        return services.store.list(Listing(outcome, date_from, date_to, limit), cursor)

    return router


def build(services: CommitteeServices) -> Entry:
    return Entry(
        make_resolver(router(services)),
        partial(require_committee, group=services.settings.committee_group),
    )


def init() -> None:
    """Container init: services from the environment, the function's entry. (The local server
    calls it again once the environment is set.)"""
    global SERVICES, ENTRY
    SERVICES = CommitteeServices(Settings.from_env())
    ENTRY = build(SERVICES)


SERVICES: CommitteeServices
ENTRY: Entry
init()


@request_logged
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return ENTRY(event, context)
