"""Rules in force by date: an application is screened by the release in force on its
submission date, the verdict says which, and the catalogue answers for a date.

A rule author raises a threshold in a copy of the rules, bumps it as a new release in force
from 2027-01-01 and ships the current release (built from the repository's folder with
``screening rules release --from``) beside it.
"""

from __future__ import annotations

import copy
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from workbench.cli import main

from api import rules as rules_api
from api import rulesets
from rule_changes import raise_long_term_threshold
from screening.ruleset.compiled import RulesetUnavailable, load_releases
from screening.ruleset.release import default_rules_dir

NEW_FROM = date(2027, 1, 1)


@pytest.fixture(scope="module")
def shipped(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, str]:
    """A rules folder whose current release (2027) raises the long-term threshold 10 → 20
    years, with today's release shipped beside it. Returns (folder, old, new version)."""
    import shutil

    import yaml

    folder = tmp_path_factory.mktemp("release") / "rules"
    shutil.copytree(default_rules_dir(), folder, ignore=shutil.ignore_patterns("compiled"))
    old_version = str(yaml.safe_load((folder / "VERSION").read_text("utf-8"))["version"])
    raise_long_term_threshold(folder, 20)
    new_version = "2027.1.1"
    assert (
        main(
            [
                "rules",
                "bump",
                "--rules",
                str(folder),
                "--version",
                new_version,
                "--effective-from",
                NEW_FROM.isoformat(),
            ]
        )
        == 0
    )
    assert main(["rules", "check", "--rules", str(folder)]) == 0
    assert main(["rules", "compile", "--rules", str(folder)]) == 0
    release = ["rules", "release", "--rules", str(folder), "--from", str(default_rules_dir())]
    assert main(release) == 0
    assert (folder / "releases" / f"{old_version}.json").is_file()
    return folder, old_version, new_version


def application(base: dict[str, Any], submitted_at: str, years: int) -> dict[str, Any]:
    document = copy.deepcopy(base)
    document["submitted_at"] = submitted_at
    document["social_content"]["time_horizon_years"] = years
    return document


def test_an_application_is_screened_by_the_release_in_force_when_it_was_submitted(
    shipped: tuple[Path, str, str], base_document: dict[str, Any]
) -> None:
    folder, old_version, new_version = shipped
    state = rulesets.load(folder)
    assert state.ready, state.problem
    from screening.validation import parse_application

    def verdict_on(submitted_at: str) -> Any:
        app = parse_application(application(base_document, submitted_at, 15))
        screener = state.screener_for(app.submitted_at.date())
        assert screener is not None
        return screener.screen(app)

    before = verdict_on("2026-12-20T10:00:00+01:00")
    after = verdict_on("2027-01-02T10:00:00+01:00")
    assert before.ruleset.version == old_version
    assert after.ruleset.version == new_version
    long_term = {r.rule_id: r for r in before.rules}["grundkrav_4.long_term"]
    assert long_term.result == "passed"
    long_term = {r.rule_id: r for r in after.rules}["grundkrav_4.long_term"]
    assert long_term.result == "failed"
    assert "kortare än 20 år" in long_term.reason.sv
    assert (before.outcome, after.outcome) == ("eligible", "needs_review")


def test_the_day_of_effective_from_belongs_to_the_new_release(
    shipped: tuple[Path, str, str],
) -> None:
    folder, old_version, new_version = shipped
    releases = load_releases(folder)
    assert releases.in_force(date(2026, 12, 31)).version["version"] == old_version
    assert releases.in_force(NEW_FROM).version["version"] == new_version
    assert releases.current.version["version"] == new_version


def test_the_rule_catalogue_answers_for_a_date(shipped: tuple[Path, str, str]) -> None:
    folder, old_version, new_version = shipped
    state = rulesets.load(folder, engine=False)
    then = rules_api.catalogue(state, date(2026, 12, 15))
    now = rules_api.catalogue(state, NEW_FROM)
    assert (then.ruleset.version, now.ruleset.version) == (old_version, new_version)
    assert rules_api.catalogue(state).ruleset.version == new_version


def test_a_release_shipped_twice_or_tampered_with_is_refused(
    shipped: tuple[Path, str, str], tmp_path: Path
) -> None:
    import shutil

    folder, old_version, _ = shipped
    copy_dir = tmp_path / "rules"
    shutil.copytree(folder, copy_dir)
    shipped_file = copy_dir / "releases" / f"{old_version}.json"
    text = shipped_file.read_text("utf-8")
    shipped_file.write_text(text.replace("kortare än", "längre än", 1), "utf-8")
    with pytest.raises(RulesetUnavailable):
        load_releases(copy_dir)
    state = rulesets.load(copy_dir, engine=False)
    assert not state.ready  # never a verdict from a partly loaded set of releases


def test_the_cli_screens_as_served_by_the_release_in_force_or_by_the_working_tree(
    shipped: tuple[Path, str, str],
    base_document: dict[str, Any],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # A committee member reproducing a verdict wants the release that screened it; a rule
    # author wants the working tree's rules (the default).
    import json

    folder, old_version, new_version = shipped
    before = tmp_path / "before.json"
    before.write_text(json.dumps(application(base_document, "2026-12-02T10:00:00+01:00", 15)))
    after = tmp_path / "after.json"
    after.write_text(json.dumps(application(base_document, "2027-02-01T10:00:00+01:00", 15)))
    screen = ["screen", "--json", "--rules", str(folder), str(before), str(after)]

    assert main([*screen, "--as-served"]) == 0
    served = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [v["ruleset"]["version"] for v in served] == [old_version, new_version]
    assert [v["outcome"] for v in served] == ["eligible", "needs_review"]  # 15 < 20 years

    assert main(screen) == 0
    tree = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [v["ruleset"]["version"] for v in tree] == [new_version, new_version]
    assert [v["outcome"] for v in tree] == ["needs_review", "needs_review"]

    out = tmp_path / "pages"
    report = ["report", "--as-served", "--rules", str(folder), str(before), "--out", str(out)]
    assert main(report) == 0
    page = (out / f"{served[0]['application_id']}.html").read_text("utf-8")
    assert old_version in page and new_version not in page
