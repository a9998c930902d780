"""The yearly effect reports of granted loans through the handlers (moto): POST
/effect-reports and GET /loans/{id}/follow-up, the due-report command over the table, and the
export of reports."""

from __future__ import annotations

import copy
import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from service_support import Api, items
from workbench.cli import main
from workbench.local.events import (
    decision_event,
    effect_report_event,
    follow_up_event,
    iam_context,
    submit_event,
)

EVENTS = Path(__file__).resolve().parents[2] / "events"
EXPECTED = yaml.safe_load((EVENTS / "effect-reports" / "expected.yaml").read_text("utf-8"))
APPLICATION = json.loads((EVENTS / "effect-reports" / EXPECTED["application"]).read_text("utf-8"))
LOAN = APPLICATION["application_id"]


def report(name: str) -> dict[str, Any]:
    return json.loads((EVENTS / "effect-reports" / name).read_text("utf-8"))


def grant(api: Api, decision: str = "granted") -> None:
    assert api.call(submit_event(json.dumps(APPLICATION, ensure_ascii=False))).status == 201
    body = {
        **EXPECTED["decision"],
        "decision": decision,
        "screening_revision": 1,
        "motivation": "Tydliga effektmål.",
    }
    assert api.call(decision_event(LOAN, json.dumps(body))).status == 201


@pytest.fixture
def post(api: Api, clock: Any):  # type: ignore[no-untyped-def]
    """POST a report; the service receives it when the report says it was sent (or at
    ``received``)."""

    def send(document: dict[str, Any], received: datetime | None = None):  # type: ignore[no-untyped-def]
        clock.now = received or datetime.fromisoformat(document["submitted_at"])
        return api.call(effect_report_event(json.dumps(document, ensure_ascii=False)))

    return send


@pytest.fixture
def loan(api: Api) -> str:
    grant(api)
    return LOAN


def test_a_report_gets_its_follow_up_verdict_and_a_repeat_stores_nothing(
    api: Api, loan: str, aws: Any, post: Any
) -> None:
    first = post(report("kungalv-2027-on-track.json"))
    assert first.status == 201, first.body
    assert first.body["outcome"] == "on_track"
    assert first.headers["X-Report-Revision"] == "1"
    again = post(report("kungalv-2027-on-track.json"))
    assert (again.status, again.headers["X-Report-Replay"]) == (200, "true")
    assert again.body == first.body
    assert len(items(aws, prefix="report#")) == 1


def test_a_changed_report_for_the_same_year_is_the_next_revision(
    api: Api, loan: str, post: Any
) -> None:
    assert post(report("kungalv-2027-on-track.json")).status == 201
    changed = report("kungalv-2027-on-track.json")
    changed["people_reached"] = 52
    reply = post(changed)
    assert (reply.status, reply.headers["X-Report-Revision"]) == (201, "2")
    years = api.call(follow_up_event(loan, {"on": "2028-06-01"})).body["years"]
    assert [(y["reporting_year"], y["revisions"]) for y in years] == [(2027, 2)]
    assert years[0]["report"]["people_reached"] == 52


def test_a_report_that_leaves_out_an_approved_goal_is_off_track_and_names_it(
    api: Api, loan: str, post: Any
) -> None:
    assert post(report("kungalv-2027-on-track.json")).status == 201
    reply = post(report("kungalv-2028-goal-missing.json"))
    assert reply.status == 201
    assert reply.body["outcome"] == "off_track"
    failed = [r for r in reply.body["rules"] if r["result"] == "failed"]
    assert [r["rule_id"] for r in failed] == ["goals.reported"]
    assert "effektmål 2 (Stabilt boende)" in failed[0]["reason"]["sv"]
    assert "effect goal 2 (Stabilt boende)" in failed[0]["reason"]["en"]


def test_only_a_granted_loan_takes_reports(api: Api, aws: Any, post: Any) -> None:
    assert post(report("kungalv-2027-on-track.json")).status == 404  # not even submitted
    grant(api, decision="declined")
    reply = post(report("kungalv-2027-on-track.json"))
    assert (reply.status, reply.body["error"]["code"]) == (404, "not_found")
    assert api.call(follow_up_event(LOAN)).status == 404
    assert items(aws, prefix="report#") == []


def test_a_personal_identity_number_is_refused_naming_the_field(
    api: Api, loan: str, aws: Any, log_output: Any, post: Any
) -> None:
    document = report("kungalv-2027-on-track.json")
    document["goals"][0]["deviation_explanation"] = "Enligt handläggare 19811218-9876."
    reply = post(document)
    assert reply.status == 422
    fields = [f["field"] for f in reply.body["error"]["fields"]]
    assert fields == ["goals.0.deviation_explanation"]
    assert "9876" not in json.dumps(reply.body) and "9876" not in log_output.getvalue()
    assert items(aws, prefix="report#") == []


def test_form_errors_name_each_field_and_a_year_before_the_loan_is_refused(
    api: Api, loan: str, post: Any
) -> None:
    document = report("kungalv-2027-on-track.json")
    document["goals"].append(copy.deepcopy(document["goals"][0]))  # goal 1 twice
    document["people_reached"] = -3
    reply = post(document)
    assert reply.status == 422
    assert {f["field"] for f in reply.body["error"]["fields"]} == {"goals", "people_reached"}
    early = report("kungalv-2027-on-track.json")
    early["reporting_year"] = 2026
    reply = post(early)
    assert reply.status == 422
    assert reply.body["error"]["fields"][0]["field"] == "reporting_year"


def test_only_the_portal_posts_and_only_the_committee_reads(api: Api, loan: str) -> None:
    from workbench.local.events import jwt_context

    body = json.dumps(report("kungalv-2027-on-track.json"), ensure_ascii=False)
    assert api.call(effect_report_event(body, authorizer=jwt_context())).status == 403
    assert api.call(effect_report_event(body, authorizer={})).status == 401
    assert api.call(follow_up_event(loan, authorizer=iam_context())).status == 403


def test_the_follow_up_lists_every_year_and_the_verdict_of_an_overdue_one(
    api: Api, loan: str, post: Any
) -> None:
    assert post(report("kungalv-2027-on-track.json")).status == 201
    reply = api.call(follow_up_event(loan, {"on": "2029-06-01"}))
    assert reply.status == 200, reply.body
    years = reply.body["years"]
    assert [(y["reporting_year"], y["status"]) for y in years] == [
        (2027, "received"),
        (2028, "overdue"),
    ]
    overdue = years[1]
    assert overdue["report"] is None and overdue["due_on"] == "2029-04-30"
    assert overdue["follow_up"]["outcome"] == "needs_attention"
    received = next(r for r in overdue["follow_up"]["rules"] if r["rule_id"] == "report.received")
    assert received["result"] == "failed"
    assert reply.body["decision"]["decision"] == "granted"
    before_due = api.call(follow_up_event(loan, {"on": "2029-04-10"})).body["years"]
    assert [y["reporting_year"] for y in before_due] == [2027]  # 2028 is due, not overdue


def test_due_reports_over_the_table_and_the_export_keeps_the_reports(
    api: Api, loan: str, aws: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str], post: Any
) -> None:
    assert post(report("kungalv-2027-on-track.json")).status == 201
    capsys.readouterr()
    out = tmp_path / "due.json"
    argv = ["follow-up", "due", "--on", "2029-06-01", "--table", "test-screenings"]
    assert main([*argv, "--json", str(out)]) == 0
    rows = json.loads(out.read_text("utf-8"))
    assert rows == [
        {
            "application_id": LOAN,
            "reporting_year": 2028,
            "due_on": "2029-04-30",
            "status": "overdue",
        }
    ]
    assert f"{LOAN}  2028  2029-04-30  försenad" in capsys.readouterr().out
    assert main(["follow-up", "due", "--on", "2029-04-10", "--table", "test-screenings"]) == 0
    assert "ska lämnas" in capsys.readouterr().out
    export = tmp_path / "export.jsonl"
    assert main(["export", "--table", "test-screenings", "--out", str(export)]) == 0
    line = json.loads(export.read_text("utf-8").splitlines()[0])
    assert [r["reporting_year"] for r in line["effect_reports"]] == [2027]
    assert line["effect_reports"][0]["follow_up"]["outcome"] == "on_track"
    text = export.read_text("utf-8")
    assert "contact_person" not in text
    for value in APPLICATION["contact_person"].values():
        assert value not in text


def test_the_committee_reads_the_loan_report_and_the_portfolio_as_html(
    api: Api, loan: str, post: Any
) -> None:
    from workbench.local.events import follow_up_report_event, portfolio_event

    for name in ("kungalv-2027-on-track.json", "kungalv-2028-goal-missing.json"):
        assert post(report(name)).status == 201
    page = api.call(follow_up_report_event(loan))
    assert page.status == 200
    assert page.headers["Content-Type"] == "text/html; charset=utf-8"
    assert "default-src 'none'" in page.headers["Content-Security-Policy"]
    html = page.body
    assert "Snabbare etablering" in html and "Stabilt boende" in html  # a chart per goal
    assert html.count("<svg") >= 2
    portfolio = api.call(portfolio_event({"year": "2028"}))
    assert portfolio.status == 200
    assert f"loans/{loan}/follow-up/report" in portfolio.body
    for value in APPLICATION["contact_person"].values():
        assert value not in html and value not in portfolio.body
    assert api.call(follow_up_report_event("LSH-2026-NOPE")).status == 404


def test_the_follow_up_report_command_writes_every_loan_the_portfolio_and_the_csv(
    api: Api, loan: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], post: Any
) -> None:
    for name in ("kungalv-2027-on-track.json", "kungalv-2028-deviation-unexplained.json"):
        assert post(report(name)).status == 201
    out = tmp_path / "follow-up"
    argv = ["follow-up", "report", "--table", "test-screenings", "--out", str(out)]
    assert main([*argv, "--year", "2028"]) == 0
    assert (out / f"loan-{loan}.html").read_text("utf-8").startswith("<!DOCTYPE html>")
    assert f"loan-{loan}.html" in (out / "portfolio.html").read_text("utf-8")
    rows = (out / "indicators.csv").read_text("utf-8-sig").splitlines()
    assert rows[0].startswith("application_id;")
    assert len(rows) == 1 + 2 * 2  # two goals, two years
    assert all(row.startswith(loan) for row in rows[1:])


def test_a_report_for_a_year_not_yet_ended_is_refused(api: Api, loan: str, post: Any) -> None:
    document = report("kungalv-2027-on-track.json")
    reply = post(document, received=datetime.fromisoformat("2027-11-30T10:00:00+01:00"))
    assert reply.status == 422
    assert reply.body["error"]["fields"][0]["field"] == "reporting_year"


def test_a_correction_after_the_due_date_keeps_the_year_on_time(
    api: Api, loan: str, post: Any
) -> None:
    assert post(report("kungalv-2027-on-track.json")).body["outcome"] == "on_track"
    corrected = report("kungalv-2027-on-track.json")
    corrected["people_reached"] = 47
    reply = post(corrected, received=datetime.fromisoformat("2028-06-10T10:00:00+02:00"))
    assert (reply.status, reply.headers["X-Report-Revision"]) == (201, "2")
    on_time = next(r for r in reply.body["rules"] if r["rule_id"] == "report.on_time")
    assert on_time["result"] == "passed"  # judged by when the year's first report came


def test_sending_an_earlier_report_again_makes_it_the_latest_again(
    api: Api, loan: str, post: Any, aws: Any
) -> None:
    first = report("kungalv-2027-on-track.json")
    second = {**first, "people_reached": 50}
    assert post(first).status == 201
    assert post(second).status == 201
    again = post(first)
    assert (again.status, again.headers["X-Report-Revision"]) == (201, "3")
    assert post(first).status == 200  # now it is the latest: a replay, stored once
    years = api.call(follow_up_event(loan, {"on": "2028-06-01"})).body["years"]
    assert years[0]["report"]["people_reached"] == first["people_reached"]
    assert len(items(aws, prefix="report#")) == 3


def test_a_year_takes_a_bounded_number_of_corrections(api: Api, loan: str, post: Any) -> None:
    from api.effect_reports import MAX_REVISIONS_PER_YEAR

    document = report("kungalv-2027-on-track.json")
    for n in range(MAX_REVISIONS_PER_YEAR):
        assert post({**document, "people_reached": n}).status == 201
    refused = post({**document, "people_reached": 999})
    assert (refused.status, refused.body["error"]["code"]) == (409, "too_many_report_revisions")


def test_dates_outside_the_service_years_are_form_errors(api: Api, loan: str) -> None:
    for on in ("9999-12-31", "1800-01-01", "0"):
        reply = api.call(follow_up_event(loan, {"on": on}))
        assert reply.status == 422, on


@pytest.mark.parametrize("written", ["811218–9876", "811218\u00a09876", "81-12-18-9876"])
def test_a_personal_identity_number_however_written_is_refused(
    api: Api, loan: str, post: Any, written: str, aws: Any
) -> None:
    document = report("kungalv-2027-on-track.json")
    document["narrative"] = f"Kontakt: Anna, {written}."
    reply = post(document)
    assert reply.status == 422
    assert [f["field"] for f in reply.body["error"]["fields"]] == ["narrative"]
    assert items(aws, prefix="report#") == []
