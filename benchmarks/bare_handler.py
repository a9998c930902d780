"""The bare handler the submit function is measured against: Powertools + boto3, nothing else.

``POST /screenings`` through the same Powertools HTTP API resolver, storing the posted document
with the same two DynamoDB calls the submit function makes for a new content (a consistent
``batch_get_item`` of the head and the content claim, then one conditional
``transact_write_items``), answering 201 with a small JSON body. No validation, no screening,
no models: what any Lambda behind API Gateway that stores a JSON document pays. The client is
created on the first request, as the submit function does (``api.aws``).
"""

from __future__ import annotations

import hashlib
import json
import os
from typing import Any

import boto3
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response

TABLE = os.environ.get("VERDICT_TABLE", "lsh-screenings")
app = APIGatewayHttpResolver()
_client: Any = None


def client() -> Any:
    global _client
    if _client is None:
        _client = boto3.client("dynamodb")
    return _client


@app.post("/screenings")
def store() -> Response[str]:
    text = app.current_event.body or ""
    document = json.loads(text)
    application_id = document["application_id"]
    sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    key = {"application_id": {"S": application_id}}
    dynamodb = client()
    dynamodb.batch_get_item(
        RequestItems={
            TABLE: {
                "Keys": [{**key, "sk": {"S": "head"}}, {**key, "sk": {"S": f"content#{sha}"}}],
                "ConsistentRead": True,
            }
        }
    )
    dynamodb.transact_write_items(
        TransactItems=[
            {
                "Put": {
                    "TableName": TABLE,
                    "Item": {**key, "sk": {"S": f"content#{sha}"}, "document": {"S": text}},
                    "ConditionExpression": "attribute_not_exists(sk)",
                }
            }
        ]
    )
    return Response(
        status_code=201,
        content_type="application/json",
        body=json.dumps({"application_id": application_id, "content_sha256": sha}),
    )


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return app.resolve(event, context)
