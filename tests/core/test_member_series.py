"""Who is a member: municipalities (212000-xxxx) and regions (232100-xxxx), told from the rest
of the public bodies (the state, kommunalförbund …) by the series in the rule parameters."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from screening.ruleset.compiled import CompiledRuleset
from screening.ruleset.derived import MemberSeries, PublicBodyKind

SERIES = MemberSeries(municipality=("212000",), region=("232100",))


@dataclass(frozen=True)
class Owner:
    organisation_number: str
    ownership_share_percent: float
    controlled_by_members: bool | None = None


@pytest.mark.parametrize(
    ("number", "kind"),
    [
        ("212000-0142", PublicBodyKind.municipality),  # Stockholm
        ("232100-0016", PublicBodyKind.region),  # Region Stockholm
        ("202100-4979", PublicBodyKind.other_public_body),  # Statens fastighetsverk
        ("202100-5448", PublicBodyKind.other_public_body),  # Skatteverket
        ("222000-0018", PublicBodyKind.other_public_body),  # a kommunalförbund
        ("556000-0001", PublicBodyKind.not_public_body),
        ("802000-0009", PublicBodyKind.not_public_body),
    ],
)
def test_a_number_is_a_municipality_or_region_only_in_its_series(
    number: str, kind: PublicBodyKind
) -> None:
    assert SERIES.kind(number) is kind


def test_the_share_counts_municipalities_regions_and_owners_said_to_be_controlled() -> None:
    owners = [
        Owner("212000-0142", 30),
        Owner("232100-0016", 20),
        Owner("202100-4979", 25),  # the state: not a member
        Owner("556123-4567", 15, controlled_by_members=True),  # a stadshus-AB
        Owner("222000-0018", 10),  # a kommunalförbund, control not stated
    ]
    assert SERIES.member_share_percent(owners) == 65


def test_without_the_series_no_number_is_a_member() -> None:
    # An older or broken ruleset without the parameters: every 2-number refers, none counts.
    assert MemberSeries().kind("212000-0142") is PublicBodyKind.other_public_body
    assert MemberSeries().member_share_percent([Owner("212000-0142", 100)]) == 0


def test_the_series_are_read_from_the_rules_parameters(ruleset: CompiledRuleset) -> None:
    assert MemberSeries.of(ruleset.rules) == SERIES
