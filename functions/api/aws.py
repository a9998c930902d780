"""The AWS clients a function uses, created on first use (never at import: the rules function
never loads boto3, and in tests moto is started before any client exists)."""

from __future__ import annotations

from functools import cache
from typing import Any

from .settings import Settings
from .store.screenings import ScreeningStore


@cache
def dynamodb() -> Any:
    import boto3

    return boto3.client("dynamodb")


def screening_store(settings: Settings, client: Any | None = None) -> ScreeningStore:
    return ScreeningStore(client if client is not None else dynamodb(), settings.verdict_table)
