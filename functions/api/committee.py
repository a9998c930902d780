"""CommitteeFunction: the committee reads verdicts — one application's, or a listing.

Reads the table only: it loads no ruleset, no rule engine and no report code.
"""

from __future__ import annotations

from datetime import date
from functools import partial
from typing import Annotated, Any

from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Path, Query
from aws_lambda_powertools.logging import correlation_paths

from screening.models.verdict import Outcome

from . import aws, errors
from . import responses as doc
from .auth import require_committee
from .models import ScreeningHistory, ScreeningPage
from .observability import logger
from .resolver import Entry, make_resolver
from .settings import Settings
from .store.screenings import Listing, ScreeningStore

ApplicationIdPath = Annotated[
    str, Path(min_length=3, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{2,63}$")
]


class CommitteeServices:
    def __init__(self, settings: Settings, client: Any = None) -> None:
        self.settings = settings
        self._client = client

    @property
    def store(self) -> ScreeningStore:
        return aws.screening_store(self.settings, self._client)


def history_of(store: ScreeningStore, application_id: str) -> ScreeningHistory:
    current, found = store.history(application_id)
    if current is None or not found:
        raise errors.not_found(application_id)
    latest = next((s for s in found if s.revision == current), None)
    latest = latest or store.screening(application_id, current) or found[0]
    return ScreeningHistory(application_id=application_id, latest=latest, history=found)


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
            422: doc.error("The application id is not a valid id"),
            **doc.COMMITTEE,
            **doc.INTERNAL,
        },
    )
    def get_screening(application_id: ApplicationIdPath) -> ScreeningHistory:
        return history_of(services.store, application_id)

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
        date_from: Annotated[
            date | None, Query(alias="from", description="YYYY-MM-DD, UTC")
        ] = None,
        date_to: Annotated[
            date | None, Query(alias="to", description="YYYY-MM-DD, inclusive")
        ] = None,
        limit: Annotated[int, Query(ge=1, le=100)] = 25,
        cursor: Annotated[str | None, Query(max_length=2048)] = None,
    ) -> ScreeningPage:
        if date_from and date_to and date_from > date_to:
            raise errors.invalid_request(
                "'from' is after 'to'", [errors.FieldError("from", "must not be after 'to'")]
            )
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


@logger.inject_lambda_context(
    correlation_id_path=correlation_paths.API_GATEWAY_HTTP, log_event=False, clear_state=True
)
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return ENTRY(event, context)
