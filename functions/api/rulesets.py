"""The compiled ruleset, loaded once per container (at import of a handler module).

Only the compiled artifact is read (``compiled/ruleset.json`` in the rules layer), after its
content hash is checked against the rule files beside it. If anything is wrong — missing,
stale, a rule file deleted, a requirement uncovered — the container stays up and every request
that needs the rules is answered 503 (nothing is screened or stored); the problems are logged
once, at init, and each refused request counts the metric ``RulesetUnavailable`` (an alarm).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from screening.ruleset.compiled import CompiledRuleset, RulesetUnavailable, load_compiled
from screening.ruleset.release import default_rules_dir

from .observability import logger

if TYPE_CHECKING:
    from screening.screener import Screener


@dataclass(frozen=True)
class RulesetState:
    ruleset: CompiledRuleset | None
    screener: Screener | None
    problem: str | None  # why it failed to load (for the log), None when loaded

    @property
    def ready(self) -> bool:
        return self.ruleset is not None


def load(rules_dir: Path | None = None, *, engine: bool = True) -> RulesetState:
    """The ruleset, and a screener on durable_rules when ``engine`` (the submit function)."""
    path = rules_dir or default_rules_dir()
    try:
        ruleset = load_compiled(path)
        screener = None
        if engine:
            from screening.screener import Screener  # the rule engine: submit only

            screener = Screener(ruleset)
    except RulesetUnavailable as error:
        logger.error(
            "ruleset unavailable", extra={"rules_dir": str(path), "problems": error.problems}
        )
        return RulesetState(None, None, str(error))
    except Exception as error:  # an engine failure: the same 503, logged with its type
        logger.exception("ruleset unavailable", extra={"rules_dir": str(path)})
        return RulesetState(None, None, f"{type(error).__name__}: {error}")
    logger.info(
        "ruleset loaded",
        extra={
            "ruleset": f"{ruleset.version['version']}+{ruleset.version['content_hash']}",
            "rules": len(ruleset.rules),
        },
    )
    return RulesetState(ruleset, screener, None)
