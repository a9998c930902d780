"""Check a ``sam build`` artifact: it imports and screens in a fresh process, and measure it.

    python -m api.buildcheck [BUILD_DIR] [--runs N]

For every function of the built template: the code directory (CodeUri) and the rules layer
(ContentUri) are located, ``api.smoke`` runs inside the artifact with nothing else on the path
(fresh process: import, ruleset compile, first screening), with the shipped .pyc and again
from a copy without any .pyc. Prints the sizes (unzipped and zipped) and the cold-start times.
Exit status 1 when anything fails.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from typing import Any

import yaml

RUNNER = "import sys; sys.path[:0]=[{path!r}]; import api.smoke; api.smoke.main()"


class _Loader(yaml.SafeLoader):
    pass


_Loader.add_multi_constructor("!", lambda loader, suffix, node: None)


def locate(build_dir: Path) -> tuple[dict[str, Path], Path]:
    template = yaml.load((build_dir / "template.yaml").read_text("utf-8"), Loader=_Loader)
    functions: dict[str, Path] = {}
    layer: Path | None = None
    for name, resource in template["Resources"].items():
        props = resource.get("Properties") or {}
        if resource["Type"] == "AWS::Serverless::Function":
            functions[name] = (build_dir / props["CodeUri"]).resolve()
        elif resource["Type"] == "AWS::Serverless::LayerVersion" and name == "RulesLayer":
            layer = (build_dir / props["ContentUri"]).resolve()
    if not functions or layer is None:
        raise SystemExit(f"{build_dir}/template.yaml: no functions or no RulesLayer")
    return functions, layer


def smoke(code: Path, rules: Path, python: str) -> dict[str, Any]:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "LSH_RULES_DIR": str(rules),
        "AWS_DEFAULT_REGION": "eu-north-1",
        "POWERTOOLS_SERVICE_NAME": "lsh-smoke",
        "POWERTOOLS_METRICS_NAMESPACE": "LshSmoke",
        "POWERTOOLS_LOG_LEVEL": "WARNING",
    }
    # -B: never write .pyc (like Lambda's read-only /var/task); -E would ignore
    # PYTHONDONTWRITEBYTECODE, so the flag it is. -S: nothing but the artifact on the path.
    started = time.perf_counter()
    result = subprocess.run(
        [python, "-B", "-S", "-E", "-c", RUNNER.format(path=str(code))],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    wall_ms = (time.perf_counter() - started) * 1000
    if result.returncode != 0:
        raise SystemExit(f"smoke test failed in {code}:\n{result.stdout}\n{result.stderr}")
    report = json.loads(result.stdout.strip().splitlines()[-1])
    report["process_wall_ms"] = round(wall_ms, 1)
    return report


def size(path: Path) -> tuple[int, int, int]:
    """(bytes unzipped, bytes zipped, number of .pyc files)."""
    files = [p for p in path.rglob("*") if p.is_file()]
    with tempfile.TemporaryDirectory() as tmp:
        archive = Path(tmp) / "a.zip"
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
            for p in files:
                z.write(p, p.relative_to(path))
        zipped = archive.stat().st_size
    return sum(p.stat().st_size for p in files), zipped, sum(p.suffix == ".pyc" for p in files)


def check(build_dir: Path, runs: int = 3, python: str = sys.executable) -> dict[str, Any]:
    functions, rules = locate(build_dir)
    code = next(iter(functions.values()))
    unzipped, zipped, pycs = size(code)
    layer_unzipped, layer_zipped, _ = size(rules)
    with_pyc = [smoke(code, rules, python) for _ in range(runs)]
    for other in functions.values():  # every function's copy imports and screens
        smoke(other, rules, python)
    with tempfile.TemporaryDirectory() as tmp:
        bare = Path(tmp) / "code"
        shutil.copytree(code, bare, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        without_pyc = [smoke(bare, rules, python) for _ in range(runs)]
    first = with_pyc[0]
    if first["rules_status"] != 200 or first["modules_from_outside_artifact"]:
        raise SystemExit(f"artifact not self-contained or GET /rules failed: {first}")

    def median(reports: list[dict[str, Any]], key: str) -> float:
        return round(statistics.median(r[key] for r in reports), 1)

    return {
        "functions": sorted(functions),
        "outcome": first["outcome"],
        "ruleset": first["ruleset"],
        "code_bytes": unzipped,
        "code_zip_bytes": zipped,
        "pyc_files": pycs,
        "rules_layer_bytes": layer_unzipped,
        "rules_layer_zip_bytes": layer_zipped,
        "cold_start_ms_with_pyc": {
            k: median(with_pyc, k) for k in ("process_wall_ms", "init_ms", "first_screening_ms")
        },
        "cold_start_ms_without_pyc": {
            k: median(without_pyc, k) for k in ("process_wall_ms", "init_ms", "first_screening_ms")
        },
        "runs": runs,
    }


def main(argv: list[str]) -> int:
    runs = 3
    if "--runs" in argv:
        i = argv.index("--runs")
        runs = int(argv[i + 1])
        del argv[i : i + 2]
    build_dir = Path(argv[0]) if argv else Path(".aws-sam/build")
    report = check(build_dir, runs)
    mb = 1024 * 1024
    print(f"functions      : {', '.join(report['functions'])} (one code package)")
    print(f"example        : {report['outcome']} under ruleset {report['ruleset']}")
    print(
        f"code package   : {report['code_bytes'] / mb:.1f} MB unzipped, "
        f"{report['code_zip_bytes'] / mb:.1f} MB zipped, {report['pyc_files']} .pyc"
    )
    print(
        f"rules layer    : {report['rules_layer_bytes'] / 1024:.0f} KB unzipped, "
        f"{report['rules_layer_zip_bytes'] / 1024:.0f} KB zipped"
    )
    for label, key in (
        ("with .pyc", "cold_start_ms_with_pyc"),
        ("without .pyc", "cold_start_ms_without_pyc"),
    ):
        t = report[key]
        print(
            f"cold start {label:<13}: process {t['process_wall_ms']} ms "
            f"(init: import + ruleset compile {t['init_ms']} ms, "
            f"first screening {t['first_screening_ms']} ms), median of {report['runs']}"
        )
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
