"""Configuration from the environment (set by template.yaml, the local server or the tests),
validated once: a wrong value stops the container at init with the variable's name, instead
of failing a request later.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from pydantic import BaseModel, ConfigDict, Field, ValidationError

MAX_BODY_BYTES = 256 * 1024
"""Largest accepted request body; a larger one is answered 413 before any parsing."""


class Settings(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    verdict_table: str = Field(default="lsh-screenings", alias="VERDICT_TABLE", min_length=3)
    committee_group: str = Field(default="committee", alias="COMMITTEE_GROUP", min_length=1)
    portal_roles: tuple[str, ...] = Field(
        default=("lsh-portal",),
        alias="PORTAL_ROLE_NAMES",
        description="IAM role names whose sessions are the portal (comma-separated)",
    )
    revisions_per_day: int = Field(default=50, alias="REVISIONS_PER_DAY", ge=1, le=10_000)
    append_deadline_ms: int = Field(default=3_000, alias="APPEND_DEADLINE_MS", ge=100, le=20_000)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = dict(os.environ if environ is None else environ)
        roles = env.get("PORTAL_ROLE_NAMES")
        data: dict[str, object] = dict(env)
        if roles is not None:
            data["PORTAL_ROLE_NAMES"] = tuple(r.strip() for r in roles.split(",") if r.strip())
        try:
            return cls.model_validate(data)
        except ValidationError as error:
            names = ", ".join(str(e["loc"][0]) for e in error.errors())
            raise RuntimeError(f"invalid configuration in the environment: {names}") from None
