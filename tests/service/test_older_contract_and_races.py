"""Items stored under an earlier contract never cause a 500: a route about that application
answers 409, a route over many leaves it out; a rescreen that races a portal submit screens what
is current; agreement by round counts each application's decision of that round."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from service_support import Api
from workbench.local.events import (
    agreement_event,
    decision_event,
    get_event,
    report_event,
    rescreen_event,
    round_event,
    submit_event,
)

from api.store.documents import read_text
from api.store.screenings import ScreeningStore

TABLE = "test-screenings"


def submit(api: Api, document: dict[str, Any]) -> int:
    return api.call(submit_event(json.dumps(document, ensure_ascii=False))).status


def decide(api: Api, application_id: str, **decision: Any) -> int:
    body = {"screening_revision": 1, "motivation": "m", **decision}
    return api.call(decision_event(application_id, json.dumps(body))).status


def store_as_contract_1(aws: Any, application_id: str) -> None:
    """Rewrite revision 1 as contract 1.0 stored it: a value 2.0 dropped (investment_kind
    'infrastructure'), so neither the verdict nor the application reads as 2.0."""
    key = {"application_id": {"S": application_id}, "sk": {"S": "rev#000001"}}
    item = aws.get_item(TableName=TABLE, Key=key)["Item"]
    application = json.loads(read_text(item["application"]))
    verdict = json.loads(read_text(item["verdict"]))
    application["project"]["investment_kind"] = "infrastructure"
    verdict["application"]["investment_kind"] = "infrastructure"
    verdict["contract_version"] = "1.0"
    item["application"] = {"S": json.dumps(application, ensure_ascii=False)}
    item["verdict"] = {"S": json.dumps(verdict, ensure_ascii=False)}
    aws.put_item(TableName=TABLE, Item=item)


def test_an_application_stored_under_an_older_contract_is_409_alone_and_left_out_of_rounds(
    api: Api, base_document: dict, aws: Any
) -> None:
    other = copy.deepcopy(base_document)
    other["application_id"] = "lsh-2026-0999"
    assert submit(api, base_document) == 201 and submit(api, other) == 201
    old = base_document["application_id"]
    assert decide(api, old, decision="granted", decision_date="2026-11-20", round="2026-R3") == 201
    assert (
        decide(
            api,
            other["application_id"],
            decision="declined",
            decision_date="2026-11-20",
            round="2026-R3",
        )
        == 201
    )
    store_as_contract_1(aws, old)

    for event in (get_event(old), report_event(old), rescreen_event(old)):
        reply = api.call(event)
        assert reply.status == 409, (event["routeKey"], reply.status)
        assert reply.body["error"]["code"] == "stored_under_older_contract"
    again = decide(api, old, decision="declined", decision_date="2026-11-21", round="2026-R3")
    assert again == 409

    rounds = api.call(round_event({"from": "2026-01-01", "to": "2030-12-31"}))
    assert rounds.status == 200
    assert other["application_id"] in rounds.body and old not in rounds.body
    agreed = api.call(agreement_event({"round": "2026-R3"}))
    assert agreed.status == 200
    assert [a["application_id"] for a in agreed.body["applications"]] == [other["application_id"]]


def test_a_rescreen_racing_a_portal_submit_screens_the_new_content(
    api: Api, base_document: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert submit(api, base_document) == 201
    changed = copy.deepcopy(base_document)
    changed["project"]["title"] += " (ändrad)"
    real_append = ScreeningStore.append
    raced = []

    def append(self: ScreeningStore, verdict: Any, **kw: Any) -> Any:
        if kw.get("kind") == "rescreen" and not raced:
            raced.append(submit(api, changed))  # the portal submits between read and write
        return real_append(self, verdict, **kw)

    monkeypatch.setattr(ScreeningStore, "append", append)
    reply = api.call(rescreen_event(base_document["application_id"]))
    assert raced == [201] and reply.status == 201
    history = api.call(get_event(base_document["application_id"])).body
    assert [(s["revision"], s["kind"]) for s in history["history"]] == [
        (3, "rescreen"),
        (2, "submission"),
        (1, "submission"),
    ]
    assert history["latest"]["verdict"]["application"]["project_title"].endswith("(ändrad)")


def test_agreement_by_round_counts_the_decision_of_that_round(
    api: Api, base_document: dict
) -> None:
    assert submit(api, base_document) == 201
    application_id = base_document["application_id"]
    assert (
        decide(
            api, application_id, decision="returned", decision_date="2026-09-20", round="2026-R3"
        )
        == 201
    )
    assert (
        decide(api, application_id, decision="granted", decision_date="2026-12-15", round="2026-R4")
        == 201
    )

    def decided(query: dict[str, str]) -> list[tuple[str, str]]:
        body = api.call(agreement_event(query)).body
        return [(a["decision"], a["round"]) for a in body["applications"]]

    assert decided({"round": "2026-R3"}) == [("returned", "2026-R3")]
    assert decided({"round": "2026-R4"}) == [("granted", "2026-R4")]
    assert decided({"from": "2026-09-01", "to": "2026-09-30"}) == [("returned", "2026-R3")]
    assert decided({}) == [("granted", "2026-R4")]
