"""Unchanged specs are not synthesized again: the published template is reused
only when the compiler's code, the spec and the published files say it is the
same template, and the result is the one a fresh synthesis gives."""

from __future__ import annotations

import collections
import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from compiler import api, synthesize
from compiler.input.model import Spec
from compiler.store import publish, reuse
from compiler.synthesize import Provenance


@pytest.fixture
def synthesized(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The stacks synthesis was called for (the pipeline imports it late:
    `cachec validate` may not need it)."""
    calls: list[str] = []
    real = synthesize.synthesize

    def counting(spec: Spec, provenance: Provenance) -> object:
        calls.append(spec.stack_name)
        return real(spec, provenance)

    monkeypatch.setattr(synthesize, "synthesize", counting)
    return calls


def _build(spec: Path, out: Path, fmt: str = "yaml") -> api.BuildResult:
    result = api.build([str(spec)], out=str(out), fmt=fmt, lint=False)
    assert result.exit_code == 0, result
    return result


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_an_unchanged_spec_is_not_synthesized_and_compiles_to_the_same_result(
    spec: Path, tmp_path: Path, synthesized: list[str], fmt: str
) -> None:
    first = _build(spec, tmp_path / "out", fmt)
    assert synthesized == ["orders-staging"]
    for command in (api.plan, api.build):
        again = command([str(spec)], out=str(tmp_path / "out"), fmt=fmt, lint=False)
        assert synthesized == ["orders-staging"], "synthesized an unchanged spec"
        assert again.exit_code == 0 and not again.stacks[0].new
        assert again.results == first.results


def test_a_changed_spec_is_synthesized(
    spec: Path, tmp_path: Path, synthesized: list[str]
) -> None:
    _build(spec, tmp_path / "out")
    text = spec.read_text()
    assert "\ndescription: " in text
    spec.write_text(text.replace("\ndescription: ", "\ndescription: Another ", 1))
    assert _build(spec, tmp_path / "out").stacks[0].new
    assert len(synthesized) == 2


def test_changed_compiler_code_synthesizes_again(
    spec: Path, tmp_path: Path, synthesized: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """An edited checkout still calls itself "cachec 0.1.0": the code's
    fingerprint, not the version string, says whether the output can change."""
    _build(spec, tmp_path / "out")
    monkeypatch.setattr(reuse, "code_fingerprint", lambda: "edited")
    _build(spec, tmp_path / "out")
    assert len(synthesized) == 2


def test_a_cache_entry_that_does_not_match_the_store_is_not_trusted(
    spec: Path, tmp_path: Path, synthesized: list[str], lint_cache: Path
) -> None:
    first = _build(spec, tmp_path / "out")
    (entry,) = (lint_cache / "templates").glob("*.json")
    data = json.loads(entry.read_text())
    data["content"]["Description"] = "not what was published"
    entry.write_text(json.dumps(data))
    assert _build(spec, tmp_path / "out").results == first.results
    assert len(synthesized) == 2
    entry.write_text("{")
    assert _build(spec, tmp_path / "out").results == first.results
    assert len(synthesized) == 3


def test_a_spec_published_in_both_formats_is_reused_in_each(
    spec: Path, tmp_path: Path, synthesized: list[str]
) -> None:
    """The entry a YAML build remembers is not the one a JSON build reads:
    alternating formats (two stores) keep reusing each."""
    _build(spec, tmp_path / "yaml", "yaml")
    _build(spec, tmp_path / "json", "json")
    assert len(synthesized) == 2
    for out, fmt in ((tmp_path / "yaml", "yaml"), (tmp_path / "json", "json")) * 2:
        assert not _build(spec, out, fmt).stacks[0].new
    assert len(synthesized) == 2, "one format's entry replaced the other's"


def test_the_code_fingerprint_reads_every_code_files_contents(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An edit inside a module (same file names) is new code: the output may change."""
    package = tmp_path / "compiler"
    shutil.copytree(Path(reuse.__file__).parent.parent, package,
                    ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(reuse, "__file__", str(package / "store" / "reuse.py"))
    fingerprint = reuse.code_fingerprint.__wrapped__

    def after(edit: Callable[[], object]) -> str:
        edit()
        return fingerprint()

    first = fingerprint()
    assert fingerprint() == first
    render = package / "template" / "render.py"
    assert after(lambda: render.write_text(render.read_text() + "# edited\n")) != first
    second = fingerprint()
    data = package / "catalog" / "create_only.json"
    assert after(lambda: data.write_text(data.read_text().replace("Port", "Pert"))) != second
    third = fingerprint()
    # Compiled bytecode and other files are not code it reads.
    (package / "__pycache__").mkdir(exist_ok=True)
    assert after(lambda: (package / "__pycache__" / "x.pyc").write_bytes(b"x")) == third
    assert after(lambda: (package / "notes.txt").write_text("x")) == third


def test_a_version_another_compiler_recorded_is_not_reused(
    spec: Path, tmp_path: Path, synthesized: list[str]
) -> None:
    """Reuse stands on the manifest's word that this compiler published the
    latest version; where it names another, the spec is synthesized."""
    out = tmp_path / "out"
    _build(spec, out)
    manifest_path = out / "orders-staging" / "versions.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["versions"][-1]["compiler"] = "cachec 0.0.9"
    manifest_path.write_text(json.dumps(manifest))
    assert not _build(spec, out).stacks[0].new
    assert len(synthesized) == 2


def test_a_build_reads_each_published_file_once_under_the_lock(
    spec: Path, tmp_path: Path, synthesized: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Reuse reads no version store while compiling: the build reads and
    verifies each store once, under its lock, and checks the reuse against
    what it read (versions.json and the latest template were read twice when
    reuse read them before the lock)."""
    out = tmp_path / "out"
    _build(spec, out)
    spec.write_text(spec.read_text().replace("\ndescription: ", "\ndescription: Another ", 1))
    _build(spec, out)
    reads: collections.Counter[str] = collections.Counter()

    class Counting(publish.FileSystem):
        def read_bytes(self, path: str) -> bytes:
            reads[os.path.basename(path)] += 1
            return super().read_bytes(path)

    monkeypatch.setattr(publish, "fs", Counting())
    assert not _build(spec, out).stacks[0].new
    assert synthesized == ["orders-staging"] * 2, "the unchanged spec was synthesized"
    manifest = json.loads((out / "orders-staging" / "versions.json").read_text())
    files = {name for version in manifest["versions"] for name in version["files"]}
    assert reads == {**dict.fromkeys(files, 1), "versions.json": 1}


@pytest.mark.parametrize("command", [api.build, api.plan])
def test_a_manifest_changed_before_the_lock_cannot_make_a_stale_reuse(
    spec: Path, tmp_path: Path, synthesized: list[str], monkeypatch: pytest.MonkeyPatch,
    command: Callable[..., api.BuildResult],
) -> None:
    """The store may change between compiling and taking its lock (another
    build commits, a hand edit): reuse is decided on the store as read under
    the lock, so a version the store no longer vouches for is not reused."""
    out = tmp_path / "out"
    first = _build(spec, out)
    manifest_path = out / "orders-staging" / "versions.json"
    real_enter = publish.Session.__enter__

    def changed_then_locked(session: publish.Session) -> publish.Session:
        manifest = json.loads(manifest_path.read_text())
        manifest["versions"][-1]["compiler"] = "cachec 0.0.9"
        manifest_path.write_text(json.dumps(manifest))
        return real_enter(session)

    monkeypatch.setattr(publish.Session, "__enter__", changed_then_locked)
    again = command([str(spec)], out=str(out), lint=False)
    assert synthesized == ["orders-staging"] * 2, "reused a version the store does not vouch for"
    assert again.exit_code == 0 and not again.stacks[0].new
    assert again.results == first.results
    assert not again.results[0].reused


def test_a_spec_edited_while_its_reuse_is_checked_is_an_error(
    spec: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A reuse the store does not vouch for is compiled again from the file:
    if the file changed meanwhile, its store was locked for another spec, and
    the build stops, writing nothing."""
    out = tmp_path / "out"
    _build(spec, out)
    manifest_path = out / "orders-staging" / "versions.json"
    real_enter = publish.Session.__enter__

    def edited_then_locked(session: publish.Session) -> publish.Session:
        manifest = json.loads(manifest_path.read_text())
        manifest["versions"][-1]["compiler"] = "cachec 0.0.9"
        manifest_path.write_text(json.dumps(manifest))
        spec.write_text(spec.read_text().replace("\ndescription: ", "\ndescription: Edited ", 1))
        return real_enter(session)

    monkeypatch.setattr(publish.Session, "__enter__", edited_then_locked)
    before = sorted(p.name for p in (out / "orders-staging").iterdir())
    result = api.build([str(spec)], out=str(out), lint=False)
    assert result.exit_code == 1
    assert result.errors == (f"{spec}: the spec changed during the build; build again",)
    assert sorted(p.name for p in (out / "orders-staging").iterdir()) == before


def test_a_spec_built_into_another_folder_is_compiled_again_there(
    spec: Path, tmp_path: Path, synthesized: list[str]
) -> None:
    """The local store's record is not the version store's word: built into a
    folder that publishes nothing yet, the spec is compiled again (on the
    build's processes) and publishes the same files."""
    first = _build(spec, tmp_path / "a")
    again = api.build([str(spec)], out=str(tmp_path / "b"), lint=False, jobs=2)
    assert again.exit_code == 0 and again.stacks[0].new
    assert synthesized == ["orders-staging"] * 2
    assert again.results == first.results and not again.results[0].reused
    files = sorted(p.name for p in (tmp_path / "a" / "orders-staging").iterdir())
    assert files == sorted(p.name for p in (tmp_path / "b" / "orders-staging").iterdir())
    for name in files:
        assert (tmp_path / "a" / "orders-staging" / name).read_bytes() == (
            tmp_path / "b" / "orders-staging" / name).read_bytes()
