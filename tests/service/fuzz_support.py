"""Helpers for tests/service/test_fuzz.py: a probe that submits one body to the real submit
handler and checks every invariant of "a client's mistake is never a 5xx", Hypothesis
strategies for valid applications, a JSON writer that can put any literal in a document, and
the tallies the module prints with ``FUZZ_STATS=1``."""

from __future__ import annotations

import base64
import contextlib
import io
import json
import os
import re
import string
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone
from itertools import count
from typing import Any

from hypothesis import strategies as st
from service_support import FakeLambdaContext, Reply, handler_module, items, reply_of
from workbench.local.events import submit_event

from screening.models.organisation_number import luhn_check_digit

# ------------------------------------------------------------------ the canary contact person

CANARY = {
    "name": "Zqxjv Canary Persson",
    "email": "zqxjv.canary@example.se",
    "phone": "+46 70 999 88 77",
}
"""Put in every body that has a contact person; none of it may come back or be logged."""

_CANARY_MARKS = ("zqxjv", "999 88 77", "9998877", "canary persson")


def canary_in(text: str) -> str | None:
    """The canary mark found in ``text`` (case-insensitive), or None."""
    lowered = text.lower()
    return next((mark for mark in _CANARY_MARKS if mark in lowered), None)


# ------------------------------------------------------------------ JSON with any literal


@dataclass(frozen=True)
class Raw:
    """A value written into the JSON text verbatim: ``Raw("1e400")``, ``Raw("NaN")``,
    ``Raw("[" * 5000 + "]" * 5000)``."""

    text: str


def dumps(document: Any, *, ascii_only: bool = False) -> str:
    """``json.dumps`` that writes every :class:`Raw` as its text."""
    raws: dict[str, str] = {}
    serial = count()

    def swap(node: Any) -> Any:
        if isinstance(node, Raw):
            marker = f"@@raw-{next(serial)}-c0ffee@@"
            raws[json.dumps(marker)] = node.text
            return marker
        if isinstance(node, dict):
            return {k: swap(v) for k, v in node.items()}
        if isinstance(node, list):
            return [swap(v) for v in node]
        return node

    text = json.dumps(swap(document), ensure_ascii=ascii_only, allow_nan=False)
    for marker, raw in raws.items():
        text = text.replace(marker, raw, 1)
    return text


# ------------------------------------------------------------------ paths in a document

Path = tuple[str | int, ...]


def walk(node: Any, prefix: Path = ()) -> Iterator[tuple[Path, Any]]:
    """Every (path, value) below the root, depth first."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield (*prefix, key), value
            yield from walk(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield (*prefix, index), value
            yield from walk(value, (*prefix, index))


def get_at(document: Any, path: Path) -> Any:
    for step in path:
        document = document[step]
    return document


def set_at(document: Any, path: Path, value: Any) -> None:
    get_at(document, path[:-1])[path[-1]] = value


def delete_at(document: Any, path: Path) -> None:
    del get_at(document, path[:-1])[path[-1]]


def dotted(path: Path) -> str:
    return ".".join(str(step) for step in path) or "(body)"


def related(a: str, b: str) -> bool:
    """One dotted path is the other or lies inside it."""
    return a == b or a.startswith(b + ".") or b.startswith(a + ".") or "(body)" in (a, b)


# ------------------------------------------------------------------ tallies


@dataclass
class Tally:
    statuses: dict[str, Counter[int]] = field(default_factory=lambda: defaultdict(Counter))
    stored_after_4xx: Counter[str] = field(default_factory=Counter)
    seconds: dict[str, float] = field(default_factory=lambda: defaultdict(float))

    def lines(self) -> list[str]:
        out = []
        total = Counter[int]()
        for family in sorted(self.statuses):
            seen = self.statuses[family]
            total.update(seen)
            shown = ", ".join(f"{status}×{n}" for status, n in sorted(seen.items()))
            out.append(
                f"  {family:<28} {seen.total():>5} payloads  {shown}"
                f"  stored after 4xx: {self.stored_after_4xx[family]}"
                f"  ({self.seconds[family]:.1f} s in the handler)"
            )
        shown = ", ".join(f"{status}×{n}" for status, n in sorted(total.items()))
        out.append(f"  {'all':<28} {total.total():>5} payloads  {shown}")
        return out


TALLY = Tally()


# ------------------------------------------------------------------ the probe


class InvariantBroken(AssertionError):
    pass


@dataclass
class Probe:
    """Submits bodies to the real submit handler (the ``api`` fixture's services, in moto) and
    checks, for each reply: status below 500; a 4xx has the error shape, and a 422 names a
    field; nothing is stored or changed for a 4xx; the canary contact person is in no reply
    and no log line."""

    aws: Any
    log: io.StringIO
    _snapshot: list[str] | None = None  # the table after the last 4xx (no scan before the next)

    def stored(self) -> list[str]:
        """Every item as text, compressed documents opened (a canary could hide in them)."""
        return sorted(json.dumps(i, sort_keys=True) for i in items(self.aws, prefix=""))

    def event(
        self,
        body: str | None,
        *,
        content_type: str | None = "application/json",
        base64_encoded: bool = False,
    ) -> dict[str, Any]:
        event = submit_event(body if body is not None else "")
        if body is None:
            event.pop("body")
        headers = event["headers"]
        headers.pop("content-type")
        if content_type is not None:
            headers["content-type"] = content_type
        event["isBase64Encoded"] = base64_encoded
        return event

    def submit(
        self,
        family: str,
        body: str | None,
        *,
        content_type: str | None = "application/json",
        base64_encoded: bool = False,
        valid: bool = False,
    ) -> Reply:
        event = self.event(body, content_type=content_type, base64_encoded=base64_encoded)
        return self.send(family, event, valid=valid)

    def submit_bytes(
        self, family: str, raw: bytes, content_type: str = "application/json"
    ) -> Reply:
        """A body API Gateway passes on base64-encoded (as it does for non-UTF-8 bytes)."""
        return self.submit(
            family,
            base64.b64encode(raw).decode("ascii"),
            content_type=content_type,
            base64_encoded=True,
        )

    def send(self, family: str, event: dict[str, Any], *, valid: bool = False) -> Reply:
        """One request; the checks above. ``valid``: the body is a valid application, so any
        status but 200/201 is a failure (and the table need not be scanned: scans of a table
        full of verdicts are what costs time here)."""
        before = None if valid else self._snapshot or self.stored()
        self._snapshot = None
        logged_from = len(self.log.getvalue())
        started = time.perf_counter()
        raw = handler_module(event["routeKey"]).handler(event, FakeLambdaContext())
        TALLY.seconds[family] += time.perf_counter() - started
        status = int(raw["statusCode"])
        TALLY.statuses[family][status] += 1
        logged = self.log.getvalue()[logged_from:]
        text = raw.get("body") or ""

        def broken(why: str) -> InvariantBroken:
            body = event.get("body") or ""
            if len(body) > 600:
                body = f"{body[:300]}…[{len(body)} chars]…{body[-200:]}"
            media = event["headers"].get("content-type")
            return InvariantBroken(
                f"[{family}] {why}\n  request: content-type={media!r}"
                f" base64={event.get('isBase64Encoded')} body={body!r}\n"
                f"  reply: {status} {text[:1500]}\n  log:\n{logged[-6000:]}"
            )

        if status >= 500:
            raise broken(f"5xx for a client's request: {status}")
        try:
            reply = reply_of(raw)
        except ValueError as error:
            raise broken(f"the reply body is not JSON: {error}") from None
        for where, value in (("body", text), ("headers", json.dumps(raw.get("headers")))):
            mark = canary_in(value)
            if mark:
                raise broken(f"the contact person ({mark!r}) is in the reply's {where}")
        mark = canary_in(logged)
        if mark:
            raise broken(f"the contact person ({mark!r}) is in the logs")
        if 400 <= status < 500:
            problem = error_shape_problem(reply.body, status)
            if problem:
                raise broken(problem)
            if valid:
                raise broken(f"{status} for a valid application")
            after = self.stored()
            if after != before:
                TALLY.stored_after_4xx[family] += 1
                raise broken(f"{status}, yet the table changed")
            self._snapshot = after  # unchanged: the next request needs no scan before it
        elif status not in (200, 201):
            raise broken(f"unexpected success status {status}")
        return reply


def error_shape_problem(body: Any, status: int) -> str | None:
    """What is wrong with an error body, or None: {"error": {status, code, message, fields,
    correlation_id}}, the status repeated, a 422 naming at least one field."""
    if not isinstance(body, dict) or set(body) != {"error"}:
        return f"error body is not {{'error': …}}: {body!r}"
    error = body["error"]
    keys = {"status", "code", "message", "fields", "correlation_id"}
    if not isinstance(error, dict) or set(error) != keys:
        return f"error keys are not {sorted(keys)}: {error!r}"
    if error["status"] != status:
        return f"error.status {error['status']!r} is not the HTTP status {status}"
    if not (isinstance(error["code"], str) and error["code"]):
        return "error.code is empty"
    if not (isinstance(error["message"], str) and error["message"]):
        return "error.message is empty"
    fields = error["fields"]
    if not isinstance(fields, list) or not all(
        isinstance(f, dict)
        and set(f) == {"field", "message"}
        and isinstance(f["field"], str)
        and f["field"]
        and isinstance(f["message"], str)
        and f["message"]
        for f in fields
    ):
        return f"error.fields is not a list of {{field, message}}: {fields!r}"
    if status == 422 and not fields:
        return "a 422 names no field"
    return None


def field_names(reply: Reply) -> list[str]:
    return [f["field"] for f in reply.body["error"]["fields"]]


# ------------------------------------------------------------------ valid applications

_ids = count()


def unique_id(stem: str = "fz") -> str:
    """An application id no other example uses (so no 409 for another organisation, no 429)."""
    return f"{stem[:50]}-{next(_ids)}"


# Text a person might type, and text nobody would: every code point UTF-8 can carry
# (controls, NUL, bidi overrides, non-characters), never a lone surrogate.
_any_char = st.characters(codec="utf-8")
_typed_char = st.sampled_from(string.ascii_letters + string.digits + " åäöÅÄÖé-.,'&/()")
_char = st.one_of(_typed_char, _any_char)


def text(max_size: int) -> st.SearchStrategy[str]:
    return st.text(_char, max_size=min(max_size, 40))


def name(max_size: int = 200) -> st.SearchStrategy[str]:
    """Not blank once trimmed (Python's strip is wider than pydantic's: safe side)."""
    short = st.text(_char, min_size=1, max_size=40)
    long = st.builds(lambda c, n: c * n, _typed_char.filter(str.strip), st.integers(1, max_size))
    return st.one_of(short, long).filter(lambda s: s.strip() != "" and len(s.strip()) <= max_size)


def answer(max_size: int = 5_000, long: bool = False) -> st.SearchStrategy[str | None]:
    """Free text: absent, blank, short or (where ``long``) up to the limit."""
    options = [st.none(), st.sampled_from(["", "   ", "\t\n"]), text(max_size)]
    if long:
        options.append(st.builds(lambda c, n: c * n, _typed_char, st.integers(1, max_size)))
    return st.one_of(options)


def organisation_number() -> st.SearchStrategy[str]:
    def build(first: str, second: str, third: int, rest: str) -> str:
        nine = f"{first}{second}{third}{rest}"
        return f"{nine[:6]}-{nine[6:]}{luhn_check_digit(nine)}"

    digits = st.text("0123456789", min_size=6, max_size=6)
    return st.builds(
        build,
        st.sampled_from("0123456789"),
        st.sampled_from("0123456789"),
        st.integers(2, 9),
        digits,
    )


def number_literal(value: float) -> st.SearchStrategy[Any]:
    """The same float written as JSON writes it, or with an exponent and no decimal point."""
    forms: list[Any] = [value, Raw(repr(float(value))), Raw(f"{value:e}"), Raw(f"{value:E}")]
    if float(value).is_integer() and abs(value) < 1e15:
        whole = int(value)
        forms += [Raw(str(whole))]
        digits = str(abs(whole)).rstrip("0") or "0"
        zeros = len(str(abs(whole))) - len(digits)
        sign = "-" if whole < 0 else ""
        if zeros:
            forms += [Raw(f"{sign}{digits}e{zeros}"), Raw(f"{sign}{digits}E+{zeros}")]
    return st.sampled_from(forms)


def percent_shares(n: int) -> st.SearchStrategy[list[Any]]:
    special = st.sampled_from([1e-05, 5e-324, 0.1, 100 / 3, 1.0])
    each = st.one_of(
        special,
        st.floats(min_value=0, max_value=100 / n, exclude_min=True),
        st.integers(1, 100 // n),
    ).filter(lambda v: 0 < v <= 100 / n)
    return st.lists(each.flatmap(number_literal), min_size=n, max_size=n)


def measurement() -> st.SearchStrategy[Any]:
    value = st.one_of(
        st.sampled_from([0.0, -0.0, 1e-05, 5e-324, -5e-324, 1e9, -1e9, 0.1, 123456.789]),
        st.floats(min_value=-1e9, max_value=1e9, allow_nan=False),
        st.integers(-1_000_000_000, 1_000_000_000),
    )
    return st.one_of(st.none(), value.flatmap(number_literal))


def enum(values: list[str]) -> st.SearchStrategy[str]:
    return st.sampled_from(values)


def unique(values: list[str], max_size: int) -> st.SearchStrategy[list[str]]:
    return st.lists(st.sampled_from(values), unique=True, max_size=max_size)


# The contract takes dates 1990-01-01 … 2100-12-31 (screening.models.common.Day/Moment);
# years outside are a form error, tested in test_fuzz.py.
FIRST_DAY, LAST_DAY = date(1990, 1, 1), date(2100, 12, 31)


def date_pair(optional: bool) -> st.SearchStrategy[tuple[date | None, date | None]]:
    start = st.dates(min_value=FIRST_DAY, max_value=LAST_DAY - timedelta(days=1))

    def end_after(day: date) -> st.SearchStrategy[date]:
        room = (LAST_DAY - day).days
        return st.integers(1, max(1, min(room, 40_000))).map(lambda d: day + timedelta(days=d))

    pair = start.flatmap(lambda d: st.tuples(st.just(d), end_after(d)))
    if not optional:
        return pair
    return st.one_of(
        pair,
        st.tuples(st.none(), st.none()),
        st.tuples(start, st.none()),
        st.tuples(st.none(), start),
    )


def submitted_at() -> st.SearchStrategy[str]:
    """An ISO date-time with an offset, within the contract's years (1990–2100)."""
    offsets = st.integers(-18 * 60 + 1, 18 * 60 - 1).map(lambda m: timezone(timedelta(minutes=m)))
    moment = st.datetimes(
        min_value=datetime(1990, 1, 1), max_value=datetime(2100, 12, 31), timezones=offsets
    )
    utc_z = st.datetimes(
        min_value=datetime(1990, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)
    ).map(lambda m: m.isoformat().replace("+00:00", "Z"))
    return st.one_of(moment.map(datetime.isoformat), utc_z)


APPLICANT_TYPES = [
    "municipality",
    "region",
    "municipal_federation",
    "municipal_company",
    "regional_company",
    "municipal_foundation",
    "other",
]
CATEGORIES = ["housing", "safety_accessibility", "health_education_sport_culture"]
INVESTMENT_KINDS = [
    "new_build",
    "renovation",
    "extension",
    "conversion",
    "purchase",
    "temporary_building",
    "operating_cost",
]
FACILITY_KINDS = [
    "housing",
    "residential_common_space",
    "district_centre",
    "outdoor_environment",
    "park",
    "rescue_service_facility",
    "elderly_care_facility",
    "family_centre",
    "preschool",
    "school",
    "culture_facility",
    "library",
    "sports_facility",
    "youth_centre",
    "health_care_facility",
    "meeting_place",
    "other",
]
TARGET_KINDS = [
    "residents_of_area",
    "tenants",
    "children_and_youth",
    "pupils",
    "elderly",
    "newly_arrived",
    "unemployed",
    "people_with_disabilities",
    "families_with_children",
    "whole_population",
    "other",
]
EFFECT_AREAS = [
    "reduced_exclusion",
    "increased_safety",
    "employment",
    "health",
    "education",
    "housing_stability",
    "participation_and_influence",
    "accessibility",
    "other",
]
CADENCES = ["monthly", "quarterly", "semiannually", "annually", "biennially", "once_at_end"]


def _drop_none(document: dict[str, Any], keep: frozenset[str] = frozenset()) -> dict[str, Any]:
    """Optional keys: sometimes written as null, sometimes left out (decided by the caller)."""
    return {k: v for k, v in document.items() if v is not None or k in keep}


@st.composite
def owner(draw: st.DrawFn, share: Any) -> dict[str, Any]:
    return _drop_none(
        {
            "organisation_name": draw(name()),
            "organisation_number": draw(organisation_number()),
            "ownership_share_percent": share,
            "controlled_by_members": draw(st.none() | st.booleans()),
        },
        draw(st.frozensets(st.just("controlled_by_members"))),
    )


@st.composite
def effect_goal(draw: st.DrawFn) -> dict[str, Any]:
    years = st.integers(1990, 2100)
    baseline_year = draw(st.none() | years)
    target_year = draw(
        st.none() | (years if baseline_year is None else st.integers(baseline_year, 2100))
    )
    return _drop_none(
        {
            "effect_area": draw(st.none() | enum(EFFECT_AREAS)),
            "goal": draw(answer(500)),
            "indicator": draw(answer(500)),
            "unit": draw(answer(500)),
            "baseline_value": draw(measurement()),
            "baseline_year": baseline_year,
            "target_value": draw(measurement()),
            "target_year": target_year,
            "data_source": draw(answer(500)),
        }
    )


@st.composite
def intervention(draw: st.DrawFn) -> dict[str, Any]:
    start, end = draw(date_pair(optional=True))
    return _drop_none(
        {
            "description": draw(answer()),
            "partners": draw(st.lists(name(), max_size=3)),
            "start_date": start and start.isoformat(),
            "end_date": end and end.isoformat(),
        }
    )


@st.composite
def social_content(draw: st.DrawFn) -> dict[str, Any]:
    evidence = st.fixed_dictionaries(
        {"fact": name(), "source": answer(500)},
        optional={"year": st.none() | st.integers(1990, 2100)},
    )
    return _drop_none(
        {
            "needs": draw(
                st.none()
                | st.fixed_dictionaries(
                    {"description": answer(long=True)},
                    optional={"evidence": st.lists(evidence, max_size=3)},
                )
            ),
            "target_group": draw(
                st.none()
                | st.fixed_dictionaries(
                    {"description": answer()},
                    optional={
                        "kinds": unique(TARGET_KINDS, 11),
                        "districts": st.lists(name(), max_size=3),
                        "approximate_size": st.none() | st.integers(1, 10_000_000),
                    },
                )
            ),
            "interventions": draw(st.lists(intervention(), max_size=3)),
            "intervention_justification": draw(answer()),
            "desired_change": draw(answer()),
            "future_state": draw(answer()),
            "effect_goals": draw(st.lists(effect_goal(), max_size=4)),
            "evaluation": draw(
                st.none()
                | st.fixed_dictionaries(
                    {},
                    optional={
                        "measurement_cadence": st.none() | enum(CADENCES),
                        "reports_yearly_to_lender": st.none() | st.booleans(),
                        "external_evaluation": st.none() | st.booleans(),
                        "responsible": answer(500),
                        "method": answer(),
                    },
                )
            ),
            "systematic_work": draw(
                st.none()
                | st.fixed_dictionaries(
                    {},
                    optional={
                        "relation": st.none() | enum(["part_of", "develops"]),
                        "governing_document": answer(500),
                        "description": answer(),
                    },
                )
            ),
            "development": draw(
                st.none()
                | st.fixed_dictionaries(
                    {"justification": answer()},
                    optional={"aspects": unique(["practice", "innovation", "quality"], 3)},
                )
            ),
            "time_horizon_years": draw(st.none() | st.integers(1, 100)),
        }
    )


@st.composite
def application(draw: st.DrawFn) -> dict[str, Any]:
    """A valid application of the contract (functions/screening/models/application.py), with
    the canary contact person when it has one."""
    n_owners = draw(st.integers(0, 4))
    shares = draw(percent_shares(n_owners)) if n_owners else []
    kronor = st.integers(1, 100_000_000_000)
    declared = draw(enum(CATEGORIES))
    start, end = draw(date_pair(optional=False))
    stem = draw(st.from_regex(re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{2,40}"), fullmatch=True))
    contact = draw(
        st.sampled_from(
            [CANARY, {"name": CANARY["name"], "email": CANARY["email"]}, None, "absent"]
        )
    )
    document = {
        "application_id": unique_id(stem),
        "submitted_at": draw(submitted_at()),
        "applicant": _drop_none(
            {
                "organisation_name": draw(name()),
                "organisation_number": draw(organisation_number()),
                "type": draw(enum(APPLICANT_TYPES)),
                "owners": [draw(owner(share)) for share in shares],
                "declares_membership": draw(st.none() | st.booleans()),
            }
        ),
        "contact_person": None if contact == "absent" else contact,
        "project": _drop_none(
            {
                "title": draw(name()),
                "description": draw(answer(long=True)),
                "municipality": draw(name()),
                "districts": draw(st.lists(name(), max_size=4)),
                "declared_category": declared,
                "secondary_category": draw(
                    st.none() | enum([c for c in CATEGORIES if c != declared])
                ),
                "investment_type": draw(enum(["a", "b"])),
                "investment_kind": draw(enum(INVESTMENT_KINDS)),
                "facility_kinds": draw(unique(FACILITY_KINDS, 10)),
                "investment_description": draw(answer()),
                "total_investment_sek": draw(kronor),
                "loan_amount_sek": draw(kronor),
                "start_date": start.isoformat() if start else None,
                "end_date": end.isoformat() if end else None,
                "already_carried_out": draw(st.booleans()),
                "applies_for_green_loan": draw(st.booleans()),
            }
        ),
        "social_content": draw(social_content()),
    }
    if contact == "absent":
        del document["contact_person"]
    if draw(st.booleans()):
        del document["social_content"]
    return document


@contextlib.contextmanager
def stats_shown(request: Any, title: str, lines: Callable[[], Iterable[str]]) -> Iterator[None]:
    """A module fixture's body: with ``FUZZ_STATS=1``, ``title`` (with the module's seconds)
    and ``lines`` are written to the terminal after the module's tests."""
    started = time.perf_counter()
    yield
    if os.environ.get("FUZZ_STATS"):
        plugins = request.config.pluginmanager
        reporter, capture = (
            plugins.get_plugin("terminalreporter"),
            plugins.get_plugin("capturemanager"),
        )
        with capture.global_and_fixture_disabled():
            reporter.write_line("")
            reporter.write_line(f"{title} ({time.perf_counter() - started:.1f} s, module):")
            for line in lines():
                reporter.write_line(line)
