"""The police's lists of vulnerable areas: complete editions, matched as people write them,
never matching what is not on the list, and chosen by the submission date."""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest

from screening.ruleset.compiled import CompiledRuleset
from screening.ruleset.derived import Area, Edition, VulnerableAreas, fold


@pytest.fixture(scope="module")
def areas(ruleset: CompiledRuleset) -> VulnerableAreas:
    return ruleset.vulnerable_areas


def test_each_edition_has_every_area_the_police_state(areas: VulnerableAreas) -> None:
    by_edition = {e.edition: e for e in areas.editions}
    assert set(by_edition) == {"2023", "2025"}
    assert len(by_edition["2023"].areas) == 59
    assert len(by_edition["2025"].areas) == 65
    for edition in areas.editions:
        assert {a.level for a in edition.areas} <= {
            "particularly_vulnerable",
            "risk_area",
            "vulnerable",
        }
        names = [a.name for a in edition.areas]
        assert len(names) == len(set(names))
    levels_2025 = {a.level for a in by_edition["2025"].areas}
    assert sum(a.level == "particularly_vulnerable" for a in by_edition["2025"].areas) == 19
    assert levels_2025 == {"particularly_vulnerable", "vulnerable"}


def test_the_edition_in_force_follows_the_submission_date(areas: VulnerableAreas) -> None:
    assert areas.in_force(date(2023, 11, 30)) is None
    assert areas.in_force(date(2024, 6, 1)).edition == "2023"  # type: ignore[union-attr]
    assert areas.in_force(date(2025, 12, 1)).edition == "2023"  # type: ignore[union-attr]
    assert areas.in_force(date(2025, 12, 2)).edition == "2025"  # type: ignore[union-attr]


def _strip_diacritics(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def variants(name: str) -> list[str]:
    return [
        name,
        name.upper(),
        name.lower(),
        _strip_diacritics(name),
        name.replace(" ", "-"),
        name.replace("/", " / "),
        f"{name} centrum",
    ]


def municipality_variants(name: str) -> list[str]:
    genitive = name if name.endswith("s") else f"{name}s"
    return [name, f"{name} kommun", f"{genitive} stad", name.upper(), _strip_diacritics(name)]


@pytest.mark.parametrize("edition", ["2023", "2025"])
def test_every_entry_matches_itself_as_people_write_it(
    areas: VulnerableAreas, edition: str
) -> None:
    current = next(e for e in areas.editions if e.edition == edition)
    on = current.published
    for area in current.areas:
        for municipality in municipality_variants(area.municipality):
            for written in [*variants(area.name), *(v for k in area.known_as for v in variants(k))]:
                found = areas.matches(municipality, [written], on)
                assert [m.area.name for m in found] == [area.name], (municipality, written)


def test_a_district_named_inside_a_combined_area_matches_it(areas: VulnerableAreas) -> None:
    found = areas.matches("Stockholms stad", ["Tensta"], date(2024, 1, 15))
    assert [(m.area.name, m.edition.edition) for m in found] == [("Rinkeby/Tensta", "2023")]
    split = areas.matches("Stockholm", ["Tensta"], date(2026, 1, 15))
    assert [(m.area.name, m.edition.edition) for m in split] == [("Tensta", "2025")]


@pytest.mark.parametrize(
    ("municipality", "district"),
    [
        ("Botkyrka", "Tumba"),  # a real district, not on the list
        ("Exempelby", "Fittja"),  # a listed name in another municipality
        ("Stockholm", "Fittja"),
        ("Göteborg", "Hjällbovägen"),  # a word that merely starts with a listed name
        ("Uppsala", "Eriksberg"),
        ("Malmö", ""),
    ],
)
def test_a_district_not_on_the_list_does_not_match(
    areas: VulnerableAreas, municipality: str, district: str
) -> None:
    assert areas.matches(municipality, [district], date(2026, 6, 1)) == []


def test_folding_ignores_case_diacritics_and_punctuation() -> None:
    assert fold("Göteborg-HJÄLLBO") == "goteborg hjallbo"
    assert fold("Rinkeby/Tensta") == "rinkeby tensta"


def test_a_match_says_area_level_and_municipality() -> None:
    edition = Edition(
        "2025",
        "Test",
        date(2025, 12, 2),
        None,
        (Area("Fittja", "Botkyrka", "particularly_vulnerable", ()),),
    )
    (match,) = VulnerableAreas([edition]).matches("Botkyrka kommun", ["fittja"], date(2026, 1, 1))
    assert match.describe("sv") == "Fittja, Botkyrka: särskilt utsatt område"
    assert match.describe("en") == "Fittja, Botkyrka: particularly vulnerable area"
    (written,) = VulnerableAreas([edition]).matches(
        "Botkyrka", ["Fittja centrum"], date(2026, 1, 1)
    )
    assert written.describe("sv") == "Fittja (Fittja centrum), Botkyrka: särskilt utsatt område"
