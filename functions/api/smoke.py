"""Packaging smoke test, run *inside* the built artifact (no site-packages, no repo on the path):

    python -S -E -c "import sys; sys.path[:0]=[ARTIFACT]; import api.smoke; api.smoke.main()"

Imports the handler module (container init: the ruleset from $LSH_RULES_DIR is loaded and
compiled), screens the example application, answers GET /rules through the real handler, and
prints one JSON line with the timings. ``api.buildcheck`` drives it.
"""

from __future__ import annotations

import time

STARTED = time.perf_counter()


def main() -> None:
    import json
    import os
    import sys
    from pathlib import Path

    import_started = time.perf_counter()
    from api import handlers  # container init

    init_ms = (time.perf_counter() - import_started) * 1000
    if not handlers.SERVICES.ruleset.ready:
        raise SystemExit(f"ruleset failed to load: {handlers.SERVICES.ruleset.problem}")

    import yaml

    from api.events import rules_event
    from screening import parse_application

    example = Path(os.environ["LSH_RULES_DIR"]) / "examples" / "base-application.yaml"
    document = yaml.safe_load(example.read_text("utf-8"))
    screen_started = time.perf_counter()
    verdict = handlers.SERVICES.ruleset.screener.screen(parse_application(document))
    screen_ms = (time.perf_counter() - screen_started) * 1000

    class Context:
        function_name = "smoke"
        memory_limit_in_mb = 1024
        invoked_function_arn = "arn:aws:lambda:eu-north-1:123456789012:function:smoke"
        aws_request_id = "smoke"

    reply = handlers.rules(rules_event(), Context())
    artifact = Path(handlers.__file__).resolve().parents[1]
    outside = [
        m
        for m, mod in sys.modules.items()
        if getattr(mod, "__file__", None)
        and "site-packages" in mod.__file__
        and str(artifact) not in mod.__file__
    ]
    print(
        json.dumps(
            {
                "outcome": verdict.outcome.value,
                "rules": len(verdict.rules),
                "ruleset": str(verdict.ruleset),
                "rules_status": reply["statusCode"],
                "init_ms": round(init_ms, 1),
                "first_screening_ms": round(screen_ms, 1),
                "total_ms": round((time.perf_counter() - STARTED) * 1000, 1),
                "modules_from_outside_artifact": outside,
            }
        )
    )
