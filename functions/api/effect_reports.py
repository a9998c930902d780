"""Receive = validate → find the granted loan → check → store, idempotently; and the loan's
follow-up, year by year.

* Only a loan the committee granted takes reports: the latest decision must be ``granted``
  (else 404). The report is checked against the application revision that decision was made on.
* The report's content (as validated) is serialised once; its sha256 identifies it. The same
  report again returns the stored follow-up verdict (200) and stores nothing. A changed report
  for the same year is checked and appended as the year's next revision (201).
* One conditional transaction stores it (``store.follow_ups``); when another writer took the
  revision first, the head is read again and the append retried until a deadline, then 503
  with Retry-After — nothing stored, so a retry is always safe.
"""

from __future__ import annotations

import hashlib
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime

from pydantic import BaseModel, Field

from screening.follow_up import due
from screening.follow_up.checker import FollowUpChecker
from screening.models.application import Application
from screening.models.decision import Decision, DecisionKind
from screening.models.effect_report import EffectReport
from screening.models.follow_up import FollowUpVerdict
from screening.validation import ApplicationInvalid, FieldError, parse_application

from . import errors
from .observability import count, count_follow_up, logger
from .store.decisions import DecisionStore
from .store.documents import ItemTooLarge
from .store.follow_ups import FollowUpStore, ReportClaimed, ReportRevisionTaken, StoredReport
from .store.screenings import ScreeningStore


@dataclass(frozen=True)
class Received:
    stored: StoredReport
    replay: bool


class YearFollowUp(BaseModel):
    reporting_year: int
    due_on: date = Field(description="The report is due by this day")
    status: due.ReportStatus
    revisions: int = Field(description="Reports received for the year (the latest counts)")
    follow_up: FollowUpVerdict = Field(
        description="The latest report's follow-up verdict; for an overdue year, the verdict "
        "of no report (computed on reading, not stored)"
    )
    report: EffectReport | None = Field(description="The latest report, if any")


class LoanFollowUp(BaseModel):
    application_id: str
    decision: Decision = Field(description="The committee's decision granting the loan")
    years: list[YearFollowUp] = Field(
        description="Every reporting year with a report or overdue, oldest first (a year whose "
        "report is due but not yet late has nothing to say yet; `screening follow-up due` "
        "lists it)"
    )


MAX_REVISIONS_PER_YEAR = 20
"""Corrections of one year's report a loan may send; more is refused (409), not stored."""


def report_form(report: EffectReport) -> tuple[str, str]:
    text = report.model_dump_json(exclude_none=True)
    return text, hashlib.sha256(text.encode("utf-8")).hexdigest()


class Reporter:
    def __init__(
        self,
        checker: FollowUpChecker,
        screenings: ScreeningStore,
        decisions: DecisionStore,
        follow_ups: FollowUpStore,
        deadline_ms: int = 4_000,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.checker = checker
        self.screenings = screenings
        self.decisions = decisions
        self.follow_ups = follow_ups
        self.deadline_ms = deadline_ms
        self.clock = clock  # the service's own time: what "received" and "overdue" mean

    @property
    def due_month(self) -> int:
        return int(self.checker.parameter(due.DUE_RULE, due.DUE_PARAMETER))

    def loan(self, application_id: str) -> tuple[Decision, Application]:
        """The granting decision and the application it granted; 404 unless granted."""
        recorded = self.decisions.decisions(application_id)
        if not recorded or recorded[0].decision is not DecisionKind.granted:
            raise errors.not_a_granted_loan(application_id)
        decision = recorded[0]
        text = self.screenings.application_json(application_id, decision.screening_revision)
        if text is None:  # a decision is only recorded on a stored revision
            raise errors.not_a_granted_loan(application_id)
        try:
            return decision, parse_application(text)
        except ApplicationInvalid:  # stored under an older contract; the lender must look
            raise errors.stored_under_older_contract(application_id) from None

    def receive(self, report: EffectReport) -> Received:
        now = self.clock()
        decision, application = self.loan(report.application_id)
        if report.reporting_year < due.first_reporting_year(decision.decision_date):
            raise errors.invalid_report(
                [
                    FieldError(
                        "reporting_year",
                        f"the loan was granted in {decision.decision_date.year}: its first "
                        f"report is for {due.first_reporting_year(decision.decision_date)}",
                    )
                ]
            )
        if report.reporting_year >= min(report.submitted_at.year, now.year):
            raise errors.invalid_report(
                [FieldError("reporting_year", "must be a year that has ended")]
            )
        text, sha = report_form(report)
        year = report.reporting_year
        stored = self.follow_ups.claimed(report.application_id, sha)
        latest = self.follow_ups.latest_revision(report.application_id, year)
        if stored is not None and stored.revision == latest:
            return Received(stored, replay=True)
        if latest is not None and latest >= MAX_REVISIONS_PER_YEAR:
            raise errors.report_revisions_exhausted(MAX_REVISIONS_PER_YEAR)
        history = self._history(report.application_id, before=year)
        # On time is judged by when the service received the year's first report, never by
        # the report's own claim (a correction sent later does not make the year late).
        first = self.follow_ups.first_received(report.application_id, year)
        received_on = (first or now).date()
        verdict = self.checker.check(application, year, report, history, now.date(), received_on)
        started = time.monotonic()
        attempt = 0
        while True:
            attempt += 1
            expected = self.follow_ups.latest_revision(report.application_id, year)
            try:
                stored = self.follow_ups.append(
                    report, verdict, text, sha, expected, now, reclaim=stored is not None
                )
            except ReportClaimed:
                again = self.follow_ups.claimed(report.application_id, sha)
                if again is not None:
                    return Received(again, replay=True)
            except ReportRevisionTaken:
                pass
            except ItemTooLarge:
                raise errors.too_large_to_store() from None
            else:
                logger.info(
                    "effect report checked and stored",
                    extra={
                        "application_id": report.application_id,
                        "reporting_year": report.reporting_year,
                        "revision": stored.revision,
                        "follow_up_outcome": verdict.outcome.value,
                        "append_attempts": attempt,
                    },
                )
                count_follow_up(verdict.outcome.value)
                return Received(stored, replay=False)
            if (time.monotonic() - started) * 1000 > self.deadline_ms:
                count("SubmitBusy")
                raise errors.busy()
            time.sleep(random.uniform(0.005, 0.02 * attempt))  # jitter: writers spread out

    def _history(self, application_id: str, before: int) -> list[EffectReport]:
        latest: dict[int, StoredReport] = {}
        for stored in self.follow_ups.reports(application_id, before=before):
            kept = latest.get(stored.reporting_year)
            if kept is None or stored.revision > kept.revision:
                latest[stored.reporting_year] = stored
        return [latest[y].report for y in sorted(latest)]

    def follow_up(self, application_id: str, on: date | None = None) -> LoanFollowUp:
        """Every year's latest report and verdict, and the verdict of each overdue year."""
        on = on or self.clock().date()
        decision, application = self.loan(application_id)
        stored = self.follow_ups.reports(application_id)
        by_year: dict[int, list[StoredReport]] = {}
        for s in stored:
            by_year.setdefault(s.reporting_year, []).append(s)
        years = []
        listed = due.years(decision.decision_date, by_year, on, self.due_month)
        listed += [  # reports for years not yet due (sent early) are shown too
            due.YearDue(y, due.due_on(y, self.due_month), due.ReportStatus.received)
            for y in sorted(by_year)
            if y not in {d.reporting_year for d in listed}
        ]
        for year in sorted(listed, key=lambda d: d.reporting_year):
            revisions = sorted(by_year.get(year.reporting_year, []), key=lambda s: s.revision)
            if revisions:
                latest = revisions[-1]
                verdict, report = latest.follow_up, latest.report
            elif year.status is due.ReportStatus.overdue:
                history = self._history(application_id, before=year.reporting_year)
                verdict = self.checker.check(application, year.reporting_year, None, history, on)
                report = None
            else:
                continue  # due but not yet overdue: nothing to say yet
            years.append(
                YearFollowUp(
                    reporting_year=year.reporting_year,
                    due_on=year.due_on,
                    status=year.status,
                    revisions=len(revisions),
                    follow_up=verdict,
                    report=report,
                )
            )
        return LoanFollowUp(application_id=application_id, decision=decision, years=years)
