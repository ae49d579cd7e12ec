"""Provenance recorded where it is made: the synthesizers record, for the
parts of the template they set, the spec key each came from
(compiler/synthesize/provenance.py), and lint findings and diff changes read
that record. Until every synthesizer records, the hand-kept table
(compiler/template/sources.py) answers for the rest; here the two are run side
by side over every golden and diff pair, at every path of every template."""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from compiler.api import compile_text
from compiler.input.schema import subschema
from compiler.template.lint import Finding, to_diagnostics
from compiler.template.sources import table_spec_path_of
from compiler.vocabulary import names
from compiler.vocabulary.provenance import NO_SPEC_KEY, SpecSources

TESTS = Path(__file__).parent
SPECS = sorted(
    [*(TESTS / "golden").glob("*/spec.yaml"), *(TESTS / "diffs").glob("*/*.yaml")],
)
SPECS = [s for s in SPECS if not s.name.endswith(".patch.yaml")]


def _paths(node: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """Every path in the template, the inner ones (a resource, a property) too."""
    if path:
        yield path
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, (*path, str(key)))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _paths(value, (*path, str(index)))


@functools.cache
def _built(spec: Path) -> tuple[dict[str, Any], SpecSources]:
    result = compile_text(spec.read_text(encoding="utf-8"), spec.name, lint=False)
    template = result.template
    assert template is not None and result.sources is not None, result.diagnostics
    return template, result.sources


# Where a group is an existing one (issue 19), the record names the key that
# names it; the table, keyed by template path alone, cannot tell an existing
# group from a created one and keeps the created group's key.
_EXISTING = {
    ("Resources", names.REPLICATION_GROUP, "Properties", "CacheSubnetGroupName"):
        ("network", "subnet_group_name"),
    ("Outputs", names.SUBNET_GROUP_NAME): ("network", "subnet_group_name"),
    ("Resources", names.REPLICATION_GROUP, "Properties", "CacheParameterGroupName"):
        ("parameter_group_name",),
    ("Outputs", names.PARAMETER_GROUP_NAME): ("parameter_group_name",),
    ("Resources", names.REPLICATION_GROUP, "Properties", "UserGroupIds"):
        ("security", "user_group_id"),
    ("Resources", names.SERVERLESS_CACHE, "Properties", "UserGroupId"):
        ("security", "user_group_id"),
    ("Outputs", names.USER_GROUP_ID): ("security", "user_group_id"),
}


def _existing_key(path: tuple[str, ...]) -> tuple[str, ...] | None:
    return next((key for prefix, key in _EXISTING.items() if path[:len(prefix)] == prefix),
                None)


@pytest.mark.parametrize("spec", SPECS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_the_record_agrees_with_the_table(spec: Path) -> None:
    template, sources = _built(spec)
    disagree = {
        ".".join(path): (recorded, table_spec_path_of(path))
        for path in _paths(template)
        if (recorded := sources.spec_path_of(path)) is not None
        and recorded != table_spec_path_of(path)
        and recorded != _existing_key(path)
    }
    assert not disagree, disagree


@pytest.mark.parametrize("spec", SPECS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_part_of_the_template_has_a_recorded_source(spec: Path) -> None:
    """Every section, resource, property, Parameter, Condition and Output: a
    spec key, or NO_SPEC_KEY said explicitly where it was made."""
    template, sources = _built(spec)
    unrecorded = [".".join(path) for path in _paths(template)
                  if path not in _SECTIONS and sources.spec_path_of(path) is None]
    assert not unrecorded


# What holds the parts, not a part: no synthesizer makes `Resources` itself.
_SECTIONS = {(section,) for section in
             ("Parameters", "Mappings", "Conditions", "Rules", "Resources", "Outputs")}


def test_what_no_spec_key_makes_is_recorded_as_such() -> None:
    template, sources = _built(TESTS / "golden" / "dev-minimal" / "spec.yaml")
    path = ("Outputs", names.SUMMARY)
    assert names.SUMMARY in template["Outputs"]
    assert sources.spec_path_of(path) == NO_SPEC_KEY
    minor = ("Resources", names.REPLICATION_GROUP, "Properties", "AutoMinorVersionUpgrade")
    assert sources.spec_path_of(minor) == ("auto_minor_version_upgrade",)
    port = ("Resources", names.REPLICATION_GROUP, "Properties", "Port")
    assert sources.spec_path_of(port) == ("port",)


def test_the_record_is_data_that_survives_a_worker_process() -> None:
    import pickle

    _, sources = _built(TESTS / "golden" / "dev-minimal" / "spec.yaml")
    assert pickle.loads(pickle.dumps(sources)) == sources


@pytest.mark.parametrize("spec", SPECS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_recorded_source_is_a_spec_key(spec: Path) -> None:
    _, sources = _built(spec)
    for _, spec_path in sources.entries:
        subschema(*(str(part) for part in spec_path))  # KeyError for a key the spec lacks


def test_lint_findings_are_reported_against_the_recorded_key() -> None:
    path = ("Resources", names.REPLICATION_GROUP, "Properties", "Port")
    finding = Finding("E3012", "not an integer", 7, 5, path)
    recorded = SpecSources.of({path: ("security", "auth")})
    assert [d.path for d in to_diagnostics([finding], recorded)] == [("security", "auth")]
    # Nothing recorded covers it (a template no synthesizer made in this run): the table.
    assert [d.path for d in to_diagnostics([finding], SpecSources())] == [("port",)]


def test_a_reused_template_keeps_its_record() -> None:
    _, sources = _built(TESTS / "golden" / "rbac-two-users" / "spec.yaml")
    assert SpecSources.from_json(json.loads(json.dumps(sources.to_json()))) == sources
    with pytest.raises(TypeError):
        SpecSources.from_json([[["Resources"], "tags"]])
