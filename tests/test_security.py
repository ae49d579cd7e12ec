"""Secure defaults stay literal in the template, and the AUTH token never leaks.

These are the properties checkov's ElastiCache checks look at (CKV_AWS_29
at-rest, CKV_AWS_30 in-transit, CKV_AWS_31 AUTH token); checkov ignores
Conditions, so the values must be literal booleans, never Conditions or Refs.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, cast

import pytest
import yaml

from compiler.api import compile_text

ROOT = Path(__file__).parent.parent
SECURE = [
    ROOT / "specs" / "dev.yaml",
    ROOT / "specs" / "staging.yaml",
    ROOT / "specs" / "prod.yaml",
    # Goldens that turn auth off on purpose (no TLS; TLS "preferred", which AWS
    # refuses beside a token) are not secure specs.
    *[p for p in sorted((ROOT / "tests" / "golden").glob("*/spec.yaml"))
      if "auth: none" not in p.read_text()],
]


def compiled(path: Path) -> dict[str, object]:
    result = compile_text(path.read_text(), str(path), lint=False)
    assert result.text is not None
    data: dict[str, object] = yaml.safe_load(result.text)
    return data


@pytest.mark.parametrize("spec", SECURE, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_secure_spec_is_literally_secure(spec: Path) -> None:
    template = compiled(spec)
    resources = template["Resources"]
    if "ServerlessCache" in resources:  # type: ignore[operator]
        # Always encrypted in transit and at rest (no property to turn either
        # off); access control by a user group, never an AUTH token.
        props = resources["ServerlessCache"]["Properties"]  # type: ignore[index]
        assert props["UserGroupId"] == {"Ref": "UserGroup"}
        assert "Condition" not in resources["ServerlessCache"]  # type: ignore[index]
        return
    rg = resources["ReplicationGroup"]  # type: ignore[index]
    assert "Condition" not in rg
    props = rg["Properties"]
    assert props["AtRestEncryptionEnabled"] is True  # CKV_AWS_29
    assert props["TransitEncryptionEnabled"] is True  # CKV_AWS_30
    # CKV_AWS_31 accepts an AUTH token or a user group (checkov's
    # ElasticacheReplicationGroupEncryptionAtTransitAuthToken reads both).
    if "UserGroupIds" in props:
        # the created group, or security.user_group_id (an existing one) as written
        groups = props["UserGroupIds"]
        assert groups == [{"Ref": "UserGroup"}] or (
            len(groups) == 1 and isinstance(groups[0], str)), groups
        assert "AuthToken" not in props  # AWS refuses both
    else:
        assert props["AuthToken"] == {"Fn::Sub": "{{resolve:secretsmanager:${AuthSecret}}}"}


@pytest.mark.parametrize("spec", SECURE, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_token_is_never_a_parameter_or_output(spec: Path) -> None:
    template = compiled(spec)
    for name, parameter in template.get("Parameters", {}).items():  # type: ignore[attr-defined]
        assert "token" not in name.lower() and "auth" not in name.lower()
        assert parameter.get("NoEcho") is None
    outputs = json.dumps(template["Outputs"])
    assert "resolve:secretsmanager" not in outputs
    secrets = {
        name: output["Value"]
        for name, output in template["Outputs"].items()  # type: ignore[attr-defined]
        if name.endswith("SecretArn")
    }
    # The token, or each generated user password: only its secret's ARN is an Output.
    if "AuthSecret" in template["Resources"]:  # type: ignore[operator]
        assert "AuthSecretArn" in secrets
    assert all(value == {"Ref": name.removesuffix("Arn")} for name, value in secrets.items())


def test_insecure_spec_says_so_literally() -> None:
    template = compiled(ROOT / "tests" / "golden" / "no-tls-no-auth" / "spec.yaml")
    props = template["Resources"]["ReplicationGroup"]["Properties"]  # type: ignore[index]
    assert props["AtRestEncryptionEnabled"] is False
    assert props["TransitEncryptionEnabled"] is False
    assert "AuthToken" not in props
    assert "AuthSecret" not in template["Resources"]  # type: ignore[operator]


GOLDEN_TEMPLATES = sorted((ROOT / "tests" / "golden").glob("*/expected.yaml"))


def _golden(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(path.read_text())
    return data


def _topic_statements() -> list[list[dict[str, Any]]]:
    """The statements of every topic policy the goldens create, as committed
    and as the compiler builds them from the goldens' specs now (a property
    of the synthesizer, not only of files a regeneration could rewrite)."""
    found = []
    for path in GOLDEN_TEMPLATES:
        for template in (_golden(path), cast(dict[str, Any], compiled(path.parent / "spec.yaml"))):
            for resource in template["Resources"].values():
                if resource["Type"] == "AWS::SNS::TopicPolicy":
                    found.append(resource["Properties"]["PolicyDocument"]["Statement"])
    assert found, "no golden creates an alarm topic"
    return found


def test_created_topic_refuses_publishing_without_tls() -> None:
    """cdk-nag AwsSolutions-SNS3 (cdklabs/cdk-nag SNSTopicSSLPublishOnly.ts) and
    AWS's "Enforce encryption of data in transit" (SNS security best practices):
    a Deny of sns:Publish for every principal when aws:SecureTransport is false."""
    for statements in _topic_statements():
        assert any(
            s["Effect"] == "Deny" and s["Principal"] == "*" and "sns:Publish" in s["Action"]
            and s.get("Condition", {}).get("Bool", {}).get("aws:SecureTransport") == "false"
            for s in statements
        ), statements


def test_created_topic_admits_only_this_accounts_alarms() -> None:
    """Why aws:SourceAccount must stay: the Allow names the CloudWatch service
    principal, which publishes for the alarms of every AWS account. Without
    the condition any account could point an alarm at this topic and publish
    to it through CloudWatch (the confused-deputy problem,
    https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html).
    aws:SourceArn alone would do only while it names this account; the two
    together keep it so if either is edited."""
    for statements in _topic_statements():
        allows = [s for s in statements if s["Effect"] == "Allow"]
        assert allows
        for statement in allows:
            assert "Service" in statement["Principal"], statement  # never "*" or an account
            condition = statement["Condition"]
            assert condition["StringEquals"]["aws:SourceAccount"] == {"Ref": "AWS::AccountId"}
            assert ":${AWS::AccountId}:alarm:" in condition["ArnLike"]["aws:SourceArn"]["Fn::Sub"]


@pytest.mark.parametrize("path", GOLDEN_TEMPLATES, ids=lambda p: p.parent.name)
def test_every_taggable_resource_is_tagged(path: Path) -> None:
    """Taggable as the provider schemas bundled with cfn-lint say (`tagging.taggable`
    with a Tags property): each such resource carries the spec's tags."""
    from cfnlint.schema import PROVIDER_SCHEMA_MANAGER

    for name, resource in _golden(path)["Resources"].items():
        schema = PROVIDER_SCHEMA_MANAGER.get_resource_schema("us-east-1", resource["Type"]).schema
        if schema.get("tagging", {}).get("tagProperty") == "/properties/Tags":
            tags = {t["Key"] for t in resource["Properties"].get("Tags", [])}
            assert {"cachec:name", "cachec:environment"} <= tags, name
