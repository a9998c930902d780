"""durable_rules' known traps, each handled behind screening.engine and proven here."""

from __future__ import annotations

import gc
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import psutil
import pytest

from screening import Screener, load_ruleset, parse_application
from screening.engine import (
    MAX_PROPERTIES,
    DurableRuleset,
    EngineError,
    NothingMatchedError,
)
from screening.screener import IncompleteTraceError, durable_definition

KIND = {"fact_kind": "t"}


def rule(expression: dict) -> dict:
    return {"all": [{"m": {"$and": [KIND, expression]}}]}


def fired_names(engine: DurableRuleset, fact: dict, must_match: bool = True) -> list[str]:
    names: list[str] = []
    with engine.session() as session:
        session.assert_fact(fact, names.append, must_match=must_match)
    return names


def test_only_the_engine_module_imports_durable_rules() -> None:
    functions = Path(__file__).resolve().parents[2] / "functions"
    importers = [
        path.relative_to(functions).as_posix()
        for path in functions.rglob("*.py")
        if any(
            line.strip().startswith(("import durable", "from durable"))
            for line in path.read_text("utf-8").splitlines()
        )
    ]
    assert importers == ["screening/engine.py"]


def test_every_screening_deletes_its_session_so_memory_stays_flat(
    screener: Screener, base_document: dict
) -> None:
    # Without delete_state, durable_rules segfaults past ~1,024 live sessions; 5,000 prove
    # the sessions are gone, and RSS shows nothing accumulates.
    application = parse_application(base_document)
    process = psutil.Process()
    for _ in range(500):  # warm up allocator and caches
        screener.screen(application)
    gc.collect()
    before = process.memory_info().rss
    for _ in range(5_000):
        screener.screen(application)
    gc.collect()
    growth_mib = (process.memory_info().rss - before) / 2**20
    assert growth_mib < 4, f"RSS grew {growth_mib:.1f} MiB over 5,000 screenings"


def test_an_exception_in_an_action_surfaces_and_the_session_is_still_deleted() -> None:
    engine = DurableRuleset("trap_action_exception", {"r|yes": rule({"$gt": {"x": 1}})})

    def failing_action(name: str) -> None:
        raise ValueError(f"action for {name} broke")

    # More failing sessions than durable_rules survives when sessions leak (~1,024).
    for _ in range(1_500):
        with (
            pytest.raises(EngineError, match="action for r\\|yes broke"),
            engine.session() as session,
        ):
            session.assert_fact({**KIND, "x": 2}, failing_action)
    assert fired_names(engine, {**KIND, "x": 2}) == ["r|yes"]


def test_nothing_matched_is_an_error_not_an_empty_trace() -> None:
    engine = DurableRuleset("trap_nothing_matched", {"r|yes": rule({"$gt": {"x": 1}})})
    # Many times over: deleting a session whose fact matched nothing crashes the bare core.
    for _ in range(2_000):
        with pytest.raises(NothingMatchedError, match="no rule of 'trap_nothing_matched'"):
            fired_names(engine, {**KIND, "x": 0})
        assert fired_names(engine, {**KIND, "x": 0}, must_match=False) == []
    assert fired_names(engine, {**KIND, "x": 2}) == ["r|yes"]


def test_a_fact_of_a_kind_no_rule_tests_is_refused() -> None:
    engine = DurableRuleset("trap_unknown_kind", {"r|yes": rule({"$gt": {"x": 1}})})
    with pytest.raises(EngineError, match="no rule for facts of kind 'other'"):
        fired_names(engine, {"fact_kind": "other", "x": 2})


def test_a_pattern_that_could_match_the_state_fact_is_refused() -> None:
    with pytest.raises(EngineError, match="must test 'fact_kind'"):
        DurableRuleset("trap_state_fact", {"r": {"all": [{"m": {"$nex": {"x": 1}}}]}})


def test_a_rule_of_only_absence_terminates(rules_copy: Path) -> None:
    # A `$nex`-only pattern loops at 100 % CPU in durable_rules; our compiler always adds the
    # fact kind. Run in a subprocess with a time limit so a regression cannot hang the suite.
    (rules_copy / "07-absence.yaml").write_text(
        textwrap.dedent(
            """
            rules:
              - id: signal.no_secondary_category
                title: {sv: Ingen andra kategori, en: No second category}
                requirement: signals
                kind: signal
                severity: note
                condition: {field: project.secondary_category, present: false}
                reasons:
                  passed: {sv: Ingen andra kategori., en: No second category.}
                  not_applicable: {sv: En andra kategori., en: A second category.}
                examples:
                  - {description: none, expect: passed}
            """
        ),
        "utf-8",
    )
    script = textwrap.dedent(
        f"""
        import yaml
        from screening import Screener, load_ruleset, parse_application
        ruleset = load_ruleset({str(rules_copy)!r})
        screener = Screener(ruleset)
        document = yaml.safe_load(open({str(rules_copy / "examples/base-application.yaml")!r}))
        verdict = screener.screen(parse_application(document))
        print([r.result.value for r in verdict.rules if r.rule_id.endswith("secondary_category")])
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.strip() == "['passed']"


def test_one_evaluation_at_a_time_gives_the_same_verdicts_from_many_threads(
    screener: Screener, base_document: dict
) -> None:
    variants = []
    for horizon, loan in ((15, 100_000_000), (2, 100_000_000), (15, 150_000_000)):
        document = {**base_document}
        document["social_content"] = {
            **base_document["social_content"],
            "time_horizon_years": horizon,
        }
        document["project"] = {**base_document["project"], "loan_amount_sek": loan}
        variants.append(parse_application(document))
    expected = [screener.screen(a).outcome.value for a in variants]
    assert expected == ["eligible", "needs_review", "ineligible"]
    seen: list[tuple[int, str]] = []
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            for _ in range(100):
                for index, application in enumerate(variants):
                    seen.append((index, screener.screen(application).outcome.value))
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert len(seen) == 8 * 100 * 3
    assert all(outcome == expected[index] for index, outcome in seen)


def test_a_message_over_the_property_limit_is_refused_before_posting() -> None:
    engine = DurableRuleset("trap_properties", {"r|yes": rule({"$gt": {"p0": -1}})})
    fact = {**KIND, **{f"p{i}": i for i in range(MAX_PROPERTIES)}}
    with pytest.raises(EngineError, match="properties; durable_rules takes 253"):
        fired_names(engine, fact)
    small = {**KIND, **{f"p{i}": i for i in range(200)}}
    assert fired_names(engine, small) == ["r|yes"]


def test_the_screening_fact_stays_far_below_the_property_limit(ruleset) -> None:
    assert ruleset.plan.property_count() < 100


def test_two_ruleset_versions_live_side_by_side(rules_copy: Path, base_document: dict) -> None:
    (rules_copy / "VERSION").write_text("2099.1.1\n")
    tuned = rules_copy / "05-grundkrav.yaml"
    tuned.write_text(tuned.read_text("utf-8").replace("value: 10\n", "value: 20\n", 1))
    new = Screener(load_ruleset(rules_copy))
    old = Screener(load_ruleset())
    assert new.ruleset.engine_name != old.ruleset.engine_name
    application = parse_application(base_document)  # 15-year horizon
    assert old.screen(application).outcome.value == "eligible"
    assert new.screen(application).outcome.value == "needs_review"
    assert str(new.screen(application).ruleset).startswith("2099.1.1+")


def test_a_name_cannot_be_reused_for_another_definition() -> None:
    DurableRuleset("trap_same_name", {"r|yes": rule({"$gt": {"x": 1}})})
    DurableRuleset("trap_same_name", {"r|yes": rule({"$gt": {"x": 1}})})  # same: reused
    with pytest.raises(EngineError, match="already registered with another definition"):
        DurableRuleset("trap_same_name", {"r|yes": rule({"$gt": {"x": 2}})})


def test_a_rule_that_yields_no_result_stops_the_verdict(
    rules_copy: Path, base_document: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Drop one variant from the compiled ruleset: the trace would be incomplete, so no verdict.
    import screening.screener as screener_module

    def without_passed_variant(ruleset):
        definition = durable_definition(ruleset)
        del definition["grundkrav_4.long_term|passed"]
        return definition

    (rules_copy / "VERSION").write_text("0.0.0-incomplete\n")
    monkeypatch.setattr(screener_module, "durable_definition", without_passed_variant)
    screener = Screener(load_ruleset(rules_copy))
    with pytest.raises(IncompleteTraceError, match=r"grundkrav_4\.long_term \(none\)"):
        screener.screen(parse_application(base_document))
