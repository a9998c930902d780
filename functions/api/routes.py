"""The four routes. Each router belongs to one Lambda function (template.yaml); the local server
and the OpenAPI document combine them. Routes only adapt HTTP to the core and the store.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Body, Path, Query

from screening import Application, Outcome, Verdict

from . import errors
from .auth import principal_of
from .errors import CONTENT_TYPE, ErrorBody
from .http import Services
from .models import RuleCatalogue, RuleEntry, ScreeningHistory, ScreeningPage
from .store import Listing


def _error(description: str) -> dict[str, Any]:
    return {"description": description, "content": {CONTENT_TYPE: {"model": ErrorBody}}}


COMMON_ERRORS = {
    500: _error("Internal error (also: a response that failed validation)"),
    503: _error("The ruleset failed to load; nothing was screened or stored"),
}
PORTAL_IAM = [{"portalIam": []}]
COMMITTEE_JWT = [{"committeeJwt": []}]


def portal_router(services: Services) -> Router:
    router = Router()

    @router.post(
        "/screenings",
        summary="Screen an application (portal)",
        description=(
            "Validates, screens and stores the application; answers 201 with the verdict. "
            "A retry with identical content returns the same verdict and stores nothing; "
            "changed content under the same application_id is screened again and appended "
            "to the history."
        ),
        tags=["portal"],
        security=PORTAL_IAM,
        responses={
            201: {"description": "The verdict", "content": {CONTENT_TYPE: {"model": Verdict}}},
            400: _error("Malformed JSON"),
            401: _error("Not signed"),
            403: _error("Signed, but not by the portal"),
            409: _error("The same content is being screened right now"),
            413: _error("Body over 256 KB"),
            422: _error("Schema errors, one entry per field"),
            **COMMON_ERRORS,
        },
    )
    def submit(application: Annotated[Application, Body()]) -> Response[Verdict]:
        principal = principal_of(router.current_event.raw_event)
        stored = services.submitter.submit(application, principal.id if principal else "")
        return Response(
            status_code=201,
            content_type=CONTENT_TYPE,
            body=stored.verdict,
            headers={
                "Location": f"/screenings/{application.application_id}",
                "X-Screening-Revision": str(stored.revision),
            },
        )

    return router


def committee_router(services: Services) -> Router:
    router = Router()
    committee_errors = {
        401: _error("No committee sign-in"),
        403: _error("Signed in, but not in the committee group (or the portal's IAM role)"),
        **COMMON_ERRORS,
    }

    @router.get(
        "/screenings/<application_id>",
        summary="The latest verdict of an application and its earlier screenings",
        tags=["committee"],
        security=COMMITTEE_JWT,
        responses={
            200: {
                "description": "Latest and history",
                "content": {CONTENT_TYPE: {"model": ScreeningHistory}},
            },
            404: _error("No screening of that application"),
            **committee_errors,
        },
    )
    def get_screening(
        application_id: Annotated[str, Path(min_length=1, max_length=64)],
    ) -> ScreeningHistory:
        found = services.store.history(application_id)
        if not found:
            raise errors.not_found(application_id)
        return ScreeningHistory(application_id=application_id, latest=found[0], history=found[1:])

    @router.get(
        "/screenings",
        summary="Screenings, newest first, by outcome and date (inclusive), paginated",
        tags=["committee"],
        security=COMMITTEE_JWT,
        responses={
            200: {"description": "One page", "content": {CONTENT_TYPE: {"model": ScreeningPage}}},
            400: _error("Cursor malformed or from another query"),
            422: _error("Invalid query parameter, one entry per parameter"),
            **committee_errors,
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


def rules_router(services: Services) -> Router:
    router = Router()

    @router.get(
        "/rules",
        summary="The ruleset version and the catalogue of rules (what is checked)",
        tags=["committee", "portal"],
        responses={
            200: {
                "description": "The catalogue",
                "content": {CONTENT_TYPE: {"model": RuleCatalogue}},
            },
            **COMMON_ERRORS,
        },
    )
    def get_rules() -> RuleCatalogue:
        screener = services.ruleset.screener
        assert screener is not None  # the entry answers 503 before routing
        ruleset = screener.ruleset
        return RuleCatalogue(
            ruleset=ruleset.version,
            rules=[
                RuleEntry(
                    id=rule.id,
                    title=rule.spec.title,
                    requirement=rule.requirement,
                    severity=rule.spec.severity,
                    kind=rule.spec.kind.value,
                )
                for rule in ruleset.rules
            ],
        )

    return router
