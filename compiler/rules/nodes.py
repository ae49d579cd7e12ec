"""Node types: known, current, and able to do what the spec asks."""

from __future__ import annotations

from collections.abc import Iterator

from ..catalog import node_types, parameters
from ..diagnostics import Diagnostic, did_you_mean, error, warning
from ..input.model import ReplicationGroup, Spec
from ..kinds import EC_GUIDE, ErrorKind, Stage, WarningKind

_PATH = ("node_type",)


UNKNOWN_NODE_TYPE = ErrorKind(
    "unknown-node-type", Stage.RULES, "The node type is not an ElastiCache node type.",
    "CloudFormation would fail the create late; the message suggests the nearest type.",
    "Use a type from the current families listed in the message.",
    EC_GUIDE + "CacheNodes.SupportedTypes.html",
)
PREVIOUS_GENERATION_NODE = ErrorKind(
    "previous-generation-node", Stage.RULES, "The node type is of a previous generation.",
    "AWS no longer creates caches on previous-generation types, and cfn-lint does not check "
    "replication-group node types, so the deploy would be the first to say so.",
    "Choose a current type (e.g. cache.t4g.small, cache.r7g.large); an existing cache "
    "moves in place.",
    "https://aws.amazon.com/elasticache/previous-generation/",
)


def node_type_known(spec: Spec, rg: ReplicationGroup) -> Iterator[Diagnostic]:
    node = node_types.lookup(rg.node_type)
    if node is None:
        # The schema's pattern guarantees 3 parts.
        _, family, size = rg.node_type.split(".")
        if family in node_types.known_families():
            members = sorted(
                (n for n in node_types.NODE_TYPES.values() if n.family == family),
                key=lambda n: (n.vcpus, n.memory_gib),
            )
            sizes = [n.size for n in members]
            # Suggest a size of the family the user chose, not a look-alike
            # name from another family (r7g.medium is not t4g.medium).
            hint = did_you_mean(size, sizes).replace("'", f"'cache.{family}.", 1)
            detail = f"cache.{family} comes in sizes {', '.join(sizes)}"
        else:
            families = sorted({t.family for t in node_types.NODE_TYPES.values()
                               if t.current_generation})
            # Compare family names alone: whole names share "cache." and the
            # size, which makes any two look alike.
            hint = did_you_mean(family, families).replace("'", "'cache.", 1)
            hint = hint.replace("'?", f".{size}'?") if hint else ""
            detail = f"current families: {', '.join(families)}"
        yield error(
            UNKNOWN_NODE_TYPE,
            _PATH,
            f"unknown node type {rg.node_type!r}{hint}; {detail}",
        )
    elif not node.current_generation:
        # AWS no longer creates clusters on previous-generation types (T1, M1-M3,
        # R3, C1: "creation of new clusters is not supported for these types",
        # https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_CacheNode.html)
        # nor on T2 ("You will no longer be able to create new ElastiCache
        # clusters using T2 instances", note on
        # https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheNodes.SupportedTypes.html).
        # cfn-lint does not check ReplicationGroup node types, so the deploy
        # would be the first to say so.
        yield error(
            PREVIOUS_GENERATION_NODE,
            _PATH,
            f"AWS no longer creates caches on {rg.node_type} (a "
            "previous-generation node type); choose a current one such as cache.t4g.small or "
            "cache.r7g.large (an existing cache moves to it in place)",
        )


DATA_TIERING_REQUIRED = ErrorKind(
    "data-tiering-required", Stage.RULES, "An r6gd node type without data_tiering: true.",
    "AWS creates r6gd caches only with data tiering enabled.",
    "Set topology.data_tiering: true, or choose another node type.",
    EC_GUIDE + "data-tiering.html",
)
DATA_TIERING_NODE_TYPE = ErrorKind(
    "data-tiering-node-type", Stage.RULES, "data_tiering: true on a node type without SSDs.",
    "Data tiering needs the local SSD of an r6gd node.",
    "Choose an r6gd node type or remove data_tiering.", EC_GUIDE + "data-tiering.html",
)
DATA_TIERING_EVICTION_POLICY = ErrorKind(
    "data-tiering-eviction-policy", Stage.RULES,
    "A maxmemory-policy data tiering does not support.",
    "Data tiering supports only the volatile-lru, allkeys-lru and noeviction policies "
    "(catalog/parameters.py).",
    "Choose one of the policies listed in the message.", EC_GUIDE + "data-tiering.html",
)
DATA_TIERING_ENGINE = ErrorKind(
    "data-tiering-engine", Stage.RULES, "Data tiering on Redis OSS 6.0.",
    "Data tiering needs Redis OSS 6.2 or later, or Valkey.",
    "Raise engine_version.", EC_GUIDE + "data-tiering.html",
)


def data_tiering(spec: Spec, rg: ReplicationGroup) -> Iterator[Diagnostic]:
    node = node_types.lookup(rg.node_type)
    if node is None:
        return
    path = ("topology", "data_tiering")
    if node.data_tiering and not rg.topology.data_tiering:
        yield error(
            DATA_TIERING_REQUIRED,
            path,
            f"{rg.node_type} is a data-tiering (r6gd) node type and requires "
            "data_tiering: true",
        )
    if rg.topology.data_tiering and not node.data_tiering:
        yield error(
            DATA_TIERING_NODE_TYPE,
            path,
            f"data tiering needs an r6gd node type (e.g. cache.r6gd.xlarge), not "
            f"{rg.node_type}",
        )
    policy = rg.parameter("maxmemory-policy")
    allowed = parameters.DATA_TIERING_MAXMEMORY_POLICIES
    if rg.topology.data_tiering and policy is not None and policy not in allowed:
        yield error(
            DATA_TIERING_EVICTION_POLICY,
            ("redis_parameters", "maxmemory-policy"),
            f"data tiering supports only the maxmemory policies {', '.join(allowed)}; "
            f"got {policy!r}",
        )
    tiered = rg.topology.data_tiering
    if tiered and (spec.engine, spec.engine_version) == ("redis", "6.0"):
        yield error(
            DATA_TIERING_ENGINE,
            ("engine_version",),
            "data tiering needs Redis OSS 6.2 or later, or Valkey",
        )


BURSTABLE_IN_PRODUCTION = WarningKind(
    "burstable-in-production", Stage.RULES, "A burstable (t-class) node in production.",
    "Once its CPU credits run out a burstable node is throttled, under load, when it hurts.",
    "Use an m- or r-class node in production.", EC_GUIDE + "CacheNodes.SupportedTypes.html",
)


def burstable_in_production(spec: Spec, rg: ReplicationGroup) -> Iterator[Diagnostic]:
    node = node_types.lookup(rg.node_type)
    if node is not None and spec.is_production and node.family.startswith("t"):
        yield warning(
            BURSTABLE_IN_PRODUCTION,
            _PATH,
            f"{rg.node_type} is a burstable node: once its CPU credits run out it "
            "is throttled; production caches usually run on m- or r-class nodes",
        )
