"""Swedish personal identity numbers (*personnummer*, *samordningsnummer*) in free text.

What a client sends as text (an application's answers and names, a decision's motivation, an
effect report) is stored and shown to the committee, and the service holds no personal data:
a text that contains what is, by date and check digit, a personal identity number is refused
(422, naming the field, never repeating the text). (The contact person is personal data by
design: validated, then dropped, never stored.)

Written ``YYMMDD-NNNN``, ``YYMMDD+NNNN``, ``YYYYMMDD-NNNN``, with a space or with no
separator; the day may be a samordningsnummer's (day + 60). The last digit is the Luhn check
digit over the nine before it, as in an organisation number; a number whose third digit is 2 or
more is an organisation number (a month cannot start with 2), so the two never mix.
"""

from __future__ import annotations

import re
import unicodedata

from .organisation_number import luhn_check_digit

# Between the parts people write a hyphen, a plus, spaces, an en or em dash, a minus sign, a
# non-breaking space or hyphen, or nothing; the text is NFKC-normalised first.
_SEPARATORS = r"\s\-+\u2010-\u2015\u2212"
_SEPARATOR = rf"[{_SEPARATORS}]*"
# Every text a client sends is checked, so the costly pattern only reads runs of at least ten
# digits and separators (a pattern that starts with a character class is a fast scan in `re`;
# the full pattern, starting with a look-behind, is not: 3 µs against 0.6 µs a text). A run
# starts after a non-digit and ends before one, as the full pattern's boundaries require.
_DIGIT_RUN = re.compile(rf"\d[\d{_SEPARATORS}]{{9,}}")
_CANDIDATE = re.compile(
    rf"(?<![\d])(?:19|20)?(\d{{2}}){_SEPARATOR}(\d{{2}}){_SEPARATOR}(\d{{2}})"
    rf"{_SEPARATOR}(\d{{3}})(\d)(?![\d])"
)


def _plausible(month: str, day: str, serial: str, check: str, year: str) -> bool:
    if not 1 <= int(month) <= 12:
        return False
    day_number = int(day)
    if day_number > 60:  # samordningsnummer
        day_number -= 60
    if not 1 <= day_number <= 31:
        return False
    return luhn_check_digit(f"{year}{month}{day}{serial}") == int(check)


def contains_personal_number(text: str) -> bool:
    """Whether ``text`` holds a valid-looking personal identity number."""
    normalised = unicodedata.normalize("NFKC", text)
    if len(normalised) < 10:  # the shortest way to write one: YYMMDDNNNN
        return False
    return any(
        _plausible(m.group(2), m.group(3), m.group(4), m.group(5), m.group(1))
        for run in _DIGIT_RUN.finditer(normalised)
        for m in _CANDIDATE.finditer(run.group())
    )


def refuse_personal_number(value: str | None) -> str | None:
    """A validator: ``value`` unchanged, or a ``ValueError`` if it holds a personal number."""
    # The message never repeats the text: it is personal data.
    if value is not None and contains_personal_number(value):
        raise ValueError(
            "contains what looks like a personal identity number (personnummer); the service "
            "holds no personal data: remove it"
        )
    return value
