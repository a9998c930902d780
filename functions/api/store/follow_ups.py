"""Effect reports and their follow-up verdicts, in the screening table beside the loan's
screenings and decisions (the application's partition).

Items, append-only:

* ``report#YYYY#NNNNNN`` — one received report for year YYYY, revision N: the report as
  validated (it holds no personal data: a report with a personnummer is refused), its
  follow-up verdict, the content's sha256, when it was received;
* ``report-year#YYYY`` — the latest revision for the year;
* ``report-content#<sha256>`` — a claim: this exact report is stored (a repeat returns it).

A report is written by one transaction (the claim and the revision must not exist, the year's
head must still be where the writer read it), so a retried POST never stores twice and two
writers never overwrite each other. The items carry no ``outcome`` and no ``record``, so the
screening indexes never list them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from botocore.exceptions import ClientError

from screening.models.effect_report import EffectReport
from screening.models.follow_up import FollowUpVerdict

from .documents import checked, read_text, text_attribute

REPORT_PREFIX = "report#"


def report_key(year: int, revision: int) -> str:
    return f"{REPORT_PREFIX}{year}#{revision:06d}"


def year_key(year: int) -> str:
    return f"report-year#{year}"


def claim_key(sha: str) -> str:
    return f"report-content#{sha}"


class ReportRevisionTaken(Exception):
    """Another writer stored a report for the year first: read again and retry."""


class ReportClaimed(Exception):
    """This exact report was stored meanwhile: read it and return it."""


@dataclass(frozen=True)
class StoredReport:
    application_id: str
    reporting_year: int
    revision: int
    report: EffectReport
    follow_up: FollowUpVerdict
    received_at: str

    @classmethod
    def from_item(cls, item: dict[str, Any]) -> StoredReport:
        return cls(
            application_id=item["application_id"]["S"],
            reporting_year=int(item["reporting_year"]["N"]),
            revision=int(item["revision"]["N"]),
            report=EffectReport.model_validate_json(read_text(item["report"])),
            follow_up=FollowUpVerdict.model_validate_json(read_text(item["follow_up"])),
            received_at=item["received_at"]["S"],
        )


class FollowUpStore:
    def __init__(self, client: Any, table: str) -> None:
        self.client = client
        self.table = table

    def _key(self, application_id: str, sk: str) -> dict[str, Any]:
        return {"application_id": {"S": application_id}, "sk": {"S": sk}}

    # --- reading -----------------------------------------------------------------------------

    def claimed(self, application_id: str, sha: str) -> StoredReport | None:
        """The stored report with exactly this content, if any."""
        claim = self.client.get_item(
            TableName=self.table, Key=self._key(application_id, claim_key(sha)), ConsistentRead=True
        ).get("Item")
        if claim is None:
            return None
        item = self.client.get_item(
            TableName=self.table,
            Key=self._key(application_id, claim["report_sk"]["S"]),
            ConsistentRead=True,
        ).get("Item")
        return StoredReport.from_item(item) if item else None

    def latest_revision(self, application_id: str, year: int) -> int | None:
        item = self.client.get_item(
            TableName=self.table, Key=self._key(application_id, year_key(year)), ConsistentRead=True
        ).get("Item")
        return int(item["latest"]["N"]) if item else None

    def reports(self, application_id: str, before: int | None = None) -> list[StoredReport]:
        """The loan's stored report revisions (of the years before ``before``, if given),
        oldest year and revision first."""
        return list(self._query(application_id, before))

    def first_received(self, application_id: str, year: int) -> datetime | None:
        """When the year's first report was received (lateness is judged by it)."""
        item = self.client.get_item(
            TableName=self.table,
            Key=self._key(application_id, report_key(year, 1)),
            ConsistentRead=True,
            ProjectionExpression="received_at",
        ).get("Item")
        return datetime.fromisoformat(item["received_at"]["S"]) if item else None

    def _query(self, application_id: str, before: int | None) -> Iterator[StoredReport]:
        if before is None:
            condition = "application_id = :id AND begins_with(sk, :r)"
            values = {":id": {"S": application_id}, ":r": {"S": REPORT_PREFIX}}
        else:  # keys sort by year: only the earlier years are read
            condition = "application_id = :id AND sk BETWEEN :lo AND :hi"
            values = {
                ":id": {"S": application_id},
                ":lo": {"S": REPORT_PREFIX},
                ":hi": {"S": f"{REPORT_PREFIX}{before - 1}#~"},
            }
        request: dict[str, Any] = {
            "TableName": self.table,
            "KeyConditionExpression": condition,
            "ExpressionAttributeValues": values,
            "ConsistentRead": True,
        }
        while True:
            response = self.client.query(**request)
            for item in response.get("Items", []):
                yield StoredReport.from_item(item)
            last = response.get("LastEvaluatedKey")
            if not last:
                return
            request["ExclusiveStartKey"] = last

    # --- writing -----------------------------------------------------------------------------

    def append(
        self,
        report: EffectReport,
        follow_up: FollowUpVerdict,
        report_json: str,
        sha: str,
        expected: int | None,
        received_at: datetime,
        reclaim: bool = False,
    ) -> StoredReport:
        """Store the next revision for the report's year in one transaction. ``reclaim``: this
        content was stored before as an earlier revision and is sent again to be the latest;
        its claim moves to the new revision."""
        application_id, year = report.application_id, report.reporting_year
        revision = (expected or 0) + 1
        sk = report_key(year, revision)
        head_condition = "attribute_not_exists(sk)" if expected is None else "latest = :expected"
        head_values: dict[str, Any] = {":n": {"N": str(revision)}}
        if expected is not None:
            head_values[":expected"] = {"N": str(expected)}
        writes = [
            {
                "Put": {
                    "TableName": self.table,
                    "Item": {
                        **self._key(application_id, claim_key(sha)),
                        "report_sk": {"S": sk},
                    },
                    **({} if reclaim else {"ConditionExpression": "attribute_not_exists(sk)"}),
                }
            },
            {
                "Put": {
                    "TableName": self.table,
                    "Item": checked(
                        {
                            **self._key(application_id, sk),
                            "reporting_year": {"N": str(year)},
                            "revision": {"N": str(revision)},
                            "report": text_attribute(report_json),
                            "follow_up": text_attribute(follow_up.model_dump_json()),
                            "follow_up_outcome": {"S": follow_up.outcome.value},
                            "content_sha256": {"S": sha},
                            "received_at": {"S": received_at.isoformat()},
                        }
                    ),
                    "ConditionExpression": "attribute_not_exists(sk)",
                }
            },
            {
                "Update": {
                    "TableName": self.table,
                    "Key": self._key(application_id, year_key(year)),
                    "UpdateExpression": "SET latest = :n",
                    "ConditionExpression": head_condition,
                    "ExpressionAttributeValues": head_values,
                }
            },
        ]
        try:
            self.client.transact_write_items(TransactItems=writes)
        except ClientError as error:
            if error.response["Error"]["Code"] != "TransactionCanceledException":
                raise
            reasons = error.response.get("CancellationReasons") or []
            if reasons and reasons[0].get("Code") == "ConditionalCheckFailed":
                raise ReportClaimed() from None
            raise ReportRevisionTaken() from None
        return StoredReport(
            application_id, year, revision, report, follow_up, received_at.isoformat()
        )
