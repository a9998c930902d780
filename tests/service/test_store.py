"""The screening store in moto: one transaction per new content, claims, the head, history,
listing and cursors."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from api.errors import ApiError
from api.store import cursor
from api.store.screenings import ContentClaimed, Listing, RevisionTaken, ScreeningStore
from screening.models.verdict import Outcome, Verdict
from screening.screener import Screener
from screening.validation import parse_application

TODAY = "2026-11-01"


def verdict(screener: Screener, document: dict, app_id: str, minutes: int = 0) -> Verdict:
    document = {**document, "application_id": app_id}
    result = screener.screen(parse_application(document))
    at = datetime(2026, 11, 1, 12, tzinfo=UTC) + timedelta(minutes=minutes)
    return result.model_copy(update={"screened_at": at})


@pytest.fixture
def store(aws: Any) -> ScreeningStore:
    return ScreeningStore(aws, "test-screenings")


def append(store: ScreeningStore, v: Verdict, sha: str, org: str = "556000-0001") -> Any:
    head = store.lookup(v.application_id, sha).head
    return store.append(
        v,
        sha=sha,
        application_json="{}",
        organisation_number=org,
        submitted_by="portal",
        head=head,
        today=TODAY,
    )


def test_append_numbers_revisions_and_history_is_newest_first(
    store: ScreeningStore, screener: Screener, base_document: dict
) -> None:
    for n in range(3):
        stored = append(store, verdict(screener, base_document, "APP-A", n), f"sha{n}")
        assert stored.revision == n + 1
    current, history = store.history("APP-A")
    assert current == 3
    assert [h.revision for h in history] == [3, 2, 1]
    assert [h.content_sha256 for h in history] == ["sha2", "sha1", "sha0"]
    assert store.history("APP-B") == (None, [])
    lookup = store.lookup("APP-A", "sha1")
    assert lookup.claim is not None and lookup.claim.revision == 2
    assert lookup.head is not None and lookup.head.day_count == 3


class SmallPages:
    """A DynamoDB client whose queries answer at most two items a page, as a real query stops
    at 1 MB: large revisions arrive over several pages."""

    def __init__(self, client: Any) -> None:
        self._client = client
        self.pages = 0

    def query(self, **request: Any) -> Any:
        self.pages += 1
        return self._client.query(**{**request, "Limit": min(request.get("Limit", 2), 2)})

    def __getattr__(self, name: str) -> Any:
        return getattr(self._client, name)


def test_history_reads_every_page_up_to_its_limit(
    aws: Any, screener: Screener, base_document: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    writer = ScreeningStore(aws, "test-screenings")
    for n in range(7):
        append(writer, verdict(screener, base_document, "APP-P", n), f"sha{n}")
    paged = SmallPages(aws)
    current, history = ScreeningStore(paged, "test-screenings").history("APP-P")
    assert current == 7
    assert [h.revision for h in history] == [7, 6, 5, 4, 3, 2, 1]
    assert paged.pages >= 4
    monkeypatch.setattr("api.store.screenings.HISTORY_LIMIT", 5)
    _, newest = ScreeningStore(SmallPages(aws), "test-screenings").history("APP-P")
    assert [h.revision for h in newest] == [7, 6, 5, 4, 3]


def test_a_writer_that_read_an_old_head_takes_nothing(
    store: ScreeningStore, screener: Screener, base_document: dict, aws: Any
) -> None:
    first = verdict(screener, base_document, "APP-A", 0)
    append(store, first, "sha-first")
    stale = store.lookup("APP-A", "sha-x").head
    append(store, verdict(screener, base_document, "APP-A", 1), "sha-second")
    with pytest.raises(RevisionTaken):
        store.append(
            verdict(screener, base_document, "APP-A", 2),
            sha="sha-third",
            application_json="{}",
            organisation_number="556000-0001",
            submitted_by="portal",
            head=stale,
            today=TODAY,
        )
    # All or nothing: no claim, no revision of the failed write.
    assert store.lookup("APP-A", "sha-third").claim is None
    assert [h.revision for h in store.history("APP-A")[1]] == [2, 1]
    assert store.history("APP-A")[1][1].verdict == first


def test_the_same_content_cannot_be_stored_twice(
    store: ScreeningStore, screener: Screener, base_document: dict
) -> None:
    v = verdict(screener, base_document, "APP-A")
    append(store, v, "sha-same")
    head = store.lookup("APP-A", "sha-other").head
    with pytest.raises(ContentClaimed):
        store.append(
            v,
            sha="sha-same",
            application_json="{}",
            organisation_number="556000-0001",
            submitted_by="portal",
            head=head,
            today=TODAY,
        )


def test_mark_current_points_the_head_back(
    store: ScreeningStore, screener: Screener, base_document: dict
) -> None:
    append(store, verdict(screener, base_document, "APP-A", 0), "a")
    append(store, verdict(screener, base_document, "APP-A", 1), "b")
    store.mark_current("APP-A", 1)
    assert store.history("APP-A")[0] == 1
    store.mark_current("APP-A", 7)  # beyond the latest: ignored
    assert store.history("APP-A")[0] == 1


def test_listing_by_outcome_and_date_with_cursors(
    store: ScreeningStore, screener: Screener, base_document: dict
) -> None:
    for n in range(4):
        document = dict(base_document)
        if n % 2:
            document = {
                **document,
                "project": {**document["project"], "investment_kind": "operating_cost"},
            }
        append(store, verdict(screener, document, f"APP-{n}", n), f"sha{n}")
    page = store.list(Listing(None, None, None, 3))
    assert [i.application_id for i in page.items] == ["APP-3", "APP-2", "APP-1"]
    rest = store.list(Listing(None, None, None, 3), page.next_cursor)
    assert [i.application_id for i in rest.items] == ["APP-0"] and rest.next_cursor is None
    ineligible = store.list(Listing(Outcome.ineligible, date(2026, 11, 1), date(2026, 11, 1), 10))
    assert [i.application_id for i in ineligible.items] == ["APP-3", "APP-1"]
    with pytest.raises(ApiError):
        store.list(Listing(Outcome.eligible, None, None, 3), page.next_cursor)


def test_a_cursor_is_opaque_and_bound_to_its_query() -> None:
    encoded = cursor.encode({"application_id": {"S": "a"}, "sk": {"S": "rev#000001"}}, "q1")
    assert cursor.decode(encoded, "q1") == {"application_id": {"S": "a"}, "sk": {"S": "rev#000001"}}
    tampered = [  # the right query, key values botocore would refuse (a 500, not a 400)
        {"application_id": {"S": 5}},
        {"application_id": {"S": None}},
        {"application_id": {"S": ["x"]}},
        {"application_id": {"S": ""}},
        {"revision": {"N": "nan"}},
        {"revision": {"N": 3}},
        {"application_id": {"S": "a", "N": "1"}},
        {f"k{n}": {"S": "a"} for n in range(5)},
    ]
    for bad in (
        encoded[:-3],
        "!!!",
        cursor.encode({"x": {"L": []}}, "q1"),
        *(cursor.encode(key, "q1") for key in tampered),
    ):
        with pytest.raises(ApiError):
            cursor.decode(bad, "q1")
    assert cursor.decode(cursor.encode({"r": {"N": "-12.5"}}, "q1"), "q1") == {"r": {"N": "-12.5"}}
    with pytest.raises(ApiError):
        cursor.decode(encoded, "q2")


def test_large_documents_are_stored_compressed_and_read_back_unchanged() -> None:
    from api.store.documents import COMPRESS_FROM, ItemTooLarge, checked, read_text, text_attribute

    small, large = "å" * 10, "Varsam renovering. " * (COMPRESS_FROM // 10)
    assert text_attribute(small) == {"S": small}
    stored = text_attribute(large)
    assert set(stored) == {"B"} and len(stored["B"]) < len(large) // 10
    assert read_text(stored) == large and read_text(text_attribute(small)) == small
    incompressible = __import__("base64").b64encode(__import__("os").urandom(600 * 1024)).decode()
    with pytest.raises(ItemTooLarge):
        checked({"application": text_attribute(incompressible)})
