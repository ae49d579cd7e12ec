"""The update-path rules (change/update_paths.py) on two cache states: what
each says, where, and what it leaves alone. The end-to-end cases (a spec
published, changed and built again) are test_publish's and tests/diffs'."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from compiler.change import update_paths as up
from compiler.change.update_paths import CacheState, cache_state
from compiler.vocabulary import names

BASE = CacheState(
    engine="valkey", version="8.0", node_type="cache.r7g.large", nodes=2,
    cluster_mode="disabled", failover=True, multi_az=True, tls=True, transit_mode=None,
    auth_token=False, user_groups=False, family="valkey8", deletion_policy="Snapshot",
    production=True,
)
CLUSTERED = replace(BASE, nodes=None, cluster_mode="enabled", shards=3, monitored=True,
                    settings=(("ReplicationGroup.CacheNodeType", '"cache.r7g.large"'),))


def said(rule: up.Check, old: CacheState, new: CacheState) -> list[tuple[tuple[str, ...], str]]:
    return [(d.path, d.message) for d in rule(old, new)]


def test_auth_switch_speaks_only_of_a_token_removed_or_user_groups_left() -> None:
    none, token, groups = BASE, replace(BASE, auth_token=True), replace(BASE, user_groups=True)
    # Adding authentication where there was none is no switch (the diff says what it replaces).
    assert said(up.auth_switch, none, groups) == []
    assert said(up.auth_switch, none, token) == []
    assert said(up.auth_switch, token, groups) == [(("security", "auth"), (
        "AUTH token -> user groups: CloudFormation cannot remove the token in place and "
        "replaces the cache; keep auth: token, or accept a new, empty cache with "
        "--allow-replacement"))]
    assert said(up.auth_switch, groups, token) == [(("security", "auth"), (
        "user groups -> AUTH token: CloudFormation replaces the cache for this switch; keep "
        "the user groups, or accept a new, empty cache with --allow-replacement"))]


def test_cluster_mode_cannot_be_turned_off() -> None:
    assert said(up.cluster_mode_switch, CLUSTERED, BASE) == [(
        ("topology", "cluster_mode"),
        "ElastiCache cannot turn cluster mode off; keep cluster_mode: true")]


def test_final_snapshot_off_warns_once_when_it_is_turned_off() -> None:
    off = replace(BASE, deletion_policy="Delete")
    assert [p for p, _ in said(up.final_snapshot_off, BASE, off)] == [("backups",
                                                                       "final_snapshot")]
    assert said(up.final_snapshot_off, off, off) == []  # said when it was published


def test_global_datastore_scaling_names_each_setting_on_a_primary_that_stays_one() -> None:
    primary = replace(CLUSTERED, global_primary=True)
    bigger = replace(primary, node_type="cache.r7g.xlarge", version="8.1", shards=4)
    assert [p for p, _ in said(up.global_datastore_scaling, primary, bigger)] == [
        ("node_type",), ("engine_version",), ("topology", "shards")]
    # Becoming (or ceasing to be) the primary is no member scaling.
    assert said(up.global_datastore_scaling, CLUSTERED, bigger) == []
    assert said(up.global_datastore_scaling, primary, replace(bigger, global_primary=False)) == []


def test_shard_scale_in_alarms_only_when_shards_go() -> None:
    assert said(up.shard_scale_in_alarms, CLUSTERED, CLUSTERED) == []
    assert said(up.shard_scale_in_alarms, CLUSTERED, replace(CLUSTERED, shards=4)) == []
    assert len(said(up.shard_scale_in_alarms, CLUSTERED, replace(CLUSTERED, shards=2))) == 1


def test_resharding_with_other_changes_names_them_added_changed_or_removed() -> None:
    others = replace(CLUSTERED, settings=(("ReplicationGroup.CacheNodeType", '"cache.r7g.xlarge"'),
                                          ("ReplicationGroup.SnapshotWindow", '"03:00-04:00"')))
    # The same shard count: other changes are an ordinary update.
    assert said(up.shards_with_other_changes, CLUSTERED, others) == []
    assert said(up.shards_with_other_changes, CLUSTERED, replace(others, shards=4)) == [(
        ("topology", "shards"),
        "3 -> 4 shards together with other changes to the cache "
        "(ReplicationGroup.CacheNodeType, ReplicationGroup.SnapshotWindow): resharding is its "
        "own operation; publish the shard count alone, deploy it, then publish the other "
        "changes")]


def test_a_vpc_first_named_is_no_move() -> None:
    assert said(up.vpc_change, BASE, replace(BASE, vpc="vpc-0a1b2c3d")) == []
    assert said(up.vpc_change, replace(BASE, vpc="vpc-0a1b2c3d"), BASE) == []
    assert len(said(up.vpc_change, replace(BASE, vpc="vpc-0a1b2c3d"),
                    replace(BASE, vpc="vpc-0f0e0d0c"))) == 1


def _template(properties: dict[str, Any], vpc_default: object = None) -> dict[str, Any]:
    template: dict[str, Any] = {"Resources": {
        names.REPLICATION_GROUP: {"Type": "AWS::ElastiCache::ReplicationGroup",
                                  "Properties": properties},
        # A hand-edited deployed template (diff --deployed) may hold a bare resource.
        names.SUBNET_GROUP: {"Type": "AWS::ElastiCache::SubnetGroup"},
    }}
    if vpc_default is not None:
        template["Parameters"] = {names.VPC_ID: {"Type": "String", "Default": vpc_default}}
    return template


def test_cache_settings_do_not_depend_on_how_a_value_is_written() -> None:
    written = _template({"Engine": "valkey", "LogDeliveryConfigurations": [
        {"DestinationType": "cloudwatch-logs", "LogFormat": "json"}]})
    reordered = _template({"Engine": "valkey", "LogDeliveryConfigurations": [
        {"LogFormat": "json", "DestinationType": "cloudwatch-logs"}]})
    first, second = cache_state(written), cache_state(reordered)
    assert first is not None and second is not None
    assert first.settings == second.settings


def test_a_vpc_parameter_without_a_value_is_no_vpc() -> None:
    for default in ("", ["vpc-0a1b2c3d"]):
        state = cache_state(_template({"Engine": "valkey"}, default))
        assert state is not None and state.vpc is None
    state = cache_state(_template({"Engine": "valkey"}, "vpc-0a1b2c3d"))
    assert state is not None and state.vpc == "vpc-0a1b2c3d"
