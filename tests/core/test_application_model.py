"""The application contract: where form ends and content begins.

The schema refuses only what is unreadable as data, naming every bad field by path and never
repeating what was sent; every answer to the framework's questions may be absent.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from screening.models.application import Application
from screening.validation import ApplicationInvalid, parse_application


def errors_of(document: Any) -> dict[str, str]:
    with pytest.raises(ApplicationInvalid) as raised:
        parse_application(document)
    return {e.field: e.message for e in raised.value.errors}


def test_the_base_application_is_valid(base_document: dict) -> None:
    application = parse_application(base_document)
    assert application.applicant.member_share_percent == 100
    assert application.applicant.organisation_group.value == "limited_company"


def test_every_social_content_answer_may_be_absent(base_document: dict) -> None:
    del base_document["social_content"]
    application = parse_application(base_document)
    content = application.social_content
    assert content.needs is None and content.target_group is None and content.evaluation is None
    assert content.effect_goals == [] and content.interventions == []
    assert content.time_horizon_years is None


def test_a_blank_answer_is_no_answer(base_document: dict) -> None:
    base_document["social_content"]["desired_change"] = "   "
    base_document["social_content"]["future_state"] = ""
    application = parse_application(base_document)
    assert application.social_content.desired_change is None
    assert application.social_content.future_state is None


def test_every_bad_field_is_named_by_path(base_document: dict) -> None:
    base_document["applicant"]["organisation_number"] = "212000-2883"
    base_document["project"]["loan_amount_sek"] = -5
    base_document["project"]["end_date"] = "2026-01-01"
    base_document["project"]["investment_kind"] = "yacht"
    base_document["social_content"]["effect_goals"][1]["target_year"] = 2020
    base_document["contact_person"]["email"] = "not-an-email"
    errors = errors_of(base_document)
    assert set(errors) == {
        "applicant.organisation_number",
        "project.loan_amount_sek",
        "project.end_date",
        "project.investment_kind",
        "social_content.effect_goals.1.target_year",
        "contact_person.email",
    }
    assert errors["project.end_date"] == "must be after start_date"
    assert "check digit" in errors["applicant.organisation_number"]


@pytest.mark.parametrize(
    ("where", "value", "message"),
    [
        (("project", "start_date"), 0, "must be a date written YYYY-MM-DD"),
        (("project", "applies_for_green_loan"), "yes", "must be true or false"),
        (("project", "loan_amount_sek"), 1.5, "must be a whole number"),
        (("project", "loan_amount_sek"), "100", "must be a whole number"),
        (("submitted_at",), "2026-10-01T09:00:00", "Input should have timezone info"),
        (("social_content", "time_horizon_years"), 0, "Input should be greater than or equal to 1"),
    ],
)
def test_json_means_what_it_says(
    base_document: dict, where: tuple[str, ...], value: Any, message: str
) -> None:
    node = base_document
    for step in where[:-1]:
        node = node[step]
    node[where[-1]] = value
    assert errors_of(base_document) == {".".join(where): message}


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity", "1e400"])
def test_numbers_must_be_finite(base_document: dict, number: str) -> None:
    text = json.dumps(base_document).replace(
        '"ownership_share_percent": 100', f'"ownership_share_percent": {number}'
    )
    assert number in text
    errors = errors_of(text)
    assert list(errors) in (["(body)"], ["applicant.owners.0.ownership_share_percent"])


def test_unknown_fields_are_named_by_their_parent_never_by_their_text(base_document: dict) -> None:
    base_document["project"]["colour"] = "green"
    base_document["contact_person"]["Anna Andersson 19800101-1234"] = "x"
    base_document["Anna Andersson"] = 1
    errors = errors_of(base_document)
    assert set(errors) == {"project", "contact_person", "(body)"}
    assert all("unknown field" in m for m in errors.values())
    assert "Anna" not in json.dumps(errors) and "1234" not in json.dumps(errors)


def test_no_error_message_repeats_a_submitted_value(base_document: dict) -> None:
    base_document["applicant"]["organisation_number"] = "19800101-1234"
    base_document["contact_person"]["email"] = "anna.19800101@@x"
    base_document["project"]["investment_kind"] = "Anna Andersson"
    errors = errors_of(base_document)
    text = json.dumps(errors)
    assert "19800101" not in text and "Anna" not in text


def test_a_body_that_is_not_an_object_is_a_schema_error() -> None:
    assert errors_of("[1, 2]") == {"(body)": "must be a JSON object"}
    assert errors_of('"text"') == {"(body)": "must be a JSON object"}


@pytest.mark.parametrize(
    "text", ["{", '{"a": 1', "[" * 5_000 + "]" * 5_000, '{"a": ' + "9" * 5_000 + "}"]
)
def test_unreadable_json_is_one_body_error(text: str) -> None:
    assert errors_of(text) == {"(body)": "is not valid JSON"}


def test_owners_cannot_hold_more_than_the_whole_company(base_document: dict) -> None:
    owner = base_document["applicant"]["owners"][0]
    base_document["applicant"]["owners"] = [owner, {**owner, "ownership_share_percent": 10}]
    assert errors_of(base_document) == {
        "applicant.owners": "the owners' shares add up to more than 100 percent"
    }


def test_the_json_schema_states_the_order_rule_and_the_optional_answers() -> None:
    schema = Application.model_json_schema()
    project = schema["$defs"]["Project"]["properties"]
    assert "after start_date" in project["end_date"]["description"]
    assert "social_content" not in schema.get("required", [])


@pytest.mark.parametrize(
    ("path", "text"),
    [
        (("social_content", "needs", "description"), "Familjen med pnr 19811218-9876 bor trångt."),
        (("social_content", "desired_change"), "Som 811218 9876 berättade: fler vill stanna."),
        (("project", "title"), "Fritidsgård 811218-9876"),
    ],
)
def test_an_application_text_holding_a_personal_identity_number_is_refused_by_field(
    base_document: dict, path: tuple[str, ...], text: str
) -> None:
    # The service stores the application and shows it to the committee: it holds no personal
    # data. The error names the field and never repeats the number.
    node = base_document
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = text
    errors = errors_of(base_document)
    field = ".".join(path)
    assert set(errors) == {field}
    assert "personal identity number" in errors[field]
    assert "9876" not in json.dumps(errors)


def test_organisation_numbers_dates_and_amounts_in_an_answer_are_not_refused(
    base_document: dict,
) -> None:
    base_document["social_content"]["desired_change"] = (
        "Bolaget 556677-8899 och kommunen 212000-0142 bygger 2026-2028 för 45 000 000 kr; "
        "mätning 20260115, telefon 08-123 456 78."
    )
    assert parse_application(base_document).social_content.desired_change


def test_a_blank_district_or_partner_is_left_out_not_refused(base_document: dict) -> None:
    base_document["project"]["districts"] = ["  ", base_document["project"]["districts"][0], ""]
    base_document["social_content"]["interventions"][0]["partners"] = [""]
    application = parse_application(base_document)
    assert len(application.project.districts) == 1
    assert application.social_content.interventions[0].partners == []


def test_a_blank_figure_in_the_needs_evidence_is_no_answer_not_a_form_error(
    base_document: dict,
) -> None:
    base_document["social_content"]["needs"]["evidence"] = [{"fact": " ", "source": "SCB"}]
    application = parse_application(base_document)
    assert application.social_content.needs is not None
    assert application.social_content.needs.evidence[0].fact is None


def test_an_owner_without_its_share_is_a_rule_result_not_a_form_error(
    base_document: dict,
) -> None:
    del base_document["applicant"]["owners"][0]["ownership_share_percent"]
    application = parse_application(base_document)
    assert application.applicant.owners[0].ownership_share_percent is None
    assert application.applicant.member_share_percent == 0
