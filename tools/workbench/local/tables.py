"""The table's key schema and indexes, for the local server, the demo and the tests.

template.yaml is the source of truth in AWS; tests/service/test_template.py checks that this
definition matches it attribute for attribute.
"""

from __future__ import annotations

from typing import Any

from api.store.screenings import BY_DATE_INDEX, BY_OUTCOME_INDEX

LISTED_ATTRIBUTES = [
    "revision",
    "screened_at",
    "organisation_name",
    "project_title",
    "ruleset_version",
]


def screening_table(name: str) -> dict[str, Any]:
    by_outcome = {"ProjectionType": "INCLUDE", "NonKeyAttributes": LISTED_ATTRIBUTES}
    by_date = {"ProjectionType": "INCLUDE", "NonKeyAttributes": [*LISTED_ATTRIBUTES, "outcome"]}
    return {
        "TableName": name,
        "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": [
            {"AttributeName": "application_id", "AttributeType": "S"},
            {"AttributeName": "sk", "AttributeType": "S"},
            {"AttributeName": "outcome", "AttributeType": "S"},
            {"AttributeName": "listed", "AttributeType": "S"},
            {"AttributeName": "record", "AttributeType": "S"},
        ],
        "KeySchema": [
            {"AttributeName": "application_id", "KeyType": "HASH"},
            {"AttributeName": "sk", "KeyType": "RANGE"},
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


def create_tables(client: Any, screenings: str) -> None:
    """Create the table (local server, demo, tests)."""
    client.create_table(**screening_table(screenings))
