"""The `screening` command: exit codes, Swedish table, JSON as the API returns it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from workbench.cli import main

from screening.models.verdict import Verdict


@pytest.fixture
def application_file(tmp_path: Path, base_document: dict) -> Path:
    path = tmp_path / "application.json"
    path.write_text(json.dumps(base_document, ensure_ascii=False), "utf-8")
    return path


def test_screen_prints_a_swedish_table(application_file: Path, capsys) -> None:
    assert main(["screen", str(application_file)]) == 0
    out = capsys.readouterr().out
    assert "Utfall: UPPFYLLER KRAVEN" in out
    assert "investment.loan_within_cost" in out and "✓ uppfylld" in out
    assert "Lånebeloppet 100 000 000 kr ryms i" in out


def test_screen_in_english(application_file: Path, capsys) -> None:
    assert main(["screen", "--lang", "en", str(application_file)]) == 0
    assert "Outcome: MEETS THE REQUIREMENTS" in capsys.readouterr().out  # one vocabulary


def test_screen_json_is_a_verdict(application_file: Path, capsys) -> None:
    assert main(["screen", "--json", str(application_file), str(application_file)]) == 0
    lines = capsys.readouterr().out.splitlines()
    verdicts = [Verdict.model_validate_json(line) for line in lines]
    assert [v.application_id for v in verdicts] == ["base-0001", "base-0001"]
    assert json.loads(lines[0])["outcome"] == "eligible"


def test_invalid_input_exits_2_with_field_errors(
    tmp_path: Path, base_document: dict, capsys
) -> None:
    base_document["project"]["loan_amount_sek"] = 0
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(base_document))
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    assert main(["screen", str(bad), str(broken)]) == 2
    err = capsys.readouterr().err
    assert f"{bad}: project.loan_amount_sek: Input should be greater than 0" in err
    assert f"{broken}: not valid JSON (line 1" in err


def test_validate(application_file: Path, capsys) -> None:
    assert main(["validate", str(application_file)]) == 0
    assert "valid" in capsys.readouterr().out


def test_rule_errors_exit_3(rules_copy: Path, application_file: Path) -> None:
    (rules_copy / "VERSION").unlink()
    assert main(["screen", "--rules", str(rules_copy), str(application_file)]) == 3


def test_python_dash_m_is_the_same_command(application_file: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "workbench", "screen", "--json", str(application_file)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["application_id"] == "base-0001"


def test_schemas_are_up_to_date() -> None:
    schemas = Path(__file__).resolve().parents[2] / "schemas"
    assert main(["schemas", "--check", "--out", str(schemas)]) == 0, "run `make schemas`"


def test_a_stale_schema_is_detected(tmp_path: Path) -> None:
    assert main(["schemas", "--out", str(tmp_path)]) == 0
    (tmp_path / "verdict.schema.json").write_text("{}")
    assert main(["schemas", "--check", "--out", str(tmp_path)]) == 1


def test_rule_files_validate_against_their_generated_schema() -> None:
    import jsonschema
    import yaml

    repo = Path(__file__).resolve().parents[2]
    schema = json.loads((repo / "schemas" / "rule-file.schema.json").read_text())
    files = sorted(p for p in (repo / "rules").glob("*.yaml") if p.name != "manifest.yaml")
    assert files
    for path in files:
        first = path.read_text("utf-8").splitlines()[0]
        assert first == "# yaml-language-server: $schema=../schemas/rule-file.schema.json"
        jsonschema.validate(yaml.safe_load(path.read_text("utf-8")), schema)


def test_report_writes_the_committee_pages(application_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "reports"
    assert main(["report", str(application_file), "--out", str(out)]) == 0
    page = (out / "base-0001.html").read_text("utf-8")
    assert "Uppfyller kraven" in page
    assert "base-0001.html" in (out / "index.html").read_text("utf-8")


def test_a_yaml_application_file_is_read_like_json(
    tmp_path: Path, base_document: dict, capsys
) -> None:
    import yaml

    path = tmp_path / "application.yaml"
    path.write_text(yaml.safe_dump(base_document, allow_unicode=True), "utf-8")
    assert main(["validate", str(path)]) == 0


def test_rules_bump_records_a_new_version_and_check_accepts_it(rules_copy: Path, capsys) -> None:
    edit = rules_copy / "02-investment.yaml"
    edit.write_text(
        edit.read_text("utf-8").replace("aldrig drift.", "aldrig drift, enligt ramverket.", 1),
        "utf-8",
    )
    assert main(["rules", "check", "--rules", str(rules_copy)]) == 3
    assert "run `screening rules bump`" in capsys.readouterr().err
    assert main(["rules", "bump", "--rules", str(rules_copy), "--version", "2099.1.1"]) == 0
    assert main(["rules", "check", "--rules", str(rules_copy)]) == 0
    assert "ruleset 2099.1.1+" in capsys.readouterr().out
    # Nothing changed since: bump says so and leaves the version.
    assert main(["rules", "bump", "--rules", str(rules_copy)]) == 0
    assert "nothing to bump" in capsys.readouterr().out


def test_rules_compile_writes_what_the_service_loads(rules_copy: Path) -> None:
    from screening.ruleset.compiled import load_compiled

    assert main(["rules", "compile", "--rules", str(rules_copy)]) == 0
    ruleset = load_compiled(rules_copy)
    assert len(ruleset.rules) >= 25
    # A rule file changed after compiling: the service refuses the stale artifact.
    edit = rules_copy / "06-signals.yaml"
    edit.write_text(edit.read_text("utf-8") + "\n", "utf-8")
    import pytest as _pytest

    from screening.ruleset.compiled import RulesetUnavailable

    with _pytest.raises(RulesetUnavailable, match="stale"):
        load_compiled(rules_copy)
