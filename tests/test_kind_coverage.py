"""The kind registry (compiler/registry.py) is complete, used, documented and tested.

Every kind the compiler reports is a constant defined beside the code that
reports it, and listed once in one registry; code names the constant, never
the id. Here: the registry is well formed and holds every kind defined, ids
and names unique; no call site writes a kind as a string; every registered
kind is reported somewhere in the code and by the rules that declare it;
docs/rules.md is the registry's page; and every kind is triggered by a
test. Error kinds need a bad-spec corpus case (`# expect: <kind> ...`), a
golden diff that reports them (update-path kinds need a before and an after
spec), or, where neither can carry one, a test listed in PYTHON_CASES;
warning kinds need a test that names them in an assertion, or a golden diff
that reports them.
"""

from __future__ import annotations

import ast
import functools
import importlib
import re
from pathlib import Path

from compiler import rules_reference
from compiler.diagnostics import Severity
from compiler.kinds import Kind
from compiler.registry import KINDS, RULES
from compiler.rules import network, topology

ROOT = Path(__file__).parent.parent
SOURCES = sorted(p for p in (ROOT / "compiler").rglob("*.py") if p.name != "registry.py")
MAKERS = {"error", "warning", "Diagnostic", "_file_error", "_LoadError", "_refuse"}
KIND_TYPES = {"ErrorKind", "WarningKind"}
FAMILY = re.compile(r"^[a-z0-9-]+-[A-Z]<rule>\Z")

# Error kinds whose trigger is not a spec text: kind -> test that triggers it.
PYTHON_CASES = {
    # Every engine version cachec accepts is past the global datastore's floor.
    "global-datastore-engine-version":
        "test_global_datastore.py::test_an_engine_below_the_floor_is_refused",
    "empty-spec": "test_bad_specs.py::test_empty_file_is_refused",
    "file-not-found": "test_cli.py",
    "file-too-large": "test_spec_files.py::test_file_too_large",
    "file-unreadable": "test_spec_files.py::test_unreadable_file",
    "not-a-regular-file": "test_load.py::test_fifo_is_refused_without_waiting_for_a_writer",
    "duplicate-stack": "test_cli.py::test_two_specs_for_one_stack_are_refused",
    "stack-owned-by-another-spec":
        "test_publish.py::test_another_pair_that_joins_to_the_same_stack_is_refused",
    "worker-died": "test_batch.py::test_a_dead_worker_is_an_error_for_its_spec_only",
    # `diff --deployed FILE`: the file's errors, not a spec's.
    "deployed-unreadable": "test_deployed.py::test_missing_deployed_file",
    "deployed-not-a-template": "test_deployed.py::test_bad_deployed_files",
    "deployed-other-cache": "test_deployed.py::test_a_stack_of_another_cache_is_refused",
    # `cachec import FILE...`: the describe output's errors, not a spec's.
    "import-unreadable": "test_adopt.py::test_bad_inputs_are_located_errors",
    "import-not-describe-output": "test_adopt.py::test_bad_inputs_are_located_errors",
    "import-ambiguous": "test_adopt.py::test_bad_inputs_are_located_errors",
    "import-not-adoptable": "test_adopt.py::test_bad_inputs_are_located_errors",
    "import-missing-input": "test_adopt.py::test_bad_inputs_are_located_errors",
    # Found by the lint stage, which the corpus (built with --no-lint) skips.
    "node-type-not-in-region": "test_lint.py",
    "cfn-lint-E<rule>": "test_lint.py::test_lint_errors_name_the_template_path_and_the_spec_key",
    "cfn-lint-W<rule>": "test_lint.py::test_cfn_lint_warnings_stay_warnings",
    # jsonschema keywords without a translator: a safety net, unreachable by
    # design (test_schema checks every keyword the schema uses has one).
    "schema": "",
}


@functools.cache
def _trees() -> list[tuple[Path, ast.AST]]:
    return [(p, ast.parse(p.read_text(encoding="utf-8"))) for p in SOURCES]


def _module(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@functools.cache
def _definitions() -> dict[str, list[str]]:
    """Kind constant name -> the modules that define it (`NAME = ErrorKind(...)`)."""
    found: dict[str, list[str]] = {}
    for path, tree in _trees():
        for node in getattr(tree, "body", []):
            if (isinstance(node, ast.Assign) and isinstance(node.value, ast.Call)
                    and getattr(node.value.func, "id", None) in KIND_TYPES):
                for target in node.targets:
                    assert isinstance(target, ast.Name), (path, node.lineno)
                    found.setdefault(target.id, []).append(_module(path))
    return found


def _constants() -> dict[str, Kind]:
    """Every kind the code defines, by its constant's name."""
    found = {}
    for name, modules in _definitions().items():
        kind = getattr(importlib.import_module(modules[0]), name)
        assert isinstance(kind, Kind), name
        found[name] = kind
    return found


def _kind_names(tree: ast.AST) -> set[str]:
    """The kind constants a piece of code reads: `MULTI_AZ_NEEDS_REPLICAS`,
    `topology.MULTI_AZ_NEEDS_REPLICAS` (a definition is not a use)."""
    names = set(_definitions())
    return {
        node.id if isinstance(node, ast.Name) else node.attr
        for node in ast.walk(tree)
        if (isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and node.id in names)
        or (isinstance(node, ast.Attribute) and node.attr in names)
    }


def test_the_registry_is_one_explicit_list() -> None:
    definitions = _definitions()
    twice = {name: modules for name, modules in definitions.items() if len(modules) > 1}
    assert not twice, f"one name for two kinds: {twice}"
    constants = _constants()
    assert len(KINDS) > 90
    assert set(constants.values()) == set(KINDS), (
        "defined, not in registry.KINDS: "
        f"{sorted(n for n, k in constants.items() if k not in KINDS)}"
    )
    assert len(set(KINDS)) == len(KINDS), "a kind listed twice in registry.KINDS"
    assert len({k.id for k in KINDS}) == len(KINDS), "two kinds share an id"
    assert topology.MULTI_AZ_NEEDS_REPLICAS.severity is Severity.ERROR
    assert network.PUBLIC_CIDR.severity is Severity.WARNING


def test_every_kind_has_its_metadata() -> None:
    for kind in KINDS:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", kind.id) or FAMILY.match(kind.id), kind
        for text in (kind.summary, kind.rationale, kind.fix):
            assert text.strip() and "\n" not in text, kind.id
            assert text.endswith("."), (kind.id, text)
        assert not kind.source or kind.source.startswith("https://"), kind.id


def test_no_call_site_writes_a_kind_as_a_string() -> None:
    # "schema" is also a CLI command and a module name: not a sign of a kind.
    ids = {k.id for k in KINDS} - {"schema"}
    for path, tree in _trees():
        defined = {
            id(node.args[0]) for node in ast.walk(tree)
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) in KIND_TYPES
        }
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and node.value in ids and id(node) not in defined:
                raise AssertionError(f"{path}:{node.lineno}: name the constant, not {node.value}")
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", getattr(node.func, "attr", None))
            kind_args = [*node.args[:1], *(k.value for k in node.keywords if k.arg == "kind")]
            if name in MAKERS and any(isinstance(a, ast.Constant) for a in kind_args):
                raise AssertionError(f"{path}:{node.lineno}: an unregistered kind")


def test_every_registered_kind_is_reported_by_the_code() -> None:
    used = set().union(*(_kind_names(tree) for _, tree in _trees()))
    assert not used - set(_constants()), "code names a kind the registry lacks"
    assert not set(_constants()) - used, f"registered, never reported: {set(_constants()) - used}"


def test_each_rule_declares_exactly_the_kinds_its_body_reports() -> None:
    by_module = dict(_trees())
    for rule in RULES:
        module = ROOT / (rule.check.__module__.replace(".", "/") + ".py")
        function = next(
            node for node in ast.walk(by_module[module])
            if isinstance(node, ast.FunctionDef) and node.name == rule.check.__name__
        )
        declared = {name for name, k in _constants().items() if k in rule.kinds}
        assert _kind_names(function) == declared, rule.name


def test_committed_rules_page_is_current() -> None:
    committed = (ROOT / "docs" / "rules.md").read_bytes()
    assert committed == rules_reference.markdown().encode(), (
        "run: cachec schema --format rules > docs/rules.md"
    )


def corpus_kinds() -> set[str]:
    found = set()
    for spec in (ROOT / "tests" / "bad_specs").glob("*.yaml"):
        text = spec.read_bytes().decode("utf-8", errors="replace")
        found |= set(re.findall(r"^# expect: (\S+) ", text, re.M))
    return found


def diff_kinds() -> set[str]:
    """Kinds the golden diffs (tests/diffs/<case>/expected.txt) report."""
    found = set()
    for expected in (ROOT / "tests" / "diffs").glob("*/expected.txt"):
        found |= set(re.findall(r" \[([a-z0-9-]+)\]$", expected.read_text(), re.M))
    return found


def test_every_error_kind_has_a_case() -> None:
    errors = {k.id for k in KINDS if k.severity is Severity.ERROR}
    missing = errors - corpus_kinds() - diff_kinds() - set(PYTHON_CASES)
    assert not missing, f"error kinds without a bad-spec corpus case: {sorted(missing)}"


def test_python_cases_exist_and_name_their_kind() -> None:
    assert set(PYTHON_CASES) <= {k.id for k in KINDS}
    for kind, where in PYTHON_CASES.items():
        if not where:
            continue
        module, _, function = where.partition("::")
        source = (ROOT / "tests" / module).read_text(encoding="utf-8")
        assert kind.partition("<")[0] in source, (kind, module)
        if function:
            assert f"def {function}(" in source, where


def test_every_warning_kind_is_asserted_somewhere() -> None:
    tests = "".join(p.read_text(encoding="utf-8") for p in (ROOT / "tests").glob("test_*.py")
                    if p.name != Path(__file__).name)
    warnings = {k.id for k in KINDS if k.severity is Severity.WARNING} - set(PYTHON_CASES)
    missing = {k for k in warnings if f'"{k}"' not in tests} - diff_kinds()
    assert not missing, f"warning kinds no test asserts: {sorted(missing)}"


def test_a_semantic_rule_is_registered_in_one_list() -> None:
    """A rule brings its kinds: registry.KINDS takes them from rules.RULES,
    so adding a rule touches that list only. The registry names none of
    them itself, and every one is on the page."""
    from compiler import registry, rules

    tree = ast.parse(Path(registry.__file__).read_text(encoding="utf-8"))
    listing = next(
        node.value for node in tree.body
        if isinstance(node, ast.AnnAssign) and ast.unparse(node.target) == "KINDS"
    )
    assert isinstance(listing, ast.Call)
    named = [functools.reduce(getattr, parts[1:], vars(registry)[parts[0]])
             for parts in (ast.unparse(a).split(".") for a in listing.args
                           if not isinstance(a, ast.Starred))]
    brought = {kind for rule in rules.RULES for kind in rule.kinds}
    assert not brought & set(named), "listed in registry.KINDS and brought by a rule"
    assert brought <= set(KINDS)
