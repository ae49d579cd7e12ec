"""Shards, replicas, Multi-AZ and failover."""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Diagnostic, error, warning
from ..input.model import ReplicationGroup, Spec
from ..kinds import EC_GUIDE, TERRAFORM_25077, ErrorKind, Stage, WarningKind

MULTI_AZ_NEEDS_REPLICAS = ErrorKind(
    "multi-az-needs-replicas", Stage.RULES, "multi_az: true without a replica.",
    "Multi-AZ means automatic failover, which needs a replica to fail over to; AWS refuses "
    "the group.",
    "Set topology.replicas to 1 or more, or multi_az: false.", EC_GUIDE + "AutoFailover.html",
)


def multi_az_needs_replicas(spec: Spec, rg: ReplicationGroup) -> Iterator[Diagnostic]:
    """Multi-AZ means automatic failover, which needs a replica to fail over to."""
    if rg.topology.multi_az and rg.topology.replicas == 0:
        yield error(
            MULTI_AZ_NEEDS_REPLICAS,
            ("topology", "multi_az"),
            "multi_az: true needs at least one replica (topology.replicas >= 1) to fail "
            "over to",
        )


FAILOVER_NEEDS_REPLICAS = ErrorKind(
    "failover-needs-replicas", Stage.RULES, "automatic_failover: true without a replica.",
    "ElastiCache: automatic failover needs at least 2 cache clusters in the group.",
    "Set topology.replicas to 1 or more, or automatic_failover: false.", TERRAFORM_25077,
)


def failover_needs_replicas(spec: Spec, rg: ReplicationGroup) -> Iterator[Diagnostic]:
    """ElastiCache: "When using automatic failover, there must be at least 2
    cache clusters in the replication group" (hashicorp/terraform#25077).
    Cluster mode is the exception: it requires failover even with no replicas
    (cluster_mode_needs_failover)."""
    topo = rg.topology
    if topo.automatic_failover and topo.replicas == 0 and not topo.cluster_mode:
        yield error(
            FAILOVER_NEEDS_REPLICAS,
            ("topology", "automatic_failover"),
            "automatic_failover: true needs at least one replica (topology.replicas >= 1) to "
            "fail over to",
        )


MULTI_AZ_NEEDS_FAILOVER = ErrorKind(
    "multi-az-needs-failover", Stage.RULES, "multi_az: true with automatic_failover: false.",
    "ElastiCache requires automatic failover for Multi-AZ.",
    "Turn failover on, or set multi_az: false.", EC_GUIDE + "AutoFailover.html",
)


def multi_az_needs_failover(spec: Spec, rg: ReplicationGroup) -> Iterator[Diagnostic]:
    """Multi-AZ is automatic failover across zones: MultiAZEnabled needs
    AutomaticFailoverEnabled (CreateReplicationGroup, MultiAZEnabled)."""
    topo = rg.topology
    if topo.multi_az and not topo.automatic_failover and topo.replicas >= 1:
        yield error(
            MULTI_AZ_NEEDS_FAILOVER,
            ("topology", "multi_az"),
            "multi_az: true needs automatic_failover: true; set multi_az: false for the "
            "version that keeps failover off",
        )


MULTI_AZ_NEEDS_TWO_SUBNETS = ErrorKind(
    "multi-az-needs-two-subnets", Stage.RULES, "multi_az: true with one subnet.",
    "Multi-AZ places nodes in different Availability Zones, so the subnet group needs "
    "subnets in at least two.",
    "List subnets in two or more Availability Zones.", EC_GUIDE + "AutoFailover.html",
)


def multi_az_needs_two_subnets(spec: Spec, rg: ReplicationGroup) -> Iterator[Diagnostic]:
    subnets = spec.network.subnet_ids  # none with an existing subnet group: its own
    if rg.topology.multi_az and len(subnets) == 1:
        yield error(
            MULTI_AZ_NEEDS_TWO_SUBNETS,
            ("network", "subnet_ids"),
            "multi_az: true places nodes in different Availability Zones; list subnets in "
            "at least two of them",
        )


PRODUCTION_WITHOUT_REPLICAS = WarningKind(
    "production-without-replicas", Stage.RULES, "A production cache without replicas.",
    "When its only node fails the cache loses its data and is down until the node is "
    "replaced.",
    "Set topology.replicas: 1 or more.", EC_GUIDE + "AutoFailover.html",
)


def production_without_replicas(spec: Spec, rg: ReplicationGroup) -> Iterator[Diagnostic]:
    if spec.is_production and rg.topology.replicas == 0:
        yield warning(
            PRODUCTION_WITHOUT_REPLICAS,
            ("topology", "replicas"),
            "a production cache without replicas loses all its data and is down until "
            "the node is replaced when the node fails; set replicas: 1 or more",
        )


# Shards.html (https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Shards.html):
# "You can create a cluster with higher number of shards and lower number of
# replicas totaling up to 90 nodes per cluster ... The node or shard limit can
# be increased to a maximum of 500 per cluster if the engine version is Valkey
# 7.2 and higher, or Redis OSS 5.0.6 to 7.1" (cachec's oldest engine is Redis
# 6.0, so 500 applies to every version it builds).
DEFAULT_NODE_QUOTA = 90
MAX_NODES = 500


SHARDS_NEED_CLUSTER_MODE = ErrorKind(
    "shards-need-cluster-mode", Stage.RULES, "More than one shard without cluster mode.",
    "Without cluster mode a replication group has exactly one shard (NumNodeGroups: \"for "
    "cluster mode disabled either omit this parameter or set it to 1\").",
    "Remove cluster_mode: false, or set shards: 1.",
    EC_GUIDE + "Replication.Redis-RedisCluster.html",
)


def shards_need_cluster_mode(spec: Spec, rg: ReplicationGroup) -> Iterator[Diagnostic]:
    """Without cluster mode a replication group has exactly one shard
    (provider schema, NumNodeGroups: "For Redis (cluster mode disabled)
    either omit this parameter or set it to 1")."""
    topo = rg.topology
    if topo.shards > 1 and not topo.cluster_mode:
        yield error(
            SHARDS_NEED_CLUSTER_MODE,
            ("topology", "cluster_mode"),
            f"{topo.shards} shards need cluster mode; remove cluster_mode: false or set "
            "shards: 1",
        )


CLUSTER_MODE_NEEDS_FAILOVER = ErrorKind(
    "cluster-mode-needs-failover", Stage.RULES, "Cluster mode with automatic failover off.",
    "CreateReplicationGroup: AutomaticFailoverEnabled must be enabled for cluster mode "
    "enabled replication groups.",
    "Remove automatic_failover: false.",
    "https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/"
    "API_CreateReplicationGroup.html",
)


def cluster_mode_needs_failover(spec: Spec, rg: ReplicationGroup) -> Iterator[Diagnostic]:
    """CreateReplicationGroup: "AutomaticFailoverEnabled must be enabled for
    Valkey or Redis OSS (cluster mode enabled) replication groups."
    (https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_CreateReplicationGroup.html)"""
    topo = rg.topology
    if topo.cluster_mode and not topo.automatic_failover:
        yield error(
            CLUSTER_MODE_NEEDS_FAILOVER,
            ("topology", "automatic_failover"),
            "cluster mode requires automatic failover; remove automatic_failover: false",
        )


TOO_MANY_CACHE_NODES = ErrorKind(
    "too-many-cache-nodes", Stage.RULES, "More nodes than ElastiCache allows in one cluster.",
    "A cluster holds at most 500 nodes (shards x (1 + replicas)), even with a raised quota.",
    "Use fewer shards or fewer replicas per shard.",
    EC_GUIDE + "Shards.html",
)
NODES_OVER_DEFAULT_QUOTA = WarningKind(
    "nodes-over-default-quota", Stage.RULES,
    "More nodes than ElastiCache's default quota of 90 per cluster.",
    "The quota can be raised to 500, but until it is the create or update fails.",
    "Request the increase (Service Quotas, ElastiCache, \"Nodes per cluster\") in every "
    "target account and region first.",
    EC_GUIDE + "quota-limits.html",
)


def nodes_within_quota(spec: Spec, rg: ReplicationGroup) -> Iterator[Diagnostic]:
    topo = rg.topology
    nodes = topo.node_count
    if nodes > MAX_NODES:
        yield error(
            TOO_MANY_CACHE_NODES,
            ("topology", "shards"),
            f"{topo.shards} shards x {topo.nodes_per_shard} nodes = {nodes} nodes; ElastiCache "
            f"allows at most {MAX_NODES} nodes per cluster: use fewer shards or replicas",
        )
    elif nodes > DEFAULT_NODE_QUOTA:
        yield warning(
            NODES_OVER_DEFAULT_QUOTA,
            ("topology", "shards"),
            f"{nodes} nodes exceed ElastiCache's default quota of {DEFAULT_NODE_QUOTA} nodes "
            "per cluster; request a quota increase (Service Quotas, ElastiCache, \"Nodes per "
            "cluster\") in every target account and region before deploying",
        )
