"""Submit = validate → screen → store, idempotently and safely under concurrency.

* The content of an application (everything but the contact person, who is never stored) is
  serialised once; its sha256 identifies the content and the same text is what is stored.
* A content already stored for this application id is returned as stored (200, header
  ``X-Screening-Replay``): a portal retry, or an applicant going back to an earlier version,
  never stores anything twice; the earlier revision becomes the current one again.
* A new content is screened once — by the ruleset release in force on its ``submitted_at`` —
  then stored as the next revision by one conditional
  transaction (``store.screenings``). When another writer took that revision first, the head is
  read again and the append retried with jittered backoff until a deadline; then 503 with
  ``Retry-After`` — nothing stored, so a retry is always safe.
* The id is bound to the organisation number of its first submission (409 for another one),
  and an application gets at most ``REVISIONS_PER_DAY`` new revisions a day (429).
"""

from __future__ import annotations

import hashlib
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from screening.models.application import Application
from screening.models.verdict import RuleResultKind, Verdict
from screening.screener import Screener

from . import errors
from .observability import count, count_rule_failure, count_verdict, logger, record_duration
from .store.documents import ItemTooLarge
from .store.screenings import ContentClaimed, RevisionTaken, ScreeningStore


@dataclass(frozen=True)
class Submitted:
    revision: int
    verdict_json: str  # the verdict as stored: the response body, serialised once
    replay: bool  # True: this content was stored before, nothing new was written


def stored_form(application: Application) -> tuple[str, str]:
    """The application as stored — what the portal sent, without the contact person, in the
    contract's own field order — and the sha256 of exactly that text. It validates as an
    Application again (no derived fields), so it can be screened again."""
    text = application.model_dump_json(
        exclude={"contact_person"}, exclude_computed_fields=True, exclude_none=True
    )
    return text, hashlib.sha256(text.encode("utf-8")).hexdigest()


def _seconds_to_midnight(now: datetime) -> int:
    tomorrow = (now + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    return max(1, int((tomorrow - now).total_seconds()))


class Submitter:
    def __init__(
        self,
        screener: Callable[[Application], Screener],
        store: Callable[[], ScreeningStore],
        *,
        revisions_per_day: int,
        deadline_ms: int,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        sleep: Callable[[float], None] = time.sleep,
        shadow: Screener | None = None,
    ) -> None:
        self._screener = screener  # the release in force on the application's submission date
        self._shadow = shadow
        self._store = store
        self._revisions_per_day = revisions_per_day
        self._deadline_s = deadline_ms / 1000
        self._clock = clock
        self._sleep = sleep

    def submit(self, application: Application, submitted_by: str) -> Submitted:
        store = self._store()
        application_json, sha = stored_form(application)
        application_id = application.application_id
        organisation_number = application.applicant.organisation_number
        give_up = time.monotonic() + self._deadline_s
        verdict: Verdict | None = None
        verdict_json = ""
        shadow_json: str | None = None
        attempt = 0
        while True:
            lookup = store.lookup(application_id, sha)
            head = lookup.head
            if head is not None and head.organisation_number != organisation_number:
                raise errors.bound_to_another_applicant()
            if lookup.claim is not None:
                if head is not None and head.current_revision != lookup.claim.revision:
                    store.mark_current(application_id, lookup.claim.revision)
                logger.info(
                    "content already stored; returning it",
                    extra={"application_id": application_id, "revision": lookup.claim.revision},
                )
                stored_json = store.verdict_json(application_id, lookup.claim.revision)
                if stored_json is None:  # the claim's transaction wrote the revision too
                    raise errors.busy()
                return Submitted(lookup.claim.revision, stored_json, replay=True)
            now = self._clock()
            today = now.date().isoformat()
            if head is not None and head.day == today and head.day_count >= self._revisions_per_day:
                count("RevisionCapReached")
                raise errors.too_many_revisions(self._revisions_per_day, _seconds_to_midnight(now))
            if verdict is None:
                started = time.perf_counter()
                verdict = self._screener(application).screen(application)
                verdict_json = verdict.model_dump_json()
                record_duration((time.perf_counter() - started) * 1000)
                shadow_json = self._shadow_verdict(application)
            try:
                stored = store.append(
                    verdict,
                    sha=sha,
                    application_json=application_json,
                    organisation_number=organisation_number,
                    submitted_by=submitted_by,
                    head=head,
                    today=today,
                    shadow_json=shadow_json,
                    verdict_json=verdict_json,
                )
            except ContentClaimed:
                continue  # the same content was stored meanwhile: the next lookup finds it
            except ItemTooLarge:
                logger.info("too large to store", extra={"application_id": application_id})
                raise errors.too_large_to_store() from None
            except RevisionTaken:
                attempt += 1
                if time.monotonic() >= give_up:
                    count("SubmitBusy")
                    logger.warning(
                        "gave up appending a revision",
                        extra={"application_id": application_id, "attempts": attempt},
                    )
                    raise errors.busy() from None
                self._sleep(min(0.4, 0.01 * 2**attempt) * random.uniform(0.5, 1.5))
                continue
            count_verdict(verdict.outcome.value)
            for rule in verdict.rules:
                if rule.result is RuleResultKind.failed:
                    count_rule_failure(rule.rule_id)
            logger.info(
                "screened and stored",
                extra={
                    "application_id": application_id,
                    "revision": stored.revision,
                    "outcome": verdict.outcome.value,
                    "ruleset": str(verdict.ruleset),
                    "append_attempts": attempt + 1,
                },
            )
            return Submitted(stored.revision, verdict_json, replay=False)

    def _shadow_verdict(self, application: Application) -> str | None:
        """The candidate release's verdict, stored beside the live one and never returned. A
        failing shadow never fails a submission: it is logged and left out."""
        if self._shadow is None:
            return None
        try:
            return self._shadow.screen(application).model_dump_json()
        except Exception as error:  # the live verdict must not depend on a candidate
            logger.warning("shadow screening failed", extra={"error_type": type(error).__name__})
            return None
