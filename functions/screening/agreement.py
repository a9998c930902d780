"""How far the pre-screening agrees with the committee's decisions.

Pure logic over (verdict, decision) pairs — the verdict of the screening revision the committee
decided on, and its latest decision — used by ``GET /agreement``, the agreement report and
``screening agreement`` / ``screening impact``.

* A table of pre-screening outcome × decision.
* Per rule: of the decided applications that failed it, how many were granted anyway (the
  override rate), and which; how many decisions named it as overridden.
* Every ``ineligible`` that was granted — a false reject, the worst error — listed first with
  the rules that decided it.
* Both directions are flagged: a rule overridden more often than the band's upper bound may be
  wrong; one almost never overridden over many decisions may mean the committee follows the
  machine (automation bias). The band is a parameter.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from pydantic import Field

from .models.common import LocalizedText, Model
from .models.decision import Decision, DecisionKind
from .models.verdict import Outcome, RuleResult, RuleResultKind, Severity, Verdict


@dataclass
class _RuleTally:
    """One rule across the decided applications."""

    rule: RuleResult
    failed: int = 0
    granted: list[str] = field(default_factory=list)  # failed, and granted anyway
    named: int = 0  # named by the committee as overridden


@dataclass(frozen=True)
class Band:
    """Override rates outside [low, high] are flagged, once a rule failed ``min_failed`` times."""

    low: float = 0.02
    high: float = 0.30
    min_failed: int = 10


class BandShown(Model):
    """The band the flags used: override rates below ``low`` or above ``high`` are flagged once
    a rule failed at least ``min_failed`` times."""

    low: float
    high: float
    min_failed: int


class DecidedApplication(Model):
    application_id: str
    organisation_name: str
    project_title: str
    outcome: Outcome
    decision: DecisionKind
    round: str
    decision_date: date
    deciding_rules: list[str] = Field(description="Failed reject rules, else failed refer rules")
    overridden_rules: list[str]


class RuleAgreement(Model):
    rule_id: str
    title: LocalizedText
    severity: Severity
    failed: int = Field(description="Decided applications that failed the rule")
    granted_anyway: int
    override_rate: float | None = Field(description="granted_anyway / failed; null if none failed")
    named_as_overridden: int = Field(description="Decisions that named the rule as overridden")
    granted_applications: list[str]
    flag: str | None = Field(
        description="often_overridden (the rule may be wrong) or rarely_overridden "
        "(the committee may follow the machine), outside the band"
    )


class Agreement(Model):
    date_from: date | None
    date_to: date | None
    round: str | None
    decided: int
    matrix: dict[Outcome, dict[DecisionKind, int]]
    agreeing: int = Field(description="eligible → granted, ineligible → declined or returned")
    comparable: int = Field(description="Decisions on eligible or ineligible applications")
    false_rejects: list[DecidedApplication] = Field(description="ineligible, yet granted")
    applications: list[DecidedApplication]
    rules: list[RuleAgreement] = Field(description="Most overridden first")
    band: BandShown

    @property
    def agreement_rate(self) -> float | None:
        return self.agreeing / self.comparable if self.comparable else None


def deciding_rules(verdict: Verdict) -> list[str]:
    failed = [r for r in verdict.rules if r.result is RuleResultKind.failed]
    rejects = [r.rule_id for r in failed if r.severity is Severity.reject]
    return rejects or [r.rule_id for r in failed if r.severity is Severity.refer]


def agreement(
    pairs: Iterable[tuple[Verdict, Decision]],
    *,
    date_from: date | None = None,
    date_to: date | None = None,
    round: str | None = None,
    band: Band = Band(),
) -> Agreement:
    matrix = {o: {d: 0 for d in DecisionKind} for o in Outcome}
    rows: list[DecidedApplication] = []
    per_rule: dict[str, _RuleTally] = {}
    agreeing = comparable = 0
    for verdict, decision in pairs:
        matrix[verdict.outcome][decision.decision] += 1
        if verdict.outcome is not Outcome.needs_review:
            comparable += 1
            if (verdict.outcome is Outcome.eligible) == (decision.decision is DecisionKind.granted):
                agreeing += 1
        rows.append(
            DecidedApplication(
                application_id=verdict.application_id,
                organisation_name=verdict.application.organisation_name,
                project_title=verdict.application.project_title,
                outcome=verdict.outcome,
                decision=decision.decision,
                round=decision.round,
                decision_date=decision.decision_date,
                deciding_rules=deciding_rules(verdict),
                overridden_rules=list(decision.overridden_rules),
            )
        )
        for rule in verdict.rules:
            if rule.severity is Severity.note:
                continue
            entry = per_rule.setdefault(rule.rule_id, _RuleTally(rule))
            if rule.result is RuleResultKind.failed:
                entry.failed += 1
                if decision.decision is DecisionKind.granted:
                    entry.granted.append(verdict.application_id)
            if rule.rule_id in decision.overridden_rules:
                entry.named += 1
    rules = []
    for rule_id, entry in per_rule.items():
        rule = entry.rule
        failed = entry.failed
        granted = entry.granted
        rate = len(granted) / failed if failed else None
        flag = None
        if rate is not None and failed >= band.min_failed:
            if rate > band.high:
                flag = "often_overridden"
            elif rate < band.low:
                flag = "rarely_overridden"
        rules.append(
            RuleAgreement(
                rule_id=rule_id,
                title=rule.title,
                severity=rule.severity,
                failed=failed,
                granted_anyway=len(granted),
                override_rate=rate,
                named_as_overridden=entry.named,
                granted_applications=granted,
                flag=flag,
            )
        )
    rules.sort(key=lambda r: (-(r.override_rate or 0), -r.failed, r.rule_id))
    false_rejects = [
        r for r in rows if r.outcome is Outcome.ineligible and r.decision is DecisionKind.granted
    ]
    rows.sort(key=lambda r: (r not in false_rejects, r.decision_date, r.application_id))
    return Agreement(
        date_from=date_from,
        date_to=date_to,
        round=round,
        decided=len(rows),
        matrix=matrix,
        agreeing=agreeing,
        comparable=comparable,
        false_rejects=false_rejects,
        applications=rows,
        rules=rules,
        band=BandShown(low=band.low, high=band.high, min_failed=band.min_failed),
    )
