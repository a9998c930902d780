"""The ruleset, loaded and compiled once per container (at import of the handler module).

If it fails to load, the container stays up and every request is answered 503 (nothing is
screened or stored); the problems are logged once, at init, as file:line lines.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from screening import RulesetError, Screener, default_rules_dir, load_ruleset

from .observability import logger


@dataclass(frozen=True)
class RulesetState:
    screener: Screener | None
    problem: str | None  # why it failed to load (for the log), None when loaded

    @property
    def ready(self) -> bool:
        return self.screener is not None


def load(rules_dir: Path | None = None) -> RulesetState:
    path = rules_dir or default_rules_dir()
    try:
        screener = Screener(load_ruleset(path))
    except RulesetError as error:
        logger.error(
            "ruleset failed to load", extra={"rules_dir": str(path), "problems": str(error)}
        )
        return RulesetState(None, str(error))
    except Exception as error:  # a missing folder or an engine failure: same 503, logged
        logger.exception("ruleset failed to load", extra={"rules_dir": str(path)})
        return RulesetState(None, f"{type(error).__name__}: {error}")
    logger.info(
        "ruleset loaded",
        extra={"ruleset": str(screener.ruleset.version), "rules": len(screener.ruleset.rules)},
    )
    return RulesetState(screener, None)
