"""`cachec import` and `adopt: true` (docs/adopting.md), on the fixtures of tests/adopt/.

Each tests/adopt/<case>/ holds what the AWS CLI printed for one running cache
(tests/adopt/README.md says where each shape comes from) and the goldens:
`expected.spec.yaml` (what `cachec import` writes), `expected.stderr` (what
it reports), `expected.import.yaml` and `expected.resources-to-import.json`
(the import part of the spec's first version). tests/adopt/bad/<case>/ holds
inputs `cachec import` refuses, with `expected.stderr`.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import aws_cli
import botocore
import pytest
import yaml

from compiler import api
from compiler.cli import main
from compiler.deploy.version_files import version_files
from compiler.template.importable import IDENTIFIERS
from compiler.template.lint import Linter

ROOT = Path(__file__).parent / "adopt"
# Each case: the name and environment given to `cachec import`.
CASES = {
    "single-node": ("orders", "dev"),
    "replicas": ("sessions", "production"),
    "cluster-mode": ("catalog", "production"),
    "serverless": ("carts", "production"),
    "iam-user-group": ("ledger", "production"),
    "custom-parameter-group": ("queue", "production"),
}
BAD = sorted(p.name for p in (ROOT / "bad").iterdir())
# The operation whose output each top-level key is (botocore's model).
OPERATIONS = {
    "ReplicationGroups": "DescribeReplicationGroups",
    "CacheClusters": "DescribeCacheClusters",
    "Parameters": "DescribeCacheParameters",
    "ServerlessCaches": "DescribeServerlessCaches",
    "UserGroups": "DescribeUserGroups",
    "Users": "DescribeUsers",
}


def _inputs(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.glob("*.json") if not p.name.startswith("expected"))


def _import(folder: Path, name: str, environment: str, out: Path,
            capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
            ) -> tuple[int, str]:
    """Run `cachec import` in the case's folder (so messages name the files as given)."""
    monkeypatch.chdir(folder)
    code = main(["import", *_inputs(folder), "--name", name, "--environment", environment,
                 "-o", str(out)])
    return code, capsys.readouterr().err.replace(str(out), "{spec}")


def _golden(path: Path, text: str, update: bool) -> None:
    if update:
        path.write_text(text, encoding="utf-8")
    assert path.read_text(encoding="utf-8") == text, f"{path} differs (--update-golden)"


# -- the fixtures are real output shapes --------------------------------------



def _model() -> dict[str, Any]:
    path = Path(botocore.__file__).parent / "data" / "elasticache" / "2015-02-02"
    with gzip.open(path / "service-2.json.gz") as handle:
        model: dict[str, Any] = json.load(handle)
    return model


def _conforms(value: Any, shape_name: str, shapes: dict[str, Any], where: str) -> list[str]:
    """Where `value` departs from botocore's shape (types, member names, enums)."""
    shape = shapes[shape_name]
    kind = shape["type"]
    if kind == "structure":
        if not isinstance(value, dict):
            return [f"{where}: not an object"]
        problems = [f"{where}.{k}: no such member of {shape_name}"
                    for k in value if k not in shape["members"]]
        for key, item in value.items():
            if key in shape["members"]:
                problems += _conforms(item, shape["members"][key]["shape"], shapes,
                                      f"{where}.{key}")
        return problems
    if kind == "list":
        if not isinstance(value, list):
            return [f"{where}: not a list"]
        return [p for i, item in enumerate(value)
                for p in _conforms(item, shape["member"]["shape"], shapes, f"{where}[{i}]")]
    if kind == "string":
        if not isinstance(value, str):
            return [f"{where}: not a string"]
        if "enum" in shape and value not in shape["enum"]:
            return [f"{where}: {value!r} not in {shape['enum']}"]
        return []
    if kind in ("integer", "long"):
        return [] if isinstance(value, int) and not isinstance(value, bool) else [
            f"{where}: not an integer"]
    if kind == "boolean":
        return [] if isinstance(value, bool) else [f"{where}: not a boolean"]
    if kind == "timestamp":
        return [] if isinstance(value, str) else [f"{where}: not a timestamp"]
    return []


FIXTURES = sorted(p for p in ROOT.rglob("describe-*.json") if "not-json" not in p.parts)


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: str(p.relative_to(ROOT)))
def test_fixtures_have_botocores_output_shape(path: Path) -> None:
    model = _model()
    data = json.loads(path.read_text(encoding="utf-8"))
    [key] = [k for k in OPERATIONS if k in data] or ["Snapshots"]
    # The wrong command's output (bad/wrong-command) is DescribeSnapshots'.
    operation = "DescribeSnapshots" if key == "Snapshots" else OPERATIONS[key]
    output = model["operations"][operation]["output"]["shape"]
    assert _conforms(data, output, model["shapes"], "$") == []


def test_the_shape_check_sees_a_wrong_member() -> None:
    """The check itself works: a misspelt member and a wrong enum value are found."""
    model = _model()
    bad = {"ReplicationGroups": [{"ReplicationGroupID": "x", "AutomaticFailover": "on"}]}
    problems = _conforms(bad, "ReplicationGroupMessage", model["shapes"], "$")
    assert len(problems) == 2, problems


# -- import: the goldens -------------------------------------------------------

@pytest.mark.parametrize("case", sorted(CASES))
def test_import_writes_the_golden_spec(case: str, tmp_path: Path, update_golden: bool,
                                       capsys: pytest.CaptureFixture[str],
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    folder = ROOT / case
    out = tmp_path / "spec.yaml"
    code, stderr = _import(folder, *CASES[case], out, capsys, monkeypatch)
    assert code == 0, stderr
    _golden(folder / "expected.stderr", stderr, update_golden)
    _golden(folder / "expected.spec.yaml", out.read_text(encoding="utf-8"), update_golden)


def _first_version(case: str) -> tuple[api.Result, Any]:
    spec = ROOT / case / "expected.spec.yaml"
    result = api.compile_text(spec.read_text(encoding="utf-8"), str(spec), lint=False)
    assert result.ok, result.diagnostics
    return result, version_files(result, 1, "v1.yaml")


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_first_version_carries_the_import_part(case: str, update_golden: bool,
                                                   linter: Linter) -> None:
    result, files = _first_version(case)
    main_part, imported = files.templates
    assert (main_part.part, imported.part) == ("", "import")
    assert imported.file == "v1.import.yaml"
    _golden(ROOT / case / "expected.import.yaml", imported.body.text(), update_golden)
    to_import = imported.deployment["v1.import.resources-to-import.json"].text()
    _golden(ROOT / case / "expected.resources-to-import.json", to_import, update_golden)
    template = yaml.safe_load(imported.body.text())
    # Only the cache, with a DeletionPolicy (resource-import.html), no Outputs.
    [(logical_id, cache)] = template["Resources"].items()
    assert cache["Type"] in IDENTIFIERS and "DeletionPolicy" in cache
    assert "Outputs" not in template
    # ... and exactly the full template's cache.
    assert result.template is not None
    assert result.template["Resources"][logical_id] == cache
    findings = linter.lint(imported.body.text(), ("us-east-1",))
    assert findings == [], findings


def test_identifiers_are_the_types_primary_identifiers() -> None:
    from cfnlint.schema import PROVIDER_SCHEMA_MANAGER

    for resource_type, identifier in IDENTIFIERS.items():
        schema = PROVIDER_SCHEMA_MANAGER.get_resource_schema("us-east-1", resource_type).schema
        assert schema["primaryIdentifier"] == [f"/properties/{identifier}"]
    for case in CASES:
        [entry] = json.loads((ROOT / case / "expected.resources-to-import.json").read_text())
        assert list(entry["ResourceIdentifier"]) == [IDENTIFIERS[entry["ResourceType"]]]


def test_a_later_version_carries_no_import_part() -> None:
    result, _ = _first_version("replicas")
    assert [t.part for t in version_files(result, 2, "v2.yaml").templates] == [""]


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_update_after_the_import_only_adds(case: str, tmp_path: Path) -> None:
    """`cachec diff SPEC --deployed v1.import.yaml`: what the update to the full
    template does to the stack the import made. Additions only, none on the cache."""
    _, files = _first_version(case)
    deployed = tmp_path / "v1.import.yaml"
    deployed.write_text(files.templates[1].body.text(), encoding="utf-8")
    spec = ROOT / case / "expected.spec.yaml"
    outcome = api.diff([str(spec)], out=str(tmp_path / "store"), deployed=str(deployed))
    [reviewed] = outcome.reviews
    imported = yaml.safe_load(files.templates[1].body.text())
    assert reviewed.changes, "the full template adds alarms and Outputs"
    # Resources and Outputs: added, none changed; Parameters: only those the
    # import template lacks (the new ones' values), never one the cache reads.
    changed = [(c.template_path, c.action) for c in reviewed.changes if not (
        c.action == "add" or (c.resource_type == "Parameter"
                              and c.resource not in imported.get("Parameters", {})))]
    assert changed == []
    assert not [c for c in reviewed.changes if c.resource in imported["Resources"]]


@pytest.mark.parametrize("case", sorted(CASES))
def test_every_deploy_command_runs(case: str, tmp_path: Path) -> None:
    """v1.DEPLOY.md of an adopted cache, through the AWS CLI's parser and botocore."""
    _, files = _first_version(case)
    for name, content in files.files().items():
        (tmp_path / name).write_bytes(content.raw())
    guide = (tmp_path / "v1.DEPLOY.md").read_text(encoding="utf-8")
    commands = aws_cli.commands(guide)
    assert any("--change-set-type IMPORT" in c for c in commands)
    operations = []
    for command in commands:
        run = aws_cli.run(command, tmp_path, {
            "DescribeChangeSet": {"Status": "CREATE_COMPLETE", "ExecutionStatus": "AVAILABLE"},
            "DescribeStacks": {"Stacks": [{"StackName": "s", "CreationTime": "2026-01-01",
                                           "StackStatus": "IMPORT_COMPLETE"
                                           if "import" in command else "UPDATE_COMPLETE"}]},
        })
        assert run.returncode == 0, (command, run.stderr)
        operations += [name for name, _ in run.calls]
    assert operations.index("CreateChangeSet") < operations.index("DetectStackDrift")
    imports = [p for r in [aws_cli.run(c, tmp_path) for c in commands if "IMPORT" in c]
               for n, p in r.calls if n == "CreateChangeSet"]
    assert imports[0]["ResourcesToImport"] == json.loads(
        (tmp_path / "v1.import.resources-to-import.json").read_text())


# -- import: what it refuses ---------------------------------------------------

@pytest.mark.parametrize("case", BAD)
def test_bad_inputs_are_located_errors(case: str, tmp_path: Path, update_golden: bool,
                                       capsys: pytest.CaptureFixture[str],
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """import-unreadable, import-not-describe-output, import-ambiguous,
    import-not-adoptable, import-missing-input: exit 1, nothing written."""
    out = tmp_path / "spec.yaml"
    code, stderr = _import(ROOT / "bad" / case, "orders", "dev", out, capsys, monkeypatch)
    assert code == 1
    assert not out.exists()
    _golden(ROOT / "bad" / case / "expected.stderr", stderr, update_golden)


def test_an_existing_spec_is_never_overwritten(tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str],
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "spec.yaml"
    out.write_text("mine\n")
    code, stderr = _import(ROOT / "single-node", "orders", "dev", out, capsys, monkeypatch)
    assert code == 1 and "never overwrites" in stderr
    assert out.read_text() == "mine\n"


def test_a_missing_file_is_a_located_error(tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["import", str(tmp_path / "nothing.json"), "--name", "orders",
                 "--environment", "dev"])
    assert code == 1
    assert "nothing.json:1:1: error: $: no such file [import-unreadable]" in (
        capsys.readouterr().err)


def test_parameters_set_by_hand_are_named_as_not_carried() -> None:
    """The custom group keeps its values: the spec names the group, and the
    values set by hand (Source user) are reported, the system's are not."""
    folder = ROOT / "custom-parameter-group"
    imported = api.import_cache([str(p) for p in sorted(folder.glob("describe-*.json"))],
                                "queue", "production")
    assert imported.ok
    notes = [d for r in imported.inputs for d in r.diagnostics
             if d.kind == "import-not-carried" and d.path == ("Parameters",)]
    assert len(notes) == 1
    assert "maxmemory-policy=noeviction" in notes[0].message
    assert "timeout" not in notes[0].message
    assert "parameter_group_name: queue-redis7" in (imported.text or "")


def test_build_publishes_the_import_part_once_and_check_rebuilds_it(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """v1 carries the import part; building again writes nothing and `build
    --check` passes (it rebuilds the part identically); an edited import file
    fails the check; the next version is an ordinary one."""
    spec = tmp_path / "sessions.yaml"
    spec.write_text((ROOT / "replicas" / "expected.spec.yaml").read_text(encoding="utf-8"))
    out = tmp_path / "templates"
    assert main(["build", str(spec), "--out", str(out), "--no-lint"]) == 0
    folder = out / "sessions-production"
    manifest = json.loads((folder / "versions.json").read_text())
    [entry] = manifest["versions"]
    assert [p["part"] for p in entry["templates"]] == ["import"]
    assert "v1.import.resources-to-import.json" in entry["files"]
    assert main(["build", str(spec), "--out", str(out), "--no-lint"]) == 0
    assert main(["build", str(spec), "--out", str(out), "--check", "--no-lint"]) == 0
    assert sorted(p.name for p in folder.iterdir() if p.name.startswith("v2")) == []
    imported = folder / "v1.import.yaml"
    original = imported.read_text()
    imported.write_text(original.replace("Port: 6379", "Port: 6380"))
    assert main(["build", str(spec), "--out", str(out), "--check", "--no-lint"]) != 0
    imported.write_text(original)
    spec.write_text(spec.read_text().replace("  retention_days: 7", "  retention_days: 14"))
    assert main(["build", str(spec), "--out", str(out), "--no-lint"]) == 0
    v2 = sorted(p.name for p in folder.iterdir() if p.name.startswith("v2."))
    assert v2 and not [n for n in v2 if ".import." in n], v2
    capsys.readouterr()


def test_commands_in_import_messages_run() -> None:
    """A message that names an aws command (run ... and pass its output) names
    one the AWS CLI takes as written."""
    import re

    found = sorted({command for path in ROOT.glob("bad/*/expected.stderr")
                    for command in re.findall(r"run (aws elasticache [a-z-]+(?: --[a-z-]+)*)",
                                              path.read_text(encoding="utf-8"))})
    assert found
    for command in found:
        run = aws_cli.run(command, ROOT)
        assert run.returncode == 0, (command, run.stderr)
        assert run.calls, command
