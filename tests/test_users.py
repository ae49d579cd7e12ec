"""Access control by user group: auth: iam and auth: rbac (synthesize/users.py)."""

from __future__ import annotations

from typing import Any

import yaml

from compiler.api import compile_text

BASE = "cachec: 1\nname: orders\nenvironment: prod\n"
RG_ARN = {"Fn::Sub": "arn:${AWS::Partition}:elasticache:${AWS::Region}:${AWS::AccountId}:"
          "replicationgroup:${ReplicationGroup}"}


def template(spec: str) -> dict[str, Any]:
    result = compile_text(BASE + spec, "spec.yaml", lint=False)
    assert result.text is not None, result.diagnostics
    data: dict[str, Any] = yaml.safe_load(result.text)
    return data


def props(t: dict[str, Any], logical_id: str) -> dict[str, Any]:
    found: dict[str, Any] = t["Resources"][logical_id]["Properties"]
    return found


def test_iam_user_id_is_its_name_and_the_policy_names_cache_and_user() -> None:
    t = template("security: {auth: iam}\n")
    user = props(t, "IamUser")
    # auth-iam.html: an IAM user's id and name must be identical.
    assert user["UserId"] == user["UserName"] == "orders-prod"
    assert user["AuthenticationMode"] == {"Type": "iam"}
    statement = props(t, "ConnectPolicy")["PolicyDocument"]["Statement"]
    assert statement == [{
        "Effect": "Allow",
        "Action": ["elasticache:Connect"],
        "Resource": [RG_ARN, {"Fn::GetAtt": ["IamUser", "Arn"]}],
    }]
    assert t["Outputs"]["ConnectPolicyArn"]["Value"] == {"Ref": "ConnectPolicy"}
    assert t["Outputs"]["IamUserName"]["Value"] == "orders-prod"


def test_the_default_user_is_replaced_by_one_that_is_off() -> None:
    for spec in ("security: {auth: iam}\n",
                 "security: {auth: rbac, users: [{name: app, access: 'on ~* +@all'}]}\n"):
        t = template(spec)
        default = props(t, "DefaultUser")
        assert default["UserName"] == "default"
        assert default["AccessString"] == "off -@all"
        assert {"Ref": "DefaultUser"} in props(t, "UserGroup")["UserIds"]
        rg = props(t, "ReplicationGroup")
        assert rg["UserGroupIds"] == [{"Ref": "UserGroup"}]
        assert "AuthToken" not in rg
        assert "AuthSecret" not in t["Resources"]


def test_rbac_users_get_secrets_or_iam_and_only_iam_users_enter_the_policy() -> None:
    t = template(
        "engine: valkey\nsecurity:\n  auth: rbac\n  users:\n"
        "    - {name: app, access: 'on ~app:* +@all', password: iam}\n"
        "    - {name: ops-team, access: 'on ~* +@all'}\n"
    )
    app, ops = props(t, "UserApp"), props(t, "UserOpsTeam")
    assert app["UserId"] == app["UserName"] == "orders-prod-app"
    assert app["AuthenticationMode"] == {"Type": "iam"}
    assert "UserAppSecret" not in t["Resources"]
    assert ops["AuthenticationMode"]["Passwords"] == [
        {"Fn::Sub": "{{resolve:secretsmanager:${UserOpsTeamSecret}:SecretString:password}}"}
    ]
    assert t["Outputs"]["UserOpsTeamSecretArn"]["Value"] == {"Ref": "UserOpsTeamSecret"}
    resources = props(t, "ConnectPolicy")["PolicyDocument"]["Statement"][0]["Resource"]
    assert resources == [RG_ARN, {"Fn::GetAtt": ["UserApp", "Arn"]}]
    # Valkey on every shape: users and group carry the cache's engine.
    assert {props(t, r)["Engine"] for r in ("UserApp", "UserOpsTeam", "DefaultUser",
                                            "UserGroup")} == {"valkey"}


def test_rbac_without_iam_users_has_no_policy() -> None:
    t = template("security: {auth: rbac, users: [{name: app, access: 'on ~* +@all'}]}\n")
    assert "ConnectPolicy" not in t["Resources"]
    assert "ConnectPolicyArn" not in t["Outputs"]


def test_token_and_none_create_no_users() -> None:
    for auth in ("token", "none"):
        t = template(f"security: {{auth: {auth}}}\n")
        assert not any(r.startswith("User") or r == "DefaultUser" for r in t["Resources"])
        assert "UserGroupIds" not in props(t, "ReplicationGroup")
