"""Concurrent resubmissions keep one consistent history (separate processes, real HTTP).

20 portal processes submit 20 different contents of one application at the same moment, each
then retries its own content once. DynamoDB's conditional-write semantics come from the local
DynamoDB, which serves one request at a time (workbench.local.dynamodb). Every distinct content
must be stored exactly once, revisions contiguous, no 500, and every retry answered with the
stored revision.
"""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import boto3
import pytest
from workbench.local.dynamodb import LocalDynamoDB
from workbench.local.tables import create_tables

WORKER = Path(__file__).with_name("concurrency_worker.py")
PROCESSES = 20


@pytest.mark.slow
def test_twenty_processes_twenty_contents_one_id(tmp_path: Path, base_document: dict) -> None:
    dynamodb = LocalDynamoDB().start()
    try:
        table = "concurrency-screenings"
        client: Any = boto3.client("dynamodb", endpoint_url=dynamodb.endpoint)
        create_tables(client, table)
        env = {
            **os.environ,
            "AWS_ENDPOINT_URL_DYNAMODB": dynamodb.endpoint,
            "VERDICT_TABLE": table,
            "PORTAL_ROLE_NAMES": "lsh-portal",
            "APPEND_DEADLINE_MS": "1500",
            "POWERTOOLS_LOG_LEVEL": "ERROR",
            "POWERTOOLS_METRICS_DISABLED": "true",
        }
        go = tmp_path / "go"
        workers = []
        for n in range(PROCESSES):
            document = copy.deepcopy(base_document)
            document["social_content"]["time_horizon_years"] = 11 + n  # 20 distinct contents
            path = tmp_path / f"content-{n}.json"
            path.write_text(json.dumps(document), "utf-8")
            workers.append(
                subprocess.Popen(
                    [sys.executable, str(WORKER), str(path), str(go)],
                    env=env,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    text=True,
                )
            )
        time.sleep(3)  # let every process import and load the ruleset, then start them at once
        go.write_text("go")
        outputs = [w.communicate(timeout=240) for w in workers]
        for worker, (_, err) in zip(workers, outputs, strict=True):
            assert worker.returncode == 0, err[-2000:]
        replies = [json.loads(out.strip().splitlines()[-1]) for out, _ in outputs]

        statuses = [r["status"] for rs in replies for r in rs]
        assert not [s for s in statuses if s >= 500 and s != 503], statuses
        for rs in replies:
            stored, retry = rs[-2], rs[-1]  # the last answers of the submission and its retry
            assert stored["status"] == 201, rs
            assert (retry["status"], retry["replay"]) == (200, "true"), rs
            assert retry["revision"] == stored["revision"]
        busy = [r for rs in replies for r in rs if r["status"] == 503]
        assert all(r["retry_after"] for r in busy)

        items = [
            i
            for page in client.get_paginator("scan").paginate(TableName=table)
            for i in page["Items"]
        ]
        revisions = sorted(
            int(i["revision"]["N"]) for i in items if i["sk"]["S"].startswith("rev#")
        )
        assert revisions == list(range(1, PROCESSES + 1))  # contiguous, no gaps, no duplicates
        contents = [i["content_sha256"]["S"] for i in items if i["sk"]["S"].startswith("rev#")]
        assert len(set(contents)) == PROCESSES  # every distinct content exactly once
        claims = [i for i in items if i["sk"]["S"].startswith("content#")]
        assert len(claims) == PROCESSES
        (head,) = [i for i in items if i["sk"]["S"] == "head"]
        assert int(head["latest_revision"]["N"]) == PROCESSES
        print(
            f"\n{PROCESSES} processes: {len(statuses)} replies, {len(busy)} × 503 Retry-After, 0 × 500"
        )
    finally:
        dynamodb.stop()
