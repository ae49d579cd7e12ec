"""`make mutate TESTS=...`: the test selection a mutation run records with."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
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


def _meta(codes: dict[str, int | None], hashes: dict[str, str]) -> dict[str, object]:
    return {"exit_code_by_key": codes, "hash_by_function_name": hashes,
            "type_check_error_by_key": {}, "estimated_durations_by_key": {},
            "durations_by_key": {name: 1.26 for name, code in codes.items() if code is not None}}


def test_the_saved_state_gives_a_fresh_clone_every_verdict_mutmut_held(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """mutants/ is not committed: mutation/state.json is, and a run in a fresh
    clone puts its verdicts back where mutmut reads them (mutmut keeps those of
    functions whose hash is unchanged, and tests the rest again)."""
    run = _run_py(monkeypatch, tmp_path)
    monkeypatch.setattr(run, "STATE", tmp_path / "state.json")
    monkeypatch.setattr(run, "modules", lambda: ["compiler/a.py", "compiler/b.py"])
    monkeypatch.setattr(run, "mutmut_version", lambda: "3.8.1")
    codes = {"compiler.a.x_f__mutmut_1": 1, "compiler.a.x_f__mutmut_2": 0,
             "compiler.a.x_f__mutmut_3": None, "compiler.a.xǁCǁm__mutmut_1": 36,
             "compiler.a.x_g__mutmut_1": None}  # x_g never ran: nothing to keep
    meta = tmp_path / "mutants" / "compiler" / "a.py.meta"
    meta.parent.mkdir(parents=True)
    meta.write_text(json.dumps(_meta(codes, {"x_f": "f" * 12, "xǁCǁm": "c" * 12,
                                             "x_g": "g" * 12})))
    run.save_state()
    text = run.STATE.read_text()
    assert '   "x_f": {"hash": "ffffffffffff", "exit_codes": [1, 0, null], ' in text
    assert '   "xǁCǁm": {"hash": "cccccccccccc", "exit_codes": [36], "seconds": [1.3]}' in text
    assert "x_g" not in text and "compiler/b.py" not in text

    shutil.rmtree(tmp_path / "mutants")  # a fresh clone
    assert run.restore_state() == ["compiler/a.py"]
    restored = json.loads(meta.read_text())
    kept = {k: v for k, v in codes.items() if ".x_g_" not in k}
    assert restored["exit_code_by_key"] == kept
    assert restored["hash_by_function_name"] == {"x_f": "f" * 12, "xǁCǁm": "c" * 12}
    assert restored["durations_by_key"]["compiler.a.xǁCǁm__mutmut_1"] == 1.3
    assert run.restore_state() == []  # mutants/ holds its own verdicts now: left alone


def test_a_state_of_another_mutmut_is_not_restored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another mutmut (or Python) may make other mutants, or number them otherwise."""
    run = _run_py(monkeypatch, tmp_path)
    monkeypatch.setattr(run, "STATE", tmp_path / "state.json")
    monkeypatch.setattr(run, "modules", lambda: ["compiler/a.py"])
    monkeypatch.setattr(run, "mutmut_version", lambda: "3.8.1")
    meta = tmp_path / "mutants" / "compiler" / "a.py.meta"
    meta.parent.mkdir(parents=True)
    meta.write_text(json.dumps(_meta({"compiler.a.x_f__mutmut_1": 1}, {"x_f": "f" * 12})))
    run.save_state()
    shutil.rmtree(tmp_path / "mutants")
    monkeypatch.setattr(run, "mutmut_version", lambda: "3.9.0")
    assert run.restore_state() == [] and not meta.exists()
    monkeypatch.setattr(run, "mutmut_version", lambda: "3.8.1")
    monkeypatch.setattr(run, "_python", lambda: "3.99")
    assert run.restore_state() == [] and not meta.exists()


def _fake_mutmut(run: ModuleType, monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                 makes: dict[str, dict[str, int | None]] | None = None,
                 returncode: int = 0) -> list[list[str]]:
    """mutmut's command lines, as run.py gives them; its first run makes the
    mutants of `makes`' modules (mutmut makes every module's at each run)."""
    commands: list[list[str]] = []

    def fake(command: list[str], **_: object) -> subprocess.CompletedProcess[str]:
        if not commands:
            for module, codes in (makes or {}).items():
                meta = tmp_path / "mutants" / f"{module}.meta"
                meta.parent.mkdir(parents=True, exist_ok=True)
                meta.write_text(json.dumps(_meta(codes, {})))
        commands.append(command[command.index("--max-children") + 2:])
        return subprocess.CompletedProcess(command, returncode)

    monkeypatch.setattr(run.subprocess, "run", fake)
    return commands


def test_a_run_judges_again_no_mutant_but_runs_each_one_without_a_verdict(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """mutmut runs again every mutant a name given to it matches, verdict or not:
    a module's pattern would run the restored verdicts again, the expensive ones
    too. run.py names a few cheap judged ones (which makes the mutants and the
    recording), then each mutant with no verdict."""
    run = _run_py(monkeypatch, tmp_path)
    seconds = {"x_f__mutmut_1": 2.0, "x_f__mutmut_2": 0.1, "x_h__mutmut_1": 0.5,
               "x_k__mutmut_1": 9.0, "x_m__mutmut_1": 3.0}
    codes: dict[str, int | None] = {
        "x_f__mutmut_1": 1, "x_f__mutmut_2": 0, "x_f__mutmut_3": None, "x_g__mutmut_1": 33,
        "x_h__mutmut_1": 1, "x_k__mutmut_1": 1, "x_m__mutmut_1": 3, "x_n__mutmut_1": 36}
    meta = tmp_path / "mutants" / "compiler" / "a.py.meta"
    meta.parent.mkdir(parents=True)
    meta.write_text(json.dumps({
        **_meta({f"compiler.a.{k}": v for k, v in codes.items()}, {}),
        "durations_by_key": {f"compiler.a.{k}": v for k, v in seconds.items()}}))
    # compiler/b.py has never run: its mutants are made by mutmut's first run
    made: dict[str, int | None] = {"compiler.b.x_q__mutmut_1": None,
                                   "compiler.b.x_q__mutmut_2": None}
    commands = _fake_mutmut(run, monkeypatch, tmp_path, {"compiler/b.py": made})
    invocation = run.run_mutmut(["compiler/a.py", "compiler/b.py"], 2, [])
    assert commands == [
        # no test first, then the fastest killed, one a function (x_f's survivor is no probe)
        ["compiler.a.x_g__mutmut_1", "compiler.a.x_h__mutmut_1", "compiler.a.x_f__mutmut_1"],
        ["compiler.a.x_f__mutmut_3", "compiler.b.x_q__mutmut_1", "compiler.b.x_q__mutmut_2"],
    ]
    assert invocation["modules"] == ["compiler/a.py", "compiler/b.py"]

    # every mutant judged: the first run is the whole run
    (tmp_path / "mutants" / "compiler" / "b.py.meta").unlink()
    codes["x_f__mutmut_3"] = 0
    meta.write_text(json.dumps(_meta({f"compiler.a.{k}": v for k, v in codes.items()}, {})))
    commands = _fake_mutmut(run, monkeypatch, tmp_path)
    run.run_mutmut(["compiler/a.py"], 2, [])
    assert len(commands) == 1 and len(commands[0]) == 3

    # --again, or nothing judged yet: the modules' patterns, every mutant
    commands = _fake_mutmut(run, monkeypatch, tmp_path)
    run.run_mutmut(["compiler/a.py"], 2, [], again=True)
    assert commands == [["compiler.a.x*"]]
    shutil.rmtree(tmp_path / "mutants")
    commands = _fake_mutmut(run, monkeypatch, tmp_path)
    run.run_mutmut(["compiler/a.py", "compiler/b.py"], 2, [])
    assert commands == [["compiler.a.x*", "compiler.b.x*"]]


def test_a_failed_mutmut_stops_the_run_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run = _run_py(monkeypatch, tmp_path)
    _fake_mutmut(run, monkeypatch, tmp_path, returncode=1)
    with pytest.raises(SystemExit, match=r"mutmut failed: .*mutmut run --max-children 2 "
                                         r"compiler\.a\.x\*$"):
        run.run_mutmut(["compiler/a.py"], 2, [])
