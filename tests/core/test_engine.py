"""The engines: durable_rules' known traps, each handled behind screening.engine and proven here;
the neutral tree decided identically by durable_rules and the reference engine; and durable's
syntax kept behind the one door."""

from __future__ import annotations

import gc
import random
import re
import threading
from pathlib import Path

import psutil
import pytest

from screening.engine import (
    Decision,
    EngineError,
    IncompleteTraceError,
    NothingMatchedError,
    ReferenceEngine,
)
from screening.engine.durable import DurableEngine
from screening.engine.durable_session import MAX_PROPERTIES, DurableRuleset
from screening.engine.tree import (
    ABSENT,
    ITEM,
    All,
    Any_,
    Every,
    Implies,
    Not,
    Some,
    Test,
    from_data,
    to_data,
)
from screening.ruleset.compiled import CompiledRuleset
from screening.screener import Screener
from screening.validation import parse_application

REPO = Path(__file__).resolve().parents[2]
KIND = {"fact_kind": "t"}


def rule(expression: dict) -> dict:
    return {"all": [{"m": {"$and": [KIND, expression]}}]}


def fired_names(engine: DurableRuleset, fact: dict, must_match: bool = True) -> list[str]:
    names: list[str] = []
    with engine.session() as session:
        session.assert_fact(fact, names.append, must_match=must_match)
    return names


# ---------------------------------------------------------------- one door


def test_only_the_engine_package_imports_durable_rules() -> None:
    importers = sorted(
        path.relative_to(REPO).as_posix()
        for root in ("functions", "tools")
        for path in (REPO / root).rglob("*.py")
        if any(
            line.strip().startswith(("import durable", "from durable"))
            for line in path.read_text("utf-8").splitlines()
        )
    )
    assert importers == ["functions/screening/engine/durable_session.py"]


def test_durable_syntax_appears_only_in_the_engine_package() -> None:
    syntax = re.compile(r'"\$(and|or|iall|iany|ex|nex|neq|lte|gte|lt|gt|m|mt)"')
    offenders = sorted(
        path.relative_to(REPO).as_posix()
        for root in ("functions", "tools")
        for path in (REPO / root).rglob("*.py")
        if syntax.search(path.read_text("utf-8"))
    )
    assert offenders == [
        "functions/screening/engine/durable.py",
        "functions/screening/engine/durable_session.py",
    ]


# ---------------------------------------------------------------- durable's traps


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


def test_a_decision_on_absence_alone_terminates() -> None:
    # A `$nex`-only pattern loops at 100 % CPU in durable_rules; every pattern the engine
    # writes tests the fact kind as well.
    engine = DurableEngine("trap_absence_only", [Decision("absent", Test("x", "absent"))])
    assert engine.decide({}) == {"absent": "passed"}
    assert engine.decide({"x": 1}) == {"absent": "failed"}


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


def test_the_screening_fact_stays_far_below_the_property_limit(ruleset: CompiledRuleset) -> None:
    assert ruleset.facts.property_count() < 100


def test_a_name_cannot_be_reused_for_another_definition() -> None:
    DurableRuleset("trap_same_name", {"r|yes": rule({"$gt": {"x": 1}})})
    DurableRuleset("trap_same_name", {"r|yes": rule({"$gt": {"x": 1}})})  # same: reused
    with pytest.raises(EngineError, match="already registered with another definition"):
        DurableRuleset("trap_same_name", {"r|yes": rule({"$gt": {"x": 2}})})


def test_a_decision_that_yields_no_result_stops_the_verdict(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import screening.engine.durable as durable

    original = durable.variants

    def without_passed(decision: Decision) -> dict:
        found = original(decision)
        if decision.name == "d":
            found.pop("passed", None)
        return found

    monkeypatch.setattr(durable, "variants", without_passed)
    engine = DurableEngine(
        "trap_incomplete", [Decision("d", Test("x", "ge", 1)), Decision("e", Test("x", "present"))]
    )
    with pytest.raises(IncompleteTraceError, match=r"d \(none\)"):
        engine.decide({"x": 5})


def test_numbers_the_engine_reads_never_carry_an_exponent(
    screener: Screener, base_document: dict
) -> None:
    # durable_rules' parser refuses 1e-05 or 1e+16; the fact never hands it client numbers raw.
    base_document["applicant"]["owners"][0]["ownership_share_percent"] = 0.00001
    base_document["social_content"]["effect_goals"][0]["baseline_value"] = 1e-5
    base_document["social_content"]["effect_goals"][0]["target_value"] = 999_999_999.123456
    application = parse_application(base_document)
    verdict = screener.screen(application)
    assert verdict.outcome.value == "needs_review"
    fact = screener.decide(application)[1]["fact"]
    assert all("e" not in repr(v).lower() for v in fact.values() if isinstance(v, float))


# ---------------------------------------------------------------- one meaning, two engines

# Facts as the compiler makes them: each key has one kind (numbers, enum values, flags), and a
# list holds either objects with such keys or enum values.
NUMBERS, ENUMS, FLAGS = ("n", "m"), ("e",), ("f",)
VALUES = {"n": (0, 1, 5, 10), "m": (0, 5, 7.5), "e": ("x", "y", "z"), "f": (True, False)}


def random_test(rng: random.Random, in_list: bool, scalar_items: bool):  # type: ignore[no-untyped-def]
    if in_list and scalar_items:
        op = rng.choice(["eq", "ne", "in", "not_in", "present"])
        if op in ("in", "not_in"):
            return Test(ITEM, op, tuple(rng.sample(VALUES["e"], 2)))
        return Test(ITEM, op, None if op == "present" else rng.choice(VALUES["e"]))
    key = rng.choice((*NUMBERS, *ENUMS, *FLAGS))
    if rng.random() < 0.2:
        return Test(key, rng.choice(["present", "absent"]))
    if key in NUMBERS and in_list:  # inside a list: values and choices, never comparisons
        op = rng.choice(["eq", "ne", "in", "not_in"])
        if op in ("in", "not_in"):
            return Test(key, op, tuple(rng.sample(VALUES["n"], 2)))
        return Test(key, op, rng.choice(VALUES["n"]))
    if key in NUMBERS:
        op = rng.choice(["eq", "ne", "lt", "le", "gt", "ge", "in", "not_in"])
        if op in ("in", "not_in"):
            return Test(key, op, tuple(rng.sample(VALUES["n"], 2)))
        if not in_list and rng.random() < 0.3:
            return Test(key, op, ref=rng.choice([k for k in NUMBERS if k != key]))
        return Test(key, op, rng.choice(VALUES["n"]))
    if key in ENUMS:
        op = rng.choice(["eq", "ne", "in", "not_in"])
        if op in ("in", "not_in"):
            return Test(key, op, tuple(rng.sample(VALUES["e"], 2)))
        return Test(key, op, rng.choice(VALUES["e"]))
    return Test(key, rng.choice(["eq", "ne"]), rng.choice(VALUES["f"]))


def random_node(
    rng: random.Random, depth: int = 0, in_list: bool = False, scalar_items: bool = False
):  # type: ignore[no-untyped-def]
    choice = rng.random()
    if depth >= 3 or choice < 0.4:
        return random_test(rng, in_list, scalar_items)
    if choice < 0.55:
        return All(
            tuple(
                random_node(rng, depth + 1, in_list, scalar_items) for _ in range(rng.randint(1, 3))
            )
        )
    if choice < 0.7:
        return Any_(
            tuple(
                random_node(rng, depth + 1, in_list, scalar_items) for _ in range(rng.randint(1, 3))
            )
        )
    if choice < 0.8:
        return Not(random_node(rng, depth + 1, in_list, scalar_items))
    if choice < 0.9 or in_list:
        return Implies(
            random_node(rng, depth + 1, in_list, scalar_items),
            random_node(rng, depth + 1, in_list, scalar_items),
        )
    quantifier = Some if rng.random() < 0.5 else Every
    if rng.random() < 0.5:
        return quantifier("kinds", "kinds__count", random_node(rng, depth + 1, True, True))
    return quantifier("items", "items__count", random_node(rng, depth + 1, True, False))


def random_values(rng: random.Random) -> dict:
    return {k: rng.choice(v) for k, v in VALUES.items() if rng.random() < 0.75}


def random_item(rng: random.Random) -> dict:
    # As the fact builder writes an item: every key there, ABSENT where not given.
    return {k: rng.choice(v) if rng.random() < 0.75 else ABSENT for k, v in VALUES.items()}


def random_fact(rng: random.Random) -> dict:
    fact = random_values(rng)
    fact["items"] = [random_item(rng) for _ in range(rng.randint(0, 3))]
    fact["kinds"] = rng.sample(VALUES["e"], rng.randint(0, 3))
    fact["items__count"] = len(fact["items"])
    fact["kinds__count"] = len(fact["kinds"])
    return fact


def test_durable_and_the_reference_engine_decide_random_trees_alike() -> None:
    rng = random.Random(20261202)
    decisions, refused = [], 0
    while len(decisions) < 80:
        decision = Decision(
            f"d{len(decisions)}",
            random_node(rng),
            random_node(rng) if rng.random() < 0.3 else None,
            rng.random() < 0.2,
        )
        try:  # what durable_rules cannot decide is refused, never decided wrong
            DurableEngine(f"equivalence_probe_{len(decisions)}_{refused}", [decision])
        except EngineError:
            refused += 1
            continue
        decisions.append(decision)
    assert refused < len(decisions)
    durable = DurableEngine("equivalence_random_trees", decisions)
    reference = ReferenceEngine(decisions)
    seen: set[str] = set()
    for _ in range(600):
        fact = random_fact(rng)
        got, want = durable.decide(fact), reference.decide(fact)
        assert got == want, {k: (got[k], want[k]) for k in got if got[k] != want[k]}
        seen |= set(want.values())
    assert seen == {"passed", "failed", "not_applicable"}


def test_the_neutral_tree_survives_its_artifact_form(ruleset: CompiledRuleset) -> None:
    for decision in ruleset.decisions():
        assert from_data(to_data(decision.condition)) == decision.condition
