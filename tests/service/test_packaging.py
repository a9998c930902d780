"""sam build (no container) → precompiled bytecode → the artifact imports and screens an example
in a fresh process with nothing but the artifact on the path. Takes about a minute."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from api import buildcheck

REPO = Path(__file__).resolve().parents[2]
SAM = REPO / ".venv-tools" / "bin" / "sam"


@pytest.mark.packaging
def test_sam_build_artifact_screens_an_example(tmp_path: Path) -> None:
    if not SAM.exists():
        if os.environ.get("LSH_REQUIRE_TOOLS"):
            pytest.fail(f"{SAM} is missing: run `make tools`")
        pytest.skip("the tools venv is missing: `make test-packaging` creates it")
    assert sys.version_info[:2] == (3, 12), "the artifact's bytecode must come from python3.12"
    build = tmp_path / "build"
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
    report = buildcheck.check(build, runs=1)
    assert report["functions"] == ["CommitteeFunction", "RulesFunction", "SubmitFunction"]
    assert report["outcome"] == "eligible"
    assert report["pyc_files"] > 100
    assert report["rules_layer_bytes"] > 0
    assert report["code_bytes"] < 250 * 1024 * 1024  # Lambda's unzipped limit
