"""Which spec key a template path comes from.

cfn-lint findings and `cachec diff` speak in template paths
(`Resources.ReplicationGroup.Properties.Port`); users think in spec keys
(`port`). This table maps one to the other, longest prefix first, so both
report against the key the user wrote.
"""

from __future__ import annotations

from typing import Any

from .catalog import alarms
from .diagnostics import Path
from .synthesize import names

_RG = ("Resources", names.REPLICATION_GROUP, "Properties")

# Template path prefix -> spec path. Longest prefix wins.
SPEC_SOURCES: dict[tuple[str, ...], Path] = {
    (*_RG, "CacheNodeType"): ("node_type",),
    (*_RG, "Engine"): ("engine",),
    (*_RG, "EngineVersion"): ("engine_version",),
    (*_RG, "Port"): ("port",),
    (*_RG, "NumCacheClusters"): ("topology", "replicas"),
    (*_RG, "KmsKeyId"): ("security", "kms_key_id"),
    (*_RG, "SnapshotWindow"): ("backups", "window"),
    (*_RG, "SnapshotName"): ("backups", "restore_from"),
    (*_RG, "SnapshotArns"): ("backups", "restore_from"),
    (*_RG, "PreferredMaintenanceWindow"): ("maintenance_window",),
    (*_RG, "Tags"): ("tags",),
    ("Resources", names.PARAMETER_GROUP, "Properties", "Properties"): ("redis_parameters",),
    ("Parameters", names.VPC_ID): ("network", "vpc_id"),
    ("Parameters", names.SUBNET_IDS): ("network", "subnet_ids"),
    ("Parameters", names.ALLOWED_SECURITY_GROUP_IDS): ("network", "allowed_security_group_ids"),
    ("Parameters", names.ALLOWED_CIDR_BLOCKS): ("network", "allowed_cidr_blocks"),
    ("Parameters", names.ALLOWED_IPV6_CIDR_BLOCKS): ("network", "allowed_cidr_blocks"),
}


def spec_path_of(template_path: tuple[str, ...]) -> Path:
    for end in range(len(template_path), 0, -1):
        source = SPEC_SOURCES.get(template_path[:end])
        if source is not None:
            return source
    return ()


# --- cachec diff: the rest of the template, and template values as spec values ---
# (kept apart from the table above: lint and diff extend it independently)

_DIFF_SOURCES: dict[tuple[str, ...], Path] = {
    (*_RG, "ReplicationGroupDescription"): ("description",),
    (*_RG, "AutomaticFailoverEnabled"): ("topology", "automatic_failover"),
    (*_RG, "MultiAZEnabled"): ("topology", "multi_az"),
    (*_RG, "DataTieringEnabled"): ("topology", "data_tiering"),
    (*_RG, "AtRestEncryptionEnabled"): ("security", "encryption_at_rest"),
    (*_RG, "TransitEncryptionEnabled"): ("security", "encryption_in_transit"),
    (*_RG, "TransitEncryptionMode"): ("security", "transit_encryption_mode"),
    (*_RG, "AuthToken"): ("security", "auth"),
    (*_RG, "UserGroupIds"): ("security", "auth"),
    (*_RG, "SnapshotRetentionLimit"): ("backups", "retention_days"),
    (*_RG, "LogDeliveryConfigurations"): ("logs",),
    ("Resources", names.REPLICATION_GROUP, "DeletionPolicy"): ("backups", "final_snapshot"),
    ("Resources", names.REPLICATION_GROUP, "UpdateReplacePolicy"): ("backups", "final_snapshot"),
    ("Resources", names.PARAMETER_GROUP, "Properties", "CacheParameterGroupFamily"): (
        "engine_version",
    ),
    ("Resources", names.PARAMETER_GROUP, "Properties", "Description"): ("engine_version",),
    ("Resources", names.SUBNET_GROUP): ("network", "subnet_ids"),
    ("Resources", names.SECURITY_GROUP): ("network",),
    ("Resources", names.CLIENT_SECURITY_GROUP): ("network",),
    ("Resources", names.AUTH_SECRET): ("security", "auth"),
    ("Resources", names.SLOW_LOG_GROUP): ("logs", "slow_log"),
    ("Resources", names.ENGINE_LOG_GROUP): ("logs", "engine_log"),
    ("Resources", names.SLOW_LOG_GROUP, "Properties", "RetentionInDays"): (
        "logs", "retention_days",
    ),
    ("Resources", names.ENGINE_LOG_GROUP, "Properties", "RetentionInDays"): (
        "logs", "retention_days",
    ),
    ("Resources", names.DASHBOARD): ("monitoring", "dashboard"),
    ("Resources", names.ALARM_TOPIC): ("monitoring", "create_topic"),
    ("Resources", names.ALARM_TOPIC_POLICY): ("monitoring", "create_topic"),
    ("Resources", names.ALARM_EMAIL_SUBSCRIPTION): ("monitoring", "create_topic"),
    ("Parameters", names.ALARM_TOPIC_ARN): ("monitoring", "alarm_topic_arn"),
    **{("Resources", a.logical_id): ("monitoring", "alarms", a.key) for a in alarms.ALARMS},
}


def spec_path_of_change(template_path: tuple[str, ...]) -> Path:
    """The spec key a changed template path comes from; Tags on any resource
    come from `tags`, security group rule ports from `port`."""
    if template_path[-1:] in (("FromPort",), ("ToPort",)):
        return ("port",)
    if template_path[2:4] == ("Properties", "Tags"):
        return ("tags",)
    for end in range(len(template_path), 0, -1):
        prefix = template_path[:end]
        source = SPEC_SOURCES.get(prefix) or _DIFF_SOURCES.get(prefix)
        if source is not None:
            return source
    return ()


def _auth(value: Any) -> str:
    return "none" if value is None else "token"


def _final_snapshot(value: Any) -> Any:
    return {"Snapshot": True, "Delete": False}.get(value, value)


# Template values that read differently in the spec, by template path.
_SPEC_VALUES: dict[tuple[str, ...], Any] = {
    (*_RG, "NumCacheClusters"): lambda n: n - 1 if isinstance(n, int) else n,
    (*_RG, "AuthToken"): _auth,
    ("Resources", names.REPLICATION_GROUP, "DeletionPolicy"): _final_snapshot,
    ("Resources", names.REPLICATION_GROUP, "UpdateReplacePolicy"): _final_snapshot,
}


def spec_value_of(template_path: tuple[str, ...], value: Any) -> Any:
    """`NumCacheClusters: 3` reads `replicas: 2` in the spec."""
    convert = _SPEC_VALUES.get(template_path)
    return convert(value) if convert is not None else value
