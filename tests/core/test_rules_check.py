"""`screening rules check`: every kind of mistake is reported as file:line with a way out, and
the policies a verdict rests on are enforced: no test of a text's length or words, no reject
without a published reference, the version moves with the content, nothing partial."""

from __future__ import annotations

from pathlib import Path

import pytest
from workbench.authoring import RulesetError, compile_rules
from workbench.authoring.release import bump
from workbench.cli import main

VERSION_PROBLEM = "the rule files changed since version"


def edit(rules: Path, file: str, old: str, new: str) -> None:
    path = rules / file
    text = path.read_text("utf-8")
    assert old in text, f"test setup: {old!r} not in {file}"
    path.write_text(text.replace(old, new, 1), "utf-8")


def problems_after(rules: Path, file: str, old: str, new: str) -> list[str]:
    """The problems of the folder after one edit (the version's own complaint left out)."""
    edit(rules, file, old, new)
    with pytest.raises(RulesetError) as raised:
        compile_rules(rules)
    return [str(p) for p in raised.value.problems if VERSION_PROBLEM not in str(p)]


def line_of(rules: Path, file: str, needle: str) -> int:
    for number, line in enumerate((rules / file).read_text("utf-8").splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {file}")


def test_the_shipped_rules_are_clean(rules_copy: Path) -> None:
    ruleset = compile_rules(rules_copy).ruleset
    assert len(ruleset.rules) >= 25
    assert len({rule.id for rule in ruleset.rules}) == len(ruleset.rules)


def test_unknown_field_path_with_suggestion(rules_copy: Path) -> None:
    problems = problems_after(
        rules_copy,
        "02-investment.yaml",
        "field: project.loan_amount_sek",
        "field: project.loan_amount",
    )
    line = line_of(rules_copy, "02-investment.yaml", "field: project.loan_amount\n".strip())
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
    assert any("unknown key 'at_leest'" in p for p in problems), problems


@pytest.mark.parametrize(
    ("test", "why"),
    [
        ("length_at_least: 80", "may not rest on the length of a text"),
        ("length_at_most: 80", "may not rest on the length of a text"),
        ("contains_any: [trygg]", "may not rest on words in a free text"),
    ],
)
def test_a_test_of_a_texts_length_or_words_is_refused(
    rules_copy: Path, test: str, why: str
) -> None:
    problems = problems_after(
        rules_copy,
        "04-social-effect.yaml",
        "- {field: social_content.desired_change, present: true}",
        "- {field: social_content.desired_change, " + test + "}",
    )
    line = line_of(rules_copy, "04-social-effect.yaml", test)
    assert len(problems) == 1 and why in problems[0], problems
    assert problems[0].startswith(f"{rules_copy / '04-social-effect.yaml'}:{line}:")


def test_a_reject_rule_citing_an_assumption_is_refused(rules_copy: Path) -> None:
    problems = problems_after(
        rules_copy,
        "02-investment.yaml",
        "      source: lsh_launch_dialog_2021\n",
        "      source: lender_screening_policy\n",
    )
    assert len(problems) == 1, problems
    assert (
        "rule investment.physical rejects, but its reference 'lender_screening_policy' is assumption"
        in problems[0]
    )


def test_a_reject_rule_citing_a_news_page_is_refused(rules_copy: Path) -> None:
    problems = problems_after(
        rules_copy,
        "02-investment.yaml",
        "      source: lsh_launch_dialog_2021\n",
        "      source: byggkoll_launch_2021\n",
    )
    assert len(problems) == 1 and "is secondary" in problems[0], problems


def test_a_reject_rule_whose_parameter_is_an_assumption_is_refused(rules_copy: Path) -> None:
    problems = problems_after(
        rules_copy,
        "02-investment.yaml",
        'reference: {source: lsh_product_page, section: "Så här fungerar det", note: "Lånen finansierar fysiska investeringar"}',
        "reference: {source: lender_screening_policy}",
    )
    assert len(problems) == 1, problems
    assert (
        "parameter 'non_investment_kinds' rests on 'lender_screening_policy' (assumption)"
        in problems[0]
    )


def test_the_municipality_and_region_number_series_must_agree_everywhere(
    rules_copy: Path,
) -> None:
    problems = problems_after(
        rules_copy, "01-borrower.yaml", 'value: ["212000"]', 'value: ["212001"]'
    )
    assert len(problems) == 1, problems
    assert "municipality_number_series is ['212000'] here but ['212001'] in rule" in problems[0]


def test_a_number_series_is_digits_only(rules_copy: Path) -> None:
    problems = problems_after(
        rules_copy, "01-borrower.yaml", 'value: ["232100"]', 'value: ["2321-00"]'
    )
    assert len(problems) == 1, problems
    assert "region_number_series lists the first digits of organisation numbers" in problems[0]


def test_a_reject_rule_may_not_read_what_is_derived_from_an_assumed_number_series(
    rules_copy: Path,
) -> None:
    problems = problems_after(
        rules_copy,
        "02-investment.yaml",
        "    condition:\n      field: project.investment_kind\n      not_in: {param: non_investment_kinds}\n",
        "    condition:\n      all:\n        - {field: project.investment_kind, not_in: {param: non_investment_kinds}}\n"
        "        - {field: derived.member_share_percent, greater_than: 50}\n",
    )
    assert problems, problems
    assert all(
        "rule investment.physical rejects, but reads derived.member_share_percent" in p
        and "an assumption may refer, never reject" in p
        for p in problems
    ), problems


def test_the_models_member_share_counting_the_state_is_warned_of(rules_copy: Path) -> None:
    # Warned, not refused: the rules of earlier releases read it and must still compile.
    edit(
        rules_copy,
        "01-borrower.yaml",
        "      field: derived.member_share_percent\n",
        "      field: applicant.member_share_percent\n",
    )
    edit(
        rules_copy,
        "data/labels.yaml",
        "  derived.member_share_percent:",
        '  applicant.member_share_percent: {sv: "andel", en: "share"}\n'
        "  derived.member_share_percent:",
    )
    warnings = [str(w) for w in compile_rules(rules_copy, verify_version=False).warnings]
    assert any(
        "rule borrower.company_controlled_by_members reads applicant.member_share_percent" in w
        and "read derived.member_share_percent instead" in w
        for w in warnings
    ), warnings


def test_the_last_committed_rules_still_compile_with_todays_code() -> None:
    # `screening rules release --from-git HEAD` and `impact --base HEAD` compile the rules as
    # committed with today's code: a derived value no rule of theirs reads (the number series)
    # needs no labels there, and the model's member share is only warned of.
    from workbench.gitrules import is_revision, rules_at

    from screening.ruleset.release import default_rules_dir

    if not is_revision(default_rules_dir(), "HEAD"):
        pytest.skip("not a git checkout")
    folder, _ = rules_at(default_rules_dir(), "HEAD")
    assert compile_rules(folder).ruleset.rules


def test_a_derived_value_a_rule_reads_needs_the_labels_of_its_choices(rules_copy: Path) -> None:
    problems = problems_after(
        rules_copy, "data/labels.yaml", "  public_body_kind:\n", "  unused_kind:\n"
    )
    assert any("labels for 'public_body_kind' are missing" in p for p in problems), problems


def test_a_rule_without_a_reference_is_refused(rules_copy: Path) -> None:
    problems = problems_after(
        rules_copy,
        "02-investment.yaml",
        '    reference:\n      source: lsh_launch_dialog_2021\n      section: "Ingress/brödtext"\n'
        "      note: Municipalities and regions may borrow for investments only, never for operating costs.\n",
        "",
    )
    assert any("'reference' is required here" in p for p in problems), problems


def test_an_unknown_source_is_refused_with_a_suggestion(rules_copy: Path) -> None:
    problems = problems_after(
        rules_copy,
        "02-investment.yaml",
        "source: lsh_launch_dialog_2021",
        "source: lsh_launch_dialog",
    )
    assert problems and "did you mean 'lsh_launch_dialog_2021'" in problems[0], problems


def test_changing_a_reason_without_bumping_the_version_is_refused(rules_copy: Path) -> None:
    edit(rules_copy, "02-investment.yaml", "aldrig drift.", "aldrig driftkostnader.")
    with pytest.raises(RulesetError) as raised:
        compile_rules(rules_copy)
    (problem,) = [str(p) for p in raised.value.problems]
    assert problem.startswith(f"{rules_copy / 'VERSION'}:")
    assert VERSION_PROBLEM in problem and "run `screening rules bump`" in problem
    release, changed = bump(rules_copy)
    assert changed
    assert compile_rules(rules_copy).ruleset.version["version"] == release.version


@pytest.mark.parametrize(
    "file",
    [
        "01-borrower.yaml",
        "02-investment.yaml",
        "03-category.yaml",
        "04-social-effect.yaml",
        "05-grundkrav.yaml",
        "06-signals.yaml",
    ],
)
def test_deleting_any_rule_file_is_refused(
    rules_copy: Path, file: str, capsys: pytest.CaptureFixture[str]
) -> None:
    (rules_copy / file).unlink()
    with pytest.raises(RulesetError) as raised:
        compile_rules(rules_copy)
    text = "\n".join(str(p) for p in raised.value.problems)
    assert f"rule file {file} is listed in the manifest" in text and "is missing" in text
    assert main(["rules", "check", "--rules", str(rules_copy)]) == 3
    assert file in capsys.readouterr().err


def test_a_requirement_no_rule_covers_is_refused(rules_copy: Path) -> None:
    edit(
        rules_copy,
        "data/requirements.yaml",
        "  signals:\n",
        '  grundkrav_6:\n    title: {sv: "Grundkrav 6", en: "Basic requirement 6"}\n  signals:\n',
    )
    bump(rules_copy)
    with pytest.raises(RulesetError) as raised:
        compile_rules(rules_copy)
    assert [str(p).split(": ", 1)[1] for p in raised.value.problems] == [
        "requirement 'grundkrav_6' is covered by no rule"
    ]


def test_a_rule_file_that_is_not_utf8_gets_its_line(
    rules_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = rules_copy / "06-signals.yaml"
    lines = path.read_bytes().split(b"\n")
    lines[4] = lines[4] + b" \xff\xfe"
    path.write_bytes(b"\n".join(lines))
    assert main(["rules", "check", "--rules", str(rules_copy)]) == 3
    err = capsys.readouterr().err
    assert f"{path}:5: not UTF-8 (byte 0xff); save the file as UTF-8" in err
    assert "Traceback" not in err


def test_a_list_placeholder_must_say_what_an_empty_list_reads_as(rules_copy: Path) -> None:
    problems = problems_after(
        rules_copy,
        "03-category.yaml",
        "{category_fit.matched|ingen av de tre kategorierna}",
        "{category_fit.matched}",
    )
    assert problems and "is a list and may be empty" in problems[0], problems


def test_a_field_a_rule_reads_needs_a_label(rules_copy: Path) -> None:
    problems = problems_after(
        rules_copy,
        "data/labels.yaml",
        '  social_content.time_horizon_years: {sv: "tidshorisont", en: "time horizon", format: year}\n',
        "",
    )
    assert (
        problems
        and "field 'social_content.time_horizon_years' is read by a rule but has no label"
        in problems[0]
    )


def test_every_result_a_rule_can_give_needs_an_example(rules_copy: Path) -> None:
    problems = problems_after(
        rules_copy,
        "05-grundkrav.yaml",
        "      - description: One year\n        application:\n          social_content: {time_horizon_years: 1}\n        expect: failed\n",
        "      - description: One year\n        application:\n          social_content: {time_horizon_years: 1}\n        expect: passed\n",
    )
    assert any("rule grundkrav_4.long_term has no example that is failed" in p for p in problems), (
        problems
    )


def test_the_contact_person_may_not_be_read(rules_copy: Path) -> None:
    problems = problems_after(
        rules_copy,
        "06-signals.yaml",
        "field: project.applies_for_green_loan",
        "field: contact_person.email",
    )
    assert problems and "is personal data" in problems[0]


def test_rules_check_prints_the_version_and_counts(
    capsys: pytest.CaptureFixture[str], rules_copy: Path
) -> None:
    assert main(["rules", "check", "--rules", str(rules_copy)]) == 0
    out = capsys.readouterr().out
    assert "rules in 6 files" in out and ": ok" in out
