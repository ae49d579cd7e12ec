"""ElastiCache node types (Valkey / Redis OSS): vCPUs, memory, generation, data tiering.

cachec needs this table for three decisions:

* validating ``node_type`` in a spec (an unknown family or size is an error, and so is a
  previous-generation type: AWS no longer creates caches on them);
* choosing the CPU alarm: AWS recommends ``CPUUtilization`` for nodes with 2 vCPUs or
  fewer and ``EngineCPUUtilization`` for 4 or more, so ``vcpus`` must be exact;
* enforcing data tiering (``DataTieringEnabled`` is allowed, and then required, only
  on r6gd nodes).

Sources (read 2026; re-check when AWS announces a new family):

* Current generation memory, and which families AWS calls current:
  "Supported node types",
  https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheNodes.SupportedTypes.html
  (that page also says T2 is being moved to previous generation: no new clusters, no new
  reserved nodes; we therefore mark T2 as previous generation).
* vCPUs of current types: the ``num_threads`` column of "Memcached node-type specific
  parameters" (Memcached runs one thread per vCPU) and the burstable-instance table of
  the "Supported node types" page, in
  https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/ParameterGroups.Engine.html
* Previous generation list (T1, M1, M2, M3, R3, C1): the ``CacheNodeType`` description in
  the API reference, https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_CacheNode.html
  ("Existing clusters are still supported but creation of new clusters is not
  supported for these types"); their vCPUs and memory come from the previous generation
  pricing page, https://aws.amazon.com/elasticache/previous-generation/

Note that AWS's own pages still list M4 and R4 under "Current generation", so they are
current here even though they are old Intel families.

Region availability differs; cfn-lint's per-region enum is the authority for that
(see tests/test_catalog_node_types.py), this module only says what exists at all.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType


@dataclass(frozen=True)
class NodeType:
    """One ElastiCache node type, e.g. ``cache.r6g.large``."""

    name: str
    family: str
    size: str
    vcpus: int
    memory_gib: float
    current_generation: bool
    data_tiering: bool


# family -> (current_generation, ((size, vcpus, memory GiB), ...)).
# Kept as a compact literal so each row can be checked against the AWS table it was
# copied from; NODE_TYPES below is derived from it.
_FAMILIES: dict[str, tuple[bool, tuple[tuple[str, int, float], ...]]] = {
    # --- Burstable (T4g, T3 current; T2 being retired, T1 previous) ---
    "t4g": (True, (("micro", 2, 0.5), ("small", 2, 1.37), ("medium", 2, 3.09))),
    "t3": (True, (("micro", 2, 0.5), ("small", 2, 1.37), ("medium", 2, 3.09))),
    # T2: "We are transitioning T2 instances to previous generation status. You will no
    # longer be able to create new ElastiCache clusters using T2 instances".
    "t2": (False, (("micro", 1, 0.555), ("small", 1, 1.55), ("medium", 2, 3.22))),
    "t1": (False, (("micro", 1, 0.213),)),
    # --- General purpose ---
    "m8g": (
        True,
        (
            ("large", 2, 6.79),
            ("xlarge", 4, 14.18),
            ("2xlarge", 8, 29.68),
            ("4xlarge", 16, 61.33),
            ("8xlarge", 32, 124.65),
            ("12xlarge", 48, 187.96),
            ("16xlarge", 64, 251.27),
        ),
    ),
    "m7g": (
        True,
        (
            ("large", 2, 6.38),
            ("xlarge", 4, 12.93),
            ("2xlarge", 8, 26.04),
            ("4xlarge", 16, 52.26),
            ("8xlarge", 32, 103.68),
            ("12xlarge", 48, 157.12),
            ("16xlarge", 64, 209.55),
        ),
    ),
    "m6g": (
        True,
        (
            ("large", 2, 6.38),
            ("xlarge", 4, 12.93),
            ("2xlarge", 8, 26.04),
            ("4xlarge", 16, 52.26),
            ("8xlarge", 32, 103.68),
            ("12xlarge", 48, 157.12),
            ("16xlarge", 64, 209.55),
        ),
    ),
    "m5": (
        True,
        (
            ("large", 2, 6.38),
            ("xlarge", 4, 12.93),
            ("2xlarge", 8, 26.04),
            ("4xlarge", 16, 52.26),
            ("12xlarge", 48, 157.12),
            ("24xlarge", 96, 314.32),
        ),
    ),
    "m4": (
        True,
        (
            ("large", 2, 6.42),
            ("xlarge", 4, 14.28),
            ("2xlarge", 8, 29.70),
            ("4xlarge", 16, 60.78),
            ("10xlarge", 40, 154.64),
        ),
    ),
    "m3": (
        False,
        (("medium", 1, 2.78), ("large", 2, 6.05), ("xlarge", 4, 13.3), ("2xlarge", 8, 27.9)),
    ),
    "m2": (False, (("xlarge", 2, 16.7), ("2xlarge", 4, 33.8), ("4xlarge", 8, 68.0))),
    "m1": (
        False,
        (("small", 1, 1.3), ("medium", 1, 3.35), ("large", 2, 7.1), ("xlarge", 4, 14.6)),
    ),
    # --- Memory optimized ---
    "r8g": (
        True,
        (
            ("large", 2, 14.18),
            ("xlarge", 4, 29.68),
            ("2xlarge", 8, 61.33),
            ("4xlarge", 16, 124.65),
            ("8xlarge", 32, 251.27),
            ("12xlarge", 48, 377.9),
            ("16xlarge", 64, 504.52),
        ),
    ),
    "r7g": (
        True,
        (
            ("large", 2, 13.07),
            ("xlarge", 4, 26.32),
            ("2xlarge", 8, 52.82),
            ("4xlarge", 16, 105.81),
            ("8xlarge", 32, 209.55),
            ("12xlarge", 48, 317.77),
            ("16xlarge", 64, 419.09),
        ),
    ),
    "r6g": (
        True,
        (
            ("large", 2, 13.07),
            ("xlarge", 4, 26.32),
            ("2xlarge", 8, 52.82),
            ("4xlarge", 16, 105.81),
            ("8xlarge", 32, 209.55),
            ("12xlarge", 48, 317.77),
            ("16xlarge", 64, 419.09),
        ),
    ),
    # Data tiering: memory only (the SSD tier, 99.33-1592.56 GiB, is not counted).
    # There is no cache.r6gd.large.
    "r6gd": (
        True,
        (
            ("xlarge", 4, 26.32),
            ("2xlarge", 8, 52.82),
            ("4xlarge", 16, 105.81),
            ("8xlarge", 32, 209.55),
            ("12xlarge", 48, 317.77),
            ("16xlarge", 64, 419.09),
        ),
    ),
    "r5": (
        True,
        (
            ("large", 2, 13.07),
            ("xlarge", 4, 26.32),
            ("2xlarge", 8, 52.82),
            ("4xlarge", 16, 105.81),
            ("12xlarge", 48, 317.77),
            ("24xlarge", 96, 635.61),
        ),
    ),
    "r4": (
        True,
        (
            ("large", 2, 12.30),
            ("xlarge", 4, 25.05),
            ("2xlarge", 8, 50.47),
            ("4xlarge", 16, 101.38),
            ("8xlarge", 32, 203.26),
            ("16xlarge", 64, 407.00),
        ),
    ),
    "r3": (
        False,
        (
            ("large", 2, 13.5),
            ("xlarge", 4, 28.4),
            ("2xlarge", 8, 58.2),
            ("4xlarge", 16, 118.0),
            ("8xlarge", 32, 237.0),
        ),
    ),
    # --- Network optimized ---
    "c8gn": (
        True,
        (
            ("large", 2, 3.1),
            ("xlarge", 4, 6.79),
            ("2xlarge", 8, 14.18),
            ("4xlarge", 16, 29.68),
            ("8xlarge", 32, 61.33),
            ("12xlarge", 48, 92.99),
            ("16xlarge", 64, 124.65),
        ),
    ),
    "c7gn": (
        True,
        (
            ("large", 2, 3.09),
            ("xlarge", 4, 6.38),
            ("2xlarge", 8, 12.94),
            ("4xlarge", 16, 26.05),
            ("8xlarge", 32, 52.26),
            ("12xlarge", 48, 78.56),
            ("16xlarge", 64, 105.81),
        ),
    ),
    # --- Compute optimized, previous generation ---
    "c1": (False, (("xlarge", 8, 6.6),)),
}

# Data tiering (memory + SSD) exists only on r6gd, per "Data tiering in ElastiCache".
_DATA_TIERING_FAMILIES = frozenset({"r6gd"})


def _build() -> Mapping[str, NodeType]:
    rows: dict[str, NodeType] = {}
    for family, (current, sizes) in _FAMILIES.items():
        for size, vcpus, memory_gib in sizes:
            name = f"cache.{family}.{size}"
            rows[name] = NodeType(
                name=name,
                family=family,
                size=size,
                vcpus=vcpus,
                memory_gib=memory_gib,
                current_generation=current,
                data_tiering=family in _DATA_TIERING_FAMILIES,
            )
    # Sorted by name so iteration (and anything generated from it, such as a
    # CloudFormation AllowedValues list) is deterministic.
    return MappingProxyType(dict(sorted(rows.items())))


NODE_TYPES: Mapping[str, NodeType] = _build()


def lookup(name: str) -> NodeType | None:
    """Return the node type called ``name`` (e.g. ``"cache.r7g.large"``), or None."""
    return NODE_TYPES.get(name)


def known_families() -> tuple[str, ...]:
    """All node families, current and previous generation, sorted (``"c1"``, ``"c7gn"``...)."""
    return tuple(sorted(_FAMILIES))
