"""Golden tests: tests/golden/<case>/spec.yaml compiles to expected.yaml, byte for byte,
and prints exactly the warnings in expected.warnings (no file: none).

A new case is a new folder, not new code. `make golden` (pytest
--update-golden) rewrites the expected files; review the diff before
committing it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from compiler.api import compile_text
from compiler.deploy.version_files import deployment_files
from compiler.pipeline import Part
from compiler.report import diagnostic_lines
from compiler.template.lint import Linter

GOLDEN = Path(__file__).parent / "golden"
CASES = sorted(p.name for p in GOLDEN.iterdir() if (p / "spec.yaml").is_file())


def test_enough_cases() -> None:
    assert len(CASES) >= 8, CASES


@pytest.mark.parametrize("case", CASES)
def test_golden(case: str, update_golden: bool, linter: Linter) -> None:
    folder = GOLDEN / case
    spec = folder / "spec.yaml"
    result = compile_text(spec.read_text(encoding="utf-8"), str(spec), linter=linter)
    problems = [d for d in result.diagnostics if d.is_error]
    assert not problems, problems
    assert result.text is not None
    expected = folder / "expected.yaml"
    if update_golden:
        expected.write_bytes(result.text.encode())
    assert expected.is_file(), f"{expected} missing: run `make golden` and review it"
    # Bytes, not text: read_text would turn a CRLF golden back into LF and pass.
    assert result.text.encode() == expected.read_bytes()
    _check_deployment_files(folder, deployment_files(result, 1, "v1.yaml"), update_golden)
    _check_parts(folder, result.parts, update_golden)
    _check_warnings(folder, [line.replace(str(spec), spec.name, 1)
                             for line in diagnostic_lines([result])], update_golden)


def _check_warnings(folder: Path, lines: list[str], update_golden: bool) -> None:
    """What `cachec build` prints about the spec, wording included: a warning's
    text is what its reader acts on, so a change to it is a reviewed diff."""
    expected = folder / "expected.warnings"
    text = "".join(f"{line}\n" for line in lines)
    if update_golden:
        if text:
            expected.write_text(text, encoding="utf-8")
        else:
            expected.unlink(missing_ok=True)
    assert text == (expected.read_text(encoding="utf-8") if expected.exists() else ""), expected


def _check_parts(folder: Path, parts: tuple[Part, ...], update_golden: bool) -> None:
    """A global datastore's secondary regions: expected.<region>.yaml each, and
    no other expected.<region>.yaml in the folder."""
    made = {f"expected.{part.name}.yaml": part.text.encode() for part in parts}
    if update_golden:
        for name, text in made.items():
            (folder / name).write_bytes(text)
    present = {p.name for p in folder.glob("expected.*.yaml")}
    assert present == set(made), f"{folder}: parts {sorted(made)}, files {sorted(present)}"
    for name, text in made.items():
        assert text == (folder / name).read_bytes(), folder / name


# Deployment files compared like the template: expected.<suffix>. DEPLOY.md is
# the StackSet guide with stack.stackset, else the plain stack's.
_DEPLOYMENT_FILES = ("stackset.json", "DEPLOY.md")


def _check_deployment_files(folder: Path, files: dict[str, str], update_golden: bool) -> None:
    for suffix in _DEPLOYMENT_FILES:
        text, expected = files.get(f"v1.{suffix}"), folder / f"expected.{suffix}"
        if text is None:
            assert not expected.exists(), f"{expected}: the spec has no stack.stackset"
            continue
        if update_golden:
            expected.write_bytes(text.encode())
        assert text.encode() == expected.read_bytes(), expected


@pytest.mark.parametrize("case", CASES)
def test_golden_is_lint_clean(case: str, strict_linter: Linter) -> None:
    """The committed expected file itself draws no cfn-lint finding, informational
    ones included (I3011: every stateful resource has a deliberate policy)."""
    text = (GOLDEN / case / "expected.yaml").read_text(encoding="utf-8")
    assert strict_linter.lint(text) == []


PART_FILES = sorted(
    (p.parent.name, p.name.split(".")[1])
    for p in GOLDEN.glob("*/expected.*.yaml")
)


@pytest.mark.parametrize(("case", "region"), PART_FILES)
def test_golden_part_is_lint_clean(case: str, region: str, strict_linter: Linter) -> None:
    """A secondary region's template, linted in its own region."""
    text = (GOLDEN / case / f"expected.{region}.yaml").read_text(encoding="utf-8")
    assert strict_linter.lint(text, regions=(region,)) == []
