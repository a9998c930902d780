"""Rule authoring: the YAML rule files read, checked and compiled into a CompiledRuleset."""

from .compile import Authored, compile_rules
from .problems import Problem, RulesetError

__all__ = ["Authored", "Problem", "RulesetError", "compile_rules"]
