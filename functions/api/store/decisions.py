"""The committee's decisions, in the screening table beside the screenings they decide on.

Items: ``decision#000001``, ``decision#000002``, … under the application's partition; the head
records ``latest_decision``. A decision is written by one transaction (the decision item must
not exist; the head must still be at the number the writer read), so decisions are numbered
without gaps and never overwritten. Decision items carry ``record = "decision"`` and
``listed = <decision_date>#<application_id>#<number>``, so the by-date index lists them by
decision date (the agreement report); they carry no ``outcome``, so the by-outcome index,
which lists screenings, never shows them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from botocore.exceptions import ClientError

from screening.models.decision import Decision, DecisionInput

from .screenings import BY_DATE_INDEX, HEAD, revision_key

RECORD = "decision"
TRANSACTION_LIMIT = 100  # DynamoDB's items per transaction


def decision_key(number: int) -> str:
    return f"decision#{number:06d}"


def listed_key(decision: Decision, application_id: str) -> str:
    """The by-date index's sort key: decision date, then application and number."""
    return f"{decision.decision_date.isoformat()}#{application_id}#{decision.number:06d}"


class DecisionTaken(Exception):
    """Another writer recorded a decision first: read the head again and retry."""


class UnknownScreening(Exception):
    """No such application, or no such revision of it."""


@dataclass(frozen=True)
class Pending:
    """A decision ready to write: its number and the head number it expects."""

    application_id: str
    decision: Decision
    expected_latest: int | None


def _same(a: Decision, b: DecisionInput) -> bool:
    return (
        a.decision == b.decision
        and a.decision_date == b.decision_date
        and a.round == b.round
        and a.screening_revision == b.screening_revision
        and a.assessments == b.assessments
        and a.overridden_rules == b.overridden_rules
        and a.motivation == b.motivation
    )


class DecisionStore:
    def __init__(self, client: Any, table: str) -> None:
        self.client = client
        self.table = table

    # --- reading -----------------------------------------------------------------------------

    def head(self, application_id: str) -> dict[str, Any] | None:
        item = self.client.get_item(
            TableName=self.table,
            Key={"application_id": {"S": application_id}, "sk": {"S": HEAD}},
            ConsistentRead=True,
        ).get("Item")
        return dict(item) if item is not None else None

    def has_revision(self, application_id: str, revision: int) -> bool:
        item = self.client.get_item(
            TableName=self.table,
            Key={"application_id": {"S": application_id}, "sk": {"S": revision_key(revision)}},
            ConsistentRead=True,
            ProjectionExpression="revision",
        ).get("Item")
        return item is not None

    def decisions(self, application_id: str) -> list[Decision]:
        """Every decision of an application, newest first."""
        request: dict[str, Any] = {
            "TableName": self.table,
            "KeyConditionExpression": "application_id = :id AND begins_with(sk, :d)",
            "ExpressionAttributeValues": {":id": {"S": application_id}, ":d": {"S": "decision#"}},
            "ScanIndexForward": False,
            "ConsistentRead": True,
        }
        found: list[Decision] = []
        while True:  # every page: a query answers at most 1 MB
            response = self.client.query(**request)
            found.extend(
                Decision.model_validate_json(i["decision"]["S"]) for i in response.get("Items", [])
            )
            last = response.get("LastEvaluatedKey")
            if not last:
                return found
            request["ExclusiveStartKey"] = last

    def listed(self, date_from: date | None, date_to: date | None) -> Iterator[tuple[str, int]]:
        """(application id, decision number) of every decision dated in the range."""
        names = {"#r": "record"}
        values: dict[str, Any] = {":r": {"S": RECORD}}
        condition = "#r = :r"
        if date_from or date_to:
            names["#l"] = "listed"
            values[":lo"] = {"S": date_from.isoformat() if date_from else "0"}
            values[":hi"] = {"S": f"{date_to.isoformat()}#~" if date_to else "9"}
            condition += " AND #l BETWEEN :lo AND :hi"
        request: dict[str, Any] = {
            "TableName": self.table,
            "IndexName": BY_DATE_INDEX,
            "KeyConditionExpression": condition,
            "ExpressionAttributeNames": names,
            "ExpressionAttributeValues": values,
        }
        while True:
            response = self.client.query(**request)
            for item in response.get("Items", []):
                yield item["application_id"]["S"], int(item["sk"]["S"].removeprefix("decision#"))
            last = response.get("LastEvaluatedKey")
            if not last:
                return
            request["ExclusiveStartKey"] = last

    def get(self, application_id: str, number: int) -> Decision | None:
        item = self.client.get_item(
            TableName=self.table,
            Key={"application_id": {"S": application_id}, "sk": {"S": decision_key(number)}},
        ).get("Item")
        return Decision.model_validate_json(item["decision"]["S"]) if item else None

    # --- writing -----------------------------------------------------------------------------

    def prepare(
        self, application_id: str, decided: DecisionInput, source: str, now: datetime | None = None
    ) -> Pending | Decision:
        """The decision to write next, or the latest one when it is identical (stored nothing)."""
        head = self.head(application_id)
        if head is None or not self.has_revision(application_id, decided.screening_revision):
            raise UnknownScreening(application_id)
        latest_number = int(head["latest_decision"]["N"]) if "latest_decision" in head else None
        if latest_number is not None:
            latest = self.get(application_id, latest_number)
            if latest is not None and _same(latest, decided):
                return latest
        decision = Decision(
            application_id=application_id,
            number=(latest_number or 0) + 1,
            recorded_at=now or datetime.now(UTC),
            source=source,
            **decided.model_dump(),
        )
        return Pending(application_id, decision, latest_number)

    def write(self, pending: Iterable[Pending]) -> None:
        """Write decisions in one transaction: all or none."""
        writes: list[dict[str, Any]] = []
        for p in pending:
            d = p.decision
            key = {"application_id": {"S": p.application_id}}
            writes.append(
                {
                    "Put": {
                        "TableName": self.table,
                        "Item": {
                            **key,
                            "sk": {"S": decision_key(d.number)},
                            "record": {"S": RECORD},
                            "listed": {"S": listed_key(d, p.application_id)},
                            "round": {"S": d.round},
                            "decision": {"S": d.model_dump_json()},
                        },
                        "ConditionExpression": "attribute_not_exists(sk)",
                    }
                }
            )
            condition = (
                "attribute_not_exists(latest_decision)"
                if p.expected_latest is None
                else "latest_decision = :expected"
            )
            values: dict[str, Any] = {":n": {"N": str(d.number)}}
            if p.expected_latest is not None:
                values[":expected"] = {"N": str(p.expected_latest)}
            writes.append(
                {
                    "Update": {
                        "TableName": self.table,
                        "Key": {**key, "sk": {"S": HEAD}},
                        "UpdateExpression": "SET latest_decision = :n",
                        "ConditionExpression": f"attribute_exists(sk) AND {condition}",
                        "ExpressionAttributeValues": values,
                    }
                }
            )
        if len(writes) > TRANSACTION_LIMIT:
            raise ValueError(f"at most {TRANSACTION_LIMIT // 2} decisions at a time")
        try:
            self.client.transact_write_items(TransactItems=writes)
        except ClientError as error:
            if error.response["Error"]["Code"] == "TransactionCanceledException":
                raise DecisionTaken() from None
            raise


def decision_json(decision: Decision) -> dict[str, Any]:
    return decision.model_dump(mode="json")
