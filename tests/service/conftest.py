"""Service fixtures: fake AWS credentials, moto started before any client, fresh handlers."""

from __future__ import annotations

import io
import logging
import os
from collections.abc import Iterator
from typing import Any

import pytest

# Before anything creates a boto3 client: never reach a real account from the tests.
os.environ.update(
    {
        "AWS_DEFAULT_REGION": "eu-north-1",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SECURITY_TOKEN": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "VERDICT_TABLE": "test-verdicts",
        "IDEMPOTENCY_TABLE": "test-idempotency",
        "POWERTOOLS_SERVICE_NAME": "lsh-screening-test",
        "POWERTOOLS_METRICS_NAMESPACE": "LshScreeningTest",
    }
)
os.environ.pop("AWS_PROFILE", None)
os.environ.pop("AWS_ENDPOINT_URL_DYNAMODB", None)

import boto3
from moto import mock_aws
from service_support import Api

from api import runtime
from api.http import Services
from api.observability import logger
from api.settings import Settings
from api.tables import create_tables


@pytest.fixture(scope="session")
def ruleset_state() -> runtime.RulesetState:
    state = runtime.load()
    assert state.ready, state.problem
    return state


@pytest.fixture
def aws() -> Iterator[Any]:
    """moto for DynamoDB with both tables; yields a client for direct inspection."""
    with mock_aws():
        client = boto3.client("dynamodb")
        settings = Settings.from_env()
        create_tables(client, settings.verdict_table, settings.idempotency_table)
        yield client


@pytest.fixture
def services(aws: Any, ruleset_state: runtime.RulesetState) -> Services:
    return Services(Settings.from_env(), ruleset_state)


@pytest.fixture
def api(services: Services, monkeypatch: pytest.MonkeyPatch) -> Api:
    """The real Lambda handlers (api.handlers.*), wired to fresh services inside moto."""
    from api import handlers

    monkeypatch.setattr(handlers, "ENTRIES", handlers.build(services))
    return Api(handlers)


@pytest.fixture
def log_output() -> Iterator[io.StringIO]:
    """Everything the service logger writes, formatted exactly as in CloudWatch."""
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.setFormatter(logger.registered_formatter)
    logger.addHandler(handler)
    try:
        yield buffer
    finally:
        logger.removeHandler(handler)


def pytest_configure(config: pytest.Config) -> None:
    # An idempotent replay publishes no metrics; Powertools warns about that on every replay.
    config.addinivalue_line("filterwarnings", "ignore:No application metrics to publish")
