"""Schema validation: patterns mean what the schema file says they mean."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from compiler.input.schema import merged, spec_schema
from compiler.input.validate import check_schema, true_end

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


# --- the rules on the valid parts of a spec with schema errors (valid_parts.py) ----------


def _found(text: str) -> list[tuple[str, tuple[Any, ...]]]:
    from compiler.api import compile_text

    result = compile_text(text, "t.yaml", lint=False)
    return sorted((d.kind, d.path) for d in result.diagnostics)


HEAD = "cachec: 1\nname: orders\nenvironment: dev\n"


def test_a_schema_error_no_longer_hides_the_rules_elsewhere() -> None:
    assert _found(HEAD + "descripton: hi\nmonitoring:\n  alarms:\n    cpu: 120\n") == [
        ("unknown-key", ("descripton",)),
        ("unreachable-threshold", ("monitoring", "alarms", "cpu")),
    ]


@pytest.mark.parametrize(("spec", "only"), [
    # replicas broken: its default (0) must not make multi_az: true an error.
    ("topology:\n  replicas: two\n  multi_az: true\n",
     [("invalid-type", ("topology", "replicas"))]),
    # engine broken: its default (redis) must not make valkey's 8.0 a mismatch.
    ("engine: redsi\nengine_version: '8.0'\n", [("invalid-value", ("engine",))]),
    # a misspelt section: its defaults do not speak for it (cpu alarm needs the node type).
    ("nodetype: cache.t3.micro\nmonitoring:\n  alarms:\n    cpu: 120\n",
     [("unknown-key", ("nodetype",))]),
    # name missing: nothing derived from a placeholder name is reported.
    ("security:\n  auth: iam\n", []),
])
def test_a_default_standing_in_for_a_broken_value_never_makes_a_rule_speak(
    spec: str, only: list[tuple[str, tuple[Any, ...]]]
) -> None:
    head = HEAD if "auth: iam" not in spec else "cachec: 1\nenvironment: production\n"
    found = _found(head + spec)
    if not only:  # the warnings a valid production environment draws, and the error
        assert ("missing-key", ("name",)) in found
        assert "derived-name-invalid" not in {k for k, _ in found}
        assert "production-without-replicas" in {k for k, _ in found}
    else:
        assert found == only


def _without(data: dict[str, Any], key: str) -> dict[str, Any] | None:
    from compiler.rules.valid_parts import _PLACEHOLDERS

    kept = {k: v for k, v in data.items() if k != key}
    if key in _PLACEHOLDERS:
        kept[key] = _PLACEHOLDERS[key]
    return kept if not [d for d in check_schema(kept) if d.is_error] else None


def test_depends_names_every_top_level_key_a_spec_field_is_built_from() -> None:
    """Leaving out a key changes only the fields DEPENDS says it builds, over
    every golden and example spec: a field built from more than DEPENDS says
    would let a default speak for a broken section."""
    from pathlib import Path

    import yaml

    from compiler.input.model import Spec
    from compiler.input.normalize import normalize
    from compiler.rules.valid_parts import DEPENDS

    root = Path(__file__).parent.parent
    fields = [f for f in DEPENDS if f != "explicit"]
    checked = 0
    for path in [*root.glob("tests/golden/*/spec.yaml"), *root.glob("specs/*.yaml")]:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        spec = normalize(data)
        for key in data:
            other = _without(data, key)
            if other is None:
                continue
            changed = normalize(other)
            for field in fields:
                if getattr(changed, field) != getattr(spec, field):
                    assert key in DEPENDS[field], (path.name, key, field)
                    checked += 1
    assert checked > 50
    assert {f for f in DEPENDS} >= {f.name for f in Spec.__dataclass_fields__.values()} - {
        "explicit"}
