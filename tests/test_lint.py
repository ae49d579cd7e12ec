"""The lint stage: findings become located diagnostics; cfn-lint loads lazily, once."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from compiler.cache import CACHE_ENV
from compiler.diagnostics import Severity
from compiler.lint import (
    Finding,
    LintCache,
    Linter,
    LintJob,
    to_diagnostics,
    unoffered_node_type,
)
from compiler.schema import subschema
from compiler.sources import SPEC_SOURCES, spec_path_of
from compiler.synthesize import names

_RG = ("Resources", names.REPLICATION_GROUP, "Properties")
GOLDENS = sorted((Path(__file__).parent / "golden").glob("*/expected.yaml"))

BROKEN = (Path(__file__).parent / "data" / "broken-template.yaml").read_text()


def test_lint_errors_name_the_template_path_and_the_spec_key(linter: Linter) -> None:
    findings = linter.lint(BROKEN)
    errors = [f for f in findings if f.is_error]
    assert errors, findings
    port = next(f for f in errors if f.template_path[-1:] == ("Port",))
    (diagnostic,) = [d for d in to_diagnostics([port])]
    assert diagnostic.severity is Severity.ERROR
    assert diagnostic.path == ("port",)
    assert diagnostic.kind == f"cfn-lint-{port.rule_id}"
    assert "Resources.ReplicationGroup.Properties.Port (template line 7)" in diagnostic.message


def test_unknown_template_paths_fall_back_to_the_root() -> None:
    assert spec_path_of(("Resources", "NotACachecResource", "Properties")) == ()
    assert spec_path_of(("Metadata", "cachec", "compiler")) == ()
    assert spec_path_of(
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
    assert spec_path_of(template_path) == spec_path


def test_every_source_is_a_spec_key() -> None:
    for spec_path in SPEC_SOURCES.values():
        subschema(*spec_path)


@pytest.mark.parametrize("golden", GOLDENS, ids=lambda p: p.parent.name)
def test_every_generated_resource_and_parameter_has_a_spec_source(golden: Path) -> None:
    template = yaml.safe_load(golden.read_text(encoding="utf-8"))
    unmapped = [
        (section, name)
        for section in ("Resources", "Parameters", "Conditions")
        for name in template.get(section, {})
        if name != names.REPLICATION_GROUP and spec_path_of((section, name)) == ()
    ]
    assert not unmapped, f"add these to compiler/sources.py SPEC_SOURCES: {unmapped}"


def test_top_level_lint_findings_point_at_the_spec_key(linter: Linter) -> None:
    # A real cfn-lint run: a Description over 1,024 characters (E1003) and a
    # tag without a value (E3003) on a resource other than the cache.
    template = BROKEN.replace("Resources:", f"Description: {'x' * 1100}\nResources:") + (
        f"  {names.SUBNET_GROUP}:\n"
        "    Type: AWS::ElastiCache::SubnetGroup\n"
        "    Properties:\n"
        "      Description: x\n"
        "      SubnetIds: [subnet-0a1b2c3d]\n"
        "      Tags:\n"
        "        - Key: a\n"
    )
    diagnostics = to_diagnostics(linter.lint(template))
    by_rule = {d.kind: d.path for d in diagnostics}
    assert by_rule["cfn-lint-E1003"] == ("description",), diagnostics
    assert by_rule["cfn-lint-E3003"] == ("tags",), diagnostics
    assert () not in by_rule.values()


def test_unmapped_findings_say_they_are_in_the_template() -> None:
    (diagnostic,) = to_diagnostics([Finding("E9999", "odd", 7, 3, ("Metadata", "cachec"))])
    assert diagnostic.path == ()
    assert "no spec key produces this part of the template" in diagnostic.message


def test_informational_findings_are_dropped() -> None:
    info = Finding("I3011", "x", 1, 1, ())
    assert to_diagnostics([info]) == []


def test_compiling_without_lint_never_imports_cfn_lint() -> None:
    code = (
        "import sys\n"
        "from compiler.api import compile_file\n"
        "r = compile_file('specs/prod.yaml', lint=False)\n"
        "assert r.ok, r.diagnostics\n"
        "assert not [m for m in sys.modules if m.startswith('cfnlint')], 'cfnlint imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=__file__.rsplit("/tests/", 1)[0])


def test_one_rule_set_serves_many_templates_and_region_sets() -> None:
    linter = Linter()
    linter.lint(BROKEN)
    first = linter._rules()
    linter.lint(BROKEN)
    linter.lint(BROKEN, ("eu-west-1", "ap-south-1"))
    linter.lint_job(LintJob.of(BROKEN, ("eu-west-1",), {}))
    assert linter._rules() is first
    assert list(linter._configs) == [("us-east-1",), ("eu-west-1",), ("ap-south-1",)]


def test_each_cfn_lint_run_covers_one_region(monkeypatch: pytest.MonkeyPatch) -> None:
    """cfn-lint resolves values across all of a run's regions together, which
    grew far faster than the region count (`--regions` with every region did
    not finish in 10 minutes): a lint of n regions is n runs of one, whose
    findings together are the findings of the regions."""
    import cfnlint.runner.template.runner as template_runner

    runs: list[list[str]] = []
    real = template_runner.run_template_by_data

    def recording(template: object, config: object, rules: object) -> object:
        runs.append(list(config.regions))  # type: ignore[attr-defined]
        return real(template, config, rules)  # type: ignore[arg-type]

    monkeypatch.setattr(template_runner, "run_template_by_data", recording)
    regions = ("us-east-1", "eu-west-1", "af-south-1")
    findings = Linter().lint(BROKEN, regions)
    assert runs == [[r] for r in regions]
    assert findings == sorted(
        {f for r in regions for f in Linter().lint(BROKEN, (r,))},
        key=lambda f: (f.line, f.column, f.rule_id, f.message),
    )


def test_region_sets_sharing_rules_keep_their_own_findings() -> None:
    """A finding that depends on the region is found for the region set that
    has it, whichever region set was linted first with the same rules."""
    # cfn-lint's node types per region (on CacheCluster): c7gn is offered
    # in us-east-1, not in af-south-1.
    text = """\
AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Cache:
    Type: AWS::ElastiCache::CacheCluster
    Properties:
      CacheNodeType: cache.c7gn.2xlarge
      Engine: redis
      NumCacheNodes: 1
"""
    linter = Linter()
    seen = {regions: linter.lint(text, regions) for regions in
            [("us-east-1",), ("af-south-1",), ("us-east-1", "af-south-1"), ("us-east-1",)]}
    assert not [f for f in seen[("us-east-1",)] if f.is_error]
    assert [f.template_path[-1] for f in seen[("af-south-1",)] if f.is_error] == ["CacheNodeType"]
    assert seen[("us-east-1", "af-south-1")] == seen[("af-south-1",)]
    for regions, findings in seen.items():
        assert findings == Linter().lint(text, regions)


def test_node_type_offered_per_region() -> None:
    assert unoffered_node_type("cache.r7g.large", ("us-east-1", "eu-west-1")) == []
    # r6gd (data tiering) is offered in few regions; af-south-1 is not one of them.
    (missing,) = unoffered_node_type("cache.r6gd.xlarge", ("us-east-1", "af-south-1"))
    assert missing.kind == "node-type-not-in-region" and missing.path == ("node_type",)
    assert "af-south-1" in missing.message and "us-east-1" not in missing.message
    # Previous generations get their own warning, not this error.
    assert unoffered_node_type("cache.m3.medium", ("us-east-1",)) == []


def test_cfn_lint_warnings_stay_warnings() -> None:
    # The cfn-lint-W<rule> family of docs/rules.md: W rules warn, I rules are not shown.
    findings = [
        Finding("W3005", "obsolete DependsOn", 9, 5, ("Resources", "ReplicationGroup")),
        Finding("I3011", "no UpdateReplacePolicy", 9, 5, ("Resources", "ReplicationGroup")),
    ]
    (diagnostic,) = to_diagnostics(findings)
    assert diagnostic.kind == "cfn-lint-W3005"
    assert diagnostic.severity is Severity.WARNING


def test_lint_cache_returns_the_findings_of_a_fresh_lint(
    lint_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fresh = Linter().lint(BROKEN)
    assert [f for f in fresh if f.is_error], "the template must draw findings"
    cached = Linter(cache=LintCache())
    assert cached.lint(BROKEN) == fresh  # a miss: linted and stored
    assert list((lint_cache / "lint").glob("*.json"))

    def no_lint(*args: object) -> None:
        raise AssertionError("linted again instead of reading the cache")

    monkeypatch.setattr(Linter, "_lint", no_lint)
    assert Linter(cache=LintCache()).lint(BROKEN) == fresh


def test_lint_cache_misses_on_another_cfn_lint_version_region_list_or_template(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    linter = Linter(cache=LintCache())
    linter.lint(BROKEN)
    cache = LintCache()
    assert cache.get(cache.key(BROKEN, ("us-east-1",), ())) is not None
    assert cache.get(cache.key(BROKEN, ("us-east-1", "eu-west-1"), ())) is None
    assert cache.get(cache.key(BROKEN, ("us-east-1",), ("I",))) is None
    assert cache.get(cache.key(BROKEN + "\n", ("us-east-1",), ())) is None
    monkeypatch.setattr("compiler.lint.cfn_lint_version", lambda: "0.0.0")
    assert cache.get(cache.key(BROKEN, ("us-east-1",), ())) is None


def test_a_corrupt_lint_cache_entry_is_a_miss_and_is_replaced(lint_cache: Path) -> None:
    fresh = Linter(cache=LintCache()).lint(BROKEN)
    (entry,) = (lint_cache / "lint").glob("*.json")
    entry.write_text('[{"rule_id": "E1"', encoding="utf-8")
    assert Linter(cache=LintCache()).lint(BROKEN) == fresh
    assert LintCache().get(entry.stem) == fresh


def test_an_unwritable_lint_cache_only_costs_time(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    assert Linter(cache=LintCache(str(blocker))).lint(BROKEN) == Linter().lint(BROKEN)


@pytest.mark.parametrize(
    "spec",
    # A StackSet spec with per-region overrides is also linted with their values.
    ["specs/prod.yaml", "tests/golden/stackset-self-managed/spec.yaml"],
)
def test_building_unchanged_specs_never_imports_cfn_lint(tmp_path: Path, spec: str) -> None:
    root = __file__.rsplit("/tests/", 1)[0]
    env = {**os.environ, "PYTHONPATH": root, CACHE_ENV: str(tmp_path / "cache")}
    build = ["-m", "compiler", "build", "--out", str(tmp_path / "out"), spec]
    subprocess.run([sys.executable, *build], check=True, cwd=root, env=env, capture_output=True)
    code = (
        "import sys\n"
        "from compiler import cli\n"
        f"code = cli.main({[*build[2:], '--check']!r})\n"
        "assert code == 0, code\n"
        "assert not [m for m in sys.modules if m.startswith('cfnlint')], 'cfnlint imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=root, env=env)


def test_building_a_runner_pauses_the_collector_and_restores_it() -> None:
    import gc

    assert gc.isenabled()
    Linter()._rules()
    assert gc.isenabled()
    gc.disable()
    try:
        Linter()._rules()
        assert not gc.isenabled()  # a caller's choice is kept
    finally:
        gc.enable()


def test_an_absent_pycosat_is_recorded_once_and_an_installed_one_left_alone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import importlib.util
    import sys

    from compiler import lint

    monkeypatch.delitem(sys.modules, "pycosat", raising=False)
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: object())
    lint._pycosat_absent()
    assert "pycosat" not in sys.modules  # installed: sympy may use it
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    lint._pycosat_absent()
    assert sys.modules["pycosat"] is None
    with pytest.raises(ImportError):
        import pycosat  # noqa: F401
