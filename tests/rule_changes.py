"""Rule changes a rule author makes, applied to a copy of the rules in tests."""

from __future__ import annotations

from pathlib import Path

LONG_TERM_FILE = "05-grundkrav.yaml"


def raise_long_term_threshold(folder: Path, years: int) -> None:
    """``grundkrav_4.long_term``: the shortest time horizon taken as long-term, 10 → ``years``,
    with the rule's examples moved along (as `rules check` demands)."""
    rule_file = folder / LONG_TERM_FILE
    text = rule_file.read_text("utf-8")
    edits = [
        (
            "      min_time_horizon_years:\n        value: 10\n",
            f"      min_time_horizon_years:\n        value: {years}\n",
        ),
        (
            "      - description: Fifteen years\n        expect: passed\n      - description: Exactly",
            f"      - description: {years} years\n        application:\n"
            f"          social_content: {{time_horizon_years: {years}}}\n"
            "        expect: passed\n      - description: Exactly",
        ),
        (
            "          social_content: {time_horizon_years: 10}\n        expect: passed",
            f"          social_content: {{time_horizon_years: {years}}}\n        expect: passed",
        ),
        ("kortare än 10 år", f"kortare än {years} år"),
        ("shorter than 10 years", f"shorter than {years} years"),
    ]
    for old, new in edits:
        assert old in text, f"{rule_file.name} no longer has {old!r}: update this helper"
        text = text.replace(old, new)
    rule_file.write_text(text, "utf-8")
