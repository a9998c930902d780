"""SubmitFunction: ``POST /screenings`` — the portal submits an application, gets the verdict.

Container init (importing this module) loads the compiled ruleset and registers it with the
rule engine; no AWS client exists before the first request. Imports no report code and no
Jinja2.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router

from screening.models.application import Application
from screening.models.verdict import Verdict
from screening.screener import Screener

from . import aws, body, rulesets
from . import responses as doc
from .auth import principal_of, require_portal
from .errors import CONTENT_TYPE
from .observability import metrics, request_logged
from .resolver import Entry, make_resolver
from .settings import Settings
from .submission import Submitter


class SubmitServices:
    def __init__(self, settings: Settings, ruleset: rulesets.RulesetState, client: Any = None):
        self.settings = settings
        self.ruleset = ruleset
        self._client = client
        self._submitter: Submitter | None = None

    @property
    def submitter(self) -> Submitter:
        if self._submitter is None:
            state = self.ruleset
            store = aws.screening_store(self.settings, self._client)

            def in_force(application: Application) -> Screener:
                screener = state.screener_for(application.submitted_at.date())
                assert screener is not None  # the entry answers 503 before routing
                return screener

            self._submitter = Submitter(
                in_force,
                lambda: store,
                revisions_per_day=self.settings.revisions_per_day,
                deadline_ms=self.settings.append_deadline_ms,
                shadow=state.shadow,
            )
        return self._submitter


def router(services: SubmitServices) -> Router:
    router = Router()

    # The application is read from the event by api.body, not declared as a Body() parameter:
    # Powertools formats every route argument into a debug message on each request, debug on or
    # off, and its body validation takes the first element of a JSON array. The OpenAPI
    # document gets the request schema from the route table (api.routes).
    @router.post(
        "/screenings",
        summary="Screen an application (portal)",
        description=(
            "Validates, screens and stores the application; answers 201 with the verdict. "
            "Content already stored under this application_id (a retry, or a return to an "
            "earlier version) answers 200 with the stored verdict and stores nothing. Changed "
            "content is screened and appended as the next revision."
        ),
        tags=["portal"],
        security=doc.PORTAL_IAM,
        responses={
            200: doc.json(Verdict, "This content was stored before: its verdict, unchanged"),
            201: doc.json(Verdict, "The verdict of a new revision"),
            400: doc.error("Malformed JSON, not UTF-8, invalid base64, or an empty body"),
            409: doc.error("The application_id belongs to another organisation number"),
            413: doc.error("Body over 256 KB, or too large to store with its verdict"),
            415: doc.error("Not JSON (Content-Type)"),
            422: doc.error("Schema errors, one entry per field"),
            429: doc.error("Too many new revisions of this application today (Retry-After)"),
            **doc.PORTAL,
            **doc.INTERNAL,
            503: doc.error(
                "The ruleset failed to load, or the revision could not be stored in time "
                "(Retry-After); nothing was stored"
            ),
        },
    )
    def submit() -> Response[str]:
        event = router.current_event.raw_event
        application: Application = body.parse(Application, event)
        principal = principal_of(event)
        result = services.submitter.submit(application, principal.id if principal else "")
        # The verdict as stored is the body: validated once when screened, serialised once
        # (the 201 and 200 responses document the Verdict model).
        return Response(
            status_code=200 if result.replay else 201,
            content_type=CONTENT_TYPE,
            body=result.verdict_json,
            headers={
                "Location": f"/screenings/{application.application_id}",
                "X-Screening-Revision": str(result.revision),
                "X-Screening-Replay": "true" if result.replay else "false",
            },
        )

    return router


def build(services: SubmitServices) -> Entry:
    return Entry(
        make_resolver(router(services)),
        partial(require_portal, roles=services.settings.portal_roles),
        lambda: services.ruleset.ready,
    )


def init() -> None:
    """Container init: services from the environment, the function's entry. (The local server
    calls it again once the environment is set.)"""
    global SERVICES, ENTRY
    SERVICES = SubmitServices(Settings.from_env(), rulesets.load(engine=True))
    ENTRY = build(SERVICES)


SERVICES: SubmitServices
ENTRY: Entry
init()


@metrics.log_metrics
@request_logged
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return ENTRY(event, context)
