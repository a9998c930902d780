"""The granted loans under follow-up, loan by loan and as a portfolio: what the follow-up
report, the portfolio report and the lender's yearly impact reporting read.

Pure: verdicts in, figures out, no I/O. A loan is its approved application's key facts with its
follow-up verdicts (:class:`LoanFollowUp`); :func:`portfolio` counts the loans per category and
per round for one reporting year and adds up the indicators that may be added up;
:func:`indicator_rows` / :func:`indicator_csv` give one row per loan, goal and year.

What is added up, and what never is (Nordic public-sector practice for impact reporting:
a figure says whether it counts the project's whole effect or the share the loan finances, and
a changed definition breaks a series):

- only the lender's own indicators (the catalogue, ``rules/follow-up/data/indicators.yaml``)
  marked ``additive`` (people, jobs, flats — never shares or percentages);
- only values of the same indicator id, indicator version and unit, and only in the
  catalogue's unit;
- only a goal still measured as approved (``indicator_version`` 1): a goal's version counts the
  definitions *that loan's* reports have used, so version 2 of one loan is not version 2 of
  another, and a changed definition is never added to anything;
- never a borrower's own indicator (``goal-N``, or any id not in the catalogue), even when two
  loans happen to use the same id.

Everything not added up is listed with the reason (:class:`NotAdded`), so a total never hides
what it leaves out.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Final, Literal

from ..models.application import Application
from ..models.common import Category, LocalizedText, Model, Reference
from ..models.follow_up import FollowUpOutcome, FollowUpVerdict, GoalProgress

Attribution = Literal["whole", "financed_share"]
ATTRIBUTIONS: Final[tuple[str, ...]] = ("whole", "financed_share")

NO_REPORT: Final = "no_report"
STATUSES: Final[tuple[str, ...]] = (
    FollowUpOutcome.on_track.value,
    FollowUpOutcome.needs_attention.value,
    FollowUpOutcome.off_track.value,
    NO_REPORT,
)
"""A loan's status for a year: its follow-up outcome when a report came in, else no_report
(no report for the year, whether it has been checked or not). Each loan has exactly one."""

_ATTENTION_ORDER: Final = {
    FollowUpOutcome.off_track.value: 0,
    FollowUpOutcome.needs_attention.value: 1,
    NO_REPORT: 2,
    FollowUpOutcome.on_track.value: 3,
}


# ---------------------------------------------------------------- one loan


@dataclass(frozen=True)
class LoanFollowUp:
    """One granted loan and its follow-up verdicts: the latest per reporting year, oldest
    year first. ``round`` is the granting decision's round (e.g. ``2026-R3``)."""

    application_id: str
    project_title: str
    organisation_name: str
    category: Category
    round: str | None
    loan_amount_sek: int
    total_investment_sek: int
    verdicts: tuple[FollowUpVerdict, ...] = ()

    def __post_init__(self) -> None:
        others = {v.application_id for v in self.verdicts} - {self.application_id}
        if others:
            raise ValueError(
                f"verdicts of {', '.join(sorted(others))} given for loan {self.application_id}"
            )
        years = [v.reporting_year for v in self.verdicts]
        if years != sorted(set(years)):
            raise ValueError(
                "verdicts must be one per reporting year, oldest first "
                f"(got {', '.join(map(str, years))}); LoanFollowUp.of picks them"
            )
        if self.loan_amount_sek <= 0 or self.total_investment_sek <= 0:
            raise ValueError("loan amount and total investment must be positive")

    @classmethod
    def of(
        cls,
        application: Application,
        verdicts: Iterable[FollowUpVerdict],
        *,
        round: str | None = None,
    ) -> LoanFollowUp:
        """The loan from its approved application and any of its follow-up verdicts: per
        reporting year the one checked last (a report checked again, or a late report)."""
        latest: dict[int, FollowUpVerdict] = {}
        for verdict in verdicts:
            if verdict.application_id != application.application_id:
                continue
            known = latest.get(verdict.reporting_year)
            if known is None or verdict.checked_at >= known.checked_at:
                latest[verdict.reporting_year] = verdict
        project = application.project
        return cls(
            application_id=application.application_id,
            project_title=project.title,
            organisation_name=application.applicant.organisation_name,
            category=project.declared_category,
            round=round,
            loan_amount_sek=project.loan_amount_sek,
            total_investment_sek=project.total_investment_sek,
            verdicts=tuple(latest[year] for year in sorted(latest)),
        )

    @property
    def financed_share(self) -> float:
        """The share of the investment the loan finances (at most 1: a loan above the cost
        never attributes more than the whole effect)."""
        return min(1.0, self.loan_amount_sek / self.total_investment_sek)

    @property
    def latest(self) -> FollowUpVerdict | None:
        return self.verdicts[-1] if self.verdicts else None

    def verdict(self, year: int | None = None) -> FollowUpVerdict | None:
        """The verdict for ``year``; without a year, the latest. None when there is none."""
        if year is None:
            return self.latest
        return next((v for v in self.verdicts if v.reporting_year == year), None)


def status_of(verdict: FollowUpVerdict | None) -> str:
    """on_track / needs_attention / off_track, or no_report when no report came for the year."""
    if verdict is None or not verdict.report_received:
        return NO_REPORT
    return verdict.outcome.value


# ---------------------------------------------------------------- the portfolio


class NotAddedReason(StrEnum):
    own_indicator = "own_indicator"  # not in the lender's catalogue (goal-N or the borrower's id)
    not_additive = "not_additive"  # a share or rate: the catalogue says it does not add up
    changed_definition = "changed_definition"  # indicator_version > 1: no longer as approved
    unit_differs = "unit_differs"  # a catalogue id, but not in the catalogue's unit
    no_value = "no_value"  # an additive catalogue indicator without a value this year


class GroupFigures(Model):
    """The loans of one category, one round, or all of them, for the year."""

    key: str | None = None  # the category code or the round; None: no round recorded (or all)
    loans: int = 0
    on_track: int = 0
    needs_attention: int = 0
    off_track: int = 0
    no_report: int = 0
    people_reached: int = 0  # summed over the reports that give it
    people_reached_loans: int = 0  # how many loans' reports give it
    goals: int = 0  # approved effect goals of the loans checked for the year
    goals_reported: int = 0  # goals with a measured value
    goals_met: int = 0  # goals whose value has reached the target

    def by_status(self) -> dict[str, int]:
        return {status: getattr(self, status) for status in STATUSES}


class Contribution(Model):
    """One loan's part in an indicator total."""

    application_id: str
    reporting_year: int
    goal: int
    value: float
    share: float  # 1 for the whole effect, else loan amount / total investment
    attributed: float  # value × share


class IndicatorTotal(Model):
    """One indicator added up over loans: same id, version and unit; catalogue: additive."""

    indicator_id: str
    indicator_version: int
    unit: str
    title: LocalizedText
    catalogue_version: int
    attribution: Attribution
    value: float
    loans: int
    reporting_years: list[int]
    contributions: list[Contribution]


class NotAdded(Model):
    """Goals left out of the totals, grouped by indicator and reason (a borrower's own
    indicators together: their ids are the borrower's, not shared)."""

    reason: NotAddedReason
    indicator_id: str | None  # None: the borrowers' own indicators
    indicator_version: int | None
    unit: str | None
    title: LocalizedText | None  # the catalogue's title, when it is a catalogue indicator
    goals: int
    application_ids: list[str]


class LoanStatus(Model):
    """One loan's line in the portfolio."""

    application_id: str
    project_title: str
    organisation_name: str
    category: Category
    round: str | None
    reporting_year: int | None  # the verdict's year; None: no verdict for the year
    status: str  # one of STATUSES
    people_reached: int | None
    goals: int
    goals_reported: int
    goals_met: int


class Portfolio(Model):
    year: int | None  # None: each loan's latest verdict
    attribution: Attribution
    attribution_reference: Reference | None
    overall: GroupFigures
    by_category: list[GroupFigures]  # every category, in the framework's order
    by_round: list[GroupFigures]  # by round; loans without a round last (key None)
    totals: list[IndicatorTotal]  # in the catalogue's order
    not_added: list[NotAdded]
    loans: list[LoanStatus]  # off track, needs attention, no report, on track


def _norm(text: str | None) -> str:
    return " ".join((text or "").split()).casefold()


def _attribution(indicators: Mapping[str, Any]) -> Attribution:
    attribution = indicators.get("attribution", "whole")
    if attribution not in ATTRIBUTIONS:
        raise ValueError(f"attribution must be one of {', '.join(ATTRIBUTIONS)}: {attribution!r}")
    return attribution  # type: ignore[no-any-return]


def _reference(indicators: Mapping[str, Any]) -> Reference | None:
    data = indicators.get("attribution_reference")
    return Reference.model_validate(data) if data else None


def _title(entry: Mapping[str, Any] | None) -> LocalizedText | None:
    return LocalizedText.model_validate(entry["title"]) if entry and entry.get("title") else None


def _untitled(indicator_id: str) -> LocalizedText:
    return LocalizedText(sv=indicator_id, en=indicator_id)


def _not_added_reason(
    goal: GoalProgress, catalogue: Mapping[str, Mapping[str, Any]]
) -> NotAddedReason | None:
    """Why the goal is not added up; None when it is."""
    entry = catalogue.get(goal.indicator_id)
    if entry is None:
        return NotAddedReason.own_indicator
    if not entry.get("additive", False):
        return NotAddedReason.not_additive
    if goal.indicator_version != 1:
        return NotAddedReason.changed_definition
    if _norm(goal.unit) != _norm(entry.get("unit")):
        return NotAddedReason.unit_differs
    if goal.value is None:
        return NotAddedReason.no_value
    return None


def _add(figures: dict[str, int], verdict: FollowUpVerdict | None, status: str) -> None:
    figures["loans"] += 1
    figures[status] += 1
    if verdict is None:
        return
    if verdict.report_received and verdict.people_reached is not None:
        figures["people_reached"] += verdict.people_reached
        figures["people_reached_loans"] += 1
    figures["goals"] += len(verdict.goals)
    figures["goals_reported"] += sum(g.value is not None for g in verdict.goals)
    figures["goals_met"] += sum(g.target_met is True for g in verdict.goals)


def _empty() -> dict[str, int]:
    return dict.fromkeys(GroupFigures.model_fields.keys() - {"key"}, 0)


def portfolio(
    loans: Iterable[LoanFollowUp],
    *,
    indicators: Mapping[str, Any],
    year: int | None = None,
) -> Portfolio:
    """The portfolio for reporting ``year`` (None: each loan's latest verdict).

    ``indicators`` is the follow-up ruleset's ``.indicators`` (the catalogue and the
    attribution). Counts per category and round; people reached and goals over the reports
    of the year; indicator totals as the module says, each attributed as the catalogue says
    (``whole`` effect, or ``financed_share``: value × loan amount / total investment).
    """
    attribution = _attribution(indicators)
    catalogue: Mapping[str, Mapping[str, Any]] = indicators.get("indicators", {})
    overall = _empty()
    by_category = {category.value: _empty() for category in Category}
    by_round: dict[str | None, dict[str, int]] = {}
    rows: list[LoanStatus] = []
    sums: dict[tuple[str, int, str], list[Contribution]] = {}
    left_out: dict[tuple[NotAddedReason, str | None, int | None, str | None], list[str]] = {}
    for loan in loans:
        verdict = loan.verdict(year)
        status = status_of(verdict)
        for figures in (
            overall,
            by_category.setdefault(loan.category.value, _empty()),
            by_round.setdefault(loan.round, _empty()),
        ):
            _add(figures, verdict, status)
        goals = verdict.goals if verdict is not None else []
        rows.append(
            LoanStatus(
                application_id=loan.application_id,
                project_title=loan.project_title,
                organisation_name=loan.organisation_name,
                category=loan.category,
                round=loan.round,
                reporting_year=verdict.reporting_year if verdict else None,
                status=status,
                people_reached=verdict.people_reached if verdict else None,
                goals=len(goals),
                goals_reported=sum(g.value is not None for g in goals),
                goals_met=sum(g.target_met is True for g in goals),
            )
        )
        if verdict is None or not verdict.report_received:
            continue
        share = 1.0 if attribution == "whole" else loan.financed_share
        for goal in goals:
            reason = _not_added_reason(goal, catalogue)
            if reason is None:
                assert goal.value is not None and goal.unit is not None
                sums.setdefault((goal.indicator_id, goal.indicator_version, goal.unit), []).append(
                    Contribution(
                        application_id=loan.application_id,
                        reporting_year=verdict.reporting_year,
                        goal=goal.number,
                        value=goal.value,
                        share=round(share, 6),
                        attributed=round(goal.value * share, 4),
                    )
                )
                continue
            own = reason is NotAddedReason.own_indicator
            key = (
                reason,
                None if own else goal.indicator_id,
                None if own else goal.indicator_version,
                None if own else goal.unit,
            )
            left_out.setdefault(key, []).append(loan.application_id)
    order = {indicator_id: index for index, indicator_id in enumerate(catalogue)}
    totals = [
        IndicatorTotal(
            indicator_id=indicator_id,
            indicator_version=version,
            unit=unit,
            title=_title(catalogue[indicator_id]) or _untitled(indicator_id),
            catalogue_version=int(catalogue[indicator_id].get("version", 1)),
            attribution=attribution,
            value=round(sum(c.attributed for c in parts), 4),
            loans=len({c.application_id for c in parts}),
            reporting_years=sorted({c.reporting_year for c in parts}),
            contributions=parts,
        )
        for (indicator_id, version, unit), parts in sorted(
            sums.items(), key=lambda item: (order[item[0][0]], item[0][1], item[0][2])
        )
    ]
    reason_order = {reason: index for index, reason in enumerate(NotAddedReason)}
    not_added = [
        NotAdded(
            reason=reason,
            indicator_id=indicator_id,
            indicator_version=version,
            unit=unit,
            title=_title(catalogue.get(indicator_id)) if indicator_id else None,
            goals=len(ids),
            application_ids=sorted(set(ids)),
        )
        for (reason, indicator_id, version, unit), ids in sorted(
            left_out.items(),
            key=lambda item: (
                order.get(item[0][1] or "", len(order)),
                item[0][1] or "",
                reason_order[item[0][0]],
                item[0][2] or 0,
                item[0][3] or "",
            ),
        )
    ]
    rounds = sorted(by_round, key=lambda r: (r is None, r or ""))
    return Portfolio(
        year=year,
        attribution=attribution,
        attribution_reference=_reference(indicators),
        overall=GroupFigures(**overall),
        by_category=[GroupFigures(key=code, **figures) for code, figures in by_category.items()],
        by_round=[GroupFigures(key=r, **by_round[r]) for r in rounds],
        totals=totals,
        not_added=not_added,
        loans=sorted(
            rows,
            key=lambda row: (_ATTENTION_ORDER[row.status], row.category.value, row.application_id),
        ),
    )


# ---------------------------------------------------------------- rows for impact reporting

INDICATOR_COLUMNS: Final[tuple[str, ...]] = (
    "application_id",
    "round",
    "category",
    "reporting_year",
    "goal",
    "indicator_id",
    "indicator_version",
    "unit",
    "baseline_value",
    "baseline_year",
    "target_value",
    "target_year",
    "value",
    "measured_year",
    "path_value",
    "shortfall_percent",
    "target_met",
    "outcome",
)
"""The columns of :func:`indicator_rows` and :func:`indicator_csv`, in order."""


def indicator_rows(loans: Iterable[LoanFollowUp]) -> list[dict[str, Any]]:
    """One row per loan × effect goal × reporting year (loans in the order given, years
    oldest first, goals by number), for the lender's yearly impact reporting. Values as they
    are (None where there is none). Nothing about a person: the models hold none."""
    rows: list[dict[str, Any]] = []
    for loan in loans:
        for verdict in loan.verdicts:
            for goal in sorted(verdict.goals, key=lambda g: g.number):
                rows.append(
                    {
                        "application_id": loan.application_id,
                        "round": loan.round,
                        "category": loan.category.value,
                        "reporting_year": verdict.reporting_year,
                        "goal": goal.number,
                        "indicator_id": goal.indicator_id,
                        "indicator_version": goal.indicator_version,
                        "unit": goal.unit,
                        "baseline_value": goal.baseline_value,
                        "baseline_year": goal.baseline_year,
                        "target_value": goal.target_value,
                        "target_year": goal.target_year,
                        "value": goal.value,
                        "measured_year": goal.measured_year,
                        "path_value": goal.path_value,
                        "shortfall_percent": goal.shortfall_percent,
                        "target_met": goal.target_met,
                        "outcome": verdict.outcome.value,
                    }
                )
    return rows


_FORMULA_START: Final = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> str:
    """A CSV cell a spreadsheet reads as meant: empty for none, true/false, numbers in their
    shortest exact form with '.' as the decimal sign (83, 82.5), and text that a spreadsheet
    would take for a formula made inert with a leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def indicator_csv(loans: Iterable[LoanFollowUp], *, delimiter: str = ";") -> str:
    """:func:`indicator_rows` as CSV text: a header row of :data:`INDICATOR_COLUMNS`, ``;``
    between cells (a Swedish spreadsheet reads the comma as the decimal sign), ``.`` as the
    decimal sign, lines ending in CRLF. No byte-order mark: write one (``encoding="utf-8-sig"``)
    when the file is for Excel."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(INDICATOR_COLUMNS)
    for row in indicator_rows(loans):
        writer.writerow([_cell(row[column]) for column in INDICATOR_COLUMNS])
    return buffer.getvalue()


__all__ = [
    "ATTRIBUTIONS",
    "INDICATOR_COLUMNS",
    "NO_REPORT",
    "STATUSES",
    "Contribution",
    "GroupFigures",
    "IndicatorTotal",
    "LoanFollowUp",
    "LoanStatus",
    "NotAdded",
    "NotAddedReason",
    "Portfolio",
    "indicator_csv",
    "indicator_rows",
    "portfolio",
    "status_of",
]
