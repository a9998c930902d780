"""Granted loans as the follow-up reports see them: the approved application, the granting
decision's round and the stored follow-up verdicts (``screening.follow_up.portfolio``).

Read-only, from the one table: decisions (by-date index), the decided revision's application,
and the loan's stored effect reports. No rule engine: the verdicts are the stored ones (a year
with no report has none; ``GET /loans/{id}/follow-up`` says which years are overdue).
"""

from __future__ import annotations

from collections.abc import Iterator

from screening.follow_up.portfolio import LoanFollowUp
from screening.models.decision import DecisionKind
from screening.validation import ApplicationInvalid, parse_application

from .observability import left_out
from .store.decisions import DecisionStore
from .store.follow_ups import FollowUpStore
from .store.older_contract import StoredUnderOlderContract
from .store.screenings import ScreeningStore


class Loans:
    def __init__(
        self, screenings: ScreeningStore, decisions: DecisionStore, follow_ups: FollowUpStore
    ) -> None:
        self.screenings = screenings
        self.decisions = decisions
        self.follow_ups = follow_ups

    def loan(self, application_id: str) -> LoanFollowUp | None:
        """The loan and its follow-up, or None unless its latest decision granted it.
        Raises ``StoredUnderOlderContract`` when its application no longer reads (a 409)."""
        recorded = self.decisions.decisions(application_id)
        if not recorded or recorded[0].decision is not DecisionKind.granted:
            return None
        decision = recorded[0]
        text = self.screenings.application_json(application_id, decision.screening_revision)
        if text is None:
            return None
        try:
            application = parse_application(text)
        except ApplicationInvalid:  # stored under an earlier contract: the caller decides
            raise StoredUnderOlderContract(application_id, decision.screening_revision) from None
        verdicts = [r.follow_up for r in self.follow_ups.reports(application_id)]
        return LoanFollowUp.of(application, verdicts, round=decision.round)

    def granted(self) -> Iterator[LoanFollowUp]:
        """Every granted loan (its latest decision granted it), in decision order."""
        seen: set[str] = set()
        for application_id, _ in self.decisions.listed(None, None):
            if application_id in seen:
                continue
            seen.add(application_id)
            try:
                loan = self.loan(application_id)
            except StoredUnderOlderContract as older:  # the portfolio shows what it can read
                left_out(older.application_id, older.revision)
                continue
            if loan is not None:
                yield loan
