"""The lint stage: findings become located diagnostics; cfn-lint loads lazily, once."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from compiler.diagnostics import Severity
from compiler.local_store import CACHE_ENV
from compiler.template.lint import (
    Finding,
    LintCache,
    Linter,
    LintJob,
    _import_cfn_lint,
    shared_linter,
    to_diagnostics,
    unoffered_node_type,
)
from compiler.vocabulary import names
from compiler.vocabulary.provenance import NO_SPEC_KEY, SpecSources

_RG = ("Resources", names.REPLICATION_GROUP, "Properties")
GOLDENS = sorted((Path(__file__).parent / "golden").glob("*/expected.yaml"))

BROKEN = (Path(__file__).parent / "data" / "broken-template.yaml").read_text()
# What the synthesizers would have recorded for the parts of BROKEN these tests lint.
RECORDED = SpecSources.of({
    ("Description",): ("description",),
    ("Resources", names.REPLICATION_GROUP): NO_SPEC_KEY,
    (*_RG, "Port"): ("port",),
    ("Resources", names.SUBNET_GROUP): ("network", "subnet_ids"),
    ("Resources", names.SUBNET_GROUP, "Properties", "Tags"): ("tags",),
})


def test_lint_errors_name_the_template_path_and_the_spec_key(linter: Linter) -> None:
    findings = linter.lint(BROKEN)
    errors = [f for f in findings if f.is_error]
    assert errors, findings
    port = next(f for f in errors if f.template_path[-1:] == ("Port",))
    (diagnostic,) = [d for d in to_diagnostics([port], RECORDED)]
    assert diagnostic.severity is Severity.ERROR
    assert diagnostic.path == ("port",)
    assert diagnostic.kind == f"cfn-lint-{port.rule_id}"
    assert "Resources.ReplicationGroup.Properties.Port (template line 7)" in diagnostic.message


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
    diagnostics = to_diagnostics(linter.lint(template), RECORDED)
    by_rule = {d.kind: d.path for d in diagnostics}
    assert by_rule["cfn-lint-E1003"] == ("description",), diagnostics
    assert by_rule["cfn-lint-E3003"] == ("tags",), diagnostics
    assert () not in by_rule.values()


def test_unmapped_findings_say_they_are_in_the_template() -> None:
    (diagnostic,) = to_diagnostics([Finding("E9999", "odd", 7, 3, ("Metadata", "cachec"))],
                                   SpecSources.of({("Metadata",): NO_SPEC_KEY}))
    assert diagnostic.path == ()
    assert "no spec key produces this part of the template" in diagnostic.message


def test_informational_findings_are_dropped() -> None:
    info = Finding("I3011", "x", 1, 1, ())
    assert to_diagnostics([info], RECORDED) == []
    # ... and only they: what follows one is still reported.
    warning = Finding("W3005", "obsolete DependsOn", 9, 5, (*_RG, "Port"))
    assert [d.kind for d in to_diagnostics([info, warning, info], RECORDED)] == [
        "cfn-lint-W3005"]


def test_lint_messages_name_the_rule_the_template_place_and_whose_it_is() -> None:
    """The whole message, as `cachec build` prints it: the template path and
    line, and, where no spec key made that part, that it is cachec's output."""
    port = Finding("E3012", "'x' is not of type 'integer'", 7, 7, (*_RG, "Port"))
    whole = Finding("E1001", "Top level template section Foo is not valid", 1, 1, ())
    unrecorded = Finding("W1020", "Fn::Sub isn't needed", 12, 9, ("Outputs", "Summary"))
    assert [(d.path, d.message) for d in to_diagnostics([port, whole, unrecorded], RECORDED)] == [
        (("port",), "generated template fails cfn-lint E3012 at "
                    "Resources.ReplicationGroup.Properties.Port (template line 7): 'x' is not "
                    "of type 'integer'"),
        ((), "generated template fails cfn-lint E1001 at template line 1 (no spec key "
             "produces this part of the template): Top level template section Foo is not "
             "valid"),
        ((), "generated template fails cfn-lint W1020 at Outputs.Summary (template line 12) "
             "(no spec key produces this part of the template): Fn::Sub isn't needed"),
    ]


def test_the_shared_linter_is_one_and_caches(lint_cache: Path) -> None:
    """What `cachec build` lints with when no linter is given: one per process
    (cfn-lint's rules load once), keeping its findings in the user's cache."""
    linter = shared_linter()
    assert isinstance(linter, Linter) and shared_linter() is linter
    assert linter.lint(BROKEN) == Linter().lint(BROKEN)
    assert list((lint_cache / "lint").glob("*.json"))


# cfn-lint's node types per region (on CacheCluster, E3647): c7gn is offered
# in us-east-1, not in af-south-1.
C7GN = """\
AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Cache:
    Type: AWS::ElastiCache::CacheCluster
    Properties:
      CacheNodeType: cache.c7gn.2xlarge
      Engine: redis
      NumCacheNodes: 1
"""
# The same with a Parameter whose value cfn-lint checks (AllowedValues: E2900).
PICKY = C7GN.replace("Resources:", """\
Parameters:
  NodeType:
    Type: String
    Default: cache.t4g.micro
    AllowedValues: [cache.c7gn.2xlarge, cache.t4g.micro]
Resources:""") + "      Tags: [{Key: node, Value: !Ref NodeType}]\n"


@pytest.mark.parametrize("cache", [False, True])
def test_a_deployment_is_linted_with_its_values_in_its_regions(cache: bool, lint_cache: Path
                                                                ) -> None:
    """A StackSet region group's lint (template/overrides.py): its Parameter
    values and its regions both reach cfn-lint."""
    linter = Linter(cache=LintCache() if cache else None)

    def errors(regions: tuple[str, ...], values: dict[str, str]) -> list[tuple[str, str]]:
        return sorted((f.rule_id, f.template_path[-1])
                      for f in linter.lint_job(LintJob.of(PICKY, regions, values)) if f.is_error)

    wrong = {"NodeType": "cache.r7g.large"}
    assert errors(("af-south-1",), wrong) == [("E2900", "NodeType"), ("E3647", "CacheNodeType")]
    assert errors(("us-east-1",), wrong) == [("E2900", "NodeType")]
    assert errors(("us-east-1",), {"NodeType": "cache.c7gn.2xlarge"}) == []


def test_a_template_that_does_not_parse_is_one_finding_where_it_breaks() -> None:
    (finding,) = Linter().lint("Resources: [\n")
    assert (finding.rule_id, finding.line, finding.is_error) == ("E0000", 2, True)


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
    text = C7GN
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
    (both,) = unoffered_node_type("cache.r6gd.xlarge", ("af-south-1", "us-east-1", "ap-east-1"))
    assert both.message == ("cache.r6gd.xlarge is not offered in af-south-1, ap-east-1; choose "
                            "a node type every target region offers")
    # Previous generations get their own warning, not this error.
    assert unoffered_node_type("cache.m3.medium", ("us-east-1",)) == []


def test_cfn_lint_warnings_stay_warnings() -> None:
    # The cfn-lint-W<rule> family of docs/rules.md: W rules warn, I rules are not shown.
    findings = [
        Finding("W3005", "obsolete DependsOn", 9, 5, ("Resources", "ReplicationGroup")),
        Finding("I3011", "no UpdateReplacePolicy", 9, 5, ("Resources", "ReplicationGroup")),
    ]
    (diagnostic,) = to_diagnostics(findings, RECORDED)
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
    plain = {"include_checks": [], "regions": ["us-east-1"]}
    assert cache.get(cache.key(BROKEN, plain)) is not None
    assert cache.get(cache.key(BROKEN, {**plain, "regions": ["us-east-1", "eu-west-1"]})) is None
    assert cache.get(cache.key(BROKEN, {**plain, "include_checks": ["I"]})) is None
    assert cache.get(cache.key(BROKEN, {**plain, "parameters": [{}]})) is None
    assert cache.get(cache.key(BROKEN + "\n", plain)) is None
    monkeypatch.setattr("compiler.template.lint.cfn_lint_version", lambda: "0.0.0")
    assert cache.get(cache.key(BROKEN, plain)) is None


def test_lint_cache_keys_do_not_depend_on_the_order_settings_are_written_in() -> None:
    settings = {"include_checks": [], "regions": ["us-east-1"], "parameters": [{"A": "1"}]}
    reordered = dict(reversed(settings.items()))
    assert LintCache.key(BROKEN, settings) == LintCache.key(BROKEN, reordered)


def test_lint_cache_keeps_each_deployments_parameter_values_apart(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A StackSet region group is linted with its own Parameter values: its
    findings are not another group's (nor the Defaults'), cached or not."""
    def lint_values(linter: Linter, job: LintJob) -> list[Finding]:
        return [Finding("E0000", f"linted with {job.values}", 1, 1, ())]

    monkeypatch.setattr(Linter, "_lint", lint_values)
    linter = Linter(cache=LintCache())
    east, west = {"NodeType": "cache.r7g.large"}, {"NodeType": "cache.r6g.large"}
    for _ in range(2):  # fresh, then from the cache
        assert [f.message for f in linter.lint_job(LintJob.of(BROKEN, values=east))] == [
            f"linted with {east}"]
        assert [f.message for f in linter.lint_job(LintJob.of(BROKEN, values=west))] == [
            f"linted with {west}"]
        assert [f.message for f in linter.lint_job(LintJob.of(BROKEN))] == ["linted with None"]


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

    from compiler.template import lint

    monkeypatch.delitem(sys.modules, "pycosat", raising=False)
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: object())
    lint._pycosat_absent()
    assert "pycosat" not in sys.modules  # installed: sympy may use it
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    lint._pycosat_absent()
    assert sys.modules["pycosat"] is None
    with pytest.raises(ImportError):
        import pycosat  # noqa: F401


def _cfnlintrc(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / ".cfnlintrc").write_text(text, encoding="utf-8")
    return folder


def test_no_cfnlintrc_changes_a_verdict_nor_a_cached_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """cachec's verdict is cfn-lint's rules with cachec's settings: neither the
    working folder's .cfnlintrc nor the user's ~/.cfnlintrc (here both
    ignoring every error) is read, so a build where they exist can neither
    pass itself nor warm the shared lint cache with a pass for everyone."""
    fresh = Linter().lint(BROKEN)
    assert [f for f in fresh if f.is_error]
    monkeypatch.chdir(_cfnlintrc(tmp_path / "project", "ignore_checks: [E, W]\n"))
    monkeypatch.setenv("HOME", str(_cfnlintrc(tmp_path / "home", "ignore_checks: [E, W]\n")))
    assert Linter(cache=LintCache()).lint(BROKEN) == fresh  # linted, and cached
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(Linter, "_lint", lambda *a: pytest.fail("not a cache hit"))
    assert Linter(cache=LintCache()).lint(BROKEN) == fresh


def _rules_that_leave_a_mark(folder: Path) -> Path:
    rules = folder / "rules"
    rules.mkdir(parents=True)
    (rules / "mark.py").write_text(
        "import pathlib\npathlib.Path(__file__).with_name('MARKER').write_text('ran')\n",
        encoding="utf-8",
    )
    return rules / "MARKER"


@pytest.mark.parametrize("command", ["compile", "build"])
def test_a_checkouts_cfnlintrc_runs_no_code(tmp_path: Path, command: str) -> None:
    """cfn-lint imports the Python files `append_rules` names; building an
    untrusted checkout (a pull request from a fork) must not run them."""
    root = __file__.rsplit("/tests/", 1)[0]
    project, home = tmp_path / "project", tmp_path / "home"
    marks = [_rules_that_leave_a_mark(project), _rules_that_leave_a_mark(home)]
    _cfnlintrc(project, "append_rules: [rules]\n")
    _cfnlintrc(home, f"append_rules: [{home / 'rules'}]\n")
    (project / "dev.yaml").write_text(Path(root, "specs", "dev.yaml").read_text())
    env = {**os.environ, "PYTHONPATH": root, "HOME": str(home),
           CACHE_ENV: str(tmp_path / "cache")}
    args = ["build", "--out", "out", "dev.yaml"] if command == "build" else [command, "dev.yaml"]
    done = subprocess.run([sys.executable, "-m", "compiler", *args], cwd=project, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert not [m for m in marks if m.exists()]


def _runs_as(uid: int, python: str, env: dict[str, str]) -> bool:
    try:
        return subprocess.run([python, "-c", "import yaml, troposphere, jsonschema"],
                              env=env, preexec_fn=lambda: _become(uid), capture_output=True,
                              timeout=120).returncode == 0
    except OSError:
        return False


def _become(uid: int) -> None:
    os.setgroups([])
    os.setgid(uid)
    os.setuid(uid)


def _python_for(uid: int, env: dict[str, str]) -> str | None:
    """An interpreter of this Python's version that `uid` may run (this one may
    live under root's home), with this environment's packages on its path."""
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    for python in (sys.executable, f"/usr/bin/{version}", f"/usr/local/bin/{version}"):
        if os.path.exists(python) and _runs_as(uid, python, env):
            return python
    return None


def test_an_unreadable_home_of_another_user_only_costs_the_caches() -> None:
    """`sudo -u ci cachec compile` keeping HOME=/root: neither cachec's cache
    folder nor cfn-lint's schema download folder there can be read; the
    spec compiles and lints all the same."""
    if os.geteuid() != 0:
        pytest.skip("needs root, to run the command as another user")
    import sysconfig

    root = __file__.rsplit("/tests/", 1)[0]
    nobody = 65534
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": "/root",
           "PYTHONPATH": f"{root}:{sysconfig.get_paths()['purelib']}"}
    python = _python_for(nobody, env)
    if python is None:
        pytest.skip("no Python interpreter another user may run")
    done = subprocess.run([python, "-m", "compiler", "compile", "specs/dev.yaml"], cwd=root,
                          env=env, preexec_fn=lambda: _become(nobody), capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "\nAWSTemplateFormatVersion: " in done.stdout, done.stdout[:200]


def test_a_home_that_cannot_be_looked_into_only_costs_the_caches(tmp_path: Path) -> None:
    """The same for any user: a HOME whose name the system refuses (too long)."""
    root = __file__.rsplit("/tests/", 1)[0]
    env = {**os.environ, "PYTHONPATH": root, "HOME": str(tmp_path / ("h" * 300))}
    env.pop("XDG_CACHE_HOME", None)
    env.pop(CACHE_ENV, None)
    done = subprocess.run([sys.executable, "-m", "compiler", "compile", "specs/dev.yaml"],
                          cwd=root, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr


def test_schemas_downloaded_into_the_users_cache_are_not_used(tmp_path: Path) -> None:
    """cfn-lint prefers schemas `cfn-lint --update-specs` left in the user's
    cache folder when they are dated later than its own: findings the lint
    cache key (the cfn-lint version) would not name. Here a planted, empty
    download: read, it would leave cfn-lint knowing no resource type."""
    planted = tmp_path / "xdg" / "aws" / "cfn-lint" / "schemas"
    (planted / "providers").mkdir(parents=True)
    (planted / "resources").mkdir()
    (planted / "providers" / "us_east_1.json").write_text("{}")
    (planted / "version.json").write_text('{"schema_date": "9999-12-31T00:00:00Z"}')
    root = __file__.rsplit("/tests/", 1)[0]
    env = {**os.environ, "PYTHONPATH": root, "XDG_CACHE_HOME": str(tmp_path / "xdg"),
           CACHE_ENV: str(tmp_path / "cache")}
    done = subprocess.run([sys.executable, "-m", "compiler", "compile", "specs/dev.yaml"],
                          cwd=root, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "cfn-lint" not in done.stderr


@pytest.mark.parametrize("xdg", [True, False])
def test_importing_cfn_lint_reads_its_own_schemas_and_leaves_the_environment_as_it_was(
    xdg: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In-process, what the subprocess test above does through a build: the
    import that chooses cfn-lint's schemas (cfnlint.schema.manager, imported
    afresh here) passes over a newer download in the user's cache folder, and
    the cache-folder variable is as it was afterwards: set to the user's
    value, or unset."""
    planted = tmp_path / "xdg" / "aws" / "cfn-lint" / "schemas"
    (planted / "providers").mkdir(parents=True)
    (planted / "providers" / "us-east-1.json").write_text("{}")
    (planted / "version.json").write_text('{"schema_date": "9999-12-31T00:00:00Z"}')
    if xdg:
        monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    else:
        monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
        monkeypatch.setenv("HOME", str(tmp_path / "xdg"))  # ~/.cache is not where it looks
    _import_cfn_lint()  # the module the suite uses, put back after the test
    monkeypatch.delitem(sys.modules, "cfnlint.schema.manager")
    _import_cfn_lint()
    manager = sys.modules["cfnlint.schema.manager"].PROVIDER_SCHEMA_MANAGER
    assert tmp_path not in manager._providers_dir.parents
    assert os.environ.get("XDG_CACHE_HOME") == (str(tmp_path / "xdg") if xdg else None)


def test_the_suites_strict_linter_reports_informational_findings(strict_linter: Linter) -> None:
    """The goldens are checked with cfn-lint's I-rules too (conftest's strict_linter):
    a stateful resource without a DeletionPolicy draws I3011 there."""
    template = ("Resources:\n  Cache:\n    Type: AWS::ElastiCache::ReplicationGroup\n"
                "    Properties:\n      ReplicationGroupDescription: x\n"
                "      CacheNodeType: cache.t4g.micro\n      Engine: redis\n"
                "      NumCacheClusters: 1\n")
    assert "I3011" in {f.rule_id for f in strict_linter.lint(template)}
    assert "I3011" not in {f.rule_id for f in Linter().lint(template)}
