"""``screening``: screen applications, write reports, check, test and release the rules,
record decisions, measure agreement and impact, and follow granted loans' effect reports.

Exit codes: 0 done (verdicts produced, whatever they say; checks passed); 1 examples failed or
generated files stale; 2 invalid input (field errors on stderr); 3 rule-file errors.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from api.decisions import gather
from api.store.decisions import DecisionStore, DecisionTaken
from api.store.screenings import ScreeningStore
from screening.agreement import Band, agreement
from screening.models.application import Application
from screening.ruleset.compiled import (
    Releases,
    RulesetUnavailable,
    shipped_releases,
    write_artifact,
)
from screening.ruleset.release import default_rules_dir
from screening.screener import Screener

from .authoring import Authored, RulesetError, compile_rules
from .authoring.examples import ExampleRunner
from .authoring.release import bump, release_from
from .decisions_csv import ImportRefused, import_decisions
from .files import read_applications
from .follow_up_cli import add_commands as add_follow_up_commands
from .gitrules import rules_at
from .impact import base_ruleset, impact, parse_settings, progress_bar, shadow_impact, summary
from .report_files import write_reports
from .schemas import stale_schemas, write_schemas
from .stored import StoredApplication, Table, from_examples, from_export
from .text_report import format_verdict

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_INVALID_INPUT = 2
EXIT_RULES = 3


class _Exit(Exception):
    def __init__(self, code: int) -> None:
        self.code = code


def authored(args: argparse.Namespace) -> Authored:
    """The rules folder compiled; exits 3 after listing every problem."""
    try:
        return compile_rules(args.rules or default_rules_dir())
    except RulesetError as error:
        error.report()
        raise _Exit(EXIT_RULES) from error


def _applications(files: Sequence[str]) -> list:  # type: ignore[type-arg]
    read, problems = read_applications(files)
    for line in problems:
        print(line, file=sys.stderr)
    if problems:
        raise _Exit(EXIT_INVALID_INPUT)
    return read


def screeners(args: argparse.Namespace) -> Callable[[Application], tuple[Screener, Any]]:
    """Which ruleset screens an application. By default the working tree's rules (what a rule
    author is changing); with ``--as-served`` the release in force on the application's
    submission date, as the service chooses it: the working tree's rules from their
    ``effective_from``, a shipped earlier release (``releases/*.json``) before that."""
    rules = authored(args)
    if not args.as_served:
        screener = Screener(rules.ruleset)
        return lambda _: (screener, rules.ruleset)
    try:
        releases = Releases([*shipped_releases(rules.root, rules.ruleset), rules.ruleset])
    except RulesetUnavailable as error:
        for problem in error.problems:
            print(f"{rules.root}: {problem}", file=sys.stderr)
        raise _Exit(EXIT_RULES) from error
    built: dict[str, Screener] = {}

    def in_force(application: Application) -> tuple[Screener, Any]:
        ruleset = releases.in_force(application.submitted_at.date())
        version = str(ruleset.version["version"])
        if version not in built:
            built[version] = Screener(ruleset)
        return built[version], ruleset

    return in_force


def cmd_screen(args: argparse.Namespace) -> int:
    applications = _applications(args.files)
    screener_for = screeners(args)
    for index, (_, application) in enumerate(applications):
        screener, ruleset = screener_for(application)
        verdict = screener.screen(application)
        if args.json:
            print(verdict.model_dump_json())
        else:
            if index:
                print()
            print(format_verdict(verdict, args.lang, ruleset))
    return EXIT_OK


def cmd_validate(args: argparse.Namespace) -> int:
    for name, _ in _applications(args.files):
        print(f"{name}: valid")
    return EXIT_OK


def cmd_report(args: argparse.Namespace) -> int:
    applications = _applications(args.files)
    screener_for = screeners(args)
    verdicts = []
    for _, application in applications:
        screener, ruleset = screener_for(application)
        verdicts.append(screener.screen(application))
    # Labels and requirements come from the newest release used (the working tree's rules, or
    # an earlier release when every application predates them).
    for path in write_reports(verdicts, ruleset, args.out, args.lang):
        print(f"wrote {path}")
    return EXIT_OK


def cmd_rules_check(args: argparse.Namespace) -> int:
    rules = authored(args)
    for warning in rules.warnings:
        print(f"{warning} (warning)", file=sys.stderr)
    ruleset = rules.ruleset
    print(
        f"{rules.root}: {len(ruleset.rules)} rules in {len(ruleset.manifest)} files, "
        f"ruleset {ruleset.version['version']}+{ruleset.version['content_hash']}, "
        f"{ruleset.facts.property_count()} fact properties: ok"
    )
    return EXIT_OK


def cmd_rules_test(args: argparse.Namespace) -> int:
    runner = ExampleRunner(authored(args))
    outcomes = runner.rule_examples() + runner.application_examples()
    failed = [o for o in outcomes if not o.ok]
    for outcome in failed if not args.verbose else outcomes:
        print(outcome)
    print(f"{len(outcomes) - len(failed)} passed, {len(failed)} failed")
    return EXIT_FAILED if failed else EXIT_OK


def cmd_rules_compile(args: argparse.Namespace) -> int:
    rules = authored(args)
    path = write_artifact(rules.ruleset, args.out or rules.root)
    print(f"wrote {path} (ruleset {rules.ruleset.version['version']})")
    return EXIT_OK


def cmd_rules_bump(args: argparse.Namespace) -> int:
    root = args.rules or default_rules_dir()
    try:
        release, changed = bump(root, args.version, args.effective_from)
    except ValueError as error:
        print(f"{root}: {error}", file=sys.stderr)
        return EXIT_RULES
    if not changed:
        print(f"ruleset {release.version} already records these files; nothing to bump")
        return EXIT_OK
    print(
        f"ruleset {release.version} ({release.content_hash}), in force from "
        f"{release.effective_from.isoformat()}; now run `screening rules check`"
    )
    return EXIT_OK


def cmd_rules_release(args: argparse.Namespace) -> int:
    rules_dir = args.rules or default_rules_dir()
    try:
        if args.from_dir is not None:
            source = args.from_dir
        else:
            source, _ = rules_at(rules_dir, args.from_git)
        path = release_from(source, rules_dir)
    except RulesetError as error:
        error.report()
        return EXIT_RULES
    except ValueError as error:
        print(error, file=sys.stderr)
        return EXIT_INVALID_INPUT
    print(f"wrote {path}: shipped beside the current release, in force from its own date")
    return EXIT_OK


# ---------------------------------------------------------------- the stored applications


def _client(args: argparse.Namespace) -> Any:
    import boto3

    return (
        boto3.client("dynamodb", endpoint_url=args.endpoint_url)
        if args.endpoint_url
        else boto3.client("dynamodb")
    )


def _stored(args: argparse.Namespace) -> list[StoredApplication]:
    if getattr(args, "export", None):
        return list(from_export(args.export))
    if getattr(args, "table", None):
        return list(Table(_client(args), args.table).applications())
    return list(from_examples())


def cmd_decisions_import(args: argparse.Namespace) -> int:
    client = _client(args)
    screenings = ScreeningStore(client, args.table)
    decisions = DecisionStore(client, args.table)
    try:
        outcome = import_decisions(args.file, screenings, decisions)
    except ImportRefused as refused:
        for problem in refused.problems:
            print(f"{args.file}: {problem}", file=sys.stderr)
        print(f"{len(refused.problems)} problem(s); nothing was stored", file=sys.stderr)
        return EXIT_INVALID_INPUT
    except DecisionTaken:
        print(
            f"{args.file}: decisions were recorded meanwhile; nothing was stored, run again",
            file=sys.stderr,
        )
        return EXIT_FAILED
    print(f"{len(outcome.written)} decision(s) recorded, {len(outcome.unchanged)} unchanged")
    return EXIT_OK


def cmd_agreement(args: argparse.Namespace) -> int:
    if args.table:
        client = _client(args)
        pairs = gather(
            ScreeningStore(client, args.table),
            DecisionStore(client, args.table),
            args.date_from,
            args.date_to,
            args.round,
        )
    else:
        pairs = [
            pair
            for stored in _stored(args)
            if (pair := stored.decided_pair()) is not None
            and (args.round is None or pair[1].round == args.round)
            and (args.date_from is None or pair[1].decision_date >= args.date_from)
            and (args.date_to is None or pair[1].decision_date <= args.date_to)
        ]
    band = Band(low=args.low, high=args.high, min_failed=args.min_failed)
    result = agreement(
        pairs, date_from=args.date_from, date_to=args.date_to, round=args.round, band=band
    )
    rate = f"{result.agreement_rate:.0%}" if result.agreement_rate is not None else "–"
    print(
        f"{result.decided} decided; agreement {result.agreeing}/{result.comparable} ({rate}); "
        f"false rejects: {len(result.false_rejects)}"
    )
    for row in result.false_rejects:
        print(f"  FALSE REJECT {row.application_id}: {', '.join(row.deciding_rules)}")
    for rule in result.rules:
        if rule.failed:
            flag = f"  [{rule.flag}]" if rule.flag else ""
            granted = rule.granted_anyway
            print(f"  {rule.rule_id}: failed {rule.failed}, granted anyway {granted}{flag}")
    if args.json:
        args.json.write_text(result.model_dump_json(indent=2), "utf-8")
    if args.html:
        from screening.report import render_agreement_report

        ruleset = authored(args).ruleset
        args.html.write_text(
            render_agreement_report(result, labels=ruleset.labels.values, language=args.lang),
            "utf-8",
        )
        print(f"wrote {args.html}")
    return EXIT_OK


def cmd_impact(args: argparse.Namespace) -> int:
    rules_dir = args.rules or default_rules_dir()
    try:
        stored = _stored(args)
        if args.shadow:
            report = shadow_impact(stored)
        else:
            overrides = parse_settings(args.set or [], args.set_file)
            base = base_ruleset(args.base, rules_dir)
            candidate = compile_rules(rules_dir, verify_version=False, overrides=overrides).ruleset
            label = "working tree" + (" with --set" if overrides else "")
            report = impact(
                base,
                (candidate, label),
                stored,
                parameters_set=[f"{r}.{n}={v!r}" for (r, n), v in overrides.items()],
                workers=args.workers,
                progress=progress_bar() if not args.quiet else (lambda d, t: None),
            )
    except RulesetError as error:
        error.report()
        return EXIT_RULES
    except ValueError as error:
        print(error, file=sys.stderr)
        return EXIT_INVALID_INPUT
    print(summary(report))
    if args.json:
        args.json.write_text(report.model_dump_json(indent=2), "utf-8")
        print(f"wrote {args.json}")
    if args.html:
        from .impact_report import render_impact_report

        ruleset = compile_rules(rules_dir, verify_version=False).ruleset
        args.html.write_text(
            render_impact_report(
                report,
                labels=ruleset.labels.values,
                language=args.lang,
                rule_titles={r.id: r.title for r in ruleset.rules},
            ),
            "utf-8",
        )
        print(f"wrote {args.html}")
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    table = Table(_client(args), args.table)
    resume = args.resume
    if resume is None and args.resume_file and args.resume_file.is_file():
        resume = args.resume_file.read_text("utf-8").strip() or None
    mode = "a" if resume else "w"
    written = 0
    with args.out.open(mode, encoding="utf-8") as out:
        for page, token in table.pages(start=resume, page_size=args.page_size):
            for record in page:
                out.write(record.to_line() + "\n")
                written += 1
            out.flush()
            if args.resume_file:  # a stopped export resumes after the last whole page
                args.resume_file.write_text(token or "", "utf-8")
            if token:
                print(f"resume with: --resume {token}", file=sys.stderr)
    print(f"wrote {written} application(s) to {args.out}")
    return EXIT_OK


def cmd_schemas(args: argparse.Namespace) -> int:
    out = Path(args.out)
    if args.check:
        stale = stale_schemas(out)
        for name in stale:
            print(f"{out / name}: stale; run `make schemas`", file=sys.stderr)
        return EXIT_FAILED if stale else EXIT_OK
    for path in write_schemas(out):
        print(f"wrote {path}")
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="screening",
        description="Pre-screening of applications for Lån för Social Hållbarhet.",
    )
    rules_option = argparse.ArgumentParser(add_help=False)
    rules_option.add_argument(
        "--rules",
        type=Path,
        default=None,
        help=f"rules folder (default: $LSH_RULES_DIR or {default_rules_dir()})",
    )
    as_served = argparse.ArgumentParser(add_help=False)
    as_served.add_argument(
        "--as-served",
        action="store_true",
        help="screen each application by the release in force on its submitted_at, as the "
        "service does (default: the working tree's rules)",
    )
    commands = parser.add_subparsers(dest="command", required=True)

    def command(
        name: str, handler: Callable[[argparse.Namespace], int], **kw: object
    ) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, **kw)  # type: ignore[arg-type]
        sub.set_defaults(handler=handler)
        return sub

    screen = command(
        "screen",
        cmd_screen,
        parents=[rules_option, as_served],
        help="screen application files, print verdicts",
    )
    screen.add_argument("files", nargs="+", metavar="FILE")
    screen.add_argument("--lang", choices=("sv", "en"), default="sv")
    screen.add_argument("--json", action="store_true", help="each verdict as the API returns it")

    validate = command(
        "validate", cmd_validate, help="check application files against the contract"
    )
    validate.add_argument("files", nargs="+", metavar="FILE")

    report = command(
        "report",
        cmd_report,
        parents=[rules_option, as_served],
        help="screen application files and write the committee's HTML pages",
    )
    report.add_argument("files", nargs="+", metavar="FILE")
    report.add_argument("--out", required=True, type=Path, metavar="DIR")
    report.add_argument("--lang", choices=("sv", "en"), default="sv")

    rules = commands.add_parser("rules", help="check, test, compile or release the rule files")
    rules_commands = rules.add_subparsers(dest="rules_command", required=True)
    check = rules_commands.add_parser(
        "check", parents=[rules_option], help="check every rule file (file:line: problem)"
    )
    check.set_defaults(handler=cmd_rules_check)
    test = rules_commands.add_parser(
        "test", parents=[rules_option], help="run every rule's examples and example applications"
    )
    test.add_argument("-v", "--verbose", action="store_true", help="list passing examples too")
    test.set_defaults(handler=cmd_rules_test)
    compile_ = rules_commands.add_parser(
        "compile", parents=[rules_option], help="write the compiled ruleset the service loads"
    )
    compile_.add_argument(
        "--out", type=Path, default=None, help="folder (default: the rules folder)"
    )
    compile_.set_defaults(handler=cmd_rules_compile)
    bump_ = rules_commands.add_parser(
        "bump", parents=[rules_option], help="record the rule files as a new ruleset version"
    )
    bump_.add_argument("--version", default=None, help="default: YYYY.MM.N, the next one")
    bump_.add_argument(
        "--effective-from",
        type=date.fromisoformat,
        default=None,
        help="YYYY-MM-DD (default: today)",
    )
    bump_.set_defaults(handler=cmd_rules_bump)

    release = rules_commands.add_parser(
        "release",
        parents=[rules_option],
        help="ship an earlier release (git revision or folder) beside the current one",
    )
    source = release.add_mutually_exclusive_group(required=True)
    source.add_argument("--from-git", metavar="REF", help="a git revision, e.g. v2026.12.1")
    source.add_argument("--from", dest="from_dir", type=Path, metavar="DIR", help="a rules folder")
    release.set_defaults(handler=cmd_rules_release)

    table_option = argparse.ArgumentParser(add_help=False)
    table_option.add_argument(
        "--table",
        default=os.environ.get("VERDICT_TABLE"),
        help="the screening table (default: $VERDICT_TABLE)",
    )
    table_option.add_argument(
        "--endpoint-url",
        default=None,
        help="DynamoDB endpoint (default: AWS, or $AWS_ENDPOINT_URL_DYNAMODB)",
    )
    source_option = argparse.ArgumentParser(add_help=False, parents=[table_option])
    source_option.add_argument(
        "--export", type=Path, default=None, help="a `screening export` file instead of the table"
    )
    range_option = argparse.ArgumentParser(add_help=False)
    range_option.add_argument("--from", dest="date_from", type=date.fromisoformat, default=None)
    range_option.add_argument("--to", dest="date_to", type=date.fromisoformat, default=None)
    range_option.add_argument("--round", default=None, help="e.g. 2026-R3")

    decisions = commands.add_parser("decisions", help="the committee's decisions")
    decisions_commands = decisions.add_subparsers(dest="decisions_command", required=True)
    import_ = decisions_commands.add_parser(
        "import",
        parents=[table_option],
        help="record one round's decisions from a CSV (the minutes)",
    )
    import_.add_argument("file", type=Path, metavar="FILE.csv")
    import_.set_defaults(handler=cmd_decisions_import)

    agreement_ = command(
        "agreement",
        cmd_agreement,
        parents=[source_option, range_option, rules_option],
        help="how far the pre-screening agrees with the committee's decisions",
    )
    agreement_.add_argument("--low", type=float, default=0.02, help="flag override rates below")
    agreement_.add_argument("--high", type=float, default=0.30, help="flag override rates above")
    agreement_.add_argument("--min-failed", type=int, default=10)
    agreement_.add_argument("--json", type=Path, default=None)
    agreement_.add_argument("--html", type=Path, default=None)
    agreement_.add_argument("--lang", choices=("sv", "en"), default="sv")

    impact_ = command(
        "impact",
        cmd_impact,
        parents=[source_option, rules_option],
        help="re-screen stored applications under a base ruleset and the working tree's",
    )
    impact_.add_argument(
        "--base", default="HEAD", help="a git revision, a shipped release or a folder"
    )
    impact_.add_argument(
        "--set", action="append", metavar="RULE.PARAM=VALUE", help="set a parameter (repeatable)"
    )
    impact_.add_argument(
        "--set-file", type=Path, default=None, help="CSV rows: rule_id,parameter,value"
    )
    impact_.add_argument(
        "--shadow", action="store_true", help="compare stored live and shadow verdicts"
    )
    impact_.add_argument("--workers", type=int, default=None, help="default: one per core")
    impact_.add_argument("--json", type=Path, default=None)
    impact_.add_argument("--html", type=Path, default=None)
    impact_.add_argument("--lang", choices=("sv", "en"), default="sv")
    impact_.add_argument("--quiet", action="store_true", help="no progress bar")

    add_follow_up_commands(commands, rules_option, source_option, _stored)

    export = command(
        "export",
        cmd_export,
        parents=[table_option],
        help="stored applications, screenings and decisions as JSONL",
    )
    export.add_argument("--out", type=Path, required=True)
    export.add_argument("--resume", default=None, help="a token printed by a stopped export")
    export.add_argument(
        "--resume-file", type=Path, default=None, help="keep the token here between pages"
    )
    export.add_argument("--page-size", type=int, default=100)

    schemas = command("schemas", cmd_schemas, help="generate the JSON Schemas from the models")
    schemas.add_argument("--out", default="schemas")
    schemas.add_argument("--check", action="store_true", help="fail if a schema file is stale")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.handler(args))
    except _Exit as exit_:
        return exit_.code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
