"""When a granted loan's yearly reports are due.

The first report covers the calendar year after the one the committee granted the loan in
(a loan granted in November 2026 reports on 2027 first), then every year. A year's report is
due by the end of the month ``due_month`` after the year (the follow-up rule
``report.on_time`` holds that parameter: 4 = 30 April). On a given day a year is ``received``,
``due`` (its window is open), ``overdue`` (the window has closed without a report) or not yet
due (not listed).
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

DUE_RULE = "report.on_time"
DUE_PARAMETER = "due_month"


class ReportStatus(StrEnum):
    received = "received"
    due = "due"
    overdue = "overdue"


@dataclass(frozen=True)
class YearDue:
    reporting_year: int
    due_on: date
    status: ReportStatus


def first_reporting_year(granted_on: date) -> int:
    return granted_on.year + 1


def due_on(reporting_year: int, due_month: int) -> date:
    """The last day of month ``due_month`` after the year (1 = January of the next year)."""
    year = reporting_year + 1 + (due_month - 1) // 12
    month = (due_month - 1) % 12 + 1
    return date(year, month, calendar.monthrange(year, month)[1])


def years(granted_on: date, received: Iterable[int], on: date, due_month: int) -> list[YearDue]:
    """Every reporting year of the loan whose year has ended by ``on``, with its status."""
    have = set(received)
    out = []
    for year in range(first_reporting_year(granted_on), on.year):
        deadline = due_on(year, due_month)
        if year in have:
            status = ReportStatus.received
        elif on > deadline:
            status = ReportStatus.overdue
        else:
            status = ReportStatus.due
        out.append(YearDue(year, deadline, status))
    return out
