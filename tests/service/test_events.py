"""Every event under events/api/ gives the status in its name (``<case>.<status>.json``).

Each event runs against fresh tables seeded with the valid submission, through the real
handler that template.yaml wires to its route.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from service_support import Api

from api.routes import ROUTES

EVENTS = Path(__file__).resolve().parents[2] / "events" / "api"
FILES = sorted(EVENTS.glob("*.json"))
NAME = re.compile(r"^[a-z0-9-]+\.(\d{3})\.json$")


def test_there_are_events_for_every_route() -> None:
    routes = {json.loads(p.read_text("utf-8"))["routeKey"] for p in FILES}
    assert routes == {route.key for route in ROUTES}
    statuses = {int(NAME.match(p.name).group(1)) for p in FILES}
    assert {200, 201, 400, 401, 403, 404, 409, 413, 415, 422} <= statuses


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_event_gives_its_documented_status(path: Path, api: Api) -> None:
    match = NAME.match(path.name)
    assert match, f"{path.name}: name it <case>.<status>.json"
    if path.name != "post-screenings-valid.201.json":  # the others find it stored
        seed = api.call(json.loads((EVENTS / "post-screenings-valid.201.json").read_text("utf-8")))
        assert seed.status == 201
    if "effect-report" in path.name or "follow-up" in path.name:  # a granted loan
        grant = api.call(json.loads((EVENTS / "put-decision-granted.201.json").read_text("utf-8")))
        assert grant.status == 201
    reply = api.call(json.loads(path.read_text("utf-8")))
    assert reply.status == int(match.group(1)), reply.body
    if reply.status >= 400:
        assert reply.body["error"]["status"] == reply.status
    elif path.name.startswith(
        ("get-report", "get-round-report", "get-agreement-report", "get-portfolio-report")
    ) or path.name.startswith("get-follow-up-report"):
        assert reply.headers["Content-Type"] == "text/html; charset=utf-8"
        assert reply.body.startswith("<!DOCTYPE html>")
        assert "default-src 'none'" in reply.headers["Content-Security-Policy"]
