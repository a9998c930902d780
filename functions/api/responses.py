"""OpenAPI response documentation shared by the routes: every status a route can return."""

from __future__ import annotations

from typing import Any

from .errors import CONTENT_TYPE, ErrorBody


def error(description: str) -> dict[str, Any]:
    return {"description": description, "content": {CONTENT_TYPE: {"model": ErrorBody}}}


def json(model: type, description: str) -> dict[str, Any]:
    return {"description": description, "content": {CONTENT_TYPE: {"model": model}}}


INTERNAL = {500: error("Internal error (also: a response that failed validation)")}
RULESET = {503: error("The ruleset failed to load; nothing was screened or stored (Retry-After)")}
PORTAL = {
    401: error("Not signed (SigV4)"),
    403: error("Signed, but not by the portal's role"),
}
COMMITTEE = {
    401: error("No committee sign-in, or not an access token"),
    403: error("Signed in, but not in the committee group (or the portal's IAM role)"),
}
PORTAL_IAM: list[dict[str, list[str]]] = [{"portalIam": []}]
COMMITTEE_JWT: list[dict[str, list[str]]] = [{"committeeJwt": []}]
