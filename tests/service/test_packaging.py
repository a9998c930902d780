"""sam build (no container) → the compiled ruleset into the rules layer → precompiled bytecode
→ the artifact holds runtime code only, and every function imports and answers in a fresh
process with nothing but the artifact on the path. Takes about a minute."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from workbench.local import buildcheck

REPO = Path(__file__).resolve().parents[2]
SAM = REPO / ".venv-tools" / "bin" / "sam"


@pytest.fixture(scope="module")
def build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not SAM.exists():
        if os.environ.get("LSH_REQUIRE_TOOLS"):
            pytest.fail(f"{SAM} is missing: run `make tools`")
        pytest.skip("the tools venv is missing: `make test-packaging` creates it")
    assert sys.version_info[:2] == (3, 12), "the artifact's bytecode must come from python3.12"
    build = tmp_path_factory.mktemp("sam") / "build"
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}",  # python3.12 for sam
        "SAM_CLI_TELEMETRY": "0",
    }
    subprocess.run(
        [
            str(SAM),
            "build",
            "--template-file",
            str(REPO / "template.yaml"),
            "--build-dir",
            str(build),
        ],
        cwd=REPO,
        env=env,
        check=True,
        capture_output=True,
        timeout=900,
    )
    subprocess.run(
        [sys.executable, "-m", "workbench", "rules", "compile", "--out", str(build / "RulesLayer")],
        check=True,
        capture_output=True,
        timeout=300,
    )
    subprocess.run(
        [
            sys.executable,
            "-m",
            "compileall",
            "-q",
            "-j",
            "0",
            "--invalidation-mode",
            "unchecked-hash",
            str(build),
        ],
        check=True,
        timeout=300,
    )
    return build


@pytest.mark.packaging
def test_the_artifact_holds_runtime_code_only(build: Path) -> None:
    functions, _ = buildcheck.locate(build)
    code = next(iter(functions.values()))[0]
    assert buildcheck.dev_modules(code) == []
    ours = sorted(
        p.name
        for p in code.iterdir()
        if (p / "__init__.py").exists() and p.name in {"api", "screening", "workbench"}
    )
    assert ours == ["api", "screening"]
    api_modules = sorted(p.stem for p in (code / "api").rglob("*.py"))
    for dev in ("demo", "local", "server", "events", "buildcheck", "smoke", "openapi", "tables"):
        assert dev not in api_modules
    assert not (code / "yaml").exists(), "the runtime reads no YAML"


@pytest.mark.packaging
def test_every_function_imports_only_what_its_routes_need(build: Path) -> None:
    report = buildcheck.check(build, runs=1)
    assert report["functions"] == [
        "CommitteeFunction",
        "FollowUpFunction",
        "ReportsFunction",
        "RescreenFunction",
        "RulesFunction",
        "SubmitFunction",
    ]
    assert report["outcome"] in ("eligible", "needs_review", "ineligible")
    loads = {name: set(f["notable_modules"]) for name, f in report["per_function"].items()}
    assert (
        "jinja2" not in loads["SubmitFunction"]
        and "durable_rules_engine" in loads["SubmitFunction"]
    )
    assert (
        "jinja2" in loads["ReportsFunction"]
        and "durable_rules_engine" not in loads["ReportsFunction"]
    )
    assert loads["RulesFunction"].isdisjoint({"jinja2", "durable_rules_engine", "boto3"})
    assert loads["CommitteeFunction"].isdisjoint({"jinja2", "durable_rules_engine"})
    for screens in ("RescreenFunction", "FollowUpFunction"):  # the engine, never the reports
        assert "durable_rules_engine" in loads[screens] and "jinja2" not in loads[screens]
    assert report["pyc_files"] > 100
    assert report["code_bytes"] < 250 * 1024 * 1024  # Lambda's unzipped limit
