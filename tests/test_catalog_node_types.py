"""Tests for compiler.catalog.node_types, cross-checked against cfn-lint's bundled data.

cfn-lint ships, per region, the node types the AWS Pricing API offers
(``cachenodetype_enum.json``, "Automatically updated using update_specs_from_pricing").
Its union over regions is therefore the set of types one can buy today, which must
match our current generation exactly in both directions.
"""

from __future__ import annotations

import json
from importlib.resources import files
from types import MappingProxyType

import pytest

from compiler.catalog.node_types import NODE_TYPES, NodeType, known_families, lookup

_ENUM_FILE = "data/schemas/extensions/aws_elasticache_cachecluster/cachenodetype_enum.json"

# Types AWS documents as current that cfn-lint 1.58's pricing-derived data lacks.
# Empty today; add a name with the reason (e.g. "announced after the cfn-lint release")
# rather than weakening the comparison.
_DOCUMENTED_BUT_NOT_IN_CFN_LINT: frozenset[str] = frozenset()


def _cfn_lint_union() -> frozenset[str]:
    data = json.loads((files("cfnlint") / _ENUM_FILE).read_text(encoding="utf-8"))
    union: set[str] = set()
    for region_entry in data.values():
        # The file also holds a top-level "description" string; only dicts are regions.
        if isinstance(region_entry, dict):
            union.update(region_entry.get("enum", []))
    return frozenset(union)


@pytest.fixture(scope="module")
def cfn_lint_types() -> frozenset[str]:
    union = _cfn_lint_union()
    # Guard against a silently empty comparison if cfn-lint reorganises the file.
    assert len(union) > 50
    return union


def test_every_cfn_lint_type_is_in_our_table(cfn_lint_types: frozenset[str]) -> None:
    missing = sorted(cfn_lint_types - NODE_TYPES.keys())
    assert missing == []


def test_every_current_type_of_ours_is_offered_somewhere(cfn_lint_types: frozenset[str]) -> None:
    current = {n for n, t in NODE_TYPES.items() if t.current_generation}
    extra = sorted(current - cfn_lint_types - _DOCUMENTED_BUT_NOT_IN_CFN_LINT)
    assert extra == []


def test_exclusions_are_still_needed(cfn_lint_types: frozenset[str]) -> None:
    # Once cfn-lint catches up, the exclusion must be dropped.
    assert not (_DOCUMENTED_BUT_NOT_IN_CFN_LINT & cfn_lint_types)


def test_previous_generation_families() -> None:
    previous = {t.family for t in NODE_TYPES.values() if not t.current_generation}
    # T1, M1, M2, M3, R3, C1: API reference "Previous generation"; T2: being retired
    # per the "Supported node types" page.
    assert previous == {"t1", "t2", "m1", "m2", "m3", "r3", "c1"}


def test_required_families_present() -> None:
    required = {
        "t2", "t3", "t4g", "m3", "m4", "m5", "m6g", "m7g", "m8g", "r4", "r5", "r6g",
        "r6gd", "r7g", "r8g", "c7gn", "t1", "m1", "m2", "r3", "c1",
    }  # fmt: skip
    assert required <= set(known_families())


def test_known_families_sorted_and_complete() -> None:
    families = known_families()
    assert list(families) == sorted(families)
    assert set(families) == {t.family for t in NODE_TYPES.values()}


def test_previous_generation_names() -> None:
    for name in (
        "cache.t1.micro",
        "cache.m1.small",
        "cache.m1.xlarge",
        "cache.m2.4xlarge",
        "cache.m3.medium",
        "cache.m3.2xlarge",
        "cache.r3.8xlarge",
        "cache.c1.xlarge",
    ):
        node = lookup(name)
        assert node is not None, name
        assert not node.current_generation


def test_keys_sorted_and_names_consistent() -> None:
    assert list(NODE_TYPES) == sorted(NODE_TYPES)
    for name, node in NODE_TYPES.items():
        assert node.name == name
        assert name == f"cache.{node.family}.{node.size}"


def test_table_is_read_only() -> None:
    assert isinstance(NODE_TYPES, MappingProxyType)
    with pytest.raises(TypeError):
        NODE_TYPES["cache.x1.large"] = NODE_TYPES["cache.r6g.large"]  # type: ignore[index]


def test_lookup() -> None:
    node = lookup("cache.r6g.large")
    assert node == NodeType(
        name="cache.r6g.large",
        family="r6g",
        size="large",
        vcpus=2,
        memory_gib=13.07,
        current_generation=True,
        data_tiering=False,
    )
    assert lookup("cache.r6g.huge") is None
    assert lookup("r6g.large") is None
    assert lookup("cache.r6gd.large") is None  # r6gd starts at xlarge


# The CPU alarm choice (CPUUtilization for <= 2 vCPUs, EngineCPUUtilization for >= 4)
# hinges on these, so they are pinned explicitly.
@pytest.mark.parametrize(
    ("name", "vcpus"),
    [
        ("cache.t1.micro", 1),
        ("cache.t2.micro", 1),
        ("cache.t2.small", 1),
        ("cache.t2.medium", 2),
        ("cache.t3.micro", 2),
        ("cache.t3.medium", 2),
        ("cache.t4g.micro", 2),
        ("cache.t4g.medium", 2),
        ("cache.m1.medium", 1),
        ("cache.m3.medium", 1),
        ("cache.m4.10xlarge", 40),
        ("cache.m5.24xlarge", 96),
        ("cache.r5.24xlarge", 96),
        ("cache.r6g.large", 2),
        ("cache.r6g.xlarge", 4),
        ("cache.r6gd.xlarge", 4),
        ("cache.m7g.16xlarge", 64),
        ("cache.c7gn.large", 2),
        ("cache.c7gn.16xlarge", 64),
        ("cache.c1.xlarge", 8),
    ],
)
def test_vcpus(name: str, vcpus: int) -> None:
    node = lookup(name)
    assert node is not None
    assert node.vcpus == vcpus


_VCPUS_BY_SIZE = {
    "large": 2,
    "xlarge": 4,
    "2xlarge": 8,
    "4xlarge": 16,
    "8xlarge": 32,
    "10xlarge": 40,
    "12xlarge": 48,
    "16xlarge": 64,
    "24xlarge": 96,
}


def test_current_non_burstable_vcpus_follow_ec2_sizes() -> None:
    for node in NODE_TYPES.values():
        if node.current_generation and not node.family.startswith("t"):
            assert node.vcpus == _VCPUS_BY_SIZE[node.size], node.name


_SIZE_ORDER = ("micro", "small", "medium", *_VCPUS_BY_SIZE)


def test_memory_grows_with_size_within_a_family() -> None:
    for family in known_families():
        nodes = sorted(
            (t for t in NODE_TYPES.values() if t.family == family),
            key=lambda t: _SIZE_ORDER.index(t.size),
        )
        vcpus = [t.vcpus for t in nodes]
        assert vcpus == sorted(vcpus), family
        memories = [t.memory_gib for t in nodes]
        assert all(m > 0 for m in memories), family
        assert memories == sorted(memories), family


@pytest.mark.parametrize(
    ("name", "memory_gib"),
    [
        ("cache.t4g.micro", 0.5),
        ("cache.t2.micro", 0.555),
        ("cache.m4.large", 6.42),
        ("cache.r7g.16xlarge", 419.09),
        ("cache.r8g.16xlarge", 504.52),
        ("cache.c7gn.12xlarge", 78.56),
        ("cache.r5.24xlarge", 635.61),
    ],
)
def test_memory_spot_checks(name: str, memory_gib: float) -> None:
    node = lookup(name)
    assert node is not None
    assert node.memory_gib == pytest.approx(memory_gib)


def test_data_tiering_only_on_r6gd() -> None:
    tiered = {t.name for t in NODE_TYPES.values() if t.data_tiering}
    assert tiered == {n for n in NODE_TYPES if n.startswith("cache.r6gd.")}
    assert len(tiered) == 6
