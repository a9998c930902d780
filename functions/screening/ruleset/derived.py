"""Values derived from rule data, not from the application alone: the vulnerable areas, and
who among the applicant and its owners is a municipality or a region.

The police publish a list of vulnerable areas every two years (``rules/data/vulnerable-areas/``,
one file per edition). An application is matched against the edition in force on its
submission date: the newest edition published on or before it.

Names are matched the way people write them: case, diacritics, hyphens, slashes and spaces do
not matter, "kommun"/"stad" after a municipality's name (and its genitive s) is ignored, and a
district matches an area when it is one of the area's names (the parts of a combined name such
as "Rinkeby/Tensta", and the names it is known by) or contains one as whole words
("Fittja centrum"). The municipality must match too. A match is a note for the committee,
never a decision.

Members of the lender are municipalities and regions. An organisation number starting with 2 is
a public body (Skatteverket's grouping), but that group holds the state's agencies,
kommunalförbund, parishes and more beside them. Municipalities are numbered 212000-xxxx and
regions 232100-xxxx: the series are rule parameters (``municipality_number_series``,
``region_number_series``, see :class:`MemberSeries`), resting on the rule authors' assumption,
so only rules that refer may read what is derived from them. Any other 2-number is
``other_public_body``: never counted as a member, never grounds for a reject.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import lru_cache
from typing import Any

LEVELS: Mapping[str, Mapping[str, str]] = {
    "particularly_vulnerable": {
        "sv": "särskilt utsatt område",
        "en": "particularly vulnerable area",
    },
    "risk_area": {"sv": "riskområde", "en": "risk area"},
    "vulnerable": {"sv": "utsatt område", "en": "vulnerable area"},
}
_SUFFIXES = re.compile(r"\s+(kommun|stad|municipality|city)$")


@lru_cache(maxsize=4096)  # names repeat (290 municipalities, their districts); memory bounded
def fold(text: str) -> str:
    """Case, diacritics and punctuation folded away: 'Göteborg-Hjällbo' → 'goteborg hjallbo'."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    letters = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w]+", " ", letters).split())


@lru_cache(maxsize=1024)
def municipality_forms(name: str) -> frozenset[str]:
    """'Göteborgs stad' → {'goteborgs', 'goteborg'}: the name with and without a genitive s."""
    folded = _SUFFIXES.sub("", fold(name))
    return frozenset({folded, folded[:-1]} if folded.endswith("s") else {folded})


@dataclass(frozen=True, slots=True)
class Area:
    name: str
    municipality: str
    level: str
    known_as: tuple[str, ...]

    def names(self) -> frozenset[str]:
        parts = [p for p in re.split(r"[/,]", self.name) if p.strip()]
        return frozenset(fold(n) for n in (self.name, *parts, *self.known_as) if fold(n))


@dataclass(frozen=True, slots=True)
class Edition:
    edition: str
    title: str
    published: date
    source_url: str | None
    areas: tuple[Area, ...]

    def describe(self, language: str) -> str:
        if language == "sv":
            return f"polisens lista {self.edition} (publicerad {self.published.isoformat()})"
        return f"the police list of {self.edition} (published {self.published.isoformat()})"


@dataclass(frozen=True, slots=True)
class AreaMatch:
    district: str  # as the application writes it
    area: Area
    edition: Edition

    def describe(self, language: str) -> str:
        level = LEVELS[self.area.level][language]
        named = self.area.name
        same = fold(self.district) == fold(self.area.name)
        written = named if same else f"{named} ({self.district})"
        return f"{written}, {self.area.municipality}: {level}"


class VulnerableAreas:
    """Every edition of the police list, ready to match districts against."""

    def __init__(self, editions: Sequence[Edition]) -> None:
        self.editions = tuple(sorted(editions, key=lambda e: e.published))
        self._index: dict[str, list[tuple[Area, frozenset[str], frozenset[str]]]] = {
            e.edition: [(a, municipality_forms(a.municipality), a.names()) for a in e.areas]
            for e in self.editions
        }

    def in_force(self, on: date) -> Edition | None:
        current = None
        for edition in self.editions:
            if edition.published <= on:
                current = edition
        return current

    def matches(self, municipality: str, districts: Iterable[str], on: date) -> list[AreaMatch]:
        edition = self.in_force(on)
        if edition is None:
            return []
        towns = municipality_forms(municipality)
        found: list[AreaMatch] = []
        seen: set[str] = set()
        for district in districts:
            words = f" {fold(district)} "
            for area, area_towns, names in self._index[edition.edition]:
                if area.name in seen or not (towns & area_towns):
                    continue
                if any(f" {n} " in words for n in names):
                    found.append(AreaMatch(district, area, edition))
                    seen.add(area.name)
        return found

    # ---- artifact form
    def to_data(self) -> list[dict[str, Any]]:
        return [
            {
                "edition": e.edition,
                "title": e.title,
                "published": e.published.isoformat(),
                "source_url": e.source_url,
                "areas": [[a.name, a.municipality, a.level, list(a.known_as)] for a in e.areas],
            }
            for e in self.editions
        ]

    @classmethod
    def from_data(cls, data: Sequence[Mapping[str, Any]]) -> VulnerableAreas:
        return cls(
            [
                Edition(
                    edition=e["edition"],
                    title=e["title"],
                    published=date.fromisoformat(e["published"]),
                    source_url=e.get("source_url"),
                    areas=tuple(Area(n, m, lv, tuple(k)) for n, m, lv, k in e["areas"]),
                )
                for e in data
            ]
        )


class PublicBodyKind(StrEnum):
    """What an organisation number says about membership (``derived.applicant_public_body``)."""

    municipality = "municipality"  # in a municipality series (212000-xxxx)
    region = "region"  # in a region series (232100-xxxx)
    other_public_body = "other_public_body"  # another 2-number: state, kommunalförbund, …
    not_public_body = "not_public_body"  # a company, foundation, association …


#: The rule parameters that hold the number series (prefixes of the organisation number).
MUNICIPALITY_SERIES = "municipality_number_series"
REGION_SERIES = "region_number_series"
SERIES_PARAMETERS = (MUNICIPALITY_SERIES, REGION_SERIES)
#: The derived values computed from the series: a rule reading one rests on the parameters.
SERIES_FIELDS = ("derived.member_share_percent", "derived.applicant_public_body")
_PUBLIC_BODY_DIGIT = "2"  # first digit of a public body's organisation number


def _prefixes(value: Any) -> tuple[str, ...]:
    values = value if isinstance(value, list | tuple) else [value]
    return tuple(str(v).replace("-", "") for v in values if str(v).strip())


@dataclass(frozen=True, slots=True)
class MemberSeries:
    """The organisation-number series of municipalities and regions (prefixes of the ten
    digits, without the hyphen), as the ruleset's parameters give them."""

    municipality: tuple[str, ...] = ()
    region: tuple[str, ...] = ()

    @classmethod
    def of(cls, rules: Iterable[Any]) -> MemberSeries:
        """From the rules' parameters (``rules check`` makes every definition agree). Without
        them nothing is a municipality or a region: every 2-number is ``other_public_body``,
        which refers and never counts as a member."""
        found: dict[str, tuple[str, ...]] = {}
        for rule in rules:
            for name in SERIES_PARAMETERS:
                if name in rule.parameters and name not in found:
                    found[name] = _prefixes(rule.parameters[name])
        return cls(found.get(MUNICIPALITY_SERIES, ()), found.get(REGION_SERIES, ()))

    def kind(self, organisation_number: str) -> PublicBodyKind:
        digits = organisation_number.replace("-", "")
        if not digits.startswith(_PUBLIC_BODY_DIGIT):
            return PublicBodyKind.not_public_body
        if digits.startswith(self.municipality):
            return PublicBodyKind.municipality
        if digits.startswith(self.region):
            return PublicBodyKind.region
        return PublicBodyKind.other_public_body

    def is_member(self, organisation_number: str) -> bool:
        return self.kind(organisation_number) in (
            PublicBodyKind.municipality,
            PublicBodyKind.region,
        )

    def member_share_percent(self, owners: Iterable[Any]) -> float:
        """The share municipalities and regions hold: owners in their series, and owners the
        application says they control (``controlled_by_members``, e.g. a stadshus-AB)."""
        held: float = sum(
            o.ownership_share_percent or 0.0  # a share not given counts for nothing (it refers)
            for o in owners
            if o.controlled_by_members is True or self.is_member(o.organisation_number)
        )
        return round(held, 2)


def derive(
    application: Any, areas: VulnerableAreas, series: MemberSeries | None = None
) -> dict[str, Any]:
    """The derived values of one application, under the names rules use (``derived.*``)."""
    on = application.submitted_at.date()
    districts = list(application.project.districts)
    target = application.social_content.target_group
    if target is not None:
        districts += [d for d in target.districts if d not in districts]
    series = series if series is not None else MemberSeries()
    applicant = application.applicant
    return {
        "vulnerable_areas": areas.matches(application.project.municipality, districts, on),
        "vulnerable_area_list": areas.in_force(on),
        "member_share_percent": series.member_share_percent(applicant.owners),
        "applicant_public_body": series.kind(applicant.organisation_number),
    }
