"""Committee reports: verdicts rendered as self-contained, printable HTML pages.

from screening.report import (
    render_agreement_report, render_application_report, render_round_report,
)

html = render_application_report(
    verdict, labels=ruleset.labels, requirements=ruleset.requirements, language="sv",
    decisions=decisions,  # optional: the committee's decisions on the application
)
html = render_round_report(verdicts, date(2026, 10, 1), date(2026, 10, 31),
                           labels=ruleset.labels)
html = render_agreement_report(agreement(pairs), labels=ruleset.labels)

# The effect follow-up (screening.follow_up.portfolio): one loan, and the portfolio.
html = render_follow_up_report(loan, labels=follow_up_ruleset.labels.values)
html = render_portfolio_report(portfolio(loans, indicators=follow_up_ruleset.indicators),
                               labels=follow_up_ruleset.labels.values, loan_href=...)
"""

from .follow_up_render import render_follow_up_report, render_portfolio_report
from .render import (
    CONTENT_SECURITY_POLICY,
    default_report_href,
    render_agreement_report,
    render_application_report,
    render_round_report,
)
from .views import select_round

__all__ = [
    "CONTENT_SECURITY_POLICY",
    "default_report_href",
    "render_agreement_report",
    "render_application_report",
    "render_follow_up_report",
    "render_portfolio_report",
    "render_round_report",
    "select_round",
]
