"""Semantic rules: one small function each, registered in an explicit tuple.

A rule reads the normalized model (so it sees every default) and yields
diagnostics with the spec path they are about. Rules never raise for bad
input: they report. Each entry names the kinds its check reports (each
kind is defined, with its metadata, beside the checks in the rule's module);
a test checks the list against the body. This is the only list a new rule
joins: registry.KINDS takes the rules' kinds from it.
A rule about one deployment shape is registered for it (`rg_only`,
`serverless_only`): the registry runs it only on a spec of that shape and
hands it the shape's own model, so the rule does not test the shape itself.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from typing import TypeVar

from ..diagnostics import Diagnostic
from ..input.model import ReplicationGroup, Serverless, Spec
from ..kinds import Rule
from . import (
    acceptance,
    adopt,
    dns,
    engine,
    existing,
    global_datastore,
    keys,
    logs,
    monitoring,
    network,
    nodes,
    parameters,
    resource_names,
    secrets,
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


# The one list of semantic rules: each brings the kinds it reports, and
# registry.KINDS takes them from here. The order is docs/rules.md's (the
# rules page lists the kinds in the order they first appear below); it is
# not the order of the output, which is sorted by place in the spec. A new
# rule goes where its kinds should appear on the page: at the end, usually.
RULES: tuple[Rule[Check], ...] = (
    Rule(engine.engine_version_known,
         (engine.ENGINE_VERSION_UNSUPPORTED, engine.ENGINE_VERSION_MISMATCH)),
    Rule(engine.transit_encryption_mode,
         (engine.TRANSIT_MODE_NEEDS_TLS, engine.TRANSIT_MODE_UNSUPPORTED)),
    Rule(rg_only(engine.minor_upgrades_off), (engine.MINOR_UPGRADES_OFF,)),
    Rule(rg_only(nodes.node_type_known), (nodes.UNKNOWN_NODE_TYPE, nodes.PREVIOUS_GENERATION_NODE)),
    Rule(rg_only(nodes.data_tiering),
         (nodes.DATA_TIERING_REQUIRED, nodes.DATA_TIERING_NODE_TYPE,
          nodes.DATA_TIERING_EVICTION_POLICY, nodes.DATA_TIERING_ENGINE)),
    Rule(rg_only(nodes.burstable_in_production), (nodes.BURSTABLE_IN_PRODUCTION,)),
    Rule(rg_only(topology.multi_az_needs_replicas), (topology.MULTI_AZ_NEEDS_REPLICAS,)),
    Rule(rg_only(topology.failover_needs_replicas), (topology.FAILOVER_NEEDS_REPLICAS,)),
    Rule(rg_only(topology.multi_az_needs_failover), (topology.MULTI_AZ_NEEDS_FAILOVER,)),
    Rule(rg_only(topology.multi_az_needs_two_subnets), (topology.MULTI_AZ_NEEDS_TWO_SUBNETS,)),
    Rule(rg_only(topology.production_without_replicas), (topology.PRODUCTION_WITHOUT_REPLICAS,)),
    Rule(security.auth_needs_tls, (security.AUTH_NEEDS_TLS,)),
    Rule(security.iam_auth_engine_version, (security.IAM_AUTH_ENGINE_VERSION,)),
    Rule(security.users_match_auth, (security.RBAC_NEEDS_USERS, security.USERS_WITHOUT_RBAC)),
    Rule(security.user_names, (security.DUPLICATE_USER, security.RESERVED_USER_NAME)),
    Rule(security.access_strings, (security.INVALID_ACCESS_STRING,)),
    Rule(security.transit_preferred_without_access_control,
         (security.TRANSIT_PREFERRED_WITH_AUTH,)),
    Rule(security.kms_key_needs_encryption_at_rest, (security.KMS_KEY_NEEDS_ENCRYPTION,)),
    Rule(security.kms_alias_is_fragile, (security.KMS_ALIAS,)),
    Rule(security.insecure_choices,
         (security.ENCRYPTION_AT_REST_OFF, security.ENCRYPTION_IN_TRANSIT_OFF, security.AUTH_OFF)),
    Rule(network.cidr_blocks,
         (network.INVALID_CIDR, network.OPEN_TO_INTERNET, network.CIDR_HOST_BITS,
          network.PUBLIC_CIDR)),
    Rule(network.cidr_blocks_together, (network.OPEN_TO_INTERNET,)),
    Rule(network.cidr_versions_reach_the_cache,
         (network.IPV6_CIDR_ON_IPV4_CACHE, network.IPV4_CIDR_ON_IPV6_CACHE)),
    Rule(rg_only(network.network_type_supported),
         (network.NETWORK_TYPE_ENGINE_VERSION, network.NETWORK_TYPE_NODE_TYPE)),
    Rule(network.ip_discovery_matches, (network.IP_DISCOVERY_MISMATCH,)),
    Rule(network.ingress_rules_fit_the_quota, (network.SECURITY_GROUP_RULE_QUOTA,)),
    Rule(rg_only(windows.window_lengths),
         (windows.SNAPSHOT_WINDOW_TOO_SHORT, windows.MAINTENANCE_WINDOW_LENGTH)),
    Rule(rg_only(windows.windows_do_not_overlap), (windows.WINDOWS_OVERLAP,)),
    Rule(windows.snapshot_window_used, (windows.SNAPSHOT_WINDOW_UNUSED,)),
    Rule(rg_only(parameters.redis_parameters_known), (parameters.INVALID_REDIS_PARAMETER,)),
    Rule(logs.log_types_supported, (logs.LOG_TYPE_UNSUPPORTED,)),
    Rule(logs.log_settings_used, (logs.LOG_SETTINGS_UNUSED,)),
    Rule(monitoring.thresholds_reachable,
         (monitoring.UNREACHABLE_THRESHOLD, monitoring.ALWAYS_FIRING_THRESHOLD)),
    Rule(rg_only(monitoring.engine_cpu_unwatched), (monitoring.ENGINE_CPU_UNWATCHED,)),
    Rule(rg_only(monitoring.replication_lag_needs_replicas),
         (monitoring.REPLICATION_LAG_NEEDS_REPLICAS,)),
    Rule(monitoring.disabled_monitoring_is_not_configured, (monitoring.MONITORING_DISABLED,)),
    Rule(monitoring.one_topic, (monitoring.TOPIC_CONFLICT,)),
    Rule(rg_only(monitoring.evictions_under_noeviction), (monitoring.EVICTIONS_NEVER_HAPPEN,)),
    Rule(monitoring.no_notifications, (monitoring.ALARMS_WITHOUT_NOTIFICATIONS,)),
    Rule(monitoring.notifications_without_alarms, (monitoring.NOTIFICATIONS_WITHOUT_ALARMS,)),
    Rule(stack.stackset_targets, (stack.STACKSET_TARGETS,)),
    Rule(stack.overrides_target_regions, (stack.OVERRIDE_REGION_NOT_TARGETED,)),
    Rule(stack.stackset_exports_have_a_prefix, (stack.STACKSET_EXPORTS_UNPREDICTABLE,)),
    Rule(stack.stackset_in_one_partition,
         (stack.STACKSET_PARTITIONS, stack.STACKSET_NO_ORGANIZATIONS)),
    Rule(stack.call_as_needs_service_managed, (stack.CALL_AS_NEEDS_ORGANIZATIONS,)),
    Rule(stack.exposed_settings_exist, (stack.EXPOSE_NOT_APPLICABLE,)),
    Rule(security.user_group_engine,
         (security.USER_GROUP_ENGINE_WITHOUT_USER_GROUP, security.VALKEY_USER_GROUP_ON_REDIS)),
    Rule(rg_only(topology.shards_need_cluster_mode), (topology.SHARDS_NEED_CLUSTER_MODE,)),
    Rule(rg_only(topology.cluster_mode_needs_failover), (topology.CLUSTER_MODE_NEEDS_FAILOVER,)),
    Rule(rg_only(topology.nodes_within_quota),
         (topology.TOO_MANY_CACHE_NODES, topology.NODES_OVER_DEFAULT_QUOTA)),
    Rule(serverless_only(serverless.node_settings_refused), (serverless.SERVERLESS_CONFLICT,)),
    Rule(serverless_only(serverless.always_encrypted), (serverless.SERVERLESS_ENCRYPTION,)),
    Rule(serverless_only(serverless.major_version), (serverless.SERVERLESS_ENGINE_VERSION,)),
    Rule(serverless_only(serverless.limits_ordered), (serverless.SERVERLESS_LIMITS,)),
    Rule(serverless_only(serverless.values_accepted), (serverless.SERVERLESS_VALUE_REFUSED,)),
    Rule(resource_names.derived_ids_fit, (resource_names.DERIVED_NAME_INVALID,)),
    Rule(resource_names.deploy_time_names_fit, (resource_names.DERIVED_NAME_INVALID,)),
    Rule(serverless.alarms_of_the_shape,
         (serverless.ALARM_NOT_FOR_SHAPE, serverless.SERVERLESS_ALARM_NEEDS_LIMIT)),
    Rule(acceptance.accepted_kinds_exist, (acceptance.ACCEPT_ERROR, acceptance.ACCEPT_UNKNOWN)),
    Rule(secrets.secrets_key_used, (secrets.SECRETS_KEY_UNUSED,)),
    Rule(secrets.rotation_has_secrets, (secrets.ROTATION_NOTHING_TO_ROTATE,)),
    Rule(secrets.rotation_schedule_in_range, (secrets.ROTATION_SCHEDULE_RANGE,)),
    Rule(keys.customer_managed_keys, (keys.AWS_MANAGED_KEY,)),
    Rule(keys.production_logs_have_a_key, (keys.LOGS_WITHOUT_KEY,)),
    Rule(monitoring.action_lists_distinct, (monitoring.DUPLICATE_ALARM_ACTION,)),
    Rule(dns.one_record_per_region, (dns.DNS_RECORD_SHARED,)),
    Rule(existing.created_or_existing, (existing.EXISTING_RESOURCE_CONFLICT,)),
    Rule(existing.security_groups,
         (existing.NO_SECURITY_GROUP, existing.SECURITY_GROUPS_PER_INTERFACE)),
    Rule(existing.existing_user_group, (existing.USER_GROUP_NEEDS_RBAC,)),
    Rule(rg_only(existing.parameter_group_family), (existing.PARAMETER_GROUP_MISMATCH,)),
    Rule(rg_only(existing.availability_zones),
         (existing.AVAILABILITY_ZONES_MISMATCH, existing.AVAILABILITY_ZONES_MULTI_AZ,
          existing.AVAILABILITY_ZONES_REGION)),
    Rule(existing.firehose_regions, (existing.FIREHOSE_REGION,)),
    Rule(serverless_only(serverless.restore_in_the_snapshots_region),
         (serverless.RESTORE_SNAPSHOT_REGION,)),
    Rule(rg_only(global_datastore.node_type), (global_datastore.GLOBAL_NODE_TYPE,)),
    Rule(rg_only(global_datastore.engine_version), (global_datastore.GLOBAL_ENGINE_VERSION,)),
    Rule(rg_only(global_datastore.regions), (global_datastore.GLOBAL_REGION,)),
    Rule(rg_only(global_datastore.zones_in_the_primary_region),
         (global_datastore.GLOBAL_REGION,)),
    Rule(rg_only(global_datastore.ipv4_only), (global_datastore.GLOBAL_IPV6,)),
    Rule(rg_only(global_datastore.no_user_group), (global_datastore.GLOBAL_USER_GROUP,)),
    Rule(global_datastore.no_stackset, (global_datastore.GLOBAL_STACKSET,)),
    Rule(rg_only(global_datastore.shared_settings_not_exposed),
         (global_datastore.GLOBAL_EXPOSED,)),
    Rule(rg_only(global_datastore.kms_key_by_alias), (global_datastore.GLOBAL_KMS_KEY_ARN,)),
    Rule(rg_only(global_datastore.lag_alarm_nodes), (global_datastore.GLOBAL_LAG_ALARM_NODES,)),
    Rule(adopt.adopted_cache_uses_what_exists, (adopt.ADOPT_NEEDS_EXISTING,)),
)


def check(spec: Spec) -> list[Diagnostic]:
    return [diagnostic for rule in RULES for diagnostic in rule.check(spec)]
