"""The resolver every Lambda function shares: validation on, one error shape, guards first.

Order for a request: caller allowed on this function? (401/403) → the function's own readiness
(the ruleset loaded, else 503) → Powertools routes and validates query and path parameters (422)
→ the route (bodies are read by ``api.body``: 400/413/415/422) → Powertools validates the
response against the route's model (an invalid response is a 500, never a 4xx).
"""

from __future__ import annotations

from collections.abc import Callable
from http import HTTPStatus
from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.exceptions import (
    RequestValidationError,
    ResponseValidationError,
)
from pydantic import ValidationError

from screening.validation import FieldError

from . import errors
from .errors import CONTENT_TYPE, ApiError
from .observability import count, logger
from .store.older_contract import StoredUnderOlderContract

_MESSAGES = {"missing": "is required", "extra_forbidden": "unknown parameter; remove it"}


def _error_response(error: ApiError) -> Response[Any]:
    return Response(
        status_code=int(error.status),
        content_type=CONTENT_TYPE,
        body=error.body(logger.get_correlation_id()),
        headers={k: v for k, v in error.headers().items() if k != "Content-Type"},
    )


def parameter_errors(details: list[dict[str, Any]]) -> list[FieldError]:
    """Powertools' errors on query and path parameters → field errors, never their values."""
    out = []
    for detail in details:
        loc = [str(step) for step in detail.get("loc", ())]
        path = ".".join(loc[1:]) if len(loc) > 1 else ".".join(loc)
        message = _MESSAGES.get(detail.get("type", "")) or str(detail.get("msg", "invalid"))
        out.append(FieldError(path or "(request)", message.removeprefix("Value error, ")))
    return out


def make_resolver(*routers: Router) -> APIGatewayHttpResolver:
    app = APIGatewayHttpResolver(
        enable_validation=True,
        response_validation_error_http_code=HTTPStatus.INTERNAL_SERVER_ERROR,
    )
    for router in routers:
        app.include_router(router)

    @app.exception_handler(ApiError)  # type: ignore[untyped-decorator]
    def _api_error(error: ApiError) -> Response[Any]:
        logger.info("request refused", extra={"status": int(error.status), "code": error.code})
        return _error_response(error)

    @app.exception_handler(StoredUnderOlderContract)  # type: ignore[untyped-decorator]
    def _older_contract(error: StoredUnderOlderContract) -> Response[Any]:
        count("StoredUnderOlderContract")
        logger.warning("stored under an older contract", extra={"revision": error.revision})
        return _error_response(errors.stored_under_older_contract(error.application_id))

    @app.exception_handler(RequestValidationError)  # type: ignore[untyped-decorator]
    def _request_invalid(error: RequestValidationError) -> Response[Any]:
        fields = parameter_errors(list(error.errors()))
        return _error_response(
            errors.invalid_request(f"{len(fields)} invalid parameter(s)", fields)
        )

    @app.exception_handler(ResponseValidationError)  # type: ignore[untyped-decorator]
    def _response_invalid(error: ResponseValidationError) -> Response[Any]:
        kinds = sorted({str(d.get("type")) for d in error.errors()})
        logger.error("response failed validation", extra={"error_types": kinds})
        return _error_response(errors.internal_error())

    @app.exception_handler(Exception)  # type: ignore[untyped-decorator]
    def _unexpected(error: Exception) -> Response[Any]:
        if isinstance(error, ValidationError):  # its text quotes input values: never log it
            logger.error("unexpected validation error", extra={"error_type": "ValidationError"})
        else:
            logger.exception("unexpected error", extra={"error_type": type(error).__name__})
        return _error_response(errors.internal_error())

    @app.not_found
    def _no_route(_: Exception) -> Response[Any]:
        return _error_response(ApiError(HTTPStatus.NOT_FOUND, "no_route", "no such route"))

    return app


Guard = Callable[[dict[str, Any]], object]
Ready = Callable[[], bool]


class Entry:
    """One Lambda function: who may call it, whether it can serve, then its resolver."""

    def __init__(
        self,
        resolver: APIGatewayHttpResolver,
        guard: Guard,
        ready: Ready = lambda: True,
    ) -> None:
        self.resolver = resolver
        self.guard = guard
        self.ready = ready

    def __call__(self, event: dict[str, Any], context: Any) -> dict[str, Any]:
        try:
            self.guard(event)
            if not self.ready():
                count("RulesetUnavailable")
                raise errors.ruleset_unavailable()
        except ApiError as error:
            logger.warning(
                "request refused", extra={"status": int(error.status), "code": error.code}
            )
            return error.proxy_response(logger.get_correlation_id())
        return self.resolver.resolve(event, context)
