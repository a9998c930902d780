"""Opaque pagination cursors: DynamoDB's LastEvaluatedKey plus a fingerprint of the query.

A cursor is only valid for the query that produced it; anything else is ``invalid_cursor``.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from typing import Any

from ..errors import bad_cursor

__all__ = ["bad_cursor", "decode", "encode", "fingerprint"]


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
    if (
        not isinstance(key, dict)
        or not key
        or not all(
            isinstance(v, dict) and len(v) == 1 and next(iter(v)) in ("S", "N")
            for v in key.values()
        )
    ):
        raise bad_cursor()
    return key
