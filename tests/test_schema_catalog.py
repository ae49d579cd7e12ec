"""The schema offers editors the node types and engine versions cachec
accepts, as `examples` (YAML language servers complete a value from a
property's `enum`, `default` and `examples`), held equal to the catalogue.

`examples`, not `enum`: the schema keeps the pattern, so a value it does not
list still reaches the rules (unknown-node-type with its "did you mean",
engine-version-unsupported naming the engine's versions) and the error stays
as precise as before. `pytest tests/test_schema_catalog.py --update-golden`
rewrites both copies of the schema after a catalogue change (a cfn-lint
upgrade that brings a version, a node family added).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from compiler.catalog import engines, node_types
from compiler.cli import main

ROOT = Path(__file__).parent.parent
COPIES = (ROOT / "compiler" / "cachec-spec-v1.schema.json",
          ROOT / "schemas" / "cachec-spec-v1.schema.json")
# The first example is the one docs/spec-reference.md shows.
FIRST = {"node_type": "cache.r6g.large", "engine_version": "7.1"}


def catalogue_examples() -> dict[str, list[str]]:
    """What the catalogue accepts: current-generation node types (previous
    ones are refused), every version per engine, the serverless majors."""
    node = [n for n, t in node_types.NODE_TYPES.items() if t.current_generation]
    versions = [v.version for v in sorted(engines.versions(),
                                          key=lambda v: engines.numeric(v.version))]
    majors = sorted({m for ms in engines.SERVERLESS_VERSIONS.values() for m in ms}, key=int)
    found = {"node_type": node, "engine_version": list(dict.fromkeys(versions + majors))}
    return {key: [FIRST[key], *(v for v in values if v != FIRST[key])]
            for key, values in found.items()}


def test_the_schema_offers_what_the_catalogue_accepts(update_golden: bool) -> None:
    expected = catalogue_examples()
    if update_golden:
        text = COPIES[0].read_text(encoding="utf-8")
        schema = json.loads(text)
        for key, values in expected.items():
            schema["properties"][key]["examples"] = values
        for copy in COPIES:
            copy.write_text(json.dumps(schema, indent=2, ensure_ascii=False) + "\n",
                            encoding="utf-8")
    for copy in COPIES:
        schema = json.loads(copy.read_text(encoding="utf-8"))
        for key, values in expected.items():
            assert schema["properties"][key]["examples"] == values, (
                f"{copy.name} {key}: run pytest tests/test_schema_catalog.py --update-golden")


def test_the_lists_are_complete_and_current() -> None:
    found = catalogue_examples()
    assert {"cache.t4g.micro", "cache.r7g.large", "cache.r6gd.xlarge"} <= set(found["node_type"])
    assert "cache.t2.micro" not in found["node_type"]  # previous generation: refused
    assert {"6.2", "7.1", "7.2", "8.2", "7", "8", "9"} <= set(found["engine_version"])
    for values in found.values():
        assert len(values) == len(set(values))


@pytest.mark.parametrize(("line", "message"), [
    ("node_type: cache.r7g.larg", "unknown node type 'cache.r7g.larg'"),
    ('engine_version: "7.3"', "7.3"),
])
def test_a_value_outside_the_list_keeps_its_precise_error(
    line: str, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = tmp_path / "s.yaml"
    spec.write_text(f"cachec: 1\nname: orders\nenvironment: dev\n{line}\n", encoding="utf-8")
    assert main(["validate", str(spec)]) == 1
    err = capsys.readouterr().err
    assert f"{spec}:4:" in err and message in err
    assert "[unknown-node-type]" in err or "[engine-version-mismatch]" in err
