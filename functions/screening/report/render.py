"""Render verdicts as self-contained HTML pages for the committee (Swedish; English on request).

Pure functions from verdicts to a string: no I/O, so the Lambda routes, the CLI and the tests
all produce the same page. Applicants' text is untrusted; the Jinja2 environment autoescapes
every value (``autoescape=True`` for every template, not only ``*.html``), the page carries a
Content-Security-Policy that forbids any script, and the pages need no JavaScript at all.
``StrictUndefined`` turns a misspelt template variable into an error instead of a blank.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from functools import cache
from pathlib import Path
from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from ..agreement import Agreement
from ..models.common import LocalizedText
from ..models.decision import Decision, DecisionKind
from ..models.verdict import Outcome, Verdict
from . import views
from .chart import stacked_bars
from .format import (
    format_amount,
    format_date,
    format_datetime,
    format_number,
    format_percent,
    format_percent_figure,
)
from .words import OUTCOME, OUTCOME_ICON, words

TEMPLATES = Path(__file__).resolve().parent / "templates"

CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
    "base-uri 'none'; form-action 'none'"
)
"""Also sent as a header by the Lambda routes; the meta tag covers pages read from files."""

Labels = views.Labels


def default_report_href(verdict: Verdict) -> str:
    """The CLI's layout: ``<application_id>.html`` beside the round report."""
    return quote(verdict.application_id, safe="") + ".html"


@cache
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["number"] = format_number
    env.filters["amount"] = format_amount
    env.filters["datetime"] = format_datetime
    env.filters["date"] = format_date
    env.filters["percent"] = format_percent
    env.filters["percent_figure"] = format_percent_figure
    env.globals["csp"] = CONTENT_SECURITY_POLICY
    return env


def page_context(language: str, labels: Labels) -> dict[str, object]:
    """What every page's template needs: the language, enum labels and the fixed words."""

    def lab(enum_name: str, value: object) -> str:
        return views.label(labels, enum_name, value, language)

    return {"lang": language, "label": lab, **words(language)}


def _title_of(titles: Mapping[str, LocalizedText], language: str) -> Callable[[str], str]:
    """A rule id's title in the language; empty when unknown (the page shows the id anyway)."""

    def title(rule_id: str) -> str:
        known = titles.get(rule_id)
        return getattr(known, language) if known is not None else ""

    return title


def render_application_report(
    verdict: Verdict,
    *,
    labels: Labels,
    requirements: Sequence[str],
    history: Iterable[Verdict] = (),
    decisions: Sequence[Decision] = (),
    language: str = "sv",
    round_href: str | None = None,
    language_href: str | None = None,
) -> str:
    """One application's report: outcome first, then the committee's decision if there is
    one, then what decides the outcome, then every rule.

    ``labels`` name enum values (``ruleset.labels.values``); ``requirements`` are the
    requirement ids in the framework's order, the order rules are grouped in.
    ``history`` may hold any verdicts; those of the same application screened
    before this one are listed. ``decisions`` may hold any decisions; the application's
    latest (highest number) is shown under the outcome, the earlier ones in the history.
    ``round_href`` and ``language_href`` add navigation links (hidden in print).
    """
    latest, earlier_decisions = views.decisions_of(verdict, decisions)
    context = page_context(language, labels)
    context.update(
        latest_decision=latest,
        earlier_decisions=earlier_decisions,
        decision_accord=views.accord(verdict.outcome, latest.decision) if latest else None,
        overridden=views.overridden_results(latest, verdict) if latest else [],
        assessed=views.assessed_requirements(latest, verdict, requirements) if latest else [],
        rule_title=_title_of({r.rule_id: r.title for r in verdict.rules}, language),
    )
    context.update(
        verdict=verdict,
        summary=verdict.application,
        deciding=views.deciding_rules(verdict),
        groups=views.group_by_requirement(verdict.rules, requirements),
        history=[
            (earlier, views.failed_rules(earlier))
            for earlier in views.earlier_screenings(verdict, history)
        ],
        round_href=round_href,
        language_href=language_href,
    )
    return environment().get_template("application.html.j2").render(context)


def render_round_report(
    verdicts: Iterable[Verdict],
    date_from: date,
    date_to: date,
    *,
    labels: Labels,
    language: str = "sv",
    report_href: Callable[[Verdict], str] = default_report_href,
    language_href: str | None = None,
) -> str:
    """The round's summary (*sammanställning*) of applications submitted in the date range.

    Only applications screened from ``date_from`` to ``date_to`` (inclusive, UTC days, as in
    the service's listing) are counted, each by its latest verdict in the range.
    ``report_href`` gives each row's link to its application report (a file name for the CLI,
    a route for the service).
    """
    chosen = views.select_round(verdicts, date_from, date_to)
    category_titles = {
        code: texts.get(language, code) for code, texts in labels.get("category", {}).items()
    }
    by_outcome = views.counts_by_outcome(chosen)
    by_category = views.counts_by_category(chosen, list(category_titles))
    context = page_context(language, labels)
    context.update(
        date_from=date_from,
        date_to=date_to,
        total=len(chosen),
        by_outcome=by_outcome,
        by_category=by_category,
        chart=stacked_bars(by_category, category_titles, views.OUTCOME_ORDER),
        rows=[
            (outcome, [(v, report_href(v), views.deciding_rules(v)) for v in group])
            for outcome, group in views.group_by_outcome(chosen)
        ],
        most_failed=views.most_failed_rules(chosen),
        declared_category=views.declared_category,
        language_href=language_href,
    )
    return environment().get_template("round.html.j2").render(context)


def render_agreement_report(
    agreement: Agreement,
    *,
    labels: Labels,
    language: str = "sv",
    language_href: str | None = None,
    report_href: Callable[[str], str] | None = None,
) -> str:
    """How far the pre-screening agrees with the committee's decisions (``screening.agreement``).

    The period and the agreement rate first, then every application the pre-screening failed
    but the committee granted (the worst error) with the rules that decided it, then outcome ×
    decision as a chart and a table, the rules by how often the committee grants anyway (with
    the agreement's flags in words), and every decided application. ``report_href`` (an
    application id → its report) links the applications; without it they are not links.
    """
    rows = views.matrix_rows(agreement.matrix)
    context = page_context(language, labels)
    override_rows, quiet_rules = views.rules_by_override(agreement)
    context.update(
        agreement=agreement,
        matrix=rows,
        totals=views.decision_totals(rows),
        chart=stacked_bars(
            views.matrix_table(rows),
            {
                row.outcome: f"{OUTCOME_ICON[row.outcome]} {OUTCOME[language][row.outcome]}"
                for row in rows
            },
            views.DECISION_ORDER,
            highlight={(Outcome.ineligible, DecisionKind.granted)},
        ),
        override_rows=override_rows,
        quiet_rules=quiet_rules,
        decided=[(row, views.accord(row.outcome, row.decision)) for row in agreement.applications],
        rule_title=_title_of(views.rule_titles(agreement), language),
        report_href=report_href,
        language_href=language_href,
    )
    return environment().get_template("agreement.html.j2").render(context)
