"""The verdict store (DynamoDB): an append-only history per application, listable by outcome/date.

Item: ``application_id`` (HASH) + ``revision`` (RANGE, 1, 2, …). A screening is written with
``attribute_not_exists`` so a past verdict is never overwritten; a concurrent writer that lost
the race takes the next revision. Two indexes list screenings newest first: ``by-outcome``
(outcome, listed) and ``by-date`` (record = "screening", listed), where ``listed`` is
``<screened_at UTC>#<application_id>#<revision>``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date
from typing import Any

from botocore.exceptions import ClientError

from screening import Outcome, Verdict

from . import cursor
from .models import ScreeningPage, ScreeningSummary, StoredScreening
from .tables import BY_DATE_INDEX, BY_OUTCOME_INDEX

RECORD = "screening"
HISTORY_LIMIT = 50


class ConcurrentAppend(Exception):
    """Another writer kept taking the next revision; give up rather than loop."""


@dataclass(frozen=True)
class Listing:
    outcome: Outcome | None
    date_from: date | None
    date_to: date | None
    limit: int

    def fingerprint(self) -> str:
        return cursor.fingerprint(self.outcome, self.date_from, self.date_to)


def _listed_time(verdict: Verdict) -> str:
    return verdict.screened_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class VerdictStore:
    def __init__(self, client: Any, table: str) -> None:
        self.client = client
        self.table = table

    # --- writing -----------------------------------------------------------------------------

    def append(
        self, verdict: Verdict, content_sha256: str, submitted_by: str, attempts: int = 3
    ) -> StoredScreening:
        """Store ``verdict`` as the next revision; never overwrites. Returns what was stored."""
        for _ in range(attempts):
            latest = self.latest(verdict.application_id)
            revision = 1 if latest is None else latest.revision + 1
            try:
                self.client.put_item(
                    TableName=self.table,
                    Item=self._item(verdict, revision, content_sha256, submitted_by),
                    ConditionExpression="attribute_not_exists(application_id)",
                )
            except ClientError as error:
                if error.response["Error"]["Code"] != "ConditionalCheckFailedException":
                    raise
                continue
            return StoredScreening(
                revision=revision, content_sha256=content_sha256, verdict=verdict
            )
        raise ConcurrentAppend(verdict.application_id)

    @staticmethod
    def _item(
        verdict: Verdict, revision: int, content_sha256: str, submitted_by: str
    ) -> dict[str, Any]:
        screened_at = _listed_time(verdict)
        return {
            "application_id": {"S": verdict.application_id},
            "revision": {"N": str(revision)},
            "outcome": {"S": verdict.outcome.value},
            "record": {"S": RECORD},
            "listed": {"S": f"{screened_at}#{verdict.application_id}#{revision:06d}"},
            "screened_at": {"S": screened_at},
            "organisation_name": {"S": verdict.application.organisation_name},
            "project_title": {"S": verdict.application.project_title},
            "ruleset_version": {"S": str(verdict.ruleset)},
            "content_sha256": {"S": content_sha256},
            "submitted_by": {"S": submitted_by or "unknown"},
            "verdict": {"S": verdict.model_dump_json()},
        }

    # --- reading -----------------------------------------------------------------------------

    def latest(self, application_id: str) -> StoredScreening | None:
        found = self._history(application_id, 1)
        return found[0] if found else None

    def history(self, application_id: str) -> list[StoredScreening]:
        """Newest first; at most HISTORY_LIMIT + 1 entries (the latest and its predecessors)."""
        return self._history(application_id, HISTORY_LIMIT + 1)

    def _history(self, application_id: str, limit: int) -> list[StoredScreening]:
        response = self.client.query(
            TableName=self.table,
            KeyConditionExpression="application_id = :id",
            ExpressionAttributeValues={":id": {"S": application_id}},
            ScanIndexForward=False,
            ConsistentRead=True,
            Limit=limit,
        )
        return [
            StoredScreening(
                revision=int(item["revision"]["N"]),
                content_sha256=item["content_sha256"]["S"],
                verdict=Verdict.model_validate(json.loads(item["verdict"]["S"])),
            )
            for item in response.get("Items", [])
        ]

    def list(self, listing: Listing, after: str | None = None) -> ScreeningPage:
        query = listing.fingerprint()
        if listing.outcome is None:
            index, key_name, key_value = BY_DATE_INDEX, "record", RECORD
        else:
            index, key_name, key_value = BY_OUTCOME_INDEX, "outcome", listing.outcome.value
        names = {"#p": key_name}
        values: dict[str, Any] = {":p": {"S": key_value}}
        condition = "#p = :p"
        low = f"{listing.date_from.isoformat()}T" if listing.date_from else None
        high = f"{listing.date_to.isoformat()}T~" if listing.date_to else None  # '~' > any digit
        if low or high:
            names["#l"] = "listed"
        if low and high:
            condition += " AND #l BETWEEN :lo AND :hi"
            values.update({":lo": {"S": low}, ":hi": {"S": high}})
        elif low:
            condition += " AND #l >= :lo"
            values[":lo"] = {"S": low}
        elif high:
            condition += " AND #l <= :hi"
            values[":hi"] = {"S": high}
        request: dict[str, Any] = {
            "TableName": self.table,
            "IndexName": index,
            "KeyConditionExpression": condition,
            "ExpressionAttributeNames": names,
            "ExpressionAttributeValues": values,
            "ScanIndexForward": False,
            "Limit": listing.limit,
        }
        if after:
            start = cursor.decode(after, query)
            if set(start) != {"application_id", "revision", key_name, "listed"}:
                raise cursor.bad_cursor()
            request["ExclusiveStartKey"] = start
        try:
            response = self.client.query(**request)
        except ClientError as error:
            # A cursor crafted with keys of another index: DynamoDB refuses the start key.
            if after and error.response["Error"]["Code"] == "ValidationException":
                raise cursor.bad_cursor() from None
            raise
        items = [
            ScreeningSummary(
                application_id=item["application_id"]["S"],
                revision=int(item["revision"]["N"]),
                outcome=Outcome(item["outcome"]["S"]),
                screened_at=item["screened_at"]["S"],
                organisation_name=item["organisation_name"]["S"],
                project_title=item["project_title"]["S"],
                ruleset_version=item["ruleset_version"]["S"],
            )
            for item in response.get("Items", [])
        ]
        last = response.get("LastEvaluatedKey")
        return ScreeningPage(items=items, next_cursor=cursor.encode(last, query) if last else None)
