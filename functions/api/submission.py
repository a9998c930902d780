"""Submit = screen + store, idempotently.

- Powertools idempotency, keyed on the application id plus the sha256 of its content: a portal
  retry within the TTL gets the stored response back and nothing is screened or stored again;
  a concurrent duplicate gets 409 ``in_progress``.
- Beyond the TTL the store still refuses duplicates: when the latest stored screening of the id
  has the same content hash, it is returned and nothing is appended.
- The same id with changed content is a resubmission: screened again, appended as the next
  revision of the history.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from functools import cached_property
from typing import Any

from aws_lambda_powertools.utilities.idempotency import (
    DynamoDBPersistenceLayer,
    IdempotencyConfig,
    idempotent_function,
)

from screening import Application, Screener
from screening.models.verdict import RuleResultKind

from .models import StoredScreening
from .observability import count_rule_failure, count_verdict, logger, record_duration
from .store import VerdictStore


def content_sha256(application: Application) -> str:
    """sha256 of the application's canonical JSON (key order and whitespace do not matter)."""
    canonical = json.dumps(
        application.model_dump(mode="json"),
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


class Submitter:
    def __init__(
        self,
        screener: Screener,
        store: Callable[[], VerdictStore],
        dynamodb: Callable[[], Any],
        idempotency_table: str,
        ttl_seconds: int,
    ) -> None:
        self._screener = screener
        self._store = store
        self._dynamodb = dynamodb
        self._idempotency_table = idempotency_table
        self.config = IdempotencyConfig(expires_after_seconds=ttl_seconds)

    @cached_property
    def _idempotent(self) -> Callable[..., dict[str, Any]]:
        # Built on first use: the persistence layer needs a DynamoDB client, and in tests that
        # client must be created after moto has started.
        persistence = DynamoDBPersistenceLayer(
            table_name=self._idempotency_table, boto3_client=self._dynamodb()
        )

        @idempotent_function(
            data_keyword_argument="key", persistence_store=persistence, config=self.config
        )
        def screen_and_store(
            key: dict[str, str], application: Application, submitted_by: str
        ) -> dict[str, Any]:
            return self._screen_and_store(key["content_sha256"], application, submitted_by)

        return screen_and_store

    def submit(self, application: Application, submitted_by: str) -> StoredScreening:
        key = {
            "application_id": application.application_id,
            "content_sha256": content_sha256(application),
        }
        result = StoredScreening.model_validate(
            self._idempotent(key=key, application=application, submitted_by=submitted_by)
        )
        latest = self._store().latest(application.application_id)
        if (
            latest is not None
            and latest.revision > result.revision
            and latest.content_sha256 != key["content_sha256"]
        ):
            # Content went A → B → A: the idempotency record of A is still fresh, but A is a
            # change relative to the latest screening, so it is a resubmission, not a retry.
            return StoredScreening.model_validate(
                self._screen_and_store(key["content_sha256"], application, submitted_by)
            )
        return result

    def _screen_and_store(
        self, sha: str, application: Application, submitted_by: str
    ) -> dict[str, Any]:
        store = self._store()
        latest = store.latest(application.application_id)
        if latest is not None and latest.content_sha256 == sha:
            logger.info(
                "unchanged resubmission; returning the stored screening",
                extra={"application_id": application.application_id, "revision": latest.revision},
            )
            return latest.model_dump(mode="json")

        started = time.perf_counter()
        verdict = self._screener.screen(application)
        record_duration((time.perf_counter() - started) * 1000)

        stored = store.append(verdict, sha, submitted_by)
        count_verdict(verdict.outcome.value)
        for rule in verdict.rules:
            if rule.result is RuleResultKind.failed:
                count_rule_failure(rule.rule_id)
        logger.info(
            "screened and stored",
            extra={
                "application_id": verdict.application_id,
                "revision": stored.revision,
                "outcome": verdict.outcome.value,
                "ruleset": str(verdict.ruleset),
            },
        )
        return stored.model_dump(mode="json")
