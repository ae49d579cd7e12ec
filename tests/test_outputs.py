"""Outputs and their exports: what other stacks may import is what stays stable."""

from __future__ import annotations

from typing import Any

import pytest

from compiler.api import compile_text

SPEC = """\
cachec: 1
name: orders
environment: dev
topology: {replicas: 1}
logs: {engine_log: true}
monitoring: {dashboard: true, create_topic: true}
stack: {exports: true}
"""


def outputs(text: str) -> dict[str, Any]:
    result = compile_text(text, "t.yaml", lint=False)
    assert result.ok and result.template is not None, result.diagnostics
    found: dict[str, Any] = result.template["Outputs"]
    return found


def test_exports_skip_what_changes_in_place() -> None:
    """ParameterGroupName changes on a major upgrade; an import would block it."""
    found = outputs(SPEC)
    exported = {name for name, out in found.items() if "Export" in out}
    assert {"ParameterGroupName", "Summary", "AlarmNames", "AlarmArns",
            "LogGroupNames"} <= set(found) - exported
    assert {"PrimaryEndpoint", "ReaderEndpoint", "Port", "ConnectionString",
            "ReplicationGroupId", "ReplicationGroupArn", "SecurityGroupId",
            "ClientSecurityGroupId", "SubnetGroupName", "AuthSecretArn",
            "AlarmTopicArn", "DashboardName"} <= exported
    assert found["Port"]["Export"] == {"Name": {"Fn::Sub": "${AWS::StackName}-Port"}}


def test_no_exports_unless_asked() -> None:
    found = outputs(SPEC.replace("stack: {exports: true}\n", ""))
    assert not any("Export" in out for out in found.values())


_SHAPES = {
    "primary": ("topology: {replicas: 1}\n", "PrimaryEndpoint", "PrimaryEndPoint"),
    "cluster": ("topology: {shards: 2, replicas: 1}\n", "ConfigurationEndpoint",
                "ConfigurationEndPoint"),
    "serverless": ("serverless: {}\n", "Endpoint", "Endpoint"),
}


@pytest.mark.parametrize("shape", sorted(_SHAPES))
def test_client_endpoint_and_port_exist_in_every_shape(shape: str) -> None:
    """One name an application's configuration reads whatever the topology;
    the shape's own name stays beside it with the same value."""
    topology, own, attribute = _SHAPES[shape]
    text = "cachec: 1\nname: orders\nenvironment: dev\n" + topology
    found = outputs(text)
    assert found["ClientEndpoint"]["Value"] == found[own]["Value"]
    assert found["ClientEndpoint"]["Value"]["Fn::GetAtt"][1] == f"{attribute}.Address"
    assert found["Port"]["Value"]["Fn::GetAtt"][1] == f"{attribute}.Port"


def test_auth_secret_read_policy_reads_exactly_the_secret() -> None:
    result = compile_text(SPEC, "t.yaml", lint=False)
    assert result.ok and result.template is not None, result.diagnostics
    policy = result.template["Resources"]["AuthSecretReadPolicy"]
    assert policy["Type"] == "AWS::IAM::ManagedPolicy"
    assert policy["Properties"]["PolicyDocument"]["Statement"] == [{
        "Effect": "Allow", "Action": ["secretsmanager:GetSecretValue"],
        "Resource": [{"Ref": "AuthSecret"}],
    }]
    found = result.template["Outputs"]
    assert found["AuthSecretReadPolicyArn"]["Value"] == {"Ref": "AuthSecretReadPolicy"}
    assert "Export" in found["AuthSecretReadPolicyArn"]


@pytest.mark.parametrize("auth", ["iam", "none"])
def test_no_secret_read_policy_without_a_token(auth: str) -> None:
    tls = "" if auth == "iam" else ", encryption_in_transit: false"
    text = SPEC + f"engine: valkey\nsecurity: {{auth: {auth}{tls}}}\n"
    result = compile_text(text, "t.yaml", lint=False)
    assert result.ok and result.template is not None, result.diagnostics
    assert "AuthSecretReadPolicy" not in result.template["Resources"]
    assert "AuthSecretReadPolicyArn" not in result.template["Outputs"]


def test_auth_secret_read_policy_decrypts_under_a_customer_key_only_for_that_secret() -> None:
    """A secret under a customer managed key cannot be read with
    GetSecretValue alone: the caller needs kms:Decrypt too. Granted only
    through Secrets Manager and for this secret's encryption context, so the
    key may be given as id, ARN or alias alike."""
    key = "alias/orders-secrets"
    text = SPEC + f"security: {{secrets_kms_key_id: {key}}}\n"
    result = compile_text(text, "t.yaml", lint=False)
    assert result.ok and result.template is not None, result.diagnostics
    statements = result.template["Resources"]["AuthSecretReadPolicy"]["Properties"][
        "PolicyDocument"]["Statement"]
    assert statements[1]["Action"] == ["kms:Decrypt"]
    assert statements[1]["Condition"] == {"StringEquals": {
        "kms:ViaService": {"Fn::Sub": "secretsmanager.${AWS::Region}.${AWS::URLSuffix}"},
        "kms:EncryptionContext:SecretARN": {"Ref": "AuthSecret"},
    }}
    assert len(statements) == 2
