"""Write PNG screenshots (and A4 PDFs) of an example application report, a round report, a
loan's effect follow-up report and the follow-up portfolio.

    .venv/bin/python scripts/report_screenshots.py [--out screenshots] [--docs docs]

Screens the example applications in events/applications/*.json (or, while there are none, the
base application and a few variants of it), renders the pages with screening.report, and opens
them in headless Chromium: a full-page screenshot as the screen shows it, one as it prints
(print media emulated), and the A4 PDF Chromium prints. For the follow-up it checks example
loans' yearly effect reports with the follow-up rules (rules/follow-up): the base follow-up
example and some of the example applications followed 2027–2029, one of them with an indicator
redefined in 2029. The follow-up report and the portfolio also go to ``--docs`` as
``follow-up-report.png`` and ``portfolio-report.png`` (docs/reports.md shows them). Needs
/usr/bin/chromium and /usr/bin/chromedriver (scripts/install-browser.sh installs them).
"""

from __future__ import annotations

import argparse
import base64
import copy
import json
import sys
import tempfile
from collections.abc import Mapping
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any
from urllib.parse import quote

import yaml

REPO = Path(__file__).resolve().parents[1]

from chromium import CHROMEDRIVER, CHROMIUM, headless_chromium  # noqa: E402
from workbench.authoring import compile_rules  # noqa: E402
from workbench.authoring.subjects import follow_up_input  # noqa: E402

from screening.follow_up.checker import FollowUpChecker  # noqa: E402
from screening.follow_up.portfolio import LoanFollowUp, portfolio  # noqa: E402
from screening.models.effect_report import EffectReport  # noqa: E402
from screening.models.verdict import Verdict  # noqa: E402
from screening.report import (  # noqa: E402
    render_application_report,
    render_follow_up_report,
    render_portfolio_report,
    render_round_report,
)
from screening.report.render import default_report_href  # noqa: E402
from screening.report.views import screened_on  # noqa: E402
from screening.screener import Screener  # noqa: E402
from screening.validation import parse_application  # noqa: E402

WIDTH = 1100


def _variants(base: dict[str, Any]) -> list[dict[str, Any]]:
    """Stand-ins for the example applications: one per outcome, in several categories."""

    def variant(app_id: str, **changes: dict[str, Any]) -> dict[str, Any]:
        document = copy.deepcopy(base)
        document["application_id"] = app_id
        for section, values in changes.items():
            document[section].update(values)
        return document

    return [
        base,
        variant(
            "demo-0002",
            project={
                "title": "Familjecentral i Fittja med öppen förskola",
                "declared_category": "health_education_sport_culture",
                "investment_kind": "new_build",
                "municipality": "Botkyrka",
                "districts": ["Fittja"],
                "applies_for_green_loan": True,
            },
            applicant={"declares_membership": False},
        ),
        variant(
            "demo-0003",
            project={
                "title": "Drift av fritidsgård",
                "investment_kind": "operating_cost",
                "declared_category": "health_education_sport_culture",
            },
        ),
        variant(
            "demo-0004",
            project={
                "title": "Trygg belysning och upprustad park i Hovsjö",
                "declared_category": "safety_accessibility",
                "facility_kinds": ["park", "outdoor_environment"],
                "municipality": "Södertälje",
                "districts": ["Hovsjö"],
            },
        ),
    ]


def example_documents() -> list[dict[str, Any]]:
    files = sorted((REPO / "events" / "applications").glob("*.json"))
    if files:
        return [json.loads(f.read_text("utf-8")) for f in files]
    base = yaml.safe_load((REPO / "rules/examples/base-application.yaml").read_text("utf-8"))
    return _variants(base)


# ---------------------------------------------------------------- the effect follow-up

FOLLOW_UP_RULES = REPO / "rules" / "follow-up"
FOLLOW_UP_EXAMPLE = "lsh-2026-0015"  # Malmö: its indicator is redefined in 2029 (a break)
# The docs show the top of each page: the outcome and the goal charts; the portfolio's counts,
# charts and indicator totals. The whole pages are in --out.
DOCS_UNTIL = {"follow-up-report": "#goals", "portfolio-report": "#totals"}


class _ReportDay:
    """The checker's clock: each report is checked the day it came in (or 1 June after)."""

    def __init__(self) -> None:
        self.day = date(2030, 6, 1)

    def __call__(self) -> datetime:
        return datetime.combine(self.day, time(9, 0), UTC)


def _example(stem: str) -> dict[str, Any] | None:
    path = REPO / "events" / "applications" / f"{stem}.json"
    return json.loads(path.read_text("utf-8")) if path.exists() else None


def _goals(document: dict[str, Any], **goals: Mapping[str, Any]) -> dict[str, Any]:
    """The application with some effect goals changed (``goal_2={...}``)."""
    changed = copy.deepcopy(document)
    for name, values in goals.items():
        changed["social_content"]["effect_goals"][int(name.removeprefix("goal_")) - 1].update(
            values
        )
    return changed


def _report(
    document: dict[str, Any],
    year: int,
    values: Mapping[int, float | Mapping[str, Any]],
    people_reached: int,
) -> dict[str, Any]:
    """A report measuring goal N as approved with ``values[N]`` (a mapping: another
    definition); the investment on schedule, every intervention running."""
    approved = document["social_content"].get("effect_goals") or []
    goals = []
    for number, value in sorted(values.items()):
        goal = approved[number - 1]
        entry = {
            "goal": number,
            "indicator": goal.get("indicator"),
            "unit": goal.get("unit"),
            "measured_year": year,
            "data_source": goal.get("data_source") or "Egen mätning",
        }
        if goal.get("indicator_id"):
            entry["indicator_id"] = goal["indicator_id"]
        entry.update(value if isinstance(value, Mapping) else {"value": value})
        goals.append(entry)
    planned_end = date.fromisoformat(document["project"]["end_date"])
    built = planned_end <= date(year, 12, 31)
    interventions = document["social_content"].get("interventions") or []
    return {
        "application_id": document["application_id"],
        "reporting_year": year,
        "submitted_at": f"{year + 1}-03-16T10:00:00+01:00",
        "goals": goals,
        "people_reached": people_reached,
        "investment": (
            {"progress": "completed", "completed_on": planned_end.isoformat()}
            if built
            else {"progress": "under_way"}
        ),
        "interventions": [
            {"intervention": n, "progress": "running"} for n in range(1, len(interventions) + 1)
        ],
        "narrative": "Arbetet fortsätter enligt planen.",
    }


def _follow(
    checker: FollowUpChecker,
    day: _ReportDay,
    application: Any,
    reports: Mapping[int, EffectReport | None],
    round: str | None,
) -> LoanFollowUp:
    """The loan checked year by year, each year with the earlier reports as history."""
    history: list[EffectReport] = []
    verdicts = []
    for year in sorted(reports):
        report = reports[year]
        day.day = report.submitted_at.date() if report else date(year + 1, 6, 1)
        verdicts.append(checker.check(application, year, report, list(history), day.day))
        if report is not None:
            history.append(report)
    return LoanFollowUp.of(application, verdicts, round=round)


def follow_up_loans(checker: FollowUpChecker, day: _ReportDay) -> list[LoanFollowUp]:
    """Example loans followed 2027–2029: the base follow-up example (on track), and example
    applications with the lender's indicators where they fit — people employed locally,
    activity participants — one falling behind its path, one redefining an indicator, one
    leaving a goal out of its report, one whose 2029 report never came."""
    given = follow_up_input(
        yaml.safe_load((FOLLOW_UP_RULES / "examples" / "base-follow-up.yaml").read_text("utf-8")),
        FOLLOW_UP_RULES / "examples",
    )
    base = {r.reporting_year: r for r in [*given.history, given.report] if r is not None}
    loans = [_follow(checker, day, given.application, base, "2026-R3")]
    redefined = {
        "indicator": "Andel kvinnor som känner sig trygga att gå ute ensamma kvällstid",
        "value": 47,
    }
    plans: list[tuple[str, dict[str, Any], str | None, dict[int, Any]]] = [
        (
            "orebro-vivalla-renovation-owned-via-parent-company",
            {"goal_2": {"indicator_id": "people_employed_locally", "unit": "personer"}},
            "2026-R1",
            {
                2027: ({1: 41, 2: 6}, 1200),
                2028: ({1: 46, 2: 14}, 1650),
                2029: ({1: 50, 2: 22}, 2100),
            },
        ),
        (
            "enkopings-hyresbostader-area-investment",
            {"goal_1": {"indicator_id": "activity_participants", "unit": "personer"}},
            "2026-R1",
            {
                2027: ({1: 180, 2: 55, 3: 41, 4: 18}, 900),
                2028: ({1: 260, 2: 57, 3: 44, 4: 17}, 1100),
                2029: ({1: 330, 2: 50, 3: 46, 4: 16}, 1300),
            },
        ),
        (
            "malmo-rosengard-lit-paths",
            {},
            "2026-R2",
            {
                2027: ({1: 58, 2: 6}, 3400),
                2028: ({1: 55, 2: 10}, 3900),
                2029: ({1: redefined, 2: 14}, 4100),
            },
        ),
        (
            "goteborg-preschool-hammarkullen",
            {},
            "2026-R2",
            {2027: ({1: 74}, 310), 2028: ({1: 76}, 330), 2029: ({}, 340)},
        ),
        (
            "haninge-sports-hall-jordbro-needs-without-source",
            {},
            None,
            {2027: ({1: 360}, 420), 2028: ({1: 410}, 470), 2029: None},
        ),
        (
            "region-stockholm-youth-clinic-husby-no-baseline-years",
            {"goal_2": {"indicator_id": "activity_participants"}},
            "2026-R3",
            {2028: ({1: 150, 2: 60}, 800), 2029: ({1: 171, 2: 110}, 1150)},
        ),
    ]
    for stem, goals, round, years in plans:
        document = _example(stem)
        if document is None:
            continue
        document = _goals(document, **goals)
        reports = {
            year: (
                EffectReport.model_validate_json(json.dumps(_report(document, year, *planned)))
                if planned is not None
                else None
            )
            for year, planned in years.items()
        }
        loans.append(_follow(checker, day, parse_application(document), reports, round))
    return loans


def follow_up_pages(folder: Path, language: str) -> dict[str, Path]:
    """The follow-up reports of the example loans and their portfolio; the pages to shoot."""
    rules = compile_rules(FOLLOW_UP_RULES).ruleset
    day = _ReportDay()
    loans = follow_up_loans(FollowUpChecker(rules, clock=day), day)
    folder.mkdir(parents=True, exist_ok=True)

    def href(application_id: str) -> str:
        return quote(application_id, safe="") + ".html"

    for loan in loans:
        (folder / href(loan.application_id)).write_text(
            render_follow_up_report(loan, labels=rules.labels.values, language=language),
            encoding="utf-8",
        )
    (folder / "portfolio.html").write_text(
        render_portfolio_report(
            portfolio(loans, indicators=rules.indicators, year=2029),
            labels=rules.labels.values,
            language=language,
            loan_href=href,
        ),
        encoding="utf-8",
    )
    example = next((loan for loan in loans if loan.application_id == FOLLOW_UP_EXAMPLE), loans[0])
    return {  # the pages, in the order shot
        "follow-up-report": folder / href(example.application_id),
        "portfolio-report": folder / "portfolio.html",
    }


def driver(profile: Path) -> Any:
    return headless_chromium(profile, WIDTH, "--hide-scrollbars")


def full_page_png(
    browser: Any, target: Path, media: str = "screen", until: str | None = None
) -> None:
    """The whole page; with ``until`` (a CSS selector) only down to that element's end."""
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": media})
    height = browser.execute_script("return document.documentElement.scrollHeight")
    if until is not None:
        height = min(
            height,
            browser.execute_script(
                "const r = document.querySelector(arguments[0]).getBoundingClientRect();"
                "return Math.ceil(r.bottom + window.scrollY + 24);",
                until,
            ),
        )
    shot = browser.execute_cdp_cmd(
        "Page.captureScreenshot",
        {
            "format": "png",
            "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": WIDTH, "height": height, "scale": 1},
        },
    )
    target.write_bytes(base64.b64decode(shot["data"]))
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})


def a4_pdf(browser: Any, target: Path) -> None:
    from selenium.webdriver.common.print_page_options import PrintOptions

    options = PrintOptions()
    options.page_width, options.page_height = 21.0, 29.7
    options.background = True
    target.write_bytes(base64.b64decode(browser.print_page(options)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "screenshots")
    parser.add_argument("--lang", choices=("sv", "en"), default="sv")
    parser.add_argument(
        "--docs",
        type=Path,
        default=REPO / "docs",
        help="where the follow-up and portfolio PNGs for docs/reports.md go",
    )
    args = parser.parse_args(argv)
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        print("chromium/chromedriver missing: run scripts/install-browser.sh", file=sys.stderr)
        return 1

    ruleset = compile_rules(REPO / "rules").ruleset
    screener = Screener(ruleset)
    verdicts: list[Verdict] = [screener.screen(parse_application(d)) for d in example_documents()]
    pages = args.out / "html"
    pages.mkdir(parents=True, exist_ok=True)
    for verdict in verdicts:
        (pages / default_report_href(verdict)).write_text(
            render_application_report(
                verdict,
                labels=ruleset.labels.values,
                requirements=[r["id"] for r in ruleset.requirements],
                language=args.lang,
                round_href="index.html",
            ),
            encoding="utf-8",
        )
    # A round is the screenings made in a date range: here, the days these were screened.
    screened = [screened_on(v) for v in verdicts]
    (pages / "index.html").write_text(
        render_round_report(
            verdicts, min(screened), max(screened), labels=ruleset.labels.values, language=args.lang
        ),
        encoding="utf-8",
    )
    # The example application: the first needing review (the most to read), else the first.
    example = next((v for v in verdicts if v.outcome.value == "needs_review"), verdicts[0])
    shots = {
        "application-report": pages / default_report_href(example),
        "round-report": pages / "index.html",
    }
    documented = follow_up_pages(pages / "follow-up", args.lang)
    shots.update(documented)
    with tempfile.TemporaryDirectory(prefix="lsh-chromium-") as profile:
        browser = driver(Path(profile))
        try:
            for name, page in shots.items():
                browser.get(page.resolve().as_uri())
                full_page_png(browser, args.out / f"{name}.png")
                full_page_png(browser, args.out / f"{name}-print.png", media="print")
                a4_pdf(browser, args.out / f"{name}-a4.pdf")
                for suffix in (".png", "-print.png", "-a4.pdf"):
                    print(f"wrote {args.out / (name + suffix)}")
                if name in documented:  # for docs/reports.md: what the page shows first
                    args.docs.mkdir(parents=True, exist_ok=True)
                    full_page_png(browser, args.docs / f"{name}.png", until=DOCS_UNTIL[name])
                    print(f"wrote {args.docs / (name + '.png')}")
        finally:
            browser.quit()
    return 0


if __name__ == "__main__":
    sys.exit(main())
