"""Outputs and their exports: what other stacks may import is what stays stable."""

from __future__ import annotations

from typing import Any

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
