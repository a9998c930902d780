"""``make demo`` through the handler path: every application file goes to the real submit
handler (validation, screening, the conditional store, in moto's in-process DynamoDB), then the
stored verdict is read back through the committee's handler and printed as its table. Then one
example loan is granted and followed through its yearly effect reports (events/effect-reports/).

    python -m workbench.local.demo [--lang sv|en] events/applications/*.json
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import sys
from pathlib import Path
from typing import Any

os.environ.setdefault("AWS_DEFAULT_REGION", "eu-north-1")
os.environ.update({"AWS_ACCESS_KEY_ID": "demo", "AWS_SECRET_ACCESS_KEY": "demo"})
os.environ.setdefault("VERDICT_TABLE", "lsh-screenings-demo")
os.environ.setdefault("POWERTOOLS_LOG_LEVEL", "WARNING")
os.environ.setdefault("POWERTOOLS_METRICS_DISABLED", "true")
for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL_DYNAMODB"):
    os.environ.pop(name, None)


class _Context:
    function_name = "demo"
    memory_limit_in_mb = 1024
    invoked_function_arn = "arn:aws:lambda:eu-north-1:000000000000:function:demo"
    aws_request_id = "demo"

    @staticmethod
    def get_remaining_time_in_millis() -> int:
        return 15_000


def _load(path: Path) -> str:
    text = path.read_text("utf-8")
    if path.suffix in (".yaml", ".yml"):
        import yaml

        return json.dumps(yaml.safe_load(text), ensure_ascii=False)
    return text


def run(files: list[Path], out: Any = sys.stdout, language: str = "sv") -> int:
    import boto3
    from moto import mock_aws

    from screening.models.verdict import Verdict

    from ..text_report import format_verdict
    from .events import get_event, submit_event
    from .tables import create_tables

    with mock_aws():
        create_tables(boto3.client("dynamodb"), os.environ["VERDICT_TABLE"])
        from api import committee, submit

        ruleset = submit.SERVICES.ruleset.ruleset
        if ruleset is None:
            print(f"the ruleset is unavailable: {submit.SERVICES.ruleset.problem}", file=out)
            return 1
        failures = 0
        counts: dict[str, int] = {}
        for path in files:
            with contextlib.redirect_stdout(io.StringIO()):  # metrics (EMF) lines go to stdout
                reply = submit.handler(submit_event(_load(path)), _Context())
            body = json.loads(reply["body"])
            if reply["statusCode"] not in (200, 201):
                failures += 1
                error = body["error"]
                print(
                    f"{path.name}: {reply['statusCode']} {error['code']}: {error['message']}",
                    file=out,
                )
                for field in error["fields"]:
                    print(f"    {field['field']}: {field['message']}", file=out)
                continue
            with contextlib.redirect_stdout(io.StringIO()):
                stored = committee.handler(get_event(body["application_id"]), _Context())
            latest = json.loads(stored["body"])["latest"]
            assert latest["verdict"] == body, "the stored verdict differs from the response"
            counts[body["outcome"]] = counts.get(body["outcome"], 0) + 1
            verdict = Verdict.model_validate(latest["verdict"])
            print(format_verdict(verdict, language, ruleset), file=out)
            stored_as = "lagrad som revision" if language == "sv" else "stored as revision"
            print(f"({path.name}: {stored_as} {latest['revision']})\n", file=out)
        summary = ", ".join(f"{n} {o}" for o, n in sorted(counts.items())) or "none screened"
        print(f"\n{len(files)} file(s): {summary}; {failures} refused", file=out)
        if failures == 0 and not _follow_up(out, language):
            return 1
        return 1 if failures else 0


EFFECT_REPORTS = Path(__file__).resolve().parents[3] / "events" / "effect-reports"


def _follow_up(out: Any, language: str) -> bool:
    """The rest of a loan's life: the committee grants the example loan of
    events/effect-reports/ (if it was screened above), the portal sends its yearly effect
    reports, and the committee reads the follow-up. Skipped when that loan was not screened."""
    import yaml

    from api import committee, follow_up
    from screening import language as lang

    from ..follow_up_cli import format_follow_up
    from .events import decision_event, effect_report_event, follow_up_event

    expected = yaml.safe_load((EFFECT_REPORTS / "expected.yaml").read_text("utf-8"))
    application = json.loads((EFFECT_REPORTS / expected["application"]).read_text("utf-8"))
    loan = application["application_id"]
    decision = {**expected["decision"], "screening_revision": 1, "motivation": "Tydliga mål."}
    with contextlib.redirect_stdout(io.StringIO()):
        granted = committee.handler(decision_event(loan, json.dumps(decision)), _Context())
    if granted["statusCode"] != 201:
        return True  # the loan's application was not among the files screened
    from datetime import datetime

    heading = "Uppföljning av" if language == "sv" else "Follow-up of"
    print(f"\n{heading} {loan} ({expected['decision']['round']})", file=out)
    for entry in expected["reports"]:
        if entry["earlier"] and entry["file"] != "kungalv-2028-on-track.json":
            continue  # one report per year; the other 2028 variants are for the tests
        body = (EFFECT_REPORTS / entry["file"]).read_text("utf-8")
        # The demo runs in the loan's future: each report is received when it was sent.
        sent = datetime.fromisoformat(json.loads(body)["submitted_at"])
        follow_up.SERVICES.clock = lambda sent=sent: sent
        with contextlib.redirect_stdout(io.StringIO()):
            reply = follow_up.handler(effect_report_event(body), _Context())
        verdict = json.loads(reply["body"])
        if reply["statusCode"] != 201 or verdict["outcome"] != entry["outcome"]:
            print(f"{entry['file']}: {reply['statusCode']} {verdict}", file=out)
            return False
        from screening.models.follow_up import FollowUpVerdict

        print(format_follow_up(FollowUpVerdict.model_validate(verdict), language), file=out)
    with contextlib.redirect_stdout(io.StringIO()):
        reply = follow_up.handler(follow_up_event(loan, {"on": "2030-06-01"}), _Context())
    years = json.loads(reply["body"])["years"]
    words = lang.FOLLOW_UP_OUTCOME[language]
    print("\n" + ("Läget 2030-06-01:" if language == "sv" else "As of 2030-06-01:"), file=out)
    for year in years:
        print(
            f"  {year['reporting_year']}: {lang.REPORT_STATUS[language][year['status']]}, "
            f"{words[year['follow_up']['outcome']]}",
            file=out,
        )
    return True


def main(argv: list[str]) -> int:
    language = "sv"
    if argv[:1] == ["--lang"] and len(argv) > 1:
        language, argv = argv[1], argv[2:]
    if not argv or language not in ("sv", "en"):
        print("usage: python -m workbench.local.demo [--lang sv|en] FILES...", file=sys.stderr)
        return 2
    return run([Path(a) for a in argv], language=language)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
