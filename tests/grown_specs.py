"""Specs grown along every dimension the template's size grows with, for
tests/test_size_bound.py: any golden spec, then more nodes, alarms, a
dashboard, tags, longer text, users, ingress sources and extra alarm topics,
each drawn by a `draw(strategy)` of hypothesis (or a seeded random for
exploring)."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from hypothesis import strategies as st

GOLDEN = Path(__file__).parent / "golden"
SPECS = {p.parent.name: yaml.safe_load(p.read_text(encoding="utf-8"))
         for p in sorted(GOLDEN.glob("*/spec.yaml"))}
NODE_ALARMS = ("cpu", "engine_cpu", "memory", "connections", "evictions", "replication_lag")
SERVERLESS_ALARMS = ("throttled_commands",)  # the others need a limit set
# Tag text: the pattern's characters, a quote-prone ':' and '=', and letters
# of several UTF-8 widths (the template keeps them as UTF-8).
_TAG_ALPHABET = "ab:/=+@-_ .éΩ中"
# Clusters of every size up to ElastiCache's 500 nodes, the extremes most.
SHARDS = (1, 2, 3, 5, 10, 11, 20, 21, 50, 100, 166, 250, 499, 500)

Draw = Callable[[st.SearchStrategy[Any]], Any]


def grown(draw: Draw) -> dict[str, Any]:
    """A golden spec with some of its dimensions grown (most specs drawn are
    valid; the test skips those the rules refuse)."""
    data = copy.deepcopy(SPECS[draw(st.sampled_from(sorted(SPECS)))])
    serverless = "serverless" in data
    if not serverless and draw(st.booleans()):
        topo = data.setdefault("topology", {})
        if draw(st.booleans()):
            topo.pop("multi_az", None)
            topo["shards"] = draw(st.sampled_from(SHARDS))
            topo["replicas"] = draw(st.integers(0, max(0, min(5, 500 // topo["shards"] - 1))))
        else:
            topo["replicas"] = draw(st.integers(0, 5))
    if draw(st.booleans()):
        monitoring = data.setdefault("monitoring", {})
        monitoring.pop("enabled", None)
        keys = draw(st.lists(st.sampled_from(SERVERLESS_ALARMS if serverless else NODE_ALARMS),
                             unique=True, max_size=6))
        monitoring["alarms"] = {**monitoring.get("alarms", {}), **dict.fromkeys(keys, True)}
        monitoring["dashboard"] = draw(st.booleans())
    if draw(st.booleans()):
        count = draw(st.integers(0, 40))
        data["tags"] = {
            f"k{i}{draw(st.text(_TAG_ALPHABET, max_size=120))}":
            draw(st.text(_TAG_ALPHABET, max_size=256))
            for i in range(count)
        }
    if draw(st.booleans()):
        data["description"] = draw(st.text(alphabet="ab '\"é😀:#", max_size=255))
    if draw(st.booleans()):
        data["name"] = "n" + draw(st.text(alphabet="abc0", min_size=1, max_size=30)) + "z"
    if draw(st.booleans()) and not serverless:
        network = data.setdefault("network", {})
        network["allowed_cidr_blocks"] = [f"10.{i // 250}.{i % 250}.0/24"
                                          for i in range(draw(st.integers(1, 40)))]
    return data
