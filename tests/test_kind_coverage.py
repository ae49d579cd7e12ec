"""Every diagnostic kind the compiler can emit is triggered by a test.

Kinds are found in the source (the first argument, or `kind=`, of every call
that makes a diagnostic), so a new kind without a case fails here. Error kinds
need a bad-spec corpus case (`# expect: <kind> ...`), a golden diff that
reports them (update-path kinds need a before and an after spec), or, where
neither can carry one, a test listed in PYTHON_CASES; warning kinds need a
test that names them in an assertion, or a golden diff that reports them.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).parent.parent
MAKERS = {"error", "warning", "Diagnostic", "_file_error", "_LoadError"}

# Error kinds whose trigger is not a spec text: kind -> test that triggers it.
PYTHON_CASES = {
    "empty-spec": "test_bad_specs.py::test_empty_file_is_refused",
    "file-not-found": "test_cli.py",
    "file-too-large": "test_spec_files.py::test_file_too_large",
    "file-unreadable": "test_spec_files.py::test_unreadable_file",
    "not-a-regular-file": "test_load.py::test_fifo_is_refused_without_waiting_for_a_writer",
    "duplicate-stack": "test_cli.py::test_two_specs_for_one_stack_are_refused",
    # Found by the lint stage, which the corpus (built with --no-lint) skips.
    "node-type-not-in-region": "test_lint.py",
    # jsonschema keywords without a translator: a safety net, unreachable by
    # design (test_schema checks every keyword the schema uses has one).
    "schema": "",
}


def emitted_kinds() -> dict[str, set[str]]:
    """kind -> {"error", "warning"} as the source makes it."""
    found: dict[str, set[str]] = {}
    for path in (ROOT / "compiler").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", getattr(node.func, "attr", None))
            if name not in MAKERS:
                continue
            args = [*node.args[:1], *(k.value for k in node.keywords if k.arg == "kind")]
            severity = "warning" if name == "warning" else "error"
            for arg in args:
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    found.setdefault(arg.value, set()).add(severity)
    return found


def corpus_kinds() -> set[str]:
    kinds = set()
    for spec in (ROOT / "tests" / "bad_specs").glob("*.yaml"):
        text = spec.read_bytes().decode("utf-8", errors="replace")
        kinds |= set(re.findall(r"^# expect: (\S+) ", text, re.M))
    return kinds


def diff_kinds() -> set[str]:
    """Kinds the golden diffs (tests/diffs/<case>/expected.txt) report."""
    kinds = set()
    for expected in (ROOT / "tests" / "diffs").glob("*/expected.txt"):
        kinds |= set(re.findall(r" \[([a-z0-9-]+)\]$", expected.read_text(), re.M))
    return kinds


def test_the_scan_finds_kinds() -> None:
    kinds = emitted_kinds()
    assert len(kinds) > 40
    assert kinds["multi-az-needs-replicas"] == {"error"}
    assert kinds["public-cidr"] == {"warning"}
    assert "too-deep" in kinds  # made through _LoadError / _file_error


def test_every_error_kind_has_a_case() -> None:
    errors = {k for k, severities in emitted_kinds().items() if "error" in severities}
    missing = errors - corpus_kinds() - diff_kinds() - set(PYTHON_CASES)
    assert not missing, f"error kinds without a bad-spec corpus case: {sorted(missing)}"


def test_python_cases_exist_and_name_their_kind() -> None:
    for kind, where in PYTHON_CASES.items():
        if not where:
            continue
        module, _, function = where.partition("::")
        source = (ROOT / "tests" / module).read_text(encoding="utf-8")
        assert kind in source, (kind, module)
        if function:
            assert f"def {function}(" in source, where


def test_every_warning_kind_is_asserted_somewhere() -> None:
    tests = "".join(p.read_text(encoding="utf-8") for p in (ROOT / "tests").glob("test_*.py")
                    if p.name != Path(__file__).name)
    warnings = {k for k, severities in emitted_kinds().items() if "warning" in severities}
    missing = {k for k in warnings if f'"{k}"' not in tests} - diff_kinds()
    assert not missing, f"warning kinds no test asserts: {sorted(missing)}"
