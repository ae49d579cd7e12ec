"""What each deployment shape contributes to the template, chosen in one place.

`shape_of` is the only `match` over the model's Deployment union: a new shape
adds a case here and a module beside replication_group.py and serverless.py,
and mypy's exhaustiveness check (`assert_never`) fails until it does.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, assert_never

from troposphere import Template

from ..input.model import ReplicationGroup, Serverless, Spec
from . import alarms, dashboard, replication_group, serverless

OutputRow = replication_group.OutputRow


@dataclass(frozen=True)
class Shape:
    # Resources that come before the secret and log groups (subnet and
    # parameter groups), then the cache itself: the order the template shows.
    add_groups: Callable[[Template], None]
    add_cache: Callable[[Template], None]
    endpoint_outputs: Callable[[], list[OutputRow]]  # endpoints, port, ids
    group_outputs: Callable[[], list[OutputRow]]  # names of the shape's own groups
    # CacheClusterId suffixes of every member node, `${ReplicationGroup}-<suffix>`;
    # none for serverless (its metrics are per cache).
    members: tuple[str, ...]
    # The alarms over the shape's metrics (given the alarm actions): their logical ids.
    add_alarms: Callable[[Template, Any], list[str]]
    add_dashboard: Callable[[Template], None]
    ports: tuple[int, int]  # the TCP port range clients connect to
    multi_az: bool
    runs_on: str  # the template description's "on ...": the node type
    capacity: str  # "3 x cache.t3.micro", for the Summary output
    arn: Callable[[], object]  # the cache's ARN (IAM policies name it)
    # The address clients connect to (a `dns` record points at it).
    client_endpoint: Callable[[], object]


def shape_of(spec: Spec, secondary: bool = False) -> Shape:
    """`secondary`: a global datastore's secondary region (replication groups only)."""
    deployment = spec.deployment
    match deployment:
        case ReplicationGroup():
            rg = deployment
            members = replication_group.members(spec, rg)
            return Shape(
                add_groups=lambda t: replication_group.add_groups(t, spec, rg, secondary),
                add_cache=lambda t: replication_group.add_replication_group(
                    t, spec, rg, secondary),
                endpoint_outputs=lambda: replication_group.endpoint_outputs(spec, rg),
                group_outputs=lambda: replication_group.group_outputs(spec, rg, secondary),
                members=members,
                add_alarms=lambda t, actions: alarms.add_alarms(t, spec, rg, members, actions),
                add_dashboard=lambda t: dashboard.add_dashboard(t, spec, rg, members),
                ports=(rg.port, rg.port),
                multi_az=rg.topology.multi_az,
                runs_on=rg.node_type,
                capacity=replication_group.capacity(rg),
                arn=replication_group.arn,
                client_endpoint=lambda: replication_group.client_endpoint(rg),
            )
        case Serverless():
            assert not secondary, "rules refuse a global datastore on serverless"
            sls = deployment
            return Shape(
                add_groups=lambda t: None,
                add_cache=lambda t: serverless.add_serverless_cache(t, spec, sls),
                endpoint_outputs=serverless.endpoint_outputs,
                group_outputs=list,
                members=(),
                add_alarms=lambda t, actions: alarms.add_serverless_alarms(t, spec, actions),
                add_dashboard=lambda t: dashboard.add_serverless_dashboard(t, spec),
                ports=serverless.PORTS,
                # "ElastiCache Serverless automatically stores data redundantly across
                # three Availability Zones" (https://docs.aws.amazon.com/
                # AmazonElastiCache/latest/dg/WhatIs.deployment.html).
                multi_az=True,
                runs_on="serverless",
                capacity=serverless.capacity(sls),
                arn=serverless.arn,
                client_endpoint=serverless.client_endpoint,
            )
        case _:
            assert_never(deployment)
