"""template.yaml: the SAM-aware check (cfn-lint 1.53.3) passes on it and fails on broken copies;
the tables match api.tables; every function has least privilege; the pins stay in step."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from workbench.local import tables

from api.routes import FUNCTIONS, ROUTES

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
    pins = (REPO / "requirements" / "tools.txt").read_text("utf-8")
    assert "\ncfn-lint==1.53.3 \\\n" in pins  # >= 1.54 silently passes broken SAM templates
    assert "\naws-sam-cli==1.170.0 \\\n" in pins


def test_template_passes_the_sam_aware_check() -> None:
    result = cfn_lint(TEMPLATE)
    assert result.returncode == 0, result.stdout + result.stderr


BREAKAGES = {
    "misspelt SAM property": ("Handler: api.rules.handler", "Handlr: api.rules.handler"),
    "HttpApi event on a missing API": (
        "ApiId: !Ref HttpApi\n            Method: GET\n            Path: /rules",
        "ApiId: !Ref NoSuchApi\n            Method: GET\n            Path: /rules",
    ),
    "unknown authorizer": (
        "Path: /effect-reports\n            Auth:\n              Authorizer: AWS_IAM",
        "Path: /effect-reports\n            Auth:\n              Authorizer: PortalIam",
    ),
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


def test_the_table_matches_the_local_definition() -> None:
    props = template()["Resources"]["ScreeningTable"]["Properties"]
    spec = tables.screening_table("x")
    assert props["BillingMode"] == spec["BillingMode"] == "PAY_PER_REQUEST"
    assert props["SSESpecification"] == {"SSEEnabled": True}
    assert props["AttributeDefinitions"] == spec["AttributeDefinitions"]
    assert props["KeySchema"] == spec["KeySchema"]
    assert props["GlobalSecondaryIndexes"] == spec["GlobalSecondaryIndexes"]
    resource = template()["Resources"]["ScreeningTable"]
    assert resource["DeletionPolicy"] == "Retain"
    assert props["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}


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
    assert _actions(resources["SubmitFunction"]) == {
        "dynamodb:BatchGetItem",
        "dynamodb:PutItem",
        "dynamodb:UpdateItem",
    }
    assert _actions(resources["CommitteeFunction"]) == {  # reads, and records decisions
        "dynamodb:GetItem",
        "dynamodb:Query",
        "dynamodb:PutItem",
        "dynamodb:UpdateItem",
    }
    assert _actions(resources["RescreenFunction"]) == {
        "dynamodb:BatchGetItem",
        "dynamodb:GetItem",
        "dynamodb:Query",
        "dynamodb:PutItem",
        "dynamodb:UpdateItem",
    }
    assert _actions(resources["ReportsFunction"]) == {"dynamodb:GetItem", "dynamodb:Query"}
    assert _actions(resources["FollowUpFunction"]) == {  # reads the loan, appends reports
        "dynamodb:GetItem",
        "dynamodb:Query",
        "dynamodb:PutItem",
        "dynamodb:UpdateItem",
    }
    assert _actions(resources["RulesFunction"]) == set()
    text = TEMPLATE.read_text("utf-8")
    assert not re.search(r"Action:\s*['\"]?\*", text)
    assert "DynamoDBCrudPolicy" not in text


def test_routes_handlers_and_authorizers_follow_the_route_table() -> None:
    resources = template()["Resources"]
    wired = {}
    for name, resource in resources.items():
        for event in resource.get("Properties", {}).get("Events", {}).values():
            props = event["Properties"]
            wired[f"{props['Method']} {props['Path']}"] = (
                name,
                resource["Properties"]["Handler"],
                props["Auth"]["Authorizer"],
            )
    authorizer = {"portal": "AWS_IAM", "committee": "CommitteeJwt", "public": "NONE"}
    assert wired == {
        route.key: (*FUNCTIONS[route.function], authorizer[route.auth]) for route in ROUTES
    }
    portal = resources["PortalInvokePolicy"]["Properties"]["PolicyDocument"]["Statement"]
    invoked = " ".join(str(r) for s in portal for r in s["Resource"])
    for route in ROUTES:  # the portal may call exactly its routes and the public catalogue
        arn_part = f"{route.method}{route.path}"
        may = route.auth in ("portal", "public")
        assert (f"/$default/{arn_part}" in invoked) == may, route.key
    env = template()["Globals"]["Function"]["Environment"]["Variables"]
    assert env["PORTAL_ROLE_NAMES"] == {"Ref": "PortalRoleName"}


def test_it_is_operable_alarms_concurrency_and_access_logs() -> None:
    resources = template()["Resources"]
    alarms = {
        n: r["Properties"] for n, r in resources.items() if r["Type"] == "AWS::CloudWatch::Alarm"
    }
    metrics = {p.get("MetricName") for p in alarms.values()} | {
        m["MetricStat"]["Metric"]["MetricName"]
        for p in alarms.values()
        for m in p.get("Metrics", [])
        if "MetricStat" in m
    }
    assert {
        "5xx",
        "RulesetUnavailable",
        "SubmitBusy",
        "Errors",
        "Throttles",
        "ReadThrottleEvents",
        "WriteThrottleEvents",
    } <= metrics
    for props in alarms.values():
        assert props["AlarmActions"], "every alarm notifies"
    for name in FUNCTIONS.values():
        assert "ReservedConcurrentExecutions" in resources[name[0]]["Properties"], name
    log_format = resources["HttpApi"]["Properties"]["AccessLogSettings"]["Format"]
    for field in (
        "$context.identity.sourceIp",
        "$context.identity.userArn",
        "$context.authorizer.claims.sub",
    ):
        assert field in log_format
    # The custom metrics the alarms watch are the ones the code emits (service dimension).
    emitted = " ".join(p.read_text("utf-8") for p in (REPO / "functions" / "api").rglob("*.py"))
    for metric in ("RulesetUnavailable", "SubmitBusy"):
        assert f'"{metric}"' in emitted
