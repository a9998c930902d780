"""Helpers for the service tests: call the real handlers, read the replies."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from api.http import Entry


@dataclass
class FakeLambdaContext:
    """The attributes Lambda's context object carries (a plain record, not a stub)."""

    function_name: str = "lsh-screening-test"
    function_version: str = "$LATEST"
    memory_limit_in_mb: int = 1024
    invoked_function_arn: str = "arn:aws:lambda:eu-north-1:123456789012:function:lsh-test"
    aws_request_id: str = "test-request"

    def get_remaining_time_in_millis(self) -> int:
        return 30_000


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: Any


class Api:
    def __init__(self, handlers: Any) -> None:
        self.handlers = handlers

    def call(self, event: dict[str, Any]) -> Reply:
        name = self.handlers.ROUTES[event["routeKey"]]
        raw = getattr(self.handlers, name)(event, FakeLambdaContext())
        body = raw.get("body") or ""
        headers = raw.get("headers") or {}
        if headers.get("Content-Type", "").startswith("text/html"):
            return Reply(raw["statusCode"], headers, body)
        return Reply(raw["statusCode"], headers, json.loads(body) if body else None)


def entry_reply(entry: Entry, event: dict[str, Any]) -> Reply:
    raw = entry(event, FakeLambdaContext())
    return Reply(raw["statusCode"], raw.get("headers") or {}, json.loads(raw["body"]))


def verdict_items(client: Any, table: str = "test-verdicts") -> list[dict[str, Any]]:
    return client.scan(TableName=table)["Items"]
