"""``screening``: screen applications, write reports, check and test the rules, make schemas.

Exit codes: 0 verdicts produced (whatever they say) or all checks passed; 1 examples failed or
schemas stale; 2 invalid input (field errors on stderr); 3 rule-file errors.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from .models.verdict import Verdict
from .report.cli import add_report_parser
from .ruleset.examples import run_application_examples, run_rule_examples
from .ruleset.loader import Ruleset, default_rules_dir, load_ruleset
from .ruleset.problems import RulesetError
from .schemas import stale_schemas, write_schemas
from .screener import Screener
from .text_report import format_verdict
from .validation import ApplicationInvalid, parse_application

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_INVALID_INPUT = 2
EXIT_RULES = 3


class _RulesUnusable(Exception):
    pass


def _ruleset(args: argparse.Namespace) -> Ruleset:
    try:
        return load_ruleset(args.rules)
    except RulesetError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        print(f"{len(error.problems)} problem(s) in the rule files", file=sys.stderr)
        raise _RulesUnusable from error


def _read_applications(files: Sequence[str]) -> list[tuple[str, object]]:
    """Each file parsed; exits 2 after listing every invalid file's field errors."""
    parsed, invalid = [], False
    for name in files:
        try:
            document = json.loads(Path(name).read_text(encoding="utf-8"))
            parsed.append((name, parse_application(document)))
        except OSError as error:
            print(f"{name}: cannot read: {error.strerror}", file=sys.stderr)
            invalid = True
        except json.JSONDecodeError as error:
            print(f"{name}: not valid JSON (line {error.lineno}: {error.msg})", file=sys.stderr)
            invalid = True
        except ApplicationInvalid as error:
            for field_error in error.errors:
                print(f"{name}: {field_error.field}: {field_error.message}", file=sys.stderr)
            invalid = True
    if invalid:
        raise SystemExit(EXIT_INVALID_INPUT)
    return parsed


def cmd_screen(args: argparse.Namespace) -> int:
    applications = _read_applications(args.files)
    screener = Screener(_ruleset(args))
    for index, (_, application) in enumerate(applications):
        verdict: Verdict = screener.screen(application)  # type: ignore[arg-type]
        if args.json:
            print(verdict.model_dump_json())
        else:
            if index:
                print()
            print(format_verdict(verdict, args.lang, screener.ruleset))
    return EXIT_OK


def cmd_validate(args: argparse.Namespace) -> int:
    for name, _ in _read_applications(args.files):
        print(f"{name}: valid")
    return EXIT_OK


def cmd_rules_check(args: argparse.Namespace) -> int:
    ruleset = _ruleset(args)
    print(
        f"{ruleset.root}: {len(ruleset.rules)} rules, ruleset {ruleset.version}, "
        f"{ruleset.plan.property_count()} fact properties: ok"
    )
    return EXIT_OK


def cmd_rules_test(args: argparse.Namespace) -> int:
    ruleset = _ruleset(args)
    screener = Screener(ruleset)
    outcomes = run_rule_examples(ruleset, screener) + run_application_examples(ruleset, screener)
    failed = [o for o in outcomes if not o.ok]
    for outcome in failed if not args.verbose else outcomes:
        print(outcome)
    print(f"{len(outcomes) - len(failed)} passed, {len(failed)} failed")
    return EXIT_FAILED if failed else EXIT_OK


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

    screen = commands.add_parser(
        "screen", parents=[rules_option], help="screen application files and print verdicts"
    )
    screen.add_argument("files", nargs="+", metavar="FILE")
    screen.add_argument("--lang", choices=("sv", "en"), default="sv")
    screen.add_argument(
        "--json", action="store_true", help="print each verdict as the API returns it"
    )
    screen.set_defaults(handler=cmd_screen)

    validate = commands.add_parser("validate", help="check application files against the model")
    validate.add_argument("files", nargs="+", metavar="FILE")
    validate.set_defaults(handler=cmd_validate)

    rules = commands.add_parser("rules", help="check or test the rule files")
    rules_commands = rules.add_subparsers(dest="rules_command", required=True)
    check = rules_commands.add_parser(
        "check", parents=[rules_option], help="validate every rule file (file:line: problem)"
    )
    check.set_defaults(handler=cmd_rules_check)
    test = rules_commands.add_parser(
        "test", parents=[rules_option], help="run every rule's examples and example applications"
    )
    test.add_argument("-v", "--verbose", action="store_true", help="list passing examples too")
    test.set_defaults(handler=cmd_rules_test)

    add_report_parser(commands)

    schemas = commands.add_parser("schemas", help="generate the JSON Schemas from the models")
    schemas.add_argument("--out", default="schemas")
    schemas.add_argument("--check", action="store_true", help="fail if a schema file is stale")
    schemas.set_defaults(handler=cmd_schemas)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except _RulesUnusable:
        return EXIT_RULES
    except SystemExit as exit_:
        return int(exit_.code or 0)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
