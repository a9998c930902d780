"""``screening report FILE... --out DIR``: the committee's pages as files, for offline reading.

Screens each application file locally and writes ``<application_id>.html`` per application
plus ``index.html``, the round report linking them. The lead's ``screening.cli`` adds the
subcommand with :func:`add_report_parser`. Exit codes as the rest of the CLI: 0 written, 2 an
invalid application file (every field error on stderr, nothing written), 3 rule-file errors.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from ..models.application import Application
from ..models.verdict import Verdict
from ..ruleset.loader import Ruleset, load_ruleset
from ..ruleset.problems import RulesetError
from ..screener import Screener
from ..validation import ApplicationInvalid, parse_application
from .render import default_report_href, render_application_report, render_round_report
from .views import screened_on

EXIT_OK = 0
EXIT_INVALID_INPUT = 2
EXIT_RULES = 3


def add_report_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add ``report`` to an ``argparse`` subparsers object; its handler is ``args.handler``."""
    report = subparsers.add_parser(
        "report",
        help="screen application files and write HTML reports for the committee",
        description=(
            "Screen each application file (JSON or YAML) and write one HTML report per "
            "application (<application_id>.html) and a round report (index.html) to DIR."
        ),
    )
    report.add_argument("files", nargs="+", metavar="FILE")
    report.add_argument("--out", required=True, type=Path, metavar="DIR")
    report.add_argument("--lang", choices=("sv", "en"), default="sv")
    report.add_argument(
        "--rules", type=Path, default=None, help="rules folder (default: as `screening screen`)"
    )
    report.set_defaults(handler=cmd_report)
    return report


def _read(name: str) -> Application:
    """One application file; raises ValueError with a one-line reason, or ApplicationInvalid."""
    path = Path(name)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise ValueError(f"cannot read: {error.strerror}") from error
    try:
        if path.suffix.lower() in (".yaml", ".yml"):
            document = yaml.safe_load(text)
        else:
            document = json.loads(text)
    except json.JSONDecodeError as error:
        raise ValueError(f"not valid JSON (line {error.lineno}: {error.msg})") from error
    except yaml.YAMLError as error:
        raise ValueError(f"not valid YAML ({error})") from error
    return parse_application(document)


def _read_all(files: Sequence[str]) -> list[Application] | None:
    applications, invalid = [], False
    for name in files:
        try:
            applications.append(_read(name))
        except ApplicationInvalid as error:  # before ValueError: it is one
            for field_error in error.errors:
                print(f"{name}: {field_error.field}: {field_error.message}", file=sys.stderr)
            invalid = True
        except ValueError as error:
            print(f"{name}: {error}", file=sys.stderr)
            invalid = True
    return None if invalid else applications


def write_reports(
    verdicts: Sequence[Verdict], ruleset: Ruleset, out: Path, language: str = "sv"
) -> list[Path]:
    """Write the pages; a file given twice under one application_id becomes its history."""
    out.mkdir(parents=True, exist_ok=True)
    by_id: dict[str, list[Verdict]] = {}
    for verdict in verdicts:
        by_id.setdefault(verdict.application_id, []).append(verdict)
    written = []
    for screenings in by_id.values():
        latest = max(screenings, key=lambda v: v.screened_at)
        target = out / default_report_href(latest)
        target.write_text(
            render_application_report(
                latest,
                labels=ruleset.labels,
                requirements=ruleset.requirements,
                history=screenings,
                language=language,
                round_href="index.html",
            ),
            encoding="utf-8",
        )
        written.append(target)
    days = [screened_on(v) for v in verdicts]
    index = out / "index.html"
    index.write_text(
        render_round_report(
            verdicts, min(days), max(days), labels=ruleset.labels, language=language
        ),
        encoding="utf-8",
    )
    written.append(index)
    return written


def cmd_report(args: argparse.Namespace) -> int:
    applications = _read_all(args.files)
    if applications is None:
        return EXIT_INVALID_INPUT
    try:
        ruleset = load_ruleset(args.rules)
    except RulesetError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        print(f"{len(error.problems)} problem(s) in the rule files", file=sys.stderr)
        return EXIT_RULES
    screener = Screener(ruleset)
    verdicts = [screener.screen(application) for application in applications]
    for path in write_reports(verdicts, ruleset, args.out, args.lang):
        print(f"wrote {path}")
    return EXIT_OK
