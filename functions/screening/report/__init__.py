"""Committee reports: verdicts rendered as self-contained, printable HTML pages.

from screening.report import render_application_report, render_round_report

html = render_application_report(
    verdict, labels=ruleset.labels, requirements=ruleset.requirements, language="sv"
)
html = render_round_report(verdicts, date(2026, 10, 1), date(2026, 10, 31),
                           labels=ruleset.labels)
"""

from .render import (
    CONTENT_SECURITY_POLICY,
    default_report_href,
    render_application_report,
    render_round_report,
)
from .views import select_round

__all__ = [
    "CONTENT_SECURITY_POLICY",
    "default_report_href",
    "render_application_report",
    "render_round_report",
    "select_round",
]
