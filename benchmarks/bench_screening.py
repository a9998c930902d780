"""Screening benchmark: speed against GoRules ZEN and the reference floor, throughput on one core,
the submit function against a bare handler (warm and cold), and memory over many screenings.

    make bench                                    # installs zen-engine (hashed), then this
    python benchmarks/bench_screening.py --screenings 20000 --json figures.json

Every comparison is a ratio measured in one run, interleaved (A, B, C, then B, C, A, … in
blocks), so that a shared machine's drift hits both sides alike; the median of the per-round
ratios is quoted, with its spread. The process is pinned to one CPU.

* screening: ``Screener.screen`` (validated application in, complete bilingual verdict out),
  over the example corpus (events/applications/*.json);
* vs GoRules ZEN without trace: the same Screener with ZEN deciding (benchmarks/zen_model.py
  generates its decision model from the compiled ruleset's neutral trees), so the rules,
  reasons and verdict assembly are the same; the verdicts are checked equal first;
* vs the reference floor: the same Screener with the pure-Python reference evaluator deciding;
* warm submit: ``api.submit``'s handler (POST /screenings through Powertools) against
  benchmarks/bare_handler.py, DynamoDB stubbed alike (benchmarks/service.py);
* cold start: fresh processes, import + first request, alternated submit / bare;
* RSS before and after the throughput run (100,000 screenings by default).
"""

from __future__ import annotations

import argparse
import compileall
import gc
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psutil

REPO = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve().parent
for _path in (REPO / "functions", HERE):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

import service  # noqa: E402  (benchmarks/service.py: stubs, events, the bare handler)
from screening.engine import ReferenceEngine  # noqa: E402
from screening.ruleset.compiled import load_compiled  # noqa: E402
from screening.screener import Screener  # noqa: E402
from screening.validation import parse_application  # noqa: E402

TARGETS = {
    "screenings_per_s_one_core": 3_500,  # at least
    "ratio_vs_zen": 1.0,  # at most
    "warm_submit_ratio_vs_bare": 3.0,  # at most
    "cold_start_ratio_vs_bare": 1.0,  # at most
    "rss_growth_mib": 5.0,  # at most
}


# ---------------------------------------------------------------- measuring


def interleaved(
    runs: dict[str, Callable[[int], object]], items: int, rounds: int, block: int
) -> dict[str, dict[str, float]]:
    """Each run ``block`` times per round, the order rotated every round; per-round µs per call,
    and each run's ratio to the first run, round by round."""
    names = list(runs)
    per_round: dict[str, list[float]] = {name: [] for name in names}
    for round_ in range(rounds):
        shift = round_ % len(names)
        for name in names[shift:] + names[:shift]:
            run = runs[name]
            started = time.perf_counter()
            for i in range(block):
                run(i % items)
            per_round[name].append((time.perf_counter() - started) / block * 1e6)
    base = per_round[names[0]]
    out = {}
    for name in names:
        ratios = [a / b for a, b in zip(per_round[name], base, strict=True)]
        out[name] = {
            "us_median": round(statistics.median(per_round[name]), 1),
            "us_min": round(min(per_round[name]), 1),
            "ratio_median": round(statistics.median(ratios), 3),
            "ratio_min": round(min(ratios), 3),
            "ratio_max": round(max(ratios), 3),
        }
    return out


def cold_starts(pairs: int) -> dict[str, Any]:
    """Fresh processes, submit and bare alternately: wall and CPU seconds of each whole process
    (import + first request); the ratio pair by pair."""
    command = [sys.executable, str(HERE / "service.py"), "cold"]

    def one(which: str) -> tuple[float, float]:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        subprocess.run([*command, which], check=True, stdout=subprocess.DEVNULL)
        wall = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        return wall, cpu

    # As shipped: bytecode compiled ahead (`make build` does it for the artifact; a plain
    # import may not write .pyc, e.g. under PYTHONDONTWRITEBYTECODE). Timestamp-checked here,
    # so an edit after the benchmark is never shadowed by a stale .pyc.
    for tree in (REPO / "functions", HERE):
        compileall.compile_dir(tree, quiet=1)
    one("submit"), one("bare")  # warm-up: files in the page cache
    walls: dict[str, list[float]] = {"submit": [], "bare": []}
    cpus: dict[str, list[float]] = {"submit": [], "bare": []}
    for pair in range(pairs):
        for which in ("submit", "bare") if pair % 2 == 0 else ("bare", "submit"):
            wall, cpu = one(which)
            walls[which].append(wall)
            cpus[which].append(cpu)
    ratios = [a / b for a, b in zip(walls["submit"], walls["bare"], strict=True)]
    return {
        "submit_wall_ms_median": round(statistics.median(walls["submit"]) * 1000),
        "bare_wall_ms_median": round(statistics.median(walls["bare"]) * 1000),
        "submit_cpu_ms_median": round(statistics.median(cpus["submit"]) * 1000),
        "bare_cpu_ms_median": round(statistics.median(cpus["bare"]) * 1000),
        "ratio_median": round(statistics.median(ratios), 3),
        "ratio_min": round(min(ratios), 3),
        "ratio_max": round(max(ratios), 3),
        "pairs": pairs,
    }


def warm_submit(rounds: int, block: int) -> dict[str, dict[str, float]]:
    service.environment()
    submit_stub, bare_stub = service.StubbedDynamoDB(), service.StubbedDynamoDB()
    handlers = {
        "submit": (service.submit_handler(submit_stub), submit_stub),
        "bare": (service.bare_handler(bare_stub), bare_stub),
    }
    events = [service.event(d) for d in service.documents()]
    context = service.Context()
    for handler, stub in handlers.values():  # the first request of each, and a sanity check
        stub.expect(len(events))
        for event in events:
            response = handler(event, context)
            assert response["statusCode"] == 201, response
    runs: dict[str, Callable[[int], object]] = {}
    for name, (handler, stub) in handlers.items():
        stub.expect(rounds * block)  # every answer queued before timing
        runs[name] = lambda i, h=handler: h(events[i], context)
    return interleaved(runs, len(events), rounds, block)


def quiet_stdout() -> Callable[[], None]:
    """The service's log and metric lines go where CloudWatch would take them: away."""
    sys.stdout.flush()
    saved = os.dup(1)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)

    def restore() -> None:
        sys.stdout.flush()
        os.dup2(saved, 1)

    return restore


# ---------------------------------------------------------------- the machine


def machine(cpu: int | None) -> dict[str, Any]:
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpu": model,
        "cores": os.cpu_count(),
        "pinned_to_cpu": cpu,
        "memory_gib": round(psutil.virtual_memory().total / 2**30, 1),
        "load_average_1m": round(os.getloadavg()[0], 2),
    }


def pin() -> int | None:
    try:
        cpu = sorted(os.sched_getaffinity(0))[-1]
        os.sched_setaffinity(0, {cpu})
        return cpu
    except (AttributeError, OSError):
        return None


# ---------------------------------------------------------------- main


def same_verdicts(screeners: Sequence[Screener], applications: Sequence[Any]) -> None:
    for application in applications:
        verdicts = [
            s.screen(application).model_dump_json(exclude={"screened_at"}) for s in screeners
        ]
        assert all(v == verdicts[0] for v in verdicts), application.application_id


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--screenings", type=int, default=100_000, help="throughput/RSS run")
    parser.add_argument("--rounds", type=int, default=30, help="interleaved rounds per ratio")
    parser.add_argument("--block", type=int, default=200, help="calls per run per round")
    parser.add_argument("--cold-pairs", type=int, default=10, help="cold starts of each")
    parser.add_argument("--latency-samples", type=int, default=5_000)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()

    cpu = pin()
    started = time.perf_counter()
    ruleset = load_compiled(REPO / "rules")
    screener = Screener(ruleset)
    load_ms = (time.perf_counter() - started) * 1000
    files = sorted((REPO / "events" / "applications").glob("*.json"))
    applications = [parse_application(json.loads(f.read_text("utf-8"))) for f in files]
    outcomes = {a.application_id: screener.screen(a).outcome.value for a in applications}

    floor = Screener(ruleset, engine=ReferenceEngine(ruleset.decisions()))
    screeners: dict[str, Screener] = {"screening (durable_rules)": screener}
    try:
        from zen_model import ZenEngine

        screeners["GoRules ZEN, no trace"] = Screener(
            ruleset, engine=ZenEngine(ruleset.decisions())
        )
    except ImportError:
        print("zen-engine is not installed (pip install -r benchmarks/requirements.txt)")
    screeners["reference floor (pure Python)"] = floor
    same_verdicts(list(screeners.values()), applications)
    n = len(applications)
    ratios = interleaved(
        {name: (lambda i, s=s: s.screen(applications[i])) for name, s in screeners.items()},
        n,
        args.rounds,
        args.block,
    )

    latencies = []
    for i in range(args.latency_samples):
        t0 = time.perf_counter_ns()
        screener.screen(applications[i % n])
        latencies.append((time.perf_counter_ns() - t0) / 1000)
    latencies.sort()

    process = psutil.Process()
    for i in range(2_000):  # reason results kept by value fill up first
        screener.screen(applications[i % n])
    gc.collect()
    rss_before = process.memory_info().rss
    t0 = time.perf_counter()
    for i in range(args.screenings):
        screener.screen(applications[i % n])
    elapsed = time.perf_counter() - t0
    gc.collect()
    rss_after = process.memory_info().rss

    restore = quiet_stdout()
    try:
        warm = warm_submit(max(6, args.rounds // 3), max(20, args.block // 4))
    finally:
        restore()
    cold = cold_starts(args.cold_pairs)

    zen = ratios.get("GoRules ZEN, no trace")
    figures: dict[str, Any] = {
        "command": " ".join([Path(sys.executable).name, *sys.argv]),
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(cpu),
        "ruleset": f"{ruleset.version['version']}+{ruleset.version['content_hash']}",
        "rules": len(ruleset.rules),
        "corpus_applications": n,
        "corpus_outcomes": dict(sorted(outcomes.items())),
        "ruleset_load_and_screener_ms": round(load_ms, 1),
        "screen_interleaved": ratios,
        "ratio_vs_zen": round(1 / zen["ratio_median"], 3) if zen else None,
        "ratio_vs_reference_floor": round(
            1 / ratios["reference floor (pure Python)"]["ratio_median"], 3
        ),
        "latency_us_p50": round(statistics.median(latencies), 1),
        "latency_us_p99": round(latencies[int(len(latencies) * 0.99) - 1], 1),
        "screenings": args.screenings,
        "screenings_per_s_one_core": round(args.screenings / elapsed),
        "warm_submit_interleaved": warm,
        "warm_submit_ratio_vs_bare": warm["bare"] and round(1 / warm["bare"]["ratio_median"], 3),
        "cold_start": cold,
        "cold_start_ratio_vs_bare": cold["ratio_median"],
        "rss_mib_before": round(rss_before / 2**20, 1),
        "rss_mib_after": round(rss_after / 2**20, 1),
        "rss_growth_mib": round((rss_after - rss_before) / 2**20, 2),
    }
    report(figures)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n")
    return 0


def report(figures: dict[str, Any]) -> None:
    m = figures["machine"]
    print(f"{figures['date']}  {m['cpu']} ({m['cores']} cores, pinned to CPU {m['pinned_to_cpu']})")
    print(f"Python {m['python']}, {m['platform']}, load average {m['load_average_1m']}")
    print(f"ruleset {figures['ruleset']} ({figures['rules']} rules), ", end="")
    print(f"{figures['corpus_applications']} example applications")
    print(f"ruleset load + screener: {figures['ruleset_load_and_screener_ms']} ms\n")
    print("Full explained screening, interleaved (µs per screening; ratio to durable_rules):")
    for name, row in figures["screen_interleaved"].items():
        print(
            f"  {name:<32} {row['us_median']:>8} µs   x{row['ratio_median']:<6} "
            f"(rounds {row['ratio_min']}–{row['ratio_max']})"
        )
    print()
    rows = [
        ("screening / ZEN (no trace)", figures["ratio_vs_zen"], "≤ 1.0"),
        ("screening / reference floor", figures["ratio_vs_reference_floor"], "(the floor)"),
        ("screenings/s, one core", figures["screenings_per_s_one_core"], "≥ 3,500"),
        ("latency p50 / p99 µs", f"{figures['latency_us_p50']} / {figures['latency_us_p99']}", ""),
        ("warm submit / bare handler", figures["warm_submit_ratio_vs_bare"], "≤ 3.0"),
        ("cold start / bare handler", figures["cold_start_ratio_vs_bare"], "≤ 1.0"),
        (
            f"RSS over {figures['screenings']:,} screenings MiB",
            f"{figures['rss_mib_before']} → {figures['rss_mib_after']} "
            f"({figures['rss_growth_mib']:+})",
            "≤ +5",
        ),
    ]
    for label, value, target in rows:
        print(f"  {label:<34} {value!s:<24} {target}")
    warm = figures["warm_submit_interleaved"]
    cold = figures["cold_start"]
    print(f"\n  warm: submit {warm['submit']['us_median']} µs, bare {warm['bare']['us_median']} µs")
    print(
        f"  cold: submit {cold['submit_wall_ms_median']} ms, bare {cold['bare_wall_ms_median']} ms "
        f"wall (CPU {cold['submit_cpu_ms_median']} / {cold['bare_cpu_ms_median']} ms), "
        f"{cold['pairs']} pairs, ratio {cold['ratio_min']}–{cold['ratio_max']}"
    )
    met = []
    for key, target in TARGETS.items():
        value = figures[key]
        if value is None:
            continue
        ok = value >= target if key == "screenings_per_s_one_core" else value <= target
        met.append(f"{key} {'met' if ok else 'NOT met'}")
    print("\n  " + "; ".join(met))


if __name__ == "__main__":
    sys.exit(main())
