"""What a page shows, computed from verdicts (and decisions) before any HTML is written.

The templates only lay out; every decision (grouping by requirement, which rules decide the
outcome, the order of the round table, the counts) is made here in plain Python so it can be
unit-tested without parsing HTML.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date
from enum import StrEnum
from typing import Any

from ..agreement import Agreement, RuleAgreement
from ..models.common import LocalizedText
from ..models.decision import Assessment, Decision, DecisionKind
from ..models.verdict import (
    Outcome,
    Requirement,
    RuleResult,
    RuleResultKind,
    Severity,
    Verdict,
)

Labels = Mapping[str, Mapping[str, Mapping[str, str]]]

OUTCOME_ORDER: tuple[Outcome, ...] = (Outcome.needs_review, Outcome.ineligible, Outcome.eligible)
"""The round table's order: what needs the committee's judgement first, clear cases last."""

_SEVERITY_ORDER = {Severity.reject: 0, Severity.refer: 1, Severity.note: 2}


def label(labels: Labels, enum_name: str, value: object, language: str) -> str:
    """The label of an enum value; the raw value when the ruleset has none (an old verdict)."""
    code = getattr(value, "value", value)
    return labels.get(enum_name, {}).get(str(code), {}).get(language, str(code))


@dataclass(frozen=True)
class RequirementGroup:
    requirement: Requirement
    rules: tuple[RuleResult, ...]

    @property
    def failed(self) -> int:
        return sum(r.result is RuleResultKind.failed for r in self.rules)


def group_by_requirement(
    rules: Sequence[RuleResult], requirements: Sequence[str]
) -> list[RequirementGroup]:
    """Rules under their requirement, in the framework's order.

    A requirement the current ruleset no longer knows (a verdict screened under an older
    ruleset) follows the known ones under the title the verdict itself carries; no rule is
    ever dropped.
    """
    buckets: dict[str, list[RuleResult]] = {}
    titles: dict[str, Requirement] = {}
    for rule in rules:
        buckets.setdefault(rule.requirement.id, []).append(rule)
        titles.setdefault(rule.requirement.id, rule.requirement)
    order = [rid for rid in requirements if rid in buckets]
    order += [rid for rid in buckets if rid not in order]
    return [RequirementGroup(titles[rid], tuple(buckets[rid])) for rid in order]


def deciding_rules(verdict: Verdict) -> list[RuleResult]:
    """The failed rules that set the outcome: rejections first, then referrals."""
    failed = [
        r
        for r in verdict.rules
        if r.result is RuleResultKind.failed and r.severity is not Severity.note
    ]
    return sorted(failed, key=lambda r: _SEVERITY_ORDER[r.severity])


def failed_rules(verdict: Verdict) -> list[RuleResult]:
    return [r for r in verdict.rules if r.result is RuleResultKind.failed]


def earlier_screenings(verdict: Verdict, history: Iterable[Verdict]) -> list[Verdict]:
    """Earlier verdicts of the same application, newest first; the current one left out."""
    return sorted(
        (
            h
            for h in history
            if h.application_id == verdict.application_id and h.screened_at < verdict.screened_at
        ),
        key=lambda h: h.screened_at,
        reverse=True,
    )


# ------------------------------------------------------------------------------------ round


def screened_on(verdict: Verdict) -> date:
    """The UTC day of the screening: the same day boundary as the service's ``GET /screenings``
    listing (``from``/``to`` in UTC), so a round in the service and in a report agree."""
    return verdict.screened_at.astimezone(UTC).date()


def select_round(verdicts: Iterable[Verdict], date_from: date, date_to: date) -> list[Verdict]:
    """The round: applications screened from ``date_from`` to ``date_to`` (both included, UTC
    days), each by its latest screening in the range, so a re-screened application counts once.
    Applications are screened when submitted, so this is also the round's submission window."""
    latest: dict[str, Verdict] = {}
    for verdict in verdicts:
        if not date_from <= screened_on(verdict) <= date_to:
            continue
        known = latest.get(verdict.application_id)
        if known is None or verdict.screened_at > known.screened_at:
            latest[verdict.application_id] = verdict
    return list(latest.values())


def order_for_committee(verdicts: Iterable[Verdict]) -> list[Verdict]:
    """needs_review, then ineligible, then eligible; within each, by submission then id."""
    rank = {outcome: index for index, outcome in enumerate(OUTCOME_ORDER)}
    return sorted(
        verdicts,
        key=lambda v: (rank[v.outcome], v.application.submitted_at, v.application_id),
    )


def group_by_outcome(verdicts: Iterable[Verdict]) -> list[tuple[Outcome, list[Verdict]]]:
    """The committee order split into its outcome groups; empty groups left out."""
    ordered = order_for_committee(verdicts)
    groups = [(outcome, [v for v in ordered if v.outcome is outcome]) for outcome in OUTCOME_ORDER]
    return [(outcome, group) for outcome, group in groups if group]


def declared_category(verdict: Verdict) -> str | None:
    return verdict.category_fit.declared[0].value if verdict.category_fit.declared else None


def counts_by_outcome(verdicts: Iterable[Verdict]) -> dict[Outcome, int]:
    counts = Counter(v.outcome for v in verdicts)
    return {outcome: counts.get(outcome, 0) for outcome in OUTCOME_ORDER}


def counts_by_category(
    verdicts: Iterable[Verdict], category_codes: Sequence[str]
) -> dict[str, dict[Outcome, int]]:
    """Declared (first) category → outcome → count; every known category, even with zero."""
    table: dict[str, dict[Outcome, int]] = {
        code: dict.fromkeys(OUTCOME_ORDER, 0) for code in category_codes
    }
    for verdict in verdicts:
        code = declared_category(verdict) or "-"
        table.setdefault(code, dict.fromkeys(OUTCOME_ORDER, 0))[verdict.outcome] += 1
    return table


@dataclass(frozen=True)
class FailedRule:
    rule_id: str
    title: Mapping[str, str]
    requirement: Requirement
    severity: Severity
    application_ids: tuple[str, ...] = field(default=())

    @property
    def count(self) -> int:
        return len(self.application_ids)


def most_failed_rules(verdicts: Sequence[Verdict], limit: int = 10) -> list[FailedRule]:
    """Rules by how many of the round's applications fail them, most first.

    Ties keep the ruleset's order (the order rules appear in the verdicts), so the list is
    stable from one rendering to the next.
    """
    seen_order: dict[str, int] = {}
    failing: dict[str, list[str]] = {}
    first: dict[str, RuleResult] = {}
    for verdict in order_for_committee(verdicts):
        for index, rule in enumerate(verdict.rules):
            seen_order.setdefault(rule.rule_id, index)
            if rule.result is RuleResultKind.failed:
                failing.setdefault(rule.rule_id, []).append(verdict.application_id)
                first.setdefault(rule.rule_id, rule)
    ranked = sorted(failing, key=lambda rid: (-len(failing[rid]), seen_order[rid], rid))
    return [
        FailedRule(
            rule_id=rid,
            title=first[rid].title.model_dump(),
            requirement=first[rid].requirement,
            severity=first[rid].severity,
            application_ids=tuple(failing[rid]),
        )
        for rid in ranked[:limit]
    ]


# ---------------------------------------------------------------- decisions and agreement

MATRIX_OUTCOMES: tuple[Outcome, ...] = (Outcome.eligible, Outcome.needs_review, Outcome.ineligible)
"""The matrix's rows: from the clear yes to the clear no, so agreement runs down a diagonal."""

DECISION_ORDER: tuple[DecisionKind, ...] = (
    DecisionKind.granted,
    DecisionKind.returned,
    DecisionKind.declined,
)


class Accord(StrEnum):
    """How a pre-screening outcome and the committee's decision relate."""

    agree = "agree"
    disagree = "disagree"
    false_reject = "false_reject"  # ineligible, yet granted: the worst disagreement
    not_comparable = "not_comparable"  # needs_review: the pre-screening left it to the committee


def accord(outcome: Outcome | str, decision: DecisionKind | str) -> Accord:
    """As ``screening.agreement`` counts it: eligible agrees with granted, ineligible with
    declined or returned; needs_review is not compared."""
    outcome, decision = Outcome(outcome), DecisionKind(decision)
    if outcome is Outcome.needs_review:
        return Accord.not_comparable
    if outcome is Outcome.ineligible and decision is DecisionKind.granted:
        return Accord.false_reject
    agrees = (outcome is Outcome.eligible) == (decision is DecisionKind.granted)
    return Accord.agree if agrees else Accord.disagree


def decisions_of(
    verdict: Verdict, decisions: Iterable[Decision]
) -> tuple[Decision | None, list[Decision]]:
    """The application's latest decision (highest number) and the earlier ones, newest first;
    decisions on other applications left out."""
    mine = sorted(
        (d for d in decisions if d.application_id == verdict.application_id),
        key=lambda d: (d.number, d.recorded_at),
        reverse=True,
    )
    return (mine[0], mine[1:]) if mine else (None, [])


@dataclass(frozen=True)
class AssessedRequirement:
    requirement_id: str
    title: LocalizedText | None  # None: a requirement the verdict does not know
    assessment: Assessment


def assessed_requirements(
    decision: Decision, verdict: Verdict, requirements: Sequence[str]
) -> list[AssessedRequirement]:
    """The committee's assessments in the framework's order, titled from the verdict; an
    assessment of a requirement unknown to both follows under its id."""
    titles = {r.requirement.id: r.requirement.title for r in verdict.rules}
    order = [rid for rid in requirements if rid in decision.assessments]
    order += [rid for rid in titles if rid in decision.assessments and rid not in order]
    order += [rid for rid in decision.assessments if rid not in order]
    return [AssessedRequirement(rid, titles.get(rid), decision.assessments[rid]) for rid in order]


def overridden_results(decision: Decision, verdict: Verdict) -> list[tuple[str, RuleResult | None]]:
    """Each rule the committee did not follow, with its result in this verdict (None when the
    verdict has no such rule: the decision was on a screening under another ruleset)."""
    results = {r.rule_id: r for r in verdict.rules}
    return [(rule_id, results.get(rule_id)) for rule_id in decision.overridden_rules]


@dataclass(frozen=True)
class MatrixCell:
    outcome: Outcome
    decision: DecisionKind
    count: int
    accord: Accord


@dataclass(frozen=True)
class MatrixRow:
    outcome: Outcome
    cells: tuple[MatrixCell, ...]

    @property
    def total(self) -> int:
        return sum(cell.count for cell in self.cells)


def matrix_rows(matrix: Mapping[Any, Mapping[Any, int]]) -> list[MatrixRow]:
    """Outcome × decision in a fixed order, every cell present (a missing one counts 0).
    Takes ``Agreement.matrix`` (enum keys) and the impact report's summaries (string keys)."""
    return [
        MatrixRow(
            outcome,
            tuple(
                MatrixCell(
                    outcome, kind, matrix.get(outcome, {}).get(kind, 0), accord(outcome, kind)
                )
                for kind in DECISION_ORDER
            ),
        )
        for outcome in MATRIX_OUTCOMES
    ]


def decision_totals(rows: Sequence[MatrixRow]) -> dict[DecisionKind, int]:
    return {
        kind: sum(cell.count for row in rows for cell in row.cells if cell.decision is kind)
        for kind in DECISION_ORDER
    }


def matrix_table(rows: Sequence[MatrixRow]) -> dict[Outcome, dict[DecisionKind, int]]:
    """The matrix as the chart's table: one bar per outcome, one segment per decision."""
    return {row.outcome: {cell.decision: cell.count for cell in row.cells} for row in rows}


def rule_titles(agreement: Agreement) -> dict[str, LocalizedText]:
    """Rule id → title, for the rule ids the decided applications name."""
    return {rule.rule_id: rule.title for rule in agreement.rules}


def rules_by_override(agreement: Agreement) -> tuple[list[RuleAgreement], int]:
    """The rules worth a row (they failed a decided application, or a decision named them as
    not followed), most overridden first as the agreement orders them; and how many others."""
    shown = [r for r in agreement.rules if r.failed or r.named_as_overridden]
    return shown, len(agreement.rules) - len(shown)
