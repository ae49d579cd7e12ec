"""The CLI contract: what build/compile/validate/schema print, write and exit with."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from compiler import cli, pipeline

SPECS = Path(__file__).parent.parent / "specs"



def build(*args: str) -> int:
    return cli.main(["build", *args])


def files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_build_writes_version_manifest_and_deployment_files(
    spec: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert build(str(spec), "--out", str(out)) == 0
    folder = out / "orders-staging"
    assert files(folder) == [
        "v1.DEPLOY.md", "v1.config.json", "v1.parameters.json", "v1.provenance.json",
        "v1.stack-policy.json", "v1.update-parameters.json", "v1.yaml", "versions.json",
    ]
    assert "wrote v1" in capsys.readouterr().out

    manifest = json.loads((folder / "versions.json").read_text())
    (entry,) = manifest["versions"]
    assert entry["version"] == 1 and entry["file"] == "v1.yaml"
    assert entry["compiler"] == pipeline.COMPILER
    assert entry["spec_digest"].startswith("sha256:")
    assert entry["template_digest"].startswith("sha256:")
    assert sorted(entry["files"]) == files(folder)[:-1]
    assert entry["changes"] == []

    parameters = json.loads((folder / "v1.parameters.json").read_text())
    assert {"ParameterKey": "VpcId", "ParameterValue": "vpc-0a1b2c3d4e5f67890"} in parameters
    config = json.loads((folder / "v1.config.json").read_text())
    assert config["Parameters"]["SubnetIds"] == (
        "subnet-0a1b2c3d4e5f67890,subnet-1a2b3c4d5e6f78901"
    )
    assert config["Tags"]["cachec:environment"] == "staging"
    policy = json.loads((folder / "v1.stack-policy.json").read_text())
    assert config["StackPolicy"] == policy


def test_unchanged_spec_writes_nothing(spec: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert build(str(spec), "--out", str(out)) == 0
    before = {p: p.stat().st_mtime_ns for p in (out / "orders-staging").iterdir()}
    assert build(str(spec), "--out", str(out)) == 0
    after = {p: p.stat().st_mtime_ns for p in (out / "orders-staging").iterdir()}
    assert before == after


def test_changed_spec_publishes_next_version_and_keeps_the_old(
    spec: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    assert build(str(spec), "--out", str(out)) == 0
    v1 = (out / "orders-staging" / "v1.yaml").read_text()
    spec.write_text(spec.read_text().replace("retention_days: 1", "retention_days: 3"))
    assert build(str(spec), "--out", str(out)) == 0
    folder = out / "orders-staging"
    assert (folder / "v1.yaml").read_text() == v1
    assert "SnapshotRetentionLimit: 3" in (folder / "v2.yaml").read_text()
    versions = json.loads((folder / "versions.json").read_text())["versions"]
    assert [v["version"] for v in versions] == [1, 2]


def test_stray_version_file_is_never_overwritten_nor_adopted(
    spec: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "out" / "orders-staging"
    folder.mkdir(parents=True)
    (folder / "v1.yaml").write_text("# put here by hand\n")
    assert build(str(spec), "--out", str(tmp_path / "out")) == 1
    assert (f"{folder / 'v1.yaml'}: not a version in versions.json and not left by a cachec "
            "build; move it out of the folder (cachec neither adopts nor deletes it)"
            ) in capsys.readouterr().err
    assert files(folder) == ["v1.yaml"]
    assert (folder / "v1.yaml").read_text() == "# put here by hand\n"


def test_compiler_upgrade_alone_publishes_nothing(
    spec: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    assert build(str(spec), "--out", str(out)) == 0
    monkeypatch.setattr(pipeline, "COMPILER", "cachec 99.0.0")
    assert build(str(spec), "--out", str(out), "--check") == 0
    assert build(str(spec), "--out", str(out)) == 0
    assert not (out / "orders-staging" / "v2.yaml").exists()


def test_check_reports_stale_and_writes_nothing(
    spec: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert build(str(spec), "--out", str(out), "--check") == 3
    assert not out.exists()
    assert "out of date" in capsys.readouterr().err
    assert build(str(spec), "--out", str(out)) == 0
    assert build(str(spec), "--out", str(out), "--check") == 0


def test_one_bad_spec_means_nothing_is_written(spec: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("cachec: 1\nname: x1\nenvironment: dev\nport: 80\n")
    out = tmp_path / "out"
    assert build(str(spec), str(bad), "--out", str(out)) == 1
    assert not out.exists()


def test_two_specs_for_one_stack_are_refused(
    spec: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    twin = tmp_path / "twin.yaml"
    shutil.copy(spec, twin)
    out = tmp_path / "out"
    assert build(str(spec), str(twin), "--out", str(out)) == 1
    assert not out.exists()
    err = capsys.readouterr().err
    assert f"{twin}:3:7: error: name: orders-staging is also built by {spec}" in err
    assert "[duplicate-stack]" in err


def test_the_same_spec_twice_is_built_once(spec: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert build(str(spec), str(spec), "--out", str(out)) == 0
    assert (out / "orders-staging" / "v1.yaml").is_file()
    assert not (out / "orders-staging" / "v2.yaml").exists()


def test_json_format(spec: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert build(str(spec), "--out", str(out), "--format", "json") == 0
    template = json.loads((out / "orders-staging" / "v1.json").read_text())
    assert template["Resources"]["ReplicationGroup"]["Properties"]["Engine"] == "valkey"


def test_compile_prints_template_and_writes_nothing(
    spec: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert cli.main(["compile", str(spec), "--no-lint"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# Generated by cachec")
    assert "\nAWSTemplateFormatVersion: '2010-09-09'\n" in out
    assert files(tmp_path) == ["orders.yaml"]


def test_validate_reports_warnings_but_passes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = tmp_path / "prod.yaml"
    spec.write_text("cachec: 1\nname: solo\nenvironment: production\n")
    assert cli.main(["validate", str(spec)]) == 0
    captured = capsys.readouterr()
    assert "warning: topology.replicas: a production cache without replicas" in captured.err
    assert "[production-without-replicas]" in captured.err
    assert "[burstable-in-production]" in captured.err
    assert f"{spec}: ok" in captured.out


def test_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nope.yaml"
    assert cli.main(["validate", str(missing)]) == 1
    assert capsys.readouterr().err == f"{missing}:1:1: error: $: no such file [file-not-found]\n"


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main([]) == 2
    assert cli.main(["frobnicate"]) == 2
    assert cli.main(["build"]) == 2
    assert cli.main(["build", "x.yaml", "--format", "xml"]) == 2
    assert "usage:" in capsys.readouterr().err


def test_schema_command_prints_the_schema(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"


def test_internal_error_is_one_line_not_a_traceback(
    spec: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def boom(*_: object, **__: object) -> None:
        raise RuntimeError("kaboom")

    monkeypatch.setattr(pipeline, "compile_file", boom)
    assert cli.main(["compile", str(spec)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("cachec: internal error: RuntimeError: kaboom")
    assert "Traceback" not in err


def test_unwritable_output_is_a_clean_error(
    spec: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "out"
    blocker.write_text("a file where a folder should be")
    assert build(str(spec), "--out", str(blocker / "sub")) == 1
    err = capsys.readouterr().err
    assert "cachec: error:" in err and "internal error" not in err


@pytest.mark.parametrize("command", ["build", "diff"])
@pytest.mark.parametrize("out", ["", "  "])
def test_empty_out_is_a_usage_error(
    spec: Path, out: str, command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main([command, str(spec), "--out", out]) == 2
    assert "--out: must name a folder, not be empty" in capsys.readouterr().err


@pytest.mark.parametrize("command", ["build", "diff"])
def test_out_naming_a_file_is_a_usage_error(
    spec: Path, command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main([command, str(spec), "--out", str(spec)]) == 2
    assert f"--out: {spec} is a file, not a folder" in capsys.readouterr().err
    assert spec.read_text() == (SPECS / "staging.yaml").read_text()


@pytest.mark.parametrize("manifest", ["not json", "[]", '{"versions": [{"version": "1"}]}'])
def test_broken_manifest_is_a_clean_error(
    spec: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], manifest: str
) -> None:
    folder = tmp_path / "out" / "orders-staging"
    folder.mkdir(parents=True)
    (folder / "versions.json").write_text(manifest)
    assert build(str(spec), "--out", str(tmp_path / "out")) == 1
    err = capsys.readouterr().err
    assert "versions.json" in err and "internal error" not in err
    assert sorted(p.name for p in folder.iterdir()) == ["versions.json"]


def test_the_command_flushes_its_output_before_leaving_without_teardown(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """cli.run leaves with os._exit: everything printed must still arrive
    (short lines sit in stdout's buffer), and the exit code is main's."""
    import subprocess
    import sys

    monkeypatch.delenv("PYTHONUNBUFFERED", raising=False)  # buffered, as in a pipe
    command = [sys.executable, "-m", "compiler", "build", "--no-lint", "--out", str(tmp_path)]
    specs = [str(SPECS / "dev.yaml"), str(SPECS / "prod.yaml")]
    done = subprocess.run([*command, *specs], capture_output=True, cwd=SPECS.parent)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.decode().splitlines()
    assert [line.split(": ")[0] for line in lines] == [
        f"{tmp_path}/orders-dev", f"{tmp_path}/orders-dev",
        f"{tmp_path}/orders-production", f"{tmp_path}/orders-production",
    ]
    assert all(line.endswith("v1.DEPLOY.md)") for line in lines[::2]), lines
    assert all(line.endswith("with " + line.split(": ")[0] + "/v1.DEPLOY.md")
               for line in lines[1::2]), lines
    failed = subprocess.run([*command, "missing.yaml"], capture_output=True, cwd=SPECS.parent)
    assert failed.returncode == 1 and b"[file-not-found]" in failed.stderr
    usage = subprocess.run([*command, "--jobs", "0", *specs], capture_output=True,
                           cwd=SPECS.parent)
    assert usage.returncode == 2 and b"must be a whole number of at least 1" in usage.stderr


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("command", ["build", "compile"])
def test_a_full_standard_output_is_a_clear_error_that_says_what_was_written(
    command: str, spec: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    args = ["build", str(spec), "--out", str(out)] if command == "build" else ["compile",
                                                                              str(spec)]
    with open("/dev/full", "w") as full:
        run = subprocess.run([sys.executable, "-m", "compiler", *args, "--no-lint"],
                             stdout=full, stderr=subprocess.PIPE, text=True, check=False)
    assert run.returncode == 1
    assert "cachec: error: cannot write to standard output: No space left on device" in run.stderr
    assert "internal error" not in run.stderr
    if command == "build":
        assert f"{out / 'orders-staging'}: wrote v1 (" in run.stderr
        assert (out / "orders-staging" / "v1.yaml").is_file()


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("x\nforged.yaml:1:1: error: $: fake [x].yaml",
         "x\\nforged.yaml:1:1: error: $: fake [x].yaml"),
        ("\x1b]0;owned\x07\x1b[2J.yaml", "\\x1b]0;owned\\x07\\x1b[2J.yaml"),
        ("odd\u202ename.yaml", "odd\\u202ename.yaml"),
    ],
    ids=["newline", "escape-sequences", "bidi-override"],
)
def test_file_names_are_escaped_in_every_message(
    name: str, shown: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A file name cannot forge a diagnostic line nor reach the terminal raw."""
    bad = tmp_path / name
    bad.write_text("cachec: 1\nname: orders\n", encoding="utf-8")
    assert cli.main(["validate", str(bad)]) == 1
    err = capsys.readouterr().err
    assert err == (
        f"{tmp_path}/{shown}:1:1: error: environment: required key 'environment' is "
        "missing [missing-key]\n"
    )
    good = tmp_path / "ok" / name
    good.parent.mkdir()
    shutil.copy(SPECS / "dev.yaml", good)
    assert cli.main(["validate", str(good)]) == 0
    assert capsys.readouterr().out == f"{tmp_path}/ok/{shown}: ok\n"


def test_ordinary_file_names_print_unchanged(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = tmp_path / "café spec (copy) \\ 2.yaml"
    shutil.copy(SPECS / "dev.yaml", good)
    assert cli.main(["validate", str(good)]) == 0
    assert capsys.readouterr().out == f"{good}: ok\n"


def _cachec(*args: str, **popen: object) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(  # type: ignore[call-overload, no-any-return]
        [sys.executable, "-m", "compiler", *args], capture_output=False,
        stderr=subprocess.PIPE, cwd=SPECS.parent, timeout=120, **popen,
    )


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize("args", [
    ("compile", "--no-lint", "specs/dev.yaml"), ("schema",), ("validate", "specs/dev.yaml"),
])
def test_a_full_disk_on_stdout_is_a_clean_error(args: tuple[str, ...]) -> None:
    with open("/dev/full", "wb") as full:
        done = _cachec(*args, stdout=full)
    assert done.returncode == 1
    assert done.stderr.decode().endswith(
        "cachec: error: cannot write to standard output: No space left on device\n"
    )
    assert b"internal error" not in done.stderr and b"Traceback" not in done.stderr


@pytest.mark.parametrize("args", [
    ("compile", "--no-lint", "specs/dev.yaml"), ("schema",), ("build", "--no-lint", "--out"),
])
def test_a_closed_stdout_is_a_clean_error_and_nothing_is_done(
    args: tuple[str, ...], tmp_path: Path
) -> None:
    if args[0] == "build":
        args = (*args, str(tmp_path / "out"), "specs/dev.yaml")
    done = _cachec(*args, preexec_fn=lambda: os.close(1))
    assert done.returncode == 1
    assert done.stderr.decode() == "cachec: error: cannot write to standard output: it is closed\n"
    assert not (tmp_path / "out").exists()


def test_a_500_kb_key_is_reported_where_it_starts_in_a_readable_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """YAML keys have at most 1024 characters; PyYAML reported the end of the
    key, column 500,001."""
    spec = tmp_path / "long.yaml"
    spec.write_text("cachec: 1\nname: orders\nenvironment: dev\n" + "k" * 500_000 + ": 1\n")
    assert cli.main(["validate", str(spec)]) == 1
    assert capsys.readouterr().err == (
        f"{spec}:4:1: error: $: a key of more than 1024 characters: YAML allows no longer "
        "keys, and no spec key comes near it [yaml-syntax]\n"
    )


def test_long_keys_and_values_are_cut_in_messages(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = tmp_path / "long.yaml"
    spec.write_text(
        "cachec: 1\nname: orders\nenvironment: dev\n? " + "k" * 500_000 + "\n: 1\n"
        "engine: " + "r" * 5000 + "\n"
    )
    assert cli.main(["validate", str(spec)]) == 1
    lines = capsys.readouterr().err.splitlines()
    key, value = "k" * 60, "r" * 60
    assert lines == [
        f"{spec}:4:3: error: [\"{key}…\"]: unknown key '{key}'… (500,000 characters) "
        "[unknown-key]",
        f"{spec}:6:9: error: engine: must be one of redis, valkey; got string '{value}'… "
        "(5,000 characters) [invalid-value]",
    ]
