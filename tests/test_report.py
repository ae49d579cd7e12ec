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
