"""``screening report FILE... --out DIR``: the committee's pages as files."""

from __future__ import annotations

import json

import pytest
import yaml
from report_support import RULES_DIR, derive
from workbench.cli import main


def run(argv: list[str]) -> int:
    return main(["report", *argv])


@pytest.fixture
def files(tmp_path, base_document):
    rejected = derive(base_document, "drift-0003", project={"investment_kind": "operating_cost"})
    json_file = tmp_path / "drift-0003.json"
    json_file.write_text(json.dumps(rejected, ensure_ascii=False), "utf-8")
    yaml_file = tmp_path / "base.yaml"
    yaml_file.write_text(yaml.safe_dump(base_document, allow_unicode=True), "utf-8")
    return [str(json_file), str(yaml_file)]


def test_writes_one_page_per_application_and_the_round_index(files, tmp_path, capsys):
    out = tmp_path / "out"
    assert run([*files, "--out", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == [
        "base-0001.html",
        "drift-0003.html",
        "index.html",
    ]
    index = (out / "index.html").read_text("utf-8")
    assert 'href="drift-0003.html"' in index and 'href="base-0001.html"' in index
    assert index.index("drift-0003.html") < index.index("base-0001.html")  # ineligible first
    report = (out / "drift-0003.html").read_text("utf-8")
    assert "Uppfyller inte kraven" in report and 'href="index.html"' in report
    assert "wrote" in capsys.readouterr().out


def test_english_pages(files, tmp_path):
    out = tmp_path / "en"
    assert run([*files, "--out", str(out), "--lang", "en", "--rules", str(RULES_DIR)]) == 0
    assert "Meets the requirements" in (out / "base-0001.html").read_text("utf-8")


def test_same_application_twice_gives_history(tmp_path, base_document):
    first = tmp_path / "v1.json"
    first.write_text(
        json.dumps(derive(base_document, "same-0001", applicant={"declares_membership": False}))
    )
    second = tmp_path / "v2.json"
    second.write_text(json.dumps(derive(base_document, "same-0001")))
    out = tmp_path / "out"
    assert run([str(first), str(second), "--out", str(out)]) == 0
    page = (out / "same-0001.html").read_text("utf-8")
    assert "Uppfyller kraven" in page and "pill-needs_review" in page  # the earlier screening


def test_invalid_file_exits_2_with_field_errors_and_writes_nothing(
    files, tmp_path, base_document, capsys
):
    broken = dict(base_document, application_id="!")
    del broken["project"]
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(broken))
    not_json = tmp_path / "garbage.json"
    not_json.write_text("{nope")
    out = tmp_path / "out"
    assert run([*files, str(bad), str(not_json), "--out", str(out)]) == 2
    errors = capsys.readouterr().err
    assert f"{bad}: application_id:" in errors and f"{bad}: project:" in errors
    assert f"{not_json}: not valid JSON" in errors
    assert not out.exists()


def test_broken_rules_exit_3(files, tmp_path, rules_copy, capsys):
    (rules_copy / "01-borrower.yaml").write_text("rules: [", "utf-8")
    assert run([*files, "--out", str(tmp_path / "out"), "--rules", str(rules_copy)]) == 3
    assert "01-borrower.yaml" in capsys.readouterr().err
