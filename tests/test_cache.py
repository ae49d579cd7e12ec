"""The user cache folder under attack: whatever is found at an entry's path,
or around it, is a hit only when it is this user's own well-formed entry in
this user's private folders; anything else is a miss, never an error, never
a hang, and nothing is written where others could have planted entries."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import threading
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pytest

from compiler import local_store as cache
from compiler.local_store import CACHE_ENV
from compiler.store import reuse
from compiler.template.lint import Finding, LintCache

ROOT = Path(__file__).parent.parent
KEY = "0" * 64
FINDINGS = [Finding("E3012", "bad port", 7, 9, ("Resources", "ReplicationGroup", "Port"))]
TEMPLATE = {"Resources": {}, "Metadata": {"cachec": {"compiler": "cachec 0.1.0"}}}
REUSE_ENTRY = {"template": "sha256:" + "a" * 64, "content": TEMPLATE,
               "sources": [[["Resources", "ReplicationGroup", "Properties", "Port"], ["port"]]]}
OTHER_USER = 4242


def _get_lint(root: Path) -> object:
    return LintCache(str(root)).get(KEY)


def _put_lint(root: Path) -> None:
    LintCache(str(root)).put(KEY, FINDINGS)


def _get_reuse(root: Path) -> object:
    return cache.read(str(root), "templates", KEY, reuse._entry)


def _put_reuse(root: Path) -> None:
    cache.write(str(root), "templates", KEY, REUSE_ENTRY)


READERS = {
    "lint": ("lint", _put_lint, _get_lint),
    "reuse": ("templates", _put_reuse, _get_reuse),
}
WRONG_SHAPES = {
    "lint": [{"rule_id": None, "message": "m", "line": 1, "column": 1, "template_path": []}],
    "reuse": {**REUSE_ENTRY, "template": None},
}


def _replace(entry: Path, make: Callable[[Path], object]) -> None:
    entry.unlink()
    make(entry)


def _write(text: str | bytes) -> Callable[[Path, Path, str], None]:
    def sabotage(entry: Path, root: Path, reader: str) -> None:
        data = text.encode() if isinstance(text, str) else text
        entry.write_bytes(data)
    return sabotage


def _fifo(entry: Path, root: Path, reader: str) -> None:
    _replace(entry, lambda p: os.mkfifo(p))


def _link_to_dev_zero(entry: Path, root: Path, reader: str) -> None:
    _replace(entry, lambda p: p.symlink_to("/dev/zero"))


def _link_to_a_regular_file(entry: Path, root: Path, reader: str) -> None:
    elsewhere = root.parent / "elsewhere.json"
    elsewhere.write_bytes(entry.read_bytes())  # a well-formed entry, reached through a link
    _replace(entry, lambda p: p.symlink_to(elsewhere))


def _deep(entry: Path, root: Path, reader: str) -> None:
    entry.write_text("[" * 200_000 + "]" * 200_000)


def _deeper_than_the_cap(entry: Path, root: Path, reader: str) -> None:
    """Well under the decoder's recursion limit, and otherwise well-formed."""
    nested: Any = "x"
    for _ in range(cache.MAX_DEPTH + 5):
        nested = {"a": nested}
    value = json.loads(entry.read_text())
    if reader == "reuse":
        value["content"]["Resources"] = nested
    else:
        value[0]["template_path"] = nested
    entry.write_text(json.dumps(value))


def _wrong_shape(entry: Path, root: Path, reader: str) -> None:
    entry.write_text(json.dumps(WRONG_SHAPES[reader]))


def _foreign_owner(entry: Path, root: Path, reader: str) -> None:
    os.chown(entry, OTHER_USER, OTHER_USER)


def _world_writable_folder(entry: Path, root: Path, reader: str) -> None:
    entry.parent.chmod(0o777)


def _group_writable_root(entry: Path, root: Path, reader: str) -> None:
    root.chmod(0o770)


def _foreign_folder(entry: Path, root: Path, reader: str) -> None:
    os.chown(entry.parent, OTHER_USER, OTHER_USER)


def _truncated(entry: Path, root: Path, reader: str) -> None:
    data = entry.read_bytes()
    entry.write_bytes(data[: len(data) // 2])


def _too_large(entry: Path, root: Path, reader: str) -> None:
    with entry.open("ab") as handle:
        handle.write(b" " * cache.MAX_BYTES)  # well-formed JSON, padded past the cap


SABOTAGES: dict[str, Callable[[Path, Path, str], None]] = {
    "fifo": _fifo,
    "symlink-to-dev-zero": _link_to_dev_zero,
    "symlink-to-a-regular-file": _link_to_a_regular_file,
    "deep-json": _deep,
    "deeper-than-the-cap": _deeper_than_the_cap,
    "wrong-shape": _wrong_shape,
    "foreign-owner": _foreign_owner,
    "world-writable-folder": _world_writable_folder,
    "group-writable-root": _group_writable_root,
    "foreign-folder": _foreign_folder,
    "truncated": _truncated,
    "not-json": _write("\x00\xff not json"),
    "not-utf-8": _write(b'[{"rule_id": "\xff"}]'),
    "too-large": _too_large,
}
NEEDS_ROOT = {"foreign-owner", "foreign-folder"}


def _bounded(call: Callable[[], Any], seconds: float = 20) -> Any:
    """call(), or a failure when it does not return in time (a read that blocks)."""
    outcome: list[Any] = []
    worker = threading.Thread(target=lambda: outcome.append(call()), daemon=True)
    worker.start()
    worker.join(seconds)
    assert not worker.is_alive(), "the cache read hangs"
    assert outcome, "the cache read raised"
    return outcome[0]


@pytest.mark.parametrize("reader", READERS)
def test_a_well_formed_entry_of_ones_own_is_a_hit(tmp_path: Path, reader: str) -> None:
    _, put, get = READERS[reader]
    root = tmp_path / "cache"
    put(root)
    assert get(root) == (FINDINGS if reader == "lint" else reuse._entry(REUSE_ENTRY))


@pytest.mark.parametrize("sabotage", SABOTAGES)
@pytest.mark.parametrize("reader", READERS)
def test_anything_odd_at_or_around_an_entry_is_a_miss(
    tmp_path: Path, reader: str, sabotage: str
) -> None:
    if sabotage in NEEDS_ROOT and os.geteuid() != 0:
        pytest.skip("chown to another user needs root")
    section, put, get = READERS[reader]
    root = tmp_path / "cache"
    put(root)
    entry = root / section / f"{KEY}.json"
    assert get(root) is not None
    SABOTAGES[sabotage](entry, root, reader)
    assert _bounded(lambda: get(root)) is None


# Entries one step off what put() writes: each is a miss.
ALMOST = {
    "lint": {
        "line-a-bool": [{**asdict(FINDINGS[0]), "line": True}],
        "an-extra-field": [{**asdict(FINDINGS[0]), "fix": "x"}],
    },
    "reuse": {
        "an-extra-key": {**REUSE_ENTRY, "note": "x"},
        "a-longer-digest": {**REUSE_ENTRY, "template": REUSE_ENTRY["template"] + "0"},
        "a-digest-not-a-string": {**REUSE_ENTRY, "template": 1},
        "content-not-a-template": {**REUSE_ENTRY, "content": []},
        # What content_digest() reads: a Metadata or provenance of another
        # shape would make it fail instead of answering "no match".
        "metadata-a-list": {**REUSE_ENTRY, "content": {"Metadata": []}},
        "provenance-a-list": {**REUSE_ENTRY, "content": {"Metadata": {"cachec": []}}},
        "a-spec-path-not-a-list": {**REUSE_ENTRY, "sources": [[["Description"], "description"]]},
        "no-record": {key: value for key, value in REUSE_ENTRY.items() if key != "sources"},
    },
}


@pytest.mark.parametrize(
    ("reader", "case"), [(r, c) for r, cases in ALMOST.items() for c in cases]
)
def test_an_entry_almost_of_the_written_shape_is_a_miss(
    tmp_path: Path, reader: str, case: str
) -> None:
    section, put, get = READERS[reader]
    root = tmp_path / "cache"
    put(root)
    (root / section / f"{KEY}.json").write_text(json.dumps(ALMOST[reader][case]))
    assert get(root) is None


def _read_plain(root: Path, raw: bytes) -> object:
    cache.write(str(root), "plain", KEY, None)
    (root / "plain" / f"{KEY}.json").write_bytes(raw)
    return cache.read(str(root), "plain", KEY, lambda value: value)


def test_an_entry_of_exactly_the_largest_size_is_a_hit(tmp_path: Path) -> None:
    """MAX_BYTES is the largest entry read, not the first one refused."""
    largest = b'"' + b"a" * (cache.MAX_BYTES - 2) + b'"'
    assert _read_plain(tmp_path / "cache", largest) == "a" * (cache.MAX_BYTES - 2)
    assert _read_plain(tmp_path / "cache", largest + b" ") is None


def _short_reads(monkeypatch: pytest.MonkeyPatch, piece: int) -> None:
    """os.read returning at most `piece` bytes a call, as it may (a pipe, a
    network file system): _read_bytes must add the pieces up itself."""
    real = os.read
    monkeypatch.setattr(os, "read", lambda fd, n: real(fd, min(n, piece)))


def test_an_entry_read_in_pieces_is_read_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    value = ["a" * 100] * 30  # ~3 KB: ten pieces or more
    cache.write(str(tmp_path), "plain", KEY, None)
    (tmp_path / "plain" / f"{KEY}.json").write_text(json.dumps(value))
    _short_reads(monkeypatch, 256)
    assert cache.read(str(tmp_path), "plain", KEY, lambda v: v) == value


def test_an_entry_grown_past_the_cap_after_its_size_was_taken_is_a_miss(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The size fstat gives can be out of date by the time the entry is read:
    the bytes read count, piece by piece."""
    cache.write(str(tmp_path), "plain", KEY, None)
    entry = tmp_path / "plain" / f"{KEY}.json"
    entry.write_bytes(b'"' + b"a" * (cache.MAX_BYTES - 1) + b'"')  # valid JSON, 1 byte over
    real_fstat = os.fstat

    def small_then(fd: int) -> os.stat_result:  # the size before the entry grew
        info = tuple(real_fstat(fd))
        return os.stat_result((*info[:6], 2, *info[7:10]))

    monkeypatch.setattr(os, "fstat", small_then)
    _short_reads(monkeypatch, 1024 * 1024)
    assert cache.read(str(tmp_path), "plain", KEY, lambda v: v) is None


def test_the_cache_folder_is_under_xdg_cache_home_else_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The XDG Base Directory default: $XDG_CACHE_HOME, else ~/.cache."""
    monkeypatch.delenv(CACHE_ENV, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache.folder() == str(tmp_path / "xdg" / "cachec")
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache.folder() == str(tmp_path / "home" / ".cache" / "cachec")


def test_an_entry_of_exactly_the_deepest_nesting_is_a_hit(tmp_path: Path) -> None:
    deepest = b"[" * cache.MAX_DEPTH + b"]" * cache.MAX_DEPTH
    assert _read_plain(tmp_path / "cache", deepest) is not None
    assert _read_plain(tmp_path / "cache", b"[" + deepest + b"]") is None


def test_brackets_inside_strings_are_not_nesting() -> None:
    assert cache.depth(b'[{"a": "[[[[{{{{\\"]]"}]') == 2
    assert cache.depth(b"3") == 0
    assert cache.depth(b'[["a\\\\", "]"], {"b": [1]}]') == 3
    assert cache.depth(b"[[]") > cache.MAX_DEPTH  # unbalanced: never a hit


@pytest.mark.parametrize("umask", [0o000, 0o022, 0o277])
def test_the_folders_are_created_private_whatever_the_umask(tmp_path: Path, umask: int) -> None:
    old = os.umask(umask)
    try:
        _put_lint(tmp_path / "cache")
    finally:
        os.umask(old)
    for folder in (tmp_path / "cache", tmp_path / "cache" / "lint"):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    (entry,) = (tmp_path / "cache" / "lint").iterdir()
    assert stat.S_IMODE(entry.stat().st_mode) & 0o077 == 0
    assert _get_lint(tmp_path / "cache") == FINDINGS


@pytest.mark.parametrize("mode", [0o777, 0o775])
def test_nothing_is_written_into_a_folder_others_can_write(tmp_path: Path, mode: int) -> None:
    root = tmp_path / "cache"
    root.mkdir()
    root.chmod(mode)
    _put_lint(root)
    assert list(root.iterdir()) == []


def test_planted_entries_neither_hang_nor_fail_a_build(tmp_path: Path) -> None:
    """FIFOs at every entry path a build reads: the build runs as if the cache
    were empty (each spec compiled and linted), within a bounded time."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), CACHE_ENV: str(tmp_path / "cache")}
    build = [sys.executable, "-m", "compiler", "build", "--jobs", "1", "--out",
             str(tmp_path / "out"), "specs/dev.yaml"]
    subprocess.run(build, check=True, cwd=ROOT, env=env, capture_output=True, timeout=300)
    entries = sorted((tmp_path / "cache").glob("*/*.json"))
    assert {e.parent.name for e in entries} == {"lint", "templates"}
    for entry in entries:
        _fifo(entry, tmp_path / "cache", "")
    compile_ = [sys.executable, "-m", "compiler", "compile", "specs/dev.yaml"]
    for command in (compile_, [*build, "--check"]):
        done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True,
                              timeout=300)
        assert done.returncode == 0, done.stderr
        assert "internal error" not in done.stderr
