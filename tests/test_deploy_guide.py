"""Plain stacks: v<N>.DEPLOY.md and its parameter files, run as written.

Every `aws` command a plain stack's DEPLOY.md holds runs through AWS CLI v1's
own driver (tests/aws_cli.py), from the stack folder the guide says, with the
files `cachec build` wrote in tmp_path.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import aws_cli
import pytest

from compiler import cli

ROOT = Path(__file__).parent.parent
GOLDEN = ROOT / "tests" / "golden"


def _build(spec: Path, out: Path, *extra: str) -> int:
    return cli.main(["build", "--no-lint", "--out", str(out), str(spec), *extra])


def _spec(tmp_path: Path, text: str, name: str = "spec.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def _responses(stack: str, command: str) -> dict[str, dict[str, Any]]:
    """What the waiters poll for: a stack and a change set that are done."""
    status = "UPDATE_COMPLETE" if "stack-update-complete" in command else "CREATE_COMPLETE"
    return {
        "DescribeStacks": {"Stacks": [{
            "StackName": stack, "CreationTime": "2026-01-01T00:00:00Z", "StackStatus": status,
        }]},
        "DescribeChangeSet": {"Status": "CREATE_COMPLETE", "ExecutionStatus": "AVAILABLE"},
    }


def _run_section(folder: Path, guide: str, heading: str) -> list[aws_cli.Run]:
    """Every `aws` command of one `## heading` section, run in `folder`."""
    part = guide.split(f"\n## {heading}", 1)[1].split("\n## ", 1)[0]
    runs = []
    for command in aws_cli.commands(part):
        run = aws_cli.run(command.replace("$BUCKET", "my-bucket"), folder,
                          _responses(folder.name, command))
        assert run.returncode == 0, (command, run.stderr)
        runs.append(run)
    assert runs, heading
    return runs


def _call(runs: list[aws_cli.Run], operation: str) -> dict[str, Any]:
    found = [params for run in runs for name, params in run.calls if name == operation]
    assert len(found) == 1, (operation, [c for r in runs for c in r.calls])
    return found[0]


def _operations(runs: list[aws_cli.Run]) -> list[str]:
    return [name for run in runs for name, _ in run.calls]


EXPOSED = """cachec: 1
name: orders
environment: test
node_type: cache.r7g.large
network:
  vpc_id: vpc-0a1b2c3d4e5f67890
  subnet_ids: [subnet-0a1b2c3d, subnet-1a2b3c4d]
stack:
  expose: [node_type]
"""


def _update_parameters(folder: Path, version: int) -> dict[str, dict[str, Any]]:
    entries = json.loads((folder / f"v{version}.update-parameters.json").read_text())
    return {e["ParameterKey"]: e for e in entries}


def test_an_update_keeps_exposed_and_open_values_and_sets_the_specs(tmp_path: Path) -> None:
    """A console scale-down of an exposed NodeType and an AlarmTopicName set at
    deploy time survive every documented redeploy; the spec's VPC is set."""
    out = tmp_path / "out"
    assert _build(_spec(tmp_path, EXPOSED), out) == 0
    folder = out / "orders-test"
    create = json.loads((folder / "v1.parameters.json").read_text())
    assert [e["ParameterKey"] for e in create] == ["VpcId", "SubnetIds"]
    assert all(set(e) == {"ParameterKey", "ParameterValue"} for e in create)
    update = _update_parameters(folder, 1)
    assert update["VpcId"] == {"ParameterKey": "VpcId",
                               "ParameterValue": "vpc-0a1b2c3d4e5f67890"}
    for name in ("NodeType", "AlarmTopicName", "AlarmTopicAccount"):
        assert update[name] == {"ParameterKey": name, "UsePreviousValue": True}
    template = (folder / "v1.yaml").read_text()
    assert all(f"\n  {name}:\n" in template for name in update), "every Parameter listed"


def test_a_version_that_changes_an_exposed_value_sets_it(tmp_path: Path) -> None:
    out = tmp_path / "out"
    spec = _spec(tmp_path, EXPOSED)
    assert _build(spec, out) == 0
    spec.write_text(EXPOSED.replace("cache.r7g.large", "cache.r7g.xlarge"))
    assert _build(spec, out) == 0
    update = _update_parameters(out / "orders-test", 2)
    assert update["NodeType"] == {"ParameterKey": "NodeType",
                                  "ParameterValue": "cache.r7g.xlarge"}
    assert update["AlarmTopicName"] == {"ParameterKey": "AlarmTopicName",
                                        "UsePreviousValue": True}


def test_open_parameters_come_from_the_deployers_file_and_updates_keep_them(
    tmp_path: Path,
) -> None:
    """specs/dev.yaml leaves the VPC open: the create reads parameters.local.json
    (written as the guide shows), the update uses the previous values."""
    out = tmp_path / "out"
    spec = _spec(tmp_path, (ROOT / "specs" / "dev.yaml").read_text())
    assert _build(spec, out) == 0
    folder = out / "orders-dev"
    guide = (folder / "v1.DEPLOY.md").read_text()
    assert "## Updating" not in guide  # nothing deployed before v1
    local = [{"ParameterKey": "VpcId", "ParameterValue": "vpc-0123456789abcdef0"},
             {"ParameterKey": "SubnetIds", "ParameterValue": "subnet-0a1b2c3d,subnet-1a2b3c4d"}]
    assert '"ParameterKey": "VpcId"' in guide and '"ParameterKey": "SubnetIds"' in guide
    (folder / "parameters.local.json").write_text(json.dumps(local))
    runs = _run_section(folder, guide, "First deployment")
    created = _call(runs, "CreateStack")
    assert created["Parameters"] == local
    assert created["StackName"] == "orders-dev"
    assert created["EnableTerminationProtection"] is True
    assert json.loads(created["StackPolicyBody"]) == json.loads(
        (folder / "v1.stack-policy.json").read_text())
    # The AUTH token's AuthSecretReadPolicy is an IAM resource.
    assert created["Capabilities"] == ["CAPABILITY_IAM"]
    assert created["TemplateBody"] == (folder / "v1.yaml").read_text()

    spec.write_text((ROOT / "specs" / "dev.yaml").read_text()
                    + "logs: {retention_days: 14}\n")
    assert _build(spec, out) == 0
    guide = (folder / "v2.DEPLOY.md").read_text()
    runs = _run_section(folder, guide, "Updating to v2")
    assert _operations(runs) == ["CreateChangeSet", "DescribeChangeSet", "DescribeChangeSet",
                                 "ExecuteChangeSet", "DescribeStacks"]
    change_set = _call(runs, "CreateChangeSet")
    assert change_set.get("ChangeSetType", "UPDATE") == "UPDATE"
    assert {p["ParameterKey"]: p for p in change_set["Parameters"]}["VpcId"] == {
        "ParameterKey": "VpcId", "UsePreviousValue": True}
    assert _call(runs, "ExecuteChangeSet")["ChangeSetName"] == change_set["ChangeSetName"]


def test_a_replacing_version_is_deployed_with_a_policy_for_that_update(tmp_path: Path) -> None:
    out = tmp_path / "out"
    spec = _spec(tmp_path, EXPOSED)
    assert _build(spec, out) == 0
    spec.write_text(EXPOSED + "port: 6380\n")
    assert _build(spec, out) == 1  # the guard
    assert _build(spec, out, "--allow-replacement") == 0
    folder = out / "orders-test"
    guide = (folder / "v2.DEPLOY.md").read_text()
    assert "REPLACES THE CACHE" in guide
    runs = _run_section(folder, guide, "Updating to v2")
    assert "ExecuteChangeSet" not in _operations(runs)
    assert "DeleteChangeSet" in _operations(runs)
    updated = _call(runs, "UpdateStack")
    assert json.loads(updated["StackPolicyDuringUpdateBody"])["Statement"][0]["Effect"] == (
        "Allow")
    assert {p["ParameterKey"]: p for p in updated["Parameters"]}["NodeType"] == {
        "ParameterKey": "NodeType", "UsePreviousValue": True}


def test_an_iam_template_needs_and_records_capability_iam(tmp_path: Path) -> None:
    out = tmp_path / "out"
    spec = _spec(tmp_path, (GOLDEN / "iam-auth" / "spec.yaml").read_text())
    assert _build(spec, out) == 0
    folder = out / "sessions-prod"
    manifest = json.loads((folder / "versions.json").read_text())
    assert manifest["versions"][0]["capabilities"] == ["CAPABILITY_IAM"]
    (folder / "parameters.local.json").write_text(json.dumps(
        [{"ParameterKey": "VpcId", "ParameterValue": "vpc-0123456789abcdef0"}]))
    runs = _run_section(folder, (folder / "v1.DEPLOY.md").read_text(), "First deployment")
    assert _call(runs, "CreateStack")["Capabilities"] == ["CAPABILITY_IAM"]
    spec.write_text(spec.read_text() + "port: 6380\n")
    assert _build(spec, out, "--allow-replacement") == 0
    runs = _run_section(folder, (folder / "v2.DEPLOY.md").read_text(), "Updating to v2")
    assert _call(runs, "CreateChangeSet")["Capabilities"] == ["CAPABILITY_IAM"]
    assert _call(runs, "UpdateStack")["Capabilities"] == ["CAPABILITY_IAM"]


def test_a_template_over_the_inline_limit_is_uploaded_to_s3_first(tmp_path: Path) -> None:
    text = (GOLDEN / "expose-cluster-iam" / "spec.yaml").read_text().split("  stackset:")[0]
    out = tmp_path / "out"
    assert _build(_spec(tmp_path, text), out) == 0
    folder = out / "sessions-production"
    assert (folder / "v1.yaml").stat().st_size > 51_200
    guide = (folder / "v1.DEPLOY.md").read_text()
    assert "--template-body" not in guide
    (folder / "parameters.local.json").write_text(json.dumps(
        [{"ParameterKey": "VpcId", "ParameterValue": "vpc-0123456789abcdef0"}]))
    runs = _run_section(folder, guide, "First deployment")
    assert _operations(runs)[0] == "PutObject"
    upload = _call(runs, "PutObject")
    created = _call(runs, "CreateStack")
    assert created["TemplateURL"] == (
        f"https://my-bucket.s3.amazonaws.com/{upload['Key']}")
    assert upload["Key"] == "sessions-production/v1.yaml"
    assert created["Capabilities"] == ["CAPABILITY_IAM"]


def test_every_command_of_every_section_runs(tmp_path: Path) -> None:
    """The protections section too (set-stack-policy, termination protection)."""
    out = tmp_path / "out"
    assert _build(_spec(tmp_path, EXPOSED), out) == 0
    folder = out / "orders-test"
    runs = _run_section(folder, (folder / "v1.DEPLOY.md").read_text(),
                        "A stack created without these protections")
    assert _call(runs, "SetStackPolicy")["StackPolicyBody"] == (
        folder / "v1.stack-policy.json").read_text()
    assert _call(runs, "UpdateTerminationProtection")["EnableTerminationProtection"] is True


def test_the_guide_is_a_file_of_the_version(tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    """Hashed in versions.json, and `build` names it, also when up to date."""
    out = tmp_path / "out"
    spec = _spec(tmp_path, EXPOSED)
    assert _build(spec, out) == 0
    folder = out / "orders-test"
    files = json.loads((folder / "versions.json").read_text())["versions"][0]["files"]
    assert {"v1.DEPLOY.md", "v1.update-parameters.json"} <= set(files)
    assert _build(spec, out) == 0
    printed = capsys.readouterr().out.splitlines()
    assert printed[-1] == f"{folder}: deploy v1 with {folder / 'v1.DEPLOY.md'}"
    assert printed[-2] == f"{folder}: up to date (v1)"


def test_a_manifest_without_capabilities_still_loads_and_a_wrong_one_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    out = tmp_path / "out"
    spec = _spec(tmp_path, EXPOSED)
    assert _build(spec, out) == 0
    manifest_path = out / "orders-test" / "versions.json"
    manifest = json.loads(manifest_path.read_text())
    del manifest["versions"][0]["capabilities"]
    manifest_path.write_text(json.dumps(manifest))
    assert _build(spec, out) == 0
    manifest["versions"][0]["capabilities"] = ["CAPABILITY_EVERYTHING"]
    manifest_path.write_text(json.dumps(manifest))
    capsys.readouterr()
    assert _build(spec, out) == 1
    assert "versions[0].capabilities" in capsys.readouterr().err
