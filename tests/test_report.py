"""Reporters: results as data, a reporter picked by name, the CLI only writes."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from compiler import cli, report
from compiler.api import compile_text


def test_a_new_review_format_is_an_entry_in_the_table(
    spec: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The CLI offers every reporter by name and writes what it returns; it
    renders nothing itself."""
    def count(reviews: Sequence[Any], results: Sequence[Any]) -> str:
        return f"{len(reviews)} review(s) of {[r.filename for r in results]}\n"

    monkeypatch.setitem(report.REVIEW_REPORTERS, "count", count)
    out = tmp_path / "out"
    assert cli.main(["build", str(spec), "--out", str(out), "--no-lint"]) == 0
    capsys.readouterr()
    assert cli.main(["diff", str(spec), "--out", str(out), "--format", "count"]) == 0
    assert capsys.readouterr().out == f"1 review(s) of {[str(spec)]}\n"


def test_diagnostic_lines_are_located_and_in_text_order() -> None:
    text = "cachec: 1\nname: orders\nenvironment: prod\nport: 80\nnode_type: cache.m1.small\n"
    result = compile_text(text, "x.yaml", lint=False)
    lines = list(report.diagnostic_lines([result]))
    assert lines and all(line.startswith("x.yaml:") for line in lines)
    positions = [tuple(int(n) for n in line.split(":")[1:3]) for line in lines]
    assert positions == sorted(positions)


def test_the_build_report_is_composed_from_the_result_alone() -> None:
    """A build's lines come from its result as data: what it wrote on stdout,
    its notes before on stderr, its errors after; standard output failing
    moves the record to stderr."""
    from compiler.api import BuildResult, StackOutcome

    stacks = (
        StackOutcome("out/a", 2, True, ("out/a/v2.yaml",), guide="out/a/v2.DEPLOY.md"),
        StackOutcome("out/b", 1, False, legacy=True),
    )
    built = report.BUILD_REPORTERS["text"](BuildResult(
        (), True, stacks, notices=("removed out/a/.v3.tmp",), errors=("out/c: locked",),
        warnings=("out/b/v1.yaml: unverified",),
    ))
    assert built.before == ("cachec: removed out/a/.v3.tmp",
                            "cachec: warning: out/b/v1.yaml: unverified")
    assert built.output == (
        "out/a: wrote v2 (out/a/v2.yaml)",
        "out/a: deploy v2 with out/a/v2.DEPLOY.md",
        "out/b: recorded the SHA-256 of every published file in versions.json (its manifest "
        "was written by an older cachec)",
        "out/b: up to date (v1)",
    )
    assert built.after == ("cachec: error: out/c: locked",)
    assert built.unreported("No space left on device") == (
        "cachec: error: cannot write to standard output: No space left on device; the build "
        "itself is not affected, and did this:",
        *built.output,
    )


def test_a_plan_reports_on_stderr_only() -> None:
    from compiler.api import BuildResult, StackOutcome

    stacks = (StackOutcome("out/a", 3, True, leftovers=(".v3.yaml.tmp",)),
              StackOutcome("out/b\x1b[2J", 1, False, legacy=True))
    planned = report.BUILD_REPORTERS["text"](BuildResult((), False, stacks))
    assert planned.output == () and planned.after == ()
    assert planned.before == (
        "cachec: out/a/.v3.yaml.tmp: left uncommitted by an interrupted build (the next build "
        "removes it)",
        "out/a: out of date (would write v3)",
        "out/b\\x1b[2J/versions.json: records no file hashes (written by an older cachec): run "
        "`cachec build` once to record them",
    )
