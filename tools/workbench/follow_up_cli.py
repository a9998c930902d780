"""``screening follow-up``: check an effect report offline, and list the reports due.

* ``follow-up check REPORT --application APPLICATION [--earlier R …] [--on DATE]``: the report
  against the approved application's goals, with the rule files as they are now (the rule
  author's view); without REPORT, ``--year`` checks a year whose report never came (a result
  only once it is overdue on ``--on``). ``--earlier`` takes several files and may be repeated:
  every file given counts.
* ``follow-up due --on DATE [--table T | --export F]``: which granted loans have a report due
  (its window is open) or overdue on DATE.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from screening import language as lang
from screening.follow_up import due
from screening.follow_up.checker import FollowUpChecker
from screening.models.decision import DecisionKind
from screening.models.effect_report import EffectReport
from screening.models.follow_up import FollowUpVerdict
from screening.ruleset.compiled import FOLLOW_UP, FOLLOW_UP_DIR
from screening.ruleset.release import MANIFEST_FILE, default_rules_dir
from screening.validation import BodyInvalid, parse_as

from .authoring import RulesetError, compile_rules
from .files import UnreadableFile, read_application, read_document
from .stored import StoredApplication

EXIT_OK, EXIT_INVALID_INPUT, EXIT_RULES = 0, 2, 3


def follow_up_rules(rules: Path | None) -> Path:
    """The follow-up rules folder: ``--rules`` if its manifest says so, else its ``follow-up/``."""
    import yaml

    root = rules or default_rules_dir()
    manifest = root / MANIFEST_FILE
    subject = None
    if manifest.is_file():
        data = yaml.safe_load(manifest.read_text("utf-8"))
        subject = data.get("subject") if isinstance(data, dict) else None
    return root if subject == FOLLOW_UP else root / FOLLOW_UP_DIR


def checker_of(rules: Path | None) -> FollowUpChecker:
    return FollowUpChecker(compile_rules(follow_up_rules(rules)).ruleset)


def format_follow_up(verdict: FollowUpVerdict, language: str = "sv") -> str:
    """The follow-up verdict as the committee reads it in a terminal: outcome, then each rule,
    failed first."""
    words = lang.FOLLOW_UP_OUTCOME[language]
    lines = [
        f"{verdict.application_id} {verdict.reporting_year}: {words[verdict.outcome.value]}",
    ]
    order = {"failed": 0, "passed": 1, "not_applicable": 2}
    for rule in sorted(verdict.rules, key=lambda r: order[r.result.value]):
        mark = {"failed": "✗", "passed": "✓", "not_applicable": "–"}[rule.result.value]
        severity = lang.FOLLOW_UP_SEVERITY[language][rule.severity.value]
        lines.append(f"  {mark} {rule.rule_id} ({severity}): {getattr(rule.reason, language)}")
    return "\n".join(lines)


def cmd_check(args: argparse.Namespace) -> int:
    try:
        application = read_application(args.application)
        report = (
            read_document(args.report, lambda d: parse_as(EffectReport, d)) if args.report else None
        )
        earlier = [read_document(p, lambda d: parse_as(EffectReport, d)) for p in args.earlier]
    except BodyInvalid as error:
        for problem in error.errors:
            print(f"{problem.field}: {problem.message}", file=sys.stderr)
        return EXIT_INVALID_INPUT
    except UnreadableFile as error:
        print(error, file=sys.stderr)
        return EXIT_INVALID_INPUT
    year = report.reporting_year if report else args.year
    if year is None:
        print("give a REPORT, or --year for a year whose report never came", file=sys.stderr)
        return EXIT_INVALID_INPUT
    if report is not None and report.application_id != application.application_id:
        print(
            f"the report is for {report.application_id}, the application is "
            f"{application.application_id}",
            file=sys.stderr,
        )
        return EXIT_INVALID_INPUT
    try:
        checker = checker_of(args.rules)
    except RulesetError as error:
        error.report()
        return EXIT_RULES
    on = args.on or (report.submitted_at.date() if report else date.today())
    verdict = checker.check(application, year, report, earlier, on)
    print(format_follow_up(verdict, args.lang))
    if args.json:
        args.json.write_text(verdict.model_dump_json(indent=2), "utf-8")
    return EXIT_OK


def granted_on(stored: StoredApplication) -> date | None:
    decision = stored.decision
    if decision is None or decision.decision is not DecisionKind.granted:
        return None
    return decision.decision_date


def reports_due(
    stored: Sequence[StoredApplication], on: date, due_month: int
) -> list[dict[str, Any]]:
    """Every granted loan's year that is due or overdue on ``on``, oldest first."""
    rows = []
    for loan in stored:
        granted = granted_on(loan)
        if granted is None:
            continue
        received = {int(r["reporting_year"]) for r in loan.effect_reports}
        for year in due.years(granted, received, on, due_month):
            if year.status is not due.ReportStatus.received:
                rows.append(
                    {
                        "application_id": loan.application_id,
                        "reporting_year": year.reporting_year,
                        "due_on": year.due_on.isoformat(),
                        "status": year.status.value,
                    }
                )
    return sorted(rows, key=lambda r: (r["due_on"], r["application_id"]))


def cmd_due(args: argparse.Namespace, stored: Callable[[argparse.Namespace], list[Any]]) -> int:
    try:
        checker = checker_of(args.rules)
    except RulesetError as error:
        error.report()
        return EXIT_RULES
    due_month = int(checker.parameter(due.DUE_RULE, due.DUE_PARAMETER))
    rows = reports_due(stored(args), args.on, due_month)
    words = (
        {"due": "ska lämnas", "overdue": "försenad"}
        if args.lang == "sv"
        else {
            "due": "due",
            "overdue": "overdue",
        }
    )
    if not rows:
        print("Inga rapporter att lämna." if args.lang == "sv" else "No reports due.")
    for row in rows:
        print(
            f"{row['application_id']}  {row['reporting_year']}  {row['due_on']}  "
            f"{words[row['status']]}"
        )
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2, ensure_ascii=False), "utf-8")
    return EXIT_OK


def loans_of(stored: Sequence[StoredApplication]) -> list[Any]:
    """Every granted loan with its stored follow-up verdicts (the portfolio's input)."""
    from screening.follow_up.portfolio import LoanFollowUp
    from screening.validation import parse_application

    loans = []
    for loan in stored:
        if granted_on(loan) is None:
            continue
        verdicts = [FollowUpVerdict.model_validate(r["follow_up"]) for r in loan.effect_reports]
        application = parse_application(loan.application_json)
        decision = loan.decision
        loans.append(
            LoanFollowUp.of(application, verdicts, round=decision.round if decision else None)
        )
    return loans


def cmd_report(args: argparse.Namespace, stored: Callable[[argparse.Namespace], list[Any]]) -> int:
    """Per granted loan an HTML follow-up report, the portfolio page, and the indicator CSV."""
    from screening.follow_up.portfolio import indicator_csv, portfolio
    from screening.report import render_follow_up_report, render_portfolio_report

    try:
        ruleset = compile_rules(follow_up_rules(args.rules)).ruleset
    except RulesetError as error:
        error.report()
        return EXIT_RULES
    loans = loans_of(stored(args))
    args.out.mkdir(parents=True, exist_ok=True)
    labels = ruleset.labels.values
    for loan in loans:
        page = args.out / f"loan-{loan.application_id}.html"
        page.write_text(render_follow_up_report(loan, labels=labels, language=args.lang), "utf-8")
    figures = portfolio(loans, indicators=ruleset.indicators, year=args.year)
    (args.out / "portfolio.html").write_text(
        render_portfolio_report(
            figures,
            labels=labels,
            language=args.lang,
            loan_href=lambda application_id: f"loan-{application_id}.html",
        ),
        "utf-8",
    )
    # utf-8-sig: a spreadsheet opened by double-click then reads å, ä and ö right.
    (args.out / "indicators.csv").write_text(indicator_csv(loans), "utf-8-sig")
    print(f"wrote {len(loans)} loan report(s), portfolio.html and indicators.csv to {args.out}")
    return EXIT_OK


def add_commands(
    commands: Any,
    rules_option: argparse.ArgumentParser,
    source_option: argparse.ArgumentParser,
    stored: Callable[[argparse.Namespace], list[Any]],
) -> None:
    follow_up = commands.add_parser("follow-up", help="granted loans' yearly effect reports")
    sub = follow_up.add_subparsers(dest="follow_up_command", required=True)
    check = sub.add_parser(
        "check",
        parents=[rules_option],
        help="check an effect report against the approved application's goals",
    )
    check.add_argument("report", type=Path, nargs="?", metavar="REPORT")
    check.add_argument("--application", type=Path, required=True, help="the approved application")
    check.add_argument(
        "--earlier",
        type=Path,
        nargs="+",
        action="extend",
        default=[],
        help="earlier years' reports (the trend); repeat the option or list several files",
    )
    check.add_argument("--year", type=int, default=None, help="a year whose report never came")
    check.add_argument("--on", type=date.fromisoformat, default=None, help="YYYY-MM-DD")
    check.add_argument("--json", type=Path, default=None)
    check.add_argument("--lang", choices=("sv", "en"), default="sv")
    check.set_defaults(handler=cmd_check)
    due_ = sub.add_parser(
        "due",
        parents=[source_option, rules_option],
        help="which granted loans have a report due or overdue on a date",
    )
    due_.add_argument("--on", type=date.fromisoformat, required=True, help="YYYY-MM-DD")
    due_.add_argument("--json", type=Path, default=None)
    due_.add_argument("--lang", choices=("sv", "en"), default="sv")
    due_.set_defaults(handler=lambda args: cmd_due(args, stored))
    report = sub.add_parser(
        "report",
        parents=[source_option, rules_option],
        help="HTML follow-up per granted loan, the portfolio page and the indicator CSV",
    )
    report.add_argument("--out", type=Path, required=True, help="a folder")
    report.add_argument("--year", type=int, default=None, help="the portfolio's reporting year")
    report.add_argument("--lang", choices=("sv", "en"), default="sv")
    report.set_defaults(handler=lambda args: cmd_report(args, stored))
