"""Cluster mode is consistent across every golden template.

GetAtt PrimaryEndPoint/ReaderEndPoint exist only without cluster mode and
ConfigurationEndPoint only with it (a GetAtt of the wrong kind fails the
stack at deploy time, not at lint time); a clustered group has the
cluster-enabled parameter group and online resharding, and no
NumCacheClusters.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

GOLDEN = Path(__file__).parent / "golden"
ALL_CASES = sorted(p.name for p in GOLDEN.iterdir() if (p / "expected.yaml").is_file())


def template(case: str) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((GOLDEN / case / "expected.yaml").read_text())
    return data


# Cluster mode is a replication group's; serverless goldens have their own endpoints.
CASES = [c for c in ALL_CASES if "ReplicationGroup" in template(c)["Resources"]]
SERVERLESS_CASES = [c for c in ALL_CASES if "ServerlessCache" in template(c)["Resources"]]


@pytest.mark.parametrize("case", SERVERLESS_CASES)
def test_serverless_endpoints(case: str) -> None:
    """Endpoint and ReaderEndpoint, rediss:// always (TLS cannot be off); no
    replication-group GetAtt, which a ServerlessCache does not have."""
    data = template(case)
    text = json.dumps(data)
    absent_names = (
        "PrimaryEndPoint", "ConfigurationEndPoint", "ReaderEndPoint", "ReplicationGroup"
    )
    for absent in absent_names:
        assert absent not in text, (case, absent)
    outputs = data["Outputs"]
    assert outputs["Endpoint"]["Value"] == {"Fn::GetAtt": ["ServerlessCache", "Endpoint.Address"]}
    assert outputs["ReaderEndpoint"]["Value"] == {
        "Fn::GetAtt": ["ServerlessCache", "ReaderEndpoint.Address"]
    }
    assert outputs["Port"]["Value"] == {"Fn::GetAtt": ["ServerlessCache", "Endpoint.Port"]}
    assert outputs["ConnectionString"]["Value"]["Fn::Sub"].startswith(
        "rediss://${ServerlessCache.Endpoint.Address}:"
    )


@pytest.mark.parametrize("case", CASES)
def test_endpoints_match_the_mode(case: str) -> None:
    data = template(case)
    group = data["Resources"]["ReplicationGroup"]
    clustered = group["Properties"].get("ClusterMode") == "enabled"
    text = json.dumps(data)
    if clustered:
        assert "PrimaryEndPoint" not in text and "ReaderEndPoint" not in text, case
        assert "ConfigurationEndpoint" in data["Outputs"], case
        assert "ConfigurationEndPoint" in data["Outputs"]["ConnectionString"]["Value"]["Fn::Sub"]
    else:
        assert "ConfigurationEndPoint" not in text, case
        assert "PrimaryEndpoint" in data["Outputs"], case


@pytest.mark.parametrize("case", CASES)
def test_cluster_mode_settings_go_together(case: str) -> None:
    resources = template(case)["Resources"]
    group = resources["ReplicationGroup"]
    props = group["Properties"]
    clustered = props.get("ClusterMode") == "enabled"
    if "ParameterGroup" in resources:
        parameters = resources["ParameterGroup"]["Properties"].get("Properties", {})
        assert (parameters.get("cluster-enabled") == "yes") == clustered, case
    else:  # parameter_group_name: an existing group, AWS's default here
        name = props["CacheParameterGroupName"]
        assert name.endswith(".cluster.on") == clustered, case
    assert (group.get("UpdatePolicy") == {"UseOnlineResharding": True}) == clustered, case
    # Replicas per shard: for all, or each shard's own where zones place them.
    shards = props.get("NodeGroupConfiguration") or [{"ReplicaCount": props.get(
        "ReplicasPerNodeGroup")}]
    replicas = {shard.get("ReplicaCount") for shard in shards}
    assert ("NumNodeGroups" in props and None not in replicas) == clustered, case
    assert not ("NodeGroupConfiguration" in props and "ReplicasPerNodeGroup" in props), case
    assert ("NumCacheClusters" in props) != clustered, case
    if clustered:
        assert props["AutomaticFailoverEnabled"] is True, case


def test_both_modes_are_covered() -> None:
    modes = {
        template(c)["Resources"]["ReplicationGroup"]["Properties"].get("ClusterMode")
        for c in CASES
    }
    assert modes == {None, "enabled"}
