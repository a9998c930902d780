"""The real Lambda handlers end to end inside moto: statuses, the error shape, idempotency,
resubmissions, history, listing, auth, the 503 on a broken ruleset, logs and metrics."""

from __future__ import annotations

import base64
import copy
import io
import json
from pathlib import Path
from typing import Any

import pytest
from service_support import Api, entry_reply, verdict_items

from api import runtime
from api.events import get_event, iam_context, jwt_context, list_event, rules_event, submit_event
from api.handlers import build
from api.http import Services
from api.settings import Settings


def submit(api: Api, document: dict[str, Any], **kw: Any):
    return api.call(submit_event(json.dumps(document), **kw))


def assert_error_shape(body: dict[str, Any], status: int, code: str) -> None:
    assert set(body) == {"error"}
    error = body["error"]
    assert set(error) == {"status", "code", "message", "fields", "correlation_id"}
    assert error["status"] == status
    assert error["code"] == code
    assert error["message"]


def test_submit_returns_201_with_the_verdict(api: Api, base_document: dict, aws: Any) -> None:
    reply = submit(api, base_document)
    assert reply.status == 201, reply.body
    assert reply.body["application_id"] == base_document["application_id"]
    assert reply.body["outcome"] == "eligible"
    assert len(reply.body["rules"]) > 0
    assert reply.headers["Location"] == f"/screenings/{base_document['application_id']}"
    assert reply.headers["X-Screening-Revision"] == "1"
    assert len(verdict_items(aws)) == 1


def test_identical_submits_store_one_verdict_and_return_the_same(
    api: Api, base_document: dict, aws: Any
) -> None:
    first = submit(api, base_document)
    # Key order and whitespace differ: still the same content.
    reordered = json.dumps(dict(reversed(list(base_document.items()))), indent=4)
    second = api.call(submit_event(reordered))
    assert first.status == second.status == 201
    assert first.body == second.body  # same screened_at: the stored verdict, not a new one
    assert len(verdict_items(aws)) == 1


def test_identical_submit_after_idempotency_expiry_still_stores_nothing(
    api: Api, base_document: dict, aws: Any
) -> None:
    first = submit(api, base_document)
    for item in aws.scan(TableName="test-idempotency")["Items"]:  # the TTL has passed
        aws.delete_item(TableName="test-idempotency", Key={"id": item["id"]})
    second = submit(api, base_document)
    assert second.status == 201
    assert second.body == first.body
    assert len(verdict_items(aws)) == 1


def test_changed_resubmission_appends_to_the_history(
    api: Api, base_document: dict, aws: Any
) -> None:
    first = submit(api, base_document)
    changed = copy.deepcopy(base_document)
    changed["project"]["loan_amount_sek"] = base_document["project"]["loan_amount_sek"] // 2
    second = submit(api, changed)
    assert second.status == 201
    assert second.headers["X-Screening-Revision"] == "2"
    assert second.body["application"]["loan_amount_sek"] == changed["project"]["loan_amount_sek"]
    assert len(verdict_items(aws)) == 2

    history = api.call(get_event(base_document["application_id"]))
    assert history.status == 200
    assert history.body["latest"]["revision"] == 2
    assert history.body["latest"]["verdict"] == second.body
    assert [h["revision"] for h in history.body["history"]] == [1]
    assert history.body["history"][0]["verdict"] == first.body

    # Back to the first content: changed relative to the latest, so a third revision.
    third = submit(api, base_document)
    assert third.headers["X-Screening-Revision"] == "3"
    assert len(verdict_items(aws)) == 3


def test_get_returns_the_same_verdict_as_the_post(api: Api, base_document: dict) -> None:
    posted = submit(api, base_document)
    got = api.call(get_event(base_document["application_id"]))
    assert got.status == 200
    assert got.body["latest"]["verdict"] == posted.body
    assert got.body["history"] == []


def test_unknown_application_is_404(api: Api) -> None:
    reply = api.call(get_event("LSH-NOPE"))
    assert reply.status == 404
    assert_error_shape(reply.body, 404, "not_found")


def test_malformed_json_is_400(api: Api) -> None:
    reply = api.call(submit_event('{"application_id": '))
    assert reply.status == 400
    assert_error_shape(reply.body, 400, "malformed_json")


def test_schema_errors_are_422_naming_each_field(api: Api, base_document: dict) -> None:
    del base_document["project"]
    base_document["applicant"]["organisation_number"] = "212000-0000"
    base_document["surprise"] = 1
    reply = submit(api, base_document)
    assert reply.status == 422
    assert_error_shape(reply.body, 422, "invalid_application")
    fields = {f["field"]: f["message"] for f in reply.body["error"]["fields"]}
    assert fields["project"] == "is required"
    assert fields["surprise"] == "unknown field; remove it"
    assert "applicant.organisation_number" in fields
    assert "212000-0000" not in json.dumps(reply.body)  # messages never repeat values


def test_body_over_256_kb_is_413_and_checked_before_parsing(api: Api, aws: Any) -> None:
    reply = api.call(submit_event("{" + " " * (256 * 1024) + "}"))
    assert reply.status == 413
    assert_error_shape(reply.body, 413, "payload_too_large")
    exactly = api.call(submit_event("{" + " " * (256 * 1024 - 2) + "}"))
    assert exactly.status == 422  # at the limit: parsed, then rejected by the schema


def test_base64_body_is_measured_decoded(api: Api, base_document: dict) -> None:
    event = submit_event(base64.b64encode(json.dumps(base_document).encode()).decode())
    event["isBase64Encoded"] = True
    assert api.call(event).status == 201


def test_portal_cannot_call_committee_routes(api: Api, base_document: dict) -> None:
    submit(api, base_document)
    for event in (
        get_event(base_document["application_id"], authorizer=iam_context()),
        list_event(authorizer=iam_context()),
    ):
        reply = api.call(event)
        assert reply.status == 403
        assert_error_shape(reply.body, 403, "forbidden")


def test_committee_routes_need_the_committee_group(api: Api, base_document: dict) -> None:
    submit(api, base_document)
    outsider = jwt_context(groups="[applicants]")
    assert api.call(get_event(base_document["application_id"], authorizer=outsider)).status == 403
    assert api.call(list_event(authorizer={})).status == 401
    member = jwt_context(groups='["committee", "chair"]')
    assert api.call(get_event(base_document["application_id"], authorizer=member)).status == 200


def test_only_the_portal_may_submit(api: Api, base_document: dict, aws: Any) -> None:
    assert submit(api, base_document, authorizer=jwt_context()).status == 403
    assert submit(api, base_document, authorizer={}).status == 401
    assert verdict_items(aws) == []


def test_submitter_principal_is_recorded(api: Api, base_document: dict, aws: Any) -> None:
    submit(api, base_document)
    (item,) = verdict_items(aws)
    assert item["submitted_by"]["S"] == iam_context()["iam"]["userArn"]


def test_rules_catalogue(api: Api, ruleset_state: runtime.RulesetState) -> None:
    reply = api.call(rules_event())
    assert reply.status == 200
    ruleset = ruleset_state.screener.ruleset
    assert reply.body["ruleset"]["version"] == ruleset.version.version
    assert [r["id"] for r in reply.body["rules"]] == [r.id for r in ruleset.rules]
    first = reply.body["rules"][0]
    assert set(first) == {"id", "title", "requirement", "severity", "kind"}
    assert set(first["title"]) == {"sv", "en"}


def test_listing_filters_and_paginates_newest_first(api: Api, base_document: dict) -> None:
    ids = []
    for n in range(5):
        document = copy.deepcopy(base_document)
        document["application_id"] = f"LSH-LIST-{n}"
        if n % 2:
            document["project"]["investment_kind"] = "operating_cost"  # ineligible
        reply = submit(api, document)
        assert reply.status == 201
        ids.append((document["application_id"], reply.body["outcome"]))

    seen: list[str] = []
    cursor = None
    pages = 0
    while True:
        query = {"limit": "2", **({"cursor": cursor} if cursor else {})}
        page = api.call(list_event(query))
        assert page.status == 200, page.body
        seen += [i["application_id"] for i in page.body["items"]]
        pages += 1
        cursor = page.body["next_cursor"]
        if not cursor:
            break
    assert seen == [i for i, _ in reversed(ids)]  # newest first, each once
    assert pages == 3

    eligible = api.call(list_event({"outcome": "eligible"}))
    assert [i["application_id"] for i in eligible.body["items"]] == [
        i for i, outcome in reversed(ids) if outcome == "eligible"
    ]
    assert {i["outcome"] for i in eligible.body["items"]} == {"eligible"}

    none_yet = api.call(list_event({"to": "2020-01-01"}))
    assert none_yet.body == {"items": [], "next_cursor": None}
    today = api.call(list_event({"from": "2020-01-01", "to": "2100-01-01"}))
    assert len(today.body["items"]) == 5


def test_a_cursor_only_works_for_its_own_query(api: Api, base_document: dict) -> None:
    for n in range(3):
        document = copy.deepcopy(base_document)
        document["application_id"] = f"LSH-CUR-{n}"
        submit(api, document)
    cursor = api.call(list_event({"limit": "1"})).body["next_cursor"]
    assert cursor
    reply = api.call(list_event({"limit": "1", "outcome": "eligible", "cursor": cursor}))
    assert reply.status == 400
    assert_error_shape(reply.body, 400, "invalid_cursor")
    assert api.call(list_event({"cursor": "%%%"})).status == 400


def test_invalid_query_parameters_are_422_naming_each(api: Api) -> None:
    reply = api.call(list_event({"outcome": "granted", "limit": "0", "from": "yesterday"}))
    assert reply.status == 422
    assert_error_shape(reply.body, 422, "invalid_request")
    assert {f["field"] for f in reply.body["error"]["fields"]} == {"outcome", "limit", "from"}
    backwards = api.call(list_event({"from": "2026-02-01", "to": "2026-01-01"}))
    assert backwards.status == 422


def test_broken_ruleset_answers_503_everywhere_and_stores_nothing(
    aws: Any, rules_copy: Path, base_document: dict
) -> None:
    (rules_copy / "01-borrower.yaml").write_text("rules: [ {id: broken", "utf-8")
    state = runtime.load(rules_copy)
    assert not state.ready
    entries = build(Services(Settings.from_env(), state))
    for name, event in (
        ("submit", submit_event(json.dumps(base_document))),
        ("submit", submit_event("not json")),
        ("committee", get_event("x")),
        ("committee", list_event()),
        ("rules", rules_event()),
    ):
        reply = entry_reply(entries[name], event)
        assert reply.status == 503
        assert_error_shape(reply.body, 503, "ruleset_unavailable")
    assert verdict_items(aws) == []


def test_invalid_response_is_500_not_422(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    entries = build(services)

    class Broken:
        def history(self, application_id: str) -> list[dict]:
            return [{"revision": "not a number"}]  # not a StoredScreening

    monkeypatch.setattr(services, "store", Broken())
    reply = entry_reply(entries["committee"], get_event("x"))
    assert reply.status == 500
    assert_error_shape(reply.body, 500, "internal_error")


def test_personal_data_never_logged(
    api: Api, base_document: dict, log_output: io.StringIO, capsys: pytest.CaptureFixture[str]
) -> None:
    contact = base_document["contact_person"]
    submit(api, base_document)
    submit(api, base_document)
    broken = copy.deepcopy(base_document)
    broken["contact_person"]["email"] = "not-an-email " + contact["email"]
    submit(api, broken)
    api.call(submit_event(json.dumps(base_document)[:-3]))
    out = capsys.readouterr()
    logged = log_output.getvalue() + out.out + out.err
    assert '"screened and stored"' in logged  # the logs were captured at all
    for value in contact.values():
        assert str(value) not in logged


def test_correlation_id_in_logs_and_error_bodies(api: Api, log_output: io.StringIO) -> None:
    event = get_event("LSH-NOPE")
    event["requestContext"]["requestId"] = "corr-1234"
    reply = api.call(event)
    assert reply.body["error"]["correlation_id"] == "corr-1234"
    lines = [json.loads(line) for line in log_output.getvalue().splitlines()]
    assert any(line.get("correlation_id") == "corr-1234" for line in lines)


def test_metrics_by_outcome_failed_rule_and_duration(
    api: Api, base_document: dict, capsys: pytest.CaptureFixture[str]
) -> None:
    base_document["project"]["investment_kind"] = "operating_cost"
    reply = submit(api, base_document)
    assert reply.body["outcome"] == "ineligible"
    failed = {r["rule_id"] for r in reply.body["rules"] if r["result"] == "failed"}
    emf = [
        json.loads(line)
        for line in capsys.readouterr().out.splitlines()
        if line.startswith("{") and "_aws" in line
    ]
    verdicts = [m for m in emf if "Verdicts" in m]
    assert [m["outcome"] for m in verdicts] == ["ineligible"]
    assert {m["rule_id"] for m in emf if "RuleFailures" in m} == failed
    assert any("ScreeningDuration" in m for m in emf)
