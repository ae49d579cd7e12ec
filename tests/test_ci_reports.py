"""Machine-readable reports for CI (`--format`/`--report json|sarif|github`)
and the exit codes a pipeline branches on."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from compiler import __version__, cli, report
from compiler.api import CHANGES_PENDING, compile_text
from compiler.diagnostics import Diagnostic, Mark, Marks
from compiler.kinds import Severity
from compiler.registry import KINDS

DATA = Path(__file__).parent / "data"
# The official SARIF 2.1.0 schema (tests/data/README.md says where it is from).
SARIF_SCHEMA = json.loads((DATA / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))

BAD = "cachec: 1\nname: orders\nenvironment: prod\nport: 80\nnode_type: cache.t3.micro\n"


def _sarif_valid(document: dict[str, Any]) -> None:
    jsonschema.Draft4Validator(SARIF_SCHEMA).validate(document)


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_validate_json_carries_every_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = tmp_path / "bad.yaml"
    spec.write_text(BAD)
    code, out, err = _run(capsys, "validate", "--format", "json", str(spec))
    document = json.loads(out)
    assert code == 1 and document["ok"] is False
    (entry,) = document["specs"]
    port = next(d for d in entry["diagnostics"] if d["path"] == "port")
    assert port == {"kind": port["kind"], "severity": "error", "file": str(spec), "line": 4,
                    "column": 7, "path": "port", "message": port["message"], "accepted": None}
    assert f"{spec}:4:7: error: port:" in err  # the log still reads as text


def test_validate_sarif_is_valid_sarif_located_on_spec_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = tmp_path / "bad.yaml"
    spec.write_text(BAD)
    code, out, _ = _run(capsys, "validate", "--format", "sarif", str(spec))
    document = json.loads(out)
    assert code == 1
    _sarif_valid(document)
    (run,) = document["runs"]
    rules = run["tool"]["driver"]["rules"]
    assert {r["id"] for r in rules} >= {k.id for k in KINDS if "<" not in k.id}
    result = next(r for r in run["results"] if r["locations"][0]["logicalLocations"][0]
                  ["fullyQualifiedName"] == "port")
    assert rules[result["ruleIndex"]]["id"] == result["ruleId"] and result["level"] == "error"
    location = result["locations"][0]["physicalLocation"]
    assert location["region"] == {"startLine": 4, "startColumn": 7}
    assert location["artifactLocation"]["uri"] == "file://" + spec.as_posix()
    rule = rules[result["ruleIndex"]]
    assert rule["help"]["text"] and rule["fullDescription"]["text"]


def test_a_cfn_lint_finding_is_a_rule_of_its_own_on_the_spec_key() -> None:
    """cfn-lint findings are mapped to the spec key provenance knows
    (template/lint.to_diagnostics); SARIF gives each rule id a rule."""
    finding = Diagnostic("cfn-lint-W3005", Severity.WARNING, ("node_type",), "generated ...")
    marks = Marks(values={("node_type",): Mark(5, 12)}, keys={})
    document = report.sarif_log([("specs/prod.yaml", marks, [finding])])
    _sarif_valid(document)
    run = document["runs"][0]
    (result,) = run["results"]
    rule = run["tool"]["driver"]["rules"][result["ruleIndex"]]
    assert rule["id"] == "cfn-lint-W3005" and "cfn-lint" in rule["helpUri"]
    assert result["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "specs/prod.yaml"},
        "region": {"startLine": 5, "startColumn": 12},
    }


def test_github_annotations_escape_what_workflow_commands_parse() -> None:
    diagnostic = Diagnostic("kms-alias", Severity.WARNING, ("security", "kms_key_id"),
                            "50% of\nit, said: x")
    marks = Marks(values={("security", "kms_key_id"): Mark(9, 15)}, keys={})
    (line,) = report.github_lines([("a,b:c.yaml", marks, [diagnostic])])
    assert line == ("::warning file=a%2Cb%3Ac.yaml,line=9,col=15,title=kms-alias::"
                    "security.kms_key_id: 50%25 of%0Ait, said: x")


@pytest.mark.parametrize("fmt", ["json", "sarif", "github"])
def test_build_reports_in_every_format(
    fmt: str, spec: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    code, printed, err = _run(capsys, "build", str(spec), "--out", str(out), "--no-lint",
                              "--report", fmt)
    assert code == 0 and ": wrote v1" in err  # the text report goes to the log
    if fmt == "json":
        document = json.loads(printed)
        assert document["ok"] and document["stacks"][0]["version"] == 1
        assert document["specs"][0]["file"] == str(spec)
    elif fmt == "sarif":
        _sarif_valid(json.loads(printed))
    else:
        assert all(line.startswith("::") for line in printed.splitlines())
    code, printed, _ = _run(capsys, "build", str(spec), "--out", str(out), "--no-lint",
                            "--check", "--report", fmt)
    assert code == 0


def test_build_check_out_of_date_exits_changes_pending(
    spec: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = str(tmp_path / "out")
    code, printed, _ = _run(capsys, "build", str(spec), "--out", out, "--no-lint", "--check",
                            "--report", "json")
    assert code == CHANGES_PENDING == 3
    document = json.loads(printed)
    assert document["exit_code"] == 3 and document["stacks"][0]["stale"] is True
    bad = tmp_path / "bad.yaml"
    bad.write_text(BAD)
    # Invalid beats out of date: 1.
    assert cli.main(["build", str(spec), str(bad), "--out", out, "--no-lint", "--check"]) == 1


def test_diff_formats_and_exit_codes(
    spec: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = str(tmp_path / "out")
    assert cli.main(["build", str(spec), "--out", out, "--no-lint"]) == 0
    capsys.readouterr()
    assert _run(capsys, "diff", str(spec), "--out", out, "--exit-code")[0] == 0
    spec.write_text(spec.read_text().replace("cachec: 1\n", "cachec: 1\nport: 6380\n"))
    bad = tmp_path / "bad.yaml"
    bad.write_text(BAD)
    code, printed, _ = _run(capsys, "diff", str(spec), "--out", out, "--format", "json",
                            "--exit-code")
    assert code == 3
    document = json.loads(printed)
    (review,) = document["specs"]
    assert review["changes"] and review["published_version"] == 1  # as 0.2 printed it
    assert document["failed"] == []
    code, printed, _ = _run(capsys, "diff", str(spec), str(bad), "--out", out, "--format",
                            "sarif", "--exit-code")
    assert code == 1  # an invalid spec beats "something differs"
    document = json.loads(printed)
    _sarif_valid(document)
    assert any(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith(
        "bad.yaml") for r in document["runs"][0]["results"])


def test_diagnostic_record_locates_like_the_text_line() -> None:
    result = compile_text(BAD, "x.yaml", lint=False)
    (line, *_), records = list(report.diagnostic_lines([result])), [
        report.diagnostic_record(d, "x.yaml", result.marks) for d in result.diagnostics]
    first = min(records, key=lambda r: (r["line"], r["column"]))
    assert line.startswith(f"x.yaml:{first['line']}:{first['column']}: ")


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(("no_color", "coloured"), [("", True), ("1", False)])
def test_severity_in_colour_on_a_terminal_unless_no_color(
    no_color: str, coloured: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = tmp_path / "bad.yaml"
    spec.write_text(BAD)
    monkeypatch.setenv("NO_COLOR", no_color)
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert cli.main(["validate", str(spec)]) == 1
    assert (f"{spec}:4:7: \033[1;31merror\033[0m: port:" in terminal.getvalue()) is coloured
    assert ("\033[" in terminal.getvalue()) is coloured


def test_plain_text_when_not_a_terminal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = tmp_path / "bad.yaml"
    spec.write_text(BAD)
    assert cli.main(["validate", str(spec)]) == 1
    assert "\033[" not in capsys.readouterr().err


def test_a_build_ends_with_its_summary_on_a_terminal(
    spec: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = str(tmp_path / "out")
    monkeypatch.delenv("NO_COLOR", raising=False)
    for written, current in ((1, 0), (0, 1)):
        terminal = _Terminal()
        monkeypatch.setattr(sys, "stderr", terminal)
        assert cli.main(["build", str(spec), "--out", out, "--no-lint"]) == 0
        summary, row = terminal.getvalue().splitlines()[-2:]
        assert summary.startswith(
            f"cachec {__version__}: 1 spec: {written} written, {current} up to date; ")
        assert row.split()[:3] == [str(spec), str(Path(out) / "orders-staging"), "v1"]
        assert (" written" if written else " up to date") in row


def test_the_summary_aligns_each_spec_in_columns_on_a_terminal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One row per spec (spec, stack folder, version, what became of it,
    its warnings), each column starting where the one above does."""
    monkeypatch.delenv("NO_COLOR", raising=False)
    specs = []
    for name, environment in (("ab", "dev"), ("orders-long-name", "production")):
        spec = tmp_path / f"{name}.yaml"
        accept = "accept: {burstable-in-production: pilot}\n" if environment != "dev" else ""
        spec.write_text(f"cachec: 1\nname: {name}\nenvironment: {environment}\n"
                        "node_type: cache.t4g.small\nmonitoring: {create_topic: true}\n"
                        + accept)
        specs.append(str(spec))
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert cli.main(["build", *specs, "--out", str(tmp_path / "out"), "--no-lint"]) == 0
    rows = terminal.getvalue().splitlines()[-2:]
    first, second = rows
    assert first.index(" v1 ") == second.index(" v1 ")
    assert first.index("written") == second.index("written")
    assert rows[0].endswith("written")
    assert "(1 accepted)" in rows[1]


def test_a_clean_build_in_a_log_says_nothing_on_stderr(
    spec: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["build", str(spec), "--out", str(tmp_path / "out"), "--no-lint"]) == 0
    assert capsys.readouterr().err == ""
