"""The submit function and the bare handler, side by side, with DynamoDB stubbed the same way.

Both get a real boto3 DynamoDB client (created on the first request, as in Lambda) with a
botocore ``Stubber`` activated on it: each call is validated and serialised by botocore as in
production, and answered from the stub instead of the network (a new content: no head, no
claim; the transaction succeeds). Both make the same two calls per request.

``python benchmarks/service.py cold submit|bare`` is one cold start, for timing whole
processes: import the handler module (``.pyc`` as shipped), then the first request.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
TABLE = "lsh-screenings-bench"

ENVIRONMENT = {
    "AWS_DEFAULT_REGION": "eu-north-1",
    "AWS_ACCESS_KEY_ID": "bench",
    "AWS_SECRET_ACCESS_KEY": "bench",
    "AWS_SESSION_TOKEN": "bench",
    "VERDICT_TABLE": TABLE,
    "PORTAL_ROLE_NAMES": "lsh-portal",
    "POWERTOOLS_SERVICE_NAME": "lsh-screening-bench",
    "POWERTOOLS_METRICS_NAMESPACE": "LshScreeningBench",
    "LSH_RULES_DIR": str(REPO / "rules"),
}


def environment() -> None:
    """Before any boto3 client exists: never reach a real account."""
    os.environ.update(ENVIRONMENT)
    os.environ.pop("AWS_PROFILE", None)
    os.environ.pop("AWS_ENDPOINT_URL_DYNAMODB", None)
    for path in (REPO / "functions", REPO / "benchmarks"):
        if str(path) not in sys.path:
            sys.path.insert(0, str(path))


class Context:
    """What Powertools reads from a Lambda context."""

    function_name = "SubmitFunction"
    function_version = "$LATEST"
    memory_limit_in_mb = 1024
    invoked_function_arn = "arn:aws:lambda:eu-north-1:123456789012:function:SubmitFunction"
    aws_request_id = "bench-request"
    log_group_name = "/aws/lambda/SubmitFunction"
    log_stream_name = "bench"

    @staticmethod
    def get_remaining_time_in_millis() -> int:
        return 30_000


def event(document: dict[str, Any]) -> dict[str, Any]:
    """``POST /screenings`` as API Gateway (HTTP API, IAM auth) delivers it from the portal."""
    template = json.loads((REPO / "events/api/post-screenings-valid.201.json").read_text("utf-8"))
    return {**template, "body": json.dumps(document, ensure_ascii=False)}


def documents() -> list[dict[str, Any]]:
    files = sorted((REPO / "events" / "applications").glob("*.json"))
    return [json.loads(f.read_text("utf-8")) for f in files]


class StubbedDynamoDB:
    """A boto3 DynamoDB client with a Stubber on it; ``expect(n)`` queues n requests' answers."""

    def __init__(self) -> None:
        import boto3
        from botocore.stub import Stubber

        self.client = boto3.client("dynamodb")
        self.stubber = Stubber(self.client)
        self.stubber.activate()

    def expect(self, requests: int) -> None:
        for _ in range(requests):
            self.stubber.add_response("batch_get_item", {"Responses": {TABLE: []}})
            self.stubber.add_response("transact_write_items", {})


def submit_handler(stub: StubbedDynamoDB | None = None) -> Any:
    """The submit function's handler, its DynamoDB client the stubbed one (made on first use)."""
    from api import aws, submit

    if stub is not None:
        aws.dynamodb = lambda: stub.client  # the store is made on the first request
    return submit.handler


def bare_handler(stub: StubbedDynamoDB | None = None) -> Any:
    import bare_handler as bare

    if stub is not None:
        bare.client = lambda: stub.client
    return bare.handler


def cold(which: str) -> int:
    """One cold start: import the handler, create the stubbed client, answer the first request."""
    environment()
    handler = submit_handler if which == "submit" else bare_handler
    entry = handler(None)  # the import, as at container init
    stub = StubbedDynamoDB()
    stub.expect(1)
    handler(stub)
    response = entry(event(documents()[0]), Context())
    assert response["statusCode"] == 201, response
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "cold":
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)  # the logger's and metrics' lines, as CloudWatch would take them
        sys.exit(cold(sys.argv[2]))
    sys.exit("usage: service.py cold submit|bare")
