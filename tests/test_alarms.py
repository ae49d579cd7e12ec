"""Alarms watch exactly the member nodes that exist, on the dimension metrics live on.

For every golden template: the CacheClusterId of every metric every alarm
reads equals the member ids derived from the topology (with or without
cluster mode), per metric; no alarm watches the replication group id; no
metric-math alarm reads more than CloudWatch's 10 metrics, and where one
metric needs several (large clusters) a composite alarm joins all of them;
the dashboard graphs the same nodes. Serverless goldens: every alarm is one
plain metric alarm on the cache (its metrics are per cache), with limit
alarms at their % of the limit the template sets.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from compiler.api import compile_text
from compiler.catalog import alarms as catalog
from compiler.catalog import node_types
from compiler.synthesize.members import member_suffixes
from compiler.vocabulary import names, resource_names

GOLDEN = Path(__file__).parent / "golden"
ALL_CASES = sorted(p.name for p in GOLDEN.iterdir() if (p / "expected.yaml").is_file())


def template(case: str, replicas: int | None = None) -> dict[str, Any]:
    """The golden as deployed: with exposed replicas (stack.expose), at the
    Parameter's Default or at `replicas`, HasNode<k> Conditions decided."""
    text = (GOLDEN / case / "expected.yaml").read_text()
    data: dict[str, Any] = yaml.safe_load(text)
    data = _thresholds_at_defaults(data)
    exposed = data.get("Parameters", {}).get("Replicas")
    if exposed is None:
        return data
    count = int(exposed["Default"]) if replicas is None else replicas
    true = {f"HasNode{k}" for k in range(2, count + 2)}
    resolved: dict[str, Any] = _decided(data, true)
    resolved["Resources"]["ReplicationGroup"]["Properties"]["NumCacheClusters"] = count + 1
    return resolved


def _thresholds_at_defaults(data: dict[str, Any]) -> dict[str, Any]:
    """Exposed alarm thresholds (stack.expose) at their Parameters' Defaults."""
    defaults = {n: p["Default"] for n, p in data.get("Parameters", {}).items()
                if n.endswith("AlarmThreshold")}
    for resource in data["Resources"].values():
        props = resource.get("Properties", {})
        if resource["Type"] == "AWS::CloudWatch::Alarm" and isinstance(props["Threshold"], dict):
            props["Threshold"] = float(defaults[props["Threshold"]["Ref"]])
        if resource["Type"] == "AWS::CloudWatch::Dashboard":
            body = props["DashboardBody"]
            for name, value in defaults.items():
                body["Fn::Sub"] = body["Fn::Sub"].replace(f"${{{name}}}", str(value))
    return data


def _decided(value: Any, true: set[str]) -> Any:
    """Fn::If on the given true Conditions resolved; AWS::NoValue list items dropped."""
    if isinstance(value, dict):
        if set(value) == {"Fn::If"}:
            condition, yes, no = value["Fn::If"]
            return _decided(yes if condition in true else no, true)
        return {k: _decided(v, true) for k, v in value.items()}
    if isinstance(value, list):
        items = [_decided(v, true) for v in value]
        return [v for v in items if v != {"Ref": "AWS::NoValue"}]
    return value


# Node-based goldens (a replication group and its member nodes), and serverless ones.
CASES = [c for c in ALL_CASES if "ReplicationGroup" in template(c)["Resources"]]
SERVERLESS_CASES = [c for c in ALL_CASES if "ServerlessCache" in template(c)["Resources"]]


def expected_members(resources: dict[str, Any]) -> set[str]:
    """Member ids from the topology the template deploys, never from cachec's code paths."""
    props = resources["ReplicationGroup"]["Properties"]
    if "NumNodeGroups" in props:  # cluster mode: <rg>-000S-00R
        # Each shard's own ReplicaCount where NodeGroupConfiguration places them
        # (topology.availability_zones), else ReplicasPerNodeGroup for all.
        counts = {int(g["NodeGroupId"]): g["ReplicaCount"]
                  for g in props.get("NodeGroupConfiguration", [])}
        return {
            f"${{ReplicationGroup}}-{s:04d}-{r:03d}"
            for s in range(1, props["NumNodeGroups"] + 1)
            for r in range(1, counts.get(s, props.get("ReplicasPerNodeGroup", 0)) + 2)
        }
    nodes = props["NumCacheClusters"]
    return {f"${{ReplicationGroup}}-{n:03d}" for n in range(1, nodes + 1)}


def alarms_of(resources: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Metric alarms (composites excluded)."""
    return {
        k: r["Properties"] for k, r in resources.items() if r["Type"] == "AWS::CloudWatch::Alarm"
    }


EXPOSED_REPLICAS = [
    (case, n) for case in CASES if "Replicas" in template(case).get("Parameters", {})
    for n in range(6)
]


def test_exposed_replicas_are_covered() -> None:
    assert EXPOSED_REPLICAS


def composites_of(resources: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """By the metric alarm they stand for (CpuAlarmCluster under CpuAlarm)."""
    return {
        kind_of(k): r["Properties"] for k, r in resources.items()
        if r["Type"] == "AWS::CloudWatch::CompositeAlarm"
    }


def kind_of(logical_id: str) -> str:
    """`CpuAlarmPart07`, `CpuAlarmCluster` and `CpuAlarm` all belong to CpuAlarm."""
    return re.sub(r"(Part\d+|Cluster)$", "", logical_id)


def watched_nodes(alarm: dict[str, Any]) -> set[str]:
    by_metric: dict[str, set[str]] = {}
    for query in alarm["Metrics"]:
        if "MetricStat" not in query:
            continue
        metric = query["MetricStat"]["Metric"]
        assert metric["Namespace"] == "AWS/ElastiCache"
        (dimension,) = metric["Dimensions"]
        assert dimension["Name"] == "CacheClusterId"
        by_metric.setdefault(metric["MetricName"], set()).add(dimension["Value"]["Fn::Sub"])
    assert len(by_metric) == 1  # one metric per alarm
    (watched,) = by_metric.values()
    return watched


@pytest.mark.parametrize(("case", "replicas"), [(c, None) for c in CASES] + EXPOSED_REPLICAS)
def test_every_alarm_watches_every_node_and_nothing_else(case: str, replicas: int | None) -> None:
    resources = template(case, replicas)["Resources"]
    members = expected_members(resources)
    watched: dict[str, list[str]] = {}
    for name, alarm in alarms_of(resources).items():
        assert "Dimensions" not in alarm and "MetricName" not in alarm, name
        nodes = watched_nodes(alarm)
        assert len(nodes) <= 10, name  # CloudWatch: at most 10 metrics per math alarm
        watched.setdefault(kind_of(name), []).extend(nodes)
        (expression,) = [q for q in alarm["Metrics"] if "Expression" in q]
        ids = [q["Id"] for q in alarm["Metrics"] if "MetricStat" in q]
        assert expression["Expression"] == f"MAX([{','.join(ids)}])"
        assert [q["ReturnData"] for q in alarm["Metrics"]].count(True) == 1
    for kind, nodes in watched.items():
        assert sorted(nodes) == sorted(members), f"{case}/{kind}"  # each node exactly once
    composites = composites_of(resources)
    for name in alarms_of(resources):
        if name != kind_of(name):  # a part: its composite names it
            rule = composites[kind_of(name)]["AlarmRule"]["Fn::Sub"]
            assert f'ALARM("${{{name}}}")' in rule, name
    for name, composite in composites.items():
        parts = [p for p in alarms_of(resources) if kind_of(p) == name]
        assert composite["AlarmRule"]["Fn::Sub"].count("ALARM(") == len(parts) <= 100


@pytest.mark.parametrize("case", CASES)
def test_alarm_settings_follow_the_catalog(case: str) -> None:
    resources = template(case)["Resources"]
    kinds = {names.ALARMS[k.key]: k for k in catalog.ALARMS}
    per_state = any(p in template(case)["Parameters"] for p in names.EXTRA_TOPICS.values())
    for name, alarm in alarms_of(resources).items():
        kind = kinds[kind_of(name)]
        (query,) = [q for q in alarm["Metrics"] if "MetricStat" in q][:1]
        assert query["MetricStat"]["Stat"] == kind.statistic
        assert query["MetricStat"]["Period"] == 60
        assert (alarm["EvaluationPeriods"], alarm["DatapointsToAlarm"]) == (5, 5)
        assert alarm["TreatMissingData"] == kind.treat_missing_data
        assert alarm["AlarmName"]["Fn::Sub"].startswith("${AWS::StackName}-")
        notify = composites_of(resources).get(kind_of(name), alarm)  # parts: their composite
        if not per_state:  # monitoring.alarm_actions, ok_actions, ...: states differ on purpose
            assert notify["AlarmActions"] == notify["OKActions"] == notify[
                "InsufficientDataActions"]
        if name != kind_of(name):
            assert "AlarmActions" not in alarm, name  # one page per incident


@pytest.mark.parametrize("case", CASES)
def test_dashboard_graphs_every_node(case: str) -> None:
    resources = template(case)["Resources"]
    if "Dashboard" not in resources:
        return
    body = json.loads(resources["Dashboard"]["Properties"]["DashboardBody"]["Fn::Sub"])
    # Exposed replicas: every node the group can have (a missing one graphs nothing).
    exposed = "Replicas" in template(case).get("Parameters", {})
    members = expected_members(template(case, 5)["Resources"] if exposed else resources)
    for widget in body["widgets"]:
        ids = {m[3] for m in widget["properties"]["metrics"]}
        assert ids == members, widget["properties"]["title"]


def test_clusters_and_composites_are_covered() -> None:
    clustered = [
        c for c in CASES
        if "NumNodeGroups" in template(c)["Resources"]["ReplicationGroup"]["Properties"]
    ]
    assert len(clustered) >= 2
    assert any(composites_of(template(c)["Resources"]) for c in clustered)


def test_dashboards_are_covered() -> None:
    assert sum("Dashboard" in template(c)["Resources"] for c in CASES) >= 2


def alarm_keys(case: str) -> set[str]:
    resources = template(case)["Resources"]
    kinds = {logical_id: key for key, logical_id in names.ALARMS.items()}
    return {kinds[kind_of(name)] for name in alarms_of(resources)}


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("dev-minimal", {"cpu", "memory", "connections"}),  # t3.micro: 2 vCPUs
        ("r6g-4xlarge-engine-cpu", {"engine_cpu", "memory", "connections", "replication_lag"}),
        ("five-replicas", {"engine_cpu", "memory", "connections", "replication_lag"}),
        ("monitoring-disabled", set()),
        ("alarm-off-cpu", {"memory", "connections", "replication_lag"}),
        ("alarm-off-engine-cpu", {"memory", "connections", "replication_lag"}),
        ("alarm-off-memory", {"cpu", "connections", "replication_lag"}),
        ("alarm-off-connections", {"cpu", "memory", "replication_lag"}),
        ("alarm-off-replication-lag", {"cpu", "memory", "connections"}),
        ("evictions-on-both-cpu", {"cpu", "engine_cpu", "memory", "connections", "evictions"}),
    ],
)
def test_which_alarms_exist(case: str, expected: set[str]) -> None:
    assert alarm_keys(case) == expected


def test_member_ids_both_modes() -> None:
    assert member_suffixes(1, 0, clustered=False) == ("001",)
    assert member_suffixes(1, 5, clustered=False) == tuple(f"00{i}" for i in range(1, 7))
    assert member_suffixes(2, 1, clustered=True) == (
        "0001-001", "0001-002", "0002-001", "0002-002"
    )
    assert all(re.fullmatch(r"\d{4}-\d{3}", s) for s in member_suffixes(3, 2, clustered=True))


def spec_of(case: str) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((GOLDEN / case / "spec.yaml").read_text())
    return data


def dashboard_lines(resources: dict[str, Any]) -> dict[str, float]:
    """Metric name -> the value of the dashboard's alarm line on its graph."""
    if "Dashboard" not in resources:
        return {}
    body = json.loads(resources["Dashboard"]["Properties"]["DashboardBody"]["Fn::Sub"])
    return {
        w["properties"]["metrics"][0][1]: w["properties"]["annotations"]["horizontal"][0]["value"]
        for w in body["widgets"]
        if "annotations" in w["properties"]
    }


def watched_metric(alarm: dict[str, Any]) -> str:
    queries = [q for q in alarm["Metrics"] if "MetricStat" in q]
    (name,) = {q["MetricStat"]["Metric"]["MetricName"] for q in queries}
    return str(name)


@pytest.mark.parametrize("case", CASES)
def test_cpu_threshold_is_the_engines_share_on_small_nodes(case: str) -> None:
    """The spec's cpu is engine saturation: CloudWatch compares host CPU with
    cpu / vCPUs on nodes with <= 2 vCPUs (AWS: 90 / 2 = 45 %), cpu elsewhere."""
    alarm = alarms_of(template(case)["Resources"]).get("CpuAlarm")
    if alarm is None:
        return
    spec = spec_of(case)
    written = ((spec.get("monitoring") or {}).get("alarms") or {}).get("cpu", True)
    engine = catalog.BY_KEY["cpu"].default if written is True else written
    node = node_types.lookup(spec.get("node_type", "cache.t3.micro"))
    assert node is not None
    host = engine / node.vcpus if node.vcpus <= 2 else engine
    assert alarm["Threshold"] == host, case
    assert f"above {host:g}%" in alarm["AlarmDescription"]
    if node.vcpus <= 2:  # both numbers, and why
        assert f"(spec: cpu {engine:g})" in alarm["AlarmDescription"]
        assert f"{engine:g} / {node.vcpus} = {host:g}%" in alarm["AlarmDescription"]


def test_cpu_scaling_is_covered() -> None:
    scaled = {c for c in CASES if "CpuAlarm" in alarms_of(template(c)["Resources"])}
    vcpus = set()
    for case in scaled:
        node = node_types.lookup(spec_of(case).get("node_type", "cache.t3.micro"))
        assert node is not None
        vcpus.add(node.vcpus)
    # No node type AWS still creates has 1 vCPU (T2 is refused), so 2 and 4+.
    assert {2, 4} <= vcpus


@pytest.mark.parametrize("case", CASES)
def test_memory_alarm_watches_capacity_on_data_tiered_nodes(case: str) -> None:
    resources = template(case)["Resources"]
    tiered = resources["ReplicationGroup"]["Properties"].get("DataTieringEnabled", False)
    expected = "DatabaseCapacityUsagePercentage" if tiered else "DatabaseMemoryUsagePercentage"
    other = "DatabaseMemoryUsagePercentage" if tiered else "DatabaseCapacityUsagePercentage"
    memory = alarms_of(resources).get("MemoryAlarm")
    if memory is not None:
        assert watched_metric(memory) == expected, case
        assert memory["AlarmDescription"].startswith(expected)
    body = resources.get("Dashboard", {}).get("Properties", {}).get("DashboardBody", {})
    assert other not in body.get("Fn::Sub", ""), case


def test_data_tiering_is_covered() -> None:
    tiered = [
        c for c in CASES
        if template(c)["Resources"]["ReplicationGroup"]["Properties"].get("DataTieringEnabled")
        and "Dashboard" in template(c)["Resources"]
    ]
    assert tiered


@pytest.mark.parametrize("case", CASES)
def test_dashboard_lines_sit_at_the_alarm_thresholds(case: str) -> None:
    resources = template(case)["Resources"]
    lines = dashboard_lines(resources)
    alarm_thresholds = {watched_metric(a): a["Threshold"] for a in alarms_of(resources).values()}
    assert lines == (alarm_thresholds if lines else {}), case


@pytest.mark.parametrize("case", CASES)
def test_alarm_topic_is_always_in_the_stack_region(case: str) -> None:
    """An existing topic is named, never given by ARN: the template builds its
    ARN from AWS::Partition and AWS::Region, so no deploy region can be wrong."""
    data = template(case)
    for name, parameter in data.get("Parameters", {}).items():
        # (AlarmTopicKmsKeyId, the created topic's key, holds a key ARN)
        if name.startswith("AlarmTopic") and not name.endswith("KmsKeyId"):
            assert "arn:" not in str(parameter.get("Default", "")), name
    notifying = {**alarms_of(data["Resources"]), **composites_of(data["Resources"])}
    for name, alarm in notifying.items():
        if "AlarmActions" not in alarm:
            continue  # a part of a composite
        actions = json.dumps(alarm["AlarmActions"])
        if "\"Ref\": \"AlarmTopic\"" in actions:
            continue  # the stack's own topic
        arns = re.findall(r'"Fn::Sub": "([^"]*)"', actions)
        assert arns, name
        for arn in arns:
            assert arn.startswith("arn:${AWS::Partition}:sns:${AWS::Region}:"), arn
            assert arn.endswith(":${AlarmTopicName}"), arn


def test_every_golden_has_a_shape() -> None:
    assert sorted(CASES + SERVERLESS_CASES) == ALL_CASES
    assert len(SERVERLESS_CASES) >= 3


@pytest.mark.parametrize("case", SERVERLESS_CASES)
def test_serverless_alarms_watch_the_cache(case: str) -> None:
    """One metric alarm per metric on the cache's name; only metrics serverless
    publishes; ecpu and data_storage at their % of the template's own limits."""
    resources = template(case)["Resources"]
    limits = resources["ServerlessCache"]["Properties"].get("CacheUsageLimits", {})
    spec_alarms = (spec_of(case).get("monitoring") or {}).get("alarms") or {}
    keys = {logical_id: key for key, logical_id in names.ALARMS.items()}
    assert not composites_of(resources)
    for name, alarm in alarms_of(resources).items():
        key = keys[name]
        kind = catalog.BY_KEY[key]
        assert key in catalog.SERVERLESS_ALARMS, name
        assert alarm["Namespace"] == "AWS/ElastiCache"
        assert alarm["MetricName"] == kind.metric
        assert alarm["Dimensions"] == [{"Name": "clusterId", "Value": {"Ref": "ServerlessCache"}}]
        assert (alarm["Statistic"], alarm["Period"]) == (kind.statistic, 60)
        assert alarm["TreatMissingData"] == kind.treat_missing_data
        percent = spec_alarms.get(key, kind.default)
        if key == "ecpu":  # ECPUs per second x 60 s, summed per minute
            assert alarm["Threshold"] == percent / 100 * limits["ECPUPerSecond"]["Maximum"] * 60
        if key == "data_storage":
            assert alarm["Threshold"] == percent / 100 * limits["DataStorage"]["Maximum"] * 1e9
    expected = {"throttled_commands", "connections"}
    expected |= {"ecpu"} if "ECPUPerSecond" in limits else set()
    expected |= {"data_storage"} if "Maximum" in limits.get("DataStorage", {}) else set()
    expected |= {k for k, v in spec_alarms.items() if v is not False}
    assert {keys[n] for n in alarms_of(resources)} == expected, case


@pytest.mark.parametrize("case", SERVERLESS_CASES)
def test_serverless_dashboard_graphs_the_cache(case: str) -> None:
    resources = template(case)["Resources"]
    if "Dashboard" not in resources:
        return
    body = json.loads(resources["Dashboard"]["Properties"]["DashboardBody"]["Fn::Sub"])
    for widget in body["widgets"]:
        assert [m[2:4] for m in widget["properties"]["metrics"]] == [
            ["clusterId", "${ServerlessCache}"]
        ]
    lines = dashboard_lines(resources)
    assert lines == {a["MetricName"]: a["Threshold"] for a in alarms_of(resources).values()}


def test_serverless_limit_alarms_are_covered() -> None:
    keys = {names.ALARMS[k] for k in ("ecpu", "data_storage")}
    assert any(keys <= set(alarms_of(template(c)["Resources"])) for c in SERVERLESS_CASES)
    assert any("Dashboard" in template(c)["Resources"] for c in SERVERLESS_CASES)


def test_a_cluster_growing_past_ten_nodes_changes_no_resource_type() -> None:
    """9 -> 12 nodes swaps each single alarm for parts and a composite: new
    logical ids and new names (AlarmName is create-only), never a logical id
    whose type changes, which CloudFormation cannot update."""
    from compiler.api import compile_text

    def compiled(shards: int) -> dict[str, Any]:
        text = (f"cachec: 1\nname: grow\nenvironment: dev\nnode_type: cache.r7g.large\n"
                f"topology: {{shards: {shards}, replicas: 2}}\n")
        result = compile_text(text, "grow.yaml", lint=False)
        assert result.template is not None, result.diagnostics
        resources: dict[str, Any] = result.template["Resources"]
        return resources

    small, large = compiled(3), compiled(4)
    for logical_id in set(small) & set(large):
        assert small[logical_id]["Type"] == large[logical_id]["Type"], logical_id

    def alarm_names(resources: dict[str, Any]) -> dict[str, str]:
        return {json.dumps(r["Properties"]["AlarmName"]): k for k, r in resources.items()
                if r["Type"].startswith("AWS::CloudWatch::") and "AlarmName" in r["Properties"]}

    before, after = alarm_names(small), alarm_names(large)
    assert all(before[n] == after[n] for n in set(before) & set(after))


def _descriptions(resources: dict[str, Any]) -> dict[str, str]:
    return {name: r["Properties"]["AlarmDescription"] for name, r in resources.items()
            if r["Type"] in ("AWS::CloudWatch::Alarm", "AWS::CloudWatch::CompositeAlarm")}


def _replicas(props: dict[str, Any]) -> int:
    if "NumNodeGroups" in props:
        return int(props["ReplicasPerNodeGroup"])
    return int(props["NumCacheClusters"]) - 1


@pytest.mark.parametrize("case", ALL_CASES)
def test_alarm_texts_are_true_for_the_shape(case: str) -> None:
    """A runbook points only to what this cache has: a reader endpoint only
    where the template outputs one (cluster mode has none, it has the
    configuration endpoint), replicas to read from only where there are
    some, shards only in cluster mode, a per-node connection cap and the
    timeout parameter only on nodes (serverless has neither nodes nor a
    parameter group)."""
    data = template(case)
    resources, outputs = data["Resources"], data["Outputs"]
    group = resources.get("ReplicationGroup", {}).get("Properties")
    for name, text in _descriptions(resources).items():
        assert "{" not in text and "}" not in text, (name, text)  # every phrase filled in
        if "reader endpoint" in text:
            assert "ReaderEndpoint" in outputs, (name, text)
        if group is None:
            assert "per node" not in text and "timeout parameter" not in text, (name, text)
            assert "replicas" not in text and "shards" not in text, (name, text)
            continue
        if "shards" in text:
            assert "NumNodeGroups" in group, (name, text)
        if "send reads to the replicas" in text:
            assert _replicas(group) > 0, (name, text)
        if "add replicas" in text:
            assert _replicas(group) == 0, (name, text)


def test_alarm_text_shapes_are_covered() -> None:
    """The shapes the test above tells apart all occur among the goldens."""
    texts = [" ".join(_descriptions(template(c)["Resources"]).values()) for c in ALL_CASES]
    for phrase in ("(reader endpoint)", "READONLY", "add replicas", "add shards",
                   "65,000 per node"):
        assert any(phrase in t for t in texts), phrase
    assert any("CurrConnections" in " ".join(_descriptions(template(c)["Resources"]).values())
               for c in SERVERLESS_CASES)


@pytest.mark.parametrize("case", ALL_CASES)
def test_dashboard_name_holds_the_region_and_the_dashboard_is_tagged(case: str) -> None:
    """Dashboards are account-global (API_PutDashboard: "All dashboards in your
    account are global, not region-specific"): the same stack name in two
    regions must not share, overwrite or delete one dashboard. Tagged like the
    cache itself."""
    resources = template(case)["Resources"]
    if "Dashboard" not in resources:
        return
    props = resources["Dashboard"]["Properties"]
    assert props["DashboardName"] == {"Fn::Sub": "${AWS::StackName}-${AWS::Region}-cache"}
    cache = resources.get("ReplicationGroup") or resources["ServerlessCache"]
    assert props["Tags"] == cache["Properties"]["Tags"]


def test_dashboard_names_fit_in_every_region() -> None:
    """The longest stack name CloudFormation allows (128) in the longest-named
    region stays within PutDashboard's 255 characters."""
    from cfnlint.helpers import REGIONS

    name = resource_names.dashboard_name()
    longest = resource_names.longest(name, len(max(REGIONS, key=len)))
    assert longest <= resource_names.DASHBOARD_NAME.max_length
    assert name == "${AWS::StackName}-${AWS::Region}-cache"


def built(case: str) -> dict[str, Any]:
    """The golden's spec as this compiler builds it now: a property held over
    both the committed golden and the build fails on the synthesizer's
    mistake itself, and again if the goldens are regenerated without review."""
    from compiler.api import compile_text

    path = GOLDEN / case / "spec.yaml"
    result = compile_text(path.read_text(), str(path), lint=False)
    assert result.template is not None, result.diagnostics
    return result.template


def both(case: str) -> list[tuple[str, dict[str, Any]]]:
    committed: dict[str, Any] = yaml.safe_load((GOLDEN / case / "expected.yaml").read_text())
    return [("golden", committed), ("built", built(case))]


# The statistic each metric is alarmed on, written here rather than read from
# the catalog, so that a catalog edit cannot carry its own golden with it.
# ELASTICACHE.md "Alarms" (AWS Recommended alarms and the seed): Evictions is a
# count of keys per period, so Sum; an Average of it is widdix's defect. The
# gauges (percentages, connections, seconds of lag) are averaged over the
# minute. Serverless (catalog/alarms.py, SERVERLESS_METRICS): ThrottledCmds and
# ElastiCacheProcessingUnits are counts per period (Sum, the ecpu threshold is
# max_ecpu_per_second x 60 s), BytesUsedForCache the peak size (Maximum).
STATISTICS = {
    "CPUUtilization": "Average",
    "EngineCPUUtilization": "Average",
    "DatabaseMemoryUsagePercentage": "Average",
    "DatabaseCapacityUsagePercentage": "Average",
    "CurrConnections": "Average",
    "Evictions": "Sum",
    "ReplicationLag": "Average",
    "ThrottledCmds": "Sum",
    "ElastiCacheProcessingUnits": "Sum",
    "BytesUsedForCache": "Maximum",
}


def _statistics(resource: dict[str, Any]) -> set[tuple[str, str]]:
    """(metric, statistic) of a metric alarm: its MetricStats (inside Fn::If
    too, with exposed replicas) or, for a plain alarm, its own Statistic."""
    props = resource["Properties"]
    if "MetricName" in props:
        return {(props["MetricName"], props["Statistic"])}
    found: set[tuple[str, str]] = set()

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            if "MetricStat" in value:
                stat = value["MetricStat"]
                found.add((stat["Metric"]["MetricName"], stat["Stat"]))
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(props["Metrics"])
    return found


def test_each_metric_has_its_statistic_in_the_catalog() -> None:
    assert {k.metric: k.statistic for k in catalog.ALARMS} == {
        m: s for m, s in STATISTICS.items() if m != catalog.DATA_TIERED_MEMORY_METRIC}


@pytest.mark.parametrize("case", ALL_CASES)
def test_each_metric_is_alarmed_on_its_statistic(case: str) -> None:
    for source, data in both(case):
        for name, resource in data["Resources"].items():
            if resource["Type"] == "AWS::CloudWatch::Alarm":
                for metric, statistic in _statistics(resource):
                    assert statistic == STATISTICS[metric], f"{source} {case}/{name}"


def test_every_metric_statistic_is_covered() -> None:
    seen = {pair for case in ALL_CASES for resource in template(case)["Resources"].values()
            if resource["Type"] == "AWS::CloudWatch::Alarm" for pair in _statistics(resource)}
    assert {metric for metric, _ in seen} == set(STATISTICS)


@pytest.mark.parametrize("case", [c for c in CASES if composites_of(template(c)["Resources"])])
def test_a_composite_fires_when_any_part_does(case: str) -> None:
    """Every per-node part alarm of a large cluster is a child of its metric's
    composite, joined by OR: a node in ALARM pages. AND would wait for every
    slice of ten nodes to breach at once (PutCompositeAlarm AlarmRule,
    https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutCompositeAlarm.html)."""
    for source, data in both(case):
        resources = data["Resources"]
        composites = composites_of(resources)
        parts = sorted(n for n in alarms_of(resources) if n != kind_of(n))
        assert parts and {kind_of(p) for p in parts} == set(composites), source
        for kind, composite in composites.items():
            children = [p for p in parts if kind_of(p) == kind]
            rule = " OR ".join(f'ALARM("${{{p}}}")' for p in children)
            assert composite["AlarmRule"] == {"Fn::Sub": rule}, f"{source} {case}/{kind}"
            assert "AlarmActions" in composite, f"{source} {case}/{kind}"


def test_engine_cpu_turned_off_on_a_large_node_is_said_where_and_why() -> None:
    """rules.monitoring.engine_cpu_unwatched points at the key to turn back on."""
    text = ("cachec: 1\nname: t1\nenvironment: dev\nnode_type: cache.m7g.xlarge\n"
            "topology: {replicas: 1}\nmonitoring:\n  alarms: {cpu: 90, engine_cpu: false}\n")
    said = [d for d in compile_text(text, "s.yaml", lint=False).diagnostics
            if d.kind == "engine-cpu-unwatched"]
    assert [d.path for d in said] == [("monitoring", "alarms", "engine_cpu")]
    assert said[0].message == (
        "on cache.m7g.xlarge (4 vCPUs) the cpu alarm watches whole-host CPUUtilization, which "
        "stays low while the single engine thread saturates (AWS recommends "
        "EngineCPUUtilization from 4 vCPUs); turn engine_cpu back on")
