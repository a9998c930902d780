"""The application contract: every bad field named by path, and no value echoed back."""

from typing import Any

import pytest

from screening import ApplicationInvalid, parse_application


def errors_of(document: Any) -> dict[str, str]:
    with pytest.raises(ApplicationInvalid) as raised:
        parse_application(document)
    return {e.field: e.message for e in raised.value.errors}


def test_the_base_application_is_valid(base_document: dict) -> None:
    application = parse_application(base_document)
    assert application.project.duration_years == pytest.approx(3.0, abs=0.01)
    assert application.project.district_keys == ["exempelby/norra kvarteren"]


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
    assert "after start_date" in errors["project.end_date"]
    assert "check digit" in errors["applicant.organisation_number"]


def test_unknown_fields_are_rejected(base_document: dict) -> None:
    base_document["project"]["colour"] = "green"
    base_document["extra"] = 1
    assert errors_of(base_document) == {
        "project.colour": "unknown field; remove it",
        "extra": "unknown field; remove it",
    }


def test_missing_fields_are_required(base_document: dict) -> None:
    del base_document["social_content"]["target_group"]
    del base_document["applicant"]["declares_membership"]
    assert errors_of(base_document) == {
        "social_content.target_group": "is required",
        "applicant.declares_membership": "is required",
    }


def test_amounts_are_whole_kronor(base_document: dict) -> None:
    base_document["project"]["loan_amount_sek"] = 1000.5
    base_document["project"]["total_investment_sek"] = "1000"
    assert set(errors_of(base_document)) == {
        "project.loan_amount_sek",
        "project.total_investment_sek",
    }


def test_text_lengths_are_bounded(base_document: dict) -> None:
    base_document["project"]["description"] = "x" * 5001
    base_document["project"]["title"] = ""
    assert set(errors_of(base_document)) == {"project.description", "project.title"}


def test_secondary_category_must_differ(base_document: dict) -> None:
    base_document["project"]["secondary_category"] = "housing"
    assert errors_of(base_document) == {
        "project.secondary_category": "must differ from declared_category"
    }


def test_errors_never_echo_personal_data(base_document: dict) -> None:
    base_document["contact_person"] = {
        "name": "Greta Personsson",
        "email": "greta.personsson(at)example.se",
        "phone": "ring mig 070-1234567 efter lunch",
    }
    with pytest.raises(ApplicationInvalid) as raised:
        parse_application(base_document)
    text = str(raised.value)
    assert "contact_person.email" in text and "contact_person.phone" in text
    for secret in ("Personsson", "greta.personsson", "070-1234567"):
        assert secret not in text


def test_a_non_object_body_is_one_error() -> None:
    assert errors_of([1, 2]) == {"(body)": "must be a JSON object"}
