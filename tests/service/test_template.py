"""template.yaml: the SAM-aware check (cfn-lint 1.53.3) passes on it and fails on broken copies;
the tables match api.tables; every function has least privilege; the pins stay in step."""

from __future__ import annotations

import os
import re
import subprocess
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml

from api import tables

REPO = Path(__file__).resolve().parents[2]
TEMPLATE = REPO / "template.yaml"
CFN_LINT = REPO / ".venv-tools" / "bin" / "cfn-lint"


class _CfnLoader(yaml.SafeLoader):
    """Reads CloudFormation's short tags (!Ref, !Sub, …) as plain values."""


def _tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return {suffix: loader.construct_scalar(node)}
    if isinstance(node, yaml.SequenceNode):
        return {suffix: loader.construct_sequence(node, deep=True)}
    return {suffix: loader.construct_mapping(node, deep=True)}


_CfnLoader.add_multi_constructor("!", _tag)


def template() -> dict[str, Any]:
    return yaml.load(TEMPLATE.read_text("utf-8"), Loader=_CfnLoader)


def cfn_lint(path: Path) -> subprocess.CompletedProcess[str]:
    if not CFN_LINT.exists():
        if os.environ.get("LSH_REQUIRE_TOOLS"):
            pytest.fail(f"{CFN_LINT} is missing: run `make tools`")
        pytest.skip("the tools venv is missing: `make template-check` creates it")
    return subprocess.run(
        [str(CFN_LINT), "--format", "parseable", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_tools_venv_pins_the_sam_aware_cfn_lint() -> None:
    pins = (REPO / "requirements-tools.txt").read_text("utf-8")
    assert "\ncfn-lint==1.53.3\n" in pins  # >= 1.54 silently passes broken SAM templates
    assert "\naws-sam-cli==1.170.0\n" in pins


def test_template_passes_the_sam_aware_check() -> None:
    result = cfn_lint(TEMPLATE)
    assert result.returncode == 0, result.stdout + result.stderr


BREAKAGES = {
    "misspelt SAM property": ("Handler: api.handlers.rules", "Handlr: api.handlers.rules"),
    "HttpApi event on a missing API": (
        "ApiId: !Ref HttpApi\n            Method: GET\n            Path: /rules",
        "ApiId: !Ref NoSuchApi\n            Method: GET\n            Path: /rules",
    ),
    "unknown authorizer": ("Authorizer: AWS_IAM", "Authorizer: PortalIam"),
}


@pytest.mark.parametrize("name", sorted(BREAKAGES))
def test_a_broken_copy_fails_the_check(name: str, tmp_path: Path) -> None:
    old, new = BREAKAGES[name]
    text = TEMPLATE.read_text("utf-8")
    assert text.count(old) == 1, f"{name}: the breakage no longer applies to template.yaml"
    broken = tmp_path / "template.yaml"
    broken.write_text(text.replace(old, new), "utf-8")
    result = cfn_lint(broken)
    assert result.returncode != 0, f"{name} passed the check:\n{result.stdout}"


def test_tables_match_api_tables() -> None:
    resources = template()["Resources"]
    for logical, spec in (
        ("VerdictTable", tables.verdict_table("x")),
        ("IdempotencyTable", tables.idempotency_table("x")),
    ):
        props = resources[logical]["Properties"]
        assert props["BillingMode"] == spec["BillingMode"] == "PAY_PER_REQUEST"
        assert props["SSESpecification"] == {"SSEEnabled": True}
        assert props["AttributeDefinitions"] == spec["AttributeDefinitions"]
        assert props["KeySchema"] == spec["KeySchema"]
        assert props.get("GlobalSecondaryIndexes", []) == spec.get("GlobalSecondaryIndexes", [])
    verdicts = resources["VerdictTable"]
    assert verdicts["DeletionPolicy"] == "Retain"
    assert verdicts["Properties"]["PointInTimeRecoverySpecification"] == {
        "PointInTimeRecoveryEnabled": True
    }
    ttl = resources["IdempotencyTable"]["Properties"]["TimeToLiveSpecification"]
    assert ttl == {"AttributeName": "expiration", "Enabled": True}


def _actions(function: dict[str, Any]) -> set[str]:
    actions: set[str] = set()
    for policy in function["Properties"].get("Policies", []):
        assert isinstance(policy, dict) and "Statement" in policy, "inline statements only"
        for statement in policy["Statement"]:
            listed = statement["Action"]
            actions.update([listed] if isinstance(listed, str) else listed)
    return actions


def test_least_privilege_per_function() -> None:
    resources = template()["Resources"]
    submit = _actions(resources["SubmitFunction"])
    committee = _actions(resources["CommitteeFunction"])
    rules = _actions(resources["RulesFunction"])
    for action in submit | committee | rules:
        assert "*" not in action
    assert submit == {
        "dynamodb:PutItem",
        "dynamodb:Query",
        "dynamodb:GetItem",
        "dynamodb:UpdateItem",
        "dynamodb:DeleteItem",
    }
    assert committee == {"dynamodb:Query"}
    assert rules == set()
    text = TEMPLATE.read_text("utf-8")
    assert not re.search(r"Action:\s*['\"]?\*", text)
    assert "DynamoDBCrudPolicy" not in text


def test_routes_and_authorizers() -> None:
    resources = template()["Resources"]
    routes = {}
    for name, resource in resources.items():
        for event in resource.get("Properties", {}).get("Events", {}).values():
            props = event["Properties"]
            routes[f"{props['Method']} {props['Path']}"] = (name, props["Auth"]["Authorizer"])
    assert routes == {
        "POST /screenings": ("SubmitFunction", "AWS_IAM"),
        "GET /screenings/{application_id}": ("CommitteeFunction", "CommitteeJwt"),
        "GET /screenings": ("CommitteeFunction", "CommitteeJwt"),
        "GET /screenings/{application_id}/report": ("CommitteeFunction", "CommitteeJwt"),
        "GET /reports/round": ("CommitteeFunction", "CommitteeJwt"),
        "GET /rules": ("RulesFunction", "NONE"),
    }
    from api.handlers import ROUTES

    handler_of = {
        "SubmitFunction": "submit",
        "CommitteeFunction": "committee",
        "RulesFunction": "rules",
    }
    assert {k: handler_of[v[0]] for k, v in routes.items()} == ROUTES
    portal = resources["PortalInvokePolicy"]["Properties"]["PolicyDocument"]["Statement"]
    invoked = " ".join(str(r) for s in portal for r in s["Resource"])
    assert "POST/screenings" in invoked and "GET/rules" in invoked
    assert "GET/screenings" not in invoked  # the portal's principal never reads verdicts


def _pins(lines: list[str]) -> dict[str, str]:
    out = {}
    for line in lines:
        line = line.split("#")[0].strip()
        if line:
            name, _, version = line.partition("==")
            out[re.sub(r"[-_.]+", "-", name).lower()] = version
    return out


def test_runtime_pins_in_step() -> None:
    runtime = _pins((REPO / "functions" / "requirements.txt").read_text("utf-8").splitlines())
    project = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["project"]
    declared = _pins(project["dependencies"])
    constraints = _pins((REPO / "constraints.txt").read_text("utf-8").splitlines())
    for name, version in declared.items():
        assert runtime.get(name) == version, name
    for name, version in runtime.items():
        assert constraints.get(name) == version, name
