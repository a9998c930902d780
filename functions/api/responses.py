"""OpenAPI response documentation shared by the routes: every status a route can return."""

from __future__ import annotations

from aws_lambda_powertools.event_handler.openapi.types import OpenAPIResponse

from .errors import CONTENT_TYPE, ErrorBody


def error(description: str) -> OpenAPIResponse:
    return {"description": description, "content": {CONTENT_TYPE: {"model": ErrorBody}}}


def json(model: type, description: str) -> OpenAPIResponse:
    return {"description": description, "content": {CONTENT_TYPE: {"model": model}}}


def html(description: str) -> OpenAPIResponse:
    return {"description": description, "content": {"text/html": {}}}


INTERNAL: dict[int, OpenAPIResponse] = {
    500: error("Internal error (also: a response that failed validation)")
}
RULESET: dict[int, OpenAPIResponse] = {
    503: error("The ruleset failed to load; nothing was screened or stored (Retry-After)")
}
PORTAL: dict[int, OpenAPIResponse] = {
    401: error("Not signed (SigV4)"),
    403: error("Signed, but not by the portal's role"),
}
COMMITTEE: dict[int, OpenAPIResponse] = {
    401: error("No committee sign-in, or not an access token"),
    403: error("Signed in, but not in the committee group (or the portal's IAM role)"),
}
PORTAL_IAM: list[dict[str, list[str]]] = [{"portalIam": []}]
COMMITTEE_JWT: list[dict[str, list[str]]] = [{"committeeJwt": []}]
