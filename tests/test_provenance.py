"""Provenance recorded where it is made: the synthesizers record, for the
parts of the template they set, the spec key each came from
(compiler/synthesize/provenance.py), and lint findings, override lints and
diff changes read that record: a build's own for what it makes, the
published version's for what only that version holds. The frozen table
(compiler/change/unrecorded.py) answers only for a template nobody holds a
record of (published before records were kept, printed by get-template)."""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from compiler.api import compile_text
from compiler.change import changes
from compiler.change.changes import classify
from compiler.change.unrecorded import SPEC_SOURCES, table_spec_path_of
from compiler.input.schema import subschema
from compiler.template.lint import Finding, to_diagnostics
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
    # Nothing recorded covers it: the top of the spec, and the message says so.
    (unrecorded,) = to_diagnostics([finding], SpecSources())
    assert unrecorded.path == NO_SPEC_KEY
    assert "no spec key produces this part of the template" in unrecorded.message


def test_a_reused_template_keeps_its_record() -> None:
    _, sources = _built(TESTS / "golden" / "rbac-two-users" / "spec.yaml")
    assert SpecSources.from_json(json.loads(json.dumps(sources.to_json()))) == sources
    with pytest.raises(TypeError):
        SpecSources.from_json([[["Resources"], "tags"]])


def test_override_lint_findings_are_reported_against_the_recorded_key() -> None:
    from compiler.template.overrides import _at_override

    node_type = ("Resources", names.REPLICATION_GROUP, "Properties", "CacheNodeType")
    recorded = SpecSources.of({node_type: ("security", "auth")})
    # A finding on a part no override names: the key the synthesizers recorded.
    elsewhere = Finding("E3030", "not a node type", 9, 7, node_type)
    (diagnostic,) = _at_override(elsewhere, {names.NODE_TYPE: "x"}, ("eu-west-1",), recorded)
    assert diagnostic.path == ("security", "auth")
    # A finding on an overridden Parameter: at the override.
    parameter = Finding("E3030", "not allowed", 3, 5, ("Parameters", names.NODE_TYPE, "Default"))
    (at_override,) = _at_override(parameter, {names.NODE_TYPE: "x"}, ("eu-west-1",), recorded)
    assert at_override.path == ("stack", "stackset", "parameter_overrides", "eu-west-1",
                                names.NODE_TYPE)


# The acceptance of issue 18 item 2: a new spec key needs no line in the
# frozen table. Each golden and diff-pair template is diffed both ways
# against the smallest golden and against nothing, so that each of its parts
# is once made by the build (read from the build's record) and once held
# only by the published version (read from the published version's record);
# the table refuses to answer. A synthesizer that sets a part without recording it
# fails test_every_part_of_the_template_has_a_recorded_source above.
_SMALLEST = TESTS / "golden" / "dev-minimal" / "spec.yaml"


def _no_table(path: tuple[str, ...]) -> tuple[str, ...]:
    raise AssertionError(f"{'.'.join(path)} was read from the frozen table, not a record")


@pytest.mark.parametrize("spec", SPECS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_part_is_served_from_a_record(spec: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    template, sources = _built(spec)
    smallest, smallest_sources = _built(_SMALLEST)
    monkeypatch.setattr(changes, "table_spec_path_of", _no_table)
    # Property by property against the smallest template (the table would raise) ...
    classify(smallest, template, sources, smallest_sources)
    classify(template, smallest, smallest_sources, sources)
    # ... and every resource, Parameter and Output removed: the published record.
    removed = classify(template, {}, SpecSources(), sources)
    assert removed
    for change in removed:
        assert change.spec_path == sources.spec_path_of(change.template_path), change


def test_only_the_diff_reads_the_frozen_table() -> None:
    """Lint findings, override lints and synthesis read records; the table is
    the change stage's, for templates nobody holds a record of."""
    compiler = TESTS.parent / "compiler"
    readers = sorted(
        str(module.relative_to(compiler)) for module in compiler.rglob("*.py")
        if "unrecorded import" in module.read_text(encoding="utf-8")
    )
    assert readers == ["change/changes.py"]


# The frozen table, for versions published without a record.
_RG = ("Resources", names.REPLICATION_GROUP, "Properties")


def test_unknown_template_paths_fall_back_to_the_root() -> None:
    assert table_spec_path_of(("Resources", "NotACachecResource", "Properties")) == ()
    assert table_spec_path_of(("Metadata", "cachec", "compiler")) == ()
    assert table_spec_path_of(
        ("Resources", "ParameterGroup", "Properties", "Properties", "timeout")
    ) == ("redis_parameters",)


@pytest.mark.parametrize(
    ("template_path", "spec_path"),
    [
        (("Description",), ("description",)),
        (("Resources", names.SUBNET_GROUP, "Properties", "Tags", "0"), ("tags",)),
        ((*_RG, "Tags", "3", "Value"), ("tags",)),
        ((*_RG, "ReplicationGroupDescription"), ("description",)),
        (("Resources", names.REPLICATION_GROUP, "DeletionPolicy"), ("backups", "final_snapshot")),
        (("Resources", names.SECURITY_GROUP, "Properties", "SecurityGroupIngress", "1"),
         ("network",)),
        (("Resources", names.AUTH_SECRET, "Properties"), ("security", "auth")),
        (("Resources", names.ENGINE_LOG_GROUP, "Properties", "RetentionInDays"),
         ("logs", "retention_days")),
        (("Resources", names.ALARMS["memory"], "Properties", "Threshold"),
         ("monitoring", "alarms", "memory")),
        (("Resources", names.DASHBOARD, "Properties", "DashboardBody"),
         ("monitoring", "dashboard")),
        (("Resources", names.ALARM_EMAIL_SUBSCRIPTION, "Properties", "Endpoint"),
         ("monitoring", "create_topic", "email")),
        (("Parameters", names.ALARM_TOPIC_NAME, "Default"), ("monitoring", "alarm_topic_arn")),
        (("Conditions", names.HAS_ALARM_TOPIC), ("monitoring", "alarm_topic_arn")),
        (("Parameters", names.ALLOWED_CIDR_BLOCKS, "AllowedPattern"),
         ("network", "allowed_cidr_blocks")),
        (("Outputs", names.PORT, "Export", "Name"), ("stack", "exports")),
        (("Outputs", names.PORT, "Value"), ("port",)),
        (("Outputs", names.AUTH_SECRET_ARN, "Value"), ("security", "auth")),
    ],
    ids=lambda p: ".".join(map(str, p)),
)
def test_template_paths_map_to_the_spec_key_that_produced_them(
    template_path: tuple[str, ...], spec_path: tuple[str, ...]
) -> None:
    assert table_spec_path_of(template_path) == spec_path


def test_every_source_is_a_spec_key() -> None:
    for spec_path in SPEC_SOURCES.values():
        subschema(*spec_path)


