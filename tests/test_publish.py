"""The version store: verified, one writer at a time, all or nothing."""

from __future__ import annotations

import collections
import errno
import hashlib
import itertools
import json
import os
import re
import shutil
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from compiler import COMPILER, api, cli, pipeline
from compiler.deploy.version_files import version_files
from compiler.local_store import CACHE_ENV
from compiler.store import publish
from compiler.vocabulary import names

ROOT = Path(__file__).parent.parent
STAGING, DEV = "orders-staging", "orders-dev"


@pytest.fixture
def staging(tmp_path: Path) -> Path:
    target = tmp_path / "staging.yaml"
    shutil.copy(ROOT / "specs" / "staging.yaml", target)
    return target


@pytest.fixture
def dev(tmp_path: Path) -> Path:
    target = tmp_path / "dev.yaml"
    shutil.copy(ROOT / "specs" / "dev.yaml", target)
    return target


def build(*args: str) -> int:
    return cli.main(["build", "--no-lint", *args])


def change(spec: Path) -> None:
    """A spec edit that changes the template."""
    text = spec.read_text()
    if "retention_days: 1" in text:
        spec.write_text(text.replace("retention_days: 1", "retention_days: 3"))
    else:
        spec.write_text(text + "port: 6380\n")


def snapshot(root: Path) -> dict[str, bytes | None]:
    """Every folder (None) and file (its bytes) under root."""
    if not root.exists():
        return {}
    tree: dict[str, bytes | None] = {".": None}
    for path in sorted(root.rglob("*")):
        tree[str(path.relative_to(root))] = None if path.is_dir() else path.read_bytes()
    return tree


def versions_of(folder: Path) -> list[dict[str, Any]]:
    """The manifest's versions, after asserting the store's invariants: numbered
    1..N, every listed file there with its hash, nothing else in the folder."""
    manifest = json.loads((folder / "versions.json").read_text())
    versions: list[dict[str, Any]] = manifest["versions"]
    assert [v["version"] for v in versions] == list(range(1, len(versions) + 1))
    listed = {"versions.json"}
    for v in versions:
        for name, digest in v["files"].items():
            data = (folder / name).read_bytes()
            assert digest == "sha256:" + hashlib.sha256(data).hexdigest(), name
            listed.add(name)
    assert {p.name for p in folder.iterdir()} == listed
    return versions


# --- a verified store -----------------------------------------------------------------

TAMPERING: dict[str, Callable[[Path], None]] = {
    "template edited": lambda f: (f / "v1.yaml").write_text(
        (f / "v1.yaml").read_text().replace("AtRestEncryptionEnabled: true",
                                            "AtRestEncryptionEnabled: false")),
    "template deleted": lambda f: (f / "v1.yaml").unlink(),
    "template truncated": lambda f: (f / "v1.yaml").write_text(""),
    "parameters edited": lambda f: (f / "v1.parameters.json").write_text("[]\n"),
    "config deleted": lambda f: (f / "v1.config.json").unlink(),
    "stack policy truncated": lambda f: (f / "v1.stack-policy.json").write_text("{"),
}


@pytest.mark.parametrize("tamper", TAMPERING, ids=list(TAMPERING))
def test_tampered_published_files_are_named_by_check_and_build(
    tamper: str, staging: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert build(str(staging), "--out", str(out)) == 0
    TAMPERING[tamper](out / STAGING)
    name = {"template": "v1.yaml", "parameters": "v1.parameters.json",
            "config": "v1.config.json", "stack": "v1.stack-policy.json"}[tamper.split()[0]]
    what = "is missing" if "deleted" in tamper else "was changed"
    before = snapshot(out)
    capsys.readouterr()
    for extra in (["--check"], []):
        assert build(str(staging), "--out", str(out), *extra) == 1
        err = capsys.readouterr().err
        assert f"cachec: error: {out / STAGING / name}: published file {what}" in err
        if what == "is missing":
            assert ("published file is missing; restore it from version control: a published "
                    "version is never re-published\n") in err
        assert "up to date" not in err and "internal error" not in err
        assert snapshot(out) == before


def test_every_missing_published_file_is_named_not_only_the_first(
    staging: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert build(str(staging), "--out", str(out)) == 0
    gone = ["v1.yaml", "v1.parameters.json", "v1.config.json"]
    for name in gone:
        (out / STAGING / name).unlink()
    capsys.readouterr()
    assert build(str(staging), "--out", str(out), "--check") == 1
    err = capsys.readouterr().err
    assert [line.split(": ")[2] for line in err.splitlines() if "published file is" in line] \
        == [str(out / STAGING / name) for name in gone]


def test_an_older_version_is_verified_too(
    staging: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert build(str(staging), "--out", str(out)) == 0
    change(staging)
    assert build(str(staging), "--out", str(out)) == 0
    (out / STAGING / "v1.yaml").write_text("# gone\n")
    assert build(str(staging), "--out", str(out), "--check") == 1
    assert f"{out / STAGING / 'v1.yaml'}: published file was changed" in capsys.readouterr().err


def test_a_file_changed_after_the_store_was_read_does_not_reach_the_build(
    staging: Path, tmp_path: Path
) -> None:
    """read_store verifies every file once and keeps the bytes of those a
    build reads back (the latest two templates): an edit made after that
    does not reach the build. A file it does not keep (v1's template once
    v3 is out) is hashed again when read: an edit since is refused."""
    out = tmp_path / "out"
    for retention in (1, 2, 3):
        staging.write_text(re.sub(r"retention_days: \d+", f"retention_days: {retention}",
                                  staging.read_text(), count=1))
        assert build(str(staging), "--out", str(out)) == 0
    store = publish.read_store(str(out / STAGING), STAGING)
    assert len(store.versions) == 3
    verified = store.read_text("v3.yaml")
    for name in ("v1.yaml", "v3.yaml"):
        (out / STAGING / name).write_text((out / STAGING / name).read_text().replace(
            "AtRestEncryptionEnabled: true", "AtRestEncryptionEnabled: false"))
    assert store.read_text("v3.yaml") == verified
    with pytest.raises(publish.PublishError) as raised:
        store.read_text("v1.yaml")
    assert raised.value.problems == [
        f"{out / STAGING / 'v1.yaml'}: published file was changed (its SHA-256 is not the one "
        "versions.json records); restore it from version control: a published version is "
        "never rewritten"
    ]


class _Counting(publish.FileSystem):
    """Counts the reads of each published file and manifest, by name."""

    def __init__(self) -> None:
        self.reads: collections.Counter[str] = collections.Counter()

    def read_bytes(self, path: str) -> bytes:
        self.reads[os.path.basename(path)] += 1
        return super().read_bytes(path)


def test_a_build_reads_each_published_file_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The store is read once per build, under its lock: the review (the
    latest template), the deploy stage's history (the StackSet a version
    updates, the Parameters before it) and the owner (from config.json when
    versions.json records none) read the bytes verified, not the folder."""
    spec = tmp_path / "orders.yaml"
    spec.write_text((ROOT / "tests" / "golden" / "stackset-self-managed" / "spec.yaml")
                    .read_text())
    out = tmp_path / "out"
    assert build(str(spec), "--out", str(out)) == 0
    (stack,) = os.listdir(out)
    spec.write_text(spec.read_text().replace("replicas: 1", "replicas: 2"))
    counting = _Counting()
    monkeypatch.setattr(publish, "fs", counting)
    # A local store of its own each time: reuse (which reads the store
    # before the build takes its lock) is not what this counts.
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "second"))
    assert build(str(spec), "--out", str(out)) == 0
    v1 = {"versions.json", *json.loads((out / stack / "versions.json").read_text())
          ["versions"][0]["files"]}
    assert counting.reads == dict.fromkeys(v1, 1)
    _edit_manifest(out / stack, lambda manifest: manifest.pop("owner"))
    counting.reads.clear()
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "check"))
    assert build(str(spec), "--out", str(out), "--check") == 0
    v2 = json.loads((out / stack / "versions.json").read_text())["versions"][1]["files"]
    assert counting.reads == dict.fromkeys(v1 | set(v2), 1)


def _edit_manifest(folder: Path, edit: Callable[[dict[str, Any]], None]) -> None:
    manifest = json.loads((folder / "versions.json").read_text())
    edit(manifest)
    (folder / "versions.json").write_text(json.dumps(manifest))


def _renumber(number: Any) -> Callable[[dict[str, Any]], None]:
    def edit(manifest: dict[str, Any]) -> None:
        manifest["versions"][-1]["version"] = number

    return edit


MANIFEST_EDITS: dict[str, tuple[Callable[[dict[str, Any]], None], str]] = {
    "version 0": (_renumber(0), "versions[1].version is 0, expected 2"),
    "version -5": (_renumber(-5), "versions[1].version is -5, expected 2"),
    "version 10**30": (_renumber(10**30), f"versions[1].version is {10**30}, expected 2"),
    "a gap": (_renumber(3), "versions[1].version is 3, expected 2: versions are numbered "
              "1, 2, 3... in order, without gaps"),
    "a string": (_renumber("2"), "versions[1].version is '2', expected 2"),
    "a bool": (_renumber(True), "versions[1].version is True, expected 2"),
    "file of another version": (
        lambda m: m["versions"][1].update(file="v1.yaml"),
        "versions[1].file is 'v1.yaml', expected v2.yaml or v2.json"),
    "short hash": (
        lambda m: m["versions"][0]["files"].update({"v1.yaml": "sha256:abc"}),
        "versions[0].files['v1.yaml'] is 'sha256:abc', expected \"sha256:\" and 64"),
    # A digest is exactly one: more after it (even a newline, which a regular
    # expression's $ lets through) is not a SHA-256 cachec wrote.
    "hash with more after it": (
        lambda m: m["versions"][1].update(template_digest=m["versions"][1]["template_digest"]
                                          + "0"),
        "versions[1].template_digest is 'sha256:"),
    "hash ending in a newline": (
        lambda m: m["versions"][0].update(spec_digest=m["versions"][0]["spec_digest"] + "\n"),
        "\\n', expected \"sha256:\" and 64 hex digits"),
    "file hash with more after it": (
        lambda m: m["versions"][0]["files"].update(
            {"v1.yaml": m["versions"][0]["files"]["v1.yaml"] + "ff"}),
        "ff', expected \"sha256:\" and 64"),
    "file of another version in files": (
        lambda m: m["versions"][0]["files"].update({"v2.yaml": m["versions"][0]["spec_digest"]}),
        "versions[0].files['v2.yaml'] is not a file of version 1"),
    "compiler missing": (lambda m: m["versions"][0].pop("compiler"),
                         "versions[0].compiler is missing, expected a string"),
    "unknown key": (lambda m: m["versions"][0].update(note="x"),
                    "versions[0].note is not a manifest key"),
    "other stack": (lambda m: m.update(stack="orders-dev"), "stack is 'orders-dev'"),
    "files not an object": (lambda m: m["versions"][0].update(files=[]),
                            "versions[0].files is [], expected an object: file name -> SHA-256"),
    "changes_omitted 0": (lambda m: m["versions"][0].update(changes_omitted=0),
                          "versions[0].changes_omitted is 0, expected a whole number of at "
                          "least 1"),
    "changes_omitted -1": (lambda m: m["versions"][0].update(changes_omitted=-1),
                           "versions[0].changes_omitted is -1, expected a whole number"),
    "capability unknown": (lambda m: m["versions"][0].update(capabilities=["CAPABILITY_X"]),
                           "versions[0].capabilities is ['CAPABILITY_X'], expected a list of "
                           "CAPABILITY_IAM, CAPABILITY_NAMED_IAM, CAPABILITY_AUTO_EXPAND"),
    "changes not a list": (lambda m: m["versions"][0].update(changes={}),
                           "versions[0].changes is {}, expected a list of objects"),
}


@pytest.mark.parametrize("edit", MANIFEST_EDITS, ids=list(MANIFEST_EDITS))
def test_a_malformed_manifest_is_a_clear_error(
    edit: str, staging: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert build(str(staging), "--out", str(out)) == 0
    change(staging)
    assert build(str(staging), "--out", str(out)) == 0
    change_manifest, message = MANIFEST_EDITS[edit]
    _edit_manifest(out / STAGING, change_manifest)
    before = snapshot(out)
    capsys.readouterr()
    assert build(str(staging), "--out", str(out)) == 1
    err = capsys.readouterr().err
    assert f"cachec: error: {out / STAGING / 'versions.json'}: not a valid cachec manifest" in err
    assert message in err
    assert snapshot(out) == before


def _make_legacy(folder: Path) -> None:
    """What cachec 0.1.0 wrote: no format, no hashes, no capabilities, no stack
    policy, update parameters, deploy guide or provenance record."""
    def edit(manifest: dict[str, Any]) -> None:
        del manifest["format"]
        for v in manifest["versions"]:
            del v["files"], v["changes"], v["capabilities"]

    _edit_manifest(folder, edit)
    for suffix in ("stack-policy.json", "update-parameters.json", "DEPLOY.md", "provenance.json"):
        for path in folder.glob(f"v*.{suffix}"):
            path.unlink()


def test_a_legacy_manifest_gets_its_hashes_recorded_once(
    staging: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out, folder = tmp_path / "out", tmp_path / "out" / STAGING
    assert build(str(staging), "--out", str(out)) == 0
    _make_legacy(folder)
    capsys.readouterr()
    assert build(str(staging), "--out", str(out), "--check") == 3
    assert "records no file hashes" in capsys.readouterr().err
    assert build(str(staging), "--out", str(out)) == 0
    assert "recorded the SHA-256 of every published file" in capsys.readouterr().out
    (v1,) = versions_of(folder)
    assert sorted(v1["files"]) == ["v1.config.json", "v1.parameters.json", "v1.yaml"]
    assert build(str(staging), "--out", str(out), "--check") == 0
    change(staging)
    assert build(str(staging), "--out", str(out)) == 0
    assert len(versions_of(folder)) == 2


def test_another_output_format_is_a_new_version(
    staging: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The same template in JSON is not the published YAML: users deploy the
    file, so --format json publishes v2.json (and --check says the store is
    out of date until then), though the template's content is the same."""
    out, folder = tmp_path / "out", tmp_path / "out" / STAGING
    assert build(str(staging), "--out", str(out)) == 0
    assert build(str(staging), "--out", str(out), "--format", "json", "--check") == 3
    assert "out of date (would write v2)" in capsys.readouterr().err
    assert build(str(staging), "--out", str(out), "--format", "json") == 0
    v1, v2 = versions_of(folder)
    assert (v1["file"], v2["file"]) == ("v1.yaml", "v2.json")
    assert v1["template_digest"] == v2["template_digest"]
    assert json.loads((folder / "v2.json").read_text())["Resources"]
    assert build(str(staging), "--out", str(out), "--format", "json", "--check") == 0
    assert build(str(staging), "--out", str(out), "--format", "json") == 0
    assert len(versions_of(folder)) == 2


def test_published_files_take_the_umask(staging: Path, tmp_path: Path) -> None:
    for mask, mode in ((0o027, 0o640), (0o002, 0o664)):
        old = os.umask(mask)
        try:
            out = tmp_path / f"out{mask:o}"
            assert build(str(staging), "--out", str(out)) == 0
        finally:
            os.umask(old)
        modes = {p.name: p.stat().st_mode & 0o777 for p in (out / STAGING).iterdir()}
        assert set(modes.values()) == {mode}, modes


def test_the_stack_policy_protects_the_cache_and_allows_the_rest(
    staging: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    assert build(str(staging), "--out", str(out), "--format", "json") == 0
    folder = out / STAGING
    policy = json.loads((folder / "v1.stack-policy.json").read_text())
    deny, allow = policy["Statement"]
    assert deny == {"Effect": "Deny", "Action": ["Update:Replace", "Update:Delete"],
                    "Principal": "*", "Resource": f"LogicalResourceId/{names.REPLICATION_GROUP}"}
    assert allow == {"Effect": "Allow", "Action": "Update:*", "Principal": "*", "Resource": "*"}
    template = json.loads((folder / "v1.json").read_text())
    assert names.REPLICATION_GROUP in template["Resources"]
    config = json.loads((folder / "v1.config.json").read_text())
    assert config["StackPolicy"] == policy


def test_the_stack_policy_protects_a_serverless_cache(tmp_path: Path) -> None:
    spec = tmp_path / "sls.yaml"
    shutil.copy(ROOT / "tests" / "golden" / "serverless-iam" / "spec.yaml", spec)
    out = tmp_path / "out"
    assert build(str(spec), "--out", str(out)) == 0
    policy = json.loads((out / "tokens-prod" / "v1.stack-policy.json").read_text())
    deny, _ = policy["Statement"]
    assert deny["Resource"] == f"LogicalResourceId/{names.SERVERLESS_CACHE}"


# --- all or nothing: a failure (or a crash) at every file-system call -----------------


class Crash(BaseException):
    """The process dies: nothing after this runs (no cleanup, no further calls)."""


CALLS = [name for name in vars(publish.FileSystem) if not name.startswith("_")]


class Faults:
    """Counts publish's file-system calls; fails (or crashes at) call number `at`."""

    def __init__(self, at: int, crash: bool) -> None:
        self.at, self.crash, self.calls, self.dead = at, crash, 0, False

    def filesystem(self) -> publish.FileSystem:
        faults = self

        def wrap(name: str) -> Callable[..., Any]:
            def call(self: publish.FileSystem, *args: Any) -> Any:
                faults.calls += 1
                if faults.dead or faults.calls == faults.at:
                    if faults.crash:
                        faults.dead = True
                        raise Crash(name)
                    path = args[0] if args and isinstance(args[0], str) else None
                    raise OSError(errno.EIO, f"injected failure of {name}", path)
                return getattr(publish.FileSystem, name)(self, *args)

            return call

        return type("Faulty", (publish.FileSystem,), {n: wrap(n) for n in CALLS})()


@pytest.fixture
def compile_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each spec text is compiled once: these tests run hundreds of builds."""
    cache: dict[tuple[str, str, bool], api.Result] = {}
    real = api.compile_file

    def compile_file(filename: str, **kwargs: Any) -> api.Result:
        key = (filename, Path(filename).read_text(), kwargs.get("fmt", "yaml"))
        if key not in cache:
            cache[key] = real(filename, **kwargs)
        return cache[key]

    monkeypatch.setattr(pipeline, "compile_file", compile_file)


def _inject_everywhere(
    base: Path, specs: list[Path], expected: dict[str, int], crash: bool,
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
) -> int:
    """For at = 1, 2, ...: copy the base store, fail call `at` of a build, check
    what it left, then check a normal build completes the job. Returns the
    number of calls a build without faults makes."""
    work = base.parent / "work"
    at = 0
    while True:
        at += 1
        shutil.rmtree(work, ignore_errors=True)
        shutil.copytree(base, work, symlinks=True)
        before = snapshot(work)
        faults = Faults(at, crash)
        monkeypatch.setattr(publish, "fs", faults.filesystem())
        args = [*map(str, specs), "--out", str(work / "out")]
        try:
            code = build(*args)
        except Crash:
            code = None
        monkeypatch.setattr(publish, "fs", publish.FileSystem())
        err = capsys.readouterr().err
        if faults.calls < at:  # the fault was never reached: a clean build
            assert code == 0
            return at - 1
        left = snapshot(work)
        if crash:
            assert code is None, f"call {at}: a crash must not be caught"
        elif code == 1:  # failed before the commit: nothing changed
            assert "cachec: error:" in err and "internal error" not in err, f"call {at}: {err}"
            assert left == before, f"call {at}: the store changed"
        else:  # failed removing temporary files after the commit: the next build does it
            assert code == 0 and err == "", f"call {at}: {err}"
        assert build(*args) == 0, capsys.readouterr().err
        err = capsys.readouterr().err
        leftovers = [n for n in left if Path(n).name.startswith(".cachec-")]
        assert bool(leftovers) == ("removed, left uncommitted" in err), (at, leftovers, err)
        for stack, count in expected.items():
            assert len(versions_of(work / "out" / stack)) == count, f"call {at}: {stack}"


@pytest.mark.parametrize("crash", [False, True], ids=["failure", "crash"])
def test_a_fault_at_any_call_of_a_one_spec_build(
    crash: bool, staging: Path, tmp_path: Path, compile_once: None,
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
) -> None:
    base = tmp_path / "base"
    assert build(str(staging), "--out", str(base / "out")) == 0
    change(staging)
    calls = _inject_everywhere(base, [staging], {STAGING: 2}, crash, capsys, monkeypatch)
    assert calls > 30  # every call was reached: lock, verify, stage, link, commit, clean


@pytest.mark.parametrize("crash", [False, True], ids=["failure", "crash"])
def test_a_fault_at_any_call_of_a_many_spec_build(
    crash: bool, staging: Path, dev: Path, tmp_path: Path, compile_once: None,
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
) -> None:
    base = tmp_path / "base"
    assert build(str(staging), "--out", str(base / "out")) == 0
    change(staging)
    # orders-dev's folder does not exist yet: a failure must remove it again
    expected = {STAGING: 2, DEV: 1}
    calls = _inject_everywhere(base, [staging, dev], expected, crash, capsys, monkeypatch)
    assert calls > 60


def test_leftovers_are_removed_and_never_adopted(
    staging: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A crash after v2's files got their final names, before the manifest
    named them: the next build removes them and publishes v2 from the spec."""
    out, folder = tmp_path / "out", tmp_path / "out" / STAGING
    assert build(str(staging), "--out", str(out)) == 0
    change(staging)
    real_replace = publish.FileSystem.replace

    def crash_at_commit(self: publish.FileSystem, source: str, target: str) -> None:
        raise Crash()

    monkeypatch.setattr(publish.FileSystem, "replace", crash_at_commit)
    with pytest.raises(Crash):
        build(str(staging), "--out", str(out))
    monkeypatch.setattr(publish.FileSystem, "replace", real_replace)
    assert (folder / "v2.yaml").is_file()
    # one stack cannot be half-published: its build writes no batch journal
    temps = [p.read_bytes() for p in folder.glob(".cachec-*.tmp")]
    assert temps and not any(b"cachec-batch" in t for t in temps)
    # and v2's manifest waits beside the files it names (and v1's, kept to
    # undo with), not in another folder
    assert sorted(json.loads(t)["versions"][-1]["version"] for t in temps
                  if t.startswith(b"{") and b'"versions"' in t) == [1, 2]
    # a different v2 than the one left behind
    staging.write_text(staging.read_text().replace("retention_days: 3", "retention_days: 5"))
    capsys.readouterr()
    assert build(str(staging), "--out", str(out)) == 0
    err = capsys.readouterr().err
    assert f"{folder / 'v2.yaml'}: removed, left uncommitted by an interrupted build" in err
    assert len(versions_of(folder)) == 2
    assert "SnapshotRetentionLimit: 5" in (folder / "v2.yaml").read_text()


# --- one writer at a time -----------------------------------------------------------


def test_a_build_waits_for_the_lock_then_replans(
    staging: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    out = tmp_path / "out"
    assert build(str(staging), "--out", str(out)) == 0
    change(staging)
    holder = publish.Session(str(out), [STAGING], write=True).__enter__()
    # The holder lets go once the build has said it waits (not after a fixed
    # time, which a loaded machine can outrun: the build would then find the
    # lock free and never wait).
    real_init = publish.Session.__init__

    def releasing_when_waiting(self: publish.Session, *args: Any, **kwargs: Any) -> None:
        announce = kwargs["on_wait"]

        def waiting(folder: str) -> None:
            announce(folder)
            holder.__exit__(None, None, None)

        real_init(self, *args, **{**kwargs, "on_wait": waiting})

    monkeypatch.setattr(publish.Session, "__init__", releasing_when_waiting)
    assert build(str(staging), "--out", str(out)) == 0
    captured = capsys.readouterr()
    assert f"cachec: waiting for another build of {out / STAGING}" in captured.err
    assert "wrote v2" in captured.out


@pytest.mark.parametrize("check", [False, True], ids=["build", "check"])
def test_a_check_holding_the_lock_stops_builds_not_checks(
    check: bool, staging: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A build gives up waiting with a clear error; checks share the lock."""
    out = tmp_path / "out"
    assert build(str(staging), "--out", str(out)) == 0
    monkeypatch.setattr(publish, "LOCK_WAIT", 0.2)
    capsys.readouterr()
    with publish.Session(str(out), [STAGING], write=False):  # a --check holds it
        code = build(str(staging), "--out", str(out), *(["--check"] if check else []))
    waited = f"{out / STAGING}: another build still holds it after 0.2 s" in capsys.readouterr().err
    assert (code, waited) == ((0, False) if check else (1, True))


def test_concurrent_builds_of_one_stack_publish_every_version_once(
    staging: Path, tmp_path: Path
) -> None:
    other = tmp_path / "other.yaml"
    shutil.copy(staging, other)
    change(other)
    out = tmp_path / "out"
    rounds = 12
    script = (
        "import sys\nfrom compiler import cli\n"
        f"codes = [cli.main(['build', '--no-lint', '--out', sys.argv[1], sys.argv[2]])"
        f" for _ in range({rounds})]\n"
        "sys.exit(max(codes))\n"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    procs = [
        subprocess.Popen([sys.executable, "-c", script, str(out), str(spec)], env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for spec in (staging, other)
    ]
    outputs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    written = sorted(
        int(line.split(": wrote v")[1].split()[0])
        for stdout, _ in outputs for line in stdout.splitlines() if ": wrote v" in line
    )
    versions = versions_of(out / STAGING)
    assert written == list(range(1, len(versions) + 1))  # each version published once
    digests = [v["template_digest"] for v in versions]
    assert all(a != b for a, b in itertools.pairwise(digests))
    assert len(versions) >= 2


def _left_behind(staging: Path, out: Path, names: list[str]) -> Path:
    """A published store beside temporary files an interrupted build left."""
    assert build(str(staging), "--out", str(out)) == 0
    for name in names:
        (out / STAGING / name).write_text("half-written\n")
    return out / STAGING


def test_a_leftover_another_build_removed_first_does_not_stop_the_rest(
    staging: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    folder = _left_behind(staging, tmp_path / "out", [".cachec-a.tmp", ".cachec-b.tmp"])
    real = publish.FileSystem.unlink

    def raced(self: publish.FileSystem, path: str) -> None:
        real(self, path)
        if path.endswith(".cachec-a.tmp"):  # the other build was there first
            raise FileNotFoundError(errno.ENOENT, "No such file or directory", path)

    monkeypatch.setattr(publish.FileSystem, "unlink", raced)
    capsys.readouterr()
    assert build(str(staging), "--out", str(tmp_path / "out")) == 0
    assert capsys.readouterr().err == (f"cachec: {folder / '.cachec-b.tmp'}: removed, left "
                                       "uncommitted by an interrupted build\n")
    assert not list(folder.glob(".cachec-*"))


def test_a_leftover_that_cannot_be_removed_is_named_with_why(
    staging: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    folder = _left_behind(staging, tmp_path / "out", [".cachec-a.tmp"])
    real = publish.FileSystem.unlink

    def refused(self: publish.FileSystem, path: str) -> None:
        if ".cachec-" in path:  # an error without a file name: cachec names the file
            raise PermissionError(errno.EACCES, "Permission denied")
        real(self, path)

    monkeypatch.setattr(publish.FileSystem, "unlink", refused)
    capsys.readouterr()
    assert build(str(staging), "--out", str(tmp_path / "out")) == 1
    assert capsys.readouterr().err == (f"cachec: error: {folder / '.cachec-a.tmp'}: cannot "
                                       "remove a leftover of an interrupted build: "
                                       "Permission denied\n")


def test_a_folder_another_build_made_first_does_not_stop_the_folders_below_it(
    staging: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "a" / "b" / "out"
    real = publish.FileSystem.mkdir

    def raced(self: publish.FileSystem, path: str) -> None:
        real(self, path)
        if path == str(tmp_path / "a"):  # the other build was there first
            raise FileExistsError(errno.EEXIST, "File exists", path)

    monkeypatch.setattr(publish.FileSystem, "mkdir", raced)
    assert build(str(staging), "--out", str(out)) == 0
    assert len(versions_of(out / STAGING)) == 1


def test_a_temporary_file_that_cannot_be_written_is_named_with_why(
    staging: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    out, folder = tmp_path / "out", tmp_path / "out" / STAGING
    assert build(str(staging), "--out", str(out)) == 0
    change(staging)

    def full(self: publish.FileSystem, fd: int, data: memoryview) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")  # without a file name

    monkeypatch.setattr(publish.FileSystem, "write", full)
    before = snapshot(out)
    capsys.readouterr()
    assert build(str(staging), "--out", str(out)) == 1
    assert re.fullmatch(re.escape(f"cachec: error: {folder}{os.sep}.cachec-") + r"[^/]+\.tmp: "
                        "cannot write: No space left on device\n", capsys.readouterr().err)
    assert snapshot(out) == before


def test_a_file_made_under_a_final_name_meanwhile_is_never_overwritten(
    staging: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Something other than cachec writes v2.yaml between the build's check of
    the folder and its link: the build stops, and v2 is not published."""
    out, folder = tmp_path / "out", tmp_path / "out" / STAGING
    assert build(str(staging), "--out", str(out)) == 0
    change(staging)
    real = publish.FileSystem.link

    def raced(self: publish.FileSystem, source: str, target: str) -> None:
        if target.endswith("v2.yaml"):
            raise FileExistsError(errno.EEXIST, "File exists", target)
        real(self, source, target)

    monkeypatch.setattr(publish.FileSystem, "link", raced)
    before = snapshot(out)
    capsys.readouterr()
    assert build(str(staging), "--out", str(out)) == 1
    assert capsys.readouterr().err == (f"cachec: error: {folder / 'v2.yaml'}: already exists; "
                                       "refusing to overwrite\n")
    assert snapshot(out) == before


def test_a_temporary_file_gone_before_the_build_removes_it_does_not_keep_the_rest(
    staging: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out, folder = tmp_path / "out", tmp_path / "out" / STAGING
    assert build(str(staging), "--out", str(out)) == 0
    change(staging)
    real, gone = publish.FileSystem.unlink, []

    def raced(self: publish.FileSystem, path: str) -> None:
        real(self, path)
        if not gone:  # the first: something else removed it first
            gone.append(path)
            raise FileNotFoundError(errno.ENOENT, "No such file or directory", path)

    monkeypatch.setattr(publish.FileSystem, "unlink", raced)
    assert build(str(staging), "--out", str(out)) == 0
    assert gone and len(versions_of(folder)) == 2  # no temporary file left beside them


def test_the_manifest_is_written_for_people_to_read_and_diff(
    staging: Path, tmp_path: Path
) -> None:
    """versions.json is committed with the templates: two-space indents and a
    final newline keep its diffs to the lines of the version added."""
    out = tmp_path / "out"
    assert build(str(staging), "--out", str(out)) == 0
    text = (out / STAGING / "versions.json").read_text()
    assert text == json.dumps(json.loads(text), indent=2) + "\n"


def test_a_folder_that_cannot_be_made_is_named_with_why(
    staging: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def refused(self: publish.FileSystem, path: str) -> None:
        raise PermissionError(errno.EACCES, "Permission denied", path)

    monkeypatch.setattr(publish.FileSystem, "mkdir", refused)
    capsys.readouterr()
    assert build(str(staging), "--out", str(tmp_path / "out")) == 1
    assert capsys.readouterr().err == (f"cachec: error: {tmp_path / 'out'}: cannot create the "
                                       "folder: Permission denied\n")
    assert not (tmp_path / "out").exists()


def _is_folder(fd: int) -> bool:
    return stat.S_ISDIR(os.fstat(fd).st_mode)


# An I/O error of each file-system call a build makes, raised without a file
# name (as some errors are): (the call, which of its calls fail, the path the
# error names, what cachec could not do).
IO_ERRORS: dict[str, tuple[str, Callable[..., bool], str, str]] = {
    "manifest read": ("read_bytes", lambda path: path.endswith("versions.json"),
                      "versions.json", "read the manifest"),
    "folder listing": ("listdir", lambda path: True, "", "list the stack folder"),
    "folder open": ("open_folder", lambda path: True, "", "open the stack folder"),
    "lock": ("try_lock", lambda fd, exclusive: True, "", "lock the stack folder"),
    "folder sync": ("fsync", _is_folder, "", "sync the folder"),
    "temporary file": ("create_temp", lambda folder: True, "", "write"),
    "final name": ("link", lambda source, target: target.endswith("v2.yaml"), "v2.yaml",
                   "write"),
    "manifest replaced": ("replace", lambda source, target: True, "versions.json", "write"),
}


@pytest.mark.parametrize("case", IO_ERRORS, ids=list(IO_ERRORS))
def test_an_io_error_is_named_with_the_path_and_changes_nothing(
    case: str, staging: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    out, folder = tmp_path / "out", tmp_path / "out" / STAGING
    assert build(str(staging), "--out", str(out)) == 0
    change(staging)
    call, fails, name, doing = IO_ERRORS[case]
    real = getattr(publish.FileSystem, call)

    def failing(self: publish.FileSystem, *args: Any) -> Any:
        if fails(*args):
            raise OSError(errno.EIO, "Input/output error")
        return real(self, *args)

    monkeypatch.setattr(publish.FileSystem, call, failing)
    before = snapshot(out)
    capsys.readouterr()
    assert build(str(staging), "--out", str(out)) == 1
    path = folder / name if name else folder
    assert capsys.readouterr().err == f"cachec: error: {path}: cannot {doing}: Input/output error\n"
    assert snapshot(out) == before


def test_check_names_leftovers_and_leaves_them_for_the_next_build(
    staging: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    out, folder = tmp_path / "out", tmp_path / "out" / STAGING

    def crash(self: publish.FileSystem, path: str) -> None:
        raise Crash()

    monkeypatch.setattr(publish.FileSystem, "unlink", crash)  # dies cleaning up after commit
    with pytest.raises(Crash):
        build(str(staging), "--out", str(out))
    monkeypatch.undo()
    left = sorted(p.name for p in folder.glob(".cachec-*.tmp"))
    assert left
    capsys.readouterr()
    assert build(str(staging), "--out", str(out), "--check") == 3  # v1 did commit: not clean
    err = capsys.readouterr().err
    assert all(f"{folder / name}: left uncommitted by an interrupted build" in err
               for name in left)
    assert sorted(p.name for p in folder.glob(".cachec-*.tmp")) == left
    assert build(str(staging), "--out", str(out)) == 0
    assert len(versions_of(folder)) == 1


# --- build --check compares with the spec, not only with versions.json ------------------

STACKSET_SPEC = ROOT / "tests" / "golden" / "stackset-self-managed" / "spec.yaml"
# Two versions of a StackSet spec and of a plain stack's: between them every
# kind of file a version carries, and each v2 file built from what v1 left
# (the StackSet it updates, the Parameters it keeps, its change records).
TWO_VERSIONS = {
    "stackset": (STACKSET_SPEC, (("regions: [us-east-1, eu-central-1]",
                                  "regions: [us-east-1, eu-central-1, eu-west-1]"),
                                 ("cache.m7g.large", "cache.m7g.xlarge"))),
    "plain": (ROOT / "specs" / "staging.yaml", (("cache.t4g.medium", "cache.t4g.small"),)),
}
# Appended to both versions: v2 gives the exposed NodeType another Default,
# which its parameters files must set rather than keep.
BOTH_VERSIONS = {"stackset": "", "plain": "stack: {expose: [node_type]}\n"}


def _published_twice(tmp_path: Path, kind: str) -> tuple[Path, Path, Path]:
    """(spec, out, folder) of a spec published as v1, then changed and published as v2."""
    source, edits = TWO_VERSIONS[kind]
    spec, out = tmp_path / f"{kind}.yaml", tmp_path / kind
    spec.write_text(source.read_text() + BOTH_VERSIONS[kind])
    assert build(str(spec), "--out", str(out), "--no-lint") == 0
    text = spec.read_text()
    for old, new in edits:
        assert old in text
        text = text.replace(old, new)
    spec.write_text(text)
    assert build(str(spec), "--out", str(out), "--no-lint") == 0
    (folder,) = out.iterdir()
    assert [v["version"] for v in versions_of(folder)] == [1, 2]
    assert build(str(spec), "--out", str(out), "--no-lint", "--check") == 0
    return spec, out, folder


def _rehash(folder: Path, name: str) -> None:
    """Record a file's new SHA-256 in versions.json, as a careful forger would."""
    digest = "sha256:" + hashlib.sha256((folder / name).read_bytes()).hexdigest()
    _edit_manifest(folder, lambda m: m["versions"][-1]["files"].__setitem__(name, digest))


def _forge(path: Path) -> None:
    """A plausible edit of a published file that keeps it well formed."""
    text = path.read_text()
    if path.suffix in (".yaml", ".md"):
        edited = text.replace("AtRestEncryptionEnabled: true", "AtRestEncryptionEnabled: false")
        path.write_text(edited if edited != text else text + "\n<!-- edited -->\n")
    else:
        path.write_text(json.dumps(json.loads(text), indent=1) + "\n")


@pytest.mark.parametrize("kind", sorted(TWO_VERSIONS))
def test_every_kind_of_published_file_is_named_when_edited_with_its_hash(
    kind: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Each file the latest version lists (so files added to versions later
    are covered): edited together with its SHA-256 in versions.json, build
    --check, build and diff --exit-code fail and name it."""
    spec, out, folder = _published_twice(tmp_path, kind)
    v2 = versions_of(folder)[-1]
    kinds = {name.split(".", 1)[1] for name in v2["files"]}
    assert {"yaml", "parameters.json", "config.json", "DEPLOY.md"} <= kinds
    assert ({"stackset.json"} if kind == "stackset" else
            {"stack-policy.json", "update-parameters.json"}) <= kinds
    pristine = {p.name: p.read_bytes() for p in folder.iterdir()}
    for name in sorted(v2["files"]):
        _forge(folder / name)
        _rehash(folder, name)
        before = snapshot(out)
        capsys.readouterr()
        for args in (["build", "--no-lint", "--check"], ["build", "--no-lint"],
                     ["diff", "--exit-code"]):
            assert cli.main([*args, str(spec), "--out", str(out)]) == 1, (name, args)
            err = capsys.readouterr().err
            assert f"cachec: error: {folder / name}: not what cachec" in err, (name, args)
            assert snapshot(out) == before
        for path, data in pristine.items():
            (folder / path).write_bytes(data)
    assert build(str(spec), "--out", str(out), "--check") == 0


def test_digests_edited_to_match_a_changed_spec_do_not_hide_the_change(
    staging: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The spec now replaces the cache; versions.json's digests are edited to
    the new build's, so the store claims the spec is published."""
    out, folder = tmp_path / "out", tmp_path / "out" / STAGING
    assert build(str(staging), "--out", str(out)) == 0
    staging.write_text(staging.read_text() + "port: 6380\n")
    (result,) = pipeline.compile_files([str(staging)], lint=False)

    def forge(manifest: dict[str, Any]) -> None:
        manifest["versions"][-1]["spec_digest"] = result.spec_digest
        manifest["versions"][-1]["template_digest"] = result.content_digest

    _edit_manifest(folder, forge)
    capsys.readouterr()
    assert build(str(staging), "--out", str(out), "--check") == 1
    err = capsys.readouterr().err
    assert f"{folder / 'v1.yaml'}: not what cachec" in err
    assert cli.main(["diff", "--exit-code", str(staging), "--out", str(out)]) == 1


def test_a_warm_reuse_entry_does_not_hide_an_edited_template(
    staging: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The unchanged-spec shortcut reuses a published template only when its
    SHA-256 is the one this compiler rendered (the user cache's record), which
    an edit of versions.json cannot forge."""
    out, folder = tmp_path / "out", tmp_path / "out" / STAGING
    assert build(str(staging), "--out", str(out)) == 0
    assert build(str(staging), "--out", str(out), "--check") == 0  # the entry is warm
    _forge(folder / "v1.yaml")
    _rehash(folder, "v1.yaml")
    capsys.readouterr()
    assert build(str(staging), "--out", str(out), "--check") == 1
    assert f"{folder / 'v1.yaml'}: not what cachec" in capsys.readouterr().err


def test_a_version_another_compiler_published_is_verified_by_hash_only(
    staging: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out, folder = tmp_path / "out", tmp_path / "out" / STAGING
    assert build(str(staging), "--out", str(out)) == 0
    _edit_manifest(folder, lambda m: m["versions"][-1].__setitem__("compiler", "cachec 0.0.9"))
    capsys.readouterr()
    build(str(staging), "--out", str(out), "--check")  # it would remove the leftovers
    assert (f"cachec: warning: {folder}: v1 was published by cachec 0.0.9, not {COMPILER}: "
            "only the SHA-256 of its files could be verified") in capsys.readouterr().err


def test_a_legacy_manifest_beside_a_tampered_file_is_not_adopted(
    staging: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out, folder = tmp_path / "out", tmp_path / "out" / STAGING
    assert build(str(staging), "--out", str(out)) == 0
    _make_legacy(folder)
    _forge(folder / "v1.yaml")
    before = snapshot(out)
    capsys.readouterr()
    for extra in (["--check"], []):
        assert build(str(staging), "--out", str(out), *extra) == 1
        captured = capsys.readouterr()
        assert f"cachec: error: {folder / 'v1.yaml'}: not what cachec" in captured.err
        assert "recorded the SHA-256" not in captured.out
        assert snapshot(out) == before


def test_a_legacy_manifest_whose_versions_cannot_be_rebuilt_is_adopted_by_hand(
    staging: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out, folder = tmp_path / "out", tmp_path / "out" / STAGING
    assert build(str(staging), "--out", str(out)) == 0
    change(staging)
    assert build(str(staging), "--out", str(out)) == 0
    _make_legacy(folder)
    before = snapshot(out)
    capsys.readouterr()
    assert build(str(staging), "--out", str(out)) == 1
    err = capsys.readouterr().err
    assert (f"cachec: error: {folder / 'versions.json'}: written by an older cachec, with no "
            "file hashes, and v1..v1 cannot be rebuilt") in err
    assert 'To adopt it by hand' in err and '"changes": []' in err
    assert snapshot(out) == before


def test_a_manifest_entry_edited_by_hand_is_named_where_it_is(
    staging: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The files pass their SHA-256 check, but the latest entry's
    capabilities are not what the spec builds: the error names the entry's key."""
    out, folder = tmp_path / "out", tmp_path / "out" / STAGING
    assert build(str(staging), "--out", str(out)) == 0
    change(staging)
    assert build(str(staging), "--out", str(out)) == 0
    assert versions_of(folder)[-1]["capabilities"] == ["CAPABILITY_IAM"]
    _edit_manifest(folder, lambda m: m["versions"][-1].__setitem__(
        "capabilities", ["CAPABILITY_NAMED_IAM"]))
    capsys.readouterr()
    assert build(str(staging), "--out", str(out)) == 1
    assert (f"cachec: error: {folder / 'versions.json'}: versions[1].capabilities is not "
            "what this build of the spec gives (edited by hand?); restore versions.json from "
            "version control\n") in capsys.readouterr().err


def test_a_file_edited_with_its_sha256_is_named_with_what_to_restore(
    staging: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A file edited together with its SHA-256 passes the store's check; the
    rebuild of the latest version tells it apart, and says to restore both."""
    out, folder = tmp_path / "out", tmp_path / "out" / STAGING
    assert build(str(staging), "--out", str(out)) == 0
    config = folder / "v1.config.json"
    config.write_text(config.read_text().replace('"Tags"', '"Tags" ', 1))
    _rehash(folder, config.name)
    capsys.readouterr()
    assert build(str(staging), "--out", str(out)) == 1
    assert (f"cachec: error: {config}: not what {COMPILER} builds for v1 of this spec (edited "
            "by hand, with its SHA-256 in versions.json?); restore it and the manifest from "
            "version control\n") in capsys.readouterr().err


def test_a_file_this_compiler_writes_that_the_version_lacks_is_a_note(
    staging: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A version an older cachec published without a file this one writes is
    not refused: the build says which file the next version will have."""
    out, folder = tmp_path / "out", tmp_path / "out" / STAGING
    assert build(str(staging), "--out", str(out)) == 0
    _edit_manifest(folder, lambda m: m["versions"][-1]["files"].pop("v1.config.json"))
    (folder / "v1.config.json").unlink()
    capsys.readouterr()
    assert build(str(staging), "--out", str(out)) == 0
    assert capsys.readouterr().err == (
        f"cachec: warning: {folder / 'v1.config.json'}: not published with v1 (an older cachec "
        "did not write it); the next version has it\n")


@pytest.mark.parametrize("text, why", [("Resources: [unclosed\n", "not a template ("),
                                       ("- a list\n", "not a template (not a mapping)\n")],
                         ids=["no-yaml", "no-mapping"])
def test_a_published_template_that_is_no_template_is_named(
    text: str, why: str, staging: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A template broken together with its SHA-256 passes the store's check:
    the review that reads it names it, as an error, not a crash."""
    out, folder = tmp_path / "out", tmp_path / "out" / STAGING
    assert build(str(staging), "--out", str(out)) == 0
    template = folder / "v1.yaml"
    template.write_text(text)
    _rehash(folder, template.name)
    change(staging)
    capsys.readouterr()
    assert build(str(staging), "--out", str(out)) == 1
    err = capsys.readouterr().err
    assert f"cachec: error: {template}: {why}" in err and "internal" not in err


def test_a_legacy_manifest_whose_template_is_gone_says_to_restore_it(
    staging: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out, folder = tmp_path / "out", tmp_path / "out" / STAGING
    assert build(str(staging), "--out", str(out)) == 0
    _make_legacy(folder)
    (folder / "v1.yaml").unlink()
    before = snapshot(out)
    capsys.readouterr()
    assert build(str(staging), "--out", str(out)) == 1
    assert (f"cachec: error: {folder / 'v1.yaml'}: published file is missing; restore it "
            "from version control") in capsys.readouterr().err
    assert snapshot(out) == before


def test_a_legacy_manifest_whose_template_cannot_be_read_names_it_and_why(
    staging: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out, folder = tmp_path / "out", tmp_path / "out" / STAGING
    assert build(str(staging), "--out", str(out)) == 0
    _make_legacy(folder)
    (folder / "v1.yaml").unlink()
    (folder / "v1.yaml").mkdir()
    capsys.readouterr()
    assert build(str(staging), "--out", str(out)) == 1
    assert (f"cachec: error: {folder / 'v1.yaml'}: cannot read a published file: a directory, "
            "not a file") in capsys.readouterr().err


@pytest.mark.parametrize("legacy", [False, True])
def test_a_read_error_names_the_file_even_when_the_os_does_not(
    legacy: bool, staging: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch
) -> None:
    """An I/O error inside read() carries no file name: the message names the
    published file anyway, and says what failed in the OS's words (when the
    store is verified, and when a legacy store's files are hashed)."""
    out, folder = tmp_path / "out", tmp_path / "out" / STAGING
    assert build(str(staging), "--out", str(out)) == 0
    if legacy:
        _make_legacy(folder)
    real = publish.FileSystem.read_bytes

    def failing(self: publish.FileSystem, path: str) -> bytes:
        if path.endswith("v1.yaml"):
            raise OSError(errno.EIO, "Input/output error")
        return real(self, path)

    monkeypatch.setattr(publish.FileSystem, "read_bytes", failing)
    capsys.readouterr()
    assert build(str(staging), "--out", str(out)) == 1
    assert (f"cachec: error: {folder / 'v1.yaml'}: cannot read a published file: "
            "Input/output error\n") in capsys.readouterr().err


def test_a_leftover_that_cannot_be_inspected_is_named_with_the_os_error(
    staging: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whether a leftover temporary file is ours is told by its inode: when
    the OS cannot say, the build stops naming the file and the OS's words."""
    out, folder = tmp_path / "out", tmp_path / "out" / STAGING
    assert build(str(staging), "--out", str(out)) == 0
    leftover = folder / f"{publish.TEMP_PREFIX}planted{publish.TEMP_SUFFIX}"
    leftover.write_text("")
    real = publish.FileSystem.lstat

    def failing(self: publish.FileSystem, path: str) -> os.stat_result:
        if path == str(leftover):
            raise OSError(errno.EIO, "Input/output error")
        return real(self, path)

    monkeypatch.setattr(publish.FileSystem, "lstat", failing)
    capsys.readouterr()
    assert build(str(staging), "--out", str(out)) == 1
    assert f"cachec: error: {leftover}: cannot inspect: Input/output error\n" in \
        capsys.readouterr().err


def test_a_file_read_again_after_the_check_names_itself_when_the_os_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file the store does not hold from its check (a region's provenance
    record) is read again when the diff needs it: an I/O error then names it."""
    spec = tmp_path / "sessions.yaml"
    spec.write_text((ROOT / "tests" / "golden" / "global-redis-two-regions" / "spec.yaml")
                    .read_text())
    out = tmp_path / "out"
    assert build(str(spec), "--out", str(out)) == 0
    (record,) = (out / "sessions-production").glob("v1.eu-west-1.provenance.json")
    spec.write_text(spec.read_text() + "port: 6380\n")
    real = publish.FileSystem.read_bytes
    reads: list[str] = []

    def failing_again(self: publish.FileSystem, path: str) -> bytes:
        if path == str(record):
            reads.append(path)
            if len(reads) > 1:
                raise OSError(errno.EIO, "Input/output error")
        return real(self, path)

    monkeypatch.setattr(publish.FileSystem, "read_bytes", failing_again)
    capsys.readouterr()
    assert build(str(spec), "--out", str(out), "--allow-replacement") == 1
    assert (f"cachec: error: {record}: cannot read a published file: Input/output error\n"
            in capsys.readouterr().err)


def _refusal(err: str) -> str:
    return " ".join(err.split())


def test_adopting_a_legacy_manifest_by_hand_is_explained_in_full(
    staging: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The refusal is the user's only guide to adopting the store: every reason
    and every step of it is pinned."""
    out, folder = tmp_path / "out", tmp_path / "out" / STAGING
    assert build(str(staging), "--out", str(out)) == 0
    change(staging)
    assert build(str(staging), "--out", str(out)) == 0
    _make_legacy(folder)
    staging.write_text(staging.read_text().replace("cache.t4g.medium", "cache.m7g.large"))
    capsys.readouterr()
    assert build(str(staging), "--out", str(out)) == 1
    assert _refusal(f"""cachec: error: {folder / 'versions.json'}: written by an older cachec,
        with no file hashes, and v1..v1 cannot be rebuilt (their specs are not at hand); the
        spec no longer builds v2 (it changed since): cachec records hashes only for files it
        rebuilds byte for byte, never for files as it finds them. To adopt it by hand, check
        every file against version control, then in versions.json add "format": 2 and, to
        each version, "files" (each file's name -> "sha256:" and its `sha256sum`) and
        "changes": []""") in _refusal(capsys.readouterr().err)


def test_a_legacy_version_of_another_compiler_is_not_adopted(
    staging: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out, folder = tmp_path / "out", tmp_path / "out" / STAGING
    assert build(str(staging), "--out", str(out)) == 0
    _make_legacy(folder)
    _edit_manifest(folder, lambda m: m["versions"][-1].update(compiler="cachec 0.0.9"))
    capsys.readouterr()
    assert build(str(staging), "--out", str(out)) == 1
    assert (f"with no file hashes, and v1 was built by cachec 0.0.9, not {COMPILER}: "
            "cachec records") in _refusal(capsys.readouterr().err)


# --- a refused batch leaves nothing behind --------------------------------------------


def _batch(tmp_path: Path, count: int) -> list[Path]:
    """`count` specs of new stacks (dev.yaml under other names)."""
    specs = []
    for i in range(count):
        spec = tmp_path / f"batch-{i}.yaml"
        spec.write_text((ROOT / "specs" / "dev.yaml").read_text()
                        .replace("name: orders", f"name: orders{i}"))
        specs.append(spec)
    return specs


@pytest.mark.parametrize("refusal", ["strict", "replacement"])
def test_a_refused_batch_leaves_no_folder_it_created(
    refusal: str, staging: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Eleven new stacks and one published stack whose change draws a warning
    (a smaller node type) or replaces the cache: "nothing written" means no
    file and no empty folder either."""
    out = tmp_path / "out"
    assert build(str(staging), "--out", str(out)) == 0
    if refusal == "strict":
        staging.write_text(staging.read_text().replace("cache.t4g.medium", "cache.t4g.small"))
        extra = ["--strict"]
    else:
        staging.write_text(staging.read_text() + "port: 6380\n")
        extra = []
    before = snapshot(out)
    capsys.readouterr()
    specs = [str(s) for s in _batch(tmp_path, 11)]
    assert build(*specs, str(staging), "--out", str(out), "--jobs", "2", *extra) == 1
    assert "nothing written" in capsys.readouterr().err
    assert snapshot(out) == before


def _crash_at_the_second_manifest(monkeypatch: pytest.MonkeyPatch, *args: str) -> None:
    """A build of two stacks killed after the first manifest committed."""
    real_replace = publish.FileSystem.replace
    replaced: list[str] = []

    def die_at_second_manifest(self: publish.FileSystem, source: str, target: str) -> None:
        if replaced:
            raise Crash()
        replaced.append(target)
        real_replace(self, source, target)

    monkeypatch.setattr(publish.FileSystem, "replace", die_at_second_manifest)
    with pytest.raises(Crash):
        build(*args)
    monkeypatch.undo()


def test_a_batch_killed_between_two_manifests_is_reported_half_published(
    staging: Path, dev: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    out = tmp_path / "out"
    assert build(str(staging), str(dev), "--out", str(out)) == 0
    change(staging)
    change(dev)
    _crash_at_the_second_manifest(monkeypatch, str(staging), str(dev), "--out", str(out),
                                  "--allow-replacement")
    capsys.readouterr()
    message = (f"cachec: warning: {out}: an interrupted build left a batch half-published: "
               f"{STAGING} v2 committed; {DEV} (at v1, not v2) did not")
    assert build(str(dev), "--out", str(out), "--check") == 1  # one stack is enough
    assert message in capsys.readouterr().err
    assert build(str(staging), str(dev), "--out", str(out), "--allow-replacement") == 0
    assert message in capsys.readouterr().err
    assert [len(versions_of(out / s)) for s in (DEV, STAGING)] == [2, 2]
    assert build(str(staging), str(dev), "--out", str(out), "--check") == 0
    assert "half-published" not in capsys.readouterr().err


def test_a_new_stack_of_a_half_published_batch_is_at_v0(
    staging: Path, dev: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The stack that did not commit is new: it has no manifest to read, so
    it is at v0, and a build of the other stack alone says so."""
    out = tmp_path / "out"
    assert build(str(staging), "--out", str(out)) == 0
    change(staging)
    _crash_at_the_second_manifest(monkeypatch, str(staging), str(dev), "--out", str(out),
                                  "--allow-replacement")
    capsys.readouterr()
    build(str(staging), "--out", str(out), "--check")  # it would remove the leftovers
    assert (f"cachec: warning: {out}: an interrupted build left a batch half-published: "
            f"{STAGING} v2 committed; {DEV} (at v0, not v1) did not") in capsys.readouterr().err


@pytest.mark.parametrize("bad", [{"stack": 5, "version": 2}, {"version": 2}],
                         ids=["stack-not-a-name", "no-stack"])
def test_a_journal_with_an_entry_that_names_no_stack_is_no_batch(
    bad: dict[str, Any], staging: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A leftover journal is read only when every entry names a stack and a
    version: one entry that does not makes it no batch at all (never a
    half-published warning about a stack called 5, or None)."""
    out, folder = tmp_path / "out", tmp_path / "out" / STAGING
    assert build(str(staging), "--out", str(out)) == 0
    journal = {"cachec-batch": [{"stack": STAGING, "version": 1}, bad]}
    (folder / f"{publish.TEMP_PREFIX}journal{publish.TEMP_SUFFIX}").write_text(
        json.dumps(journal))
    capsys.readouterr()
    assert build(str(staging), "--out", str(out)) == 0
    assert "half-published" not in capsys.readouterr().err


# --- who owns a stack folder ------------------------------------------------------------


def _pair(tmp_path: Path, name: str, environment: str) -> Path:
    spec = tmp_path / f"{name}--{environment}.yaml"
    spec.write_text((ROOT / "specs" / "dev.yaml").read_text()
                    .replace("name: orders", f"name: {name}")
                    .replace("environment: dev", f"environment: {environment}"))
    return spec


@pytest.mark.parametrize("recorded", [True, False], ids=["recorded", "older-manifest"])
def test_another_pair_that_joins_to_the_same_stack_is_refused(
    recorded: bool, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """orders-prod + dev, then orders + prod-dev: one stack name, two caches.
    An older manifest records no owner: its latest config.json's tags say."""
    out, folder = tmp_path / "out", tmp_path / "out" / "orders-prod-dev"
    first, second = _pair(tmp_path, "orders-prod", "dev"), _pair(tmp_path, "orders", "prod-dev")
    assert build(str(first), "--out", str(out)) == 0
    assert json.loads((folder / "versions.json").read_text())["owner"] == {
        "name": "orders-prod", "environment": "dev"}
    if not recorded:
        _edit_manifest(folder, lambda m: m.pop("owner"))
    before = snapshot(out)
    capsys.readouterr()
    for extra in (["--check"], [], ["--allow-replacement"]):
        assert build(str(second), "--out", str(out), *extra) == 1
        err = capsys.readouterr().err
        assert (f"{second}:4:7: error: name: {folder} holds the versions of name 'orders-prod', "
                "environment 'dev', not of 'orders', 'prod-dev'") in err
        assert "[stack-owned-by-another-spec]" in err
        assert snapshot(out) == before
    assert build(str(first), "--out", str(out), "--check") == 0


def _store_with_config(folder: Path, config: bytes, recorded: publish.Owner | None = None
                       ) -> publish.Store:
    """A store whose one version holds a config.json of these bytes."""
    folder.mkdir(exist_ok=True)
    (folder / "v1.config.json").write_bytes(config)
    version = {"version": 1, "files": {"v1.config.json": publish.sha256(config)}}
    return publish.Store(str(folder), STAGING, (version,), recorded_owner=recorded)


@pytest.mark.parametrize(("config", "owner"), [
    ({"Tags": {"cachec:name": "orders", "cachec:environment": "dev"}}, ("orders", "dev")),
    ({"Tags": {"cachec:name": "orders"}}, None),
    ({"Tags": {"cachec:environment": "dev"}}, None),
    ({"Tags": {"cachec:name": "orders", "cachec:environment": 5}}, None),
    ({"Tags": ["cachec:name"]}, None),
    ({"Parameters": {}}, None),
    (["Tags"], None),
    ("not JSON", None),
], ids=["both", "name-only", "environment-only", "environment-not-text", "tags-not-a-map",
        "no-tags", "not-a-map", "not-json"])
def test_an_older_manifests_owner_is_its_config_tags_both_of_them(
    config: Any, owner: publish.Owner | None, tmp_path: Path
) -> None:
    """A manifest that records no owner: the latest config.json's cachec:name
    and cachec:environment tags say who publishes here, both or nothing (a
    name without its environment owns no stack)."""
    data = config.encode() if isinstance(config, str) else json.dumps(config).encode()
    assert _store_with_config(tmp_path / "stack", data).owner() == owner


def test_a_recorded_owner_is_the_owner_whatever_the_tags_say(tmp_path: Path) -> None:
    tags = json.dumps({"Tags": {"cachec:name": "orders", "cachec:environment": "dev"}})
    store = _store_with_config(tmp_path / "stack", tags.encode(), ("carts", "prod"))
    assert store.owner() == ("carts", "prod")
    assert publish.Store(str(tmp_path / "new"), STAGING, ()).owner() is None
    latest = {"version": 1, "files": {"v1.cfn.yaml": "0" * 64}}  # no config.json
    assert publish.Store(str(tmp_path / "stack"), STAGING, (latest,)).owner() is None


def test_a_half_published_batch_names_each_stack_and_says_how_to_finish(tmp_path: Path) -> None:
    """One line a batch of which some stacks committed their new version and
    some did not; a batch all committed, or none, is no half-published one."""
    out = str(tmp_path / "out")

    def stores(counts: dict[str, int], batch: tuple[tuple[str, int], ...]
               ) -> dict[str, publish.Store]:
        return {stack: publish.Store(os.path.join(out, stack), stack,
                                     tuple({"version": n, "files": {}}
                                           for n in range(1, count + 1)), batch=batch)
                for stack, count in counts.items()}

    batch = (("a", 2), ("b", 2), ("c", 3), ("d", 1))
    assert publish.half_published(stores({"a": 2, "b": 2, "c": 2, "d": 0}, batch), out) == [
        f"{out}: an interrupted build left a batch half-published: a v2, b v2 committed; "
        "c (at v2, not v3), d (at v0, not v1) did not. `cachec build` of the same specs "
        "publishes the rest (and removes what it left)"]
    assert publish.half_published(stores({"a": 2, "b": 2, "c": 3, "d": 1}, batch), out) == []
    assert publish.half_published(stores({"a": 1, "b": 1, "c": 2, "d": 0}, batch), out) == []


def test_two_pairs_that_join_to_one_stack_in_one_batch_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    first, second = _pair(tmp_path, "orders-prod", "dev"), _pair(tmp_path, "orders", "prod-dev")
    assert build(str(first), str(second), "--out", str(out)) == 1
    err = capsys.readouterr().err
    assert f"{second}:4:7: error: name: orders-prod-dev is also built by {first}" in err
    assert "orders-prod + dev and orders + prod-dev are one stack" in err
    assert not out.exists()


# --- a bounded manifest -----------------------------------------------------------------


def test_the_manifest_stays_bounded_over_hundreds_of_large_versions(
    staging: Path, tmp_path: Path
) -> None:
    """300 versions of 500 changes each (a 500-shard cluster's alarms): each
    version lists its worst 50 changes, and only the latest 10 versions list
    any; the manifest still reads back."""
    (result,) = pipeline.compile_files([str(staging)], lint=False)
    changes = [{"path": None, "template_path": f"Resources.Alarm{i}.Properties.Threshold",
                "before": 1, "after": 2, "action": "no-interruption", "cause": "property"}
               for i in range(499)]
    changes.insert(250, {**changes[0], "action": "replacement", "template_path": "Port"})
    folder = tmp_path / STAGING
    store = publish.Store(str(folder), STAGING, ())
    for number in range(1, 301):
        files = version_files(result, number, f"v{number}.yaml")
        planned = publish.plan(store, ("orders", "staging"), files, changes)
        assert planned.version == number
        # the next build's spec: another template
        versions = planned.manifest["versions"]
        versions[-1]["template_digest"] = "sha256:" + "0" * 64
        store = publish.Store(str(folder), STAGING, tuple(versions))
    text = publish._json(planned.manifest)
    # ~34 MiB when every version kept them all; now ~1.4 KB a version, most of
    # it the names and hashes of its files (which verification needs).
    assert len(text) < 500 * 1024, len(text)
    kept = [v["version"] for v in planned.manifest["versions"] if v["changes"]]
    assert kept == list(range(291, 301))
    folder.mkdir()
    (folder / "versions.json").write_text(text)
    versions, legacy, owner = publish._parse_manifest(str(folder / "versions.json"), STAGING)
    assert not legacy and owner == ("orders", "staging") and len(versions) == 300
    assert [len(v["changes"]) for v in versions] == [0] * 290 + [50] * 10
    assert all(v["changes_omitted"] == (500 if v["version"] <= 290 else 450) for v in versions)
    assert versions[-1]["changes"][0]["action"] == "replacement"


def test_older_versions_count_their_changes_exactly(staging: Path, tmp_path: Path) -> None:
    """A version leaving the last ten keeps how many changes it had (none
    were omitted before), and one that had none records no count."""
    (result,) = pipeline.compile_files([str(staging)], lint=False)
    one = [{"path": None, "template_path": "Resources.ReplicationGroup.Properties.Port",
            "before": 1, "after": 2, "action": "replacement", "cause": "spec"}]
    store = publish.Store(str(tmp_path / STAGING), STAGING, ())
    for number in range(1, publish.VERSIONS_WITH_CHANGES + 3):
        files = version_files(result, number, f"v{number}.yaml")
        planned = publish.plan(store, ("orders", "staging"), files, one if number > 1 else [])
        versions = planned.manifest["versions"]
        versions[-1]["template_digest"] = "sha256:" + "0" * 64
        store = publish.Store(str(tmp_path / STAGING), STAGING, tuple(versions))
    first, second = versions[0], versions[1]
    assert first["changes"] == [] and "changes_omitted" not in first
    assert second["changes"] == [] and second["changes_omitted"] == 1
    assert versions[-1]["changes"] == one and "changes_omitted" not in versions[-1]
    # and a count of one is a count the manifest's reader takes back
    (tmp_path / STAGING).mkdir()
    (tmp_path / STAGING / "versions.json").write_text(publish._json(planned.manifest))
    parsed, _, _ = publish._parse_manifest(str(tmp_path / STAGING / "versions.json"), STAGING)
    assert parsed[1]["changes_omitted"] == 1


def test_changes_up_to_the_limit_are_recorded_as_given_over_it_worst_first() -> None:
    mild = {"template_path": "Resources.Alarm.Properties.Threshold", "action": "no-interruption"}
    worst = {"template_path": "Resources.Alarm.Properties.Namespace", "action": "replacement"}
    assert publish._bounded([mild, worst], 0, limit=2) == {"changes": [mild, worst]}
    assert publish._bounded([mild, worst], 0, limit=1) == {
        "changes": [worst], "changes_omitted": 1}


def test_a_recorded_change_of_an_unknown_action_is_counted_with_the_others() -> None:
    """An older version's changes are counted, not listed: a change whose
    action this cachec does not know (or that names none) counts too."""
    entry = {"version": 1, "changes": [{"action": "teleport"}, {"path": "port"}],
             "changes_omitted": 3}
    assert publish._trimmed(entry) == {"version": 1, "changes": [], "changes_omitted": 5}


@pytest.mark.parametrize("published", [publish.VERSIONS_WITH_CHANGES - 1,
                                       publish.VERSIONS_WITH_CHANGES])
def test_the_new_version_and_those_before_it_keep_their_changes_ten_in_all(
    published: int, staging: Path, tmp_path: Path
) -> None:
    (result,) = pipeline.compile_files([str(staging)], lint=False)
    change = {"path": "port", "template_path": "Resources.ReplicationGroup.Properties.Port",
              "before": 6379, "after": 6380, "action": "replacement", "cause": "direct"}
    store = publish.Store(str(tmp_path / STAGING), STAGING, tuple(
        {"version": n, "changes": [change]} for n in range(1, published + 1)))
    files = version_files(result, published + 1, f"v{published + 1}.yaml")
    versions = publish.plan(store, ("orders", "staging"), files, [change]).manifest["versions"]
    kept = [v["version"] for v in versions if v["changes"]]
    assert kept == list(range(published + 2 - publish.VERSIONS_WITH_CHANGES, published + 2))
    assert all(v["changes_omitted"] == 1 for v in versions if not v["changes"])


def test_a_bounded_version_keeps_the_cache_replacement_its_deploy_guide_reads(
    staging: Path, tmp_path: Path
) -> None:
    """Over 50 replacements (alarms that follow a replaced cache): the cache's
    own replacement is among those recorded, so a rebuild of the version's
    DEPLOY.md from its records still takes the replacement path."""
    (result,) = pipeline.compile_files([str(staging)], lint=False)
    alarms = [{"path": None, "template_path": f"Resources.Alarm{i}.Properties.Dimensions",
               "before": 1, "after": 2, "action": "replacement", "cause": "cascade"}
              for i in range(60)]
    cache = {**alarms[0], "template_path": "Resources.ReplicationGroup.Properties.Port"}
    store = publish.Store(str(tmp_path / STAGING), STAGING, ())
    files = version_files(result, 1, "v1.yaml")
    (entry,) = publish.plan(store, ("orders", "staging"), files,
                            [*alarms, cache]).manifest["versions"]
    assert entry["changes_omitted"] == 11
    assert cache in entry["changes"]


@pytest.mark.parametrize(("make", "code", "message"), [
    (lambda p: p.symlink_to(p.with_name("target")), errno.ELOOP,
     "a symbolic link, not a plain file"),
    (lambda p: p.mkdir(), errno.EISDIR, "a directory, not a file"),
    (lambda p: os.mkfifo(p), errno.EINVAL, "not a plain file (a link, pipe or device?)"),
], ids=["link", "folder", "fifo"])
def test_only_a_plain_file_is_read_and_the_error_says_which_path_is_not(
    make: Callable[[Path], object], code: int, message: str, tmp_path: Path
) -> None:
    """Refused before anything is read (a FIFO with no writer would block, a
    link to /dev/zero never end); the error is an OSError like the OS's own."""
    (tmp_path / "target").write_text("a plain file\n")
    path = tmp_path / "published"
    make(path)
    with pytest.raises(OSError) as caught:
        publish.FileSystem().read_bytes(str(path))
    assert (caught.value.errno, caught.value.strerror, caught.value.filename) == (
        code, message, str(path))


def test_every_stores_problems_are_reported_in_one_error(
    staging: Path, dev: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    assert build(str(staging), str(dev), "--out", str(out)) == 0
    edited = [out / stack / "v1.yaml" for stack in (DEV, STAGING)]
    for path in edited:
        path.write_text("# edited by hand\n")
    with publish.Session(str(out), [STAGING, DEV], write=False) as session, \
            pytest.raises(publish.PublishError) as caught:
        session.stores()
    assert [p.split(": ")[:2] for p in caught.value.problems] == [
        [str(path), "published file was changed (its SHA-256 is not the one versions.json "
         "records); restore it from version control"] for path in edited]


def test_a_build_holds_the_two_newest_stackset_requests_it_reads_back() -> None:
    """The StackSet a new version updates and the one the latest updated; an
    older request is verified, not held."""
    versions = [{"version": n, "file": f"v{n}.yaml",
                 "files": {f"v{n}.yaml": "", **({f"v{n}.stackset.json": ""} if n != 3 else {})}}
                for n in range(1, 5)]
    held = publish._read_back(versions)
    assert sorted(n for n in held if n.endswith(".stackset.json")) == [
        "v2.stackset.json", "v4.stackset.json"]


def test_the_store_as_read_is_owned_as_versions_json_records(
    staging: Path, tmp_path: Path
) -> None:
    """The recorded owner, not the config.json tags, which only stand in for
    it in a manifest that records none."""
    out = tmp_path / "out"
    assert build(str(staging), "--out", str(out)) == 0
    manifest = out / STAGING / "versions.json"
    data = json.loads(manifest.read_text())
    assert data["owner"] == {"name": "orders", "environment": "staging"}
    data["owner"] = {"name": "orders-stag", "environment": "ing"}  # joins to the same stack
    manifest.write_text(json.dumps(data))
    assert publish.read_store(str(out / STAGING), STAGING).owner() == ("orders-stag", "ing")
