"""Recording the committee's decisions, and gathering them for the agreement report.

Shared by ``PUT /screenings/{application_id}/decision`` and ``screening decisions import``:
a decision must name a stored screening revision; the rules it names as overridden must be
rules of that screening, and the requirements it assesses must be requirements of it. A repeated
identical decision stores nothing; a changed one is the next decision (the history stays).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date

from screening.agreement import Agreement, Band, agreement
from screening.models.decision import Decision, DecisionInput
from screening.models.verdict import Verdict
from screening.validation import FieldError

from . import errors
from .observability import left_out
from .store.decisions import DecisionStore, DecisionTaken, Pending, UnknownScreening
from .store.older_contract import StoredUnderOlderContract
from .store.screenings import ScreeningStore


@dataclass(frozen=True)
class Recorded:
    decision: Decision
    stored: bool  # False: identical to the latest decision, nothing was written


def check_against(verdict: Verdict, decided: DecisionInput, prefix: str = "") -> list[FieldError]:
    """Rules and requirements a decision names must be those of the screening it decides on."""
    rules = {r.rule_id for r in verdict.rules}
    requirements = {r.requirement.id for r in verdict.rules}
    problems = [
        FieldError(f"{prefix}overridden_rules.{i}", "is not a rule of that screening")
        for i, rule_id in enumerate(decided.overridden_rules)
        if rule_id not in rules
    ]
    problems += [
        FieldError(f"{prefix}assessments", f"'{rid}' is not a requirement of that screening")
        for rid in decided.assessments
        if rid not in requirements
    ]
    return problems


def prepare(
    screenings: ScreeningStore,
    decisions: DecisionStore,
    application_id: str,
    decided: DecisionInput,
    source: str,
    prefix: str = "",
) -> Pending | Decision:
    """The decision to write, or the stored one it repeats; 404 and 422 as ApiError."""
    stored = screenings.screening(application_id, decided.screening_revision)
    if stored is None:
        raise errors.not_found_revision(application_id, decided.screening_revision)
    problems = check_against(stored.verdict, decided, prefix)
    if problems:
        raise errors.invalid_decision(problems)
    try:
        return decisions.prepare(application_id, decided, source)
    except UnknownScreening:
        raise errors.not_found_revision(application_id, decided.screening_revision) from None


def record(
    screenings: ScreeningStore,
    decisions: DecisionStore,
    application_id: str,
    decided: DecisionInput,
    source: str = "api",
    attempts: int = 5,
) -> Recorded:
    for attempt in range(attempts):
        prepared = prepare(screenings, decisions, application_id, decided, source)
        if isinstance(prepared, Decision):
            return Recorded(prepared, stored=False)
        try:
            decisions.write([prepared])
        except DecisionTaken:
            time.sleep(0.02 * (attempt + 1))
            continue
        return Recorded(prepared.decision, stored=True)
    raise errors.busy()


def gather(
    screenings: ScreeningStore,
    decisions: DecisionStore,
    date_from: date | None,
    date_to: date | None,
    round: str | None,
) -> list[tuple[Verdict, Decision]]:
    """Each decided application's latest decision in the range (and round), with the verdict
    of the screening revision it decided on. With a round, the latest decision *of that round*:
    an application returned in 2026-R3 and granted in 2026-R4 counts as returned in 2026-R3.
    A revision stored under an earlier contract is left out (logged and counted)."""
    numbers: dict[str, list[int]] = {}
    for application_id, number in decisions.listed(date_from, date_to):
        numbers.setdefault(application_id, []).append(number)
    pairs: list[tuple[Verdict, Decision]] = []
    for application_id, listed in sorted(numbers.items()):
        for number in sorted(listed, reverse=True):
            decision = decisions.get(application_id, number)
            if decision is None or (round and decision.round != round):
                continue
            try:
                stored = screenings.screening(application_id, decision.screening_revision)
            except StoredUnderOlderContract as older:
                left_out(older.application_id, older.revision)
                break
            if stored is not None:
                pairs.append((stored.verdict, decision))
            break
    return pairs


def agreement_of(
    screenings: ScreeningStore,
    decisions: DecisionStore,
    date_from: date | None,
    date_to: date | None,
    round: str | None,
    band: Band,
) -> Agreement:
    pairs = gather(screenings, decisions, date_from, date_to, round)
    return agreement(pairs, date_from=date_from, date_to=date_to, round=round, band=band)
