"""The handlers end to end inside moto: statuses, the error shape, idempotency, history."""

from __future__ import annotations

import json
from typing import Any

from api.events import get_event, jwt_context, list_event, rules_event, submit_event
from service_support import Api, verdict_items


def test_submit_returns_201_with_the_verdict(api: Api, base_document: dict[str, Any], aws: Any) -> None:
    reply = api.call(submit_event(json.dumps(base_document)))
    assert reply.status == 201, reply.body
    assert reply.body["application_id"] == base_document["application_id"]
    assert reply.body["outcome"] in {"eligible", "needs_review", "ineligible"}
    assert reply.headers["Location"] == f"/screenings/{base_document['application_id']}"
    assert len(verdict_items(aws)) == 1
