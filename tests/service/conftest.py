"""Service fixtures: fake AWS credentials, moto started before any client, fresh handlers."""

from __future__ import annotations

import io
import logging
import os
from collections.abc import Iterator
from datetime import UTC, datetime
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
        "VERDICT_TABLE": "test-screenings",
        "PORTAL_ROLE_NAMES": "lsh-portal",
        "POWERTOOLS_SERVICE_NAME": "lsh-screening-test",
        "POWERTOOLS_METRICS_NAMESPACE": "LshScreeningTest",
    }
)
os.environ.pop("AWS_PROFILE", None)
os.environ.pop("AWS_ENDPOINT_URL_DYNAMODB", None)

import boto3
from moto import mock_aws
from service_support import Api
from workbench.local.tables import create_tables

from api import committee, follow_up, reports, rescreen, rules, rulesets, submit
from api.observability import logger
from api.settings import Settings


@pytest.fixture(scope="session")
def ruleset_state() -> rulesets.RulesetState:
    state = rulesets.load(engine=True)
    assert state.ready, state.problem
    return state


@pytest.fixture(scope="session")
def follow_up_state() -> rulesets.FollowUpState:
    state = rulesets.load_follow_up()
    assert state.ready, state.problem
    return state


class Clock:
    """The follow-up function's clock in tests: reports on 2027–2029 are received in 2030
    unless a test moves it (the examples are loans granted in December 2026)."""

    def __init__(self) -> None:
        self.now = datetime(2030, 6, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def settings() -> Settings:
    return Settings.from_env()


@pytest.fixture
def aws(settings: Settings) -> Iterator[Any]:
    """moto for DynamoDB with the table; yields a client for direct inspection."""
    with mock_aws():
        client = boto3.client("dynamodb")
        create_tables(client, settings.verdict_table)
        yield client


@pytest.fixture
def api(
    aws: Any,
    settings: Settings,
    ruleset_state: rulesets.RulesetState,
    follow_up_state: rulesets.FollowUpState,
    clock: Clock,
    monkeypatch: pytest.MonkeyPatch,
) -> Api:
    """The real handler modules, each wired to fresh services inside moto."""
    monkeypatch.setattr(
        submit, "ENTRY", submit.build(submit.SubmitServices(settings, ruleset_state, aws))
    )
    monkeypatch.setattr(
        committee, "ENTRY", committee.build(committee.CommitteeServices(settings, aws))
    )
    monkeypatch.setattr(
        reports,
        "ENTRY",
        reports.build(
            reports.ReportServices(settings, ruleset_state, aws, follow_up=follow_up_state.ruleset)
        ),
    )
    monkeypatch.setattr(rules, "ENTRY", rules.build(ruleset_state))
    monkeypatch.setattr(
        rescreen, "ENTRY", rescreen.build(rescreen.RescreenServices(settings, ruleset_state, aws))
    )
    monkeypatch.setattr(
        follow_up,
        "ENTRY",
        follow_up.build(
            follow_up.FollowUpServices(settings, follow_up_state, aws, clock=lambda: clock.now)
        ),
    )
    return Api()


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
