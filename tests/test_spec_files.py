"""Spec files that cannot be corpus cases: too large to commit, or not files at all."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from compiler.cli import main
from compiler.input.load import MAX_BYTES


def _build(spec: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    out = tmp_path / "out"
    code = main(["build", str(spec), "--out", str(out), "--no-lint"])
    assert not out.exists(), "a refused spec must write nothing"
    return code, capsys.readouterr().err


def test_file_too_large(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = tmp_path / "huge.yaml"
    spec.write_text("cachec: 1\n" + "# padding\n" * (MAX_BYTES // 10 + 1), encoding="utf-8")
    code, err = _build(spec, tmp_path, capsys)
    assert code == 1
    assert err.startswith(f"{spec}:1:1: error: $: spec is larger than 1024 KiB")
    assert "[file-too-large]" in err


def test_unreadable_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Permissions cannot stop root (the suite may run as root): fail the open."""
    spec = tmp_path / "secret.yaml"
    spec.write_text("cachec: 1\n", encoding="utf-8")

    def denied(*_: object, **__: object) -> int:
        raise PermissionError(13, "Permission denied", str(spec))

    monkeypatch.setattr(os, "open", denied)
    code, err = _build(spec, tmp_path, capsys)
    assert code == 1
    assert err.splitlines()[0] == (
        f"{spec}:1:1: error: $: cannot read file: Permission denied [file-unreadable]"
    )
