"""The kind registry (compiler/kinds.py) is complete, used, documented and tested.

Every kind the compiler reports is a constant in one registry; code names the
constant, never the id. Here: the registry is well formed; no call site writes
a kind as a string; every registered kind is reported somewhere in the code
and by the rules that declare it; docs/rules.md is the registry's page; and
every kind is triggered by a test. Error kinds need a bad-spec corpus case
(`# expect: <kind> ...`), a golden diff that reports them (update-path kinds
need a before and an after spec), or, where neither can carry one, a test
listed in PYTHON_CASES; warning kinds need a test that names them in an
assertion, or a golden diff that reports them.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any

from compiler import kinds, rules, rules_reference
from compiler.change import update_paths
from compiler.diagnostics import Severity
from compiler.kinds import KINDS, Kind, Rule

ROOT = Path(__file__).parent.parent
SOURCES = sorted(p for p in (ROOT / "compiler").rglob("*.py") if p.name != "kinds.py")
MAKERS = {"error", "warning", "Diagnostic", "_file_error", "_LoadError", "_refuse"}
FAMILY = re.compile(r"^[a-z0-9-]+-[A-Z]<rule>\Z")

# Error kinds whose trigger is not a spec text: kind -> test that triggers it.
PYTHON_CASES = {
    "empty-spec": "test_bad_specs.py::test_empty_file_is_refused",
    "file-not-found": "test_cli.py",
    "file-too-large": "test_spec_files.py::test_file_too_large",
    "file-unreadable": "test_spec_files.py::test_unreadable_file",
    "not-a-regular-file": "test_load.py::test_fifo_is_refused_without_waiting_for_a_writer",
    "duplicate-stack": "test_cli.py::test_two_specs_for_one_stack_are_refused",
    "stack-owned-by-another-spec":
        "test_publish.py::test_another_pair_that_joins_to_the_same_stack_is_refused",
    "worker-died": "test_batch.py::test_a_dead_worker_is_an_error_for_its_spec_only",
    # Found by the lint stage, which the corpus (built with --no-lint) skips.
    "node-type-not-in-region": "test_lint.py",
    "cfn-lint-E<rule>": "test_lint.py::test_lint_errors_name_the_template_path_and_the_spec_key",
    "cfn-lint-W<rule>": "test_lint.py::test_cfn_lint_warnings_stay_warnings",
    # jsonschema keywords without a translator: a safety net, unreachable by
    # design (test_schema checks every keyword the schema uses has one).
    "schema": "",
}
REGISTERED_RULES: list[Rule[Any]] = [
    *rules.RULES, *update_paths.IN_PLACE_RULES, *update_paths.RULES
]


def _trees() -> list[tuple[Path, ast.AST]]:
    return [(p, ast.parse(p.read_text(encoding="utf-8"))) for p in SOURCES]


def _kind_names(tree: ast.AST) -> set[str]:
    """The registry constants a piece of code names: `kinds.MULTI_AZ_NEEDS_REPLICAS`."""
    return {
        node.attr
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == "kinds"
        and node.attr.isupper()
    }


def _constants() -> dict[str, Kind]:
    return {name: v for name, v in vars(kinds).items() if isinstance(v, Kind)}


def test_the_registry_is_one_explicit_list() -> None:
    constants = _constants()
    assert len(KINDS) > 90
    assert set(constants.values()) == set(KINDS), "a Kind constant missing from KINDS"
    assert len({k.id for k in KINDS}) == len(KINDS), "two kinds share an id"
    assert kinds.MULTI_AZ_NEEDS_REPLICAS.severity is Severity.ERROR
    assert kinds.PUBLIC_CIDR.severity is Severity.WARNING


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
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and node.value in ids:
                raise AssertionError(f"{path}:{node.lineno}: write kinds.<NAME>, not {node.value}")
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
    for rule in REGISTERED_RULES:
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
