"""One lock (uv.lock, with hashes) and the files exported from it: what the Lambda ships
(functions/requirements.txt), the dev venv (requirements/dev.txt), what builds the sdists
(requirements/build.txt); and the tools venv's own hashed pins (requirements/tools.txt)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
LOCK = tomllib.loads((REPO / "uv.lock").read_text("utf-8"))
LOCKED = {
    p["name"]: (
        p["version"],
        {d["hash"] for d in [*(p.get("wheels") or []), *([p["sdist"]] if "sdist" in p else [])]},
    )
    for p in LOCK["package"]
    if "version" in p and p.get("source", {}).get("registry")
}
EXPORTS = ["functions/requirements.txt", "requirements/dev.txt", "requirements/build.txt"]


def normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def requirements(path: Path) -> dict[str, tuple[str, set[str]]]:
    """name → (version, hashes) of a hashed requirements file (uv/pip-compile format)."""
    text = path.read_text("utf-8").replace("\\\n", " ")
    out = {}
    for line in text.splitlines():
        line = line.split("#")[0].strip()
        if not line:
            continue
        spec, *options = line.split("--hash=")
        name, _, version = spec.strip().partition("==")
        name = normal(name.split("[")[0].split(";")[0])
        version = version.split(";")[0].strip()
        out[name] = (version, {o.strip() for o in options})
    return out


@pytest.mark.parametrize("export", EXPORTS)
def test_every_export_pins_what_the_lock_pins_with_its_hashes(export: str) -> None:
    pinned = requirements(REPO / export)
    assert pinned, export
    for name, (version, hashes) in pinned.items():
        assert name in LOCKED, f"{export}: {name} is not in uv.lock (run `make lock`)"
        assert version == LOCKED[name][0], (
            f"{export}: {name}=={version}, uv.lock has {LOCKED[name][0]}"
        )
        assert hashes and hashes <= LOCKED[name][1], f"{export}: {name} hashes differ from uv.lock"


def test_the_lambda_ships_the_declared_runtime_and_no_dev_package() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["project"]
    runtime = requirements(REPO / "functions" / "requirements.txt")
    for dependency in project["dependencies"]:
        name, _, version = dependency.partition("==")
        assert runtime[normal(name)][0] == version, name
    for dev_only in ("pytest", "moto", "ruff", "mypy", "hypothesis", "pyyaml", "jinja2-cli"):
        assert dev_only not in runtime, dev_only


def test_the_dev_venv_cannot_shadow_the_sam_aware_cfn_lint() -> None:
    # cfn-lint >= 1.54 silently passes broken SAM templates; it lives only in .venv-tools.
    assert "cfn-lint" not in requirements(REPO / "requirements" / "dev.txt")
    assert "cfn-lint" not in LOCKED
    tools = requirements(REPO / "requirements" / "tools.txt")
    assert tools["cfn-lint"][0] == "1.53.3" and tools["cfn-lint"][1]
    assert all(hashes for _, hashes in tools.values())
