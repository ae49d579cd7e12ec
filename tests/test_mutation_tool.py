"""`make mutate TESTS=...`: the test selection a mutation run records with."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).parent.parent


def _run_py(monkeypatch: pytest.MonkeyPatch, root: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("mutation_run", ROOT / "mutation" / "run.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, module)  # its dataclasses look it up
    spec.loader.exec_module(module)
    monkeypatch.setattr(module, "ROOT", root)
    monkeypatch.setattr(module, "SELECTION", root / "mutants" / ".cachec-mutation-tests")
    return module


def test_the_selection_limits_collection_to_its_files() -> None:
    env = {**os.environ, "CACHEC_MUTATION_TESTS": "tests/test_cidr.py"}
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:randomly",
         "tests/test_cidr.py", "tests/test_load.py"],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False,
    )
    collected = [line for line in done.stdout.splitlines() if "::" in line]
    assert collected and all(line.startswith("tests/test_cidr.py::") for line in collected)
    assert "deselected" in done.stdout.splitlines()[-1]


def test_a_new_selection_drops_the_recording_made_with_another(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run = _run_py(monkeypatch, tmp_path)
    stats = tmp_path / "mutants" / "mutmut-stats.json"
    stats.parent.mkdir()
    stats.write_text("{}")
    # a recording made before selections existed was made with the whole suite
    env = run.select_tests([])
    assert stats.exists() and run.MUTATION_TESTS_ENV not in env
    env = run.select_tests(["tests/test_rules.py", "tests/test_bad_specs.py"])
    assert not stats.exists()
    assert env[run.MUTATION_TESTS_ENV] == os.pathsep.join(
        ["tests/test_bad_specs.py", "tests/test_rules.py"])
    stats.write_text("{}")
    run.select_tests(["tests/test_bad_specs.py", "tests/test_rules.py"])  # the same, reordered
    assert stats.exists()
    run.select_tests([])  # back to the suite: recorded again
    assert not stats.exists()


def test_a_report_only_record_of_a_new_day_names_the_checkouts_commit(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """--report-only records no invocation; the day's first record still says
    which commit's code it summarises (the page's trend table shows it)."""
    run_py = _run_py(monkeypatch, tmp_path)
    monkeypatch.setattr(run_py, "mutmut_version", lambda: "3.8.1")
    monkeypatch.setattr(run_py, "commit", lambda: "abc1234")
    monkeypatch.setattr(run_py, "modules", lambda: [])
    run = run_py.record({}, {}, None)
    assert (run["commit"], run["invocations"]) == ("abc1234", [])
    run["commit"] = "def5678"  # a later invocation's code: a report keeps it
    assert run_py.record(run, {}, None)["commit"] == "def5678"
