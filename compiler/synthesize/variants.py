"""What each deployment shape contributes to the template, chosen in one place.

`shape_of` is the only `match` over the model's Deployment union: a new shape
(serverless) adds a case here and a module beside replication_group.py, and
mypy's exhaustiveness check (`assert_never`) fails until it does.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import assert_never

from troposphere import Template

from ..model import ReplicationGroup, Spec
from . import replication_group

OutputRow = replication_group.OutputRow


@dataclass(frozen=True)
class Shape:
    # Resources that come before the secret and log groups (subnet and
    # parameter groups), then the cache itself: the order the template shows.
    add_groups: Callable[[Template], None]
    add_cache: Callable[[Template], None]
    endpoint_outputs: Callable[[], list[OutputRow]]  # endpoints, port, ids
    group_outputs: Callable[[], list[OutputRow]]  # names of the shape's own groups
    # CacheClusterId suffixes of every member node, `${ReplicationGroup}-<suffix>`.
    members: tuple[str, ...]
    runs_on: str  # the template description's "on ...": the node type
    capacity: str  # "3 x cache.t3.micro", for the Summary output
    arn: Callable[[], object]  # the cache's ARN (IAM policies name it)


def shape_of(spec: Spec) -> Shape:
    deployment = spec.deployment
    match deployment:
        case ReplicationGroup():
            rg = deployment
            return Shape(
                add_groups=lambda t: replication_group.add_groups(t, spec, rg),
                add_cache=lambda t: replication_group.add_replication_group(t, spec, rg),
                endpoint_outputs=lambda: replication_group.endpoint_outputs(spec, rg),
                group_outputs=replication_group.group_outputs,
                members=replication_group.members(spec, rg),
                runs_on=rg.node_type,
                capacity=replication_group.capacity(rg),
                arn=replication_group.arn,
            )
        case _:
            assert_never(deployment)
