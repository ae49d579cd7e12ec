"""Which spec key a template path comes from.

cfn-lint findings and `cachec diff` speak in template paths
(`Resources.ReplicationGroup.Properties.Port`); users think in spec keys
(`port`). The synthesizers record, as they set each value, the key it came
from (`vocabulary/provenance.SpecSources`, carried by the build's result):
that record answers first. This table answers for what the record does not
cover: parts of synthesizers not yet recording, templates reused from the
store (not synthesized in this run) and the parts of a published template
this build no longer makes (a removed alarm in `cachec diff`). Longest
prefix first; paths no spec key produces (the provenance metadata,
endpoints, the summary) map to `()`, the whole spec.
"""

from __future__ import annotations

import functools
from typing import Any

from ..diagnostics import Path
from ..vocabulary import names
from ..vocabulary.provenance import SpecSources

# A prefix segment that matches any one template path segment.
ANY = "*"

_RG = ("Resources", names.REPLICATION_GROUP, "Properties")
_SC = ("Resources", names.SERVERLESS_CACHE, "Properties")
_SERVERLESS = ("serverless",)
_NETWORK = ("network",)
_TOPIC = ("monitoring", "create_topic")
_ALARM_TOPIC_ARN = ("monitoring", "alarm_topic_arn")
_LOG_GROUPS = (names.SLOW_LOG_GROUP, names.ENGINE_LOG_GROUP)

# Template path prefix -> spec path. Longest prefix wins; at equal length,
# the prefix with fewer ANY segments.
SPEC_SOURCES: dict[tuple[str, ...], Path] = {
    ("Description",): ("description",),
    # Every taggable resource carries the spec's tags.
    ("Resources", ANY, "Properties", "Tags"): ("tags",),
    # Security groups live in the spec's VPC.
    ("Resources", ANY, "Properties", "VpcId"): (*_NETWORK, "vpc_id"),
    # The replication group.
    (*_RG, "ReplicationGroupDescription"): ("description",),
    (*_RG, "CacheNodeType"): ("node_type",),
    (*_RG, "Engine"): ("engine",),
    (*_RG, "EngineVersion"): ("engine_version",),
    (*_RG, "Port"): ("port",),
    (*_RG, "NumCacheClusters"): ("topology", "replicas"),
    (*_RG, "NumNodeGroups"): ("topology", "shards"),
    (*_RG, "ReplicasPerNodeGroup"): ("topology", "replicas"),
    (*_RG, "ReplicationGroupId"): ("replication_group_id",),
    (*_RG, "PreferredCacheClusterAZs"): ("topology", "availability_zones"),
    (*_RG, "NodeGroupConfiguration"): ("topology", "availability_zones"),
    (*_RG, "ClusterMode"): ("topology", "cluster_mode"),
    (*_RG, "AutomaticFailoverEnabled"): ("topology", "automatic_failover"),
    (*_RG, "MultiAZEnabled"): ("topology", "multi_az"),
    (*_RG, "DataTieringEnabled"): ("topology", "data_tiering"),
    (*_RG, "CacheSubnetGroupName"): (*_NETWORK, "subnet_ids"),
    (*_RG, "SecurityGroupIds"): _NETWORK,
    # The group is replaced (a new name) only when the family changes.
    (*_RG, "CacheParameterGroupName"): ("engine_version",),
    (*_RG, "AtRestEncryptionEnabled"): ("security", "encryption_at_rest"),
    (*_RG, "KmsKeyId"): ("security", "kms_key_id"),
    (*_RG, "NetworkType"): ("network", "network_type"),
    (*_RG, "IpDiscovery"): ("network", "ip_discovery"),
    (*_RG, "TransitEncryptionEnabled"): ("security", "encryption_in_transit"),
    (*_RG, "TransitEncryptionMode"): ("security", "transit_encryption_mode"),
    (*_RG, "AuthToken"): ("security", "auth"),
    (*_RG, "UserGroupIds"): ("security", "auth"),
    (*_RG, "SnapshotRetentionLimit"): ("backups", "retention_days"),
    (*_RG, "SnapshotWindow"): ("backups", "window"),
    (*_RG, "SnapshotName"): ("backups", "restore_from"),
    (*_RG, "SnapshotArns"): ("backups", "restore_from"),
    (*_RG, "PreferredMaintenanceWindow"): ("maintenance_window",),
    (*_RG, "AutoMinorVersionUpgrade"): ("auto_minor_version_upgrade",),
    (*_RG, "NotificationTopicArn"): ("monitoring", "event_topic_arn"),
    (*_RG, "LogDeliveryConfigurations"): ("logs",),
    (*_RG, "Tags"): ("tags",),
    ("Resources", names.REPLICATION_GROUP, "DeletionPolicy"): ("backups", "final_snapshot"),
    ("Resources", names.REPLICATION_GROUP, "UpdateReplacePolicy"): ("backups", "final_snapshot"),
    ("Resources", names.REPLICATION_GROUP, "UpdatePolicy"): ("topology", "cluster_mode"),
    # The serverless cache.
    ("Resources", names.SERVERLESS_CACHE): _SERVERLESS,
    ("Resources", names.SERVERLESS_CACHE, "DeletionPolicy"): ("backups", "final_snapshot"),
    ("Resources", names.SERVERLESS_CACHE, "UpdateReplacePolicy"): ("backups", "final_snapshot"),
    (*_SC, "ServerlessCacheName"): ("name",),
    (*_SC, "Description"): ("description",),
    (*_SC, "Engine"): ("engine",),
    (*_SC, "MajorEngineVersion"): ("engine_version",),
    (*_SC, "SubnetIds"): (*_NETWORK, "subnet_ids"),
    (*_SC, "SecurityGroupIds"): _NETWORK,
    (*_SC, "NetworkType"): ("network", "network_type"),
    (*_SC, "KmsKeyId"): ("security", "kms_key_id"),
    (*_SC, "UserGroupId"): ("security", "auth"),
    (*_SC, "SnapshotRetentionLimit"): ("backups", "retention_days"),
    (*_SC, "SnapshotArnsToRestore"): (*_SERVERLESS, "restore_from"),
    (*_SC, "DailySnapshotTime"): (*_SERVERLESS, "daily_snapshot_time"),
    (*_SC, "FinalSnapshotName"): ("backups", "final_snapshot"),
    (*_SC, "CacheUsageLimits"): _SERVERLESS,
    (*_SC, "Tags"): ("tags",),
    # The groups around it.
    ("Resources", names.SUBNET_GROUP): (*_NETWORK, "subnet_ids"),
    ("Resources", names.PARAMETER_GROUP): ("redis_parameters",),
    ("Resources", names.PARAMETER_GROUP, "Properties", "CacheParameterGroupFamily"): (
        "engine_version",
    ),
    ("Resources", names.PARAMETER_GROUP, "Properties", "Description"): ("engine_version",),
    ("Resources", names.SECURITY_GROUP): _NETWORK,
    ("Resources", names.CLIENT_SECURITY_GROUP): _NETWORK,
    # Security group rules open the cache port.
    ("Resources", ANY, "Properties", "SecurityGroupIngress", ANY, "FromPort"): ("port",),
    ("Resources", ANY, "Properties", "SecurityGroupIngress", ANY, "ToPort"): ("port",),
    # The client group's one egress rule follows the cache port.
    ("Resources", names.CLIENT_SECURITY_GROUP_EGRESS): ("port",),
    # ... and serverless's reader port 6380 (synthesize/serverless.PORTS) its own rule.
    ("Resources", names.client_security_group_egress(6380, first=False)): _SERVERLESS,
    ("Resources", names.AUTH_SECRET): ("security", "auth"),
    **{("Resources", r): ("security", "auth") for r in (
        names.USER_GROUP, names.DEFAULT_USER, names.DEFAULT_USER_SECRET, names.IAM_USER,
        names.CONNECT_POLICY, names.AUTH_SECRET_READ_POLICY,
    )},
    # Every generated secret's key (the caches' and log groups' KmsKeyId are
    # listed with them: a longer prefix, no ANY).
    ("Resources", ANY, "Properties", "KmsKeyId"): ("security", "secrets_kms_key_id"),
    # Rotation schedules: the AUTH token's, and each RBAC user's
    # (`User<Name>SecretRotation`, which NAME_PREFIXES gives to the users list).
    ("Resources", names.rotation(names.AUTH_SECRET)): ("security", "rotation"),
    ("Resources", ANY, "Properties", "RotationLambdaARN"): ("security", "rotation", "function_arn"),
    ("Resources", ANY, "Properties", "RotationRules"): ("security", "rotation", "schedule"),
    # The user group and its users; the caches' own Engine is listed above.
    ("Resources", ANY, "Properties", "Engine"): ("security", "user_group_engine"),
    # Observability.
    ("Resources", names.SLOW_LOG_GROUP): ("logs", "slow_log"),
    ("Resources", names.ENGINE_LOG_GROUP): ("logs", "engine_log"),
    **{
        ("Resources", group, "Properties", "RetentionInDays"): ("logs", "retention_days")
        for group in _LOG_GROUPS
    },
    **{("Resources", group, "Properties", "KmsKeyId"): ("logs", "kms_key_id")
       for group in _LOG_GROUPS},
    ("Resources", names.ALARM_TOPIC): _TOPIC,
    # An alarm's actions: the main topic and the state's own list
    # (monitoring.alarm_actions, ok_actions, insufficient_data_actions).
    **{("Resources", ANY, "Properties", prop): ("monitoring",)
       for prop in ("AlarmActions", "OKActions", "InsufficientDataActions")},
    ("Resources", names.ALARM_TOPIC_POLICY): _TOPIC,
    ("Resources", names.ALARM_EMAIL_SUBSCRIPTION): _TOPIC,
    ("Resources", names.ALARM_EMAIL_SUBSCRIPTION, "Properties", "Endpoint"): (*_TOPIC, "email"),
    ("Resources", names.ALARM_TOPIC, "Properties", "KmsMasterKeyId"): (*_TOPIC, "kms_key_id"),
    **{("Resources", logical_id): ("monitoring", "alarms", key)
       for key, logical_id in names.ALARMS.items()},
    **{("Resources", names.alarm_part(key, part)): ("monitoring", "alarms", key)
       for key in names.ALARMS for part in range(1, names.MAX_ALARM_PARTS + 1)},
    **{("Resources", names.alarm_composite(key)): ("monitoring", "alarms", key)
       for key in names.ALARMS},
    ("Resources", names.DASHBOARD): ("monitoring", "dashboard"),
    # Parameters and Conditions.
    ("Parameters", names.VPC_ID): (*_NETWORK, "vpc_id"),
    ("Parameters", names.SUBNET_IDS): (*_NETWORK, "subnet_ids"),
    ("Parameters", names.ALLOWED_SECURITY_GROUP_IDS): (*_NETWORK, "allowed_security_group_ids"),
    ("Parameters", names.EXISTING_SECURITY_GROUP_IDS): (*_NETWORK, "security_group_ids"),
    ("Parameters", names.EXISTING_SUBNET_GROUP_NAME): (*_NETWORK, "subnet_group_name"),
    ("Parameters", names.ALLOWED_CIDR_BLOCKS): (*_NETWORK, "allowed_cidr_blocks"),
    ("Parameters", names.ALLOWED_IPV6_CIDR_BLOCKS): (*_NETWORK, "allowed_cidr_blocks"),
    ("Parameters", names.KMS_KEY_ID): ("security", "kms_key_id"),
    ("Parameters", names.LOG_KMS_KEY_ID): ("logs", "kms_key_id"),
    ("Parameters", names.CREDENTIALS_KMS_KEY_ID): ("security", "secrets_kms_key_id"),
    ("Parameters", names.ROTATION_FUNCTION_ARN): ("security", "rotation", "function_arn"),
    ("Parameters", names.ALARM_TOPIC_KMS_KEY_ID): (*_TOPIC, "kms_key_id"),
    ("Parameters", names.RESTORE_SNAPSHOT_NAME): ("backups", "restore_from"),
    ("Parameters", names.RESTORE_SNAPSHOT_ARNS): ("backups", "restore_from"),
    ("Parameters", names.NODE_TYPE): ("node_type",),
    ("Parameters", names.ENGINE_VERSION): ("engine_version",),
    ("Parameters", names.REPLICAS): ("topology", "replicas"),
    ("Parameters", names.BACKUP_RETENTION_DAYS): ("backups", "retention_days"),
    **{("Parameters", names.alarm_threshold(key)): ("monitoring", "alarms", key)
       for key in names.ALARMS},
    ("Mappings", names.NODE_COUNTS): ("topology", "replicas"),
    ("Rules", names.REPLICAS_RULE): ("topology", "replicas"),
    **{("Conditions", names.has_node(k)): ("topology", "replicas") for k in range(2, 7)},
    ("Parameters", names.ALARM_TOPIC_NAME): _ALARM_TOPIC_ARN,
    ("Parameters", names.EVENT_TOPIC_NAME): ("monitoring", "event_topic_arn"),
    **{("Parameters", parameter): ("monitoring", key)
       for key, parameter in names.EXTRA_TOPICS.items()},
    ("Parameters", names.SNAPSHOT_ARNS_TO_RESTORE): (*_SERVERLESS, "restore_from"),
    ("Parameters", names.DNS_ZONE_ID): ("dns", "zone_id"),
    ("Parameters", names.DNS_RECORD_NAME): ("dns", "name"),
    # The Route 53 record of `dns`.
    ("Resources", names.DNS_RECORD): ("dns",),
    ("Resources", names.DNS_RECORD, "Properties", "HostedZoneId"): ("dns", "zone_id"),
    ("Resources", names.DNS_RECORD, "Properties", "Name"): ("dns", "name"),
    ("Resources", names.DNS_RECORD, "Properties", "TTL"): ("dns", "ttl"),
    # `global_datastore`: the primary's global datastore, a secondary's Parameter,
    # group id and GlobalDatastoreReplicationLag alarm.
    ("Resources", names.GLOBAL_REPLICATION_GROUP): ("global_datastore",),
    ("Resources", names.GLOBAL_REPLICATION_GROUP, "Properties",
     "GlobalReplicationGroupIdSuffix"): ("global_datastore", "id_suffix"),
    ("Resources", names.GLOBAL_REPLICATION_GROUP, "Properties",
     "GlobalReplicationGroupDescription"): ("description",),
    ("Parameters", names.GLOBAL_REPLICATION_GROUP_ID): ("global_datastore",),
    (*_RG, "GlobalReplicationGroupId"): ("global_datastore",),
    ("Resources", names.GLOBAL_REPLICATION_LAG_ALARM): ("global_datastore",
                                                        "replication_lag_alarm"),
    ("Outputs", names.GLOBAL_REPLICATION_GROUP_ID): ("global_datastore",),
    ("Parameters", names.ALARM_TOPIC_ACCOUNT): _ALARM_TOPIC_ARN,
    ("Conditions", names.ALARM_TOPIC_IN_STACK_ACCOUNT): _ALARM_TOPIC_ARN,
    ("Conditions", names.HAS_ALARM_TOPIC): _ALARM_TOPIC_ARN,
    # Outputs that exist or read as they do because of a spec key.
    ("Outputs", ANY, "Export"): ("stack", "exports"),
    ("Outputs", names.READER_ENDPOINT): ("topology", "replicas"),
    ("Outputs", names.CONFIGURATION_ENDPOINT): ("topology", "cluster_mode"),
    ("Outputs", names.PRIMARY_ENDPOINT): ("topology", "cluster_mode"),
    ("Outputs", names.CLIENT_ENDPOINT): ("topology", "cluster_mode"),
    ("Outputs", names.PORT): ("port",),
    ("Outputs", names.ENDPOINT): _SERVERLESS,
    ("Outputs", names.SERVERLESS_CACHE_NAME): ("name",),
    ("Outputs", names.SERVERLESS_CACHE_ARN): ("name",),
    ("Outputs", names.CONNECTION_STRING): ("security", "encryption_in_transit"),
    ("Outputs", names.AUTH_SECRET_ARN): ("security", "auth"),
    ("Outputs", names.USER_GROUP_ID): ("security", "auth"),
    ("Outputs", names.IAM_USER_NAME): ("security", "auth"),
    ("Outputs", names.CONNECT_POLICY_ARN): ("security", "auth"),
    ("Outputs", names.AUTH_SECRET_READ_POLICY_ARN): ("security", "auth"),
    ("Outputs", names.ALARM_NAMES): ("monitoring", "alarms"),
    ("Outputs", names.ALARM_ARNS): ("monitoring", "alarms"),
    ("Outputs", names.ALARM_TOPIC_ARN): _TOPIC,
    ("Outputs", names.LOG_GROUP_NAMES): ("logs",),
    ("Outputs", names.DASHBOARD_NAME): ("monitoring", "dashboard"),
    ("Outputs", names.DNS_NAME): ("dns", "name"),
}


def _matches(prefix: tuple[str, ...], template_path: tuple[str, ...]) -> bool:
    return len(prefix) <= len(template_path) and all(
        want in (ANY, got) for want, got in zip(prefix, template_path, strict=False)
    )


# Resources and Outputs named after a spec list entry (`UserApp`,
# `UserAppSecretArn`): the name's prefix says which list. Consulted only when
# no SPEC_SOURCES prefix matches (`UserGroup` is listed there).
NAME_PREFIXES: dict[tuple[str, str], Path] = {
    ("Resources", names.USER_PREFIX): ("security", "users"),
    ("Outputs", names.USER_PREFIX): ("security", "users"),
}


def spec_path_of(template_path: tuple[str, ...], recorded: SpecSources | None = None) -> Path:
    """The spec key that produced `template_path`, or `()` when none did:
    as the synthesizers `recorded` it, else as the table says."""
    found = recorded.spec_path_of(template_path) if recorded is not None else None
    return table_spec_path_of(template_path) if found is None else found


# Every change and finding of every template asks; the same paths recur in
# each template (a 100-spec build's first publish asked ~3,000 times).
@functools.lru_cache(maxsize=4096)
def table_spec_path_of(template_path: tuple[str, ...]) -> Path:
    """The spec key SPEC_SOURCES says produced `template_path`, or `()`."""
    candidates = [prefix for prefix in SPEC_SOURCES if _matches(prefix, template_path)]
    if not candidates:
        return next(
            (path for (section, start), path in NAME_PREFIXES.items()
             if template_path[:1] == (section,) and len(template_path) > 1
             and template_path[1].startswith(start)),
            (),
        )
    best = max(candidates, key=lambda prefix: (len(prefix), -prefix.count(ANY)))
    return SPEC_SOURCES[best]


# Template values that read differently in the spec, by template path.
def _auth(value: Any) -> str:
    # Without a token the spec says none, iam or rbac; UserGroupIds tells which kind.
    return "no token" if value is None else "token"


def _user_groups(value: Any) -> Any:
    return "user group (iam or rbac)" if value else value


def _final_snapshot(value: Any) -> Any:
    return {"Snapshot": True, "Delete": False}.get(value, value)


_SPEC_VALUES: dict[tuple[str, ...], Any] = {
    (*_RG, "NumCacheClusters"): lambda n: n - 1 if isinstance(n, int) else n,
    (*_RG, "AuthToken"): _auth,
    (*_RG, "UserGroupIds"): _user_groups,
    ("Resources", names.REPLICATION_GROUP, "DeletionPolicy"): _final_snapshot,
    ("Resources", names.REPLICATION_GROUP, "UpdateReplacePolicy"): _final_snapshot,
}


def spec_value_of(template_path: tuple[str, ...], value: Any) -> Any:
    """`NumCacheClusters: 3` reads `replicas: 2` in the spec."""
    convert = _SPEC_VALUES.get(template_path)
    return convert(value) if convert is not None else value
