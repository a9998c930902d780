"""Fixtures shared by every test folder: the real ruleset, a screener, the base application."""

from __future__ import annotations

import copy
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from screening import Screener, load_ruleset
from screening.ruleset.loader import Ruleset

REPO = Path(__file__).resolve().parents[1]
RULES = REPO / "rules"
EVENTS = REPO / "events"


@pytest.fixture(scope="session")
def ruleset() -> Ruleset:
    return load_ruleset(RULES)


@pytest.fixture(scope="session")
def screener(ruleset: Ruleset) -> Screener:
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
    """A private copy of rules/ to break or tune in a test."""
    target = tmp_path / "rules"
    shutil.copytree(RULES, target)
    return target
