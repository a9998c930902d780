"""The screening store (DynamoDB, one table): an append-only history per application.

Items of one application (partition ``application_id``, sort key ``sk``):

* ``head`` — the latest revision number, the revision of the content submitted last
  (``current_revision``), the organisation number the id is bound to, and today's count of new
  revisions (the daily cap);
* ``rev#000001``, ``rev#000002``, … — each screening: the verdict, the application it screened
  (without the contact person), the ruleset and contract versions; never overwritten;
* ``content#<sha256>`` — the claim that this exact content is stored, and as which revision.

**One mechanism makes submits idempotent and concurrent submits consistent:** a new content is
stored by one DynamoDB transaction that puts the revision and the content claim and moves the
head, each on a condition (the revision and the claim must not exist; the head must still be at
the revision the writer read). Either all three are written or none: a retry of the same
content finds the claim and gets the stored screening back; a writer that lost the race for the
next revision reads the head again and retries; nothing is ever half written.

Two sparse indexes list revisions newest first: ``by-outcome`` (outcome, listed) and
``by-date`` (record = "screening", listed), where ``listed`` is
``<screened_at UTC>#<application_id>#<revision>``; only revision items carry those attributes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from botocore.exceptions import ClientError

from screening.models.verdict import Outcome, Verdict

from ..models import ScreeningPage, ScreeningSummary, StoredScreening
from . import cursor
from .documents import checked, read_text
from .older_contract import stored_verdict

RECORD = "screening"
HEAD = "head"
HISTORY_LIMIT = 50
BY_OUTCOME_INDEX = "by-outcome"
BY_DATE_INDEX = "by-date"


def revision_key(revision: int) -> str:
    return f"rev#{revision:06d}"


def content_key(sha: str) -> str:
    return f"content#{sha}"


@dataclass(frozen=True)
class Head:
    latest_revision: int
    current_revision: int
    organisation_number: str
    day: str
    day_count: int


@dataclass(frozen=True)
class Claim:
    """This content is stored, as ``revision`` (the verdict is read from the revision)."""

    revision: int


@dataclass(frozen=True)
class Lookup:
    head: Head | None
    claim: Claim | None


class RevisionTaken(Exception):
    """Another writer moved the head first: read it again and retry."""


class ContentClaimed(Exception):
    """The same content was stored by another writer meanwhile: read its claim."""


@dataclass(frozen=True)
class Listing:
    outcome: Outcome | None
    date_from: date | None
    date_to: date | None
    limit: int

    def fingerprint(self) -> str:
        return cursor.fingerprint(self.outcome, self.date_from, self.date_to)


def _stored(application_id: str, revision: int, item: dict[str, Any]) -> StoredScreening:
    """A revision item as the committee reads it (raises ``StoredUnderOlderContract``)."""
    return StoredScreening(
        revision=revision,
        content_sha256=item["content_sha256"]["S"],
        kind=item.get("kind", {}).get("S", "submission"),
        verdict=stored_verdict(application_id, revision, item["verdict"]),
    )


def listed_time(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class ScreeningStore:
    def __init__(self, client: Any, table: str) -> None:
        self.client = client
        self.table = table

    # --- the submit path -------------------------------------------------------------------

    def lookup(self, application_id: str, sha: str) -> Lookup:
        """The head and this content's claim, in one strongly consistent read."""
        keys = [
            {"application_id": {"S": application_id}, "sk": {"S": HEAD}},
            {"application_id": {"S": application_id}, "sk": {"S": content_key(sha)}},
        ]
        response = self.client.batch_get_item(
            RequestItems={self.table: {"Keys": keys, "ConsistentRead": True}}
        )
        head = claim = None
        for item in response.get("Responses", {}).get(self.table, []):
            if item["sk"]["S"] == HEAD:
                head = Head(
                    latest_revision=int(item["latest_revision"]["N"]),
                    current_revision=int(item["current_revision"]["N"]),
                    organisation_number=item["organisation_number"]["S"],
                    day=item["day"]["S"],
                    day_count=int(item["day_count"]["N"]),
                )
            else:
                claim = Claim(int(item["revision"]["N"]))
        if response.get("UnprocessedKeys"):
            raise RevisionTaken("throttled read; try again")
        return Lookup(head, claim)

    def append(
        self,
        verdict: Verdict,
        *,
        sha: str,
        application_json: str,
        organisation_number: str,
        submitted_by: str,
        head: Head | None,
        today: str,
        kind: str = "submission",
        shadow_json: str | None = None,
        verdict_json: str | None = None,
    ) -> StoredScreening:
        """Store ``verdict`` as the next revision after ``head``; all or nothing.
        ``verdict_json``: the verdict already serialised (it is also the response body)."""
        revision = 1 if head is None else head.latest_revision + 1
        verdict_json = verdict_json or verdict.model_dump_json()
        application_id = verdict.application_id
        key = {"application_id": {"S": application_id}}
        day_count = 1 if head is None or head.day != today else head.day_count + 1
        if kind == "rescreen" and head is not None:
            # The committee's rescreens are not the applicant's revisions: the portal's daily
            # cap counts submissions only.
            today, day_count = head.day, head.day_count
        head_item = {
            **key,
            "sk": {"S": HEAD},
            "latest_revision": {"N": str(revision)},
            "current_revision": {"N": str(revision)},
            "organisation_number": {"S": organisation_number},
            "day": {"S": today},
            "day_count": {"N": str(day_count)},
        }
        if head is None:
            head_write: dict[str, Any] = {
                "Put": {
                    "TableName": self.table,
                    "Item": head_item,
                    "ConditionExpression": "attribute_not_exists(sk)",
                }
            }
        else:
            head_write = {
                "Update": {
                    "TableName": self.table,
                    "Key": {**key, "sk": {"S": HEAD}},
                    "UpdateExpression": "SET latest_revision = :r, current_revision = :r, "
                    "#d = :day, day_count = :count",
                    "ConditionExpression": "latest_revision = :expected",
                    "ExpressionAttributeNames": {"#d": "day"},
                    "ExpressionAttributeValues": {
                        ":r": {"N": str(revision)},
                        ":day": {"S": today},
                        ":count": {"N": str(day_count)},
                        ":expected": {"N": str(head.latest_revision)},
                    },
                }
            }
        claim_write = {
            "Put": {
                "TableName": self.table,
                "Item": {
                    **key,
                    "sk": {"S": content_key(sha)},
                    "revision": {"N": str(revision)},
                },
                "ConditionExpression": "attribute_not_exists(sk)",
            }
        }
        if kind == "rescreen":  # the same content again, on purpose: the claim moves along
            claim_write["Put"].pop("ConditionExpression")
        writes = [
            {
                "Put": {
                    "TableName": self.table,
                    "Item": self._revision_item(
                        verdict,
                        verdict_json,
                        revision,
                        sha,
                        application_json,
                        submitted_by,
                        kind,
                        shadow_json,
                    ),
                    "ConditionExpression": "attribute_not_exists(sk)",
                }
            },
            claim_write,
            head_write,
        ]
        try:
            self.client.transact_write_items(TransactItems=writes)
        except ClientError as error:
            if error.response["Error"]["Code"] != "TransactionCanceledException":
                raise
            reasons = [r.get("Code") for r in error.response.get("CancellationReasons", [])]
            if len(reasons) > 1 and reasons[1] == "ConditionalCheckFailed" and kind != "rescreen":
                raise ContentClaimed(application_id) from None
            raise RevisionTaken(application_id) from None
        return StoredScreening(revision=revision, content_sha256=sha, kind=kind, verdict=verdict)

    def mark_current(self, application_id: str, revision: int) -> None:
        """The portal submitted an earlier content again: that revision is current again."""
        try:
            self.client.update_item(
                TableName=self.table,
                Key={"application_id": {"S": application_id}, "sk": {"S": HEAD}},
                UpdateExpression="SET current_revision = :r",
                ConditionExpression="attribute_exists(sk) AND latest_revision >= :r",
                ExpressionAttributeValues={":r": {"N": str(revision)}},
            )
        except ClientError as error:
            if error.response["Error"]["Code"] != "ConditionalCheckFailedException":
                raise

    @staticmethod
    def _revision_item(
        verdict: Verdict,
        verdict_json: str,
        revision: int,
        sha: str,
        application_json: str,
        submitted_by: str,
        kind: str,
        shadow_json: str | None,
    ) -> dict[str, Any]:
        screened_at = listed_time(verdict.screened_at)
        item: dict[str, Any] = {
            "application_id": {"S": verdict.application_id},
            "sk": {"S": revision_key(revision)},
            "revision": {"N": str(revision)},
            "kind": {"S": kind},
            "outcome": {"S": verdict.outcome.value},
            "record": {"S": RECORD},
            "listed": {"S": f"{screened_at}#{verdict.application_id}#{revision:06d}"},
            "screened_at": {"S": screened_at},
            "organisation_name": {"S": verdict.application.organisation_name},
            "project_title": {"S": verdict.application.project_title},
            "ruleset_version": {"S": str(verdict.ruleset)},
            "contract_version": {"S": verdict.contract_version},
            "content_sha256": {"S": sha},
            "submitted_by": {"S": submitted_by or "unknown"},
            "verdict": {"S": verdict_json},
            "application": {"S": application_json},
        }
        if shadow_json is not None:  # a candidate release's verdict: stored, never returned
            item["shadow_verdict"] = {"S": shadow_json}
        return checked(item)

    # --- reading -----------------------------------------------------------------------------

    def current_revision(self, application_id: str) -> int | None:
        """The revision of the content submitted last (None: no such application)."""
        head = self._head_item(application_id)
        return None if head is None else int(head["current_revision"]["N"])

    def _head_item(self, application_id: str) -> dict[str, Any] | None:
        item: dict[str, Any] | None = self.client.get_item(
            TableName=self.table,
            Key={"application_id": {"S": application_id}, "sk": {"S": HEAD}},
            ConsistentRead=True,
        ).get("Item")
        return item

    def history(self, application_id: str) -> tuple[int | None, list[StoredScreening]]:
        """The current revision, and the revisions newest first (at most HISTORY_LIMIT).
        Raises ``StoredUnderOlderContract`` if one of them no longer reads as a verdict."""
        head = self._head_item(application_id)
        if head is None:
            return None, []
        # Paged: a query answers at most 1 MB, and 50 revisions with their applications can be
        # more, so the rest is read from LastEvaluatedKey rather than silently left out. The
        # stored application is not read: the history shows verdicts.
        request: dict[str, Any] = {
            "TableName": self.table,
            "KeyConditionExpression": "application_id = :id AND begins_with(sk, :rev)",
            "ExpressionAttributeValues": {":id": {"S": application_id}, ":rev": {"S": "rev#"}},
            "ProjectionExpression": "#revision, content_sha256, #kind, verdict",
            "ExpressionAttributeNames": {"#revision": "revision", "#kind": "kind"},
            "ScanIndexForward": False,
            "ConsistentRead": True,
        }
        found: list[StoredScreening] = []
        while len(found) < HISTORY_LIMIT:
            response = self.client.query(**request, Limit=HISTORY_LIMIT - len(found))
            found.extend(
                _stored(application_id, int(item["revision"]["N"]), item)
                for item in response.get("Items", [])
            )
            last = response.get("LastEvaluatedKey")
            if last is None:
                break
            request["ExclusiveStartKey"] = last
        return int(head["current_revision"]["N"]), found

    def screening(self, application_id: str, revision: int) -> StoredScreening | None:
        response = self.client.get_item(
            TableName=self.table,
            Key={"application_id": {"S": application_id}, "sk": {"S": revision_key(revision)}},
            ConsistentRead=True,
        )
        item = response.get("Item")
        return None if item is None else _stored(application_id, revision, item)

    def verdict_json(self, application_id: str, revision: int) -> str | None:
        """A revision's verdict as stored (JSON text): what a replayed submit returns."""
        return self._revision_text(application_id, revision, "verdict")

    def application_json(self, application_id: str, revision: int) -> str | None:
        """The application a revision screened (without the contact person), as stored."""
        return self._revision_text(application_id, revision, "application")

    def _revision_text(self, application_id: str, revision: int, attribute: str) -> str | None:
        response = self.client.get_item(
            TableName=self.table,
            Key={"application_id": {"S": application_id}, "sk": {"S": revision_key(revision)}},
            ConsistentRead=True,
            ProjectionExpression=attribute,
        )
        item = response.get("Item")
        return read_text(item[attribute]) if item else None

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
            if set(start) != {"application_id", "sk", key_name, "listed"}:
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
