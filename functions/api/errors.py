"""The one error body every route returns, and the exceptions that produce it.

Shape (documented in docs/service.md and in the OpenAPI document)::

    {"error": {"status": 422, "code": "invalid_application",
               "message": "2 invalid field(s)",
               "fields": [{"field": "applicant.organisation_number", "message": "..."}],
               "correlation_id": "..."}}

Messages never repeat a submitted value (a value may be personal data).
"""

from __future__ import annotations

import json
from http import HTTPStatus
from typing import Any

from pydantic import BaseModel, Field

from screening.models.personal_number import contains_personal_number
from screening.validation import FieldError

CONTENT_TYPE = "application/json"


class ErrorField(BaseModel):
    field: str = Field(description="Dotted path of the bad field, e.g. project.districts.2")
    message: str


class ErrorDetail(BaseModel):
    status: int = Field(description="The HTTP status, repeated")
    code: str = Field(description="Stable machine-readable code, e.g. invalid_application")
    message: str = Field(description="What went wrong, for a person")
    fields: list[ErrorField] = Field(default_factory=list)
    correlation_id: str | None = Field(default=None, description="Quote it when reporting")


class ErrorBody(BaseModel):
    error: ErrorDetail


class ApiError(Exception):
    """Raised anywhere in a request; the resolver turns it into the error body."""

    def __init__(
        self,
        status: HTTPStatus,
        code: str,
        message: str,
        fields: list[FieldError] | None = None,
        retry_after: int | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.fields = fields or []
        self.retry_after = retry_after  # seconds, for 409/429/503 a client may retry

    def headers(self) -> dict[str, str]:
        headers = {"Content-Type": CONTENT_TYPE}
        if self.retry_after is not None:
            headers["Retry-After"] = str(self.retry_after)
        return headers

    def body(self, correlation_id: str | None) -> dict[str, Any]:
        detail = ErrorDetail(
            status=int(self.status),
            code=self.code,
            message=self.message,
            fields=[ErrorField(field=f.field, message=f.message) for f in self.fields],
            correlation_id=correlation_id,
        )
        return ErrorBody(error=detail).model_dump(mode="json")

    def proxy_response(self, correlation_id: str | None) -> dict[str, Any]:
        """A complete API Gateway v2 response, for errors raised before routing (413)."""
        return {
            "statusCode": int(self.status),
            "headers": self.headers(),
            "body": json.dumps(self.body(correlation_id), separators=(",", ":")),
            "isBase64Encoded": False,
        }


def malformed_json(why: str = "the body is not valid JSON") -> ApiError:
    return ApiError(HTTPStatus.BAD_REQUEST, "malformed_json", why)


def unsupported_media_type() -> ApiError:
    return ApiError(
        HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
        "send the body as JSON (Content-Type: application/json)",
    )


def payload_too_large(limit: int) -> ApiError:
    return ApiError(
        HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
        "payload_too_large",
        f"the body is larger than {limit // 1024} KB",
    )


def too_large_to_store() -> ApiError:
    return ApiError(
        HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
        "too_large_to_store",
        "the application with its verdict is too large to store; shorten the longest answers",
    )


def invalid_application(fields: list[FieldError]) -> ApiError:
    return ApiError(
        HTTPStatus.UNPROCESSABLE_ENTITY,
        "invalid_application",
        f"{len(fields)} invalid field(s)",
        fields,
    )


def invalid_decision(fields: list[FieldError]) -> ApiError:
    return ApiError(
        HTTPStatus.UNPROCESSABLE_ENTITY,
        "invalid_decision",
        f"{len(fields)} invalid field(s)",
        fields,
    )


def not_found_revision(application_id: str, revision: int) -> ApiError:
    return ApiError(
        HTTPStatus.NOT_FOUND,
        "not_found",
        f"no screening revision {revision} of application {_named(application_id)}",
    )


def invalid_request(message: str, fields: list[FieldError] | None = None) -> ApiError:
    return ApiError(HTTPStatus.UNPROCESSABLE_ENTITY, "invalid_request", message, fields)


def bad_cursor() -> ApiError:
    return ApiError(
        HTTPStatus.BAD_REQUEST,
        "invalid_cursor",
        "the cursor is malformed or belongs to another query; start again without it",
    )


def not_a_granted_loan(application_id: str) -> ApiError:
    return ApiError(
        HTTPStatus.NOT_FOUND,
        "not_found",
        f"application {_named(application_id)} is not a loan the committee has granted",
    )


def stored_under_older_contract(application_id: str) -> ApiError:
    # Not the client's mistake, and not a fault: the item is kept as it was stored. What helps
    # is a new revision under the current contract, and a decision on that revision.
    return ApiError(
        HTTPStatus.CONFLICT,
        "stored_under_older_contract",
        f"the application {_named(application_id)} was stored under an earlier contract and "
        "cannot be read as the current one; the applicant resubmits it under the current "
        "contract (a new revision), and the committee decides on that revision",
    )


def report_revisions_exhausted(limit: int) -> ApiError:
    return ApiError(
        HTTPStatus.CONFLICT,
        "too_many_report_revisions",
        f"at most {limit} versions of one year's effect report are stored; contact the lender",
    )


def invalid_report(fields: list[FieldError]) -> ApiError:
    return ApiError(
        HTTPStatus.UNPROCESSABLE_ENTITY, "invalid_report", f"{len(fields)} invalid field(s)", fields
    )


def _named(application_id: str) -> str:
    # A stored id is the portal's own reference (the contract refuses a personal identity number
    # as an id), so it may be named; an id in a URL has not been through the contract.
    return "(withheld)" if contains_personal_number(application_id) else application_id


def not_found(application_id: str) -> ApiError:
    return ApiError(
        HTTPStatus.NOT_FOUND,
        "not_found",
        f"no screening of application {_named(application_id)}",
    )


def unauthorized(message: str) -> ApiError:
    return ApiError(HTTPStatus.UNAUTHORIZED, "unauthorized", message)


def forbidden(message: str) -> ApiError:
    return ApiError(HTTPStatus.FORBIDDEN, "forbidden", message)


def busy(retry_after: int = 2) -> ApiError:
    return ApiError(
        HTTPStatus.SERVICE_UNAVAILABLE,
        "busy",
        "other writes to this application are being stored right now; nothing was stored. "
        "Retry in a few seconds",
        retry_after=retry_after,
    )


def bound_to_another_applicant() -> ApiError:
    # Neither organisation number is named: the id is the portal's, the numbers are not ours
    # to reveal to another caller.
    return ApiError(
        HTTPStatus.CONFLICT,
        "application_id_taken",
        "this application_id belongs to another applicant's organisation number; use a new id",
    )


def too_many_revisions(limit: int, retry_after: int) -> ApiError:
    return ApiError(
        HTTPStatus.TOO_MANY_REQUESTS,
        "too_many_revisions",
        f"at most {limit} new revisions of one application a day; nothing was stored",
        retry_after=retry_after,
    )


def ruleset_unavailable() -> ApiError:
    return ApiError(
        HTTPStatus.SERVICE_UNAVAILABLE,
        "ruleset_unavailable",
        "the screening rules failed to load; nothing was screened or stored. "
        "The operators have been alerted (alarm RulesetUnavailable); retry later",
        retry_after=60,
    )


def internal_error() -> ApiError:
    return ApiError(HTTPStatus.INTERNAL_SERVER_ERROR, "internal_error", "internal error")
