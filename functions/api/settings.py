"""Configuration from the environment (set by template.yaml, or by the local server and tests)."""

from __future__ import annotations

import os
from dataclasses import dataclass

MAX_BODY_BYTES = 256 * 1024
"""Largest accepted request body; a larger one is answered 413 before any parsing."""


@dataclass(frozen=True)
class Settings:
    verdict_table: str
    idempotency_table: str
    committee_group: str
    idempotency_ttl_seconds: int

    @classmethod
    def from_env(cls) -> Settings:
        return cls(
            verdict_table=os.environ.get("VERDICT_TABLE", "lsh-verdicts"),
            idempotency_table=os.environ.get("IDEMPOTENCY_TABLE", "lsh-idempotency"),
            committee_group=os.environ.get("COMMITTEE_GROUP", "committee"),
            idempotency_ttl_seconds=int(os.environ.get("IDEMPOTENCY_TTL_SECONDS", "86400")),
        )
