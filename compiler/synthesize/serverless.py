"""The serverless shape: AWS::ElastiCache::ServerlessCache, its endpoint Outputs.

No subnet group and no parameter group: the cache takes SubnetIds and
SecurityGroupIds itself, and ElastiCache manages its configuration. Facts
from the provider schema (cfn-lint PROVIDER_SCHEMA_MANAGER, us-east-1,
AWS::ElastiCache::ServerlessCache): required ServerlessCacheName and Engine;
createOnly ServerlessCacheName, KmsKeyId, SnapshotArnsToRestore, SubnetIds,
NetworkType, ConnectionType; writeOnly FinalSnapshotName; GetAtt
Endpoint.Address/Port, ReaderEndpoint.Address/Port and ARN; Ref returns the
name (primaryIdentifier ServerlessCacheName).
"""

from __future__ import annotations

from typing import Any

from troposphere import GetAtt, Join, Ref, Select, Split, Sub, Template, elasticache

from ..input.model import Serverless, Spec
from ..vocabulary import names, resource_names
from . import network, users
from .provenance import add_resource
from .replication_group import OutputRow
from .tags import tags

_SC = names.SERVERLESS_CACHE

# Writes go to the endpoint on 6379, reads from replicas to the reader
# endpoint on 6380 (a serverless cache's Endpoint and ReaderEndpoint; the
# DescribeServerlessCaches output in GuanceCloud/guance-docs,
# docs/en-ai/integrations/aws_elasticache_serverless.md, shows Port 6379 and
# 6380). The security group admits both.
PORTS = (6379, 6380)

_FINAL_SNAPSHOT = ("backups", "final_snapshot")
# The spec key each property and attribute comes from; the cache as a whole,
# and its usage limits, come from `serverless`.
_SOURCES = {
    "ServerlessCacheName": ("name",),
    "Description": ("description",),
    "Engine": ("engine",),
    "MajorEngineVersion": ("engine_version",),
    "SubnetIds": ("network", "subnet_ids"),
    "SecurityGroupIds": ("network",),
    "SnapshotRetentionLimit": ("backups", "retention_days"),
    "DailySnapshotTime": ("serverless", "daily_snapshot_time"),
    "NetworkType": ("network", "network_type"),
    "KmsKeyId": ("security", "kms_key_id"),
    "UserGroupId": ("security", "auth"),
    "FinalSnapshotName": _FINAL_SNAPSHOT,
    "SnapshotArnsToRestore": ("serverless", "restore_from"),
    "Tags": ("tags",),
    "DeletionPolicy": _FINAL_SNAPSHOT,
    "UpdateReplacePolicy": _FINAL_SNAPSHOT,
}


def cache_name(spec: Spec) -> str:
    """ServerlessCacheName: `<name>-<environment>`, lower case like the spec.

    A literal rather than ${AWS::StackName}: ElastiCache stores the name in
    lower case ("This parameter is stored as a lowercase string",
    CreateServerlessCache), and stack names may have capitals, so metric
    dimensions built from the stack name could miss the cache. The name is
    create-only: changing `name` or `environment` replaces the cache."""
    return resource_names.serverless_cache_name(spec.stack_name)


def _final_snapshot_name(spec: Spec) -> Join:
    """`<cache name>-final-<8 hex of the stack id>`: snapshot names are unique
    per account and Region, so a name from the cache name alone would make the
    second deletion of a same-named cache fail; the stack id's UUID differs
    per stack (arn:...:stack/<name>/<uuid>)."""
    uuid = Select(2, Split("/", Ref("AWS::StackId")))
    return Join(
        "-", [cache_name(spec), resource_names.FINAL_SNAPSHOT_INFIX, Select(0, Split("-", uuid))]
    )


def _usage_limits(sls: Serverless) -> elasticache.CacheUsageLimits | None:
    limits: dict[str, Any] = {}
    storage = {k: v for k, v in (("Minimum", sls.min_data_storage_gb),
                                 ("Maximum", sls.max_data_storage_gb)) if v is not None}
    if storage:
        limits["DataStorage"] = elasticache.DataStorage(**storage, Unit="GB")
    ecpu = {k: v for k, v in (("Minimum", sls.min_ecpu_per_second),
                              ("Maximum", sls.max_ecpu_per_second)) if v is not None}
    if ecpu:
        limits["ECPUPerSecond"] = elasticache.ECPUPerSecond(**ecpu)
    return elasticache.CacheUsageLimits(**limits) if limits else None


def add_serverless_cache(template: Template, spec: Spec, sls: Serverless) -> None:
    sec = spec.security
    props: dict[str, Any] = {
        "ServerlessCacheName": cache_name(spec),
        "Description": spec.description[:255],  # CreateServerlessCache: at most 255
        "Engine": spec.engine,
        "MajorEngineVersion": spec.engine_version,
        "SubnetIds": Ref(names.SUBNET_IDS),
        "SecurityGroupIds": network.cache_security_groups(spec),
        "SnapshotRetentionLimit": spec.backups.retention_days,
    }
    limits = _usage_limits(sls)
    if limits is not None:
        props["CacheUsageLimits"] = limits
    if spec.backups.retention_days:
        props["DailySnapshotTime"] = sls.daily_snapshot_time
    if spec.network.network_type != "ipv4":
        # Create-only, like on a replication group: only when not the default.
        props["NetworkType"] = spec.network.network_type
    if sec.kms_key_id:
        # A Parameter, like on a replication group: key ARNs are per account
        # and region (template/declared.py).
        props["KmsKeyId"] = Ref(names.KMS_KEY_ID)
    if sec.user_group:
        props["UserGroupId"] = users.user_group_ids(spec)[0]
    if sls.restore_from:
        # A Parameter: snapshots are regional (rules.serverless,
        # restore_in_the_snapshots_region). Create-only: a change replaces the cache.
        props["SnapshotArnsToRestore"] = Ref(names.SNAPSHOT_ARNS_TO_RESTORE)
    if spec.backups.final_snapshot:
        props["FinalSnapshotName"] = _final_snapshot_name(spec)
    props["Tags"] = tags(spec)
    # DeletionPolicy Snapshot is not supported on ServerlessCache (CloudFormation
    # DeletionPolicy attribute: Snapshot works for "AWS::ElastiCache::CacheCluster,
    # AWS::ElastiCache::ReplicationGroup" among others, not ServerlessCache);
    # FinalSnapshotName takes the snapshot on delete. Both policies explicit
    # for cfn-lint I3011.
    add_resource(
        template,
        elasticache.ServerlessCache(
            _SC, DeletionPolicy="Delete", UpdateReplacePolicy="Delete", **props
        ),
        ("serverless",),
        {**_SOURCES, "UserGroupId": ("security", "user_group_id")}
        if sec.user_group_id else _SOURCES,
    )


def endpoint_outputs() -> list[OutputRow]:
    """TLS is always on for serverless: rediss:// on the write endpoint."""
    return [
        # "ElastiCache Serverless runs ... in cluster mode and is only compatible
        # with clients that support TLS" (WhatIs.corecomponents.html).
        (names.ENDPOINT, "Endpoint address (reads and writes; a cluster-mode client with "
         "TLS)",
         GetAtt(_SC, "Endpoint.Address"), ("serverless",)),
        # Keys a serverless spec does not have, as the hand-kept table had
        # them (shared with the replication group's Outputs of the same name).
        (names.READER_ENDPOINT, "Reader endpoint address (reads from replicas, port 6380)",
         GetAtt(_SC, "ReaderEndpoint.Address"), ("topology", "replicas")),
        # Its key is the replication group's (the table has one row per Output).
        (names.CLIENT_ENDPOINT, "Where clients connect, whatever the topology (the "
         f"{names.ENDPOINT} address)", GetAtt(_SC, "Endpoint.Address"),
         ("topology", "cluster_mode")),
        (names.PORT, "Port of the endpoint", GetAtt(_SC, "Endpoint.Port"), ("port",)),
        (names.CONNECTION_STRING, "Connection URL for clients (TLS: rediss://)",
         Sub(f"rediss://${{{_SC}.Endpoint.Address}}:${{{_SC}.Endpoint.Port}}"),
         ("security", "encryption_in_transit")),
        (names.SERVERLESS_CACHE_NAME, "Serverless cache name", Ref(_SC), ("name",)),
        (names.SERVERLESS_CACHE_ARN, "Serverless cache ARN", arn(), ("name",)),
    ]


def client_endpoint() -> GetAtt:
    return GetAtt(_SC, "Endpoint.Address")


def arn() -> GetAtt:
    """arn:<partition>:elasticache:<region>:<account>:serverlesscache:<name>."""
    return GetAtt(_SC, "ARN")


def capacity(sls: Serverless) -> str:
    """`serverless, up to 10 GB and 5000 ECPU/s`."""
    limits = [f"{sls.max_data_storage_gb} GB" if sls.max_data_storage_gb else None,
              f"{sls.max_ecpu_per_second} ECPU/s" if sls.max_ecpu_per_second else None]
    given = [x for x in limits if x]
    return f"serverless, up to {' and '.join(given)}" if given else "serverless, no limits"
