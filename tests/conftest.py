"""Fixtures shared by every test folder: the real rules compiled, a screener, the base
application. The compiled ruleset the service loads (rules/compiled/) is brought up to date
first, so `pytest` alone works on a fresh clone."""

from __future__ import annotations

import copy
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from workbench.authoring import Authored, compile_rules

from screening.ruleset.compiled import (
    FOLLOW_UP,
    FOLLOW_UP_DIR,
    SCREENING,
    CompiledRuleset,
    RulesetUnavailable,
    load_compiled,
    write_artifact,
)
from screening.screener import Screener

REPO = Path(__file__).resolve().parents[1]
RULES = REPO / "rules"
EVENTS = REPO / "events"


FOLLOW_UP_RULES = RULES / FOLLOW_UP_DIR


def pytest_sessionstart(session: pytest.Session) -> None:
    """Compile the rule sets the handlers load, if stale (as `make rules` does)."""
    for folder, subject in ((RULES, SCREENING), (FOLLOW_UP_RULES, FOLLOW_UP)):
        try:
            load_compiled(folder, subject)
        except RulesetUnavailable:
            write_artifact(compile_rules(folder).ruleset, folder)


@pytest.fixture(scope="session")
def authored() -> Authored:
    return compile_rules(RULES)


@pytest.fixture(scope="session")
def ruleset(authored: Authored) -> CompiledRuleset:
    return authored.ruleset


@pytest.fixture(scope="session")
def screener(ruleset: CompiledRuleset) -> Screener:
    return Screener(ruleset)


@pytest.fixture(scope="session")
def _base_document() -> dict[str, Any]:
    return yaml.safe_load((RULES / "examples" / "base-application.yaml").read_text("utf-8"))


@pytest.fixture
def base_document(_base_document: dict[str, Any]) -> dict[str, Any]:
    """A complete, valid, eligible application as a JSON-like dict (a fresh copy per test)."""
    return copy.deepcopy(_base_document)


@pytest.fixture
def rules_copy(tmp_path: Path) -> Path:
    """A private copy of rules/ to break or tune in a test (without its compiled artifact)."""
    target = tmp_path / "rules"
    shutil.copytree(RULES, target, ignore=shutil.ignore_patterns("compiled"))
    return target
