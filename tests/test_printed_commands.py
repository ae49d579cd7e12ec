"""Every `aws ...` command the README, the docs and cachec's own messages show
runs as written through the AWS CLI's argument handling and botocore's model
(tests/aws_cli.py), from the folder the text says to run it in.

The DEPLOY.md files of a version are run in tests/test_deploy_guide.py and
tests/test_stackset.py; these are the commands people copy from prose.
"""

from __future__ import annotations

import re
import shutil
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


def test_the_readme_tour_prints_what_cachec_prints(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The README's first `cachec build` transcript is the output of a fresh
    clone (templates/ committed), not a stale example."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split("```console\n", 1)[1].split("```", 1)[0]
    _, found, rest = block.partition("$ cachec build specs/prod.yaml\n")
    assert found, "the README's tour runs cachec build specs/prod.yaml"
    shown = rest.split("$ ", 1)[0]
    for folder in ("templates", "specs"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    monkeypatch.chdir(tmp_path)
    assert cli.main(["build", "--no-lint", "specs/prod.yaml"]) == 0
    assert capsys.readouterr().out == shown
