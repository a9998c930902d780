"""VerdictStore in moto: append-only history, concurrent appends, listing and cursors."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from api import cursor
from api.errors import ApiError
from api.store import Listing, VerdictStore
from screening import Outcome, Screener, parse_application


def verdict(screener: Screener, document: dict, app_id: str, minutes: int = 0) -> Any:
    document = {**document, "application_id": app_id}
    result = screener.screen(parse_application(document))
    at = datetime(2026, 11, 1, 12, tzinfo=UTC) + timedelta(minutes=minutes)
    return result.model_copy(update={"screened_at": at})


@pytest.fixture
def store(aws: Any) -> VerdictStore:
    return VerdictStore(aws, "test-verdicts")


def test_append_numbers_revisions_and_history_is_newest_first(
    store: VerdictStore, screener: Screener, base_document: dict
) -> None:
    for n in range(3):
        stored = store.append(verdict(screener, base_document, "APP-A", n), f"sha{n}", "portal")
        assert stored.revision == n + 1
    history = store.history("APP-A")
    assert [h.revision for h in history] == [3, 2, 1]
    assert [h.content_sha256 for h in history] == ["sha2", "sha1", "sha0"]
    assert store.latest("APP-A").revision == 3
    assert store.latest("APP-B") is None


def test_a_concurrent_writer_never_overwrites(
    store: VerdictStore, screener: Screener, base_document: dict, aws: Any, monkeypatch
) -> None:
    first = verdict(screener, base_document, "APP-A", 0)
    store.append(first, "sha-first", "portal")
    real_latest = store.latest
    raced = {"done": False}

    def stale_latest(application_id: str):
        if not raced["done"]:  # another container appended revision 2 after we read
            raced["done"] = True
            found = real_latest(application_id)
            VerdictStore(aws, "test-verdicts").append(
                verdict(screener, base_document, "APP-A", 1), "sha-other", "portal"
            )
            return found
        return real_latest(application_id)

    monkeypatch.setattr(store, "latest", stale_latest)
    stored = store.append(verdict(screener, base_document, "APP-A", 2), "sha-mine", "portal")
    assert stored.revision == 3
    assert [h.content_sha256 for h in store.history("APP-A")] == [
        "sha-mine",
        "sha-other",
        "sha-first",
    ]


def test_listing_by_outcome_and_dates(
    store: VerdictStore, screener: Screener, base_document: dict
) -> None:
    for n in range(4):
        store.append(verdict(screener, base_document, f"LST{n}", n * 60 * 24), "sha", "portal")
    everything = store.list(Listing(None, None, None, 10))
    assert [i.application_id for i in everything.items] == ["LST3", "LST2", "LST1", "LST0"]
    assert everything.next_cursor is None
    window = store.list(Listing(None, date(2026, 11, 2), date(2026, 11, 3), 10))
    assert [i.application_id for i in window.items] == ["LST2", "LST1"]
    eligible = store.list(Listing(Outcome.eligible, None, date(2026, 11, 1), 10))
    assert [i.application_id for i in eligible.items] == ["LST0"]
    assert store.list(Listing(Outcome.ineligible, None, None, 10)).items == []


def test_pagination_walks_every_item_once(
    store: VerdictStore, screener: Screener, base_document: dict
) -> None:
    for n in range(7):
        store.append(verdict(screener, base_document, f"PAG{n}", n), "sha", "portal")
    listing = Listing(Outcome.eligible, None, None, 3)
    seen, after = [], None
    while True:
        page = store.list(listing, after)
        seen += [i.application_id for i in page.items]
        after = page.next_cursor
        if after is None:
            break
    assert seen == [f"PAG{n}" for n in reversed(range(7))]


def test_cursor_tampering_is_refused(store: VerdictStore) -> None:
    listing = Listing(None, None, None, 3)
    forged = cursor.encode({"application_id": {"S": "x"}}, listing.fingerprint())
    with pytest.raises(ApiError) as refused:  # keys of the wrong index: DynamoDB refuses it
        store.list(listing, forged)
    assert refused.value.code == "invalid_cursor"
    for bad in ("", "!!!", cursor.encode({"a": {"S": "x"}}, "other-query")):
        with pytest.raises(ApiError):
            cursor.decode(bad, listing.fingerprint())
