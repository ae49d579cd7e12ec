"""`cachec import`: a running cache, as the AWS CLI described it, to a spec.

The spec reproduces the cache as closely as cachec can say it, with `adopt:
true` and the existing-resource keys where the cache uses resources cachec
would otherwise create (subnet group, security groups, parameter group, user
group, log destinations), so that its first version imports the cache
(rules/adopt.py) and the update after it changes nothing on it. What the
spec cannot carry is reported (`import-not-carried`, with the reason); what
cannot be adopted in place is refused (`import-not-adoptable`), never
written as a spec whose template would replace or modify the cache.

Field names and values: botocore's ElastiCache model (service-2.json, shapes
ReplicationGroup, CacheCluster, ServerlessCache, UserGroup, User, Parameter),
the properties they meet: the CloudFormation provider schemas of
AWS::ElastiCache::ReplicationGroup and ServerlessCache.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import yaml

from ..catalog import engines
from ..diagnostics import Path, error, warning
from ..kinds import ErrorKind, Stage, WarningKind
from .describe import Located, Output

_IMPORT_GUIDE = "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/resource-import.html"
_EC_API = "https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/"

IMPORT_MISSING_INPUT = ErrorKind(
    "import-missing-input", Stage.IMPORT,
    "`cachec import` was not given the describe output it needs for the cache.",
    "A replication group's port, subnet group, security groups, parameter group and "
    "maintenance window are in describe-cache-clusters' output, not "
    "describe-replication-groups'; a user group's users in describe-users'.",
    "Run the commands docs/adopting.md lists for the cache's shape and pass every output.",
    _EC_API + "API_DescribeCacheClusters.html",
)
IMPORT_AMBIGUOUS = ErrorKind(
    "import-ambiguous", Stage.IMPORT,
    "The describe output holds several caches, or none.",
    "A spec describes one cache: cachec cannot tell which one to adopt.",
    "Describe the one cache (--replication-group-id ID, --serverless-cache-name NAME, "
    "--cache-cluster-id ID for its nodes) and pass that output.",
    _EC_API + "API_DescribeReplicationGroups.html",
)
IMPORT_NOT_ADOPTABLE = ErrorKind(
    "import-not-adoptable", Stage.IMPORT,
    "The running cache cannot be adopted in place.",
    "Its state or a setting cachec cannot express would make the first update modify or "
    "replace the cache (a new endpoint, an empty cache): cachec writes no such spec.",
    "Read the reason: wait for a cache being modified, or change the setting on the cache "
    "first; otherwise keep the cache where it is managed.", _IMPORT_GUIDE,
)
IMPORT_NOT_CARRIED = WarningKind(
    "import-not-carried", Stage.IMPORT,
    "A setting of the running cache the adopted spec does not carry.",
    "The cache keeps it (CloudFormation changes no property the template leaves out), "
    "but the spec does not say it: a later change of it is not cachec's.",
    "Read the reason; where cachec has a key for it, add it in a later version.",
    _IMPORT_GUIDE,
)


@dataclass(frozen=True)
class Adopted:
    """The spec (as data, key order as written), the diagnostics, and comments for its head."""

    spec: dict[str, Any] | None
    problems: tuple[Located, ...]
    notes: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.spec is not None and not any(p.diagnostic.is_error for p in self.problems)


class _Findings:
    def __init__(self) -> None:
        self.problems: list[Located] = []
        self.notes: list[str] = []

    def refuse(self, output: Output, path: Path, kind: ErrorKind, message: str) -> None:
        self.problems.append(Located(output.filename, error(kind, path, message), output.marks))

    def not_carried(self, output: Output, path: Path, message: str) -> None:
        self.problems.append(Located(output.filename, warning(IMPORT_NOT_CARRIED, path, message),
                                     output.marks))
        self.notes.append(message)

    @property
    def failed(self) -> bool:
        return any(p.diagnostic.is_error for p in self.problems)


def adopt(outputs: Sequence[Output], name: str, environment: str) -> Adopted:
    """The adopted spec of the one cache the outputs describe."""
    found = _Findings()
    by_key: dict[str, list[Output]] = {}
    for output in outputs:
        by_key.setdefault(output.key, []).append(output)
    groups = by_key.get("ReplicationGroups", [])
    serverless = by_key.get("ServerlessCaches", [])
    caches = [(o, i) for o in groups for i in range(len(o.items))] + [
        (o, i) for o in serverless for i in range(len(o.items))]
    if len(caches) != 1:
        # Two caches: at the second; none: at the first file given.
        where, path = ((caches[1][0], (caches[1][0].key, caches[1][1])) if caches
                       else (outputs[0], ()))
        found.refuse(where, path, IMPORT_AMBIGUOUS,
                     f"{len(caches)} caches in the describe-replication-groups and "
                     "describe-serverless-caches output given: cachec adopts exactly one")
        return Adopted(None, tuple(found.problems))
    output, index = caches[0]
    spec: dict[str, Any] = {"cachec": 1, "name": name, "environment": environment,
                            "adopt": True}
    if output.key == "ReplicationGroups":
        _replication_group(spec, output, index, by_key, found)
    else:
        _serverless(spec, output, index, by_key, found)
    if found.failed:
        return Adopted(None, tuple(found.problems))
    return Adopted(spec, tuple(found.problems), tuple(found.notes))


def _engine_version(full: str, engine: str) -> str | None:
    """7.1.0 -> 7.1, the version cachec's catalog knows (None: not one it knows)."""
    parts = full.split(".")
    short = ".".join(parts[:2]) if len(parts) > 1 else full
    return short if engines.lookup(engine, short) is not None else None


def _user_group(spec: dict[str, Any], security: dict[str, Any], group_id: str,
                by_key: dict[str, list[Output]], found: _Findings, anchor: Output,
                path: Path) -> None:
    """An existing user group: auth iam when one of its users authenticates by IAM."""
    security["user_group_id"] = group_id
    users = [u for o in by_key.get("Users", []) for u in o.items if isinstance(u, dict)]
    groups = [g for o in by_key.get("UserGroups", []) for g in o.items
              if isinstance(g, dict) and g.get("UserGroupId") == group_id]
    members: set[str] = set()
    if groups:
        group = groups[0]
        members = set(group.get("UserIds") or [])
        if group.get("Engine") and group["Engine"] != spec.get("engine"):
            security["user_group_engine"] = group["Engine"]
    else:
        found.not_carried(anchor, path, f"user group {group_id}: no describe-user-groups output "
                          "for it, so its engine is taken to be the cache's")
    iam = any((u.get("Authentication") or {}).get("Type") == "iam"
              for u in users if not members or u.get("UserId") in members)
    security["auth"] = "iam" if iam else "rbac"
    if not users:
        found.not_carried(anchor, path, f"user group {group_id}: its users stay managed where "
                          "they are (security.user_group_id); without describe-users output "
                          "auth is written as rbac")


def _logs(spec: dict[str, Any], output: Output, path: Path, configs: list[Any],
          found: _Findings) -> None:
    logs: dict[str, Any] = {"slow_log": False, "engine_log": False}
    formats = set()
    for i, config in enumerate(configs):
        if not isinstance(config, dict):
            continue
        key = {engines.SLOW_LOG: "slow_log", engines.ENGINE_LOG: "engine_log"}.get(
            str(config.get("LogType")))
        details = config.get("DestinationDetails") or {}
        if key is None:
            continue
        if config.get("DestinationType") == "cloudwatch-logs":
            logs[key] = {"log_group": (details.get("CloudWatchLogsDetails") or {}).get("LogGroup")}
        elif config.get("DestinationType") == "kinesis-firehose":
            logs[key] = {"firehose": (details.get("KinesisFirehoseDetails") or {}).get(
                "DeliveryStream")}
        else:
            found.refuse(output, (*path, i), IMPORT_NOT_ADOPTABLE,
                         f"log delivery to {config.get('DestinationType')!r}: not a destination "
                         "cachec knows")
            continue
        if config.get("LogFormat"):
            formats.add(config["LogFormat"])
    if len(formats) > 1:
        found.refuse(output, path, IMPORT_NOT_ADOPTABLE, "the slow log and the engine log are "
                     "delivered in different formats; cachec writes one logs.format for both, "
                     "so the first update would change one: deliver both as json or as text")
    elif formats:
        logs["format"] = formats.pop()
    spec["logs"] = logs


def _state(output: Output, path: Path, item: dict[str, Any], status_key: str,
           found: _Findings) -> None:
    status = item.get(status_key)
    if status != "available":
        found.refuse(output, (*path, status_key), IMPORT_NOT_ADOPTABLE,
                     f"the cache is {status!r}: CloudFormation imports a cache that is "
                     "available (not being created, modified or deleted); wait and describe "
                     "it again")
    pending = item.get("PendingModifiedValues")
    if isinstance(pending, dict) and pending:
        found.refuse(output, (*path, "PendingModifiedValues"), IMPORT_NOT_ADOPTABLE,
                     f"modifications are pending ({', '.join(sorted(pending))}): the template "
                     "would describe the cache before them; apply them (or cancel) first")


def _replication_group(spec: dict[str, Any], output: Output, index: int,
                       by_key: dict[str, list[Output]], found: _Findings) -> None:
    rg: dict[str, Any] = output.items[index]
    base: Path = ("ReplicationGroups", index)
    group_id = str(rg.get("ReplicationGroupId"))
    _state(output, base, rg, "Status", found)
    if (rg.get("GlobalReplicationGroupInfo") or {}).get("GlobalReplicationGroupId"):
        found.refuse(output, (*base, "GlobalReplicationGroupInfo"), IMPORT_NOT_ADOPTABLE,
                     "a member of a global datastore: cachec compiles one regional cache "
                     "and would drop GlobalReplicationGroupId (create-only: a replacement)")
    if rg.get("MemberClustersOutpostArns"):
        found.refuse(output, (*base, "MemberClustersOutpostArns"), IMPORT_NOT_ADOPTABLE,
                     "a cache on AWS Outposts: cachec has no key for PreferredOutpostArn")
    if rg.get("AuthTokenEnabled"):
        found.refuse(output, (*base, "AuthTokenEnabled"), IMPORT_NOT_ADOPTABLE,
                     "an AUTH token cache: the token is not in any describe output, and "
                     "cachec would set a new one from a secret it creates (AuthToken); "
                     "move the cache to a user group first (ModifyReplicationGroup "
                     "AuthTokenUpdateStrategy DELETE with UserGroupIdsToAdd)")
    if rg.get("ClusterMode") == "compatible":
        found.refuse(output, (*base, "ClusterMode"), IMPORT_NOT_ADOPTABLE,
                     "cluster mode 'compatible' is a step of a migration: cachec writes "
                     "ClusterMode enabled or none; finish the migration first")
    clusters = [(o, i, c) for o in by_key.get("CacheClusters", [])
                for i, c in enumerate(o.items)
                if isinstance(c, dict) and c.get("ReplicationGroupId") == group_id]
    if not clusters:
        found.refuse(output, (*base, "MemberClusters"), IMPORT_MISSING_INPUT,
                     f"no describe-cache-clusters output for the nodes of {group_id}: run "
                     "aws elasticache describe-cache-clusters --show-cache-node-info and pass "
                     "its output too")
        return
    node_output, node_index, node = clusters[0]
    node_path: Path = ("CacheClusters", node_index)
    engine = str(rg.get("Engine") or node.get("Engine") or "redis")
    spec["description"] = rg.get("Description") or ""
    spec["engine"] = engine
    version = _engine_version(str(node.get("EngineVersion")), engine)
    if version is None:
        found.refuse(node_output, (*node_path, "EngineVersion"), IMPORT_NOT_ADOPTABLE,
                     f"{engine} {node.get('EngineVersion')} is not a version cachec builds "
                     f"({', '.join(engines.versions_of(engine))}): upgrade "
                     "the cache in place first")
        return
    spec["engine_version"] = version
    spec["node_type"] = rg.get("CacheNodeType") or node.get("CacheNodeType")
    spec["replication_group_id"] = group_id
    port = _port(rg, node)
    if port is not None:
        spec["port"] = port
    node_groups = [g for g in rg.get("NodeGroups") or [] if isinstance(g, dict)]
    clustered = bool(rg.get("ClusterEnabled"))
    topology: dict[str, Any] = {}
    if clustered:
        sizes = {len(g.get("NodeGroupMembers") or []) for g in node_groups}
        if len(sizes) != 1:
            found.refuse(output, (*base, "NodeGroups"), IMPORT_NOT_ADOPTABLE,
                         "shards with different numbers of replicas: cachec writes one "
                         "ReplicasPerNodeGroup for every shard")
            return
        topology["shards"] = len(node_groups)
        topology["replicas"] = sizes.pop() - 1
        topology["cluster_mode"] = True
    else:
        topology["replicas"] = max(len(rg.get("MemberClusters") or []) - 1, 0)
    topology["automatic_failover"] = rg.get("AutomaticFailover") == "enabled"
    topology["multi_az"] = rg.get("MultiAZ") == "enabled"
    if rg.get("DataTiering") == "enabled":
        topology["data_tiering"] = True
    spec["topology"] = topology
    if rg.get("AutomaticFailover") in ("enabling", "disabling"):
        found.refuse(output, (*base, "AutomaticFailover"), IMPORT_NOT_ADOPTABLE,
                     f"automatic failover is {rg['AutomaticFailover']}: wait until it is done")
    network: dict[str, Any] = {"subnet_group_name": node.get("CacheSubnetGroupName")}
    _security_groups(network, node_output, (*node_path, "SecurityGroups"),
                     [g.get("SecurityGroupId") for g in node.get("SecurityGroups") or []
                      if isinstance(g, dict)], found)
    _network_type(network, rg)
    spec["network"] = network
    security: dict[str, Any] = {
        "encryption_at_rest": bool(rg.get("AtRestEncryptionEnabled")),
        "encryption_in_transit": bool(rg.get("TransitEncryptionEnabled")),
    }
    if rg.get("KmsKeyId"):
        security["kms_key_id"] = rg["KmsKeyId"]
    if rg.get("TransitEncryptionMode") and rg.get("TransitEncryptionEnabled"):
        security["transit_encryption_mode"] = rg["TransitEncryptionMode"]
    user_groups = rg.get("UserGroupIds") or []
    if len(user_groups) > 1:
        found.refuse(output, (*base, "UserGroupIds"), IMPORT_NOT_ADOPTABLE,
                     "more than one user group: cachec names one (security.user_group_id)")
    elif user_groups:
        _user_group(spec, security, str(user_groups[0]), by_key, found, output,
                    (*base, "UserGroupIds"))
    elif not rg.get("AuthTokenEnabled"):
        security["auth"] = "none"
    spec["security"] = security
    group = (node.get("CacheParameterGroup") or {}).get("CacheParameterGroupName")
    spec["parameter_group_name"] = group
    _parameters(by_key, found, str(group))
    retention = int(rg.get("SnapshotRetentionLimit") or 0)
    backups: dict[str, Any] = {"retention_days": retention}
    if retention and rg.get("SnapshotWindow"):
        backups["window"] = rg["SnapshotWindow"]
    spec["backups"] = backups
    if node.get("PreferredMaintenanceWindow"):
        spec["maintenance_window"] = node["PreferredMaintenanceWindow"]
    if "AutoMinorVersionUpgrade" in rg or "AutoMinorVersionUpgrade" in node:
        spec["auto_minor_version_upgrade"] = bool(
            rg.get("AutoMinorVersionUpgrade", node.get("AutoMinorVersionUpgrade")))
    _logs(spec, output, (*base, "LogDeliveryConfigurations"),
          list(rg.get("LogDeliveryConfigurations") or []), found)
    topic = (node.get("NotificationConfiguration") or {}).get("TopicArn")
    if topic:
        spec["monitoring"] = {"event_topic_arn": topic}
    if rg.get("SnapshottingClusterId"):
        found.not_carried(output, (*base, "SnapshottingClusterId"),
                          f"snapshots are taken from {rg['SnapshottingClusterId']}: cachec "
                          "has no key for SnapshottingClusterId, so ElastiCache keeps choosing")
    found.not_carried(node_output, (*node_path, "PreferredAvailabilityZone"),
                      "the nodes' availability zones: they stay where they run "
                      "(PreferredCacheClusterAZs is create-only, and left out the template "
                      "changes nothing)")
    _tags(found, output)


def _port(rg: dict[str, Any], node: dict[str, Any]) -> int | None:
    endpoints = [rg.get("ConfigurationEndpoint")] + [
        g.get("PrimaryEndpoint") for g in rg.get("NodeGroups") or [] if isinstance(g, dict)
    ] + [n.get("Endpoint") for n in node.get("CacheNodes") or [] if isinstance(n, dict)]
    for endpoint in endpoints:
        if isinstance(endpoint, dict) and isinstance(endpoint.get("Port"), int):
            return int(endpoint["Port"])
    return None


def _security_groups(network: dict[str, Any], output: Output, path: Path,
                     ids: list[Any], found: _Findings) -> None:
    if not ids:
        found.refuse(output, path, IMPORT_NOT_ADOPTABLE,
                     "no security group: cachec attaches the cache to named security groups "
                     "(the VPC's default group would admit every member of it)")
        return
    network["security_group_ids"] = [str(i) for i in ids]
    network["create_security_group"] = False


def _network_type(network: dict[str, Any], item: dict[str, Any]) -> None:
    if item.get("NetworkType") in ("ipv6", "dual_stack"):
        network["network_type"] = item["NetworkType"]
        if item.get("IpDiscovery"):
            network["ip_discovery"] = item["IpDiscovery"]


def _parameters(by_key: dict[str, list[Output]], found: _Findings, group: str) -> None:
    """describe-cache-parameters: the group keeps its values; name the ones set by hand."""
    for output in by_key.get("Parameters", []):
        changed = sorted(
            f"{p.get('ParameterName')}={p.get('ParameterValue')}" for p in output.items
            if isinstance(p, dict) and p.get("Source") == "user"
        )
        if changed:
            found.not_carried(output, ("Parameters",),
                              f"parameter group {group} keeps its values set by hand "
                              f"({', '.join(changed)}): the spec names the group "
                              "(parameter_group_name); redis_parameters would make a new one, "
                              "a change for a later version")


def _tags(found: _Findings, output: Output) -> None:
    found.not_carried(output, (), "tags: no describe output lists them (aws elasticache "
                      "list-tags-for-resource does); the template tags the cache with the "
                      "spec's tags and cachec:name, cachec:environment")


def _serverless(spec: dict[str, Any], output: Output, index: int,
                by_key: dict[str, list[Output]], found: _Findings) -> None:
    cache: dict[str, Any] = output.items[index]
    base: Path = ("ServerlessCaches", index)
    _state(output, base, cache, "Status", found)
    cache_name = str(cache.get("ServerlessCacheName"))
    stack = f"{spec['name']}-{spec['environment']}"
    if cache_name != stack:
        found.refuse(output, (*base, "ServerlessCacheName"), IMPORT_NOT_ADOPTABLE,
                     f"cachec names a serverless cache <name>-<environment> ({stack}), and "
                     f"the name is create-only: import {cache_name} with --name and "
                     "--environment that spell it")
    engine = str(cache.get("Engine") or "redis")
    spec["description"] = cache.get("Description") or ""
    spec["engine"] = engine
    spec["engine_version"] = str(cache.get("MajorEngineVersion"))
    serverless: dict[str, Any] = {}
    limits = cache.get("CacheUsageLimits") or {}
    storage, ecpu = limits.get("DataStorage") or {}, limits.get("ECPUPerSecond") or {}
    for key, value in (("max_data_storage_gb", storage.get("Maximum")),
                       ("min_data_storage_gb", storage.get("Minimum")),
                       ("max_ecpu_per_second", ecpu.get("Maximum")),
                       ("min_ecpu_per_second", ecpu.get("Minimum"))):
        if value is not None:
            serverless[key] = value
    if storage and storage.get("Unit", "GB") != "GB":
        found.refuse(output, (*base, "CacheUsageLimits", "DataStorage", "Unit"),
                     IMPORT_NOT_ADOPTABLE, "a data storage limit not in GB: cachec writes GB")
    retention = int(cache.get("SnapshotRetentionLimit") or 0)
    if retention and cache.get("DailySnapshotTime"):
        serverless["daily_snapshot_time"] = cache["DailySnapshotTime"]
    spec["serverless"] = serverless
    network: dict[str, Any] = {"subnet_ids": [str(s) for s in cache.get("SubnetIds") or []]}
    _security_groups(network, output, (*base, "SecurityGroupIds"),
                     list(cache.get("SecurityGroupIds") or []), found)
    _network_type(network, cache)
    spec["network"] = network
    security: dict[str, Any] = {}
    if cache.get("KmsKeyId"):
        security["kms_key_id"] = cache["KmsKeyId"]
    if cache.get("UserGroupId"):
        _user_group(spec, security, str(cache["UserGroupId"]), by_key, found, output,
                    (*base, "UserGroupId"))
    else:
        security["auth"] = "none"
    spec["security"] = security
    spec["backups"] = {"retention_days": retention}
    _tags(found, output)


def spec_text(adopted: Adopted, sources: Sequence[str]) -> str:
    """The spec file: a head saying where it came from and what it leaves out, then the keys."""
    assert adopted.spec is not None
    head = [
        "# yaml-language-server: $schema=../schemas/cachec-spec-v1.schema.json",
        "# Written by `cachec import` from the AWS CLI's describe output:",
        *(f"#   {s}" for s in sources),
        "# adopt: true makes the first version an IMPORT change set of the running",
        "# cache (docs/adopting.md). Not carried:",
        *(f"#   - {n}" for n in adopted.notes),
    ]
    body = yaml.safe_dump(adopted.spec, sort_keys=False, default_flow_style=False,
                          allow_unicode=True, width=2**31 - 1)
    return "\n".join(head) + "\n" + body
