"""Opaque pagination cursors: DynamoDB's LastEvaluatedKey plus a fingerprint of the query.

A cursor is only valid for the query that produced it; anything else is ``invalid_cursor``.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
from typing import Any

from ..errors import bad_cursor

__all__ = ["bad_cursor", "decode", "encode", "fingerprint"]

_NUMBER = re.compile(r"-?\d{1,38}(\.\d{1,38})?")


def fingerprint(*parts: object) -> str:
    return hashlib.sha256(json.dumps([str(p) for p in parts]).encode()).hexdigest()[:16]


def encode(last_key: dict[str, Any], query: str) -> str:
    raw = json.dumps({"k": last_key, "q": query}, separators=(",", ":"), sort_keys=True)
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode(cursor: str, query: str) -> dict[str, Any]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        payload = json.loads(base64.urlsafe_b64decode(padded.encode()).decode())
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise bad_cursor() from None
    if not isinstance(payload, dict) or payload.get("q") != query:
        raise bad_cursor()
    key = payload.get("k")
    if not isinstance(key, dict) or not 0 < len(key) <= 4 or not all(map(_key_value, key.values())):
        raise bad_cursor()
    return key


def _key_value(value: object) -> bool:
    """A key attribute as DynamoDB writes it: ``{"S": text}`` or ``{"N": number}``. Anything
    else (a tampered cursor) would reach botocore's parameter check and fail there."""
    if not isinstance(value, dict) or len(value) != 1:
        return False
    ((kind, text),) = value.items()
    if not isinstance(text, str) or not 0 < len(text) <= 2048:
        return False
    if kind == "S":
        return True
    return kind == "N" and _NUMBER.fullmatch(text) is not None
