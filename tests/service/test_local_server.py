"""Over real HTTP: the `make serve` gateway → the Lambda handlers → boto3 → the local DynamoDB
(moto's server on 127.0.0.1). Everything is stopped at the end of the module."""

from __future__ import annotations

import copy
import json
import os
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from workbench.local import server as local


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    saved = dict(os.environ)
    httpd, dynamodb = local.serve(port=0)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        dynamodb.stop()
        os.environ.clear()
        os.environ.update(saved)


def request(
    url: str, method: str = "GET", body: Any = None, headers: dict[str, str] | None = None
) -> tuple[int, dict[str, Any]]:
    data = (
        None if body is None else (body if isinstance(body, bytes) else json.dumps(body).encode())
    )
    req = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    req.add_header("content-type", "application/json")
    try:
        with urllib.request.urlopen(req, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


COMMITTEE = {"Authorization": "Bearer committee"}


def test_post_then_get_returns_the_same_verdict(server: str, base_document: dict) -> None:
    status, verdict = request(f"{server}/screenings", "POST", base_document)
    assert status == 201, verdict
    status, again = request(f"{server}/screenings", "POST", base_document)
    assert (status, again) == (200, verdict)  # the same content: the stored verdict
    status, got = request(
        f"{server}/screenings/{base_document['application_id']}", headers=COMMITTEE
    )
    assert status == 200
    assert got["latest"]["verdict"] == verdict
    assert [h["revision"] for h in got["history"]] == [1]


def test_the_store_really_went_over_http_to_moto(server: str, base_document: dict) -> None:
    document = copy.deepcopy(base_document)
    document["application_id"] = "LSH-HTTP-1"
    assert request(f"{server}/screenings", "POST", document)[0] == 201
    document["project"]["loan_amount_sek"] -= 1_000_000
    assert request(f"{server}/screenings", "POST", document)[0] == 201
    client = boto3.client("dynamodb", endpoint_url=os.environ["AWS_ENDPOINT_URL_DYNAMODB"])
    items = client.query(
        TableName=os.environ["VERDICT_TABLE"],
        KeyConditionExpression="application_id = :a AND begins_with(sk, :rev)",
        ExpressionAttributeValues={":a": {"S": "LSH-HTTP-1"}, ":rev": {"S": "rev#"}},
    )["Items"]
    assert sorted(int(i["revision"]["N"]) for i in items) == [1, 2]
    from api.store.documents import read_text

    text = json.dumps([{k: read_text(v) if "B" in v else v for k, v in i.items()} for i in items])
    for value in document["contact_person"].values():  # no personal data is stored
        assert value not in text


def test_simulated_auth(server: str, base_document: dict) -> None:
    assert request(f"{server}/screenings")[0] == 401
    assert request(f"{server}/screenings", headers={"Authorization": "Bearer someone"})[0] == 403
    assert request(f"{server}/screenings", "POST", base_document, COMMITTEE)[0] == 403
    status, page = request(f"{server}/screenings?limit=1", headers=COMMITTEE)
    assert status == 200 and len(page["items"]) == 1
    status, rules = request(f"{server}/rules")
    assert status == 200 and rules["rules"]


def test_errors_over_http(server: str) -> None:
    status, body = request(f"{server}/screenings", "POST", b'{"broken": ')
    assert (status, body["error"]["code"]) == (400, "malformed_json")
    status, body = request(f"{server}/screenings", "POST", b"{" + b" " * 300_000 + b"}")
    assert (status, body["error"]["code"]) == (413, "payload_too_large")
    status, body = request(f"{server}/screenings/NOPE", headers=COMMITTEE)
    assert (status, body["error"]["code"]) == (404, "not_found")
    status, body = request(f"{server}/screenings?outcome=granted", headers=COMMITTEE)
    assert status == 422 and body["error"]["fields"][0]["field"] == "outcome"


def test_concurrent_requests_are_all_answered(server: str, base_document: dict) -> None:
    results: list[int] = []

    def submit(n: int) -> None:
        document = copy.deepcopy(base_document)
        document["application_id"] = f"LSH-PAR-{n}"
        results.append(request(f"{server}/screenings", "POST", document)[0])

    threads = [threading.Thread(target=submit, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(results) == [201] * 8


def test_a_bad_content_length_is_400_not_a_hang(server: str) -> None:
    import http.client
    from urllib.parse import urlsplit

    parts = urlsplit(server)
    for declared, body in (("abc", b"{}"), ("-5", b"{}"), ("100", b"{}")):
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        connection.putrequest("POST", "/screenings")
        connection.putheader("Content-Type", "application/json")
        connection.putheader("Content-Length", declared)
        connection.endheaders()
        connection.send(body)
        if declared == "100":
            connection.sock.shutdown(1)  # the client sends less than it declared, then stops
        response = connection.getresponse()
        assert response.status == 400, declared
        connection.close()


def test_non_json_media_types_are_415_and_json_in_any_case_is_json(
    server: str, base_document: dict
) -> None:
    document = copy.deepcopy(base_document)
    document["application_id"] = "LSH-MEDIA-1"
    body = json.dumps(document).encode()
    for media, status in (
        ("text/plain", 415),
        ("application/xml", 415),
        ("application/x-www-form-urlencoded", 415),
        ("multipart/form-data; boundary=x", 415),
        ("APPLICATION/JSON", 201),
        ("application/json; charset=UTF-8", 200),
    ):
        req = urllib.request.Request(f"{server}/screenings", data=body, method="POST")
        req.add_header("Content-Type", media)
        try:
            with urllib.request.urlopen(req, timeout=30) as response:
                got = response.status
        except urllib.error.HTTPError as error:
            got = error.code
            payload = json.loads(error.read())
            assert "Kontakt" not in json.dumps(payload) and "kontakt@" not in json.dumps(payload)
        assert got == status, media


def test_the_committee_loop_over_http(
    server: str, base_document: dict, tmp_path: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    """Decision, agreement, rescreen and export, through the gateway and moto's server."""
    from workbench.cli import main

    document = copy.deepcopy(base_document)
    document["application_id"] = "LSH-HTTP-LOOP"
    url = f"{server}/screenings/LSH-HTTP-LOOP"
    assert request(f"{server}/screenings", "POST", document)[0] == 201
    decision = {
        "decision": "granted",
        "decision_date": "2026-11-20",
        "round": "2026-R3",
        "screening_revision": 1,
        "motivation": "Tydliga effektmål.",
    }
    status, recorded = request(f"{url}/decision", "PUT", decision, COMMITTEE)
    assert status == 201, recorded
    assert request(f"{url}/decision", "PUT", decision, COMMITTEE)[0] == 200  # stored once
    status, agreement = request(f"{server}/agreement?round=2026-R3", headers=COMMITTEE)
    assert status == 200 and agreement["decided"] == 1
    status, rescreened = request(f"{url}/rescreen", "POST", None, COMMITTEE)
    assert (status, rescreened["revision"]) == (201, 2), rescreened
    status, history = request(url, headers=COMMITTEE)
    assert [h["revision"] for h in history["history"]] == [2, 1]
    assert history["decision"]["decision"] == "granted"

    out = tmp_path / "export.jsonl"
    endpoint = os.environ["AWS_ENDPOINT_URL_DYNAMODB"]
    table = os.environ["VERDICT_TABLE"]
    argv = ["export", "--table", table, "--endpoint-url", endpoint, "--out", str(out)]
    assert main([*argv, "--page-size", "2"]) == 0
    lines = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    loop = next(line for line in lines if line["application_id"] == "LSH-HTTP-LOOP")
    assert loop["revision"] == 2 and loop["decisions"][0]["decision"] == "granted"
    text = out.read_text("utf-8")
    for value in document["contact_person"].values():
        assert value not in text
    capsys.readouterr()
    assert main(["agreement", "--table", table, "--endpoint-url", endpoint]) == 0
    assert "decided" in capsys.readouterr().out


def test_effect_reports_over_http(server: str) -> None:
    """A granted loan's yearly report and its follow-up, through the gateway and moto's server."""
    from pathlib import Path

    folder = Path(__file__).resolve().parents[2] / "events" / "effect-reports"
    application = json.loads(
        (
            folder.parent / "applications" / "kungalvsbostader-ground-floor-apartments.json"
        ).read_text("utf-8")
    )
    loan = application["application_id"]
    assert request(f"{server}/screenings", "POST", application)[0] == 201
    decision = {
        "decision": "granted",
        "decision_date": "2026-12-15",
        "round": "2026-R4",
        "screening_revision": 1,
    }
    assert request(f"{server}/screenings/{loan}/decision", "PUT", decision, COMMITTEE)[0] == 201
    body = json.loads((folder / "kungalv-2027-on-track.json").read_text("utf-8"))
    from datetime import datetime

    from api import follow_up

    # The service receives the 2027 report when the borrower sent it (March 2028); the first
    # request starts the function (its container init), then its clock is set.
    assert request(f"{server}/loans/{loan}/follow-up", headers=COMMITTEE)[0] == 200
    follow_up.SERVICES.clock = lambda: datetime.fromisoformat(body["submitted_at"])
    status, verdict = request(f"{server}/effect-reports", "POST", body)
    assert (status, verdict["outcome"]) == (201, "on_track"), verdict
    assert request(f"{server}/effect-reports", "POST", body)[0] == 200
    status, follow_up = request(f"{server}/loans/{loan}/follow-up?on=2029-06-01", headers=COMMITTEE)
    assert status == 200
    assert [y["status"] for y in follow_up["years"]] == ["received", "overdue"]
