"""Reading a request body: what the client sent, or a 4xx that says why not — never a 5xx.

Checked in this order, before any model sees the body: size (413), media type (415: JSON in any
letter case, with or without parameters; a missing Content-Type is read as JSON), base64 (400),
UTF-8 (400; a declared charset other than UTF-8 is 415: JSON is UTF-8). Parsing happens in
pydantic's JSON parser, which refuses nesting deeper than it can handle and numbers it cannot
represent as invalid JSON (400); NaN and Infinity as a field that must be a finite number, and
a body that is not a JSON object, as schema errors (422). Nothing here echoes the body.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel, ValidationError

from screening.validation import BODY, FieldError, field_errors

from . import errors
from .settings import MAX_BODY_BYTES

_JSON_TYPES = ("application/json",)


def _header(event: dict[str, Any], name: str) -> str | None:
    for key, value in (event.get("headers") or {}).items():
        if key.lower() == name:
            return str(value)
    return None


def media_type_is_json(value: str | None) -> bool:
    if value is None or not value.strip():
        return True  # no declared type: read it as JSON, the only type this API takes
    media, _, parameters = value.partition(";")
    media = media.strip().lower()
    for parameter in parameters.split(";"):
        name, _, given = parameter.partition("=")
        if name.strip().lower() == "charset" and given.strip().strip('"').lower() not in (
            "utf-8",
            "utf8",
        ):
            return False  # JSON is UTF-8 (RFC 8259); another charset would be misread
    return media in _JSON_TYPES or (media.startswith("application/") and media.endswith("+json"))


def raw_size(event: dict[str, Any]) -> int:
    """The body's size in bytes as sent (base64 counted decoded, roughly)."""
    body = event.get("body") or ""
    if event.get("isBase64Encoded"):
        return len(body) * 3 // 4
    return len(body.encode("utf-8", errors="surrogatepass"))


def json_text(event: dict[str, Any]) -> str:
    """The body as text, checked for size, media type and encoding."""
    if raw_size(event) > MAX_BODY_BYTES:
        raise errors.payload_too_large(MAX_BODY_BYTES)
    if not media_type_is_json(_header(event, "content-type")):
        raise errors.unsupported_media_type()
    body = event.get("body")
    if body is None or body == "":
        raise errors.malformed_json("the body is empty; send the application as JSON")
    if event.get("isBase64Encoded"):
        try:
            raw = base64.b64decode(body, validate=True)
        except (binascii.Error, ValueError):
            raise errors.malformed_json("the body is not valid base64") from None
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            raise errors.malformed_json("the body is not UTF-8") from None
    try:
        body.encode("utf-8")  # lone surrogates cannot be UTF-8
    except UnicodeEncodeError:
        raise errors.malformed_json("the body is not UTF-8") from None
    return str(body)


def parse(
    model: type[BaseModel],
    event: dict[str, Any],
    invalid: Callable[[list[FieldError]], errors.ApiError] = errors.invalid_application,
) -> Any:
    """The body validated as ``model``: 400 unreadable JSON, 422 each field that is wrong."""
    text = json_text(event)
    try:
        return model.model_validate_json(text)
    except ValidationError as error:
        fields = field_errors(error)
        if any(f.field == BODY and f.message == "is not valid JSON" for f in fields):
            raise errors.malformed_json() from None
        raise invalid(fields) from None
