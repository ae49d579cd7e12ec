"""The node-based shape: subnet group, parameter group, replication group,
its endpoint Outputs and its member node ids, with or without cluster mode."""

from __future__ import annotations

from typing import Any

from troposphere import GetAtt, Ref, Sub, Template, elasticache
from troposphere.policies import UpdatePolicy

from ..input.model import ReplicationGroup, Spec
from ..vocabulary import names
from . import auth, exposed, global_datastore, logs, network, users
from .members import MAX_REPLICAS, member_suffixes
from .provenance import NO_SPEC_KEY, SpecPath, add_resource
from .tags import tags

_RG = names.REPLICATION_GROUP
_SUBNETS = ("network", "subnet_ids")
_SUBNET_GROUP_NAME = ("network", "subnet_group_name")
_FINAL_SNAPSHOT = ("backups", "final_snapshot")

# The spec key each replication group property and attribute comes from.
_RG_SOURCES = {
    "ReplicationGroupDescription": ("description",),
    "Engine": ("engine",),
    "EngineVersion": ("engine_version",),
    "CacheNodeType": ("node_type",),
    "NumCacheClusters": ("topology", "replicas"),
    "NumNodeGroups": ("topology", "shards"),
    "ReplicasPerNodeGroup": ("topology", "replicas"),
    "ReplicationGroupId": ("replication_group_id",),
    "PreferredCacheClusterAZs": ("topology", "availability_zones"),
    "NodeGroupConfiguration": ("topology", "availability_zones"),
    "ClusterMode": ("topology", "cluster_mode"),
    "AutomaticFailoverEnabled": ("topology", "automatic_failover"),
    "MultiAZEnabled": ("topology", "multi_az"),
    "Port": ("port",),
    "CacheSubnetGroupName": _SUBNETS,
    # The group is replaced (a new name) only when the family changes.
    "CacheParameterGroupName": ("engine_version",),
    "SecurityGroupIds": ("network",),
    "AtRestEncryptionEnabled": ("security", "encryption_at_rest"),
    "TransitEncryptionEnabled": ("security", "encryption_in_transit"),
    "PreferredMaintenanceWindow": ("maintenance_window",),
    "SnapshotRetentionLimit": ("backups", "retention_days"),
    "AutoMinorVersionUpgrade": ("auto_minor_version_upgrade",),
    "NotificationTopicArn": ("monitoring", "event_topic_arn"),
    "NetworkType": ("network", "network_type"),
    "IpDiscovery": ("network", "ip_discovery"),
    "KmsKeyId": ("security", "kms_key_id"),
    "TransitEncryptionMode": ("security", "transit_encryption_mode"),
    "AuthToken": ("security", "auth"),
    "UserGroupIds": ("security", "auth"),
    "SnapshotWindow": ("backups", "window"),
    "DataTieringEnabled": ("topology", "data_tiering"),
    "SnapshotName": ("backups", "restore_from"),
    "SnapshotArns": ("backups", "restore_from"),
    "LogDeliveryConfigurations": ("logs",),
    "Tags": ("tags",),
    "DeletionPolicy": _FINAL_SNAPSHOT,
    "UpdateReplacePolicy": _FINAL_SNAPSHOT,
    "UpdatePolicy": ("topology", "cluster_mode"),
}

# A cluster-mode-enabled group needs a parameter group with cluster-enabled
# "yes" (CreateReplicationGroup, NumNodeGroups: "the parameter group ... must
# have the parameter cluster-enabled set to yes",
# https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/ParameterGroups.Engine.html
# "cluster-enabled: Indicates whether this is a Valkey or Redis OSS (cluster
# mode enabled) replication group in cluster mode (yes) or a ... (cluster mode
# disabled) replication group (no)"). Users cannot override it
# (catalog/parameters.py reserves it); cachec writes it from the topology.
CLUSTER_ENABLED = ("cluster-enabled", "yes")


def add_subnet_group(template: Template, spec: Spec) -> None:
    if not spec.network.creates_subnet_group:
        return  # network.subnet_group_name: an existing group
    # No CacheSubnetGroupName: a generated name never collides between stacks,
    # and renaming a subnet group would replace the replication group.
    add_resource(
        template,
        elasticache.SubnetGroup(
            names.SUBNET_GROUP,
            Description=f"cachec {spec.stack_name}",
            SubnetIds=Ref(names.SUBNET_IDS),
            Tags=tags(spec),
        ),
        _SUBNETS,
        {"Tags": ("tags",)},
    )


def parameter_overrides(rg: ReplicationGroup) -> dict[str, str]:
    """The parameter group's Properties: the spec's overrides, plus cluster-enabled."""
    overrides = dict(rg.redis_parameters)
    if rg.topology.cluster_mode:
        overrides.update([CLUSTER_ENABLED])
    return dict(sorted(overrides.items()))


def add_parameter_group(template: Template, spec: Spec, rg: ReplicationGroup) -> None:
    if rg.parameter_group_name:
        return  # an existing group (rules check its family where the name says it)
    info = spec.version_info
    assert info is not None, "rules reject unknown engine versions before synthesis"
    # The family is create-only, but the group's name is generated, so a
    # family change (engine upgrade) is create-before-delete: safe.
    overrides = parameter_overrides(rg)
    family = ("engine_version",)
    add_resource(
        template,
        elasticache.ParameterGroup(
            names.PARAMETER_GROUP,
            CacheParameterGroupFamily=info.family,
            Description=f"cachec {spec.stack_name} ({info.family})",
            **({"Properties": overrides} if overrides else {}),
            Tags=tags(spec),
        ),
        ("redis_parameters",),
        {"CacheParameterGroupFamily": family, "Description": family, "Tags": ("tags",)},
    )


def _topology_properties(spec: Spec, rg: ReplicationGroup) -> dict[str, Any]:
    topo = rg.topology
    if not topo.cluster_mode:
        return {"NumCacheClusters": exposed.node_count(spec)}
    # Exposed replicas are refused in cluster mode (rules.stack): the
    # ReplicasPerNodeGroup below stays literal.
    # Cluster mode: shards and replicas per shard, not NumCacheClusters
    # (provider schema: NumNodeGroups "for Redis (cluster mode disabled) either
    # omit this parameter or set it to 1"; ReplicasPerNodeGroup 0-5; ClusterMode
    # enabled|disabled|compatible). Without NodeGroupConfiguration: "Using
    # ReplicasPerNodeGroup with NodeGroupConfiguration results in resource
    # replacement. For online scaling, use ReplicasPerNodeGroup alone."
    if topo.availability_zones:
        # Each shard's NodeGroupConfiguration carries its ReplicaCount.
        return {"NumNodeGroups": topo.shards, "ClusterMode": "enabled"}
    return {
        "NumNodeGroups": topo.shards,
        "ReplicasPerNodeGroup": topo.replicas,
        "ClusterMode": "enabled",
    }


def _availability_zones(rg: ReplicationGroup) -> dict[str, Any]:
    """topology.availability_zones. Without cluster mode PreferredCacheClusterAZs,
    one zone per node, primary first ("The primary cluster is created in the
    first AZ in the list. This parameter is not used if there is more than one
    node group (shard). You should use NodeGroupConfiguration instead",
    provider schema). In cluster mode one NodeGroupConfiguration per shard,
    with its ReplicaCount and without ReplicasPerNodeGroup ("Using
    ReplicasPerNodeGroup with NodeGroupConfiguration results in resource
    replacement", CFN-RG); NodeGroupId is the 4-digit id ElastiCache gives
    shards (0001, ...: the schema's pattern ^\\d+$, at most 4 characters)."""
    zones = rg.topology.availability_zones
    if not zones:
        return {}
    if not rg.topology.cluster_mode:
        return {"PreferredCacheClusterAZs": list(zones[0])}
    return {"NodeGroupConfiguration": [
        elasticache.NodeGroupConfiguration(
            NodeGroupId=f"{index:04d}",
            PrimaryAvailabilityZone=shard[0],
            ReplicaCount=len(shard) - 1,
            **({"ReplicaAvailabilityZones": list(shard[1:])} if len(shard) > 1 else {}),
        )
        for index, shard in enumerate(zones, start=1)
    ]}


def add_replication_group(template: Template, spec: Spec, rg: ReplicationGroup,
                          secondary: bool = False) -> None:
    """The cache; `secondary`: a global datastore's secondary region's member
    (global_datastore.secondary_properties)."""
    sec = spec.security
    topo = rg.topology
    props: dict[str, Any] = {}
    if rg.replication_group_id:
        # Create-only, and a custom name: CloudFormation cannot replace the
        # group without a new id (CFN-RG, ReplicationGroupId "Update requires:
        # Replacement"; "custom-named resources" cannot be replaced in place).
        props["ReplicationGroupId"] = rg.replication_group_id
    props |= {
        "ReplicationGroupDescription": spec.description,
        "Engine": spec.engine,
        "EngineVersion": exposed.value(spec, "engine_version", spec.engine_version),
        "CacheNodeType": exposed.value(spec, "node_type", rg.node_type),
        **_topology_properties(spec, rg),
        "AutomaticFailoverEnabled": topo.automatic_failover,
        "MultiAZEnabled": topo.multi_az,
        "Port": rg.port,
        "CacheSubnetGroupName": Ref(
            names.EXISTING_SUBNET_GROUP_NAME if spec.network.subnet_group_name
            else names.SUBNET_GROUP
        ),
        "CacheParameterGroupName": rg.parameter_group_name or Ref(names.PARAMETER_GROUP),
        "SecurityGroupIds": network.cache_security_groups(spec),
        # Security settings stay literal (no Conditions) so reviewers and
        # scanners such as checkov see exactly what is deployed.
        "AtRestEncryptionEnabled": sec.encryption_at_rest,
        # Always explicit: Valkey requires it (cfn-lint E3704), and an
        # explicit false documents the choice.
        "TransitEncryptionEnabled": sec.encryption_in_transit,
        "PreferredMaintenanceWindow": rg.maintenance_window,
        "SnapshotRetentionLimit": exposed.value(
            spec, "backups.retention_days", spec.backups.retention_days
        ),
        "AutoMinorVersionUpgrade": rg.auto_minor_version_upgrade,
    }
    if spec.network.network_type != "ipv4":
        # Only when not the default: NetworkType is create-only, so writing
        # an explicit ipv4 into existing stacks would replace their clusters.
        props["NetworkType"] = spec.network.network_type
        props["IpDiscovery"] = spec.network.ip_discovery
    if sec.kms_key_id:
        props["KmsKeyId"] = Ref(names.KMS_KEY_ID)
    if sec.transit_encryption_mode:
        props["TransitEncryptionMode"] = sec.transit_encryption_mode
    if sec.auth_token:
        props["AuthToken"] = auth.auth_token()
    if sec.user_group:
        props["UserGroupIds"] = users.user_group_ids(spec)
    if spec.backups.retention_days or spec.stack.exposes("backups.retention_days"):
        props["SnapshotWindow"] = spec.backups.window
    if topo.data_tiering:
        props["DataTieringEnabled"] = True
    props |= _availability_zones(rg)
    if spec.backups.restore_snapshot_name:
        props["SnapshotName"] = Ref(names.RESTORE_SNAPSHOT_NAME)
    if spec.backups.restore_s3_arns:
        props["SnapshotArns"] = Ref(names.RESTORE_SNAPSHOT_ARNS)
    if spec.logs.types:
        props["LogDeliveryConfigurations"] = logs.log_delivery(spec)
    if spec.monitoring.event_topic_arn:
        # The topic of the stack's own account and region: ElastiCache
        # publishes only to its owner's topics (template/declared.py).
        # An in-place update (not create-only in the provider schema).
        props["NotificationTopicArn"] = Sub(
            "arn:${AWS::Partition}:sns:${AWS::Region}:${AWS::AccountId}:"
            f"${{{names.EVENT_TOPIC_NAME}}}"
        )
    props["Tags"] = tags(spec)

    policy = "Snapshot" if spec.backups.final_snapshot else "Delete"
    attributes: dict[str, Any] = {"DeletionPolicy": policy, "UpdateReplacePolicy": policy}
    if secondary:
        props = global_datastore.secondary_properties(spec, rg, props)
    if topo.cluster_mode and not secondary:
        # Shard-count changes happen only with online resharding on; without
        # it CloudFormation cannot change NumNodeGroups in place (UpdatePolicy
        # attribute, UseOnlineResharding: https://docs.aws.amazon.com/
        # AWSCloudFormation/latest/UserGuide/aws-attribute-updatepolicy.html).
        attributes["UpdatePolicy"] = UpdatePolicy(UseOnlineResharding=True)
    sources = dict(_RG_SOURCES)
    if spec.network.subnet_group_name:
        sources["CacheSubnetGroupName"] = ("network", "subnet_group_name")
    if rg.parameter_group_name:
        sources["CacheParameterGroupName"] = ("parameter_group_name",)
    if spec.security.user_group_id:
        sources["UserGroupIds"] = ("security", "user_group_id")
    sources["GlobalReplicationGroupId"] = ("global_datastore",)
    add_resource(template, elasticache.ReplicationGroup(_RG, **attributes, **props),
                 NO_SPEC_KEY, sources)
    if spec.global_datastore is not None and not secondary:
        global_datastore.add_global_replication_group(template, spec, spec.global_datastore)


def add_groups(template: Template, spec: Spec, rg: ReplicationGroup,
               secondary: bool = False) -> None:
    add_subnet_group(template, spec)
    if not secondary:  # a secondary takes the global datastore's parameter group
        add_parameter_group(template, spec, rg)


# An Output: its name, description, value and the spec key it came from.
OutputRow = tuple[str, str, object, SpecPath]
_CLUSTER_MODE = ("topology", "cluster_mode")


def client_endpoint(rg: ReplicationGroup) -> GetAtt:
    """The address clients connect to: the configuration endpoint in cluster
    mode (clients discover the shards from it), else the primary endpoint
    (it follows a failover to the promoted replica)."""
    endpoint = "ConfigurationEndPoint" if rg.topology.cluster_mode else "PrimaryEndPoint"
    return GetAtt(_RG, f"{endpoint}.Address")


def endpoint_outputs(spec: Spec, rg: ReplicationGroup) -> list[OutputRow]:
    """Where clients connect. GetAtt PrimaryEndPoint/ReaderEndPoint exist only
    without cluster mode, ConfigurationEndPoint only with it (a GetAtt of the
    other kind fails the stack; CloudFormation ReplicationGroup return values)."""
    scheme = "rediss" if spec.security.encryption_in_transit else "redis"
    if rg.topology.cluster_mode:
        endpoint, name = "ConfigurationEndPoint", names.CONFIGURATION_ENDPOINT
        rows: list[OutputRow] = [(name, "Configuration endpoint address (cluster-mode clients "
                                  "discover every shard from it)",
                                  GetAtt(_RG, f"{endpoint}.Address"), _CLUSTER_MODE)]
    else:
        endpoint, name = "PrimaryEndPoint", names.PRIMARY_ENDPOINT
        rows = [(name, "Primary (read/write) endpoint address",
                 GetAtt(_RG, f"{endpoint}.Address"), _CLUSTER_MODE)]
        if rg.topology.replicas:
            rows.append((names.READER_ENDPOINT, "Reader endpoint address (spreads reads "
                         "over the replicas)", GetAtt(_RG, "ReaderEndPoint.Address"),
                         ("topology", "replicas")))
    return [
        *rows,
        (names.CLIENT_ENDPOINT, "Where clients connect, whatever the topology (the "
         f"{name} address)", GetAtt(_RG, f"{endpoint}.Address"), _CLUSTER_MODE),
        (names.PORT, "Port the cache listens on", GetAtt(_RG, f"{endpoint}.Port"), ("port",)),
        (names.CONNECTION_STRING, "Connection URL for clients (TLS: rediss://)",
         Sub(f"{scheme}://${{{_RG}.{endpoint}.Address}}:${{{_RG}.{endpoint}.Port}}"),
         ("security", "encryption_in_transit")),
        (names.REPLICATION_GROUP_ID, "Replication group id", Ref(_RG), NO_SPEC_KEY),
        (names.REPLICATION_GROUP_ARN, "Replication group ARN", arn(), NO_SPEC_KEY),
    ]


def arn() -> Sub:
    """No GetAtt returns it: built from the id, which Ref returns."""
    return Sub(
        "arn:${AWS::Partition}:elasticache:${AWS::Region}:${AWS::AccountId}:"
        f"replicationgroup:${{{_RG}}}"
    )


def group_outputs(spec: Spec, rg: ReplicationGroup, secondary: bool = False) -> list[OutputRow]:
    """The groups' names: created ones by Ref, existing ones as the spec names them
    (a secondary has no parameter group of its own)."""
    subnets = spec.network.subnet_group_name
    parameters = rg.parameter_group_name
    rows: list[OutputRow] = [
        (names.SUBNET_GROUP_NAME, "Cache subnet group name",
         Ref(names.EXISTING_SUBNET_GROUP_NAME), _SUBNET_GROUP_NAME)
        if subnets else
        (names.SUBNET_GROUP_NAME, "Cache subnet group name", Ref(names.SUBNET_GROUP),
         NO_SPEC_KEY),
        (names.PARAMETER_GROUP_NAME, "Cache parameter group name", parameters,
         ("parameter_group_name",))
        if parameters else
        (names.PARAMETER_GROUP_NAME, "Cache parameter group name", Ref(names.PARAMETER_GROUP),
         NO_SPEC_KEY),
    ]
    return rows[:1] if secondary else rows


def members(spec: Spec, rg: ReplicationGroup) -> tuple[str, ...]:
    """The group's nodes; with exposed replicas (never in cluster mode), every
    node the group can have (alarms add each beyond the first under a
    HasNode<k> Condition; the dashboard graphs them all)."""
    topo = rg.topology
    replicas = MAX_REPLICAS if spec.stack.exposes("replicas") else topo.replicas
    return member_suffixes(topo.shards, replicas, clustered=topo.cluster_mode)


def capacity(rg: ReplicationGroup) -> str:
    """`3 x cache.r6g.large`; in cluster mode `cluster mode, 3 shards of 3 x cache.r6g.large`."""
    topo = rg.topology
    if topo.cluster_mode:
        shards = "1 shard" if topo.shards == 1 else f"{topo.shards} shards"
        return f"cluster mode, {shards} of {topo.nodes_per_shard} x {rg.node_type}"
    return f"{topo.node_count} x {rg.node_type}"
