"""The AWS CLI harness (tests/aws_cli.py) refuses what the real CLI refuses."""

from __future__ import annotations

import json
from pathlib import Path

import aws_cli


def test_a_valid_command_is_parsed_and_validated(tmp_path: Path) -> None:
    (tmp_path / "p.json").write_text(json.dumps([{"ParameterKey": "A", "ParameterValue": "b"}]))
    run = aws_cli.run(
        "aws cloudformation create-change-set --stack-name s --change-set-name c \\\n"
        "  --template-body x --parameters file://p.json --capabilities CAPABILITY_IAM",
        tmp_path,
    )
    assert run.returncode == 0, run.stderr
    params = run.call("CreateChangeSet")
    assert params["Parameters"] == [{"ParameterKey": "A", "ParameterValue": "b"}]
    assert params["Capabilities"] == ["CAPABILITY_IAM"]


def test_unknown_options_missing_files_and_invalid_requests_fail(tmp_path: Path) -> None:
    unknown = aws_cli.run("aws cloudformation create-stack --stack-name s --bogus 1", tmp_path)
    assert unknown.returncode != 0 and "Unknown options" in unknown.stderr
    missing = aws_cli.run(
        "aws cloudformation create-stack --stack-name s --template-body x "
        "--parameters file://missing.json", tmp_path)
    assert missing.returncode != 0 and "missing.json" in missing.stderr
    invalid = aws_cli.run(
        "aws cloudformation create-stack --stack-name s --template-body x "
        "--parameters ParameterKey=A,UsePreviousValue=maybe", tmp_path)
    assert invalid.returncode != 0 and "UsePreviousValue" in invalid.stderr


def test_commands_are_found_in_markdown() -> None:
    text = "x\n```sh\naws cloudformation a \\\n  --b c\necho no\n```\naws outside\n"
    assert aws_cli.commands(text) == ["aws cloudformation a \\\n  --b c"]
