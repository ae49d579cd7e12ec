"""Schema validation: patterns mean what the schema file says they mean."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from compiler.schema import merged, spec_schema
from compiler.validate import check_schema, true_end

VALID = {"cachec": 1, "name": "orders", "environment": "dev"}


def patterned(node: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    """(pattern, example) for every patterned string property with an example."""
    node = merged(node)
    if "pattern" in node and node.get("examples"):
        yield node["pattern"], node["examples"][0]
    for child in node.get("properties", {}).values():
        yield from patterned(child)


PATTERNS = sorted(set(patterned(spec_schema())), key=str)


@pytest.mark.parametrize(("pattern", "example"), PATTERNS, ids=[p for p, _ in PATTERNS])
def test_every_pattern_ends_at_the_true_end(pattern: str, example: str) -> None:
    compiled = re.compile(true_end(pattern))
    assert compiled.search(example)
    assert compiled.search(example + "\n") is None


@pytest.mark.parametrize(
    ("extra", "kind", "path"),
    [
        ({"environment": "dev\n"}, "invalid-format", ("environment",)),
        ({"network": {"vpc_id": "vpc-0a1b2c3d\n"}}, "invalid-format", ("network", "vpc_id")),
        ({"tags": {"Team\n": "x"}}, "invalid-key", ("tags", "Team\n")),
        ({"tags": {"Team": "x\n"}}, "invalid-format", ("tags", "Team")),
    ],
    ids=["environment", "vpc_id", "tag-key", "tag-value"],
)
def test_trailing_newline_fails_the_pattern(
    extra: dict[str, Any], kind: str, path: tuple[str, ...]
) -> None:
    # The loader refuses line breaks first; the schema must not depend on it.
    (diagnostic,) = check_schema({**VALID, **extra})
    assert (diagnostic.kind, diagnostic.path) == (kind, path)


def test_literal_dollars_stay_literal() -> None:
    assert true_end(r"^a\$b$") == r"^a\$b\Z"
    assert true_end(r"^[$\]]+$") == r"^[$\]]+\Z"
    assert true_end(r"^(x|y$)") == r"^(x|y\Z)"
