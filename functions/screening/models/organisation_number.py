"""Swedish *organisationsnummer*: format, Luhn check digit and organisation group.

Ten digits written NNNNNN-NNNN. The last digit is a Luhn check digit over the first nine
(weights 2,1,2,1,…). The third digit is at least 2, which is what tells an organisation number
from a personal identity number. The first digit is the organisation group.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, Field

_FORMAT = re.compile(r"^\d{6}-\d{4}$")


class OrganisationGroup(StrEnum):
    """The organisation group named by the first digit (Skatteverket's grouping)."""

    estate = "estate"  # 1: dödsbon
    public_body = "public_body"  # 2: stat, region, kommun
    foreign_company = "foreign_company"  # 3: utländska företag
    limited_company = "limited_company"  # 5: aktiebolag, e.g. municipal housing companies
    partnership = "partnership"  # 6: enkla bolag
    economic_association = "economic_association"  # 7: ekonomiska föreningar
    non_profit_or_foundation = "non_profit_or_foundation"  # 8: ideella föreningar, stiftelser
    trading_partnership = "trading_partnership"  # 9: handels- och kommanditbolag
    unknown = "unknown"


#: First digit → organisation group.
ORGANISATION_GROUPS: dict[str, OrganisationGroup] = {
    "1": OrganisationGroup.estate,
    "2": OrganisationGroup.public_body,
    "3": OrganisationGroup.foreign_company,
    "5": OrganisationGroup.limited_company,
    "6": OrganisationGroup.partnership,
    "7": OrganisationGroup.economic_association,
    "8": OrganisationGroup.non_profit_or_foundation,
    "9": OrganisationGroup.trading_partnership,
}


def luhn_check_digit(nine_digits: str) -> int:
    """The Luhn check digit over nine digits, weights 2,1,2,1,… from the left."""
    total = 0
    for index, char in enumerate(nine_digits):
        product = int(char) * (2 if index % 2 == 0 else 1)
        total += product // 10 + product % 10
    return (10 - total % 10) % 10


def _validate(value: str) -> str:
    # Messages never repeat the value: a mistyped personal identity number is personal data.
    if not _FORMAT.match(value):
        raise ValueError("must be written NNNNNN-NNNN (ten digits with a hyphen)")
    digits = value.replace("-", "")
    if int(digits[2]) < 2:
        raise ValueError(
            "third digit must be 2 or higher (this looks like a personal identity number)"
        )
    if luhn_check_digit(digits[:9]) != int(digits[9]):
        raise ValueError("check digit does not match (Luhn); check for a typing error")
    return value


def organisation_group(value: str) -> OrganisationGroup:
    """The organisation group named by the first digit, or ``unknown``."""
    return ORGANISATION_GROUPS.get(value[:1], OrganisationGroup.unknown)


OrganisationNumber = Annotated[
    str,
    Field(
        description="Swedish organisationsnummer, NNNNNN-NNNN with a valid Luhn check digit",
        examples=["212000-2882"],
        # For the JSON Schema only: the validator below gives the friendlier messages.
        json_schema_extra={"pattern": r"^\d{6}-\d{4}$", "minLength": 11, "maxLength": 11},
    ),
    AfterValidator(_validate),
]
