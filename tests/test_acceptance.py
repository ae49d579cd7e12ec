"""Reviewed suppressions (`accept`): an accepted warning is listed with its
reason, does not fail --strict, and never hides an error."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from compiler import cli, rules_reference
from compiler.api import compile_text

ROOT = Path(__file__).parent.parent

BASE = """cachec: 1
name: orders
environment: production
node_type: cache.t3.micro
topology: {replicas: 1}
monitoring: {enabled: false}
logs: {kms_key_id: "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"}
"""
ACCEPT = 'accept:\n  burstable-in-production: "pilot, until 2027-03"\n'


def _kinds(text: str) -> dict[str, str | None]:
    result = compile_text(text, "s.yaml", lint=False)
    return {d.kind: d.accepted for d in result.diagnostics}


def test_the_committed_kind_table_is_current() -> None:
    committed = (ROOT / "compiler" / "rules" / "kind_table.json").read_text(encoding="utf-8")
    assert committed == rules_reference.kind_table(), (
        ".venv/bin/python -c \"from compiler import rules_reference as r; "
        "open('compiler/rules/kind_table.json', 'w').write(r.kind_table())\""
    )


def test_an_accepted_warning_is_still_reported_with_its_reason() -> None:
    assert _kinds(BASE)["burstable-in-production"] is None
    assert _kinds(BASE + ACCEPT)["burstable-in-production"] == "pilot, until 2027-03"


def test_accept_changes_no_template_and_no_digest() -> None:
    plain = compile_text(BASE, "s.yaml", lint=False)
    accepted = compile_text(BASE + ACCEPT, "s.yaml", lint=False)
    assert accepted.text == plain.text and accepted.spec_digest == plain.spec_digest


def test_an_unknown_or_unused_kind_is_said() -> None:
    kinds = _kinds(BASE + "accept:\n  burstabel-in-production: typo\n  kms-alias: old\n")
    assert "accept-unknown-kind" in kinds and "accept-unused" in kinds
    assert kinds["burstable-in-production"] is None  # the typo accepted nothing


def test_what_accept_did_not_use_is_said_where_it_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # On the key (column 3), not its value: the key is what to remove.
    spec = tmp_path / "s.yaml"
    spec.write_text(BASE + "accept:\n  burstabel-in-production: typo\n  kms-alias: old\n")
    assert cli.main(["validate", str(spec)]) == 0
    assert capsys.readouterr().err.splitlines() == [
        f"{spec}:4:12: warning: node_type: cache.t3.micro is a burstable node: once its CPU "
        "credits run out it is throttled; production caches usually run on m- or r-class "
        "nodes [burstable-in-production]",
        f"{spec}:9:3: warning: accept.burstabel-in-production: cachec reports no kind "
        "'burstabel-in-production' (did you mean 'burstable-in-production'?): it accepts "
        "nothing [accept-unknown-kind]",
        f"{spec}:10:3: warning: accept.kms-alias: 'kms-alias' did not fire: remove it from "
        "accept, so it is reviewed again if it comes back [accept-unused]",
    ]


def test_an_accepted_warning_keeps_its_place(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # accept-unknown-kind is said on the key it names; accepting it keeps it there.
    spec = tmp_path / "s.yaml"
    spec.write_text(BASE + ACCEPT + "  burstabel: typo\n  accept-unknown-kind: kept on purpose\n")
    assert cli.main(["validate", str(spec)]) == 0
    (said,) = [line for line in capsys.readouterr().err.splitlines() if "burstabel:" in line]
    assert said.startswith(f"{spec}:10:3: warning: accept.burstabel: cachec reports no kind ")
    assert said.endswith("[accept-unknown-kind] (accepted: kept on purpose)")


def test_an_accepted_cfn_lint_warning_kind_is_known_and_an_error_one_refused() -> None:
    kinds = _kinds(BASE + ACCEPT + "  cfn-lint-W3005: reviewed\n  cfn-lint-E3001: no\n")
    assert "accept-error" in kinds and "accept-unknown-kind" not in kinds


def test_an_accepted_cfn_lint_warning_kind_alone_is_not_refused() -> None:
    # A W rule is a warning (acceptance._CFN_LINT): only E rules are refused.
    kinds = _kinds(BASE + ACCEPT + "  cfn-lint-W3005: reviewed\n")
    assert "accept-error" not in kinds and "accept-unknown-kind" not in kinds


@pytest.mark.parametrize("command", ["validate", "build"])
def test_strict_fails_only_on_warnings_not_accepted(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = tmp_path / "s.yaml"
    extra = ["--out", str(tmp_path / "out"), "--no-lint"] if command == "build" else []
    spec.write_text(BASE)
    assert cli.main([command, str(spec), *extra]) == 0
    assert cli.main([command, str(spec), *extra, "--strict"]) == 1
    assert "--strict" in capsys.readouterr().err
    spec.write_text(BASE + ACCEPT)
    assert cli.main([command, str(spec), *extra, "--strict"]) == 0
    err = capsys.readouterr().err
    assert "[burstable-in-production] (accepted: pilot, until 2027-03)" in err


def test_accepted_warnings_are_listed_in_every_format(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = tmp_path / "s.yaml"
    spec.write_text(BASE + ACCEPT)
    cli.main(["validate", "--format", "json", str(spec)])
    (record,) = [d for d in json.loads(capsys.readouterr().out)["specs"][0]["diagnostics"]
                 if d["kind"] == "burstable-in-production"]
    assert record["accepted"] == "pilot, until 2027-03"
    cli.main(["validate", "--format", "sarif", str(spec)])
    (result,) = json.loads(capsys.readouterr().out)["runs"][0]["results"]
    assert result["suppressions"] == [{"kind": "inSource", "status": "accepted",
                                       "justification": "pilot, until 2027-03"}]
    cli.main(["validate", "--format", "github", str(spec)])
    assert capsys.readouterr().out.startswith(
        f"::notice file={spec},line=4,col=12,title=burstable-in-production (accepted)::")
