"""Render verdicts as self-contained HTML pages for the committee (Swedish; English on request).

Pure functions from verdicts to a string: no I/O, so the Lambda routes, the CLI and the tests
all produce the same page. Applicants' text is untrusted; the Jinja2 environment autoescapes
every value (``autoescape=True`` for every template, not only ``*.html``), the page carries a
Content-Security-Policy that forbids any script, and the pages need no JavaScript at all.
``StrictUndefined`` turns a misspelt template variable into an error instead of a blank.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date
from functools import cache
from pathlib import Path
from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from ..models.verdict import Verdict
from . import views
from .chart import stacked_bars
from .format import format_amount, format_date, format_datetime, format_number
from .words import words

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
    env.globals["csp"] = CONTENT_SECURITY_POLICY
    return env


def _common(language: str, labels: Labels) -> dict[str, object]:
    def lab(enum_name: str, value: object) -> str:
        return views.label(labels, enum_name, value, language)

    return {"lang": language, "label": lab, **words(language)}


def render_application_report(
    verdict: Verdict,
    *,
    labels: Labels,
    requirements: Sequence[str],
    history: Iterable[Verdict] = (),
    language: str = "sv",
    round_href: str | None = None,
    language_href: str | None = None,
) -> str:
    """One application's report: outcome first, then what decides it, then every rule.

    ``labels`` name enum values (``ruleset.labels.values``); ``requirements`` are the
    requirement ids in the framework's order, the order rules are grouped in.
    ``history`` may hold any verdicts; those of the same application screened
    before this one are listed. ``round_href`` and ``language_href`` add navigation links
    (hidden in print).
    """
    context = _common(language, labels)
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
    context = _common(language, labels)
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
