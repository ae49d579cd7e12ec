"""Semantic rules: one small function each, registered in an explicit tuple.

A rule reads the normalized model (so it sees every default) and yields
diagnostics with the spec path they are about. Rules never raise for bad
input: they report.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from ..diagnostics import Diagnostic
from ..model import Spec
from . import engine, logs, monitoring, network, nodes, parameters, security, topology, windows

Rule = Callable[[Spec], Iterable[Diagnostic]]

RULES: tuple[Rule, ...] = (
    engine.engine_version_known,
    engine.transit_encryption_mode,
    nodes.node_type_known,
    nodes.data_tiering,
    nodes.burstable_in_production,
    topology.multi_az_needs_replicas,
    topology.failover_needs_replicas,
    topology.multi_az_needs_failover,
    topology.multi_az_needs_two_subnets,
    topology.production_without_replicas,
    topology.shards_need_cluster_mode,
    topology.cluster_mode_needs_failover,
    topology.nodes_within_quota,
    security.auth_token_needs_tls,
    security.transit_preferred_without_access_control,
    security.kms_key_needs_encryption_at_rest,
    security.kms_alias_is_fragile,
    security.insecure_choices,
    network.cidr_blocks,
    network.cidr_versions_reach_the_cache,
    network.network_type_supported,
    network.ip_discovery_matches,
    network.ingress_rules_fit_the_quota,
    windows.window_lengths,
    windows.windows_do_not_overlap,
    windows.snapshot_window_used,
    parameters.redis_parameters_known,
    logs.log_types_supported,
    logs.log_settings_used,
    monitoring.thresholds_reachable,
    monitoring.engine_cpu_unwatched,
    monitoring.replication_lag_needs_replicas,
    monitoring.disabled_monitoring_is_not_configured,
    monitoring.one_topic,
    monitoring.evictions_under_noeviction,
    monitoring.no_notifications,
    monitoring.notifications_without_alarms,
)


def check(spec: Spec) -> list[Diagnostic]:
    return [diagnostic for rule in RULES for diagnostic in rule(spec)]
