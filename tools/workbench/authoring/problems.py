"""Rule-file problems: what ``screening rules check`` reports as ``file:line: message``."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True, order=True)
class Problem:
    file: Path
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


class CompileError(ValueError):
    """A meaning error found while compiling one rule; ``location`` points into its YAML."""

    def __init__(self, location: tuple[Any, ...], message: str) -> None:
        super().__init__(message)
        self.location = location
        self.message = message


class RulesetError(Exception):
    """The ruleset cannot be used. Nothing may be screened with a partly loaded ruleset."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        listing = "\n".join(str(p) for p in self.problems[:20])
        more = f"\n… and {len(self.problems) - 20} more" if len(self.problems) > 20 else ""
        super().__init__(f"{len(self.problems)} problem(s) in the rule files:\n{listing}{more}")

    def report(self, stream: Any = None) -> None:
        """Every problem as ``file:line: message``, one per line, then how many (stderr)."""
        out = stream if stream is not None else sys.stderr
        for problem in self.problems:
            print(problem, file=out)
        print(f"{len(self.problems)} problem(s) in the rule files", file=out)
