"""One portal process for test_concurrency.py: waits for the start signal, submits its content
through the real submit handler (against the local DynamoDB over HTTP), retries on a
retryable answer, submits the same content once more (a portal retry), prints the replies."""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path


def main() -> None:
    document_path, go_file = Path(sys.argv[1]), Path(sys.argv[2])
    from workbench.local.events import submit_event

    from api import submit

    class Context:
        function_name = "concurrency"
        memory_limit_in_mb = 1024
        invoked_function_arn = "arn:aws:lambda:eu-north-1:123456789012:function:concurrency"
        aws_request_id = f"worker-{os.getpid()}"

        @staticmethod
        def get_remaining_time_in_millis() -> int:
            return 30_000

    body = document_path.read_text("utf-8")
    while not go_file.exists():
        time.sleep(0.005)
    replies = []
    for _attempt in range(2):  # the submission, then the portal's retry of it
        while True:
            raw = submit.handler(submit_event(body), Context())
            headers = raw.get("headers") or {}
            replies.append(
                {
                    "status": raw["statusCode"],
                    "revision": headers.get("X-Screening-Revision"),
                    "replay": headers.get("X-Screening-Replay"),
                    "retry_after": headers.get("Retry-After"),
                }
            )
            if raw["statusCode"] in (503, 409) and headers.get("Retry-After"):
                time.sleep(0.05)
                continue
            break
    print(json.dumps(replies))


if __name__ == "__main__":
    main()
