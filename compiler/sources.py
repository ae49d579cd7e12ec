"""Which spec key a template path comes from.

cfn-lint findings and `cachec diff` speak in template paths
(`Resources.ReplicationGroup.Properties.Port`); users think in spec keys
(`port`). This table maps one to the other, longest prefix first, so both
report against the key the user wrote.
"""

from __future__ import annotations

from .diagnostics import Path
from .synthesize import names

_RG = ("Resources", names.REPLICATION_GROUP, "Properties")

# Template path prefix -> spec path. Longest prefix wins.
SPEC_SOURCES: dict[tuple[str, ...], Path] = {
    (*_RG, "CacheNodeType"): ("node_type",),
    (*_RG, "Engine"): ("engine",),
    (*_RG, "EngineVersion"): ("engine_version",),
    (*_RG, "Port"): ("port",),
    (*_RG, "NumCacheClusters"): ("topology",),
    (*_RG, "KmsKeyId"): ("security", "kms_key_id"),
    (*_RG, "NetworkType"): ("network", "network_type"),
    (*_RG, "IpDiscovery"): ("network", "ip_discovery"),
    (*_RG, "SnapshotWindow"): ("backups", "window"),
    (*_RG, "SnapshotName"): ("backups", "restore_from"),
    (*_RG, "SnapshotArns"): ("backups", "restore_from"),
    (*_RG, "PreferredMaintenanceWindow"): ("maintenance_window",),
    (*_RG, "Tags"): ("tags",),
    ("Resources", names.PARAMETER_GROUP, "Properties", "Properties"): ("redis_parameters",),
    # The client group's one egress rule follows the cache port.
    ("Resources", names.CLIENT_SECURITY_GROUP_EGRESS): ("port",),
    ("Parameters", names.VPC_ID): ("network", "vpc_id"),
    ("Parameters", names.SUBNET_IDS): ("network", "subnet_ids"),
    ("Parameters", names.ALLOWED_SECURITY_GROUP_IDS): ("network", "allowed_security_group_ids"),
    ("Parameters", names.ALLOWED_CIDR_BLOCKS): ("network", "allowed_cidr_blocks"),
    ("Parameters", names.ALLOWED_IPV6_CIDR_BLOCKS): ("network", "allowed_cidr_blocks"),
    ("Parameters", names.ALARM_TOPIC_NAME): ("monitoring", "alarm_topic_arn"),
    ("Parameters", names.ALARM_TOPIC_ACCOUNT): ("monitoring", "alarm_topic_arn"),
}


def spec_path_of(template_path: tuple[str, ...]) -> Path:
    for end in range(len(template_path), 0, -1):
        source = SPEC_SOURCES.get(template_path[:end])
        if source is not None:
            return source
    return ()
