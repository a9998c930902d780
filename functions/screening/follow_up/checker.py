"""Check one loan's effect report for one year: case → engine → every rule's result → the
follow-up verdict. The same engine, fact builder and reasons as the screening; the rules are
``rules/follow-up`` and read a :class:`~screening.models.follow_up.FollowUpCase`."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from typing import Any

from ..engine import Engine
from ..engine.durable import DurableEngine
from ..models.application import Application
from ..models.effect_report import EffectReport
from ..models.follow_up import FollowUpCase, FollowUpVerdict, follow_up_outcome_of
from ..rule_results import RuleReporter
from ..ruleset.compiled import FOLLOW_UP, CompiledRuleset
from ..ruleset.facts import FactBuilder
from .case import build_case, goal_progress
from .due import DUE_PARAMETER

_NO_DERIVED: dict[str, Any] = {}

# How old a measurement may be and still count at its own year (rules/follow-up/02-goals.yaml).
LAG_RULE, LAG_PARAMETER = "goals.on_path", "tolerated_measurement_lag_years"


def refuse_two_due_months(ruleset: CompiledRuleset) -> None:
    """Every rule with a ``due_month`` (``report.on_time``: late; ``report.received``: overdue)
    must name the same month, or a report could be on time and its absence overdue at once."""
    months = {
        rule.id: rule.parameters[DUE_PARAMETER]
        for rule in ruleset.rules
        if DUE_PARAMETER in rule.parameters
    }
    if len(set(months.values())) > 1:
        given = ", ".join(f"{rule_id} {month}" for rule_id, month in sorted(months.items()))
        raise ValueError(f"the follow-up rules disagree on {DUE_PARAMETER}: {given}")


class FollowUpChecker:
    """Checks effect reports against one compiled follow-up ruleset. Build once per process."""

    def __init__(
        self,
        ruleset: CompiledRuleset,
        engine: Engine | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        if ruleset.subject != FOLLOW_UP:
            raise ValueError(f"{ruleset.subject} rules cannot check an effect report")
        refuse_two_due_months(ruleset)
        self.ruleset = ruleset
        self.engine: Engine = engine or DurableEngine(ruleset.engine_name, ruleset.decisions())
        self.facts = FactBuilder(ruleset.facts)
        self.reporter = RuleReporter(ruleset)
        self._version = dict(ruleset.version)
        self._clock = clock
        self._lag = int(self.parameter(LAG_RULE, LAG_PARAMETER))  # read once, like the rules

    def parameter(self, rule_id: str, name: str) -> Any:
        """A rule's parameter (e.g. when a report is due), for the tools that plan around it."""
        return self.ruleset.rule(rule_id).parameters[name]

    def decide(self, case: FollowUpCase) -> tuple[dict[str, str], dict[str, Any]]:
        fact = self.facts.build(case, _NO_DERIVED)
        return self.engine.decide(fact), fact

    def check(
        self,
        application: Application,
        reporting_year: int,
        report: EffectReport | None,
        history: Sequence[EffectReport] = (),
        checked_on: date | None = None,
        received_on: date | None = None,
    ) -> FollowUpVerdict:
        """The follow-up verdict of ``reporting_year``. ``report`` None: no report came (the
        rules say whether it is overdue on ``checked_on``); ``history``: earlier years;
        ``received_on``: the day the service received it (default: its ``submitted_at``)."""
        now = self._clock()
        lag = self._lag
        case = build_case(
            application,
            reporting_year,
            report,
            history,
            checked_on or now.date(),
            received_on,
            lag=lag,
        )
        results, fact = self.decide(case)
        # Reasons cite the case's fields by path, e.g. {investment.planned_end:date}.
        context = {name: getattr(case, name) for name in FollowUpCase.model_fields}
        reported = self.reporter.report(results, fact, case, context)
        return FollowUpVerdict.model_validate(
            {
                "application_id": application.application_id,
                "reporting_year": reporting_year,
                "outcome": follow_up_outcome_of(reported.failed),
                "report_received": report is not None,
                "report_submitted_at": report.submitted_at if report else None,
                "rules": reported.rules,
                "notes": reported.notes,
                "goals": goal_progress(application, reporting_year, report, history, lag=lag),
                "people_reached": report.people_reached if report else None,
                "category": application.project.declared_category,
                "ruleset": self._version,
                "checked_at": now,
            }
        )
