"""The version store read back as an attacker (or a mishap) left it: bounded, named, exit 1."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from compiler.cli import main

STACK = "orders-staging"


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(list(args))
    return code, capsys.readouterr().err


@pytest.fixture
def store(spec: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    out = tmp_path / "out"
    assert main(["build", str(spec), "--out", str(out), "--no-lint"]) == 0
    capsys.readouterr()
    return out


@pytest.mark.parametrize("command", ["build", "check", "diff"])
def test_a_published_file_replaced_by_a_link_to_a_device_is_named(
    command: str, spec: Path, store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    template = store / STACK / "v1.yaml"
    template.unlink()
    template.symlink_to("/dev/zero")  # read to the end, it would never end
    args = ["diff", str(spec), "--out", str(store)] if command == "diff" else [
        "build", str(spec), "--out", str(store), "--no-lint",
        *(["--check"] if command == "check" else []),
    ]
    code, err = _run(capsys, *args)
    assert code == 1
    assert f"{template}: " in err and "not a plain file" in err
    assert "internal error" not in err


def test_an_oversized_published_file_is_named(
    spec: Path, store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    template = store / STACK / "v1.yaml"
    os.truncate(template, 9 * 1024 * 1024)  # sparse: costs no disk
    code, err = _run(capsys, "build", str(spec), "--out", str(store), "--no-lint", "--check")
    assert code == 1
    assert f"{template}: " in err and "larger than 8 MiB" in err


def test_a_deeply_nested_manifest_is_not_a_manifest(
    spec: Path, store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    manifest = store / STACK / "versions.json"
    manifest.write_text("[" * 100_000 + "]" * 100_000)
    code, err = _run(capsys, "build", str(spec), "--out", str(store), "--no-lint")
    assert code == 1
    assert f"{manifest}: not a cachec manifest (nested too deeply)" in err


@pytest.mark.parametrize("check", [True, False])
def test_a_folder_with_a_temporary_name_is_a_stray_for_check_and_build(
    check: bool, spec: Path, store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """build --check and build agree: neither adopts nor removes it."""
    (store / STACK / ".cachec-x.tmp" / "inner").mkdir(parents=True)
    code, err = _run(capsys, "build", str(spec), "--out", str(store), "--no-lint",
                     *(["--check"] if check else []))
    assert code == 1
    assert ".cachec-x.tmp: not a version" in err
    assert (store / STACK / ".cachec-x.tmp" / "inner").is_dir()


@pytest.mark.parametrize("name", ["v1.yaml", "versions.json"])
@pytest.mark.parametrize("command", ["build", "check", "diff"])
def test_a_published_file_replaced_by_a_folder_is_named(
    name: str, command: str, spec: Path, store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """It said "5: cannot read ...", the number of a file descriptor."""
    path = store / STACK / name
    path.unlink()
    path.mkdir()
    args = ["diff", str(spec), "--out", str(store)] if command == "diff" else [
        "build", str(spec), "--out", str(store), "--no-lint",
        *(["--check"] if command == "check" else []),
    ]
    code, err = _run(capsys, *args)
    assert code == 1
    assert f"{path}: " in err and "a directory, not a file" in err, err
    assert "internal error" not in err


@pytest.mark.parametrize("command", ["build", "check", "diff"])
def test_a_published_file_replaced_by_a_link_to_its_own_copy_is_refused(
    command: str, spec: Path, store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The bytes are the ones versions.json records, but a link lets another
    file stand in for a published version, which is never rewritten."""
    template = store / STACK / "v1.yaml"
    elsewhere = store / "elsewhere.yaml"
    shutil.copy(template, elsewhere)
    template.unlink()
    template.symlink_to(elsewhere)
    args = ["diff", str(spec), "--out", str(store)] if command == "diff" else [
        "build", str(spec), "--out", str(store), "--no-lint",
        *(["--check"] if command == "check" else []),
    ]
    code, err = _run(capsys, *args)
    assert code == 1
    assert f"{template}: " in err and "a symbolic link, not a plain file" in err, err


@pytest.mark.parametrize("check", [True, False])
def test_a_stack_folder_that_is_a_file_is_named(
    check: bool, spec: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "out" / STACK
    folder.parent.mkdir()
    folder.write_text("not a folder\n")
    code, err = _run(capsys, "build", str(spec), "--out", str(folder.parent), "--no-lint",
                     *(["--check"] if check else []))
    assert code == 1
    assert f"{folder}: cannot open the stack folder: Not a directory" in err, err
    assert folder.read_text() == "not a folder\n"


@pytest.mark.parametrize("name", [".cachec-notes", "notes.tmp"])
def test_a_file_with_half_a_temporary_name_is_not_a_leftover(
    name: str, spec: Path, store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Only a build's own temporary files (prefix and suffix) are removed as
    leftovers of an interrupted build; a user's file is not cachec's to delete."""
    mine = store / STACK / name
    mine.write_text("mine\n")
    code, err = _run(capsys, "build", str(spec), "--out", str(store), "--no-lint")
    assert code == 0, err
    assert mine.read_text() == "mine\n"
    assert "removed" not in err
