"""The schema: draft-07, complete documentation, committed copies current."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft7Validator

from compiler import reference
from compiler.api import compile_text
from compiler.normalize import schema_default
from compiler.schema import build_schema, schema_json

ROOT = Path(__file__).parent.parent


def leaves(props: dict[str, Any], prefix: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    for name, prop in props.items():
        if prop.get("type") == "object" and "properties" in prop:
            yield from leaves(prop["properties"], f"{prefix}{name}.")
        else:
            yield f"{prefix}{name}", prop


SCHEMA = build_schema()
LEAVES = dict(leaves(SCHEMA["properties"]))
# Keys whose default is "absent": AWS's or a derived one, said in the description.
NO_LITERAL_DEFAULT = {
    "cachec", "name", "environment", "network.vpc_id", "security.kms_key_id",
    "security.transit_encryption_mode", "backups.restore_from", "logs.kms_key_id",
    "monitoring.alarm_topic_arn", "engine_version",
}


def test_schema_is_valid_draft7() -> None:
    Draft7Validator.check_schema(SCHEMA)
    assert SCHEMA["$schema"] == "http://json-schema.org/draft-07/schema#"


@pytest.mark.parametrize("key", sorted(LEAVES))
def test_every_key_is_documented(key: str) -> None:
    prop = LEAVES[key]
    assert len(prop.get("description", "")) > 20
    assert "type" in prop or "oneOf" in prop
    assert prop.get("examples"), "editors show the example"
    if key not in NO_LITERAL_DEFAULT:
        assert "default" in prop
    for example in prop["examples"]:
        assert list(Draft7Validator(prop).iter_errors(example)) == [], example


def test_normalize_reads_defaults_from_the_schema() -> None:
    assert schema_default("topology", "replicas") == 0
    assert schema_default("backups", "retention_days") == 7
    assert schema_default("security", "auth") == "token"


def test_section_examples_compile_cleanly() -> None:
    """A user who pastes a section's example gets no error and no warning."""
    for name, prop in SCHEMA["properties"].items():
        if prop.get("type") != "object" or "properties" not in prop:
            continue
        (example,) = prop["examples"]
        text = yaml.safe_dump({"cachec": 1, "name": "ex", "environment": "dev", name: example})
        result = compile_text(text, f"{name}.yaml", lint=False)
        assert result.ok, (name, result.diagnostics)


def test_objects_reject_unknown_keys() -> None:
    def objects(prop: dict[str, Any]) -> Iterator[dict[str, Any]]:
        if "properties" in prop:
            yield prop
            for child in prop["properties"].values():
                yield from objects(child)

    for obj in objects(SCHEMA):
        assert obj["additionalProperties"] is False


# Generated files are compared as bytes: a reformatted or CRLF copy is stale too.
def test_committed_schema_file_is_current() -> None:
    committed = (ROOT / "schemas" / "cachec-spec-v1.schema.json").read_bytes()
    assert committed == schema_json().encode(), (
        "run: cachec schema > schemas/cachec-spec-v1.schema.json"
    )


def test_committed_reference_is_current() -> None:
    committed = (ROOT / "docs" / "spec-reference.md").read_bytes()
    assert committed == reference.markdown(SCHEMA).encode(), (
        "run: cachec schema --format markdown > docs/spec-reference.md"
    )


@pytest.mark.parametrize("spec", sorted((ROOT / "specs").glob("*.yaml")), ids=lambda p: p.name)
def test_example_specs_match_the_schema(spec: Path) -> None:
    data = yaml.safe_load(spec.read_text())
    assert list(Draft7Validator(SCHEMA).iter_errors(data)) == []
