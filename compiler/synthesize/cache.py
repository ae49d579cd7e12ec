"""The cache itself: subnet group, parameter group, replication group."""

from __future__ import annotations

from typing import Any

from troposphere import GetAtt, Ref, Template, elasticache

from ..model import Spec
from . import auth, exposed, logs, names
from .tags import tags


def add_subnet_group(template: Template, spec: Spec) -> None:
    # No CacheSubnetGroupName: a generated name never collides between stacks,
    # and renaming a subnet group would replace the replication group.
    template.add_resource(
        elasticache.SubnetGroup(
            names.SUBNET_GROUP,
            Description=f"cachec {spec.stack_name}",
            SubnetIds=Ref(names.SUBNET_IDS),
            Tags=tags(spec),
        )
    )


def add_parameter_group(template: Template, spec: Spec) -> None:
    info = spec.version_info
    assert info is not None, "rules reject unknown engine versions before synthesis"
    # The family is create-only, but the group's name is generated, so a
    # family change (engine upgrade) is create-before-delete: safe.
    overrides = {"Properties": dict(spec.redis_parameters)} if spec.redis_parameters else {}
    template.add_resource(
        elasticache.ParameterGroup(
            names.PARAMETER_GROUP,
            CacheParameterGroupFamily=info.family,
            Description=f"cachec {spec.stack_name} ({info.family})",
            **overrides,
            Tags=tags(spec),
        )
    )


def add_replication_group(template: Template, spec: Spec) -> None:
    sec = spec.security
    topo = spec.topology
    props: dict[str, Any] = {
        "ReplicationGroupDescription": spec.description,
        "Engine": spec.engine,
        "EngineVersion": exposed.value(spec, "engine_version", spec.engine_version),
        "CacheNodeType": exposed.value(spec, "node_type", spec.node_type),
        "NumCacheClusters": exposed.node_count(spec),
        "AutomaticFailoverEnabled": topo.automatic_failover,
        "MultiAZEnabled": topo.multi_az,
        "Port": spec.port,
        "CacheSubnetGroupName": Ref(names.SUBNET_GROUP),
        "CacheParameterGroupName": Ref(names.PARAMETER_GROUP),
        "SecurityGroupIds": [GetAtt(names.SECURITY_GROUP, "GroupId")],
        # Security settings stay literal (no Conditions) so reviewers and
        # scanners such as checkov see exactly what is deployed.
        "AtRestEncryptionEnabled": sec.encryption_at_rest,
        # Always explicit: Valkey requires it (cfn-lint E3704), and an
        # explicit false documents the choice.
        "TransitEncryptionEnabled": sec.encryption_in_transit,
        "PreferredMaintenanceWindow": spec.maintenance_window,
        "SnapshotRetentionLimit": exposed.value(
            spec, "backups.retention_days", spec.backups.retention_days
        ),
        "AutoMinorVersionUpgrade": True,
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
    if spec.backups.retention_days or spec.stack.exposes("backups.retention_days"):
        props["SnapshotWindow"] = spec.backups.window
    if topo.data_tiering:
        props["DataTieringEnabled"] = True
    if spec.backups.restore_snapshot_name:
        props["SnapshotName"] = Ref(names.RESTORE_SNAPSHOT_NAME)
    if spec.backups.restore_s3_arns:
        props["SnapshotArns"] = Ref(names.RESTORE_SNAPSHOT_ARNS)
    if spec.logs.types:
        props["LogDeliveryConfigurations"] = logs.log_delivery(spec)
    props["Tags"] = tags(spec)

    policy = "Snapshot" if spec.backups.final_snapshot else "Delete"
    template.add_resource(
        elasticache.ReplicationGroup(
            names.REPLICATION_GROUP,
            DeletionPolicy=policy,
            UpdateReplacePolicy=policy,
            **props,
        )
    )
