"""The one registry of diagnostic kinds, and of the rules that report them.

Each kind is defined beside the code that reports it (a rule's module, the
loader, the schema check, lint, the update paths, the pipeline, the build);
KINDS lists every one, explicitly, in the order docs/rules.md shows them
within each stage (`cachec schema --format rules`). RULES lists every
registered rule, the semantic rules' and the update paths' alike. A test
holds KINDS to the kinds defined in the code, their ids and names unique.
"""

from __future__ import annotations

from typing import Any

from . import api, diff, pipeline, rules
from .change import deployed, update_paths
from .input import load, validate
from .kinds import Kind, Rule
from .rules import (
    acceptance,
    dns,
    engine,
    existing,
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
from .template import lint, overrides

KINDS: tuple[Kind, ...] = (
    load.FILE_NOT_FOUND, load.FILE_UNREADABLE, load.NOT_A_REGULAR_FILE, load.FILE_TOO_LARGE,
    load.INVALID_UTF8, load.EMPTY_SPEC, load.ROOT_NOT_MAPPING, load.SEVERAL_DOCUMENTS,
    load.YAML_SYNTAX, load.YAML_TAB, load.YAML_TAG, load.YAML_MERGE_KEY, load.DUPLICATE_KEY,
    load.INVALID_KEY, load.NON_FINITE_NUMBER, load.NUMBER_TOO_LONG, load.INVALID_SCALAR,
    load.CONTROL_CHARACTER, load.INVALID_CHARACTER, load.TOO_DEEP, load.TOO_MANY_NODES,
    validate.UNKNOWN_KEY, validate.MISSING_KEY, validate.UNSUPPORTED_FORMAT,
    validate.INVALID_TYPE, validate.INVALID_VALUE, validate.INVALID_FORMAT,
    validate.OUT_OF_RANGE, validate.DUPLICATE_ITEM, validate.TOO_FEW_ITEMS,
    validate.TOO_MANY_ITEMS, validate.TOO_LONG, validate.TOO_SHORT, validate.DYNAMIC_REFERENCE,
    validate.SCHEMA, engine.ENGINE_VERSION_UNSUPPORTED, engine.ENGINE_VERSION_MISMATCH,
    engine.TRANSIT_MODE_NEEDS_TLS, engine.TRANSIT_MODE_UNSUPPORTED, engine.MINOR_UPGRADES_OFF,
    nodes.UNKNOWN_NODE_TYPE,
    nodes.PREVIOUS_GENERATION_NODE, nodes.DATA_TIERING_REQUIRED, nodes.DATA_TIERING_NODE_TYPE,
    nodes.DATA_TIERING_EVICTION_POLICY, nodes.DATA_TIERING_ENGINE,
    nodes.BURSTABLE_IN_PRODUCTION, topology.MULTI_AZ_NEEDS_REPLICAS,
    topology.FAILOVER_NEEDS_REPLICAS, topology.MULTI_AZ_NEEDS_FAILOVER,
    topology.MULTI_AZ_NEEDS_TWO_SUBNETS, topology.PRODUCTION_WITHOUT_REPLICAS,
    security.AUTH_NEEDS_TLS, security.IAM_AUTH_ENGINE_VERSION, security.RBAC_NEEDS_USERS,
    security.USERS_WITHOUT_RBAC, security.DUPLICATE_USER, security.RESERVED_USER_NAME,
    security.INVALID_ACCESS_STRING, security.TRANSIT_PREFERRED_WITH_AUTH,
    security.KMS_KEY_NEEDS_ENCRYPTION, security.KMS_ALIAS, security.ENCRYPTION_AT_REST_OFF,
    security.ENCRYPTION_IN_TRANSIT_OFF, security.AUTH_OFF, secrets.SECRETS_KEY_UNUSED,
    secrets.ROTATION_NOTHING_TO_ROTATE, secrets.ROTATION_SCHEDULE_RANGE, keys.AWS_MANAGED_KEY,
    keys.LOGS_WITHOUT_KEY, network.INVALID_CIDR,
    network.OPEN_TO_INTERNET, network.CIDR_HOST_BITS, network.PUBLIC_CIDR,
    network.IPV6_CIDR_ON_IPV4_CACHE, network.IPV4_CIDR_ON_IPV6_CACHE,
    network.NETWORK_TYPE_ENGINE_VERSION, network.NETWORK_TYPE_NODE_TYPE,
    network.IP_DISCOVERY_MISMATCH, network.SECURITY_GROUP_RULE_QUOTA,
    windows.SNAPSHOT_WINDOW_TOO_SHORT, windows.MAINTENANCE_WINDOW_LENGTH,
    windows.WINDOWS_OVERLAP, windows.SNAPSHOT_WINDOW_UNUSED, parameters.INVALID_REDIS_PARAMETER,
    logs.LOG_TYPE_UNSUPPORTED, logs.LOG_SETTINGS_UNUSED, monitoring.UNREACHABLE_THRESHOLD,
    monitoring.ALWAYS_FIRING_THRESHOLD, monitoring.ENGINE_CPU_UNWATCHED,
    monitoring.REPLICATION_LAG_NEEDS_REPLICAS, monitoring.MONITORING_DISABLED,
    monitoring.TOPIC_CONFLICT, monitoring.EVICTIONS_NEVER_HAPPEN,
    monitoring.ALARMS_WITHOUT_NOTIFICATIONS, monitoring.NOTIFICATIONS_WITHOUT_ALARMS,
    stack.STACKSET_TARGETS, stack.OVERRIDE_REGION_NOT_TARGETED,
    stack.STACKSET_EXPORTS_UNPREDICTABLE, stack.STACKSET_PARTITIONS,
    stack.STACKSET_NO_ORGANIZATIONS, stack.CALL_AS_NEEDS_ORGANIZATIONS,
    stack.EXPOSE_NOT_APPLICABLE, api.DUPLICATE_STACK, api.STACK_OWNED, pipeline.WORKER_DIED,
    pipeline.TEMPLATE_NEEDS_S3, overrides.OVERRIDE_UNKNOWN_PARAMETER,
    overrides.STACKSET_VALUES_NOT_PER_TARGET, overrides.OVERRIDE_VALUE_REFUSED,
    lint.NODE_TYPE_NOT_IN_REGION, lint.CFN_LINT_ERROR, lint.CFN_LINT_WARNING,
    diff.REPLACES_CACHE, update_paths.FIRST_REPLICA_WITH_FAILOVER,
    update_paths.LAST_REPLICA_WITH_FAILOVER, update_paths.TLS_NOT_IN_PLACE,
    update_paths.TLS_NEEDS_PREFERRED, update_paths.ENGINE_DOWNGRADE,
    update_paths.NODE_TYPE_DOWNSIZE, update_paths.AUTH_SWITCH_REPLACES,
    update_paths.FINAL_SNAPSHOT_OFF, update_paths.TLS_OFF_IN_PLACE, diff.EXPORT_CHANGES,
    deployed.DEPLOYED_UNREADABLE, deployed.DEPLOYED_NOT_A_TEMPLATE, deployed.DEPLOYED_OTHER_CACHE,
    deployed.DEPLOYED_NOT_CACHEC,
    update_paths.VPC_CHANGE, update_paths.SHARDS_WITH_OTHER_CHANGES,
    update_paths.SHARD_SCALE_IN_ALARMS, update_paths.ENGINE_SWITCH_WITH_USER_GROUP,
    security.USER_GROUP_ENGINE_WITHOUT_USER_GROUP, security.VALKEY_USER_GROUP_ON_REDIS,
    topology.SHARDS_NEED_CLUSTER_MODE, topology.CLUSTER_MODE_NEEDS_FAILOVER,
    topology.TOO_MANY_CACHE_NODES, topology.NODES_OVER_DEFAULT_QUOTA,
    pipeline.TEMPLATE_TOO_LARGE, update_paths.CLUSTER_MODE_SWITCH,
    serverless.SERVERLESS_CONFLICT, serverless.SERVERLESS_ENCRYPTION,
    serverless.SERVERLESS_ENGINE_VERSION, serverless.SERVERLESS_LIMITS,
    serverless.SERVERLESS_VALUE_REFUSED, resource_names.DERIVED_NAME_INVALID,
    serverless.ALARM_NOT_FOR_SHAPE, serverless.SERVERLESS_ALARM_NEEDS_LIMIT,
    existing.EXISTING_RESOURCE_CONFLICT, existing.NO_SECURITY_GROUP,
    existing.SECURITY_GROUPS_PER_INTERFACE, existing.USER_GROUP_NEEDS_RBAC,
    existing.PARAMETER_GROUP_MISMATCH, existing.AVAILABILITY_ZONES_MISMATCH,
    existing.AVAILABILITY_ZONES_MULTI_AZ, existing.AVAILABILITY_ZONES_REGION,
    existing.FIREHOSE_REGION, update_paths.REPLACEMENT_WITH_FIXED_ID,
    acceptance.ACCEPT_ERROR, acceptance.ACCEPT_UNKNOWN, acceptance.ACCEPT_UNUSED,
    monitoring.DUPLICATE_ALARM_ACTION, serverless.RESTORE_SNAPSHOT_REGION, dns.DNS_RECORD_SHARED,
)

RULES: tuple[Rule[Any], ...] = (
    *rules.RULES, *update_paths.IN_PLACE_RULES, *update_paths.RULES,
    *update_paths.REPLACEMENT_RULES,
)
