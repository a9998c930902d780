"""The committee's decisions: recorded by API and by CSV, append-only, shown with the verdict;
agreement with the pre-screening; rescreening a stored application."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from service_support import Api, items
from workbench.cli import main
from workbench.local.events import (
    agreement_event,
    decision_event,
    get_event,
    rescreen_event,
    submit_event,
)

DECISION = {
    "decision": "granted",
    "decision_date": "2026-11-20",
    "round": "2026-R3",
    "screening_revision": 1,
    "assessments": {"grundkrav_3": "met", "grundkrav_5": "not_met"},
    "overridden_rules": [],
    "motivation": "Väl underbyggd målgrupp; utvärderingen ska kompletteras.",
}


def put_decision(api: Api, application_id: str, body: Any, **kw: Any):  # type: ignore[no-untyped-def]
    text = body if isinstance(body, str) else json.dumps(body)
    return api.call(decision_event(application_id, text, **kw))


@pytest.fixture
def submitted(api: Api, base_document: dict) -> str:
    assert api.call(submit_event(json.dumps(base_document))).status == 201
    return str(base_document["application_id"])


def test_a_decision_is_recorded_and_shown_with_the_verdict(
    api: Api, submitted: str, aws: Any
) -> None:
    reply = put_decision(api, submitted, DECISION)
    assert reply.status == 201, reply.body
    assert reply.body["number"] == 1 and reply.body["source"] == "api"
    history = api.call(get_event(submitted)).body
    assert history["decision"]["decision"] == "granted"
    assert history["decision"]["assessments"] == {"grundkrav_3": "met", "grundkrav_5": "not_met"}
    assert [d["number"] for d in history["decisions"]] == [1]
    assert len(items(aws, prefix="decision#")) == 1


def test_a_repeated_identical_decision_stores_nothing_and_a_changed_one_supersedes(
    api: Api, submitted: str, aws: Any
) -> None:
    assert put_decision(api, submitted, DECISION).status == 201
    again = put_decision(api, submitted, DECISION)
    assert (again.status, again.body["number"]) == (200, 1)
    changed = {**DECISION, "decision": "returned", "motivation": "Komplettera utvärderingen."}
    second = put_decision(api, submitted, changed)
    assert (second.status, second.body["number"]) == (201, 2)
    history = api.call(get_event(submitted)).body
    assert history["decision"]["decision"] == "returned"
    assert [d["number"] for d in history["decisions"]] == [2, 1]  # the history stays
    assert len(items(aws, prefix="decision#")) == 2


def test_a_decision_for_an_unknown_application_or_revision_is_404(api: Api, submitted: str) -> None:
    assert put_decision(api, "LSH-NOPE-1", DECISION).status == 404
    reply = put_decision(api, submitted, {**DECISION, "screening_revision": 7})
    assert reply.status == 404 and "revision 7" in reply.body["error"]["message"]


def test_invalid_decisions_name_each_field(api: Api, submitted: str, aws: Any) -> None:
    reply = put_decision(
        api,
        submitted,
        {**DECISION, "decision": "approved", "round": "R3", "decision_date": "20/11/2026"},
    )
    assert reply.status == 422
    assert reply.body["error"]["code"] == "invalid_decision"
    assert {f["field"] for f in reply.body["error"]["fields"]} == {
        "decision",
        "round",
        "decision_date",
    }
    unknown = put_decision(
        api,
        submitted,
        {
            **DECISION,
            "overridden_rules": ["grundkrav_9.nothing"],
            "assessments": {"grundkrav_9": "met"},
        },
    )
    assert unknown.status == 422
    assert {f["field"] for f in unknown.body["error"]["fields"]} == {
        "overridden_rules.0",
        "assessments",
    }
    assert items(aws, prefix="decision#") == []


def test_only_the_committee_records_decisions(api: Api, submitted: str) -> None:
    from workbench.local.events import iam_context

    assert put_decision(api, submitted, DECISION, authorizer=iam_context()).status == 403
    assert put_decision(api, submitted, DECISION, authorizer={}).status == 401


def test_agreement_tables_outcome_by_decision_and_lists_false_rejects_first(
    api: Api, base_document: dict
) -> None:
    cases = [
        ("AGR-1", {}, "granted"),  # eligible, granted: agrees
        ("AGR-2", {"project": {"investment_kind": "operating_cost"}}, "granted"),  # a false reject
        ("AGR-3", {"project": {"investment_kind": "operating_cost"}}, "declined"),
        ("AGR-4", {"applicant": {"declares_membership": False}}, "granted"),  # needs_review
    ]
    for application_id, change, decided in cases:
        document = copy.deepcopy(base_document)
        document["application_id"] = application_id
        for section, values in change.items():
            document[section].update(values)
        assert api.call(submit_event(json.dumps(document))).status == 201
        body = {**DECISION, "decision": decided, "assessments": {}}
        if application_id == "AGR-2":
            body["overridden_rules"] = ["investment.physical"]
        assert put_decision(api, application_id, body).status == 201
    reply = api.call(agreement_event({"round": "2026-R3", "min_failed": "1"}))
    assert reply.status == 200, reply.body
    result = reply.body
    assert result["decided"] == 4
    assert result["matrix"]["eligible"]["granted"] == 1
    assert result["matrix"]["ineligible"] == {"granted": 1, "declined": 1, "returned": 0}
    assert (result["agreeing"], result["comparable"]) == (2, 3)
    assert [r["application_id"] for r in result["false_rejects"]] == ["AGR-2"]
    assert result["applications"][0]["application_id"] == "AGR-2"
    physical = next(r for r in result["rules"] if r["rule_id"] == "investment.physical")
    assert (physical["failed"], physical["granted_anyway"], physical["named_as_overridden"]) == (
        2,
        1,
        1,
    )
    assert physical["override_rate"] == 0.5 and physical["flag"] == "often_overridden"
    assert api.call(agreement_event({"round": "2025-R1"})).body["decided"] == 0
    assert api.call(agreement_event({"from": "2026-12-01", "to": "2026-11-01"})).status == 422


def test_rescreen_appends_a_revision_and_keeps_the_old_one(
    api: Api, submitted: str, aws: Any
) -> None:
    reply = api.call(rescreen_event(submitted))
    assert reply.status == 201, reply.body
    assert (reply.body["revision"], reply.body["kind"]) == (2, "rescreen")
    history = api.call(get_event(submitted)).body
    assert [h["revision"] for h in history["history"]] == [2, 1]
    assert history["latest"]["revision"] == 2
    stored = items(aws)
    assert {json.loads(i["application"]["S"])["application_id"] for i in stored} == {submitted}
    assert stored[0]["application"]["S"] == stored[1]["application"]["S"]  # never changed
    unknown = api.call(rescreen_event(submitted, {"release": "1999.1.1"}))
    assert unknown.status == 422
    assert api.call(rescreen_event("LSH-NOPE-1")).status == 404
    head = next(i for i in items(aws, prefix="head"))
    assert head["day_count"]["N"] == "1"  # rescreens never use up the portal's daily cap


def test_decisions_import_from_the_minutes(
    api: Api, base_document: dict, aws: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for n in (1, 2):
        document = copy.deepcopy(base_document)
        document["application_id"] = f"CSV-{n}"
        assert api.call(submit_event(json.dumps(document))).status == 201
    minutes = tmp_path / "protokoll.csv"
    minutes.write_bytes(
        "\ufeffAnsökan;Revision;Beslut;Beslutsdatum;Omgång;Överprövade regler;Bedömning;Motivering\n"
        "CSV-1;1;beviljat;2026-11-20;2026-R3;;grundkrav_3=uppfyllt grundkrav_5=ej_uppfyllt;Bra.\n"
        "CSV-2;1;återremiss;2026-11-20;2026-R3;borrower.membership;;Komplettera.\n".encode()
    )
    assert main(["decisions", "import", str(minutes), "--table", "test-screenings"]) == 0
    assert "2 decision(s) recorded, 0 unchanged" in capsys.readouterr().out
    assert main(["decisions", "import", str(minutes), "--table", "test-screenings"]) == 0
    assert "0 decision(s) recorded, 2 unchanged" in capsys.readouterr().out
    first = api.call(get_event("CSV-1")).body["decision"]
    assert (first["decision"], first["source"]) == ("granted", "csv")
    assert first["assessments"] == {"grundkrav_3": "met", "grundkrav_5": "not_met"}


def test_a_malformed_minutes_file_stores_nothing_and_names_row_and_column(
    api: Api, base_document: dict, aws: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert api.call(submit_event(json.dumps(base_document))).status == 201
    application_id = base_document["application_id"]
    minutes = tmp_path / "protokoll.csv"
    minutes.write_text(
        "ansökan,revision,beslut,beslutsdatum,omgång\n"
        f"{application_id},1,beviljat,2026-11-20,2026-R3\n"
        f"{application_id}-x,1,beviljat,2026-11-20,2026-R3\n"
        f"{application_id},1,godkänd,2026-13-40,R3\n",
        "utf-8",
    )
    assert main(["decisions", "import", str(minutes), "--table", "test-screenings"]) == 2
    err = capsys.readouterr().err
    assert "rad 3, kolumn 'ansökan': no screening revision 1" in err
    assert "rad 4, kolumn 'ansökan': ansökan finns redan på rad 2" in err
    assert "nothing was stored" in err
    assert items(aws, prefix="decision#") == []
    bad_values = tmp_path / "values.csv"
    bad_values.write_text(
        "ansökan;revision;beslut;beslutsdatum;omgång\n"
        f"{application_id};ett;godkänd;2026-13-40;R3\n",
        "utf-8",
    )
    assert main(["decisions", "import", str(bad_values), "--table", "test-screenings"]) == 2
    err = capsys.readouterr().err
    assert "rad 2, kolumn 'beslut': inget beslut" in err
    assert "rad 2, kolumn 'revision': revisionen är ett heltal" in err
    assert items(aws, prefix="decision#") == []


def test_export_writes_every_application_without_personal_data_and_resumes(
    api: Api, base_document: dict, aws: Any, tmp_path: Path
) -> None:
    base_document["contact_person"] = {"name": "Kanarie Exportsson", "email": "kanarie@example.se"}
    for n in range(5):
        document = copy.deepcopy(base_document)
        document["application_id"] = f"EXP-{n}"
        assert api.call(submit_event(json.dumps(document))).status == 201
    assert put_decision(api, "EXP-0", DECISION).status == 201
    out = tmp_path / "export.jsonl"
    resume = tmp_path / "export.cursor"
    assert (
        main(
            [
                "export",
                "--table",
                "test-screenings",
                "--out",
                str(out),
                "--resume-file",
                str(resume),
                "--page-size",
                "2",
            ]
        )
        == 0
    )
    lines = out.read_text("utf-8").splitlines()
    assert sorted(json.loads(line)["application_id"] for line in lines) == [
        f"EXP-{n}" for n in range(5)
    ]
    assert "Kanarie" not in out.read_text("utf-8") and "kanarie@" not in out.read_text("utf-8")
    decided = next(
        json.loads(line) for line in lines if json.loads(line)["application_id"] == "EXP-0"
    )
    assert decided["decisions"][0]["decision"] == "granted"
    assert resume.read_text("utf-8") == ""  # finished: nothing to resume


def test_the_contact_person_is_in_no_stored_item_export_line_report_or_log(
    api: Api, base_document: dict, aws: Any, tmp_path: Path, log_output: Any
) -> None:
    """A canary contact person through the whole loop: submit, decide, rescreen, every report,
    agreement, export. It is found nowhere."""
    from workbench.local.events import agreement_report_event, report_event, round_event

    canary = {
        "name": "Kanarie Hemligsson",
        "email": "kanarie.hemlig@example.se",
        "phone": "+46 70 111 22 33",
    }
    document = copy.deepcopy(base_document)
    document["application_id"] = "CANARY-1"
    document["contact_person"] = canary
    assert api.call(submit_event(json.dumps(document))).status == 201
    assert put_decision(api, "CANARY-1", DECISION).status == 201
    assert api.call(rescreen_event("CANARY-1")).status == 201
    seen = [
        api.call(get_event("CANARY-1")).body,
        api.call(report_event("CANARY-1")).body,
        api.call(report_event("CANARY-1", {"lang": "en"})).body,
        api.call(round_event({"from": "2000-01-01", "to": "2100-12-31"})).body,
        api.call(agreement_event({"round": "2026-R3"})).body,
        api.call(agreement_report_event({"round": "2026-R3"})).body,
    ]
    out = tmp_path / "export.jsonl"
    assert main(["export", "--table", "test-screenings", "--out", str(out)]) == 0
    everything = "\n".join(
        [
            *(s if isinstance(s, str) else json.dumps(s, ensure_ascii=False) for s in seen),
            json.dumps(items(aws, prefix=""), ensure_ascii=False),
            out.read_text("utf-8"),
            log_output.getvalue(),
        ]
    )
    assert "CANARY-1" in everything  # the search does look at what was produced
    for value in canary.values():
        assert value not in everything


def test_a_motivation_with_a_personal_identity_number_is_refused(
    api: Api, submitted: str, aws: Any
) -> None:
    body = {**DECISION, "motivation": "Enligt Anna Andersson 811218-9876."}
    reply = put_decision(api, submitted, body)
    assert reply.status == 422
    assert [f["field"] for f in reply.body["error"]["fields"]] == ["motivation"]
    assert "9876" not in json.dumps(reply.body)
    assert items(aws, prefix="decision#") == []


def test_a_bad_assessment_key_is_named_as_a_key_never_repeated(api: Api, submitted: str) -> None:
    body = {**DECISION, "assessments": {"811218-9876": "met", "grundkrav_3": "perhaps"}}
    reply = put_decision(api, submitted, body)
    assert reply.status == 422
    fields = [f["field"] for f in reply.body["error"]["fields"]]
    assert "assessments.[key]" in fields and "assessments.grundkrav_3" in fields
    assert "9876" not in json.dumps(reply.body)


def test_an_inverted_override_band_is_422(api: Api) -> None:
    reply = api.call(agreement_event({"low": "0.9", "high": "0.1"}))
    assert reply.status == 422
    assert [f["field"] for f in reply.body["error"]["fields"]] == ["low"]
