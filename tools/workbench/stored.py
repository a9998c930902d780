"""Stored applications, for the tools that work on them after the fact: the table (over boto3),
an export file (JSONL, ``screening export``), or the example applications.

One record per application: its current revision's application (as stored: no contact
person), verdict, shadow verdict if any, the committee's decisions, and a granted loan's
effect reports with their follow-up verdicts. ``screening export``
writes exactly these records, a page at a time, and can resume where it stopped.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from api.store.documents import read_text
from api.store.follow_ups import FollowUpStore
from screening.models.decision import Decision
from screening.models.verdict import Verdict

REPO = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class StoredApplication:
    application_id: str
    revision: int
    application_json: str
    verdict_json: str | None = None
    shadow_json: str | None = None
    decisions: list[Decision] = field(default_factory=list)
    decided_verdict_json: str | None = None  # when the latest decision is on another revision
    # A granted loan's effect reports, every revision: {reporting_year, revision, report,
    # follow_up} (the report as stored, its follow-up verdict), oldest first.
    effect_reports: list[dict[str, Any]] = field(default_factory=list)

    @property
    def decision(self) -> Decision | None:
        """The latest decision (they are kept newest first)."""
        return self.decisions[0] if self.decisions else None

    def decided_pair(self) -> tuple[Verdict, Decision] | None:
        """The verdict the latest decision was made on, with that decision."""
        decision = self.decision
        text = self.decided_verdict_json or self.verdict_json
        if decision is None or text is None:
            return None
        return Verdict.model_validate_json(text), decision

    def to_line(self) -> str:
        return json.dumps(
            {
                "application_id": self.application_id,
                "revision": self.revision,
                "application": json.loads(self.application_json),
                "verdict": json.loads(self.verdict_json) if self.verdict_json else None,
                "shadow_verdict": json.loads(self.shadow_json) if self.shadow_json else None,
                "decisions": [json.loads(d.model_dump_json()) for d in self.decisions],
                "decided_verdict": json.loads(self.decided_verdict_json)
                if self.decided_verdict_json
                else None,
                "effect_reports": self.effect_reports,
            },
            ensure_ascii=False,
            separators=(",", ":"),
        )

    @classmethod
    def from_line(cls, line: str) -> StoredApplication:
        data = json.loads(line)
        return cls(
            application_id=data["application_id"],
            revision=int(data["revision"]),
            application_json=json.dumps(data["application"], ensure_ascii=False),
            verdict_json=json.dumps(data["verdict"]) if data.get("verdict") else None,
            shadow_json=json.dumps(data["shadow_verdict"]) if data.get("shadow_verdict") else None,
            decisions=[Decision.model_validate(d) for d in data.get("decisions", [])],
            decided_verdict_json=json.dumps(data["decided_verdict"])
            if data.get("decided_verdict")
            else None,
            effect_reports=list(data.get("effect_reports") or []),
        )


def from_export(path: Path) -> Iterator[StoredApplication]:
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                yield StoredApplication.from_line(line)


def from_examples(folder: Path = REPO / "events" / "applications") -> Iterator[StoredApplication]:
    for path in sorted(folder.glob("*.json")):
        document = json.loads(path.read_text("utf-8"))
        document.pop("contact_person", None)
        yield StoredApplication(
            document["application_id"], 1, json.dumps(document, ensure_ascii=False)
        )


class Table:
    """The screening table, read page by page (``screening export``, ``agreement``, ``impact``)."""

    def __init__(self, client: Any, table: str) -> None:
        self.client = client
        self.table = table

    def pages(
        self, start: str | None = None, page_size: int = 100
    ) -> Iterator[tuple[list[StoredApplication], str | None]]:
        """Pages of applications and the token that resumes after each page (None at the end)."""
        request: dict[str, Any] = {
            "TableName": self.table,
            "FilterExpression": "sk = :head",
            "ExpressionAttributeValues": {":head": {"S": "head"}},
            "Limit": page_size,
        }
        if start:
            request["ExclusiveStartKey"] = json.loads(base64.urlsafe_b64decode(start.encode()))
        while True:
            response = self.client.scan(**request)
            records = [self._record(item) for item in response.get("Items", [])]
            last = response.get("LastEvaluatedKey")
            token = base64.urlsafe_b64encode(json.dumps(last).encode()).decode() if last else None
            yield [r for r in records if r is not None], token
            if not last:
                return
            request["ExclusiveStartKey"] = last

    def applications(self) -> Iterator[StoredApplication]:
        for page, _ in self.pages():
            yield from page

    def _record(self, head: dict[str, Any]) -> StoredApplication | None:
        application_id = head["application_id"]["S"]
        revision = int(head["current_revision"]["N"])
        item = self.client.get_item(
            TableName=self.table,
            Key={"application_id": {"S": application_id}, "sk": {"S": f"rev#{revision:06d}"}},
            ConsistentRead=True,
        ).get("Item")
        if item is None:
            return None
        decisions = self.client.query(
            TableName=self.table,
            KeyConditionExpression="application_id = :id AND begins_with(sk, :d)",
            ExpressionAttributeValues={":id": {"S": application_id}, ":d": {"S": "decision#"}},
            ScanIndexForward=False,
        ).get("Items", [])
        recorded = [Decision.model_validate_json(d["decision"]["S"]) for d in decisions]
        decided_json = None
        if recorded and recorded[0].screening_revision != revision:
            decided = self.client.get_item(
                TableName=self.table,
                Key={
                    "application_id": {"S": application_id},
                    "sk": {"S": f"rev#{recorded[0].screening_revision:06d}"},
                },
            ).get("Item")
            decided_json = read_text(decided["verdict"]) if decided else None
        return StoredApplication(
            application_id=application_id,
            revision=revision,
            application_json=read_text(item["application"]),
            verdict_json=read_text(item["verdict"]),
            shadow_json=read_text(item["shadow_verdict"]) if "shadow_verdict" in item else None,
            decisions=recorded,
            decided_verdict_json=decided_json,
            effect_reports=[
                {
                    "reporting_year": r.reporting_year,
                    "revision": r.revision,
                    "report": json.loads(r.report.model_dump_json(exclude_none=True)),
                    "follow_up": json.loads(r.follow_up.model_dump_json()),
                }
                for r in FollowUpStore(self.client, self.table).reports(application_id)
            ],
        )
