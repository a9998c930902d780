"""``make demo`` through the handler path: every application file goes to the real submit
handler (validation, screening, the conditional store, in moto's in-process DynamoDB), then the
stored verdict is read back through the committee's handler and printed as its table.

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
        return 1 if failures else 0


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
