"""Pre-screening of applications for Lån för Social Hållbarhet.

The public API of the screening core::

    from screening import load_ruleset, Screener, parse_application

    screener = Screener(load_ruleset())          # once per process: loads, checks, compiles
    verdict = screener.screen(parse_application(document))

``load_ruleset`` raises :class:`RulesetError` (every problem as file:line) and
``parse_application`` raises :class:`ApplicationInvalid` (every bad field by path).
"""

from .engine import EngineError
from .models import Application, Outcome, Verdict
from .ruleset.loader import Ruleset, default_rules_dir, load_ruleset
from .ruleset.problems import RulesetError
from .screener import Screener
from .validation import ApplicationInvalid, FieldError, parse_application

__all__ = [
    "Application",
    "ApplicationInvalid",
    "EngineError",
    "FieldError",
    "Outcome",
    "Ruleset",
    "RulesetError",
    "Screener",
    "Verdict",
    "default_rules_dir",
    "load_ruleset",
    "parse_application",
]
