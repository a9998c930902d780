import pytest
from pydantic import TypeAdapter, ValidationError

from screening.models.organisation_number import (
    OrganisationNumber,
    luhn_check_digit,
    organisation_group,
)

adapter = TypeAdapter(OrganisationNumber)


@pytest.mark.parametrize(
    "number",
    ["212000-2882", "212000-0142", "212000-1355", "232100-0008", "556000-0001"],
)
def test_published_and_computed_numbers_are_valid(number: str) -> None:
    assert adapter.validate_python(number) == number


def test_check_digit_is_luhn_over_nine_digits() -> None:
    # Botkyrka: 2·2 + 1 + 2·2 + 0 + 0 + 0 + 2·2 + 8 + (2·8 → 1+6) = 28 → check digit 2
    assert luhn_check_digit("212000288") == 2


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        ("212000-2883", "check digit"),
        ("2120002882", "NNNNNN-NNNN"),
        ("21200-02882", "NNNNNN-NNNN"),
        ("851212-1234", "third digit"),  # a personal identity number shape
    ],
)
def test_invalid_numbers_are_refused_without_echoing_them(number: str, expected: str) -> None:
    with pytest.raises(ValidationError) as raised:
        adapter.validate_python(number)
    message = str(raised.value.errors(include_input=False)[0]["msg"])
    assert expected in message
    assert number not in message


def test_group_comes_from_the_first_digit() -> None:
    assert organisation_group("212000-2882") == "public_body"
    assert organisation_group("556000-0001") == "limited_company"
    assert organisation_group("802000-0009") == "non_profit_or_foundation"
