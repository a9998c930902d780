"""Numbers, amounts and times written the way a Swedish (or English) reader expects.

Kept apart from the templates so the formats are unit-tested once and every page agrees:
``45 000 000 kr`` with non-breaking spaces (an amount never wraps across lines), decimal comma
in Swedish, and times in Swedish local time because the committee meets in Sweden.
"""

from __future__ import annotations

from datetime import date, datetime, tzinfo
from functools import cache

from ..language import kronor, number, percent

NBSP = "\u00a0"


@cache
def _stockholm() -> tzinfo | None:
    """Europe/Stockholm when the system has tz data; None keeps the time's own offset."""
    try:
        from zoneinfo import ZoneInfo

        return ZoneInfo("Europe/Stockholm")
    except Exception:  # no tz database on the host: show the offset the time carries
        return None


def format_amount(value: int, language: str) -> str:
    """``45 000 000 kr`` (sv) or ``SEK 45,000,000`` (en), the form the rule reasons use, with
    non-breaking spaces (screening.language writes every number)."""
    return kronor(value, language, nbsp=True)


def format_number(value: float | int | None, language: str, missing: str = "–") -> str:
    """Whole numbers without decimals; otherwise up to two decimals, comma in Swedish."""
    return missing if value is None else number(value, language, nbsp=True)


def local_time(moment: datetime) -> datetime:
    zone = _stockholm()
    return moment.astimezone(zone) if zone is not None else moment


def format_datetime(moment: datetime) -> str:
    """``2026-11-22 14:03`` in Swedish local time (ISO order reads the same in both languages)."""
    return local_time(moment).strftime("%Y-%m-%d %H:%M")


def format_date(day: date | datetime) -> str:
    if isinstance(day, datetime):
        day = local_time(day).date()
    return day.isoformat()


def format_percent(value: float | None, language: str, missing: str = "–") -> str:
    """A share as a whole percent: ``83 %`` in Swedish (a space before the sign, as Swedish
    typography has it), ``83%`` in English. A share above 0 that rounds to 0 is ``<1 %``, so
    a rare override is never shown as none."""
    if value is None:
        return missing
    whole = round(value * 100)
    prefix = ""
    if whole == 0 and value > 0:
        whole, prefix = 1, "<"
    elif whole == 100 and value < 1:
        whole, prefix = 99, ">"
    return f"{prefix}{whole}{NBSP}%" if language == "sv" else f"{prefix}{whole}%"


def format_percent_figure(value: float | None, language: str, missing: str = "–") -> str:
    """A figure already in percent (a shortfall of 31.2 %): ``31,2 %`` / ``31.2%`` as
    ``screening.language.percent`` writes it, kept on one line (non-breaking spaces)."""
    if value is None:
        return missing
    return percent(value, language).replace(" ", NBSP)
