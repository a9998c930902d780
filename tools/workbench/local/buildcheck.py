"""Check a ``sam build`` artifact: runtime code only, and every function imports, loads the
compiled ruleset and answers in a fresh process; measure it.

    python -m workbench.local.buildcheck [BUILD_DIR] [--runs N]

For every function of the built template: its code directory (CodeUri) and the rules layer
(ContentUri) are located, ``smoke.py`` (outside the artifact) imports the function's handler
module with nothing but the artifact on the path, with the shipped .pyc and again from a copy
without any .pyc. Prints the sizes (unzipped and zipped) and the cold-start times. Exit status
1 when anything fails.
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

SMOKE = Path(__file__).with_name("smoke.py")
EXAMPLE = Path(__file__).resolve().parents[3] / "events" / "applications"
#: What the deployed code may hold of this project: runtime packages only.
RUNTIME_PACKAGES = {"api", "screening"}
#: Modules that must never ship: the workbench, test and local tools.
DEV_MODULES = {"workbench", "moto", "pytest", "selenium", "werkzeug", "flask", "tests", "psutil"}


class _Loader(yaml.SafeLoader):
    pass


_Loader.add_multi_constructor("!", lambda loader, suffix, node: None)


def locate(build_dir: Path) -> tuple[dict[str, tuple[Path, str]], Path]:
    """Function → (code dir, handler module), and the rules layer's folder."""
    template = yaml.load((build_dir / "template.yaml").read_text("utf-8"), Loader=_Loader)
    functions: dict[str, tuple[Path, str]] = {}
    layer: Path | None = None
    for name, resource in template["Resources"].items():
        props = resource.get("Properties") or {}
        if resource["Type"] == "AWS::Serverless::Function":
            module = str(props["Handler"]).rpartition(".")[0]
            functions[name] = ((build_dir / props["CodeUri"]).resolve(), module)
        elif resource["Type"] == "AWS::Serverless::LayerVersion" and name == "RulesLayer":
            layer = (build_dir / props["ContentUri"]).resolve()
    if not functions or layer is None:
        raise SystemExit(f"{build_dir}/template.yaml: no functions or no RulesLayer")
    return functions, layer


def dev_modules(code: Path) -> list[str]:
    """Top-level modules in the artifact that are development tools, or project packages that
    are not runtime code."""
    found = []
    for entry in code.iterdir():
        name = entry.name.removesuffix(".py")
        if name in DEV_MODULES:
            found.append(name)
        elif entry.is_dir() and (entry / "__init__.py").exists() and name in RUNTIME_PACKAGES:
            continue
    return sorted(found)


def smoke(code: Path, module: str, rules: Path, python: str) -> dict[str, Any]:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "LSH_RULES_DIR": str(rules),
        "AWS_DEFAULT_REGION": "eu-north-1",
        "POWERTOOLS_SERVICE_NAME": "lsh-smoke",
        "POWERTOOLS_METRICS_NAMESPACE": "LshSmoke",
        "POWERTOOLS_LOG_LEVEL": "WARNING",
        "POWERTOOLS_METRICS_DISABLED": "true",
        "PORTAL_ROLE_NAMES": "lsh-portal",
    }
    example = next(iter(sorted(EXAMPLE.glob("*.json"))))
    # -B: never write .pyc (like Lambda's read-only /var/task); -S -E: nothing but the artifact.
    started = time.perf_counter()
    result = subprocess.run(
        [python, "-B", "-S", "-E", str(SMOKE), str(code), module, str(example)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    wall_ms = (time.perf_counter() - started) * 1000
    if result.returncode != 0:
        raise SystemExit(
            f"smoke test of {module} failed in {code}:\n{result.stdout}\n{result.stderr}"
        )
    report: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
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
    for folder in (rules, rules / "follow-up"):
        if not (folder / "compiled" / "ruleset.json").is_file():
            raise SystemExit(f"{folder}: no compiled/ruleset.json (make build compiles it)")
    code = next(iter(functions.values()))[0]
    shipped_dev = dev_modules(code)
    if shipped_dev:
        raise SystemExit(f"the artifact ships development modules: {', '.join(shipped_dev)}")
    unzipped, zipped, pycs = size(code)
    layer_unzipped, layer_zipped, _ = size(rules)
    per_function: dict[str, dict[str, Any]] = {}
    for name, (function_code, module) in functions.items():
        with_pyc = [smoke(function_code, module, rules, python) for _ in range(runs)]
        first = with_pyc[0]
        if first["status"] >= 500 or first["modules_from_outside_artifact"]:
            raise SystemExit(f"{name}: not self-contained or did not answer: {first}")
        per_function[name] = {
            "module": module,
            "status": first["status"],
            "outcome": first["outcome"],
            "notable_modules": first["notable_modules"],
            "cold_start_ms_with_pyc": round(
                statistics.median(r["process_wall_ms"] for r in with_pyc), 1
            ),
            "init_ms_with_pyc": round(statistics.median(r["init_ms"] for r in with_pyc), 1),
        }
    submit_code, submit_module = functions["SubmitFunction"]
    with tempfile.TemporaryDirectory() as tmp:
        bare = Path(tmp) / "code"
        shutil.copytree(submit_code, bare, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        without_pyc = [smoke(bare, submit_module, rules, python) for _ in range(runs)]
    return {
        "functions": sorted(functions),
        "per_function": per_function,
        "outcome": per_function["SubmitFunction"]["outcome"],
        "code_bytes": unzipped,
        "code_zip_bytes": zipped,
        "pyc_files": pycs,
        "rules_layer_bytes": layer_unzipped,
        "rules_layer_zip_bytes": layer_zipped,
        "submit_cold_start_ms_without_pyc": round(
            statistics.median(r["process_wall_ms"] for r in without_pyc), 1
        ),
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
    print(f"example        : {report['outcome']}")
    print(
        f"code package   : {report['code_bytes'] / mb:.1f} MB unzipped, "
        f"{report['code_zip_bytes'] / mb:.1f} MB zipped, {report['pyc_files']} .pyc"
    )
    print(
        f"rules layer    : {report['rules_layer_bytes'] / 1024:.0f} KB unzipped, "
        f"{report['rules_layer_zip_bytes'] / 1024:.0f} KB zipped"
    )
    for name, figures in report["per_function"].items():
        print(
            f"{name:<18}: cold start {figures['cold_start_ms_with_pyc']} ms (init "
            f"{figures['init_ms_with_pyc']} ms), loads {', '.join(figures['notable_modules'])}"
        )
    print(f"submit without .pyc: {report['submit_cold_start_ms_without_pyc']} ms")
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
