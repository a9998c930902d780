"""The effect follow-up as pages: one loan over the years, and the portfolio of loans.

The same discipline as ``render``: pure functions to a string, every value autoescaped,
``StrictUndefined``, no script, the Content-Security-Policy in the page, inline SVG charts.
Swedish by default. ``labels`` is a ruleset's ``labels.values`` (the screening's or the
follow-up's): the category names come from it when it has them, else from ``words.CATEGORY``.
"""

from __future__ import annotations

from collections.abc import Callable

from ..follow_up.portfolio import STATUSES, GroupFigures, LoanFollowUp, Portfolio
from . import follow_up_views as fv
from . import views
from .render import environment, page_context
from .words import CATEGORY, TEXT

Labels = views.Labels


def _category_title(labels: Labels, language: str) -> Callable[[object], str]:
    def title(code: object) -> str:
        value = str(getattr(code, "value", code))
        fallback = CATEGORY[language].get(value, value)
        return labels.get("category", {}).get(value, {}).get(language, fallback)

    return title


def render_follow_up_report(
    loan: LoanFollowUp,
    *,
    labels: Labels,
    language: str = "sv",
    language_href: str | None = None,
) -> str:
    """One loan's follow-up: the latest year's outcome first (with the rules that set it),
    the loan in brief, then a chart per effect goal over the years (the straight path from
    baseline to target, each reported value, the target, and a break where the indicator's
    definition changes), then each year's rule results, the latest year first and the failed
    rules at the top of each year."""
    latest = loan.latest
    context = page_context(language, labels)
    context.update(
        loan=loan,
        latest=latest,
        banner=latest.outcome.value if latest is not None else "no_report",
        deciding=fv.deciding_rules(latest) if latest is not None else [],
        goals=fv.goal_views(loan),
        years=fv.year_views(loan),
        category_title=_category_title(labels, language),
        language_href=language_href,
    )
    return environment().get_template("follow_up.html.j2").render(context)


def render_portfolio_report(
    portfolio: Portfolio,
    *,
    labels: Labels,
    language: str = "sv",
    language_href: str | None = None,
    loan_href: Callable[[str], str] | None = None,
) -> str:
    """The portfolio (``screening.follow_up.portfolio.portfolio``): loans on track, needing
    attention, off track and without a report, as tiles and per category and per round (a
    stacked bar chart and a table with people reached and goals met), the indicator totals
    saying whether they count the whole effect or the financed share (and what was left out,
    and why), then every loan, those needing action first. ``loan_href`` (an application id →
    its follow-up report) links the loans; without it they are not links."""
    category_title = _category_title(labels, language)
    text = TEXT[language]

    def category_of(group: GroupFigures) -> str:
        return category_title(group.key) if group.key is not None else text["round_none"]

    def round_of(group: GroupFigures) -> str:
        return group.key if group.key is not None else text["round_none"]

    context = page_context(language, labels)
    context.update(
        portfolio=portfolio,
        period=(
            text["portfolio_year"].format(year=portfolio.year)
            if portfolio.year is not None
            else text["portfolio_latest"]
        ),
        statuses=STATUSES,
        category_chart=fv.status_chart(
            portfolio.by_category, {fv.group_code(g): category_of(g) for g in portfolio.by_category}
        ),
        round_chart=fv.status_chart(
            portfolio.by_round, {fv.group_code(g): round_of(g) for g in portfolio.by_round}
        ),
        group_code=fv.group_code,
        category_of=category_of,
        round_of=round_of,
        category_title=category_title,
        loan_href=loan_href,
        language_href=language_href,
    )
    return environment().get_template("portfolio.html.j2").render(context)
