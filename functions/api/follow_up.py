"""FollowUpFunction: the yearly effect reports of granted loans.

``POST /effect-reports`` (the portal, IAM): validate → check against the approved goals →
store → 201 with the follow-up verdict; the same report again → 200, stored once.
``GET /loans/{application_id}/follow-up`` (the committee): every year's report and verdict.

Container init loads the follow-up ruleset (``rules/follow-up``) and registers it with the rule
engine. Imports no screening rules, no report code and no Jinja2.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Query

from screening.models.effect_report import EffectReport
from screening.models.follow_up import FollowUpVerdict

from . import aws, body, errors, rulesets
from . import responses as doc
from .auth import require_committee, require_portal
from .effect_reports import LoanFollowUp, Reporter
from .errors import CONTENT_TYPE
from .observability import metrics, request_logged
from .params import ApplicationIdPath, IsoDate
from .resolver import Entry, make_resolver
from .routes import route
from .settings import Settings
from .store.decisions import DecisionStore
from .store.follow_ups import FollowUpStore


class FollowUpServices:
    def __init__(
        self,
        settings: Settings,
        state: rulesets.FollowUpState,
        client: Any = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.settings = settings
        self.state = state
        self._client = client
        self.clock = clock  # the demo and the tests run as of a later day

    @property
    def reporter(self) -> Reporter:
        assert self.state.checker is not None  # the entry answers 503 before routing
        screenings = aws.screening_store(self.settings, self._client)
        table = self.settings.verdict_table
        return Reporter(
            self.state.checker,
            screenings,
            DecisionStore(screenings.client, table),
            FollowUpStore(screenings.client, table),
            deadline_ms=self.settings.append_deadline_ms,
            clock=self.clock,
        )


def router(services: FollowUpServices) -> Router:
    router = Router()

    # The report is read by api.body (see api.submit for why it is not a Body() parameter).
    @router.post(
        "/effect-reports",
        summary="Check and store a granted loan's yearly effect report (portal)",
        description=(
            "Validates the report, checks it against the effect goals the committee approved "
            "and stores it; answers 201 with the follow-up verdict. The same report again "
            "answers 200 with the stored verdict and stores nothing; a changed report for the "
            "same year is appended as the year's next revision. A text holding a personal "
            "identity number is refused (422)."
        ),
        tags=["portal"],
        security=doc.PORTAL_IAM,
        responses={
            200: doc.json(FollowUpVerdict, "This report was stored before: its verdict"),
            201: doc.json(FollowUpVerdict, "The follow-up verdict of the report"),
            400: doc.error("Malformed JSON, not UTF-8, invalid base64, or an empty body"),
            404: doc.error("The application is not a loan the committee has granted"),
            409: doc.error(
                "The year's report has been corrected too often, or the loan's application was "
                "stored under an earlier contract"
            ),
            413: doc.error("Body over 256 KB, or too large to store with its verdict"),
            415: doc.error("Not JSON (Content-Type)"),
            422: doc.error("Schema errors, one entry per field (also: a personnummer)"),
            **doc.PORTAL,
            **doc.INTERNAL,
            503: doc.error("The follow-up rules failed to load, or the store was busy"),
        },
    )
    def post_effect_report() -> Response[FollowUpVerdict]:
        event = router.current_event.raw_event
        report: EffectReport = body.parse(EffectReport, event, errors.invalid_report)
        received = services.reporter.receive(report)
        stored = received.stored
        return Response(
            status_code=200 if received.replay else 201,
            content_type=CONTENT_TYPE,
            body=stored.follow_up,
            headers={
                "Location": f"/loans/{report.application_id}/follow-up",
                "X-Report-Revision": str(stored.revision),
                "X-Report-Replay": "true" if received.replay else "false",
            },
        )

    @router.get(
        "/loans/<application_id>/follow-up",
        summary="A granted loan's follow-up: every year's effect report and verdict",
        tags=["committee"],
        security=doc.COMMITTEE_JWT,
        responses={
            200: doc.json(LoanFollowUp, "The loan's reporting years, oldest first"),
            404: doc.error("The application is not a loan the committee has granted"),
            409: doc.error("The loan's application was stored under an earlier contract"),
            422: doc.error("Invalid application id or date"),
            **doc.COMMITTEE,
            **doc.INTERNAL,
            503: doc.error("The follow-up rules failed to load"),
        },
    )
    def get_follow_up(
        application_id: ApplicationIdPath,
        on: Annotated[
            IsoDate | None,
            Query(description="YYYY-MM-DD: which years are due or overdue on that day (today)"),
        ] = None,
    ) -> LoanFollowUp:
        return services.reporter.follow_up(application_id, on)

    return router


def guard(services: FollowUpServices, event: dict[str, Any]) -> object:
    """Who may call depends on the route: the portal reports, the committee reads."""
    try:
        auth = route(str(event.get("routeKey", ""))).auth
    except StopIteration:
        return None  # no such route: the resolver answers 404
    settings = services.settings
    if auth == "portal":
        return require_portal(event, settings.portal_roles)
    return require_committee(event, settings.committee_group)


def build(services: FollowUpServices) -> Entry:
    return Entry(
        make_resolver(router(services)),
        lambda event: guard(services, event),
        lambda: services.state.ready,
    )


def init() -> None:
    """Container init: services from the environment, the function's entry. (The local server
    calls it again once the environment is set.)"""
    global SERVICES, ENTRY
    SERVICES = FollowUpServices(Settings.from_env(), rulesets.load_follow_up())
    ENTRY = build(SERVICES)


SERVICES: FollowUpServices
ENTRY: Entry
init()


@metrics.log_metrics
@request_logged
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return ENTRY(event, context)
