"""A client's mistake is never a 5xx: property-based tests (Hypothesis) against the real submit
handler in moto, then explicit regressions.

Every reply to every payload here is checked by :class:`fuzz_support.Probe`: status below 500;
a 4xx has the error shape and a 422 names a field; nothing is stored or changed for a 4xx; the
canary contact person is in no reply and no log line. Bounded and derandomized, so a run is
reproducible and takes seconds. ``FUZZ_STATS=1`` prints how many payloads each family tried and
the statuses seen.
"""

from __future__ import annotations

import base64
import contextlib
import copy
import io
import json
from collections.abc import Iterator
from typing import Any

import pytest
from fuzz_support import (
    CANARY,
    TALLY,
    InvariantBroken,
    Probe,
    Raw,
    application,
    canary_in,
    delete_at,
    dotted,
    dumps,
    error_shape_problem,
    field_names,
    get_at,
    related,
    set_at,
    stats_shown,
    unique_id,
    walk,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from service_support import Api, entry_reply, items
from workbench.local.events import report_event

from api import reports, submit

FUZZ = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    database=None,
    print_blob=False,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
    ],
)


@pytest.fixture(scope="module", autouse=True)
def _tally(request: pytest.FixtureRequest) -> Iterator[None]:
    with stats_shown(request, "fuzz tallies", TALLY.lines):
        yield


@pytest.fixture
def probe(api: Api, aws: Any, log_output: io.StringIO) -> Probe:
    return Probe(aws, log_output)


@pytest.fixture
def base(base_document: dict[str, Any]) -> dict[str, Any]:
    """The valid base application with the canary contact person."""
    base_document["contact_person"] = dict(CANARY)
    return base_document


def fresh(base: dict[str, Any]) -> dict[str, Any]:
    """A copy of the base under an id no other example uses."""
    document = copy.deepcopy(base)
    document["application_id"] = unique_id("mut")
    return document


def error_reply(status: int, fields: list[dict[str, str]] | None = None) -> dict[str, Any]:
    error = {"status": status, "code": "x", "message": "x", "fields": fields or []}
    return {"statusCode": status, "body": json.dumps({"error": {**error, "correlation_id": None}})}


@pytest.mark.parametrize(
    ("why", "reply", "writes"),
    [
        ("5xx", error_reply(500), False),
        ("wrong shape", {"statusCode": 400, "body": json.dumps({"message": "bad"})}, False),
        ("422 naming no field", error_reply(422), False),
        (
            "canary in the reply",
            error_reply(422, [{"field": CANARY["email"], "message": "x"}]),
            False,
        ),
        ("stored after a 4xx", error_reply(409), True),
    ],
)
def test_the_probe_catches_what_it_checks(
    probe: Probe,
    aws: Any,
    monkeypatch: pytest.MonkeyPatch,
    why: str,
    reply: dict[str, Any],
    writes: bool,
) -> None:
    """Guards the harness: a probe that let these through would make every test above pass."""

    def entry(event: dict[str, Any], context: Any) -> dict[str, Any]:
        if writes:
            item = {"application_id": {"S": "x"}, "sk": {"S": "rev#1"}}
            aws.put_item(TableName="test-screenings", Item=item)
        return reply

    monkeypatch.setattr(submit, "ENTRY", entry)
    with pytest.raises(InvariantBroken):
        probe.submit("harness", "{}")
    TALLY.statuses.pop("harness")  # not the service's answers


# ================================================================== (a) valid applications


@settings(FUZZ, max_examples=25)
@given(document=application())
def test_valid_applications_are_screened(probe: Probe, document: dict[str, Any]) -> None:
    body = dumps(document, ascii_only=len(document) % 2 == 0)
    reply = probe.submit("valid application", body, valid=True)
    assert reply.status in (200, 201), reply.body
    assert reply.body["application_id"] == document["application_id"]
    assert reply.body["outcome"] in ("eligible", "needs_review", "ineligible")


@settings(FUZZ, max_examples=10)
@given(document=application())
def test_a_valid_application_never_breaks_the_committees_report(
    probe: Probe, document: dict[str, Any]
) -> None:
    probe.submit("valid application + report", dumps(document), valid=True)
    reply = entry_reply(reports.ENTRY, report_event(document["application_id"]))
    assert reply.status == 200, reply.body
    assert canary_in(str(reply.body)) is None


# ================================================================== (b) mutations

WRONG_VALUES: list[Any] = [None, True, False, 0, -7, 3.5, "", "text", "2026-01-01", [], [None]]
WRONG_VALUES += [{}, {"k": 1}, [CANARY["name"]], {"name": CANARY["name"]}]


def json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    return type(value).__name__


@FUZZ
@given(data=st.data())
def test_wrong_types_at_any_path(probe: Probe, base: dict[str, Any], data: st.DataObject) -> None:
    document = fresh(base)
    path, old = data.draw(st.sampled_from(list(walk(document))), label="path")
    new = data.draw(
        st.sampled_from([v for v in WRONG_VALUES if json_type(v) != json_type(old)]), label="value"
    )
    set_at(document, path, copy.deepcopy(new))
    reply = probe.submit("wrong type", dumps(document))
    if reply.status == 422:
        named = field_names(reply)
        assert any(related(f, dotted(path)) for f in named), (dotted(path), named)


@settings(FUZZ, max_examples=25)
@given(data=st.data())
def test_deleted_keys(probe: Probe, base: dict[str, Any], data: st.DataObject) -> None:
    document = fresh(base)
    keyed = [p for p, _ in walk(document) if isinstance(p[-1], str)]
    paths = data.draw(st.lists(st.sampled_from(keyed), min_size=1, max_size=3), label="paths")
    for path in sorted(set(paths), key=len, reverse=True):
        with contextlib.suppress(KeyError, IndexError, TypeError):  # a parent went first
            delete_at(document, path)
    reply = probe.submit("deleted keys", dumps(document))
    if reply.status == 422:
        named = field_names(reply)
        assert any(related(f, dotted(p)) for f in named for p in paths), (paths, named)


TRICKY_KEYS = ["__proto__", "constructor", "$where", "", " ", "application_id ", "Application_Id"]
TRICKY_KEYS += ["contact_person", "\u0000", "\U0001f600", "a" * 300, f"{CANARY['name']}"]


@FUZZ
@given(data=st.data())
def test_extra_keys_at_any_level(probe: Probe, base: dict[str, Any], data: st.DataObject) -> None:
    document = fresh(base)
    objects = [(), ("contact_person",)] + [p for p, v in walk(document) if isinstance(v, dict)]
    where = data.draw(st.sampled_from(objects), label="object")
    target = get_at(document, where)
    key = data.draw(
        st.one_of(
            st.sampled_from(TRICKY_KEYS),
            st.text(min_size=1, max_size=20).map(lambda k: f"{k}{CANARY['email']}"),
        ).filter(lambda k: k not in target),
        label="key",
    )
    target[key] = data.draw(st.sampled_from([*WRONG_VALUES, CANARY["phone"]]), label="value")
    reply = probe.submit("extra key", dumps(document))
    assert reply.status == 422, reply.body
    assert any(related(f, dotted(where)) for f in field_names(reply)), (where, reply.body)


HUGE = st.sampled_from([201, 501, 5_001, 65_536, 262_000, 262_145, 400_000, 1_100_000])


@settings(FUZZ, max_examples=20)
@given(data=st.data())
def test_huge_strings(probe: Probe, base: dict[str, Any], data: st.DataObject) -> None:
    document = fresh(base)
    strings = [p for p, v in walk(document) if isinstance(v, str)]
    path = data.draw(st.sampled_from(strings), label="path")
    size = data.draw(HUGE, label="size")
    units = ["x", "å", "😀", " "] + ([CANARY["name"]] if path[0] == "contact_person" else [])
    unit = data.draw(st.sampled_from(units), label="unit")
    set_at(document, path, (unit * (size // len(unit) + 1))[:size])
    body = dumps(document)
    reply = probe.submit("huge string", body)
    if len(body.encode("utf-8")) > 256 * 1024:
        assert reply.status == 413, reply.body


NESTING = st.sampled_from([100, 1_000, 2_000, 2_001, 5_000, 20_000, 100_000])


@settings(FUZZ, max_examples=20)
@given(data=st.data())
def test_deep_nesting(probe: Probe, base: dict[str, Any], data: st.DataObject) -> None:
    depth = data.draw(NESTING, label="depth")
    shape = data.draw(st.sampled_from(["array", "object", "unclosed", "mixed"]), label="shape")
    nested = {
        "array": "[" * depth + "]" * depth,
        "object": '{"a":' * depth + "1" + "}" * depth,
        "unclosed": "[" * depth,
        "mixed": '[{"a":' * (depth // 2) + "0" + "}]" * (depth // 2),
    }[shape]
    if data.draw(st.booleans(), label="whole body"):
        body = nested
    else:
        document = fresh(base)
        path = data.draw(st.sampled_from([p for p, _ in walk(document)]), label="path")
        set_at(document, path, Raw(nested))
        body = dumps(document)
    reply = probe.submit("deep nesting", body)
    if depth > 2_000 and shape != "unclosed":
        assert reply.status in (400, 413, 422), reply.body


ODD_NUMBERS = ["1e-05", "5e-324", "1e+16", "1e400", "-1e400", "1e-400", "-0.0", "-0", "0e0"]
ODD_NUMBERS += ["NaN", "Infinity", "-Infinity", "+1", "01", "1.", ".5", "0x10", "1E2", "1e2"]
ODD_NUMBERS += ["9" * 4_301, "-" + "1" * 5_000, "1" + "0" * 4_400 + ".5", "0." + "0" * 5_000 + "1"]
ODD_NUMBERS += [str(2**63), str(2**64), str(-(2**63) - 1), "100.000001", "1e9", "1.0000000001e9"]


@FUZZ
@given(data=st.data())
def test_odd_numbers(probe: Probe, base: dict[str, Any], data: st.DataObject) -> None:
    document = fresh(base)
    numeric = [p for p, v in walk(document) if isinstance(v, int | float)]
    anywhere = [p for p, _ in walk(document)]
    path = data.draw(st.sampled_from(numeric) | st.sampled_from(anywhere), label="path")
    literal = data.draw(st.sampled_from(ODD_NUMBERS), label="literal")
    set_at(document, path, Raw(literal))
    probe.submit("odd number", dumps(document))


ODD_CHARACTERS = ["\x00", "\x01", "\x08", "\x1b", "\x1f", "\x7f", "\x85", "\u2028", "\u2029"]
ODD_CHARACTERS += ["\ufeff", "\u202e", "\ufffe", "\uffff", "\U0010ffff", "\U0001f600"]
LONE_SURROGATES = ["\ud800", "\udbff", "\udc00", "\udfff", "\ud83d"]


@settings(FUZZ, max_examples=30)
@given(data=st.data())
def test_control_characters_and_lone_surrogates(
    probe: Probe, base: dict[str, Any], data: st.DataObject
) -> None:
    document = fresh(base)
    strings = [p for p, v in walk(document) if isinstance(v, str)] + [("contact_person", "name")]
    path = data.draw(st.sampled_from(strings), label="path")
    odd = data.draw(st.sampled_from(ODD_CHARACTERS + LONE_SURROGATES), label="character")
    value = get_at(document, path)
    at = data.draw(st.integers(0, len(value)), label="at")
    set_at(document, path, value[:at] + odd + value[at:])
    escaped = data.draw(st.booleans(), label="escaped")  # \ud800 in the JSON, or the raw char
    body = dumps(document, ascii_only=escaped)
    reply = probe.submit("control char / surrogate", body)
    if odd in LONE_SURROGATES:
        assert reply.status == 400, reply.body


JSON_MEDIA = ["application/json", "APPLICATION/JSON", "Application/Json", "application/json;"]
JSON_MEDIA += ["application/json; charset=latin-1", "application/json;charset=UTF-8", ""]
JSON_MEDIA += ["application/problem+json", "application/vnd.lsh.v2+json", "  application/json  "]
OTHER_MEDIA = ["text/plain", "application/xml", "text/xml", "multipart/form-data; boundary=x"]
OTHER_MEDIA += ["application/x-www-form-urlencoded", "text/json", "*/*", "application/jsonx"]
OTHER_MEDIA += ["application/json, text/plain", "json", "application", "text/html; charset=utf-8"]
OTHER_MEDIA += ["application/octet-stream", "application/json-seq", "\x00", "a" * 5_000]


def mixed_case(value: str, flips: list[bool]) -> str:
    return "".join(c.upper() if flip else c for c, flip in zip(value, flips, strict=False))


@FUZZ
@given(data=st.data())
def test_content_types(probe: Probe, base: dict[str, Any], data: st.DataObject) -> None:
    document = fresh(base)
    media = data.draw(st.sampled_from(JSON_MEDIA + OTHER_MEDIA + [None]), label="content-type")
    if media:
        flips = data.draw(st.lists(st.booleans(), min_size=len(media), max_size=len(media)))
        media = mixed_case(media, flips)
    form = data.draw(st.sampled_from(["json", "form-encoded", "xml"]), label="body form")
    body = {
        "json": dumps(document),
        "form-encoded": "application=" + dumps(document),
        "xml": f"<application><name>{CANARY['name']}</name></application>",
    }[form]
    reply = probe.submit("content type", body, content_type=media)
    is_json = media is None or media.lower() in {m.lower() for m in JSON_MEDIA}
    if not is_json:
        assert reply.status == 415, (media, reply.body)
    elif form == "json":
        assert reply.status in (200, 201), (media, reply.body)
    else:
        assert reply.status == 400, (media, reply.body)


ENCODINGS = ["utf-8", "utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-32", "latin-1", "cp1252"]
ENCODINGS += ["random bytes", "invalid base64", "empty base64", "base64 of base64"]


@FUZZ
@given(data=st.data())
def test_encodings(probe: Probe, base: dict[str, Any], data: st.DataObject) -> None:
    document = fresh(base)
    text = dumps(document)
    kind = data.draw(st.sampled_from(ENCODINGS), label="encoding")
    if kind == "invalid base64":
        valid = base64.b64encode(text.encode()).decode()
        at = data.draw(st.integers(0, len(valid) - 1), label="at")
        bad = data.draw(st.sampled_from(["!", "=", "-", "_", " ", "\n", "é", "=="]), label="bad")
        cut = data.draw(st.booleans(), label="cut")
        broken = valid[:at] + bad + valid[at + (1 if cut else 0) :]
        reply = probe.submit("encoding", broken, base64_encoded=True)
        if bad not in ("=", "=="):  # a padding sign may happen to land where one is legal
            assert reply.status == 400, (kind, reply.body)
        return
    if kind == "random bytes":
        raw = data.draw(st.binary(min_size=1, max_size=300), label="bytes")
        reply = probe.submit_bytes("encoding", raw)
        assert reply.status in (400, 422), reply.body
        return
    if kind == "empty base64":
        reply = probe.submit("encoding", "", base64_encoded=True)
        assert reply.status == 400, reply.body
        return
    if kind == "base64 of base64":
        reply = probe.submit_bytes("encoding", base64.b64encode(text.encode()))
        assert reply.status == 400, reply.body
        return
    reply = probe.submit_bytes("encoding", text.encode(kind, errors="replace"))
    if kind == "utf-8":
        assert reply.status in (200, 201), reply.body
    else:  # the base application has å, ä, ö: in any of these it is not UTF-8, or has a BOM
        assert reply.status == 400, (kind, reply.body)


@FUZZ
@given(data=st.data())
def test_bodies_that_are_not_an_object(
    probe: Probe, base: dict[str, Any], data: st.DataObject
) -> None:
    one, two = fresh(base), fresh(base)
    body = data.draw(
        st.sampled_from(
            [
                "[]",
                f"[{dumps(one)}]",
                f"[{dumps(one)}, {dumps(two)}]",
                "0",
                "-1",
                "3.5",
                "1e400",
                "true",
                "false",
                "null",
                '""',
                json.dumps(CANARY["name"]),
                json.dumps(list(CANARY.values())),
                "[1, 2, 3]",
                "{}",
                '{"application_id": null}',
            ]
        ),
        label="body",
    )
    padding = data.draw(st.sampled_from(["", " ", "\n\t", "\r\n"]), label="padding")
    reply = probe.submit("array / scalar body", padding + body + padding)
    assert reply.status == 422, reply.body


RAW_BODIES = ["", " ", "{", "}", '{"a":}', "{'a': 1}", '{"a": 1,}', "[1,]", "/* x */ {}"]
RAW_BODIES += ["\ufeff{}", "{}{}", "{} x", '{"a": "\\x41"}', '{"a": "\\u12"}', "\x00", "nul"]


@FUZZ
@given(data=st.data())
def test_broken_json_text(probe: Probe, base: dict[str, Any], data: st.DataObject) -> None:
    document = fresh(base)
    text = dumps(document)
    kind = data.draw(st.sampled_from(["truncated", "raw", "duplicate key"]), label="kind")
    if kind == "truncated":
        body = text[: data.draw(st.integers(0, len(text) - 1), label="cut")]
        expected: tuple[int, ...] = (400,)
    elif kind == "raw":
        body = data.draw(st.sampled_from(RAW_BODIES), label="body")
        expected = (400, 422)
    else:  # the last of two keys wins or the body is refused; either is a client's answer
        key = data.draw(st.sampled_from(["contact_person", "application_id", "project"]))
        body = text[:-1] + f', "{key}": {json.dumps(document[key])}' + "}"
        expected = (200, 201, 400, 422)
    reply = probe.submit("broken JSON text", body)
    assert reply.status in expected, (kind, reply.body)


# ================================================================== regressions

SHARE = ("applicant", "owners", 0, "ownership_share_percent")
BASELINE = ("social_content", "effect_goals", 0, "baseline_value")
TARGET = ("social_content", "effect_goals", 1, "target_value")


def submit_with(probe: Probe, base: dict[str, Any], path: tuple, literal: str) -> Any:
    document = fresh(base)
    set_at(document, path, Raw(literal))
    return probe.submit("regression", dumps(document))


@pytest.mark.parametrize(
    ("path", "literal"),
    [
        (SHARE, "1e2"),
        (SHARE, "5E+1"),
        (SHARE, "5e-324"),
        (BASELINE, "7e1"),
        (BASELINE, "-1e9"),
        (TARGET, "9E1"),
    ],
)
def test_floats_with_an_exponent_and_no_decimal_point_are_numbers(
    probe: Probe, base: dict[str, Any], path: tuple, literal: str
) -> None:
    reply = submit_with(probe, base, path, literal)
    assert reply.status in (200, 201), reply.body
    if float(literal) == get_at(base, path):  # the base's own value, written otherwise
        plain = probe.submit("regression", dumps(fresh(base)))
        assert [r["result"] for r in reply.body["rules"]] == [
            r["result"] for r in plain.body["rules"]
        ]


@pytest.mark.parametrize(
    ("path", "literal"),
    [(SHARE, "1e3"), (BASELINE, "1e+16"), (TARGET, "-1e10")],
)
def test_exponent_floats_out_of_range_are_422_naming_the_field(
    probe: Probe, base: dict[str, Any], path: tuple, literal: str
) -> None:
    reply = submit_with(probe, base, path, literal)
    assert reply.status == 422, reply.body
    assert dotted(path) in field_names(reply)


@pytest.mark.parametrize(
    ("path", "literal"),
    [
        (SHARE, "Infinity"),
        (SHARE, "NaN"),
        (BASELINE, "-Infinity"),
        (TARGET, "1e400"),
    ],
)
def test_infinity_and_nan_are_refused(
    probe: Probe, base: dict[str, Any], path: tuple, literal: str
) -> None:
    reply = submit_with(probe, base, path, literal)
    assert reply.status in (400, 422), reply.body
    if reply.status == 422:
        assert dotted(path) in field_names(reply)


@pytest.mark.parametrize(
    ("path", "digits"),
    [
        (SHARE, 4_301),
        (("social_content", "time_horizon_years"), 4_301),
        (("project", "loan_amount_sek"), 100_000),
    ],
)
def test_integer_literals_over_4300_digits_are_refused(
    probe: Probe, base: dict[str, Any], path: tuple, digits: int
) -> None:
    reply = submit_with(probe, base, path, "7" * digits)
    assert reply.status in (400, 422), reply.body


@pytest.mark.parametrize(
    ("where", "opener", "depth"),
    [
        ("body", "[", 2_001),
        ("body", '{"a":', 5_000),
        ("project.title", "[", 2_001),
        ("contact_person", '{"a":', 20_000),
    ],
)
def test_nesting_deeper_than_2000_is_refused(
    probe: Probe, base: dict[str, Any], depth: int, where: str, opener: str
) -> None:
    closer = "]" if opener == "[" else "}"
    nested = opener * depth + ("" if opener == "[" else "1") + closer * depth
    if where == "body":
        body = nested
    else:
        document = fresh(base)
        set_at(document, tuple(where.split(".")), Raw(nested))
        body = dumps(document)
    reply = probe.submit("regression", body)
    assert reply.status in (400, 413), reply.body


@pytest.mark.parametrize("body", ["!!!notbase64", "eyJhIjoxfQ", "eyJhIjoxfQ==="])
def test_invalid_base64_is_400(probe: Probe, body: str) -> None:
    reply = probe.submit("regression", body, base64_encoded=True)
    assert reply.status == 400, reply.body
    assert reply.body["error"]["code"] == "malformed_json"


@pytest.mark.parametrize(
    "encoding", ["latin-1", "utf-16", "cp1252", b'{"a": "\xc3\x28"}', b"\xed\xa0\x80"]
)
def test_non_utf8_bodies_are_400(probe: Probe, base: dict[str, Any], encoding: str | bytes) -> None:
    """The application in another encoding, or bytes that are no UTF-8 at all (API Gateway
    passes both on base64-encoded)."""
    text = dumps(fresh(base))
    raw = encoding if isinstance(encoding, bytes) else text.encode(encoding, errors="replace")
    reply = probe.submit_bytes("regression", raw)
    assert reply.status == 400, reply.body
    assert reply.body["error"]["code"] == "malformed_json"


def test_a_lone_surrogate_in_the_event_body_is_400(probe: Probe, base: dict[str, Any]) -> None:
    document = fresh(base)
    document["project"]["title"] += "\ud800"
    reply = probe.submit("regression", dumps(document))
    assert reply.status == 400, reply.body


@pytest.mark.parametrize(
    ("media", "status"),
    [
        ("text/plain", 415),
        ("application/xml", 415),
        ("multipart/form-data; boundary=----x", 415),
        ("APPLICATION/JSON", 201),
    ],
)
def test_media_types(probe: Probe, base: dict[str, Any], aws: Any, media: str, status: int) -> None:
    reply = probe.submit("regression", dumps(fresh(base)), content_type=media)
    assert reply.status == status, reply.body
    assert len(items(aws)) == (1 if status == 201 else 0)


def test_a_json_array_of_two_applications_is_422_and_stores_nothing(
    probe: Probe, base: dict[str, Any], aws: Any
) -> None:
    body = f"[{dumps(fresh(base))}, {dumps(fresh(base))}]"
    reply = probe.submit("regression", body)
    assert reply.status == 422, reply.body
    assert items(aws, prefix="") == []


def test_a_start_date_of_zero_is_422(probe: Probe, base: dict[str, Any]) -> None:
    document = fresh(base)
    document["project"]["start_date"] = 0
    reply = probe.submit("regression", dumps(document))
    assert reply.status == 422, reply.body
    assert "project.start_date" in field_names(reply)


def test_a_form_encoded_post_is_415_and_names_no_contact_person(
    probe: Probe, base: dict[str, Any], aws: Any
) -> None:
    text = dumps(fresh(base))
    for body in (text, "application=" + text):
        event = probe.event(body, content_type="application/x-www-form-urlencoded")
        reply = probe.send("regression", event)
        assert reply.status == 415, reply.body
        assert error_shape_problem(reply.body, 415) is None
        everything = json.dumps({"headers": reply.headers, "body": reply.body})
        for value in CANARY.values():
            assert value not in everything
    assert items(aws, prefix="") == []


# ------------------------------------------------------------------ known bugs

EXTREME_TIMES = ["0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59-05:00"]


@pytest.mark.parametrize("moment", EXTREME_TIMES)
def test_an_extreme_submitted_at_is_a_form_error(
    probe: Probe, base: dict[str, Any], moment: str
) -> None:
    """Once a 500 in the reports (time-zone overflow at year 1 or 9999); now refused as form."""
    document = fresh(base)
    document["submitted_at"] = moment
    reply = probe.submit("regression", dumps(document))
    assert reply.status == 422
    assert [f["field"] for f in reply.body["error"]["fields"]] == ["submitted_at"]


def big_but_under_the_limit(base: dict[str, Any]) -> dict[str, Any]:
    """Valid, 218,764 bytes (the limit is 262,144): every text within its max_length, written
    in a 4-byte character that the verdict's summary repeats (effect goals, districts)."""
    emoji = "\U0001f600"
    document = fresh(base)
    goal = document["social_content"]["effect_goals"][0]
    document["social_content"]["effect_goals"] = [
        {**goal, "goal": emoji * 500, "indicator": emoji * 500, "unit": emoji * 500}
        for _ in range(20)
    ]
    document["project"]["districts"] = [emoji * 200] * 20
    document["social_content"]["target_group"]["districts"] = [emoji * 200] * 20
    for part, key in (
        ("project", "description"),
        ("project", "investment_description"),
        ("social_content", "desired_change"),
    ):
        document[part][key] = emoji * 5_000
    return document


def test_a_valid_body_under_the_size_limit_is_never_a_500(
    probe: Probe, base: dict[str, Any]
) -> None:
    """Once a 500 (the DynamoDB item went over 400 KB); large texts are now stored compressed,
    and what still does not fit is refused as too large (413) before anything is written."""
    body = dumps(big_but_under_the_limit(base))
    assert len(body.encode("utf-8")) < 256 * 1024
    reply = probe.submit("regression", body)  # raises InvariantBroken on a 5xx
    assert reply.status in (201, 413)
