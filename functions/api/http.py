"""The resolver every Lambda shares: validation on, one error shape, guards before routing.

Order for a request: ruleset loaded? (else 503) → body ≤ 256 KB? (else 413) → caller allowed on
this function? (else 401/403) → Powertools validates the request (malformed JSON 400, schema
422) → the route → Powertools validates the response (an invalid response is 500, never 422).
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from functools import cached_property
from http import HTTPStatus
from typing import Any

import boto3
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.exceptions import (
    RequestValidationError,
    ResponseValidationError,
)
from aws_lambda_powertools.utilities.idempotency.exceptions import (
    IdempotencyAlreadyInProgressError,
)
from pydantic import ValidationError

from screening import FieldError

from . import errors
from .errors import CONTENT_TYPE, ApiError
from .observability import logger
from .runtime import RulesetState
from .settings import MAX_BODY_BYTES, Settings
from .store import VerdictStore
from .submission import Submitter

_MESSAGES = {"missing": "is required", "extra_forbidden": "unknown field; remove it"}


class Services:
    """What the routes need, built lazily (no AWS client exists before the first request)."""

    def __init__(self, settings: Settings, ruleset: RulesetState) -> None:
        self.settings = settings
        self.ruleset = ruleset

    @cached_property
    def dynamodb(self) -> Any:
        return boto3.client("dynamodb")

    @cached_property
    def store(self) -> VerdictStore:
        return VerdictStore(self.dynamodb, self.settings.verdict_table)

    @cached_property
    def submitter(self) -> Submitter:
        assert self.ruleset.screener is not None  # the entry answers 503 before routing
        return Submitter(
            self.ruleset.screener,
            lambda: self.store,
            lambda: self.dynamodb,
            self.settings.idempotency_table,
            self.settings.idempotency_ttl_seconds,
        )


def _error_response(error: ApiError) -> Response:
    return Response(
        status_code=int(error.status),
        content_type=CONTENT_TYPE,
        body=error.body(logger.get_correlation_id()),
    )


def field_errors(details: list[dict[str, Any]]) -> list[FieldError]:
    """Powertools/pydantic error details → field errors; inputs are never included."""
    out = []
    for detail in details:
        loc = [str(step) for step in detail.get("loc", ())]
        if loc and loc[0] == "body":
            path = ".".join(loc[1:]) or "(body)"
        else:
            path = ".".join(loc[1:]) if len(loc) > 1 else ".".join(loc)
        message = _MESSAGES.get(detail.get("type", "")) or str(detail.get("msg", "invalid"))
        out.append(FieldError(path, message.removeprefix("Value error, ")))
    return out


def make_resolver(*routers: Router) -> APIGatewayHttpResolver:
    app = APIGatewayHttpResolver(
        enable_validation=True,
        response_validation_error_http_code=HTTPStatus.INTERNAL_SERVER_ERROR,
    )
    for router in routers:
        app.include_router(router)

    @app.exception_handler(ApiError)
    def _api_error(error: ApiError) -> Response:
        logger.info("request refused", extra={"status": int(error.status), "code": error.code})
        return _error_response(error)

    @app.exception_handler(RequestValidationError)
    def _request_invalid(error: RequestValidationError) -> Response:
        details = list(error.errors())
        if any(d.get("type") == "json_invalid" for d in details):
            return _error_response(errors.malformed_json())
        fields = field_errors(details)
        if any(d.get("loc", ("",))[0] == "body" for d in details):
            return _error_response(errors.invalid_application(fields))
        return _error_response(
            errors.invalid_request(f"{len(fields)} invalid parameter(s)", fields)
        )

    @app.exception_handler(ResponseValidationError)
    def _response_invalid(error: ResponseValidationError) -> Response:
        kinds = sorted({str(d.get("type")) for d in error.errors()})
        logger.error("response failed validation", extra={"error_types": kinds})
        return _error_response(errors.internal_error())

    @app.exception_handler(IdempotencyAlreadyInProgressError)
    def _in_progress(_: IdempotencyAlreadyInProgressError) -> Response:
        return _error_response(errors.in_progress())

    @app.exception_handler(Exception)
    def _unexpected(error: Exception) -> Response:
        if isinstance(error, ValidationError):  # its text quotes input values: never log it
            logger.error("unexpected validation error", extra={"error_type": "ValidationError"})
        else:
            logger.exception("unexpected error", extra={"error_type": type(error).__name__})
        return _error_response(errors.internal_error())

    @app.not_found
    def _no_route(_: Exception) -> Response:
        return _error_response(ApiError(HTTPStatus.NOT_FOUND, "no_route", "no such route"))

    return app


def body_size(event: dict[str, Any]) -> int:
    body = event.get("body") or ""
    if event.get("isBase64Encoded"):
        try:
            return len(base64.b64decode(body))
        except (binascii.Error, ValueError):
            return len(body)
    return len(body.encode("utf-8"))


Guard = Callable[[dict[str, Any]], None]


class Entry:
    """One Lambda function: its guards, then its resolver."""

    def __init__(
        self,
        services: Services,
        resolver: APIGatewayHttpResolver,
        guard: Guard,
        uses_idempotency: bool = False,
    ) -> None:
        self.services = services
        self.resolver = resolver
        self.guard = guard
        self.uses_idempotency = uses_idempotency

    def __call__(self, event: dict[str, Any], context: Any) -> dict[str, Any]:
        try:
            if not self.services.ruleset.ready:
                raise errors.ruleset_unavailable()
            if body_size(event) > MAX_BODY_BYTES:
                raise errors.payload_too_large(MAX_BODY_BYTES)
            self.guard(event)
        except ApiError as error:
            logger.warning(
                "request refused", extra={"status": int(error.status), "code": error.code}
            )
            return error.proxy_response(logger.get_correlation_id())
        if self.uses_idempotency:  # lets idempotency expire a record when the Lambda times out
            self.services.submitter.config.register_lambda_context(context)
        return self.resolver.resolve(event, context)
