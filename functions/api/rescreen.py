"""RescreenFunction: ``POST /screenings/{application_id}/rescreen`` — the committee screens a
stored application again, under the release in force now (or a named one), and appends the
result as the next revision. The application is never changed and no verdict is removed.

Loads the rule engine (it screens), like the submit function, but answers the committee.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import partial
from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Query

from screening.validation import ApplicationInvalid, FieldError, parse_application

from . import aws, errors, rulesets
from . import responses as doc
from .auth import require_committee
from .errors import CONTENT_TYPE
from .models import StoredScreening
from .observability import logger, request_logged
from .params import ApplicationIdPath
from .resolver import Entry, make_resolver
from .settings import Settings
from .store.screenings import RevisionTaken, ScreeningStore
from .submission import stored_form

RELEASE_PATTERN = r"^[0-9A-Za-z][0-9A-Za-z.\-]{0,31}$"  # as rules/VERSION writes a version


class RescreenServices:
    def __init__(
        self, settings: Settings, ruleset: rulesets.RulesetState, client: Any = None
    ) -> None:
        self.settings = settings
        self.ruleset = ruleset
        self._client = client

    @property
    def store(self) -> ScreeningStore:
        return aws.screening_store(self.settings, self._client)


def rescreen(
    services: RescreenServices, application_id: str, release: str | None, committee_member: str
) -> StoredScreening:
    store = services.store
    now = datetime.now(UTC)
    screener = services.ruleset.screener_for(now.date(), release)
    if screener is None:
        raise errors.invalid_request(
            "no such release is shipped",
            [FieldError("release", "is not a ruleset version this service ships")],
        )
    for _ in range(5):
        # What is current is read each time: if the portal submits a new content meanwhile,
        # that content is what the committee rescreens, never the one it replaced.
        current = store.current_revision(application_id)
        if current is None:
            raise errors.not_found(application_id)
        stored_json = store.application_json(application_id, current)
        if stored_json is None:
            raise errors.not_found_revision(application_id, current)
        try:
            application = parse_application(stored_json)
        except ApplicationInvalid:  # stored under an older contract: it cannot be screened again
            raise errors.stored_under_older_contract(application_id) from None
        verdict = screener.screen(application)
        application_json, sha = stored_form(application)
        head = store.lookup(application_id, sha).head
        if head is None or head.current_revision != current:
            continue  # moved since it was read
        try:
            return store.append(
                verdict,
                sha=sha,
                application_json=application_json,
                organisation_number=application.applicant.organisation_number,
                submitted_by=f"committee:{committee_member}",
                head=head,
                today=now.date().isoformat(),
                kind="rescreen",
            )
        except RevisionTaken:
            continue
    raise errors.busy()


def router(services: RescreenServices) -> Router:
    router = Router()

    @router.post(
        "/screenings/<application_id>/rescreen",
        summary="Screen the stored application again and append the result as a revision",
        tags=["committee"],
        security=doc.COMMITTEE_JWT,
        responses={
            201: doc.json(StoredScreening, "The new revision"),
            404: doc.error("No screening of that application"),
            409: doc.error("The stored application predates the current contract"),
            422: doc.error("No such release"),
            503: doc.error("The ruleset failed to load, or the revision could not be stored"),
            **doc.COMMITTEE,
            **doc.INTERNAL,
        },
    )
    def post_rescreen(
        application_id: ApplicationIdPath,
        release: Annotated[
            str | None,
            Query(
                pattern=r"^[0-9A-Za-z][0-9A-Za-z.\-]{0,31}$",
                description="A shipped ruleset version",
            ),
        ] = None,
    ) -> Response[StoredScreening]:
        claims = (router.current_event.raw_event.get("requestContext") or {}).get("authorizer")
        member = str(((claims or {}).get("jwt") or {}).get("claims", {}).get("sub", ""))
        stored = rescreen(services, application_id, release, member)
        logger.info(
            "rescreened",
            extra={"application_id": application_id, "revision": stored.revision},
        )
        return Response(
            status_code=201,
            content_type=CONTENT_TYPE,
            body=stored,
            headers={"X-Screening-Revision": str(stored.revision)},
        )

    return router


def build(services: RescreenServices) -> Entry:
    return Entry(
        make_resolver(router(services)),
        partial(require_committee, group=services.settings.committee_group),
        lambda: services.ruleset.ready,
    )


def init() -> None:
    """Container init. (The local server calls it again once the environment is set.)"""
    global SERVICES, ENTRY
    SERVICES = RescreenServices(Settings.from_env(), rulesets.load(engine=True))
    ENTRY = build(SERVICES)


SERVICES: RescreenServices
ENTRY: Entry
init()


@request_logged
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return ENTRY(event, context)
