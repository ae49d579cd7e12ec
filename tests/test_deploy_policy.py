"""docs/deploy-role-policy.json: generated from the provider schemas, complete, narrow."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from compiler.deploy import deploy_policy
from compiler.vocabulary.names import RESOURCE_TYPES

ROOT = Path(__file__).parent.parent
POLICY_FILE = ROOT / "docs" / "deploy-role-policy.json"


def test_committed_policy_is_current() -> None:
    assert POLICY_FILE.read_bytes() == deploy_policy.render().encode(), (
        "run: python -m compiler.deploy.deploy_policy > docs/deploy-role-policy.json"
    )


TEMPLATES = sorted([*ROOT.glob("tests/golden/*/expected.yaml"), *ROOT.glob("templates/*/v*.yaml")])


def _resources(path: Path) -> dict[str, Any]:
    # cachec renders intrinsics in long form (Fn::Sub:), so plain YAML reads it.
    resources: dict[str, Any] = yaml.safe_load(path.read_text())["Resources"]
    return resources


def _emitted_types() -> set[str]:
    return {r["Type"] for path in TEMPLATES for r in _resources(path).values()}


def _granted() -> set[str]:
    statements = json.loads(POLICY_FILE.read_text())["Statement"]
    return {a for s in statements if s["Effect"] == "Allow" for a in s["Action"]}


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_policy_grants_what_each_template_needs(path: Path) -> None:
    """Per template: the handler permissions of the resource types it holds and
    the actions its properties add (deploy_policy.PROPERTY_ACTIONS) are all in
    the committed policy. A serverless cache with FinalSnapshotName needs
    elasticache:CreateServerlessCacheSnapshot to be deleted at all
    (API_DeleteServerlessCache), which no handler list names."""
    missing = deploy_policy.required_actions(_resources(path)) - _granted()
    assert not missing, missing


def test_property_actions_name_real_properties_and_occur() -> None:
    """Each entry of the table is a property of its type (provider schema) that
    some golden sets: no typo hides an action, no entry is dead."""
    from cfnlint.schema import PROVIDER_SCHEMA_MANAGER

    emitted = {(r["Type"], prop) for path in TEMPLATES for r in _resources(path).values()
               for prop in r.get("Properties", {})}
    for rtype, prop in deploy_policy.PROPERTY_ACTIONS:
        schema = PROVIDER_SCHEMA_MANAGER.get_resource_schema("us-east-1", rtype).schema
        assert prop in schema["properties"], (rtype, prop)
        assert (rtype, prop) in emitted, (rtype, prop)


def test_policy_covers_every_resource_type_cachec_emits() -> None:
    missing = _emitted_types() - set(RESOURCE_TYPES)
    assert not missing, f"add to vocabulary/names.py RESOURCE_TYPES and regenerate: {missing}"


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


def test_log_delivery_to_existing_destinations_is_granted() -> None:
    """Delivery to an existing log group writes the account's log resource
    policy as delivery to a created one does, and to a Firehose stream tags it
    ("Permissions to publish logs to Amazon Data Firehose",
    Logging-destinations.html): the golden that delivers to both needs both,
    with no LogGroup resource in the template to bring them."""
    resources = _resources(ROOT / "tests/golden/logs-existing-destinations/expected.yaml")
    assert not [r for r in resources.values() if r["Type"] == "AWS::Logs::LogGroup"]
    needed = deploy_policy.required_actions(resources)
    assert {"firehose:TagDeliveryStream", "logs:CreateLogDelivery",
            "logs:PutResourcePolicy"} <= needed <= _granted()
