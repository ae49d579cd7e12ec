"""stack.expose: Parameters with the spec's value as Default, within what cachec checked."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from compiler.api import compile_text
from compiler.catalog import alarms as catalog
from compiler.catalog import node_types
from compiler.catalog.regions import offered_node_types
from compiler.deploy.version_files import deployment_files
from compiler.vocabulary import names

GOLDEN = Path(__file__).parent / "golden"
EXPOSE_CASES = ("expose-all", "expose-stackset")


def _compiled(case: str, text: str | None = None) -> Any:
    spec = text if text is not None else (GOLDEN / case / "spec.yaml").read_text()
    result = compile_text(spec, f"{case}.yaml", lint=False)
    assert result.ok, result.diagnostics
    return result


@pytest.mark.parametrize("case", EXPOSE_CASES)
def test_parameters_file_lists_only_what_the_spec_fixes(case: str) -> None:
    """Exposed Parameters take their Default at creation and keep the deployed
    value on update (deploy_guide.py): the create file leaves them out."""
    result = _compiled(case)
    files = deployment_files(result, 1, "v1.yaml")
    listed = [p["ParameterKey"] for p in json.loads(files["v1.parameters.json"])]
    declared = list(result.template["Parameters"])
    exposed = {"NodeType", "EngineVersion", "Replicas", "BackupRetentionDays"}
    assert not exposed & set(listed)
    if case == "expose-all":  # the spec fixes the VPC there
        assert listed[:2] == ["VpcId", "SubnetIds"]
    else:  # the network ids have none: the deployer (or the overrides) gives them
        assert "VpcId" not in listed and set(listed) < set(declared)


def test_exposed_fields_are_parameters_with_the_spec_value_as_default() -> None:
    params = _compiled("expose-all").template["Parameters"]
    assert params["NodeType"]["Default"] == "cache.r7g.large"
    assert "cache.r7g.large" in params["NodeType"]["AllowedValues"]
    assert params["EngineVersion"] == {**params["EngineVersion"], "Default": "7.0",
                                       "AllowedValues": ["7.0", "7.1"]}
    assert params["Replicas"]["Default"] == "2"
    assert (params["BackupRetentionDays"]["MinValue"], params["BackupRetentionDays"]["MaxValue"]
            ) == (0, 35)
    # cpu on a 2-vCPU node: the host threshold CloudWatch compares (80 / 2).
    assert params["CpuAlarmThreshold"]["Default"] == 40
    assert params["MemoryAlarmThreshold"]["MaxValue"] == 99.99


_SPEC = "cachec: 1\nname: t1\nenvironment: dev\nnode_type: cache.t3.micro\n"


def _parameters(extra: str) -> dict[str, Any]:
    result = compile_text(_SPEC + extra, "t.yaml", lint=False)
    assert result.ok, result.diagnostics
    parameters: dict[str, Any] = result.template["Parameters"]
    return parameters


@pytest.mark.parametrize(("key", "spec_value", "low", "high"), [
    # The spec accepts evictions 0 ("any eviction"): so must the Parameter.
    ("evictions", 0, 0, None),
    ("evictions", 1000, 0, None),
    ("connections", 1000, 0.01, 64999.99),
    ("memory", 85, 0.01, 99.99),
    ("replication_lag", 30, 0.01, None),
    # cpu on the 2-vCPU t3.micro: CloudWatch compares host CPU = spec / 2,
    # and the spec accepts below 100, so the host value below 50.
    ("cpu", 80, 0.01, 49.99),
])
def test_exposed_thresholds_accept_what_the_spec_accepts(
    key: str, spec_value: float, low: float, high: float | None
) -> None:
    """Bounds from the one range the spec is checked against (catalog.alarms,
    rules/monitoring.thresholds_reachable), not a second guess: the spec's
    open range "above 0 and below 100" as the nearest inclusive hundredths."""
    replicas = "topology: {replicas: 1}\n" if key == "replication_lag" else ""
    parameter = _parameters(
        f"{replicas}monitoring: {{alarms: {{{key}: {spec_value}}}}}\n"
        f"stack: {{expose: [monitoring.alarms.{key}]}}\n"
    )[names.alarm_threshold(key)]
    assert parameter["MinValue"] == low
    assert parameter.get("MaxValue") == high
    assert low <= parameter["Default"] and (high is None or parameter["Default"] <= high)


def test_node_type_choices_cross_vcpu_classes_unless_the_cpu_alarm_is_on() -> None:
    """The cpu alarm's threshold (and description) on a <= 2-vCPU node is
    divided by its vCPUs, literally: with it on, only nodes with the same
    divisor keep it true. Without it (engine_cpu is unscaled), every size of
    every family fits: a larger node, as docs/deploying.md promises."""
    with_cpu = _parameters("stack: {expose: [node_type]}\n")["NodeType"]["AllowedValues"]
    assert {catalog.host_cpu_divisor(_vcpus(n)) for n in with_cpu} == {2}
    engine_only = _parameters(
        "monitoring: {alarms: {cpu: false, engine_cpu: 90}}\nstack: {expose: [node_type]}\n"
    )["NodeType"]["AllowedValues"]
    assert {"cache.t3.micro", "cache.r7g.xlarge", "cache.r7g.16xlarge"} <= set(engine_only)
    assert set(with_cpu) < set(engine_only)


def _vcpus(name: str) -> int:
    node = node_types.lookup(name)
    assert node is not None
    return node.vcpus


def test_exposed_values_are_referenced_not_written() -> None:
    template = _compiled("expose-all").template
    group = template["Resources"]["ReplicationGroup"]["Properties"]
    assert group["CacheNodeType"] == {"Ref": "NodeType"}
    assert group["EngineVersion"] == {"Ref": "EngineVersion"}
    assert group["NumCacheClusters"] == {"Fn::FindInMap": ["NodeCounts", {"Ref": "Replicas"},
                                                           "Nodes"]}
    assert group["SnapshotRetentionLimit"] == {"Ref": "BackupRetentionDays"}
    assert template["Resources"]["MemoryAlarm"]["Properties"]["Threshold"] == {
        "Ref": "MemoryAlarmThreshold"
    }
    # Not exposed: literal.
    assert group["AtRestEncryptionEnabled"] is True and group["Port"] == 6379


def test_a_spec_with_replicas_keeps_one_by_a_template_rule() -> None:
    template = _compiled("expose-all").template
    (assertion,) = template["Rules"]["ReplicasNeeded"]["Assertions"]
    assert assertion["Assert"] == {"Fn::Not": [{"Fn::Equals": [{"Ref": "Replicas"}, "0"]}]}
    spec = (GOLDEN / "expose-all" / "spec.yaml").read_text()
    single = spec.replace("replicas: 2", "replicas: 0").replace(
        "alarms: {memory: 80, replication_lag: 20}", "alarms: {memory: 80}"
    ).replace("    - monitoring.alarms.replication_lag\n", "")
    assert "Rules" not in _compiled("single", single).template


def test_alarms_watch_only_the_nodes_that_exist() -> None:
    metrics = _compiled("expose-all").template["Resources"]["MemoryAlarm"]["Properties"][
        "Metrics"]
    assert metrics[0]["Id"] == "node001"
    assert [m["Fn::If"][0] for m in metrics[1:6]] == [f"HasNode{k}" for k in range(2, 7)]
    expression = metrics[6]["Expression"]
    assert expression["Fn::If"][0] == "HasNode6"
    assert expression["Fn::If"][1] == (
        "MAX([node001,node002,node003,node004,node005,node006])"
    )


def test_node_type_choices_are_offered_in_every_stackset_region() -> None:
    params = _compiled("expose-stackset").template["Parameters"]
    choices = params["NodeType"]["AllowedValues"]
    offered = offered_node_types()
    for region in ("eu-west-1", "eu-central-2", "il-central-1"):
        assert set(choices) <= set(offered[region]["enum"]), region
    # Same vCPU class as the spec's 2-vCPU node (its cpu alarm is scaled by 2).
    assert "cache.r7g.xlarge" not in choices and "cache.t4g.micro" in choices


def test_production_choices_are_not_burstable() -> None:
    choices = _compiled("expose-all").template["Parameters"]["NodeType"]["AllowedValues"]
    assert not [c for c in choices if c.startswith("cache.t")]


def test_nothing_exposed_leaves_the_template_literal() -> None:
    spec = (GOLDEN / "expose-all" / "spec.yaml").read_text().split("stack:")[0]
    template = _compiled("literal", spec).template
    assert not {"NodeType", "EngineVersion", "Replicas"} & set(template["Parameters"])
    assert "Mappings" not in template and "Rules" not in template


def test_expose_goldens_are_in_the_golden_suite() -> None:
    for case in EXPOSE_CASES:
        assert yaml.safe_load((GOLDEN / case / "expected.yaml").read_text())["Parameters"]
