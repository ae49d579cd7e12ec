"""A global datastore: the rules' AWS facts, the secondary's template, the
deploy order in DEPLOY.md (run through the AWS CLI's own driver), and the
parts a version carries through build, build --check and diff."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import aws_cli
import pytest

from compiler import cli
from compiler.api import compile_text
from compiler.catalog import engines, node_types
from compiler.catalog.partitions import partition_of
from compiler.input.schema import spec_schema
from compiler.rules import global_datastore as rules

SPEC = """cachec: 1
name: orders
environment: test
node_type: cache.r7g.large
topology: {replicas: 1}
network:
  vpc_id: vpc-0a1b2c3d4e5f67890
  subnet_ids: [subnet-0a1b2c3d, subnet-1a2b3c4d]
global_datastore:
  primary_region: us-east-1
  secondary_regions: [eu-west-1, ap-southeast-1]
"""


def _compiled(text: str = SPEC) -> Any:
    result = compile_text(text, "t.yaml", lint=False)
    assert result.ok, result.diagnostics
    return result


def test_the_regions_are_regions_cachec_knows() -> None:
    """Every region AWS lists for global datastores is one of the schema's,
    in a partition the partition table knows."""
    known = set(spec_schema()["definitions"]["region"]["enum"])
    assert known >= rules.REGIONS, rules.REGIONS - known
    assert all(partition_of(r) is not None for r in rules.REGIONS)


def test_the_node_families_are_current_families_of_the_catalog() -> None:
    families = {t.family for t in node_types.NODE_TYPES.values() if t.current_generation}
    assert set(rules.FAMILIES) <= families


def test_an_engine_below_the_floor_is_refused() -> None:
    """Redis OSS 5.0.6 and Valkey 7.2 are the oldest with global datastores;
    every version cachec accepts is past them, so the rule is run on a model
    with an older version written in."""
    spec = _compiled().spec
    old = dataclasses.replace(spec, engine_version="5.0.5")
    found = list(rules.engine_version(old, old.deployment))
    assert [(d.kind, d.path, d.message) for d in found] == [
        ("global-datastore-engine-version", ("engine_version",),
         "global datastores need redis 5.0.6 or later, not 5.0.5")]
    for engine in engines.ENGINES:
        for version in engines.versions_of(engine):
            ok = dataclasses.replace(spec, engine=engine, engine_version=version)
            assert list(rules.engine_version(ok, ok.deployment)) == [], (engine, version)


def test_a_cache_without_a_global_datastore_has_one_template() -> None:
    result = compile_text(SPEC.split("global_datastore")[0], "t.yaml", lint=False)
    assert result.ok and result.parts == ()
    assert "GlobalReplicationGroup" not in result.template["Resources"]


def test_the_primary_names_its_group_as_the_primary_member() -> None:
    result = _compiled()
    group = result.template["Resources"]["GlobalReplicationGroup"]
    assert group["Type"] == "AWS::ElastiCache::GlobalReplicationGroup"
    assert group["Properties"]["GlobalReplicationGroupIdSuffix"] == "orders-test"
    assert group["Properties"]["Members"] == [{
        "ReplicationGroupId": {"Ref": "ReplicationGroup"},
        "ReplicationGroupRegion": {"Ref": "AWS::Region"}, "Role": "PRIMARY"}]
    assert result.template["Outputs"]["GlobalReplicationGroupId"]["Value"] == {
        "Ref": "GlobalReplicationGroup"}
    # The primary's own group does not name the global datastore: adding one
    # to a running cache adds a resource, it replaces nothing.
    assert "GlobalReplicationGroupId" not in result.template["Resources"]["ReplicationGroup"][
        "Properties"]


def test_each_secondary_joins_by_the_parameter_and_inherits_the_rest() -> None:
    result = _compiled()
    assert [p.name for p in result.parts] == ["eu-west-1", "ap-southeast-1"]
    for part in result.parts:
        template = part.template
        props = template["Resources"]["ReplicationGroup"]["Properties"]
        assert props["GlobalReplicationGroupId"] == {"Ref": "GlobalReplicationGroupId"}
        assert template["Parameters"]["GlobalReplicationGroupId"]["Type"] == "String"
        for inherited in ("Engine", "EngineVersion", "CacheNodeType", "Port",
                          "AtRestEncryptionEnabled", "TransitEncryptionEnabled", "AuthToken",
                          "CacheParameterGroupName", "AutomaticFailoverEnabled"):
            assert inherited not in props, inherited
        assert props["NumCacheClusters"] == 2
        # The secondary's AUTH token, secret and parameter group are the primary's.
        for absent in ("AuthSecret", "ParameterGroup", "GlobalReplicationGroup"):
            assert absent not in template["Resources"], absent
        assert "AuthSecretArn" not in template["Outputs"]
        # The primary region's VPC and subnets are no defaults elsewhere.
        assert "Default" not in template["Parameters"]["VpcId"]
        assert "Default" not in template["Parameters"]["SubnetIds"]
        assert f"secondary in {part.name}" in template["Description"]


def test_each_secondary_watches_global_replication_lag_on_every_node() -> None:
    for part in _compiled().parts:
        alarm = part.template["Resources"]["GlobalReplicationLagAlarm"]["Properties"]
        queries = alarm["Metrics"]
        metrics = [q["MetricStat"]["Metric"] for q in queries if "MetricStat" in q]
        assert {m["MetricName"] for m in metrics} == {"GlobalDatastoreReplicationLag"}
        assert [m["Dimensions"][0]["Value"] for m in metrics] == [
            {"Fn::Sub": "${ReplicationGroup}-001"}, {"Fn::Sub": "${ReplicationGroup}-002"}]
        assert alarm["TreatMissingData"] == "notBreaching"
        assert alarm["Threshold"] == 30
        assert queries[-1]["Expression"] == "MAX([node001,node002])"
        # The per-node alarms are there too, in the secondary's region.
        assert "CpuAlarm" in part.template["Resources"]
    # The primary publishes no GlobalDatastoreReplicationLag: no alarm there.
    assert "GlobalReplicationLagAlarm" not in _compiled().template["Resources"]


def test_ten_nodes_the_most_one_lag_alarm_watches_are_accepted() -> None:
    """One metric-math alarm takes 10 metrics: 5 shards of 2 nodes fill it
    (global-datastore-lag-alarm-nodes refuses 12, tests/bad_specs)."""
    result = _compiled(SPEC.replace("{replicas: 1}", "{shards: 5, replicas: 1}"))
    for part in result.parts:
        queries = part.template["Resources"]["GlobalReplicationLagAlarm"]["Properties"]["Metrics"]
        assert len([q for q in queries if "MetricStat" in q]) == 10


def test_without_monitoring_no_secondary_alarm() -> None:
    result = _compiled(SPEC + "monitoring: {enabled: false}\n")
    for part in result.parts:
        assert not [r for r in part.template["Resources"].values()
                    if r["Type"] == "AWS::CloudWatch::Alarm"]


def _responses(stack: str, command: str) -> dict[str, dict[str, Any]]:
    """What the waiters poll for: a stack that is done, per waiter."""
    status = ("UPDATE_COMPLETE" if "stack-update-complete" in command
              else "DELETE_COMPLETE" if "stack-delete-complete" in command
              else "CREATE_COMPLETE")
    return {
        "DescribeStacks": {"Stacks": [{
            "StackName": stack, "CreationTime": "2026-01-01T00:00:00Z",
            "StackStatus": status}]},
        "DescribeChangeSet": {"Status": "CREATE_COMPLETE", "ExecutionStatus": "AVAILABLE"},
    }


def _build(tmp_path: Path, text: str, *extra: str) -> Path:
    spec = tmp_path / "spec.yaml"
    spec.write_text(text)
    out = tmp_path / "out"
    assert cli.main(["build", "--no-lint", "--out", str(out), str(spec), *extra]) == 0
    return out / "orders-test"


def _global_sections(guide: str) -> str:
    return "\n## " + guide.split("\n## Global datastore: the deploy order", 1)[1]


def test_every_command_of_the_deploy_order_runs(tmp_path: Path) -> None:
    """The global sections' commands, in the stack folder, through the AWS CLI;
    the deployer's per-region files written as the guide asks."""
    folder = _build(tmp_path, SPEC)
    guide = (folder / "v1.DEPLOY.md").read_text()
    assert "## Global datastore: the deploy order" in guide
    for region in ("eu-west-1", "ap-southeast-1"):
        (folder / f"parameters.{region}.local.json").write_text(json.dumps([
            {"ParameterKey": "GlobalReplicationGroupId", "ParameterValue": "ldgnf-orders-test"},
            {"ParameterKey": "VpcId", "ParameterValue": "vpc-0123456789abcdef0"},
            {"ParameterKey": "SubnetIds", "ParameterValue": "subnet-0123,subnet-4567"},
        ]))
    runs = []
    for command in aws_cli.commands(_global_sections(guide)):
        line = (command.replace('"$GLOBAL_ID"', "ldgnf-orders-test")
                .replace('"$SECONDARY_ID"', "orders-test-eu"))
        run = aws_cli.run(line, folder, _responses("orders-test", command))
        assert run.returncode == 0, (command, run.stderr)
        runs.append(run)
    operations = [(name, params) for run in runs for name, params in run.calls]
    names = [name for name, _ in operations]
    # Primary first (its id), then each secondary in order, then failover and removal.
    assert names.index("CreateStack") > names.index("DescribeGlobalReplicationGroups")
    creates = [p for n, p in operations if n == "CreateStack"]
    assert [c["TemplateBody"] for c in creates] == [
        (folder / "v1.eu-west-1.yaml").read_text(),
        (folder / "v1.ap-southeast-1.yaml").read_text()]
    assert all(c["StackPolicyBody"] == (folder / f"v1.{r}.stack-policy.json").read_text()
               for c, r in zip(creates, ("eu-west-1", "ap-southeast-1"), strict=True))
    failover = next(p for n, p in operations if n == "FailoverGlobalReplicationGroup")
    assert failover["PrimaryRegion"] == "eu-west-1"
    removal = next(p for n, p in operations if n == "DisassociateGlobalReplicationGroup")
    assert removal["ReplicationGroupRegion"] == "ap-southeast-1"
    # Disassociate before the delete; the secondaries' regions are passed.
    assert names.index("DisassociateGlobalReplicationGroup") < names.index("DeleteStack")
    regions = [run.argv[run.argv.index("--region") + 1] for run in runs]
    assert regions[0] == "us-east-1"
    assert {"eu-west-1", "ap-southeast-1"} <= set(regions)


def test_a_version_carries_every_region_and_check_compares_them(tmp_path: Path) -> None:
    folder = _build(tmp_path, SPEC)
    manifest = json.loads((folder / "versions.json").read_text())
    entry = manifest["versions"][0]
    assert [t["part"] for t in entry["templates"]] == ["eu-west-1", "ap-southeast-1"]
    for region in ("eu-west-1", "ap-southeast-1"):
        for ext in ("yaml", "parameters.json", "update-parameters.json", "config.json",
                    "stack-policy.json"):
            assert f"v1.{region}.{ext}" in entry["files"], (region, ext)
    spec = tmp_path / "spec.yaml"
    out = str(tmp_path / "out")
    assert cli.main(["build", "--check", "--no-lint", "--out", out, str(spec)]) == 0
    # An edited part is found.
    part = folder / "v1.eu-west-1.yaml"
    edited = part.read_text().replace("NumCacheClusters: 2", "NumCacheClusters: 3")
    assert edited != part.read_text()
    part.write_text(edited)
    assert cli.main(["build", "--check", "--no-lint", "--out", out, str(spec)]) != 0


def test_diff_compares_each_part_with_its_own(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    """An in-place change shows in every region; dropping a region deletes its
    cache, which the guard refuses."""
    _build(tmp_path, SPEC)
    spec, out = tmp_path / "spec.yaml", str(tmp_path / "out")
    spec.write_text(SPEC + 'maintenance_window: "tue:05:00-tue:06:00"\n')
    capsys.readouterr()
    assert cli.main(["diff", "--format", "json", "--out", out, str(spec)]) == 0
    (report,) = json.loads(capsys.readouterr().out)["specs"]
    assert [p["part"] for p in report["parts"]] == ["eu-west-1", "ap-southeast-1"]
    for part in report["parts"]:
        assert [c["template_path"] for c in part["changes"]] == [
            "Resources.ReplicationGroup.Properties.PreferredMaintenanceWindow"]
    spec.write_text(SPEC.replace(", ap-southeast-1", ""))
    assert cli.main(["diff", "--format", "json", "--out", out, str(spec)]) == 0
    (report,) = json.loads(capsys.readouterr().out)["specs"]
    assert report["replaces_cache"] is True
    assert [p["part"] for p in report["parts"]] == ["eu-west-1", "ap-southeast-1"]
    assert report["parts"][1]["changes"]  # every resource of ap-southeast-1 removed
    capsys.readouterr()
    assert cli.main(["build", "--no-lint", "--out", out, str(spec)]) == 1
    assert "global_datastore.secondary_regions: in ap-southeast-1's template: deletes " \
           "the cache" in capsys.readouterr().err


def test_a_new_region_alone_is_a_new_version(tmp_path: Path) -> None:
    """Adding a secondary makes v2, which carries both regions (the primary's
    resources unchanged: only its provenance names the new spec)."""
    one = SPEC.replace(", ap-southeast-1", "")
    folder = _build(tmp_path, one)
    _build(tmp_path, SPEC)
    manifest = json.loads((folder / "versions.json").read_text())
    assert [v["version"] for v in manifest["versions"]] == [1, 2]
    assert [c["template_path"] for c in manifest["versions"][1]["changes"]] == []
    assert [t["part"] for t in manifest["versions"][1]["templates"]] == [
        "eu-west-1", "ap-southeast-1"]
    # Built again: nothing new.
    _build(tmp_path, SPEC)
    assert len(json.loads((folder / "versions.json").read_text())["versions"]) == 2


def test_the_update_commands_of_a_second_version_run(tmp_path: Path) -> None:
    """v2's guide updates each secondary through its own change set, with its
    own update parameters; v1's has no update section."""
    folder = _build(tmp_path, SPEC)
    assert "## Global datastore: updating" not in (folder / "v1.DEPLOY.md").read_text()
    _build(tmp_path, SPEC + 'maintenance_window: "tue:05:00-tue:06:00"\n')
    guide = (folder / "v2.DEPLOY.md").read_text()
    section = guide.split("\n## Global datastore: updating to v2", 1)[1].split("\n## ", 1)[0]
    runs = [aws_cli.run(c, folder, _responses("orders-test", c))
            for c in aws_cli.commands(section)]
    assert all(r.returncode == 0 for r in runs), [r.stderr for r in runs]
    sets = [p for r in runs for n, p in r.calls if n == "CreateChangeSet"]
    assert [s["TemplateBody"] for s in sets] == [
        (folder / f"v2.{r}.yaml").read_text() for r in ("eu-west-1", "ap-southeast-1")]
    assert all(p["UsePreviousValue"] for s in sets for p in s["Parameters"]
               if p["ParameterKey"] in ("VpcId", "SubnetIds", "GlobalReplicationGroupId"))


def test_a_secondary_declares_no_parameter_it_does_not_read() -> None:
    """The DNS record, the AUTH secret and its rotation stay with the primary:
    their Parameters would be ones a secondary's deployer fills in vain."""
    text = SPEC + (
        "dns: {zone_id: Z0123456789ABCDEFGHIJ, name: cache.example.com}\n"
        "security:\n  encryption_in_transit: true\n  auth: token\n"
        "  secrets_kms_key_id: alias/cache-secrets\n"
        "  rotation: {function_arn: 'arn:aws:lambda:us-east-1:111122223333:function:rotate',"
        " schedule: rate(30 days)}\n"
    )
    result = _compiled(text)
    assert {"DnsZoneId", "CredentialsKmsKeyId", "RotationFunctionArn"} <= set(
        result.template["Parameters"])
    for part in result.parts:
        template = part.template
        body = json.dumps({k: v for k, v in template.items() if k != "Parameters"})
        unread = [name for name in template["Parameters"]
                  if f'"Ref": "{name}"' not in body and "${" + name + "}" not in body]
        assert not unread, (part.name, unread)
