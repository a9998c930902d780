"""One Logger and one Metrics object per process (Powertools; configured by POWERTOOLS_* env).

Never log a request body or anything from ``contact_person``: log ids, outcomes and counts.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Callable
from typing import Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.metrics import MetricUnit, single_metric

NAMESPACE = os.environ.get("POWERTOOLS_METRICS_NAMESPACE", "LshScreening")

logger = Logger(service=os.environ.get("POWERTOOLS_SERVICE_NAME", "lsh-screening"))
metrics = Metrics(namespace=NAMESPACE)
# An idempotent replay screens nothing, so it has no metrics; that is expected, not a warning.
warnings.filterwarnings("ignore", message="No application metrics to publish")


Handler = Callable[[dict[str, Any], Any], dict[str, Any]]


def request_logged(handler: Handler) -> Handler:
    """Every function's Lambda handler: the Lambda context and API Gateway's request id as the
    correlation id on every log line; never the event (it carries the body); state cleared
    between requests."""
    logged: Handler = logger.inject_lambda_context(
        correlation_id_path=correlation_paths.API_GATEWAY_HTTP, log_event=False, clear_state=True
    )(handler)
    return logged


def count_verdict(outcome: str) -> None:
    """Metric ``Verdicts`` with dimension ``outcome``."""
    with single_metric(
        name="Verdicts", unit=MetricUnit.Count, value=1, namespace=NAMESPACE
    ) as metric:
        metric.add_dimension(name="outcome", value=outcome)


def count_follow_up(outcome: str) -> None:
    """Metric ``FollowUps`` with dimension ``outcome`` (on_track, needs_attention, off_track)."""
    with single_metric(
        name="FollowUps", unit=MetricUnit.Count, value=1, namespace=NAMESPACE
    ) as metric:
        metric.add_dimension(name="outcome", value=outcome)


def count_rule_failure(rule_id: str) -> None:
    """Metric ``RuleFailures`` with dimension ``rule_id``."""
    with single_metric(
        name="RuleFailures", unit=MetricUnit.Count, value=1, namespace=NAMESPACE
    ) as metric:
        metric.add_dimension(name="rule_id", value=rule_id)


def record_duration(milliseconds: float) -> None:
    """Metric ``ScreeningDuration`` (ms): parse excluded, engine and verdict assembly included."""
    metrics.add_metric(
        name="ScreeningDuration", unit=MetricUnit.Milliseconds, value=round(milliseconds, 3)
    )


def count(name: str) -> None:
    """A plain count metric (no dimension), e.g. ``RulesetUnavailable``, ``SubmitBusy``: the
    names the template's alarms watch."""
    with single_metric(name=name, unit=MetricUnit.Count, value=1, namespace=NAMESPACE):
        pass


def left_out(application_id: str, revision: int) -> None:
    """A route over many applications skips one stored under an earlier contract: say so."""
    count("StoredUnderOlderContract")
    logger.warning(
        "left out: stored under an older contract",
        extra={"application_id": application_id, "revision": revision},
    )
