"""The real Lambda handlers end to end inside moto: statuses, the error shape, idempotency,
resubmissions, history, listing, who may call what, the 503 on a broken ruleset, logs and
metrics."""

from __future__ import annotations

import copy
import io
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from service_support import Api, entry_reply, items
from workbench.local.events import (
    OTHER_ROLE,
    get_event,
    iam_context,
    jwt_context,
    list_event,
    report_event,
    rules_event,
    submit_event,
)

from api import committee, reports, rules, rulesets, submit
from api.settings import Settings

REPO = Path(__file__).resolve().parents[2]


def post(api: Api, document: dict[str, Any], **kw: Any):  # type: ignore[no-untyped-def]
    return api.call(submit_event(json.dumps(document), **kw))


def assert_error_shape(body: dict[str, Any], status: int, code: str) -> None:
    assert set(body) == {"error"}
    error = body["error"]
    assert set(error) == {"status", "code", "message", "fields", "correlation_id"}
    assert (error["status"], error["code"]) == (status, code)
    assert error["message"]


# ---------------------------------------------------------------- submit


def test_submit_returns_201_with_the_verdict(api: Api, base_document: dict, aws: Any) -> None:
    reply = post(api, base_document)
    assert reply.status == 201, reply.body
    assert reply.body["application_id"] == base_document["application_id"]
    assert reply.body["outcome"] == "eligible"
    assert reply.headers["Location"] == f"/screenings/{base_document['application_id']}"
    assert reply.headers["X-Screening-Revision"] == "1"
    assert reply.headers["X-Screening-Replay"] == "false"
    assert len(items(aws)) == 1


def test_an_application_without_answers_gets_201_and_a_reasoned_ineligible(
    api: Api, base_document: dict
) -> None:
    del base_document["social_content"]
    reply = post(api, base_document)
    assert reply.status == 201, reply.body
    assert reply.body["outcome"] == "ineligible"
    pointers = {p["pointer"] for r in reply.body["rules"] for p in r["failed_parts"]}
    assert {"/social_content/future_state", "/social_content/effect_goals"} <= pointers


def test_the_stored_screening_keeps_the_application_without_the_contact_person(
    api: Api, base_document: dict, aws: Any
) -> None:
    post(api, base_document)
    (item,) = items(aws)
    stored = json.loads(item["application"]["S"])
    assert stored["project"] == json.loads(json.dumps(base_document["project"]))
    assert "contact_person" not in stored
    assert item["ruleset_version"]["S"].count("+") == 1
    assert item["contract_version"]["S"] == "2.0"
    assert item["submitted_by"]["S"] == iam_context()["iam"]["userArn"]


def test_a_retry_with_the_same_content_returns_the_stored_verdict(
    api: Api, base_document: dict, aws: Any
) -> None:
    first = post(api, base_document)
    # Key order and whitespace differ: still the same content.
    reordered = json.dumps(dict(reversed(list(base_document.items()))), indent=4)
    second = api.call(submit_event(reordered))
    assert (first.status, second.status) == (201, 200)
    assert second.headers["X-Screening-Replay"] == "true"
    assert first.body == second.body  # the same screened_at: the stored verdict, not a new one
    assert len(items(aws)) == 1


def test_a_changed_resubmission_appends_and_going_back_stores_nothing_new(
    api: Api, base_document: dict, aws: Any
) -> None:
    first = post(api, base_document)
    changed = copy.deepcopy(base_document)
    changed["project"]["loan_amount_sek"] //= 2
    second = post(api, changed)
    assert second.status == 201 and second.headers["X-Screening-Revision"] == "2"

    history = api.call(get_event(base_document["application_id"]))
    assert history.status == 200
    assert history.body["latest"]["revision"] == 2
    assert history.body["latest"]["verdict"] == second.body
    assert [h["revision"] for h in history.body["history"]] == [2, 1]

    # Back to the first content: it is stored already, so it is returned and is current again.
    third = post(api, base_document)
    assert (third.status, third.headers["X-Screening-Revision"]) == (200, "1")
    assert third.body == first.body
    assert len(items(aws)) == 2
    again = api.call(get_event(base_document["application_id"]))
    assert again.body["latest"]["revision"] == 1


def test_an_application_id_belongs_to_its_first_organisation(
    api: Api, base_document: dict, aws: Any
) -> None:
    assert post(api, base_document).status == 201
    other = copy.deepcopy(base_document)
    other["applicant"]["organisation_number"] = "556777-0010"
    reply = post(api, other)
    assert reply.status == 409
    assert_error_shape(reply.body, 409, "application_id_taken")
    assert "556777-0010" not in json.dumps(reply.body) and "556000-0001" not in json.dumps(
        reply.body
    )
    assert len(items(aws)) == 1


def test_new_revisions_a_day_are_capped(
    api: Api,
    base_document: dict,
    aws: Any,
    settings: Settings,
    ruleset_state: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    capped = Settings.model_validate({**settings.model_dump(by_alias=True), "REVISIONS_PER_DAY": 2})
    monkeypatch.setattr(
        submit, "ENTRY", submit.build(submit.SubmitServices(capped, ruleset_state, aws))
    )
    for horizon in (11, 12):
        base_document["social_content"]["time_horizon_years"] = horizon
        assert post(api, base_document).status == 201
    base_document["social_content"]["time_horizon_years"] = 13
    reply = post(api, base_document)
    assert reply.status == 429
    assert_error_shape(reply.body, 429, "too_many_revisions")
    assert 0 < int(reply.headers["Retry-After"]) <= 86_400
    base_document["social_content"]["time_horizon_years"] = 12  # stored before: still answered
    assert post(api, base_document).status == 200
    assert len(items(aws)) == 2


# ---------------------------------------------------------------- bad requests


def test_malformed_json_is_400(api: Api) -> None:
    reply = api.call(submit_event('{"application_id": '))
    assert reply.status == 400
    assert_error_shape(reply.body, 400, "malformed_json")


def test_schema_errors_are_422_naming_each_field(api: Api, base_document: dict, aws: Any) -> None:
    del base_document["project"]
    base_document["applicant"]["organisation_number"] = "212000-0000"
    base_document["surprise"] = 1
    reply = post(api, base_document)
    assert reply.status == 422
    assert_error_shape(reply.body, 422, "invalid_application")
    fields = {f["field"]: f["message"] for f in reply.body["error"]["fields"]}
    assert fields["project"] == "is required"
    assert fields["(body)"].startswith("unknown field")
    assert "applicant.organisation_number" in fields
    assert "212000-0000" not in json.dumps(reply.body)  # messages never repeat values
    assert items(aws) == []


def test_an_answer_holding_a_personal_identity_number_is_422_and_nothing_is_stored(
    api: Api, base_document: dict, aws: Any, log_output: io.StringIO
) -> None:
    base_document["social_content"]["future_state"] = "Som Anna (19811218-9876) sa: vi stannar."
    reply = post(api, base_document)
    assert reply.status == 422
    assert_error_shape(reply.body, 422, "invalid_application")
    fields = {f["field"]: f["message"] for f in reply.body["error"]["fields"]}
    assert list(fields) == ["social_content.future_state"]
    assert "personal identity number" in fields["social_content.future_state"]
    assert "9876" not in json.dumps(reply.body) + log_output.getvalue()
    assert items(aws) == []


def test_a_personal_identity_number_as_application_id_is_422_in_body_and_path(
    api: Api, base_document: dict, aws: Any, log_output: io.StringIO
) -> None:
    # The id is a partition key, a log field and part of URLs: never a personnummer.
    base_document["application_id"] = "198112189876"
    reply = post(api, base_document)
    assert reply.status == 422
    assert [f["field"] for f in reply.body["error"]["fields"]] == ["application_id"]
    path = api.call(get_event("19811218-9876"))  # never stored, so never found; not named
    assert path.status == 404
    assert "9876" not in json.dumps(reply.body) + json.dumps(path.body) + log_output.getvalue()
    assert items(aws) == []


def test_body_over_256_kb_is_413_and_checked_before_parsing(api: Api) -> None:
    reply = api.call(submit_event("{" + " " * (256 * 1024) + "}"))
    assert reply.status == 413
    assert_error_shape(reply.body, 413, "payload_too_large")
    exactly = api.call(submit_event("{" + " " * (256 * 1024 - 2) + "}"))
    assert exactly.status == 422  # at the limit: parsed, then refused by the schema


# ---------------------------------------------------------------- who may call what


def test_only_the_portals_role_may_submit(api: Api, base_document: dict, aws: Any) -> None:
    assert post(api, base_document, authorizer=jwt_context()).status == 403
    assert post(api, base_document, authorizer={}).status == 401
    stranger = post(api, base_document, authorizer=iam_context(OTHER_ROLE))
    assert stranger.status == 403
    assert_error_shape(stranger.body, 403, "forbidden")
    assert items(aws) == []


def test_portal_cannot_call_committee_routes(api: Api, base_document: dict) -> None:
    post(api, base_document)
    for event in (
        get_event(base_document["application_id"], authorizer=iam_context()),
        list_event(authorizer=iam_context()),
        report_event(base_document["application_id"], authorizer=iam_context()),
    ):
        reply = api.call(event)
        assert reply.status == 403
        assert_error_shape(reply.body, 403, "forbidden")


def test_committee_routes_need_an_access_token_of_the_group(api: Api, base_document: dict) -> None:
    post(api, base_document)
    application_id = base_document["application_id"]
    assert (
        api.call(get_event(application_id, authorizer=jwt_context(groups="[applicants]"))).status
        == 403
    )
    assert api.call(get_event(application_id, authorizer=jwt_context(token_use="id"))).status == 401
    assert api.call(list_event(authorizer={})).status == 401
    member = jwt_context(groups='["committee", "chair"]')
    assert api.call(get_event(application_id, authorizer=member)).status == 200


# ---------------------------------------------------------------- reading


def test_unknown_application_is_404_and_a_bad_id_422(api: Api) -> None:
    reply = api.call(get_event("LSH-NOPE"))
    assert reply.status == 404
    assert_error_shape(reply.body, 404, "not_found")
    assert api.call(get_event("ab")).status == 422


def test_rules_catalogue_shows_every_rule_with_its_reference(
    api: Api, ruleset_state: rulesets.RulesetState
) -> None:
    reply = api.call(rules_event())
    assert reply.status == 200
    ruleset = ruleset_state.ruleset
    assert ruleset is not None
    assert reply.body["ruleset"]["version"] == ruleset.version["version"]
    assert reply.body["contract_version"] == "2.0"
    assert [r["id"] for r in reply.body["rules"]] == [r.id for r in ruleset.rules]
    for rule in reply.body["rules"]:
        assert rule["reference"]["title"] and rule["reference"]["kind"]
        if rule["severity"] == "reject":
            assert rule["reference"]["kind"] in ("published", "law"), rule["id"]


def test_listing_filters_and_paginates_newest_first(api: Api, base_document: dict) -> None:
    ids = []
    for n in range(5):
        document = copy.deepcopy(base_document)
        document["application_id"] = f"LSH-LIST-{n}"
        if n % 2:
            document["project"]["investment_kind"] = "operating_cost"  # ineligible
        reply = post(api, document)
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
    none_yet = api.call(list_event({"to": "2020-01-01"}))
    assert none_yet.body == {"items": [], "next_cursor": None}


def test_a_cursor_only_works_for_its_own_query(api: Api, base_document: dict) -> None:
    for n in range(3):
        document = copy.deepcopy(base_document)
        document["application_id"] = f"LSH-CUR-{n}"
        post(api, document)
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
    assert api.call(list_event({"from": "2026-02-01", "to": "2026-01-01"})).status == 422


# ---------------------------------------------------------------- a broken ruleset


@pytest.mark.parametrize("file", ["05-grundkrav.yaml", "01-borrower.yaml", "compiled/ruleset.json"])
def test_a_partial_ruleset_never_serves(
    aws: Any, tmp_path: Path, base_document: dict, settings: Settings, file: str
) -> None:
    rules_dir = tmp_path / "rules"
    shutil.copytree(REPO / "rules", rules_dir)
    (rules_dir / file).unlink()
    state = rulesets.load(rules_dir)
    assert not state.ready and state.problem
    for entry, event in (
        (
            submit.build(submit.SubmitServices(settings, state, aws)),
            submit_event(json.dumps(base_document)),
        ),
        (submit.build(submit.SubmitServices(settings, state, aws)), submit_event("not json")),
        (reports.build(reports.ReportServices(settings, state, aws)), report_event("x-1")),
        (rules.build(state), rules_event()),
    ):
        reply = entry_reply(entry, event)
        assert reply.status == 503
        assert_error_shape(reply.body, 503, "ruleset_unavailable")
        assert reply.headers["Retry-After"] == "60"
    assert items(aws, prefix="") == []
    # Reading what is stored needs no rules: the committee still gets its answers.
    assert (
        entry_reply(
            committee.build(committee.CommitteeServices(settings, aws)), get_event("x-1")
        ).status
        == 404
    )


def test_an_invalid_response_is_500_not_422(
    aws: Any, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    services = committee.CommitteeServices(settings, aws)

    class Broken:
        def history(self, application_id: str) -> tuple[int, list[dict]]:
            return 1, [{"revision": "not a number"}]

        def screening(self, application_id: str, revision: int) -> None:
            return None

    monkeypatch.setattr(committee.CommitteeServices, "store", property(lambda self: Broken()))
    reply = entry_reply(committee.build(services), get_event("x-1"))
    assert reply.status == 500
    assert_error_shape(reply.body, 500, "internal_error")


# ---------------------------------------------------------------- logs and metrics


def test_personal_data_never_logged(
    api: Api, base_document: dict, log_output: io.StringIO, capsys: pytest.CaptureFixture[str]
) -> None:
    contact = base_document["contact_person"]
    post(api, base_document)
    post(api, base_document)
    broken = copy.deepcopy(base_document)
    broken["contact_person"]["email"] = "not-an-email " + contact["email"]
    post(api, broken)
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
    reply = post(api, base_document)
    assert reply.body["outcome"] == "ineligible"
    failed = {r["rule_id"] for r in reply.body["rules"] if r["result"] == "failed"}
    emf = [
        json.loads(line)
        for line in capsys.readouterr().out.splitlines()
        if line.startswith("{") and "_aws" in line
    ]
    assert [m["outcome"] for m in emf if "Verdicts" in m] == ["ineligible"]
    assert {m["rule_id"] for m in emf if "RuleFailures" in m} == failed
    assert any("ScreeningDuration" in m for m in emf)
