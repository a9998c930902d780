"""``screening``: screen applications, write reports, check, test and release the rules.

Exit codes: 0 done (verdicts produced, whatever they say; checks passed); 1 examples failed or
generated files stale; 2 invalid input (field errors on stderr); 3 rule-file errors.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from screening.ruleset.compiled import write_artifact
from screening.ruleset.release import default_rules_dir
from screening.screener import Screener

from .authoring import Authored, RulesetError, compile_rules
from .authoring.examples import ExampleRunner
from .authoring.release import bump
from .files import read_applications
from .report_files import write_reports
from .schemas import stale_schemas, write_schemas
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
        for problem in error.problems:
            print(problem, file=sys.stderr)
        print(f"{len(error.problems)} problem(s) in the rule files", file=sys.stderr)
        raise _Exit(EXIT_RULES) from error


def _applications(files: Sequence[str]) -> list:  # type: ignore[type-arg]
    read, problems = read_applications(files)
    for line in problems:
        print(line, file=sys.stderr)
    if problems:
        raise _Exit(EXIT_INVALID_INPUT)
    return read


def cmd_screen(args: argparse.Namespace) -> int:
    applications = _applications(args.files)
    rules = authored(args)
    screener = Screener(rules.ruleset)
    for index, (_, application) in enumerate(applications):
        verdict = screener.screen(application)
        if args.json:
            print(verdict.model_dump_json())
        else:
            if index:
                print()
            print(format_verdict(verdict, args.lang, rules.ruleset))
    return EXIT_OK


def cmd_validate(args: argparse.Namespace) -> int:
    for name, _ in _applications(args.files):
        print(f"{name}: valid")
    return EXIT_OK


def cmd_report(args: argparse.Namespace) -> int:
    applications = _applications(args.files)
    rules = authored(args)
    screener = Screener(rules.ruleset)
    verdicts = [screener.screen(application) for _, application in applications]
    for path in write_reports(verdicts, rules.ruleset, args.out, args.lang):
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
        parents=[rules_option],
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
        parents=[rules_option],
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
