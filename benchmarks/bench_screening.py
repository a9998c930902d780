"""Screening benchmark: latency, single-core throughput and memory over many screenings.

    make bench                      # the defaults below
    python benchmarks/bench_screening.py --screenings 100000 --json out.json

Measures, over the example corpus (events/applications/*.json, or the base application):
- latency p50/p99 of one screening (parse excluded: the application is validated once);
- throughput on one core (screenings per second, the whole verdict built);
- RSS before and after N screenings in one process (sessions must not leak).
Targets (issue 2): ≥ 3,000 screenings/s and ≤ 5 MiB RSS growth over 100,000 screenings.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

import psutil
import yaml
from workbench.authoring import compile_rules

from screening.screener import Screener
from screening.validation import parse_application

REPO = Path(__file__).resolve().parents[1]


def corpus() -> list:
    files = sorted((REPO / "events" / "applications").glob("*.json"))
    documents = [json.loads(f.read_text("utf-8")) for f in files]
    if not documents:
        base = REPO / "rules" / "examples" / "base-application.yaml"
        documents = [yaml.safe_load(base.read_text("utf-8"))]
    return [parse_application(d) for d in documents]


def machine() -> dict:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gib": round(psutil.virtual_memory().total / 2**30, 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--screenings", type=int, default=100_000)
    parser.add_argument("--latency-samples", type=int, default=5_000)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()

    process = psutil.Process()
    started = time.perf_counter()
    screener = Screener(compile_rules(REPO / "rules").ruleset)
    compile_ms = (time.perf_counter() - started) * 1000
    applications = corpus()
    outcomes = {}
    for application in applications:  # warm-up, and a sanity check of the corpus
        outcomes[application.application_id] = screener.screen(application).outcome.value

    latencies = []
    for i in range(args.latency_samples):
        application = applications[i % len(applications)]
        t0 = time.perf_counter_ns()
        screener.screen(application)
        latencies.append((time.perf_counter_ns() - t0) / 1000)
    latencies.sort()

    gc.collect()
    rss_before = process.memory_info().rss
    t0 = time.perf_counter()
    for i in range(args.screenings):
        screener.screen(applications[i % len(applications)])
    elapsed = time.perf_counter() - t0
    gc.collect()
    rss_after = process.memory_info().rss

    # The decision alone (facts + durable_rules + one result per rule), without building the
    # bilingual verdict, to show where the time goes.
    decisions = min(args.screenings, 20_000)
    t0 = time.perf_counter()
    for i in range(decisions):
        screener.evaluate(applications[i % len(applications)])
    decision_elapsed = time.perf_counter() - t0

    figures = {
        "command": " ".join([Path(sys.executable).name, *sys.argv]),
        "machine": machine(),
        "ruleset": str(screener.ruleset.version),
        "rules": len(screener.ruleset.rules),
        "corpus_applications": len(applications),
        "corpus_outcomes": dict(sorted(outcomes.items())),
        "ruleset_load_and_compile_ms": round(compile_ms, 1),
        "latency_us_p50": round(statistics.median(latencies), 1),
        "latency_us_p99": round(latencies[int(len(latencies) * 0.99) - 1], 1),
        "screenings": args.screenings,
        "throughput_per_s_one_core": round(args.screenings / elapsed),
        "decisions_per_s_one_core_no_verdict": round(decisions / decision_elapsed),
        "rss_mib_before": round(rss_before / 2**20, 1),
        "rss_mib_after": round(rss_after / 2**20, 1),
        "rss_growth_mib": round((rss_after - rss_before) / 2**20, 2),
    }
    width = max(len(k) for k in figures)
    for key, value in figures.items():
        print(f"{key:<{width}}  {value}")
    targets_met = figures["throughput_per_s_one_core"] >= 3_000 and figures["rss_growth_mib"] <= 5
    print(f"{'targets (>= 3000/s, <= 5 MiB)':<{width}}  {'met' if targets_met else 'NOT met'}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
