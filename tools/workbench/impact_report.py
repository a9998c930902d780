"""``screening impact --html``: what a rule change does to the stored applications, as a page.

A pure function from an :class:`~workbench.impact.ImpactReport` to a self-contained HTML page in
the committee reports' style: Swedish by default, English on request, autoescaped Jinja2 with
``StrictUndefined``, no script, the same Content-Security-Policy, A4 print CSS and an inline SVG
chart. The template (``templates/impact.html.j2``) extends the report package's
``base.html.j2`` and reuses its macros through a :class:`~jinja2.ChoiceLoader`; the filters and
globals are the report package's own (an overlay of its environment).

What the page shows is decided here, before any HTML is written, so it is unit-tested without
parsing the page: the transitions in a fixed order (from the outcome matrix, not by parsing
the ``'eligible → needs_review'`` keys), the changed applications grouped by transition with
how each stands against the committee's decision before and after, and whether the proposal
brings the pre-screening closer to the committee.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined

from screening.models.decision import DecisionKind
from screening.models.verdict import Outcome
from screening.report.chart import Chart, stacked_bars
from screening.report.render import TEMPLATES as REPORT_TEMPLATES
from screening.report.render import environment as report_environment
from screening.report.render import page_context
from screening.report.views import (
    MATRIX_OUTCOMES,
    Accord,
    Labels,
    MatrixRow,
    accord,
    matrix_rows,
)
from screening.report.views import decision_totals as _decision_totals
from screening.report.words import OUTCOME, OUTCOME_ICON

from .impact import AgreementSummary, ImpactReport, OutcomeChange

TEMPLATES = Path(__file__).resolve().parent / "templates"
ARROW = " → "
"""How ``ImpactReport`` writes a change: ``'eligible → needs_review'``, ``'passed → failed'``."""

RuleTitles = Mapping[str, Mapping[str, str]]
"""Rule id → {"sv": …, "en": …}, e.g. ``{r.id: r.title for r in ruleset.rules}``."""


@cache
def environment() -> Environment:
    """The report package's environment (filters, globals, autoescape, StrictUndefined), with
    this folder's templates first and the report package's (``base.html.j2``, macros) after."""
    return report_environment().overlay(
        loader=ChoiceLoader([FileSystemLoader(TEMPLATES), FileSystemLoader(REPORT_TEMPLATES)]),
        autoescape=True,
        undefined=StrictUndefined,
    )


# ---------------------------------------------------------------- what the page shows


@dataclass(frozen=True)
class Transition:
    base: Outcome
    candidate: Outcome
    count: int

    @property
    def key(self) -> str:
        """The report's own key for it, ``'eligible → needs_review'``."""
        return f"{self.base.value}{ARROW}{self.candidate.value}"


def transitions(report: ImpactReport) -> list[Transition]:
    """Every outcome change with its count, from the base × candidate matrix; in a fixed
    order (base, then candidate: eligible, needs review, ineligible); unchanged left out."""
    found = []
    for base in MATRIX_OUTCOMES:
        row = report.outcomes.get(base.value, {})
        for candidate in MATRIX_OUTCOMES:
            count = row.get(candidate.value, 0)
            if candidate is not base and count:
                found.append(Transition(base, candidate, count))
    return found


def outcome_counts(report: ImpactReport) -> dict[str, dict[Outcome, int]]:
    """Applications per outcome under the current rules (rows) and the proposal (columns)."""
    base = {
        o: sum(report.outcomes.get(o.value, {}).get(p.value, 0) for p in Outcome)
        for o in MATRIX_OUTCOMES
    }
    candidate = {
        o: sum(report.outcomes.get(p.value, {}).get(o.value, 0) for p in Outcome)
        for o in MATRIX_OUTCOMES
    }
    return {"base": base, "candidate": candidate}


@dataclass(frozen=True)
class ChangedRow:
    change: OutcomeChange
    before: Accord | None  # against the committee's decision; None when not decided
    after: Accord | None


def changed_groups(report: ImpactReport) -> list[tuple[Transition, list[ChangedRow]]]:
    """The applications whose outcome changes, under their transition (in ``transitions``
    order), by application id; each with how it stands against the committee before and after."""
    groups = []
    for transition in transitions(report):
        rows = [
            ChangedRow(
                change,
                accord(change.base, change.decision) if change.decision else None,
                accord(change.candidate, change.decision) if change.decision else None,
            )
            for change in sorted(report.changed, key=lambda c: c.application_id)
            if change.base is transition.base and change.candidate is transition.candidate
        ]
        groups.append((transition, rows))
    return groups


def direction(key: str) -> tuple[str, str]:
    """``'passed → failed'`` → ``('passed', 'failed')``; ``absent`` when the rule is new or
    removed. A key in another form is kept whole as its first part."""
    before, sep, after = key.partition(ARROW)
    return (before, after) if sep else (key, "")


@dataclass(frozen=True)
class Tally:
    """The decided applications by how the pre-screening stands against the decision."""

    agreeing: int
    disagreeing: int  # of which false_rejects
    false_rejects: int
    not_comparable: int  # needs review: left to the committee


def tally(summary: AgreementSummary) -> Tally:
    return Tally(
        agreeing=summary.agreeing,
        disagreeing=summary.comparable - summary.agreeing,
        false_rejects=len(summary.false_rejects),
        not_comparable=summary.decided - summary.comparable,
    )


def agreement_shift(report: ImpactReport) -> str:
    """Does the proposal bring the pre-screening closer to the committee's decisions?

    Judged on counts over the same decided applications, not on the rate alone (a rate rises
    when a disagreement merely becomes *needs review*):

    * ``closer``: no fewer agreements, no more disagreements, no more false rejects, and
      some change; ``further``: the reverse;
    * ``mixed``: both move the same way (say, fewer disagreements *and* fewer agreements,
      because more is left to the committee), or false rejects rise while the rest improves;
    * ``same``: no change; ``unknown``: no decided application.
    """
    base, candidate = (tally(report.agreement[side]) for side in ("base", "candidate"))
    if not report.agreement["base"].decided:
        return "unknown"
    more_agree = candidate.agreeing - base.agreeing
    more_disagree = candidate.disagreeing - base.disagreeing
    more_false = candidate.false_rejects - base.false_rejects
    if more_agree == more_disagree == more_false == 0:
        return "same"
    if more_agree >= 0 and more_disagree <= 0 and more_false <= 0:
        return "closer"
    if more_agree <= 0 and more_disagree >= 0 and more_false >= 0:
        return "further"
    return "mixed"


@dataclass(frozen=True)
class AgreementSide:
    """One ruleset's agreement with the committee, ready for the table."""

    name: str  # base | candidate
    summary: AgreementSummary
    matrix: list[MatrixRow]
    totals: dict[DecisionKind, int]


def sides(report: ImpactReport) -> list[AgreementSide]:
    found = []
    for name in ("base", "candidate"):
        summary = report.agreement[name]
        rows = matrix_rows(summary.matrix)
        found.append(AgreementSide(name, summary, rows, _decision_totals(rows)))
    return found


def chart(report: ImpactReport, titles: Mapping[str, str]) -> Chart:
    """Two stacked bars, current rules and proposal, split by outcome."""
    return stacked_bars(outcome_counts(report), titles, MATRIX_OUTCOMES)


# ---------------------------------------------------------------- the page


def render_impact_report(
    report: ImpactReport,
    *,
    labels: Labels,
    language: str = "sv",
    rule_titles: RuleTitles | None = None,
    language_href: str | None = None,
) -> str:
    """The impact of a rule change, Swedish by default: current rules against the proposal,
    the outcome changes with counts and a chart, every application whose outcome changes with
    the rules responsible, each rule's changed results, and the agreement with the committee's
    decisions under both (does the change bring the pre-screening closer?).

    ``rule_titles`` (rule id → {sv, en}) names the rules; without it they are shown by id.
    """
    titles = rule_titles or {}

    def rule_title(rule_id: str) -> str:
        return titles.get(rule_id, {}).get(language, "")

    context = page_context(language, labels)
    text: Mapping[str, str] = context["text"]  # type: ignore[assignment]
    side_titles = {
        "base": f"{text['base']} ({report.base.version})",
        "candidate": f"{text['candidate']} ({report.candidate.version})",
    }
    context.update(
        report=report,
        transitions=transitions(report),
        counts=outcome_counts(report),
        chart=chart(report, side_titles),
        groups=changed_groups(report),
        direction=direction,
        shift=agreement_shift(report),
        tallies={side: tally(report.agreement[side]) for side in ("base", "candidate")},
        sides=sides(report),
        outcome_order=MATRIX_OUTCOMES,
        outcome_title={o: f"{OUTCOME_ICON[o]} {OUTCOME[language][o]}" for o in Outcome},
        rule_title=rule_title,
        language_href=language_href,
    )
    return environment().get_template("impact.html.j2").render(context)


__all__ = [
    "ChangedRow",
    "Tally",
    "Transition",
    "agreement_shift",
    "changed_groups",
    "direction",
    "environment",
    "outcome_counts",
    "render_impact_report",
    "tally",
    "transitions",
]
