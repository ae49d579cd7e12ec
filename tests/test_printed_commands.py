"""Every `aws ...` command the README, the docs and cachec's own messages show
runs as written through the AWS CLI's argument handling and botocore's model
(tests/aws_cli.py), from the folder the text says to run it in.

The DEPLOY.md files of a version are run in tests/test_deploy_guide.py and
tests/test_stackset.py; these are the commands people copy from prose.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import aws_cli
import pytest

from compiler import cli

ROOT = Path(__file__).parent.parent
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
# Messages that name a command: the diff pairs hold each one as users see it.
MESSAGES = sorted((ROOT / "tests" / "diffs").glob("*/expected.txt"))

# What a reader fills in: <...> placeholders, and the ID a reader copies from
# the previous command's output.
_PLACEHOLDER = re.compile(r"<[^<>\n]+>")
_SUBSTITUTION = re.compile(r"\"\$\((aws [^()]*(?:\([^()]*\)[^()]*)*)\)\"")


def _fill(command: str) -> str:
    command = _PLACEHOLDER.sub("placeholder", command)
    return re.sub(r"--operation-id ID\b", "--operation-id 1", command)


def _documented() -> list[tuple[str, str]]:
    found = []
    for path in DOCS:
        for command in aws_cli.commands(path.read_text(encoding="utf-8")):
            # $(aws ...) inside a command runs first: both must parse.
            for inner in _SUBSTITUTION.findall(command):
                found.append((path.name, inner))
            found.append((path.name, _SUBSTITUTION.sub("arn:aws:iam::111122223333:policy/p",
                                                       command)))
    return found


def _in_messages() -> list[tuple[str, str]]:
    found = {}
    for path in MESSAGES:
        for line in path.read_text(encoding="utf-8").splitlines():
            for command in re.findall(r"\((aws [^()]*?)\)", line) + re.findall(
                r"with (aws [a-z0-9-]+ [a-z0-9-]+ --export-name <[^>]+>)", line
            ):
                found[command] = path.parent.name
    return [(case, command) for command, case in sorted(found.items())]


DOCUMENTED = _documented()
IN_MESSAGES = _in_messages()


def test_the_docs_and_messages_show_commands() -> None:
    assert len(DOCUMENTED) >= 6 and len(IN_MESSAGES) >= 2, (DOCUMENTED, IN_MESSAGES)


@pytest.mark.parametrize(("where", "command"), DOCUMENTED + IN_MESSAGES,
                         ids=lambda value: value.split("\n")[0][:60])
def test_command_runs_as_written(where: str, command: str) -> None:
    run = aws_cli.run(_fill(command), ROOT)
    assert run.returncode == 0, f"{where}: {command}\n{run.stderr}"
    assert run.calls, f"{where}: {command} made no AWS call"


def _steps(block: str) -> list[tuple[str, str]]:
    """A console transcript: each `$ command` with the lines printed after it."""
    steps: list[tuple[str, str]] = []
    for part in block.split("$ ")[1:]:
        command, _, shown = part.partition("\n")
        steps.append((command, shown))
    return steps


# The README's edit between its two transcripts, as its prose says it.
_EDIT = ("  retention_days: 7\n", "  retention_days: 14\n")


def test_the_readme_tour_prints_what_cachec_prints(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The README's five-minute tour, run as written in an empty folder:
    init, validate, build, the edit its prose asks for, diff, build. Each
    command prints exactly what the README shows: its warnings, then its result."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    tour = text.split("## A five-minute tour\n", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```console\n(.*?)```", tour, re.S)
    assert len(blocks) == 2, "the tour: a transcript before the edit and one after"
    assert "set `retention_days: 7` to\n`retention_days: 14`" in tour
    monkeypatch.chdir(tmp_path)
    commands = []
    for number, block in enumerate(blocks):
        if number == 1:
            spec = tmp_path / "orders.yaml"
            before = spec.read_text(encoding="utf-8")
            assert before.count(_EDIT[0]) == 1
            spec.write_text(before.replace(*_EDIT), encoding="utf-8")
        for command, shown in _steps(block):
            argv = shlex.split(command)
            assert argv[0] == "cachec", command
            commands.append(argv[1])
            code = cli.main(argv[1:])
            printed = capsys.readouterr()
            assert code == 0, command
            # A console shows both streams: cachec prints a command's
            # diagnostics (stderr) before its result lines (stdout).
            assert printed.err + printed.out == shown, command
    assert commands == ["init", "validate", "build", "diff", "build"]
