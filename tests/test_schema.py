"""The schema: draft-07, complete documentation, committed copies current."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft7Validator

from compiler.api import compile_text
from compiler.catalog import alarms, engines
from compiler.input import reference, schema
from compiler.input.normalize import schema_default
from compiler.input.schema import SNS_TOPIC_NAME, merged, spec_schema, subschema
from compiler.input.validate import _TRANSLATORS

ROOT = Path(__file__).parent.parent
SOURCE = ROOT / "schemas" / schema.FILE_NAME


def leaves(props: dict[str, Any], prefix: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """(dotted key, its schema with references and allOf folded in) for every leaf key."""
    for name, declared in props.items():
        prop = merged(declared)
        if prop.get("type") == "object" and "properties" in prop:
            yield from leaves(prop["properties"], f"{prefix}{name}.")
        else:
            yield f"{prefix}{name}", prop


SCHEMA = spec_schema()
LEAVES = dict(leaves(SCHEMA["properties"]))
# Keys whose default is "absent": AWS's or a derived one, said in the description.
NO_LITERAL_DEFAULT = {
    "cachec", "name", "environment", "network.vpc_id", "security.kms_key_id",
    "security.transit_encryption_mode", "backups.restore_from", "logs.kms_key_id",
    "monitoring.alarm_topic_arn", "engine_version", "stack.export_prefix",
    "stack.stackset.regions", "stack.stackset.accounts", "stack.stackset.organizational_units",
    "security.users",  # absent unless auth: rbac; an empty list would be refused
    "security.user_group_engine",  # the engine's, and absent without a user group
    # Absent: Secrets Manager's own key, no rotation; a function has no default.
    "security.secrets_kms_key_id", "security.rotation", "security.rotation.function_arn",
    # Serverless usage limits: absent means no limit (AWS's maximum).
    "serverless.max_data_storage_gb", "serverless.min_data_storage_gb",
    "serverless.max_ecpu_per_second", "serverless.min_ecpu_per_second",
    # Existing resources (issue 19): absent means cachec creates its own, or
    # (replication_group_id, availability_zones) AWS chooses.
    "replication_group_id", "parameter_group_name", "network.subnet_group_name",
    "security.user_group_id", "topology.availability_zones",
    # Absent: no event notifications, an empty serverless cache.
    "monitoring.event_topic_arn", "serverless.restore_from",
    "dns.zone_id", "dns.name",  # required once `dns` is given
    # Required once `global_datastore` is given; the suffix defaults to the stack name.
    "global_datastore.primary_region", "global_datastore.secondary_regions",
    "global_datastore.id_suffix",
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
        validator = Draft7Validator({**prop, "definitions": SCHEMA["definitions"]})
        assert list(validator.iter_errors(example)) == [], example


def test_normalize_reads_defaults_from_the_schema() -> None:
    assert schema_default("topology", "replicas") == 0
    assert schema_default("backups", "retention_days") == 7
    assert schema_default("security", "auth") == "token"


# What a section's example needs besides itself: a global datastore runs on
# node families the default cache.t3.micro is not one of.
_SECTION_NEEDS: dict[str, dict[str, Any]] = {"global_datastore": {"node_type": "cache.r7g.large"}}


def test_section_examples_compile_cleanly() -> None:
    """A user who pastes a section's example gets no error and no warning."""
    for name, prop in SCHEMA["properties"].items():
        if prop.get("type") != "object" or "properties" not in prop:
            continue
        (example,) = prop["examples"]
        text = yaml.safe_dump({"cachec": 1, "name": "ex", "environment": "dev",
                               **_SECTION_NEEDS.get(name, {}), name: example})
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


# Copies are compared as bytes: a reformatted or CRLF copy is stale too.
def test_packaged_schema_is_the_source_file() -> None:
    """cachec loads the package's copy (an installed cachec has no schemas/ folder)."""
    packaged = ROOT / "compiler" / schema.FILE_NAME
    assert packaged.read_bytes() == SOURCE.read_bytes(), (
        f"run: cp schemas/{schema.FILE_NAME} compiler/{schema.FILE_NAME}"
    )
    assert schema.schema_bytes() == SOURCE.read_bytes()


def test_source_file_keeps_one_layout() -> None:
    """Hand edits keep the layout `json.dumps(indent=2)` gives, so diffs show
    only what changed (and the copy can be regenerated mechanically)."""
    text = SOURCE.read_text(encoding="utf-8")
    assert text == json.dumps(json.loads(text), indent=2, ensure_ascii=False) + "\n"


def schema_nodes(node: Any) -> Iterator[dict[str, Any]]:
    """Every subschema in the file (enum values and examples are data, not schemas)."""
    if isinstance(node, dict):
        yield node
        for key, value in node.items():
            if key in ("properties", "definitions"):  # maps of names to subschemas
                for sub in value.values():
                    yield from schema_nodes(sub)
            elif key not in ("enum", "examples", "default", "const"):
                yield from schema_nodes(value)
    elif isinstance(node, list):
        for item in node:
            yield from schema_nodes(item)


def test_every_pattern_says_what_it_wants() -> None:
    """validate.py and editors show `patternErrorMessage` instead of the regex."""
    for node in schema_nodes(SCHEMA):
        if "pattern" in node:
            assert len(node.get("patternErrorMessage", "")) > 10, node["pattern"]


# Keywords whose failures jsonschema reports as the failures of the subschemas
# they apply (so the inner keyword's translator answers).
_APPLICATORS = {"$ref", "allOf", "properties", "items", "propertyNames", "if"}


def test_every_keyword_in_the_schema_has_a_translator() -> None:
    """A keyword without one would reach users as jsonschema's raw message."""
    validating = set(Draft7Validator.VALIDATORS) - _APPLICATORS
    used = {key for node in schema_nodes(SCHEMA) for key in node} & validating
    assert used <= set(_TRANSLATORS), used - set(_TRANSLATORS)


def test_defaults_are_found_in_branches_and_definitions(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fake = {
        "definitions": {"level": {"type": "integer", "default": 3}},
        "properties": {
            "a": {
                "type": "object",
                "properties": {"mode": {"type": "string"}},
                "if": {"properties": {"mode": {"const": "x"}}},
                "then": {"properties": {"extra": {"default": "then-default"}}},
                "oneOf": [{"properties": {"pick": {"default": 5}}}],
                "dependencies": {"mode": {"properties": {"also": {"default": "dep"}}}},
            },
            "b": {"$ref": "#/definitions/level"},
            "c": {"allOf": [{"$ref": "#/definitions/level"}]},
        },
    }
    monkeypatch.setattr(schema, "spec_schema", lambda: fake)
    assert schema_default("a", "extra") == "then-default"
    assert schema_default("a", "pick") == 5
    assert schema_default("a", "also") == "dep"
    assert schema_default("b") == 3
    assert schema_default("c") == 3
    assert schema_default("a", "mode") is None
    with pytest.raises(KeyError):
        schema_default("a", "nothing")


def test_committed_reference_is_current() -> None:
    committed = (ROOT / "docs" / "spec-reference.md").read_bytes()
    assert committed == reference.markdown(SCHEMA).encode(), (
        "run: cachec schema --format markdown > docs/spec-reference.md"
    )


@pytest.mark.parametrize("spec", sorted((ROOT / "specs").glob("*.yaml")), ids=lambda p: p.name)
def test_example_specs_match_the_schema(spec: Path) -> None:
    data = yaml.safe_load(spec.read_text())
    assert list(Draft7Validator(SCHEMA).iter_errors(data)) == []


# The schema is hand-edited; where it restates a catalog table, these tests
# tie the two (the provider-schema ties are in test_aws_schemas.py).
def test_engines_are_the_catalogs() -> None:
    assert subschema("engine")["enum"] == list(engines.ENGINES)
    description = subschema("engine_version")["description"]
    for engine in engines.ENGINES:
        assert f"{engine} {engines.default_version(engine)}" in description
        assert f"{engine} {engines.DEFAULT_SERVERLESS_VERSIONS[engine]}" in description


def test_alarm_thresholds_are_the_catalogs() -> None:
    properties = subschema("monitoring", "alarms")["properties"]
    assert list(properties) == [kind.key for kind in alarms.ALARMS]
    for kind in alarms.ALARMS:
        prop = merged(properties[kind.key])
        per = "node" if kind.key in alarms.NODE_ALARMS else "cache"
        assert prop["description"].startswith(
            f"{kind.metric} ({kind.statistic}, per {per}) threshold in {kind.unit};"
        ), kind.key
        # Which shape has the alarm is said where both do not.
        only = {alarms.NODE_ALARMS - alarms.SERVERLESS_ALARMS: "Node-based caches only",
                alarms.SERVERLESS_ALARMS - alarms.NODE_ALARMS: "Serverless only"}
        for keys, text in only.items():
            assert (text in prop["description"]) == (kind.key in keys), kind.key
        assert prop["examples"] == [int(kind.default)]
        # Off-by-default alarms say false; the others default to the catalog's threshold.
        assert prop["default"] in (int(kind.default), False)


def test_alarm_topic_name_is_the_schemas() -> None:
    """The AlarmTopicName Parameter's pattern accepts the names the spec's ARN can hold."""
    pattern = subschema("monitoring", "alarm_topic_arn")["pattern"]
    assert pattern.endswith(f":{SNS_TOPIC_NAME}$")


def test_reference_reads_references_and_branches(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = {
        "definitions": {"level": {"type": "integer", "enum": [1, 2]}},
        "properties": {
            "a": {
                "type": "object",
                "description": "A section.",
                "properties": {"mode": {"type": "string", "description": "The mode."}},
                "if": {"properties": {"mode": {"const": "x"}, "cond": {"const": 1}}},
                "then": {"properties": {"extra": {"type": "boolean", "default": False}}},
            },
            "b": {"allOf": [{"$ref": "#/definitions/level"}], "default": 1},
            "c": {"type": "array", "items": {"$ref": "#/definitions/level"}},
        },
    }
    monkeypatch.setattr(schema, "spec_schema", lambda: fake)
    rows = reference.markdown(fake).splitlines()
    assert "| `a.extra` | boolean | `false` |  |  |" in rows
    assert not any("a.cond" in row for row in rows), "an if is a condition, not a key"
    assert "| `b` | `1` \\| `2` | `1` |  |  |" in rows
    assert "| `c` | list of `1` \\| `2` | — |  |  |" in rows
