"""Words and numbers in Swedish and English: the one place they are formatted.

Reasons, explanations, the terminal table and the committee's HTML pages all write numbers,
amounts, lists and outcomes through here, so they always agree: ``45 000 000 kr`` /
``SEK 45,000,000``, a decimal comma in Swedish, "1 år" / "1 year" and "2 år" / "2 years",
"Fittja och Storvreten" / "Fittja and Storvreten".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Final, Literal

Language = Literal["sv", "en"]
LANGUAGES: Final[tuple[Language, ...]] = ("sv", "en")
NBSP: Final = "\u00a0"

YES_NO: Final[Mapping[str, tuple[str, str]]] = {"sv": ("ja", "nej"), "en": ("yes", "no")}
AND: Final[Mapping[str, str]] = {"sv": "och", "en": "and"}

OUTCOME: Final[Mapping[str, Mapping[str, str]]] = {
    "sv": {
        "eligible": "Uppfyller kraven",
        "needs_review": "Behöver granskning",
        "ineligible": "Uppfyller inte kraven",
    },
    "en": {
        "eligible": "Meets the requirements",
        "needs_review": "Needs review",
        "ineligible": "Does not meet the requirements",
    },
}
FOLLOW_UP_OUTCOME: Final[Mapping[str, Mapping[str, str]]] = {
    "sv": {
        "on_track": "Enligt plan",
        "needs_attention": "Behöver uppmärksamhet",
        "off_track": "Följer inte planen",
    },
    "en": {
        "on_track": "On track",
        "needs_attention": "Needs attention",
        "off_track": "Off track",
    },
}
REPORT_STATUS: Final[Mapping[str, Mapping[str, str]]] = {
    "sv": {"received": "inkommen", "due": "ska lämnas", "overdue": "försenad"},
    "en": {"received": "received", "due": "due", "overdue": "overdue"},
}
FOLLOW_UP_SEVERITY: Final[Mapping[str, Mapping[str, str]]] = {
    "sv": {"reject": "ej enligt plan", "refer": "uppmärksamhet", "note": "notering"},
    "en": {"reject": "off track", "refer": "attention", "note": "note"},
}
RESULT: Final[Mapping[str, Mapping[str, str]]] = {
    "sv": {"passed": "Uppfylld", "failed": "Ej uppfylld", "not_applicable": "Ej tillämplig"},
    "en": {"passed": "Passed", "failed": "Failed", "not_applicable": "Not applicable"},
}
SEVERITY: Final[Mapping[str, Mapping[str, str]]] = {
    "sv": {"reject": "avslag", "refer": "granskning", "note": "notering"},
    "en": {"reject": "reject", "refer": "refer", "note": "note"},
}


MONTHS: Final[Mapping[str, tuple[str, ...]]] = {
    "sv": (
        "januari",
        "februari",
        "mars",
        "april",
        "maj",
        "juni",
        "juli",
        "augusti",
        "september",
        "oktober",
        "november",
        "december",
    ),
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
}


def month(number_: int, language: str) -> str:
    """A month by its number, 1 = January; 13 is January again (the year after)."""
    return MONTHS[language][(int(number_) - 1) % 12]


def number(value: float, language: str, *, nbsp: bool = False) -> str:
    """45000000 → '45 000 000' (sv) / '45,000,000' (en); 12.5 → '12,5' / '12.5'."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = f"{value:,}" if isinstance(value, int) else f"{value:,.2f}".rstrip("0").rstrip(".")
    if language == "sv":
        space = NBSP if nbsp else " "
        return text.replace(",", space).replace(".", ",")
    return text


def kronor(value: float, language: str, *, nbsp: bool = False) -> str:
    """``45 000 000 kr`` (sv) / ``SEK 45,000,000`` (en)."""
    space = NBSP if nbsp else " "
    amount = number(value, language, nbsp=nbsp)
    return f"{amount}{space}kr" if language == "sv" else f"SEK{space}{amount}"


def percent(value: float, language: str) -> str:
    """``30 %`` (sv, with a space as Swedish typography wants) / ``30%`` (en)."""
    return f"{number(value, language)} %" if language == "sv" else f"{number(value, language)}%"


def plural(count: float, forms: Mapping[str, str]) -> str:
    """``forms['one']`` for exactly 1, else ``forms['other']``."""
    return forms["one"] if count == 1 else forms["other"]


def quantity(count: float, forms: Mapping[str, str], language: str) -> str:
    """``1 år`` / ``15 år``; ``1 year`` / ``15 years``."""
    return f"{number(count, language)} {plural(count, forms)}"


def join(items: Sequence[str], language: str) -> str:
    """``a``; ``a och b``; ``a, b och c`` (sv) / ``a, b and c`` (en)."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {AND[language]} {items[-1]}"


def yes_no(value: bool, language: str) -> str:
    return YES_NO[language][0 if value else 1]
