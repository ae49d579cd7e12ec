"""Run an `aws ...` command line through the real AWS CLI, without AWS.

What cachec prints or writes for users to run must work as written. This runs
a command through AWS CLI v1's own driver (the `awscli` package): its argument
parsing, `file://` loading relative to the working folder, shorthand syntax,
and botocore's validation of every request against the service model. No
request leaves the process: a `before-call` handler answers each call with a
canned response (empty unless the test gives one), after validation ran.

AWS CLI v2 is not on the package registry; commands cachec emits stick to
what both major versions parse alike (API operations such as
`create-change-set --parameters file://...`, not v2-only customisations such
as `deploy --parameter-overrides file://...`).
"""

from __future__ import annotations

import contextlib
import io
import os
import shlex
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# Credentials and a region the CLI needs before it gets to the handler; no
# configuration file of the machine's user is read.
_ENV = {
    "AWS_ACCESS_KEY_ID": "AKIDEXAMPLE",
    "AWS_SECRET_ACCESS_KEY": "secret-example",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_CONFIG_FILE": os.devnull,
    "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
    "AWS_PAGER": "",
}


@dataclass
class Run:
    """What one command line did: its exit code, its stderr and the calls it made."""

    argv: list[str]
    returncode: int
    stderr: str
    stdout: str = ""
    calls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)

    def call(self, operation: str) -> dict[str, Any]:
        """The parameters of the one call of `operation` (e.g. `CreateChangeSet`)."""
        found = [params for name, params in self.calls if name == operation]
        assert len(found) == 1, f"{operation} called {len(found)} times in {self.calls}"
        return found[0]


@contextlib.contextmanager
def _environment(cwd: Path) -> Iterator[None]:
    saved_env = {key: os.environ.get(key) for key in _ENV}
    saved_cwd = os.getcwd()
    os.environ.update(_ENV)
    os.chdir(cwd)
    try:
        yield
    finally:
        os.chdir(saved_cwd)
        for key, value in saved_env.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def split(command: str) -> list[str]:
    """A shell command line (backslash-newline continuations, quotes) as argv,
    without the leading `aws` and without a final `> FILE` (the shell's, not
    the CLI's: the output saved for `cachec diff --deployed FILE`)."""
    argv = shlex.split(command.replace("\\\n", " "))
    assert argv and argv[0] == "aws", f"not an aws command: {command!r}"
    if len(argv) > 2 and argv[-2] == ">":
        argv = argv[:-2]
    return argv[1:]


def run(
    command: str | list[str],
    cwd: Path,
    responses: Mapping[str, dict[str, Any]] | None = None,
) -> Run:
    """Run one `aws ...` command line in `cwd`; `responses` answers operations by name."""
    from awscli.clidriver import create_clidriver

    argv = split(command) if isinstance(command, str) else list(command)
    calls: list[tuple[str, dict[str, Any]]] = []
    answers = dict(responses or {})

    def record(params: dict[str, Any], model: Any, **_: Any) -> None:
        calls.append((model.name, dict(params)))

    class _Http:
        status_code = 200
        headers: dict[str, str] = {}  # noqa: RUF012 - a stand-in, never mutated
        content = b""

    def answer(model: Any, **_: Any) -> tuple[_Http, dict[str, Any]]:
        return _Http(), {"ResponseMetadata": {}, **answers.get(model.name, {})}

    stderr, stdout = io.StringIO(), io.StringIO()
    with _environment(cwd), contextlib.redirect_stderr(stderr), \
            contextlib.redirect_stdout(stdout):
        driver = create_clidriver()
        # before-parameter-build sees the request as the API takes it (after
        # the CLI parsed it, before botocore validates it); before-call runs
        # after validation, and its answer replaces the HTTP request.
        driver.session.register("before-parameter-build", record)
        driver.session.register("before-call", answer)
        returncode = driver.main(argv)
    return Run(argv, returncode, stderr.getvalue(), stdout.getvalue(), calls)


def commands(markdown: str) -> list[str]:
    """Every `aws ...` command in the fenced shell blocks of a Markdown text."""
    found: list[str] = []
    inside = False
    lines: list[str] = []
    for line in markdown.splitlines():
        if line.startswith("```"):
            inside = not inside
            continue
        if not inside:
            continue
        lines.append(line)
        if line.endswith("\\"):
            continue
        text = "\n".join(lines).strip()
        lines = []
        if text.startswith("aws "):
            found.append(text)
    return found
