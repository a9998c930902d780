"""`screening rules check`: every kind of mistake is reported as file:line with a way out."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from screening import RulesetError, load_ruleset
from screening.cli import main


def problems_after(rules: Path, file: str, old: str, new: str) -> list[str]:
    path = rules / file
    text = path.read_text("utf-8")
    assert old in text, f"test setup: {old!r} not in {file}"
    path.write_text(text.replace(old, new, 1), "utf-8")
    with pytest.raises(RulesetError) as raised:
        load_ruleset(rules)
    return [str(p) for p in raised.value.problems]


def line_of(rules: Path, file: str, needle: str) -> int:
    for number, line in enumerate((rules / file).read_text("utf-8").splitlines(), start=1):
        if line.rstrip().endswith(needle) or needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {file}")


def test_the_shipped_rules_are_clean(rules_copy: Path) -> None:
    ruleset = load_ruleset(rules_copy)
    assert len(ruleset.rules) >= 20
    assert len({rule.id for rule in ruleset.rules}) == len(ruleset.rules)


def test_unknown_field_path_with_suggestion(rules_copy: Path) -> None:
    problems = problems_after(
        rules_copy,
        "02-investment.yaml",
        "field: project.loan_amount_sek",
        "field: project.loan_amount",
    )
    line = line_of(rules_copy, "02-investment.yaml", "field: project.loan_amount")
    assert problems == [
        f"{rules_copy / '02-investment.yaml'}:{line}: rule investment.loan_within_cost: unknown "
        "field 'project.loan_amount' in the application; did you mean 'project.loan_amount_sek'?"
    ]


def test_unknown_operator(rules_copy: Path) -> None:
    problems = problems_after(
        rules_copy,
        "05-grundkrav.yaml",
        "      at_least: {param: min_time_horizon_years}",
        "      at_leest: {param: min_time_horizon_years}",
    )
    line = line_of(rules_copy, "05-grundkrav.yaml", "at_leest")
    assert (
        f"{rules_copy / '05-grundkrav.yaml'}:{line}: unknown key 'at_leest'; did you mean "
        "'at_least'?" in problems
    )


def test_duplicate_rule_id(rules_copy: Path) -> None:
    problems = problems_after(
        rules_copy, "06-signals.yaml", "id: signal.green_loan", "id: signal.vulnerable_area"
    )
    line = line_of(rules_copy, "06-signals.yaml", "id: signal.vulnerable_area")
    assert len(problems) == 1
    assert "rule id 'signal.vulnerable_area' is already used at 06-signals.yaml:" in problems[0]
    assert problems[0].startswith(f"{rules_copy / '06-signals.yaml'}:")
    assert line < int(problems[0].split(":")[1])


def test_missing_translation(rules_copy: Path) -> None:
    problems = problems_after(
        rules_copy,
        "02-investment.yaml",
        '        en: "The investment is a physical investment ({project.investment_kind})."\n',
        "",
    )
    line = line_of(rules_copy, "02-investment.yaml", "Investeringen är en fysisk investering")
    assert problems == [
        f"{rules_copy / '02-investment.yaml'}:{line - 1}: 'en' is required here "
        "(rules.0.reasons.passed.en)"
    ]


def test_parameter_referenced_but_not_defined(rules_copy: Path) -> None:
    problems = problems_after(
        rules_copy,
        "05-grundkrav.yaml",
        "at_least: {param: min_time_horizon_years}",
        "at_least: {param: min_horizon}",
    )
    line = line_of(rules_copy, "05-grundkrav.yaml", "min_horizon}")
    assert problems == [
        f"{rules_copy / '05-grundkrav.yaml'}:{line}: rule grundkrav_4.long_term: parameter "
        "'min_horizon' is not defined; add it under 'parameters:' "
        "(defined: min_time_horizon_years)"
    ]


def test_enum_value_typo(rules_copy: Path) -> None:
    problems = problems_after(
        rules_copy, "02-investment.yaml", "not_equals: temporary_building", "not_equals: temporary"
    )
    assert len(problems) == 1
    assert (
        "'temporary' is not a value of 'project.investment_kind' (did you mean "
        "'temporary_building'?)" in problems[0]
    )


def test_wrong_kind_of_field_for_the_test(rules_copy: Path) -> None:
    problems = problems_after(
        rules_copy,
        "04-social-effect.yaml",
        "field: social_content.needs_and_challenges\n      length_at_least",
        "field: social_content.target_group.approximate_size\n      length_at_least",
    )
    assert (
        "length_at_least needs a text field; 'social_content.target_group.approximate_size' "
        "is a number field" in problems[0]
    )


def test_rules_may_not_read_personal_data(rules_copy: Path) -> None:
    problems = problems_after(
        rules_copy,
        "01-borrower.yaml",
        "field: applicant.declares_membership",
        "field: contact_person.email",
    )
    assert (
        "'contact_person.email' is personal data (the contact person); rules may not read it"
        in problems[0]
    )


def test_reasons_may_not_cite_personal_data_or_unknown_fields(rules_copy: Path) -> None:
    problems = problems_after(
        rules_copy,
        "06-signals.yaml",
        "Projektet söker också grönt lån;",
        "{contact_person.name} söker {project.nothing};",
    )
    assert "'{contact_person.name}' is personal data; reasons may not cite it" in problems[0]


def test_unused_parameter(rules_copy: Path) -> None:
    problems = problems_after(
        rules_copy,
        "05-grundkrav.yaml",
        "    parameters:\n      min_time_horizon_years:",
        "    parameters:\n      max_time_horizon_years:\n        value: 40\n"
        "        description: Nobody uses this.\n      min_time_horizon_years:",
    )
    line = line_of(rules_copy, "05-grundkrav.yaml", "max_time_horizon_years:")
    assert problems == [
        f"{rules_copy / '05-grundkrav.yaml'}:{line}: rule grundkrav_4.long_term: parameter "
        "'max_time_horizon_years' is defined but used by no condition or reason"
    ]


def test_yaml_syntax_error_has_its_line(rules_copy: Path) -> None:
    problems = problems_after(
        rules_copy, "06-signals.yaml", "    kind: signal\n", "    kind: [signal\n"
    )
    assert len(problems) == 1
    assert problems[0].startswith(f"{rules_copy / '06-signals.yaml'}:")
    assert "not valid YAML" in problems[0]


def test_unknown_condition_keyword(rules_copy: Path) -> None:
    problems = problems_after(
        rules_copy,
        "03-category.yaml",
        "      category_fits: project.declared_category",
        "      category_matches: project.declared_category",
    )
    line = line_of(rules_copy, "03-category.yaml", "category_matches")
    assert any(
        p.startswith(f"{rules_copy / '03-category.yaml'}:{line - 1}:")
        and "a condition starts with one of" in p
        for p in problems
    ), problems


def test_cli_exits_3_with_file_and_line(rules_copy: Path, capsys: pytest.CaptureFixture) -> None:
    path = rules_copy / "02-investment.yaml"
    path.write_text(path.read_text("utf-8").replace("severity: reject", "severity: deny", 1))
    assert main(["rules", "check", "--rules", str(rules_copy)]) == 3
    err = capsys.readouterr().err
    assert f"{path}:" in err and "'reject', 'refer' or 'note'" in err


def test_cli_check_passes_on_the_shipped_rules(capsys: pytest.CaptureFixture) -> None:
    assert main(["rules", "check"]) == 0
    assert re.search(r": \d+ rules, ruleset \S+, \d+ fact properties: ok$", capsys.readouterr().out)
