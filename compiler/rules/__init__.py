"""Semantic rules: one small function each, registered in an explicit tuple.

A rule reads the normalized model (so it sees every default) and yields
diagnostics with the spec path they are about. Rules never raise for bad
input: they report. Each entry names the kinds its check reports (their
metadata is in compiler/kinds.py); a test checks the list against the body.
A rule about one deployment shape is registered for it (`rg_only`,
`serverless_only`): the registry runs it only on a spec of that shape and
hands it the shape's own model, so the rule does not test the shape itself.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from typing import TypeVar

from .. import kinds
from ..diagnostics import Diagnostic
from ..input.model import ReplicationGroup, Serverless, Spec
from ..kinds import Rule
from . import (
    engine,
    logs,
    monitoring,
    network,
    nodes,
    parameters,
    resource_names,
    security,
    serverless,
    stack,
    topology,
    windows,
)

Check = Callable[[Spec], Iterable[Diagnostic]]
Shape = TypeVar("Shape", ReplicationGroup, Serverless)


def _on(shape: type[Shape], check: Callable[[Spec, Shape], Iterable[Diagnostic]]) -> Check:
    """`check`, run only on a spec of this shape and given its model; it keeps
    the check's module and name, which the rules page and its tests use."""

    @functools.wraps(check)
    def on_shape(spec: Spec) -> Iterable[Diagnostic]:
        deployment = spec.deployment
        return check(spec, deployment) if isinstance(deployment, shape) else ()

    return on_shape


def rg_only(check: Callable[[Spec, ReplicationGroup], Iterable[Diagnostic]]) -> Check:
    return _on(ReplicationGroup, check)


def serverless_only(check: Callable[[Spec, Serverless], Iterable[Diagnostic]]) -> Check:
    return _on(Serverless, check)


RULES: tuple[Rule[Check], ...] = (
    Rule(engine.engine_version_known,
         (kinds.ENGINE_VERSION_UNSUPPORTED, kinds.ENGINE_VERSION_MISMATCH)),
    Rule(engine.transit_encryption_mode,
         (kinds.TRANSIT_MODE_NEEDS_TLS, kinds.TRANSIT_MODE_UNSUPPORTED)),
    Rule(rg_only(nodes.node_type_known), (kinds.UNKNOWN_NODE_TYPE, kinds.PREVIOUS_GENERATION_NODE)),
    Rule(rg_only(nodes.data_tiering),
         (kinds.DATA_TIERING_REQUIRED, kinds.DATA_TIERING_NODE_TYPE,
          kinds.DATA_TIERING_EVICTION_POLICY, kinds.DATA_TIERING_ENGINE)),
    Rule(rg_only(nodes.burstable_in_production), (kinds.BURSTABLE_IN_PRODUCTION,)),
    Rule(rg_only(topology.multi_az_needs_replicas), (kinds.MULTI_AZ_NEEDS_REPLICAS,)),
    Rule(rg_only(topology.failover_needs_replicas), (kinds.FAILOVER_NEEDS_REPLICAS,)),
    Rule(rg_only(topology.multi_az_needs_failover), (kinds.MULTI_AZ_NEEDS_FAILOVER,)),
    Rule(rg_only(topology.multi_az_needs_two_subnets), (kinds.MULTI_AZ_NEEDS_TWO_SUBNETS,)),
    Rule(rg_only(topology.production_without_replicas), (kinds.PRODUCTION_WITHOUT_REPLICAS,)),
    Rule(rg_only(topology.shards_need_cluster_mode), (kinds.SHARDS_NEED_CLUSTER_MODE,)),
    Rule(rg_only(topology.cluster_mode_needs_failover), (kinds.CLUSTER_MODE_NEEDS_FAILOVER,)),
    Rule(rg_only(topology.nodes_within_quota),
         (kinds.TOO_MANY_CACHE_NODES, kinds.NODES_OVER_DEFAULT_QUOTA)),
    Rule(security.auth_needs_tls, (kinds.AUTH_NEEDS_TLS,)),
    Rule(security.iam_auth_engine_version, (kinds.IAM_AUTH_ENGINE_VERSION,)),
    Rule(security.users_match_auth, (kinds.RBAC_NEEDS_USERS, kinds.USERS_WITHOUT_RBAC)),
    Rule(security.user_names, (kinds.RESERVED_USER_NAME, kinds.DUPLICATE_USER)),
    Rule(security.user_group_engine,
         (kinds.USER_GROUP_ENGINE_WITHOUT_USER_GROUP, kinds.VALKEY_USER_GROUP_ON_REDIS)),
    Rule(security.access_strings, (kinds.INVALID_ACCESS_STRING,)),
    Rule(security.transit_preferred_without_access_control,
         (kinds.TRANSIT_PREFERRED_WITH_AUTH,)),
    Rule(security.kms_key_needs_encryption_at_rest, (kinds.KMS_KEY_NEEDS_ENCRYPTION,)),
    Rule(security.kms_alias_is_fragile, (kinds.KMS_ALIAS,)),
    Rule(security.insecure_choices,
         (kinds.ENCRYPTION_AT_REST_OFF, kinds.ENCRYPTION_IN_TRANSIT_OFF, kinds.AUTH_OFF)),
    Rule(network.cidr_blocks,
         (kinds.INVALID_CIDR, kinds.OPEN_TO_INTERNET, kinds.CIDR_HOST_BITS, kinds.PUBLIC_CIDR)),
    Rule(network.cidr_blocks_together, (kinds.OPEN_TO_INTERNET,)),
    Rule(network.cidr_versions_reach_the_cache,
         (kinds.IPV6_CIDR_ON_IPV4_CACHE, kinds.IPV4_CIDR_ON_IPV6_CACHE)),
    Rule(rg_only(network.network_type_supported),
         (kinds.NETWORK_TYPE_ENGINE_VERSION, kinds.NETWORK_TYPE_NODE_TYPE)),
    Rule(network.ip_discovery_matches, (kinds.IP_DISCOVERY_MISMATCH,)),
    Rule(network.ingress_rules_fit_the_quota, (kinds.SECURITY_GROUP_RULE_QUOTA,)),
    Rule(rg_only(windows.window_lengths),
         (kinds.SNAPSHOT_WINDOW_TOO_SHORT, kinds.MAINTENANCE_WINDOW_LENGTH)),
    Rule(rg_only(windows.windows_do_not_overlap), (kinds.WINDOWS_OVERLAP,)),
    Rule(windows.snapshot_window_used, (kinds.SNAPSHOT_WINDOW_UNUSED,)),
    Rule(rg_only(parameters.redis_parameters_known), (kinds.INVALID_REDIS_PARAMETER,)),
    Rule(logs.log_types_supported, (kinds.LOG_TYPE_UNSUPPORTED,)),
    Rule(logs.log_settings_used, (kinds.LOG_SETTINGS_UNUSED,)),
    Rule(monitoring.thresholds_reachable,
         (kinds.UNREACHABLE_THRESHOLD, kinds.ALWAYS_FIRING_THRESHOLD)),
    Rule(rg_only(monitoring.engine_cpu_unwatched), (kinds.ENGINE_CPU_UNWATCHED,)),
    Rule(rg_only(monitoring.replication_lag_needs_replicas),
         (kinds.REPLICATION_LAG_NEEDS_REPLICAS,)),
    Rule(monitoring.disabled_monitoring_is_not_configured, (kinds.MONITORING_DISABLED,)),
    Rule(monitoring.one_topic, (kinds.TOPIC_CONFLICT,)),
    Rule(rg_only(monitoring.evictions_under_noeviction), (kinds.EVICTIONS_NEVER_HAPPEN,)),
    Rule(monitoring.no_notifications, (kinds.ALARMS_WITHOUT_NOTIFICATIONS,)),
    Rule(monitoring.notifications_without_alarms, (kinds.NOTIFICATIONS_WITHOUT_ALARMS,)),
    Rule(stack.stackset_targets, (kinds.STACKSET_TARGETS,)),
    Rule(stack.overrides_target_regions, (kinds.OVERRIDE_REGION_NOT_TARGETED,)),
    Rule(stack.stackset_in_one_partition,
         (kinds.STACKSET_PARTITIONS, kinds.STACKSET_NO_ORGANIZATIONS)),
    Rule(stack.call_as_needs_service_managed, (kinds.CALL_AS_NEEDS_ORGANIZATIONS,)),
    Rule(stack.stackset_exports_have_a_prefix, (kinds.STACKSET_EXPORTS_UNPREDICTABLE,)),
    Rule(stack.exposed_settings_exist, (kinds.EXPOSE_NOT_APPLICABLE,)),
    Rule(resource_names.derived_ids_fit, (kinds.DERIVED_NAME_INVALID,)),
    Rule(resource_names.deploy_time_names_fit, (kinds.DERIVED_NAME_INVALID,)),
    Rule(serverless_only(serverless.node_settings_refused), (kinds.SERVERLESS_CONFLICT,)),
    Rule(serverless_only(serverless.always_encrypted), (kinds.SERVERLESS_ENCRYPTION,)),
    Rule(serverless_only(serverless.major_version), (kinds.SERVERLESS_ENGINE_VERSION,)),
    Rule(serverless_only(serverless.values_accepted), (kinds.SERVERLESS_VALUE_REFUSED,)),
    Rule(serverless_only(serverless.limits_ordered), (kinds.SERVERLESS_LIMITS,)),
    Rule(serverless.alarms_of_the_shape,
         (kinds.ALARM_NOT_FOR_SHAPE, kinds.SERVERLESS_ALARM_NEEDS_LIMIT)),
)


def check(spec: Spec) -> list[Diagnostic]:
    return [diagnostic for rule in RULES for diagnostic in rule.check(spec)]
