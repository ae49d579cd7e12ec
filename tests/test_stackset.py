"""StackSets: the deployment files against botocore's service model, per-region
lint, account-specific values as Parameters, and what the build says about them."""

from __future__ import annotations

import copy
import json
import re
import shutil
from pathlib import Path
from typing import Any

import aws_cli
import pytest
import yaml
from botocore.session import Session
from botocore.validate import ParamValidator

from compiler import cli
from compiler.api import compile_text
from compiler.catalog import update_behavior as ub
from compiler.change.changes import classify
from compiler.deploy import stackset
from compiler.deploy.version_files import deployment_files
from compiler.template.lint import Linter

GOLDEN = Path(__file__).parent / "golden"
STACKSET_CASES = sorted(p.parent.name for p in GOLDEN.glob("*/expected.stackset.json"))
ALL_CASES = sorted(p.name for p in GOLDEN.iterdir() if (p / "expected.yaml").is_file())

# One node type, offered in us-east-1 and not in eu-central-1 (cfn-lint's
# per-region data, from the AWS pricing API).
UNEVEN = """\
cachec: 1
name: orders
environment: dev
node_type: cache.c7gn.large
"""
IN_TWO_REGIONS = """\
stack:
  stackset:
    regions: [us-east-1, eu-central-1]
    accounts: ["111111111111"]
"""


def _model() -> Any:
    return Session().get_service_model("cloudformation")


def _validate(operation: str, request: dict[str, Any]) -> None:
    shape = _model().operation_model(operation).input_shape
    report = ParamValidator().validate(request, shape)
    assert not report.has_errors(), f"{operation}: {report.generate_report()}"


def test_there_are_stackset_goldens() -> None:
    assert {"stackset-service-managed", "stackset-self-managed"} <= set(STACKSET_CASES)


def _operations(requests: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """Every request of a stackset.json, first deployment then update, in order."""
    found = [("CreateStackSet", requests["CreateStackSet"])]
    found += [("CreateStackInstances", r) for r in requests["CreateStackInstances"]]
    update = requests.get("Update", {})
    found += [("DeleteStackInstances", r) for r in update.get("DeleteStackInstances", [])]
    found += [("UpdateStackSet", update["UpdateStackSet"])] if update else []
    for operation in ("UpdateStackInstances", "CreateStackInstances"):
        found += [(operation, r) for r in update.get(operation, [])]
    return found


@pytest.mark.parametrize("case", STACKSET_CASES)
def test_stackset_requests_match_the_cloudformation_api(case: str) -> None:
    requests = json.loads((GOLDEN / case / "expected.stackset.json").read_text())
    assert set(requests) <= {"CreateStackSet", "CreateStackInstances", "Update"}
    assert "Update" not in requests  # a first version creates everything
    body = (GOLDEN / case / "expected.yaml").read_text()
    assert requests["CreateStackInstances"]
    for operation, request in _operations(requests):
        body_or_not = {"TemplateBody": body} if operation.endswith("StackSet") else {}
        _validate(operation, {**request, **body_or_not})


def test_the_validator_catches_a_wrong_shape() -> None:
    """The check above can fail: a misspelt member is refused."""
    with pytest.raises(AssertionError):
        _validate("CreateStackInstances", {"StackSetName": "x", "Region": ["us-east-1"]})


def test_service_managed_deploys_to_the_ou_with_auto_deployment() -> None:
    requests = json.loads((GOLDEN / "stackset-service-managed" / "expected.stackset.json")
                          .read_text())
    create = requests["CreateStackSet"]
    assert create["PermissionModel"] == "SERVICE_MANAGED"
    assert create["AutoDeployment"] == {"Enabled": True, "RetainStacksOnAccountRemoval": True}
    (instances,) = requests["CreateStackInstances"]
    assert instances["DeploymentTargets"] == {"OrganizationalUnitIds": ["ou-ab12-cdef3456"]}
    assert instances["OperationPreferences"]["RegionOrder"] == [
        "us-east-1", "eu-west-1", "ap-southeast-2"
    ]


def test_self_managed_groups_regions_by_their_overrides() -> None:
    requests = json.loads((GOLDEN / "stackset-self-managed" / "expected.stackset.json")
                          .read_text())
    assert requests["CreateStackSet"]["PermissionModel"] == "SELF_MANAGED"
    first, second = requests["CreateStackInstances"]
    assert first["Regions"] == ["us-east-1"] and first["ParameterOverrides"] == []
    assert second["Regions"] == ["eu-central-1"]
    assert {p["ParameterKey"] for p in second["ParameterOverrides"]} == {"VpcId", "SubnetIds"}
    assert first["Accounts"] == ["111111111111", "222222222222"]


def test_a_node_type_one_target_region_lacks_is_refused_naming_it(linter: Linter) -> None:
    result = compile_text(UNEVEN + IN_TWO_REGIONS, "orders.yaml", linter=linter)
    (refused,) = [d for d in result.diagnostics if d.is_error]
    assert refused.kind == "node-type-not-in-region" and refused.path == ("node_type",)
    assert "eu-central-1" in refused.message and "us-east-1" not in refused.message


def test_the_same_spec_without_stacksets_builds(linter: Linter) -> None:
    result = compile_text(UNEVEN, "orders.yaml", linter=linter)
    assert result.ok, result.diagnostics


def test_regions_option_lints_where_the_stack_goes(linter: Linter) -> None:
    result = compile_text(UNEVEN, "orders.yaml", linter=linter, regions=("eu-central-1",))
    assert [d.kind for d in result.diagnostics if d.is_error] == ["node-type-not-in-region"]


def test_stackset_regions_win_over_the_regions_option(linter: Linter) -> None:
    spec = UNEVEN.replace("c7gn", "r7g") + IN_TWO_REGIONS
    result = compile_text(spec, "orders.yaml", linter=linter, regions=("af-south-1",))
    assert result.ok


def test_unknown_regions_option_is_a_usage_error(tmp_path: Path) -> None:
    spec = tmp_path / "orders.yaml"
    spec.write_text(UNEVEN)
    assert cli.main(["compile", str(spec), "--regions", "us-east-1,mars-north-1"]) == 2


def test_local_values_without_a_value_per_region_are_named() -> None:
    spec = UNEVEN.replace("c7gn", "r7g") + IN_TWO_REGIONS + (
        "    parameter_overrides:\n      eu-central-1: {VpcId: vpc-0a1b2c3d4e5f67890}\n"
    )
    result = compile_text(spec, "orders.yaml", lint=False)
    warned = {d.message.split()[0]: d.message for d in result.diagnostics
              if d.kind == "stackset-values-not-per-target"}
    assert set(warned) == {"VpcId", "SubnetIds"}
    assert "us-east-1" in warned["VpcId"] and "eu-central-1" not in warned["VpcId"]
    assert "us-east-1, eu-central-1" in warned["SubnetIds"]


def test_a_kms_alias_is_the_same_name_everywhere() -> None:
    spec = UNEVEN.replace("c7gn", "r7g") + "security: {kms_key_id: alias/cache}\n"
    result = compile_text(spec + IN_TWO_REGIONS, "orders.yaml", lint=False)
    local = "stackset-values-not-per-target"
    assert not [d for d in result.diagnostics if d.kind == local and "KmsKeyId" in d.message]
    keyed = spec.replace("alias/cache", "1234abcd-12ab-34cd-56ef-1234567890ab")
    result = compile_text(keyed + IN_TWO_REGIONS, "orders.yaml", lint=False)
    assert [d for d in result.diagnostics if d.kind == local and "KmsKeyId" in d.message]


def test_secret_and_topic_keys_and_the_rotation_function_are_local() -> None:
    """Issue 19's key ids and the rotation function's ARN exist in one account
    and region, like the other key ids: each StackSet region needs its own."""
    key = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    spec = UNEVEN.replace("c7gn", "r7g") + (
        f"security:\n  secrets_kms_key_id: {key}\n  rotation:\n"
        "    function_arn: arn:aws:lambda:us-east-1:111122223333:function:rotate\n"
        f"monitoring: {{create_topic: {{kms_key_id: '{key}'}}}}\n"
    )
    result = compile_text(spec + IN_TWO_REGIONS, "orders.yaml", lint=False)
    warned = {d.message.split()[0] for d in result.diagnostics
              if d.kind == "stackset-values-not-per-target"}
    assert {"CredentialsKmsKeyId", "AlarmTopicKmsKeyId", "RotationFunctionArn"} <= warned


@pytest.mark.parametrize(("region", "warned"), [("eu-west-1", True), ("us-east-1", False)])
def test_a_key_arn_of_another_region_is_named_for_a_single_target(
    region: str, warned: bool
) -> None:
    """One account in one region needs no override, unless the spec's key ARN
    is from another region (a log group's KMS key must be in its region)."""
    spec = (
        "cachec: 1\nname: lk\nenvironment: dev\nlogs: {engine_log: true, kms_key_id: "
        "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab}\n"
        f"stack:\n  stackset:\n    regions: [{region}]\n    accounts: ['111111111111']\n"
    )
    result = compile_text(spec, "lk.yaml", lint=False)
    named = [d for d in result.diagnostics
             if d.kind == "stackset-values-not-per-target" and "LogKmsKeyId" in d.message]
    assert bool(named) is warned


# --- no account or region outside Parameters, pseudo parameters and provenance ------

_ACCOUNT = re.compile(r"(?<![0-9])[0-9]{12}(?![0-9])")
_REGION = re.compile(r"\b(?:us|eu|ap|sa|ca|me|af|il|mx|cn)(?:-gov)?-[a-z]+-[0-9]\b")


def _literals(node: Any, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], str]]:
    if isinstance(node, dict):
        return [x for k, v in node.items() for x in _literals(v, (*path, str(k)))]
    if isinstance(node, list):
        return [x for i, v in enumerate(node) for x in _literals(v, (*path, str(i)))]
    return [(path, str(node))]


def _allowed(path: tuple[str, ...]) -> bool:
    return path[:1] == ("Metadata",) or (path[:1] == ("Parameters",) and path[2:3] == ("Default",))


@pytest.mark.parametrize("case", ALL_CASES)
def test_templates_name_no_account_or_region(case: str) -> None:
    template = yaml.safe_load((GOLDEN / case / "expected.yaml").read_text())
    found = [
        (".".join(path), text) for path, text in _literals(template)
        if not _allowed(path) and (_ACCOUNT.search(text) or _REGION.search(text))
    ]
    assert not found


def test_the_scan_finds_a_literal_account() -> None:
    template = {"Resources": {"X": {"Properties": {"KmsKeyId": "arn:aws:kms:eu-west-1:"
                                                               "111122223333:key/x"}}}}
    assert [p for p, t in _literals(template) if not _allowed(p) and _ACCOUNT.search(t)]


# --- a literal that becomes a Ref to a Parameter with the same Default ---------------


def _kms_template() -> dict[str, Any]:
    spec = (GOLDEN / "kms-and-transit-mode" / "spec.yaml").read_text()
    result = compile_text(spec, "kms.yaml", lint=False)
    assert result.template is not None
    return result.template


def test_a_key_moved_into_a_parameter_is_not_a_replacement() -> None:
    after = _kms_template()
    before = copy.deepcopy(after)
    key = before["Parameters"].pop("KmsKeyId")["Default"]
    before["Resources"]["ReplicationGroup"]["Properties"]["KmsKeyId"] = key
    changes = classify(before, after)
    assert not [c for c in changes if c.action == ub.REPLACEMENT]
    assert not [c for c in changes if c.resource == "ReplicationGroup"]


def test_a_different_key_still_replaces_the_cache() -> None:
    after = _kms_template()
    before = copy.deepcopy(after)
    before["Parameters"].pop("KmsKeyId")
    before["Resources"]["ReplicationGroup"]["Properties"]["KmsKeyId"] = "alias/other"
    replaced = [c.resource for c in classify(before, after) if c.action == ub.REPLACEMENT]
    assert "ReplicationGroup" in replaced


def test_stackset_files_are_version_files() -> None:
    spec = (GOLDEN / "stackset-self-managed" / "spec.yaml").read_text()
    result = compile_text(spec, "ss.yaml", lint=False)
    files = deployment_files(result, 3, "v3.yaml")
    assert {"v3.stackset.json", "v3.DEPLOY.md"} <= set(files)
    assert "--template-body file://v3.yaml" in files["v3.DEPLOY.md"]


# --- overrides linted with their concrete values -------------------------------------

OVERRIDDEN = """\
cachec: 1
name: orders
environment: dev
node_type: cache.r7g.large
stack:
  expose: [node_type]
  stackset:
    regions: [us-east-1, eu-west-1]
    accounts: ["111111111111"]
    parameter_overrides:
      eu-west-1: {NodeType: NODE, SubnetIds: "subnet-0a1b2c3d4e5f67890,subnet-1a2b3c4d5e6f78901"}
"""


def test_an_override_outside_the_allowed_values_is_refused_at_the_override(
    linter: Linter,
) -> None:
    result = compile_text(OVERRIDDEN.replace("NODE", "cache.r7g.huge"), "o.yaml", linter=linter)
    (refused,) = [d for d in result.diagnostics if d.is_error]
    assert refused.path == ("stack", "stackset", "parameter_overrides", "eu-west-1", "NodeType")
    assert refused.kind == "override-value-refused"
    assert "cache.r7g.huge" in refused.message and "allowed values" in refused.message


def test_an_allowed_override_passes(linter: Linter) -> None:
    result = compile_text(OVERRIDDEN.replace("NODE", "cache.m7g.large"), "o.yaml", linter=linter)
    assert result.ok, result.diagnostics


def test_build_publishes_the_stackset_files_as_part_of_the_version(tmp_path: Path) -> None:
    spec = GOLDEN / "stackset-self-managed" / "spec.yaml"
    out = tmp_path / "templates"
    assert cli.main(["build", str(spec), "--out", str(out), "--regions", "eu-west-1"]) == 0
    folder = out / "orders-staging"
    manifest = json.loads((folder / "versions.json").read_text())
    (entry,) = manifest["versions"]
    assert {"v1.stackset.json", "v1.DEPLOY.md"} <= set(entry["files"])
    expected = (GOLDEN / "stackset-self-managed" / "expected.stackset.json").read_text()
    assert (folder / "v1.stackset.json").read_text() == expected
    # Unchanged spec: nothing new, the files are not rewritten.
    assert cli.main(["build", str(spec), "--out", str(out)]) == 0
    assert len(json.loads((folder / "versions.json").read_text())["versions"]) == 1


def test_stackset_exports_without_a_prefix_are_warned_about() -> None:
    spec = UNEVEN.replace("c7gn", "r7g") + IN_TWO_REGIONS.replace(
        "stack:\n", "stack:\n  exports: true\n")
    result = compile_text(spec, "orders.yaml", lint=False)
    (warned,) = [d for d in result.diagnostics if d.kind == "stackset-exports-unpredictable"]
    assert warned.path == ("stack", "exports")
    prefixed = spec.replace("exports: true", "export_prefix: orders-dev")
    result = compile_text(prefixed, "orders.yaml", lint=False)
    assert not [d for d in result.diagnostics if d.kind == "stackset-exports-unpredictable"]
    assert result.template["Outputs"]["PrimaryEndpoint"]["Export"] == {
        "Name": "orders-dev-PrimaryEndpoint"
    }


def _run_guide(folder: Path, guide: str, requests: dict[str, Any]) -> None:
    """Every aws command of a DEPLOY.md, run by the AWS CLI in the folder the guide
    says (beside the template), and each StackSet request it makes is exactly the
    stackset.json's (with the template's body); each request also runs as
    `--cli-input-json file://...`."""
    commands = aws_cli.commands(guide)
    calls = []
    for command in commands:
        # As the shell expands it, once the reader has set BUCKET.
        run = aws_cli.run(command.replace("$BUCKET", "example-bucket"), folder)
        assert run.returncode == 0, (command, run.stderr)
        calls += run.calls
    found = re.search(r"\b(v[0-9]+\.(?:yaml|json))\b", guide)
    assert found is not None
    name = found.group(1)
    template = (folder / name).read_text()
    # An empty list is left out of a command (the same request to the API),
    # except ParameterOverrides, where [] resets overrides and absent keeps them.
    expected = [(op, {k: v for k, v in r.items() if v != [] or k == "ParameterOverrides"})
                for op, r in _operations(requests)]
    made = [(op, dict(params)) for op, params in calls if op in {o for o, _ in expected}]
    for operation, params in made:
        # Idempotency tokens the CLI generates for each call.
        params.pop("ClientRequestToken", None)
        params.pop("OperationId", None)
        if operation.endswith("StackSet"):
            # The template: inline, or through S3 when over the 51,200-byte limit.
            source = params.pop("TemplateBody", None) or params.pop("TemplateURL")
            assert source == template or source.startswith("https://example-bucket.")
    assert made == expected
    for number, (operation, request) in enumerate(_operations(requests)):
        (folder / f"request-{number}.json").write_text(json.dumps(request))
        verb = re.sub(r"(?<=[a-z])(?=[A-Z])", "-", operation).lower()
        body = f" --template-body file://{name}" if operation.endswith(
            "StackSet") else ""
        run = aws_cli.run(f"aws cloudformation {verb} --cli-input-json "
                          f"file://request-{number}.json{body}", folder)
        assert run.returncode == 0, (operation, run.stderr)


@pytest.mark.parametrize("case", STACKSET_CASES)
def test_deploy_guide_commands_run_and_are_the_requests(case: str, tmp_path: Path) -> None:
    shutil.copy(GOLDEN / case / "expected.yaml", tmp_path / "v1.yaml")
    requests = json.loads((GOLDEN / case / "expected.stackset.json").read_text())
    _run_guide(tmp_path, (GOLDEN / case / "expected.DEPLOY.md").read_text(), requests)


def test_instances_keep_the_declared_region_order() -> None:
    """Regions sharing overrides are grouped only when neighbours: an override
    for the middle region must not move the last region ahead of it."""
    spec = (
        "cachec: 1\nname: order\nenvironment: dev\nstack:\n  stackset:\n"
        "    regions: [us-east-1, eu-west-1, eu-central-1]\n    accounts: ['111111111111']\n"
        "    parameter_overrides:\n      eu-west-1: {VpcId: vpc-0fedcba9876543210}\n"
    )
    result = compile_text(spec, "order.yaml", lint=False)
    assert result.spec is not None and result.spec.stack.stackset is not None
    groups = [regions for regions, _ in result.spec.stack.stackset.region_groups()]
    assert groups == [("us-east-1",), ("eu-west-1",), ("eu-central-1",)]


def test_a_template_over_the_inline_limit_goes_through_s3() -> None:
    guide = (GOLDEN / "expose-cluster-iam" / "expected.DEPLOY.md").read_text()
    template = (GOLDEN / "expose-cluster-iam" / "expected.yaml").read_bytes()
    assert len(template) > 51_200
    assert "--template-body" not in guide
    assert "aws s3 cp v1.yaml s3://$BUCKET/" in guide and "--template-url https://" in guide
    small = (GOLDEN / "stackset-self-managed" / "expected.DEPLOY.md").read_text()
    assert "--template-body file://v1.yaml" in small and "--template-url" not in small


# --- versions after the first: the instances the spec adds, drops and re-values -------

ROLLOUT = """\
cachec: 1
name: rollout
environment: prod
stack:
  export_prefix: rollout-prod
  stackset:
    regions: [REGIONS]
    accounts: ["111111111111"]
    parameter_overrides:
OVERRIDES
"""
_US = "      us-east-1: {VpcId: vpc-0aaaaaaaaaaaaaaa1, SubnetIds: 'subnet-0aaaaaaaaaaaaaaa1'}\n"
_EU = "      eu-west-1: {VpcId: vpc-0bbbbbbbbbbbbbbb1, SubnetIds: 'subnet-0bbbbbbbbbbbbbbb1'}\n"
_DE = "      eu-central-1: {VpcId: vpc-0ccccccccccccccc1, SubnetIds: 'subnet-0ccccccccccccccc1'}\n"


def _rollout(regions: str, overrides: str) -> str:
    return ROLLOUT.replace("REGIONS", regions).replace("OVERRIDES\n", overrides)


def _publish(tmp_path: Path, spec: str) -> Path:
    path = tmp_path / "rollout.yaml"
    path.write_text(spec)
    out = tmp_path / "templates"
    assert cli.main(["build", str(path), "--out", str(out), "--no-lint"]) == 0
    return out / "rollout-prod"


def test_a_plain_stack_turned_stackset_creates_every_instance(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The published versions have no StackSet files to compare with: the
    next version creates the StackSet and all of its instances."""
    _publish(tmp_path, ROLLOUT.split("  stackset:\n", 1)[0])
    path = tmp_path / "rollout.yaml"
    path.write_text(_rollout("us-east-1", _US))
    capsys.readouterr()
    assert cli.main(["diff", str(path), "--out", str(tmp_path / "templates")]) == 0
    assert capsys.readouterr().out.splitlines()[1:] == [
        "  stack instances: create the StackSet and every stack instance (no version has "
        "StackSet files yet)"]


def test_a_new_version_creates_added_regions_and_deletes_dropped_ones(tmp_path: Path) -> None:
    _publish(tmp_path, _rollout("us-east-1, eu-west-1", _US + _EU))
    folder = _publish(tmp_path, _rollout("us-east-1, eu-central-1", _US + _DE))
    update = json.loads((folder / "v2.stackset.json").read_text())["Update"]
    assert update["FromVersion"] == 1
    (deleted,) = update["DeleteStackInstances"]
    assert deleted["Regions"] == ["eu-west-1"] and deleted["RetainStacks"] is True
    (created,) = update["CreateStackInstances"]
    assert created["Regions"] == ["eu-central-1"]
    assert {p["ParameterKey"]: p["ParameterValue"] for p in created["ParameterOverrides"]} == {
        "VpcId": "vpc-0ccccccccccccccc1", "SubnetIds": "subnet-0ccccccccccccccc1"}
    # us-east-1 kept its overrides: no update-stack-instances touches them.
    assert update["UpdateStackInstances"] == []
    guide = (folder / "v2.DEPLOY.md").read_text()
    assert "delete-stack-instances" in guide and "--retain-stacks" in guide
    assert "aws cloudformation update-stack-instances" not in guide
    _run_guide(folder, guide, json.loads((folder / "v2.stackset.json").read_text()))


def test_the_first_version_has_no_update(tmp_path: Path) -> None:
    folder = _publish(tmp_path, _rollout("us-east-1", _US))
    assert "Update" not in json.loads((folder / "v1.stackset.json").read_text())
    assert "aws cloudformation update-stack-set" not in (folder / "v1.DEPLOY.md").read_text()


def test_only_changed_overrides_are_sent(tmp_path: Path) -> None:
    """Overrides a version does not change are not sent (sending them would
    replace per-account values); in a changed region an unchanged Parameter
    is UsePreviousValue."""
    _publish(tmp_path, _rollout("us-east-1, eu-west-1", _US + _EU))
    folder = _publish(tmp_path, _rollout("us-east-1, eu-west-1",
                                         _US + _EU.replace("vpc-0bbbbbbbbbbbbbbb1",
                                                           "vpc-0bbbbbbbbbbbbbbb2")))
    requests = json.loads((folder / "v2.stackset.json").read_text())
    (updated,) = requests["Update"]["UpdateStackInstances"]
    assert updated["Regions"] == ["eu-west-1"]
    assert updated["ParameterOverrides"] == [
        {"ParameterKey": "SubnetIds", "UsePreviousValue": True},
        {"ParameterKey": "VpcId", "ParameterValue": "vpc-0bbbbbbbbbbbbbbb2"},
    ]
    assert requests["Update"]["CreateStackInstances"] == []
    assert requests["Update"]["DeleteStackInstances"] == []
    _run_guide(folder, (folder / "v2.DEPLOY.md").read_text(), requests)


def test_diff_names_the_instance_changes(tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                         ) -> None:
    _publish(tmp_path, _rollout("us-east-1, eu-west-1", _US + _EU))
    path = tmp_path / "rollout.yaml"
    path.write_text(_rollout("us-east-1, eu-central-1", _US + _DE))
    capsys.readouterr()
    cli.main(["diff", str(path), "--out", str(tmp_path / "templates")])
    text = capsys.readouterr().out
    assert "stack instances: create stack instances: 111111111111 in eu-central-1" in text
    assert "delete stack instances (their stacks and caches are retained): 111111111111 in " \
           "eu-west-1" in text
    cli.main(["diff", str(path), "--out", str(tmp_path / "templates"), "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    (entry,) = report["specs"]
    assert len(entry["stack_instances"]) == 2


def test_parallel_regions_with_the_same_overrides_are_one_operation() -> None:
    spec = (
        "cachec: 1\nname: par\nenvironment: dev\nstack:\n  stackset:\n"
        "    regions: [us-east-1, eu-west-1, eu-central-1]\n    accounts: ['111111111111']\n"
        "    parameter_overrides:\n      eu-west-1: {VpcId: vpc-0fedcba9876543210}\n"
        "    operation_preferences: {region_concurrency: parallel}\n"
    )
    result = compile_text(spec, "par.yaml", lint=False)
    files = deployment_files(result, 1, "v1.yaml")
    groups = [r["Regions"] for r in json.loads(files["v1.stackset.json"])["CreateStackInstances"]]
    assert groups == [["us-east-1", "eu-central-1"], ["eu-west-1"]]
    assert "runs its operations one after another" in files["v1.DEPLOY.md"].replace("\n", " ")


def test_parallel_regions_of_one_command_say_only_how_to_wait() -> None:
    """One create-stack-instances for every region: no per-override commands
    to count, and the note wraps at 80 columns without splitting a command
    name at its hyphens."""
    spec = (
        "cachec: 1\nname: par\nenvironment: dev\nstack:\n  stackset:\n"
        "    regions: [us-east-1, eu-west-1]\n    accounts: ['111111111111']\n"
        "    operation_preferences: {region_concurrency: parallel}\n"
    )
    files = deployment_files(compile_text(spec, "par.yaml", lint=False), 1, "v1.yaml")
    assert len(json.loads(files["v1.stackset.json"])["CreateStackInstances"]) == 1
    assert _section(files["v1.DEPLOY.md"], "First deployment (no StackSet `par-dev` yet)") == (
        "`region_concurrency: parallel`: the regions of one command deploy at once. Run\n"
        "each after the previous one's `aws cloudformation describe-stack-set-operation`\n"
        "reports `SUCCEEDED`: a queued operation starts even when the one before it\n"
        "failed.\n")


def test_stacksets_get_no_stack_policy() -> None:
    spec = (GOLDEN / "stackset-self-managed" / "spec.yaml").read_text()
    files = deployment_files(compile_text(spec, "ss.yaml", lint=False), 1, "v1.yaml")
    assert "v1.stack-policy.json" not in files
    assert "StackPolicy" not in json.loads(files["v1.config.json"])
    plain = deployment_files(compile_text(UNEVEN, "o.yaml", lint=False), 1, "v1.yaml")
    assert "v1.stack-policy.json" in plain
    assert "StackPolicy" in json.loads(plain["v1.config.json"])


def test_a_delegated_administrator_calls_as_one_everywhere(tmp_path: Path) -> None:
    spec = (GOLDEN / "stackset-service-managed" / "spec.yaml").read_text().replace(
        "    organizational_units: [ou-ab12-cdef3456]",
        "    call_as: delegated_admin\n"
        "    organizational_units: [ou-ab12-cdef3456, ou-ab12-ffff0000]")
    result = compile_text(spec, "sm.yaml", lint=False)
    assert result.ok, result.diagnostics
    files = deployment_files(result, 1, "v1.yaml")
    requests = json.loads(files["v1.stackset.json"])
    assert {r.get("CallAs") for _, r in _operations(requests)} == {"DELEGATED_ADMIN"}
    # the reader learns whose credentials to use before the first command
    assert files["v1.DEPLOY.md"].split("\n\n")[1] == (
        "A service-managed (AWS Organizations) StackSet `sessions-production` to the "
        "accounts of organizational units ou-ab12-cdef3456, ou-ab12-ffff0000, in us-east-1, "
        "eu-west-1, ap-southeast-2\n(one region after another, in this order). Run the "
        "commands from this folder\nwith credentials of a delegated administrator account "
        "for StackSets (the commands say `--call-as DELEGATED_ADMIN`). The requests are in "
        "`v1.stackset.json`;\nsee docs/deploying.md (StackSets) for the roles these "
        "commands need.")
    commands = aws_cli.commands(files["v1.DEPLOY.md"])
    assert commands and all(c.count("--call-as DELEGATED_ADMIN") == 1 for c in commands)
    assert "never deploys to the organization's management account" in files["v1.DEPLOY.md"]
    (tmp_path / "v1.yaml").write_text(result.text or "")
    _run_guide(tmp_path, files["v1.DEPLOY.md"], requests)


def test_capabilities_are_in_every_stackset_request_and_command() -> None:
    requests = json.loads((GOLDEN / "expose-cluster-iam" / "expected.stackset.json").read_text())
    assert requests["CreateStackSet"]["Capabilities"] == ["CAPABILITY_IAM"]
    guide = (GOLDEN / "expose-cluster-iam" / "expected.DEPLOY.md").read_text()
    (create,) = [c for c in aws_cli.commands(guide) if "create-stack-set" in c]
    assert "--capabilities CAPABILITY_IAM" in create


def _iam_template(**properties: str) -> dict[str, Any]:
    return {"Resources": {
        "Cache": {"Type": "AWS::ElastiCache::ReplicationGroup",
                  "Properties": {"CacheSubnetGroupName": "named-but-not-iam"}},
        "ClientPolicy": {"Type": "AWS::IAM::ManagedPolicy",
                         "Properties": {"PolicyDocument": {}, **properties}},
    }}


def test_named_iam_resources_need_the_named_iam_capability() -> None:
    """"If you have IAM resources with custom names, you must specify
    CAPABILITY_NAMED_IAM" (CreateStackSet, Capabilities,
    https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_CreateStackSet.html);
    CAPABILITY_IAM alone makes the request fail. A name on another resource type
    does not count."""
    assert stackset.capabilities(_iam_template()) == ["CAPABILITY_IAM"]
    assert stackset.capabilities(_iam_template(ManagedPolicyName="cache-clients")) == [
        "CAPABILITY_NAMED_IAM"]
    role = {"Type": "AWS::IAM::Role", "Properties": {"RoleName": "cache-admin"}}
    assert stackset.capabilities({"Resources": {"Role": role}}) == ["CAPABILITY_NAMED_IAM"]
    no_iam = {"Resources": {"Cache": _iam_template()["Resources"]["Cache"]}}
    assert stackset.capabilities(no_iam) == []


def test_the_partition_table_is_botocores() -> None:
    from compiler.catalog import partitions

    committed = (Path(partitions.__file__).parent / partitions.DATA_FILE).read_text()
    assert committed == partitions.render(partitions.generate())
    assert partitions.partition_of("cn-north-1") == "aws-cn"
    assert partitions.partition_of("us-gov-west-1") == "aws-us-gov"
    assert partitions.partition_of("us-isob-east-1") == "aws-iso-b"
    assert partitions.partition_of("eu-west-1") == "aws"


# The spec of a StackSet a version re-targets: accounts or OUs, regions, overrides.
RETARGET = """\
cachec: 1
name: rollout
environment: prod
stack:
  export_prefix: rollout-prod
  stackset:
    regions: [REGIONS]
    TARGETS
    CONCURRENCY
    parameter_overrides:
OVERRIDES
"""


@pytest.mark.parametrize("size", [51_200, 51_201])
def test_the_inline_limit_is_51200_bytes_and_only_the_template_goes_through_s3(
    size: int, tmp_path: Path,
) -> None:
    """CloudFormation takes a TemplateBody of up to 51,200 bytes: that size
    is still sent inline, one byte more goes through S3, and then only the
    commands that send the template (create/update-stack-set) name it; the
    instance commands never upload anything.
    https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html"""
    _publish(tmp_path, _rollout("us-east-1", _US))
    folder = _publish(tmp_path, _rollout("us-east-1, eu-central-1", _US + _DE))
    spec = compile_text(_rollout("us-east-1, eu-central-1", _US + _DE), "r.yaml",
                        lint=False).spec
    assert spec is not None
    requests = json.loads((folder / "v2.stackset.json").read_text())
    guide = stackset.deploy_guide(spec, 2, "v2.yaml", requests, size)
    blocks = [b.split("\n```", 1)[0] for b in guide.split("```sh\n")[1:]]
    sending = [b for b in blocks if "-stack-set " in b and "--template-" in b]
    assert len(sending) == 2  # create-stack-set, then update-stack-set
    over = size > 51_200
    for b in blocks:
        assert ("aws s3 cp v2.yaml s3://$BUCKET/" in b) == (over and b in sending), b
    assert ("--template-body" in guide) == (not over)


def _retarget(tmp_path: Path, regions: str, targets: str, overrides: str,
              concurrency: str = "") -> Path:
    spec = (RETARGET.replace("REGIONS", regions).replace("TARGETS", targets)
            .replace("CONCURRENCY", concurrency).replace("OVERRIDES\n", overrides))
    return _publish(tmp_path, spec)


def _section(guide: str, title: str) -> str:
    """A DEPLOY.md section's prose, from its title to its first command block."""
    return guide.split(f"## {title}\n\n", 1)[1].split("\n```sh", 1)[0]


_US_TOPIC = _US.replace("}", ", AlarmTopicName: ops}")


def test_regions_given_the_same_new_value_are_one_update_said_together(
    tmp_path: Path,
) -> None:
    """Every region whose overrides change alike is one UpdateStackInstances
    request, and its line names them all."""
    accounts = "accounts: ['111111111111']"
    _retarget(tmp_path, "us-east-1, eu-west-1", accounts,
              _US_TOPIC + _EU.replace("}", ", AlarmTopicName: ops}"))
    folder = _retarget(tmp_path, "us-east-1, eu-west-1", accounts,
                       _US.replace("}", ", AlarmTopicName: pager}")
                       + _EU.replace("}", ", AlarmTopicName: pager}"))
    update = json.loads((folder / "v2.stackset.json").read_text())["Update"]
    assert [r["Regions"] for r in update["UpdateStackInstances"]] == [["us-east-1", "eu-west-1"]]
    assert "- set parameter overrides: 111111111111 in us-east-1, eu-west-1\n" in _section(
        (folder / "v2.DEPLOY.md").read_text(), "Updating from v1 (the StackSet runs v1)")


def test_an_update_guide_says_what_each_instance_change_is(tmp_path: Path) -> None:
    """The DEPLOY.md of a version after the first names each instance deleted,
    re-valued and created, per target and region, before the commands."""
    _retarget(tmp_path, "us-east-1, eu-west-1", "accounts: ['111111111111', '222222222222']",
              _US_TOPIC + _EU)
    folder = _retarget(
        tmp_path, "us-east-1, eu-central-1", "accounts: ['222222222222', '333333333333']",
        _US.replace("vpc-0aaaaaaaaaaaaaaa1", "vpc-0aaaaaaaaaaaaaaa2")
        .replace("}", ", AlarmTopicAccount: '444444444444'}") + _DE)
    assert _section((folder / "v2.DEPLOY.md").read_text(), "Updating from v1 (the StackSet "
                    "runs v1)") == """\
What this version changes in the stack instances of v1:

- delete (stacks retained): 111111111111, 222222222222 in eu-west-1
- delete (stacks retained): 111111111111 in us-east-1
- set parameter overrides: 222222222222 in us-east-1
- create: 222222222222, 333333333333 in eu-central-1
- create: 333333333333 in us-east-1

The commands, in this order: instances the spec dropped are deleted first,
keeping their stacks (`--retain-stacks`: the stack and its cache stay in the
account, outside the StackSet; delete it there once it is no longer needed);
update-stack-set then rolls the template out to every remaining instance,
keeping each one's parameter overrides; update-stack-instances sets the
overrides that changed (values set by hand for one account are kept for the
Parameters sent as `UsePreviousValue`, and reset for the others of that region);
create-stack-instances adds the new instances.

Each command is one StackSet operation, over its regions one after another in
the order above. StackSets queues an operation behind the running one and starts
it even when that one failed: run one command at a time, the next only after
`aws cloudformation describe-stack-set-operation` reports the previous one
`SUCCEEDED`, so a bad version stops at the first region it breaks.
"""


def test_diff_says_which_overrides_change_and_which_go_back(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _retarget(tmp_path, "us-east-1, eu-west-1", "accounts: ['111111111111']", _US_TOPIC + _EU)
    path = tmp_path / "rollout.yaml"
    path.write_text(RETARGET.replace("REGIONS", "us-east-1, eu-west-1")
                    .replace("TARGETS", "accounts: ['111111111111']")
                    .replace("CONCURRENCY", "").replace(
                        "OVERRIDES\n",
                        _US.replace("vpc-0aaaaaaaaaaaaaaa1", "vpc-0aaaaaaaaaaaaaaa2")
                        .replace("}", ", AlarmTopicAccount: '444444444444'}") + _EU))
    capsys.readouterr()
    cli.main(["diff", str(path), "--out", str(tmp_path / "templates")])
    assert ("stack instances: set parameter overrides in us-east-1: AlarmTopicAccount = "
            "'444444444444'; VpcId 'vpc-0aaaaaaaaaaaaaaa1' -> 'vpc-0aaaaaaaaaaaaaaa2'; "
            "AlarmTopicName back to the StackSet's value") in capsys.readouterr().out


def test_an_update_of_an_ou_stackset_names_the_ous(tmp_path: Path) -> None:
    """Service-managed: the instances are the OUs' (no Accounts in the requests)."""
    _retarget(tmp_path, "us-east-1, eu-west-1, eu-central-1",
              "organizational_units: [ou-ab12-cdef3456]", _US + _EU + _DE)
    # Two new regions with the same overrides: one request for both.
    same = _EU.replace("eu-west-1", "ap-southeast-2") + _EU.replace("eu-west-1", "ap-northeast-1")
    folder = _retarget(tmp_path, "us-east-1, ap-southeast-2, ap-northeast-1",
                       "organizational_units: [ou-ab12-cdef3456, ou-ab12-ffff0000]", _US + same)
    section = _section((folder / "v2.DEPLOY.md").read_text(),
                       "Updating from v1 (the StackSet runs v1)")
    assert section.split("\n\nThe commands")[0].splitlines()[2:] == [
        "- delete (stacks retained): ou-ab12-cdef3456 in eu-west-1, eu-central-1",
        "- create: ou-ab12-cdef3456, ou-ab12-ffff0000 in ap-southeast-2, ap-northeast-1",
        "- create: ou-ab12-ffff0000 in us-east-1",
    ]


def test_an_update_that_changes_no_instance_says_so(tmp_path: Path) -> None:
    spec = RETARGET.replace("REGIONS", "us-east-1").replace(
        "TARGETS", "accounts: ['111111111111']").replace("CONCURRENCY", "").replace(
        "OVERRIDES\n", _US)
    _publish(tmp_path, spec)
    folder = _publish(tmp_path, spec.replace("environment: prod\n",
                                             "environment: prod\nnode_type: cache.m7g.large\n"))
    section = _section((folder / "v2.DEPLOY.md").read_text(),
                       "Updating from v1 (the StackSet runs v1)")
    assert section.startswith("What this version changes in the stack instances of v1:\n\n"
                              "- none: the template and the StackSet's values only\n\n")


def test_parallel_regions_count_the_instance_commands_of_an_update(tmp_path: Path) -> None:
    """update-stack-set is one operation of its own: the count is the instance commands'."""
    parallel = "operation_preferences: {region_concurrency: parallel}"
    _retarget(tmp_path, "us-east-1, eu-west-1", "accounts: ['111111111111']", _US + _EU,
              parallel)
    folder = _retarget(tmp_path, "us-east-1, eu-central-1", "accounts: ['111111111111']",
                       _US + _DE, parallel)
    requests = json.loads((folder / "v2.stackset.json").read_text())["Update"]
    count = len(requests["DeleteStackInstances"]) + len(requests["CreateStackInstances"])
    assert count == 2 and requests["UpdateStackInstances"] == []
    section = _section((folder / "v2.DEPLOY.md").read_text(),
                       "Updating from v1 (the StackSet runs v1)").replace("\n", " ")
    assert "need one command each (2 here)" in section


def _region(region: str, vpc: str, subnet: str) -> str:
    return f"      {region}: {{VpcId: vpc-0{vpc * 16}, SubnetIds: 'subnet-0{subnet * 16}'}}\n"


def test_each_region_gets_its_own_new_overrides(tmp_path: Path) -> None:
    """Regions share an update-stack-instances (or create-stack-instances)
    request only when the request is the same for each: here us-east-1 and
    eu-central-1 had the same values and get different ones, us-east-1 and
    eu-west-1 end with the same values from different ones, and the two new
    regions differ."""
    accounts = "accounts: ['111111111111']"
    _retarget(tmp_path, "us-east-1, eu-west-1, eu-central-1", accounts,
              _region("us-east-1", "a", "1") + _region("eu-west-1", "b", "2")
              + _region("eu-central-1", "a", "1"))
    folder = _retarget(
        tmp_path, "us-east-1, eu-west-1, eu-central-1, ap-southeast-2, ap-northeast-1", accounts,
        _region("us-east-1", "b", "1") + _region("eu-west-1", "b", "1")
        + _region("eu-central-1", "c", "1") + _region("ap-southeast-2", "d", "4")
        + _region("ap-northeast-1", "e", "5"))
    update = json.loads((folder / "v2.stackset.json").read_text())["Update"]

    def sent(request: dict[str, Any]) -> tuple[list[str], dict[str, str]]:
        return request["Regions"], {p["ParameterKey"]: p.get("ParameterValue", "previous")
                                    for p in request["ParameterOverrides"]}

    assert sorted(map(sent, update["UpdateStackInstances"])) == [
        (["eu-central-1"], {"SubnetIds": "previous", "VpcId": "vpc-0" + "c" * 16}),
        (["eu-west-1"], {"SubnetIds": "subnet-0" + "1" * 16, "VpcId": "previous"}),
        (["us-east-1"], {"SubnetIds": "previous", "VpcId": "vpc-0" + "b" * 16}),
    ]
    assert sorted(map(sent, update["CreateStackInstances"])) == [
        (["ap-northeast-1"], {"SubnetIds": "subnet-0" + "5" * 16, "VpcId": "vpc-0" + "e" * 16}),
        (["ap-southeast-2"], {"SubnetIds": "subnet-0" + "4" * 16, "VpcId": "vpc-0" + "d" * 16}),
    ]


def test_diff_lists_every_target_and_region_of_an_instance_change(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    accounts = "accounts: ['111111111111', '222222222222']"
    _retarget(tmp_path, "us-east-1, eu-west-1, eu-central-1", accounts, _US + _EU + _DE)
    path = tmp_path / "rollout.yaml"
    path.write_text(RETARGET.replace("REGIONS", "us-east-1, ap-southeast-2, ap-northeast-1")
                    .replace("TARGETS", accounts).replace("CONCURRENCY", "").replace(
                        "OVERRIDES\n", _US + _EU.replace("eu-west-1", "ap-southeast-2")
                        + _EU.replace("eu-west-1", "ap-northeast-1")))
    capsys.readouterr()
    cli.main(["diff", str(path), "--out", str(tmp_path / "templates")])
    out = capsys.readouterr().out
    assert ("stack instances: create stack instances: 111111111111, 222222222222 in "
            "ap-southeast-2, ap-northeast-1") in out
    assert ("stack instances: delete stack instances (their stacks and caches are retained): "
            "111111111111, 222222222222 in eu-west-1, eu-central-1") in out
