"""`cachec diff` and the replacement guard of `build` (--allow-replacement, --strict)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from compiler import cli


def _edit(spec: Path, old: str, new: str) -> None:
    text = spec.read_text()
    assert old in text
    spec.write_text(text.replace(old, new, 1))


def _published(spec: Path, out: Path) -> None:
    assert cli.main(["build", str(spec), "--out", str(out), "--no-lint"]) == 0


def _published_golden(tmp_path: Path, case: str) -> tuple[Path, Path]:
    """A copy of a golden case's spec, built once into an out folder: (spec, out)."""
    spec = tmp_path / f"{case}.yaml"
    spec.write_text((Path(__file__).parent / "golden" / case / "spec.yaml").read_text())
    out = tmp_path / "out"
    _published(spec, out)
    return spec, out


def test_diff_speaks_spec_keys_and_exit_codes(
    spec: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    _published(spec, out)
    capsys.readouterr()
    assert cli.main(["diff", str(spec), "--out", str(out), "--exit-code"]) == 0
    assert f"{spec}: orders-staging v1 -> this build: no changes\n" in capsys.readouterr().out

    _edit(spec, "cachec: 1\n", "cachec: 1\nport: 6380\n")
    assert cli.main(["diff", str(spec), "--out", str(out)]) == 0
    text = capsys.readouterr().out
    assert "port 6379 -> 6380: replaces the cache: a new, empty cluster" in text
    assert "Resources.ReplicationGroup.Properties.Port" in text
    assert cli.main(["diff", str(spec), "--out", str(out), "--exit-code"]) == 3

    capsys.readouterr()
    assert cli.main(["diff", str(spec), "--out", str(out), "--format", "json"]) == 0
    (report,) = json.loads(capsys.readouterr().out)["specs"]
    assert report["replaces_cache"] is True
    port = next(c for c in report["changes"] if c["path"] == "port"
                and c["action"] == "replacement")
    assert (port["before"], port["after"]) == (6379, 6380)


def test_diff_usage_error_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["diff"]) == 2
    assert cli.main(["diff", "x.yaml", "--format", "yaml"]) == 2


def test_build_refuses_replacement_unless_allowed(
    spec: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    _published(spec, out)
    _edit(spec, "cachec: 1\n", "cachec: 1\nport: 6380\n")
    capsys.readouterr()
    for extra in ([], ["--check"]):
        assert cli.main(["build", str(spec), "--out", str(out), "--no-lint", *extra]) == 1
        assert "[replaces-cache]" in capsys.readouterr().err
    assert not (out / "orders-staging" / "v2.yaml").exists()

    args = ["build", str(spec), "--out", str(out), "--no-lint", "--allow-replacement"]
    assert cli.main(args) == 0
    manifest = json.loads((out / "orders-staging" / "versions.json").read_text())
    changes = manifest["versions"][-1]["changes"]
    assert {"path": "port", "template_path": "Resources.ReplicationGroup.Properties.Port",
            "before": 6379, "after": 6380, "action": "replacement",
            "cause": "create-only"} in changes


def test_update_path_errors_block_build_even_with_allow_replacement(
    spec: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    _published(spec, out)
    _edit(spec, 'engine_version: "8.2"', 'engine_version: "8.0"')
    args = ["build", str(spec), "--out", str(out), "--no-lint", "--allow-replacement"]
    assert cli.main(args) == 1
    assert "[engine-downgrade]" in capsys.readouterr().err


def test_strict_makes_warnings_fail(
    spec: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    _published(spec, out)
    _edit(spec, "node_type: cache.t4g.medium", "node_type: cache.t4g.small")
    base = ["build", str(spec), "--out", str(out), "--no-lint", "--check"]
    assert cli.main(base) == 3  # out of date, warning alone passes
    assert "[node-type-downsize]" in capsys.readouterr().err
    assert cli.main([*base, "--strict"]) == 1
    assert "--strict" in capsys.readouterr().err
    assert cli.main(["build", str(spec), "--out", str(out), "--no-lint", "--strict"]) == 1
    assert not (out / "orders-staging" / "v2.yaml").exists()


def test_diff_without_published_version_lists_additions(
    spec: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["diff", str(spec), "--out", str(tmp_path / "none"), "--exit-code"]) == 3
    text = capsys.readouterr().out
    assert cli.main(["compile", str(spec), "--format", "json"]) == 0
    template = json.loads(capsys.readouterr().out)
    resources, outputs = list(template["Resources"]), list(template["Outputs"])
    # Resources and Outputs counted and named apart, not "creates 24 resources".
    assert text.splitlines() == [
        f"{spec}: orders-staging: nothing published yet; this build creates "
        f"{len(resources)} resources and {len(outputs)} Outputs",
        f"  resources: {', '.join(resources)}",
        f"  Outputs: {', '.join(outputs)}",
    ]


def test_diff_of_broken_store_is_a_clean_error(
    spec: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "out" / "orders-staging"
    folder.mkdir(parents=True)
    (folder / "versions.json").write_text("not json")
    assert cli.main(["diff", str(spec), "--out", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert "cachec: error:" in err and "versions.json" in err and "internal" not in err


def test_a_spec_change_outside_the_template_is_a_difference(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """New StackSet regions change no resource, but build publishes a new
    version (new deployment files): diff says so, and --exit-code is 1."""
    spec = tmp_path / "ss.yaml"
    spec.write_text("cachec: 1\nname: ss\nenvironment: dev\nstack:\n  stackset:\n"
                    "    regions: [us-east-1]\n    accounts: ['111111111111']\n")
    out = str(tmp_path / "out")
    assert cli.main(["build", str(spec), "--out", out, "--no-lint"]) == 0
    spec.write_text(spec.read_text().replace("[us-east-1]", "[us-east-1, eu-west-1]"))
    capsys.readouterr()
    assert cli.main(["diff", str(spec), "--out", out, "--exit-code"]) == 3
    assert (f"{spec}: ss-dev v1 -> this build: no template changes, but the spec changed: "
            "build publishes a new version (its deployment files, such as stack.stackset's, "
            "follow the spec)\n") in capsys.readouterr().out


def _rewrite(folder: Path, name: str, text: str | None) -> None:
    """Replace (or, with None, remove) a published file, its SHA-256 in the
    manifest with it: a version as a build would have written it."""
    manifest = json.loads((folder / "versions.json").read_text())
    files = manifest["versions"][-1]["files"]
    if text is None:
        (folder / name).unlink()
        del files[name]
    else:
        (folder / name).write_text(text)
        files[name] = "sha256:" + hashlib.sha256(text.encode()).hexdigest()
    (folder / "versions.json").write_text(json.dumps(manifest))


def _removed_alarm_key(spec: Path, out: Path, capsys: pytest.CaptureFixture[str]) -> str:
    capsys.readouterr()
    # Exit 1: the review also refuses removing the last replica in one step.
    assert cli.main(["diff", str(spec), "--out", str(out), "--format", "json"]) == 1
    (report,) = json.loads(capsys.readouterr().out)["specs"]
    (alarm,) = [c for c in report["changes"]
                if c["template_path"] == "Resources.ReplicationLagAlarm"]
    assert alarm["action"] == "remove"
    return str(alarm["path"])


def test_diff_reads_what_only_the_published_version_holds_from_its_record(
    spec: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A version carries the record of which spec key made each part of its
    template (v<N>.provenance.json); a later build that no longer makes a part
    (no replica: no replication lag alarm) reads its key from that record."""
    out = tmp_path / "out"
    _published(spec, out)
    folder = out / "orders-staging"
    record = json.loads((folder / "v1.provenance.json").read_text())
    alarm = [["Resources", "ReplicationLagAlarm"], ["monitoring", "alarms", "replication_lag"]]
    assert alarm in record
    _edit(spec, "  replicas: 1 ", "  replicas: 0 ")
    assert _removed_alarm_key(spec, out, capsys) == "monitoring.alarms.replication_lag"
    # The record answers, not a table: one that says another key is believed.
    other = [e if e != alarm else [alarm[0], ["monitoring", "alarms", "cpu"]] for e in record]
    _rewrite(folder, "v1.provenance.json", json.dumps(other))
    assert _removed_alarm_key(spec, out, capsys) == "monitoring.alarms.cpu"
    # A version published before versions carried a record: the frozen table.
    _rewrite(folder, "v1.provenance.json", None)
    assert _removed_alarm_key(spec, out, capsys) == "monitoring.alarms.replication_lag"


def test_a_version_without_a_record_is_up_to_date_without_a_note(
    spec: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    _published(spec, out)
    _rewrite(out / "orders-staging", "v1.provenance.json", None)
    capsys.readouterr()
    assert cli.main(["build", str(spec), "--out", str(out), "--no-lint", "--check"]) == 0
    assert cli.main(["build", str(spec), "--out", str(out), "--no-lint"]) == 0
    captured = capsys.readouterr()
    assert "provenance" not in captured.out + captured.err
    assert "up to date (v1)" in captured.out


def test_a_record_that_is_no_record_is_a_store_error(
    spec: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    _published(spec, out)
    _rewrite(out / "orders-staging", "v1.provenance.json", '[["Resources"], "tags"]')
    capsys.readouterr()
    assert cli.main(["diff", str(spec), "--out", str(out)]) == 1
    assert "v1.provenance.json: not a provenance record" in capsys.readouterr().err


def test_a_change_is_said_as_the_spec_key_the_build_recorded(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The build's own record names the key a value came from; the frozen
    table for templates without one would guess the engine version for the
    parameter group (it is usually derived from it)."""
    spec, out = _published_golden(tmp_path, "existing-parameter-group")
    _edit(spec, "parameter_group_name: default.redis7.cluster.on",
          "parameter_group_name: orders-tuned")
    capsys.readouterr()
    assert cli.main(["diff", str(spec), "--out", str(out), "--format", "json"]) == 0
    (entry,) = json.loads(capsys.readouterr().out)["specs"]
    assert {c["template_path"]: c["path"] for c in entry["changes"]} == {
        "Resources.ReplicationGroup.Properties.CacheParameterGroupName": "parameter_group_name",
        "Outputs.ParameterGroupName.Value": "parameter_group_name",
    }


def test_an_update_finding_points_at_its_line_in_the_spec(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec, out = _published_golden(tmp_path, "existing-parameter-group")
    _edit(spec, "node_type: cache.r7g.large", "node_type: cache.m7g.large")
    capsys.readouterr()
    assert cli.main(["diff", str(spec), "--out", str(out)]) == 0
    assert f"\n{spec}:7:12: warning: node_type: cache.r7g.large (13.07 GiB) -> " \
        "cache.m7g.large (6.38 GiB): " in capsys.readouterr().out


def test_a_dropped_region_is_said_as_the_keys_its_published_record_names(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A secondary region the spec drops loses every resource; each is said as
    the key the build that made it recorded (the frozen table for templates
    without a record knows no key for the global datastore's lag alarm)."""
    spec, out = _published_golden(tmp_path, "global-valkey-three-regions")
    _edit(spec, "secondary_regions: [us-east-1, ap-southeast-2]", "secondary_regions: [us-east-1]")
    capsys.readouterr()
    assert cli.main(["diff", str(spec), "--out", str(out), "--format", "json"]) == 0
    (entry,) = json.loads(capsys.readouterr().out)["specs"]
    (dropped,) = [p for p in entry["parts"] if p["part"] == "ap-southeast-2"]
    said = {c["template_path"]: c["path"] for c in dropped["changes"] if c["action"] == "remove"}
    assert said["Resources.GlobalReplicationLagAlarm"] == "global_datastore.replication_lag_alarm"
    assert said["Resources.ReplicationLagAlarm"] == "monitoring.alarms.replication_lag"
