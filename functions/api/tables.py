"""The two tables' key schemas, for the local server and the tests.

template.yaml is the source of truth in AWS; tests/service/test_template.py checks that these
definitions match it attribute for attribute.
"""

from __future__ import annotations

from typing import Any

BY_OUTCOME_INDEX = "by-outcome"
BY_DATE_INDEX = "by-date"
LISTED_ATTRIBUTES = [
    "screened_at",
    "organisation_name",
    "project_title",
    "ruleset_version",
]


def verdict_table(name: str) -> dict[str, Any]:
    by_outcome = {"ProjectionType": "INCLUDE", "NonKeyAttributes": LISTED_ATTRIBUTES}
    by_date = {"ProjectionType": "INCLUDE", "NonKeyAttributes": [*LISTED_ATTRIBUTES, "outcome"]}
    return {
        "TableName": name,
        "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": [
            {"AttributeName": "application_id", "AttributeType": "S"},
            {"AttributeName": "revision", "AttributeType": "N"},
            {"AttributeName": "outcome", "AttributeType": "S"},
            {"AttributeName": "listed", "AttributeType": "S"},
            {"AttributeName": "record", "AttributeType": "S"},
        ],
        "KeySchema": [
            {"AttributeName": "application_id", "KeyType": "HASH"},
            {"AttributeName": "revision", "KeyType": "RANGE"},
        ],
        "GlobalSecondaryIndexes": [
            {
                "IndexName": BY_OUTCOME_INDEX,
                "KeySchema": [
                    {"AttributeName": "outcome", "KeyType": "HASH"},
                    {"AttributeName": "listed", "KeyType": "RANGE"},
                ],
                "Projection": by_outcome,
            },
            {
                "IndexName": BY_DATE_INDEX,
                "KeySchema": [
                    {"AttributeName": "record", "KeyType": "HASH"},
                    {"AttributeName": "listed", "KeyType": "RANGE"},
                ],
                "Projection": by_date,
            },
        ],
    }


def idempotency_table(name: str) -> dict[str, Any]:
    return {
        "TableName": name,
        "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
        "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
    }


def create_tables(client: Any, verdicts: str, idempotency: str) -> None:
    """Create both tables (local server, tests). TTL as in the template."""
    client.create_table(**verdict_table(verdicts))
    client.create_table(**idempotency_table(idempotency))
    client.update_time_to_live(
        TableName=idempotency,
        TimeToLiveSpecification={"Enabled": True, "AttributeName": "expiration"},
    )
