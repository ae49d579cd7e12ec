"""Node types: known, current, and able to do what the spec asks."""

from __future__ import annotations

from collections.abc import Iterator

from ..catalog import node_types, parameters
from ..diagnostics import Diagnostic, error, warning
from ..model import Spec
from ..validate import did_you_mean

_PATH = ("node_type",)


def node_type_known(spec: Spec) -> Iterator[Diagnostic]:
    node = node_types.lookup(spec.node_type)
    if node is None:
        family = spec.node_type.split(".")[1] if spec.node_type.count(".") == 2 else ""
        if family in node_types.known_families():
            sizes = sorted(
                n.size for n in node_types.NODE_TYPES.values() if n.family == family
            )
            detail = f"cache.{family} comes in sizes {', '.join(sizes)}"
        else:
            detail = f"known families: {', '.join(node_types.known_families())}"
        hint = did_you_mean(spec.node_type, tuple(node_types.NODE_TYPES))
        yield error("unknown-node-type", _PATH, f"unknown node type {spec.node_type!r}{hint}; "
                    f"{detail}")
    elif not node.current_generation:
        yield warning(
            "previous-generation-node",
            _PATH,
            f"{spec.node_type} is a previous-generation node type: more expensive per GiB, "
            "not offered in newer regions, and some features are missing; prefer a "
            "Graviton type such as cache.r7g.large or cache.t4g.small",
        )


def data_tiering(spec: Spec) -> Iterator[Diagnostic]:
    node = node_types.lookup(spec.node_type)
    if node is None:
        return
    path = ("topology", "data_tiering")
    if node.data_tiering and not spec.topology.data_tiering:
        yield error(
            "data-tiering-required",
            path,
            f"{spec.node_type} is a data-tiering (r6gd) node type and requires "
            "data_tiering: true",
        )
    if spec.topology.data_tiering and not node.data_tiering:
        yield error(
            "data-tiering-node-type",
            path,
            f"data tiering needs an r6gd node type (e.g. cache.r6gd.xlarge), not "
            f"{spec.node_type}",
        )
    policy = dict(spec.redis_parameters).get("maxmemory-policy")
    allowed = parameters.DATA_TIERING_MAXMEMORY_POLICIES
    if spec.topology.data_tiering and policy is not None and policy not in allowed:
        yield error(
            "data-tiering-eviction-policy",
            ("redis_parameters", "maxmemory-policy"),
            f"data tiering supports only the maxmemory policies {', '.join(allowed)}; "
            f"got {policy!r}",
        )
    if spec.topology.data_tiering and (spec.engine, spec.engine_version) == ("redis", "6.0"):
        yield error(
            "data-tiering-engine",
            ("engine_version",),
            "data tiering needs Redis OSS 6.2 or later, or Valkey",
        )


def burstable_in_production(spec: Spec) -> Iterator[Diagnostic]:
    node = node_types.lookup(spec.node_type)
    if node is not None and spec.is_production and node.family.startswith("t"):
        yield warning(
            "burstable-in-production",
            _PATH,
            f"{spec.node_type} is a burstable node: once its CPU credits run out it is "
            "throttled; production caches usually run on m- or r-class nodes",
        )
