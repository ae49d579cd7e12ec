"""Replicas, Multi-AZ and failover."""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Diagnostic, error, warning
from ..model import Spec


def multi_az_needs_replicas(spec: Spec) -> Iterator[Diagnostic]:
    """Multi-AZ means automatic failover, which needs a replica to fail over to."""
    if spec.deployment.topology.multi_az and spec.deployment.topology.replicas == 0:
        yield error(
            "multi-az-needs-replicas",
            ("topology", "multi_az"),
            "multi_az: true needs at least one replica (topology.replicas >= 1) to fail "
            "over to",
        )


def failover_needs_replicas(spec: Spec) -> Iterator[Diagnostic]:
    """ElastiCache: "When using automatic failover, there must be at least 2
    cache clusters in the replication group" (hashicorp/terraform#25077)."""
    if spec.deployment.topology.automatic_failover and spec.deployment.topology.replicas == 0:
        yield error(
            "failover-needs-replicas",
            ("topology", "automatic_failover"),
            "automatic_failover: true needs at least one replica (topology.replicas >= 1) to "
            "fail over to",
        )


def multi_az_needs_failover(spec: Spec) -> Iterator[Diagnostic]:
    """Multi-AZ is automatic failover across zones: MultiAZEnabled needs
    AutomaticFailoverEnabled (CreateReplicationGroup, MultiAZEnabled)."""
    topo = spec.deployment.topology
    if topo.multi_az and not topo.automatic_failover and topo.replicas >= 1:
        yield error(
            "multi-az-needs-failover",
            ("topology", "multi_az"),
            "multi_az: true needs automatic_failover: true; set multi_az: false for the "
            "version that keeps failover off",
        )


def multi_az_needs_two_subnets(spec: Spec) -> Iterator[Diagnostic]:
    subnets = spec.network.subnet_ids
    if spec.deployment.topology.multi_az and len(subnets) == 1:
        yield error(
            "multi-az-needs-two-subnets",
            ("network", "subnet_ids"),
            "multi_az: true places nodes in different Availability Zones; list subnets in "
            "at least two of them",
        )


def production_without_replicas(spec: Spec) -> Iterator[Diagnostic]:
    if spec.is_production and spec.deployment.topology.replicas == 0:
        yield warning(
            "production-without-replicas",
            ("topology", "replicas"),
            "a production cache without replicas loses all its data and is down until "
            "the node is replaced when the node fails; set replicas: 1 or more",
        )
