"""``screening impact``: what a rule change would do to the applications already screened,
and whether it brings the pre-screening closer to what the committee decided.

Every stored application is screened under the base ruleset (a git revision, a shipped
release, or a folder) and under the candidate (the working tree's rule files, optionally with
parameters set on the command line), in worker processes — one pair of rulesets per process,
since durable_rules is not thread-safe. Reported: outcome transitions, per rule how many
results changed and in which direction, every application whose outcome changes with the
rules responsible, and the agreement with the committee's decisions under both.

``--shadow`` compares instead the live verdicts stored with each submission against the shadow
(candidate) verdicts stored beside them, over live traffic.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_all_start_methods, get_context
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from screening.models.decision import DecisionKind
from screening.models.verdict import Outcome, Severity, Verdict, outcome_of
from screening.ruleset.compiled import RELEASES_DIR, CompiledRuleset, load_release_file

from .authoring import compile_rules
from .gitrules import is_revision, rules_at
from .stored import StoredApplication

CHUNK = 64


class Side(BaseModel):
    version: str
    content_hash: str
    source: str


class RuleChange(BaseModel):
    rule_id: str
    changed: int
    directions: dict[str, int] = Field(description="e.g. 'passed → failed': 12")


class OutcomeChange(BaseModel):
    application_id: str
    base: Outcome
    candidate: Outcome
    responsible_rules: list[str] = Field(description="Rules whose result changed, that decide")
    decision: DecisionKind | None


class AgreementSummary(BaseModel):
    decided: int
    agreeing: int
    comparable: int
    rate: float | None
    false_rejects: list[str]
    matrix: dict[str, dict[str, int]]


class ImpactReport(BaseModel):
    base: Side
    candidate: Side
    parameters_set: list[str]
    applications: int = Field(description="Applications re-screened")
    unreadable: list[str] = Field(
        default_factory=list,
        description="Stored under an older contract that no longer validates: not re-screened",
    )
    transitions: dict[str, int] = Field(
        description="'eligible → needs_review': count, changes only"
    )
    outcomes: dict[str, dict[str, int]] = Field(
        description="base outcome → candidate outcome → count"
    )
    rules: list[RuleChange]
    changed: list[OutcomeChange]
    agreement: dict[str, AgreementSummary] = Field(description="base and candidate")
    seconds: float = Field(description="Wall time, worker start-up included")
    workers: int
    per_core_per_second: float = Field(description="Applications a second per busy core")


# ---------------------------------------------------------------- the base ruleset


def base_ruleset(ref: str, rules_dir: Path) -> tuple[CompiledRuleset, str]:
    """The ruleset a ``--base`` names: a folder, a shipped release, or a git revision."""
    as_path = Path(ref)
    if as_path.is_dir():
        return compile_rules(as_path, verify_version=False).ruleset, f"folder {as_path}"
    release = rules_dir / RELEASES_DIR / f"{ref}.json"
    if release.is_file():
        return load_release_file(release), f"release {ref}"
    if not is_revision(rules_dir, ref):
        raise ValueError(f"'{ref}' is neither a folder, a shipped release nor a git revision")
    folder, commit = rules_at(rules_dir, ref)
    return compile_rules(folder, verify_version=False).ruleset, f"git {ref} ({commit[:10]})"


def parse_settings(pairs: Sequence[str], csv_file: Path | None) -> dict[tuple[str, str], Any]:
    """``rule_id.parameter=value`` (value in JSON or YAML-ish plain text) → overrides."""
    rows = list(pairs)
    if csv_file is not None:
        import csv

        with csv_file.open(encoding="utf-8-sig", newline="") as handle:
            sample = handle.read(2048)
            handle.seek(0)
            dialect = csv.Sniffer().sniff(sample, delimiters=",;")
            for row in csv.reader(handle, dialect):
                if row and not row[0].startswith("#") and row[0] != "rule_id":
                    rows.append(f"{row[0]}.{row[1]}={row[2]}")
    overrides: dict[tuple[str, str], Any] = {}
    for pair in rows:
        target, sep, raw = pair.partition("=")
        rule_id, _, name = target.rpartition(".")
        if not sep or not rule_id or not name:
            raise ValueError(f"--set {pair!r}: write rule_id.parameter=value")
        try:
            value = json.loads(raw)
        except json.JSONDecodeError:
            value = [v.strip() for v in raw.split(",")] if "," in raw else raw
        overrides[(rule_id, name)] = value
    return overrides


# ---------------------------------------------------------------- screening in workers

_WORKER: dict[str, Any] = {}


def _start_worker(base: dict[str, Any], candidate: dict[str, Any]) -> None:
    from screening.screener import Screener

    _WORKER["pair"] = [
        Screener(CompiledRuleset.from_data(base)),
        Screener(CompiledRuleset.from_data(candidate)),
    ]
    # A change of thresholds or reasons reads the same values: the fact is built once and
    # both engines decide on it.
    _WORKER["same_fact"] = (
        base["facts"] == candidate["facts"]
        and base["vulnerable_areas"] == candidate["vulnerable_areas"]
    )


def _outcome(results: dict[str, str], severities: dict[str, Severity]) -> Outcome:
    return outcome_of(
        {severities[r] for r, result in results.items() if result == "failed" and r in severities}
    )


Screened = tuple[str, dict[str, str], dict[str, str]]


def _screen_chunk(documents: list[tuple[str, str]]) -> tuple[list[Screened], list[str], float]:
    """The chunk's results, the applications it could not read again (stored under an older
    contract), and the seconds spent screening it (start-up not counted)."""
    from screening.validation import ApplicationInvalid, parse_application

    started = time.perf_counter()
    pair = _WORKER["pair"]
    out = []
    unreadable = []
    for application_id, text in documents:
        try:
            application = parse_application(text)
        except ApplicationInvalid:
            unreadable.append(application_id)
            continue
        base, state = pair[0].decide(application)
        if _WORKER["same_fact"]:
            candidate = pair[1].engine.decide(state["fact"])
        else:
            candidate = pair[1].decide(application)[0]
        out.append((application_id, base, candidate))
    return out, unreadable, time.perf_counter() - started


def screen_all(
    base: CompiledRuleset,
    candidate: CompiledRuleset,
    stored: Sequence[StoredApplication],
    workers: int,
    progress: Callable[[int, int], None],
) -> tuple[list[Screened], list[str], float]:
    """Every application's results under both rulesets, those that could not be read again,
    and the CPU-seconds spent screening."""
    chunks = [
        [(s.application_id, s.application_json) for s in stored[i : i + CHUNK]]
        for i in range(0, len(stored), CHUNK)
    ]
    results: list[Screened] = []
    unreadable: list[str] = []
    busy = 0.0
    if workers <= 1:
        _start_worker(base.to_data(), candidate.to_data())
        for chunk in chunks:
            done, skipped, seconds = _screen_chunk(chunk)
            results += done
            unreadable += skipped
            busy += seconds
            progress(len(results) + len(unreadable), len(stored))
        return results, unreadable, busy
    # fork: workers start with the engine already imported; spawn where there is no fork
    method = "fork" if "fork" in get_all_start_methods() else "spawn"
    with ProcessPoolExecutor(
        max_workers=workers,
        mp_context=get_context(method),
        initializer=_start_worker,
        initargs=(base.to_data(), candidate.to_data()),
    ) as pool:
        for done, skipped, seconds in pool.map(_screen_chunk, chunks):
            results += done
            unreadable += skipped
            busy += seconds
            progress(len(results) + len(unreadable), len(stored))
    return results, unreadable, busy


# ---------------------------------------------------------------- comparing


def _agreement(outcomes: Iterable[tuple[str, Outcome, DecisionKind]]) -> AgreementSummary:
    matrix: dict[str, dict[str, int]] = {
        o.value: {d.value: 0 for d in DecisionKind} for o in Outcome
    }
    agreeing = comparable = decided = 0
    false_rejects = []
    for application_id, outcome, decision in outcomes:
        decided += 1
        matrix[outcome.value][decision.value] += 1
        if outcome is not Outcome.needs_review:
            comparable += 1
            agreeing += (outcome is Outcome.eligible) == (decision is DecisionKind.granted)
        if outcome is Outcome.ineligible and decision is DecisionKind.granted:
            false_rejects.append(application_id)
    return AgreementSummary(
        decided=decided,
        agreeing=agreeing,
        comparable=comparable,
        rate=agreeing / comparable if comparable else None,
        false_rejects=false_rejects,
        matrix=matrix,
    )


def compare(
    base: CompiledRuleset,
    candidate: CompiledRuleset,
    results: Sequence[Screened],
    decisions: dict[str, DecisionKind],
) -> tuple[
    dict[str, int],
    dict[str, dict[str, int]],
    list[RuleChange],
    list[OutcomeChange],
    dict[str, AgreementSummary],
]:
    base_severity = {r.id: Severity(r.severity) for r in base.rules}
    candidate_severity = {r.id: Severity(r.severity) for r in candidate.rules}
    transitions: Counter[str] = Counter()
    matrix: dict[str, dict[str, int]] = {o.value: {p.value: 0 for p in Outcome} for o in Outcome}
    directions: dict[str, Counter[str]] = {}
    changed: list[OutcomeChange] = []
    decided_base, decided_candidate = [], []
    for application_id, before, after in results:
        before = {k: v for k, v in before.items() if not k.startswith("category:")}
        after = {k: v for k, v in after.items() if not k.startswith("category:")}
        old, new = _outcome(before, base_severity), _outcome(after, candidate_severity)
        matrix[old.value][new.value] += 1
        moved = sorted(r for r in set(before) | set(after) if before.get(r) != after.get(r))
        for rule_id in moved:
            directions.setdefault(rule_id, Counter())[
                f"{before.get(rule_id, 'absent')} → {after.get(rule_id, 'absent')}"
            ] += 1
        decision = decisions.get(application_id)
        if decision is not None:
            decided_base.append((application_id, old, decision))
            decided_candidate.append((application_id, new, decision))
        if old is not new:
            transitions[f"{old.value} → {new.value}"] += 1
            deciding = [
                r
                for r in moved
                if Severity.note not in (base_severity.get(r), candidate_severity.get(r))
            ]
            changed.append(
                OutcomeChange(
                    application_id=application_id,
                    base=old,
                    candidate=new,
                    responsible_rules=deciding,
                    decision=decision,
                )
            )
    rules = sorted(
        (
            RuleChange(rule_id=r, changed=sum(c.values()), directions=dict(c))
            for r, c in directions.items()
        ),
        key=lambda r: (-r.changed, r.rule_id),
    )
    changed.sort(key=lambda c: (c.base.value, c.candidate.value, c.application_id))
    agreements = {"base": _agreement(decided_base), "candidate": _agreement(decided_candidate)}
    return dict(transitions), matrix, rules, changed, agreements


def impact(
    base: tuple[CompiledRuleset, str],
    candidate: tuple[CompiledRuleset, str],
    stored: Sequence[StoredApplication],
    *,
    parameters_set: Sequence[str] = (),
    workers: int | None = None,
    progress: Callable[[int, int], None] = lambda done, total: None,
) -> ImpactReport:
    workers = workers or max(1, min(os.cpu_count() or 1, (len(stored) + CHUNK - 1) // CHUNK))
    started = time.perf_counter()
    results, unreadable, busy = screen_all(base[0], candidate[0], stored, workers, progress)
    seconds = time.perf_counter() - started
    decisions = {s.application_id: s.decision.decision for s in stored if s.decision is not None}
    transitions, matrix, rules, changed, agreements = compare(
        base[0], candidate[0], results, decisions
    )
    return ImpactReport(
        base=_side(*base),
        candidate=_side(*candidate),
        parameters_set=list(parameters_set),
        applications=len(results),
        unreadable=unreadable,
        transitions=transitions,
        outcomes=matrix,
        rules=rules,
        changed=changed,
        agreement=agreements,
        seconds=round(seconds, 3),
        workers=workers,
        per_core_per_second=round(len(results) / busy, 1) if busy else 0.0,
    )


def shadow_impact(stored: Sequence[StoredApplication]) -> ImpactReport:
    """Live verdicts against the shadow verdicts stored beside them (no re-screening)."""
    pairs = [
        (s, Verdict.model_validate_json(s.verdict_json), Verdict.model_validate_json(s.shadow_json))
        for s in stored
        if s.verdict_json and s.shadow_json
    ]
    if not pairs:
        raise ValueError("no stored screening has a shadow verdict")
    results = [
        (
            s.application_id,
            {r.rule_id: r.result.value for r in live.rules},
            {r.rule_id: r.result.value for r in shadow.rules},
        )
        for s, live, shadow in pairs
    ]
    _, live, shadow = pairs[0]
    stand_in = [_severities_only(live), _severities_only(shadow)]
    decisions = {
        s.application_id: s.decision.decision for s, _, _ in pairs if s.decision is not None
    }
    transitions, matrix, rules, changed, agreements = compare(
        stand_in[0], stand_in[1], results, decisions
    )
    return ImpactReport(
        base=Side(
            version=live.ruleset.version,
            content_hash=live.ruleset.content_hash,
            source="live verdicts",
        ),
        candidate=Side(
            version=shadow.ruleset.version,
            content_hash=shadow.ruleset.content_hash,
            source="shadow verdicts",
        ),
        parameters_set=[],
        applications=len(results),
        transitions=transitions,
        outcomes=matrix,
        rules=rules,
        changed=changed,
        agreement=agreements,
        seconds=0.0,
        workers=0,
        per_core_per_second=0.0,
    )


@dataclass(frozen=True)
class _RuleSeverity:
    id: str
    severity: str


@dataclass(frozen=True)
class _Severities:
    rules: tuple[_RuleSeverity, ...]


def _severities_only(verdict: Verdict) -> Any:
    return _Severities(tuple(_RuleSeverity(r.rule_id, r.severity.value) for r in verdict.rules))


def _side(ruleset: CompiledRuleset, source: str) -> Side:
    return Side(
        version=ruleset.version["version"],
        content_hash=ruleset.version["content_hash"],
        source=source,
    )


def summary(report: ImpactReport) -> str:
    """The terminal summary."""
    lines = [
        f"{name:<9} {side.version}+{side.content_hash} ({side.source})"
        for name, side in (("base", report.base), ("candidate", report.candidate))
    ]
    if report.parameters_set:
        lines.append(f"set       {', '.join(report.parameters_set)}")
    lines.append(
        f"{report.applications} applications re-screened in {report.seconds:.2f} s on "
        f"{report.workers} worker(s) ({report.per_core_per_second:,.0f} / s per core)"
    )
    if report.unreadable:
        lines.append(
            f"{len(report.unreadable)} stored application(s) no longer validate under the "
            f"current contract and were not re-screened: {', '.join(report.unreadable[:10])}"
            + (" …" if len(report.unreadable) > 10 else "")
        )
    if not report.changed:
        lines.append("No outcome changes.")
    else:
        lines.append(f"{len(report.changed)} outcome change(s):")
        for transition, count in sorted(report.transitions.items()):
            lines.append(f"  {transition}: {count}")
        for change in report.changed:
            lines.append(
                f"  {change.application_id}: {change.base.value} → {change.candidate.value} "
                f"({', '.join(change.responsible_rules) or 'no single rule'})"
            )
    if report.rules:
        lines.append("Rule results that change:")
        for rule in report.rules:
            detail = ", ".join(f"{k}: {v}" for k, v in sorted(rule.directions.items()))
            lines.append(f"  {rule.rule_id}: {rule.changed} ({detail})")
    for side in ("base", "candidate"):
        a = report.agreement[side]
        rate = f"{a.rate:.0%}" if a.rate is not None else "–"
        lines.append(
            f"Agreement with the committee, {side}: {a.agreeing}/{a.comparable} ({rate}) of "
            f"{a.decided} decided; false rejects: {len(a.false_rejects)}"
        )
    return "\n".join(lines)


def progress_bar(stream: Any = sys.stderr) -> Callable[[int, int], None]:
    def show(done: int, total: int) -> None:
        width = 30
        filled = int(width * done / total) if total else width
        stream.write(f"\r[{'#' * filled}{' ' * (width - filled)}] {done}/{total}")
        if done >= total:
            stream.write("\n")
        stream.flush()

    return show
