"""Packaging smoke test, run *inside* the built artifact (no site-packages, no repo on the path):

    python -B -S -E smoke.py ARTIFACT MODULE APPLICATION.json

Imports the function's handler module (its container init: the compiled ruleset from
$LSH_RULES_DIR), answers one request through the real handler, and prints one JSON line: the
timings, the status, and which notable modules the function loaded (the submit function must
not load Jinja2; no function may load a module from outside the artifact).
``workbench.local.buildcheck`` drives it. This file lives outside the artifact on purpose.
"""

from __future__ import annotations

import time

STARTED = time.perf_counter()


def main() -> None:
    import importlib
    import json
    import sys
    from pathlib import Path

    artifact, module_name, application = sys.argv[1], sys.argv[2], sys.argv[3]
    sys.path[:0] = [artifact]
    import_started = time.perf_counter()
    module = importlib.import_module(module_name)  # container init
    init_ms = (time.perf_counter() - import_started) * 1000

    class Context:
        function_name = "smoke"
        memory_limit_in_mb = 1024
        invoked_function_arn = "arn:aws:lambda:eu-north-1:123456789012:function:smoke"
        aws_request_id = "smoke"

        @staticmethod
        def get_remaining_time_in_millis() -> int:
            return 15_000

    event = {
        "version": "2.0",
        "routeKey": "GET /rules",
        "rawPath": "/rules",
        "rawQueryString": "",
        "headers": {},
        "requestContext": {
            "http": {"method": "GET", "path": "/rules", "sourceIp": "127.0.0.1"},
            "requestId": "smoke",
            "routeKey": "GET /rules",
            "stage": "$default",
        },
        "isBase64Encoded": False,
    }
    outcome = None
    screen_ms = None
    if module_name == "api.submit":
        from screening.validation import parse_application

        screener = module.SERVICES.ruleset.screener
        if screener is None:
            raise SystemExit(f"ruleset unavailable: {module.SERVICES.ruleset.problem}")
        body = Path(application).read_bytes()
        started = time.perf_counter()
        outcome = screener.screen(parse_application(body)).outcome.value
        screen_ms = (time.perf_counter() - started) * 1000
    reply = module.handler(event, Context())
    outside = sorted(
        name
        for name, loaded in sys.modules.items()
        if name != "__main__"
        and getattr(loaded, "__file__", None)
        and artifact not in str(loaded.__file__)
        and "/lib/python3" not in str(loaded.__file__).replace("\\", "/")
    )
    notable = sorted(
        {name.split(".")[0] for name in sys.modules}
        & {"jinja2", "durable_rules_engine", "boto3", "botocore", "yaml", "moto", "workbench"}
    )
    print(
        json.dumps(
            {
                "module": module_name,
                "status": reply["statusCode"],
                "outcome": outcome,
                "init_ms": round(init_ms, 1),
                "first_screening_ms": None if screen_ms is None else round(screen_ms, 1),
                "total_ms": round((time.perf_counter() - STARTED) * 1000, 1),
                "modules_from_outside_artifact": outside,
                "notable_modules": notable,
            }
        )
    )


if __name__ == "__main__":
    main()
