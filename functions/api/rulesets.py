"""The rulesets, loaded once per container (at import of a handler module).

Only compiled artifacts are read: ``compiled/ruleset.json`` (the current release, checked
against the rule files beside it) and ``releases/*.json`` (previous releases still in force for
applications submitted before the current one's ``effective_from``). If anything is wrong —
missing, stale, a rule file deleted, a requirement uncovered — the container stays up and every
request that needs the rules is answered 503 (nothing is screened or stored); the problems are
logged once, at init, and each refused request counts the metric ``RulesetUnavailable``.

A candidate release may ride along as ``compiled/shadow.json``: every submission is also
screened by it and the shadow verdict is stored, never returned (``screening impact --shadow``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from screening.ruleset.compiled import (
    CompiledRuleset,
    Releases,
    RulesetUnavailable,
    load_release_file,
    load_releases,
)
from screening.ruleset.release import COMPILED_DIR, default_rules_dir

from .observability import logger

if TYPE_CHECKING:
    from screening.follow_up.checker import FollowUpChecker
    from screening.screener import Screener

SHADOW = "shadow.json"


@dataclass(frozen=True)
class RulesetState:
    releases: Releases | None
    screeners: dict[str, Screener] = field(default_factory=dict)  # version → screener
    problem: str | None = None  # why it failed to load (for the log), None when loaded
    shadow: Screener | None = None

    @property
    def ready(self) -> bool:
        return self.releases is not None

    @property
    def ruleset(self) -> CompiledRuleset | None:
        """The current release."""
        return self.releases.current if self.releases else None

    @property
    def screener(self) -> Screener | None:
        """The current release's screener."""
        ruleset = self.ruleset
        return self.screeners.get(ruleset.version["version"]) if ruleset else None

    def screener_for(self, on: date, version: str | None = None) -> Screener | None:
        """The screener of the release in force on ``on``, or of the named ``version``."""
        if self.releases is None:
            return None
        ruleset = self.releases.named(version) if version else self.releases.in_force(on)
        return self.screeners.get(ruleset.version["version"]) if ruleset else None


def load(rules_dir: Path | None = None, *, engine: bool = True) -> RulesetState:
    """The releases, and screeners on durable_rules when ``engine`` (functions that screen)."""
    path = rules_dir or default_rules_dir()
    try:
        releases = load_releases(path)
        screeners: dict[str, Screener] = {}
        shadow = None
        if engine:
            from screening.screener import Screener  # the rule engine: screening functions only

            screeners = {r.version["version"]: Screener(r) for r in releases.all}
            shadow_path = path / COMPILED_DIR / SHADOW
            if shadow_path.is_file():
                shadow = Screener(load_release_file(shadow_path))
    except RulesetUnavailable as error:
        logger.error(
            "ruleset unavailable", extra={"rules_dir": str(path), "problems": error.problems}
        )
        return RulesetState(None, {}, str(error))
    except Exception as error:  # an engine failure: the same 503, logged with its type
        logger.exception("ruleset unavailable", extra={"rules_dir": str(path)})
        return RulesetState(None, {}, f"{type(error).__name__}: {error}")
    logger.info(
        "ruleset loaded",
        extra={
            "releases": [
                f"{r.version['version']}+{r.version['content_hash']}" for r in releases.all
            ],
            "shadow": json.dumps(shadow.ruleset.version) if shadow else None,
        },
    )
    return RulesetState(releases, screeners, None, shadow)


@dataclass(frozen=True)
class FollowUpState:
    """The follow-up ruleset (``rules/follow-up``) and its checker, or why it failed to load."""

    ruleset: CompiledRuleset | None
    checker: FollowUpChecker | None = None
    problem: str | None = None

    @property
    def ready(self) -> bool:
        return self.ruleset is not None and self.checker is not None


def follow_up_ruleset(rules_dir: Path | None = None) -> CompiledRuleset | None:
    """The follow-up ruleset without an engine (labels and indicators for the reports), or
    None when it fails to load (logged; the follow-up reports then answer 503)."""
    from screening.ruleset.compiled import FOLLOW_UP, FOLLOW_UP_DIR, load_compiled

    path = (rules_dir or default_rules_dir()) / FOLLOW_UP_DIR
    try:
        return load_compiled(path, subject=FOLLOW_UP)
    except RulesetUnavailable as error:
        logger.error(
            "follow-up ruleset unavailable",
            extra={"rules_dir": str(path), "problems": error.problems},
        )
        return None


def load_follow_up(rules_dir: Path | None = None) -> FollowUpState:
    """The follow-up ruleset with its checker on durable_rules (the follow-up function)."""
    from screening.follow_up.checker import FollowUpChecker
    from screening.ruleset.compiled import FOLLOW_UP, FOLLOW_UP_DIR, load_compiled

    path = (rules_dir or default_rules_dir()) / FOLLOW_UP_DIR
    try:
        ruleset = load_compiled(path, subject=FOLLOW_UP)
        checker = FollowUpChecker(ruleset)
    except RulesetUnavailable as error:
        logger.error(
            "follow-up ruleset unavailable",
            extra={"rules_dir": str(path), "problems": error.problems},
        )
        return FollowUpState(None, None, str(error))
    except Exception as error:  # an engine failure: the same 503, logged with its type
        logger.exception("follow-up ruleset unavailable", extra={"rules_dir": str(path)})
        return FollowUpState(None, None, f"{type(error).__name__}: {error}")
    logger.info(
        "follow-up ruleset loaded",
        extra={"ruleset": f"{ruleset.version['version']}+{ruleset.version['content_hash']}"},
    )
    return FollowUpState(ruleset, checker)
