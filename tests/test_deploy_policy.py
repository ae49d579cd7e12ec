"""docs/deploy-role-policy.json: generated from the provider schemas, complete, narrow."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from compiler import deploy_policy
from compiler.synthesize.names import RESOURCE_TYPES

ROOT = Path(__file__).parent.parent
POLICY_FILE = ROOT / "docs" / "deploy-role-policy.json"


def test_committed_policy_is_current() -> None:
    assert POLICY_FILE.read_bytes() == deploy_policy.render().encode(), (
        "run: python -m compiler.deploy_policy > docs/deploy-role-policy.json"
    )


def _emitted_types() -> set[str]:
    found = set()
    for path in [*ROOT.glob("tests/golden/*/expected.yaml"), *ROOT.glob("templates/*/v*.yaml")]:
        # cachec renders intrinsics in long form (Fn::Sub:), so plain YAML reads it.
        resources = yaml.safe_load(path.read_text())["Resources"]
        found |= {resource["Type"] for resource in resources.values()}
    return found


def test_policy_covers_every_resource_type_cachec_emits() -> None:
    missing = _emitted_types() - set(RESOURCE_TYPES)
    assert not missing, f"add to synthesize/names.py RESOURCE_TYPES and regenerate: {missing}"


def test_policy_grants_handler_permissions_and_log_delivery() -> None:
    statements = json.loads(POLICY_FILE.read_text())["Statement"]
    granted = {a for s in statements for a in s["Action"]}
    assert {"elasticache:CreateReplicationGroup", "elasticache:CreateSnapshot",
            "logs:CreateLogDelivery", "logs:PutResourcePolicy",
            "secretsmanager:GetSecretValue", "cloudformation:SetStackPolicy"} <= granted


def test_no_escalation_on_any_resource() -> None:
    for statement in json.loads(POLICY_FILE.read_text())["Statement"]:
        if statement["Resource"] == ["*"]:
            assert not {"iam:PassRole", "iam:PutRolePolicy"} & set(statement["Action"])
        if statement["Action"] == ["iam:CreateServiceLinkedRole"]:
            assert "Condition" in statement


def test_policy_is_yaml_and_json_clean() -> None:
    assert yaml.safe_load(POLICY_FILE.read_text())["Version"] == "2012-10-17"
