"""Helpers for the service tests: call the real handlers, read the replies."""

from __future__ import annotations

import importlib
import json
from dataclasses import dataclass
from typing import Any

from api.resolver import Entry
from api.routes import FUNCTIONS, route


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


def reply_of(raw: dict[str, Any]) -> Reply:
    body = raw.get("body") or ""
    headers = raw.get("headers") or {}
    if headers.get("Content-Type", "").startswith("text/html"):
        return Reply(raw["statusCode"], headers, body)
    return Reply(raw["statusCode"], headers, json.loads(body) if body else None)


def handler_module(route_key: str) -> Any:
    """The handler module template.yaml wires to a route."""
    module = FUNCTIONS[route(route_key).function][1].rpartition(".")[0]
    return importlib.import_module(module)


class Api:
    """Calls the handler of each route, as API Gateway does."""

    def call(self, event: dict[str, Any]) -> Reply:
        return reply_of(handler_module(event["routeKey"]).handler(event, FakeLambdaContext()))


def entry_reply(entry: Entry, event: dict[str, Any]) -> Reply:
    return reply_of(entry(event, FakeLambdaContext()))


def items(
    client: Any, prefix: str = "rev#", table: str = "test-screenings"
) -> list[dict[str, Any]]:
    """The table's items under ``prefix``, compressed documents opened to text (so a search for
    personal data sees everything stored)."""
    from api.store.documents import read_text

    pages = client.get_paginator("scan").paginate(TableName=table)
    return [
        {k: {"S": read_text(v)} if "B" in v else v for k, v in i.items()}
        for page in pages
        for i in page["Items"]
        if i["sk"]["S"].startswith(prefix)
    ]
