"""`build --jobs N`: the same output and exit code as `--jobs 1`, in input
order; a worker that dies is an error for its spec, never a hang."""

from __future__ import annotations

import contextlib
import io
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from compiler import api, batch, cli, pipeline

ROOT = Path(__file__).parent.parent
GOLDEN = ROOT / "tests" / "golden"
BAD = ROOT / "tests" / "bad_specs"


@pytest.fixture(autouse=True)
def compile_in_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    """The compile stage goes to worker processes even for these few specs."""
    monkeypatch.setattr(pipeline, "PARALLEL_COMPILE_MIN", 2)


def _specs(folder: Path) -> list[str]:
    """Valid specs, one with warnings, two that fail: a varied batch."""
    folder.mkdir()
    sources = [*sorted((ROOT / "specs").glob("*.yaml")), GOLDEN / "no-tls-no-auth" / "spec.yaml",
               GOLDEN / "valkey9-single" / "spec.yaml",
               GOLDEN / "stackset-self-managed" / "spec.yaml",  # override groups: more lints
               *sorted(BAD.glob("*.yaml"))[:2]]
    names = []
    for number, source in enumerate(sources):
        target = folder / f"{number}-{source.parent.name}-{source.name}"
        text = source.read_text(encoding="utf-8")
        if "stackset" in source.parent.name:  # its own stack, not staging's
            text = re.sub(r"(?m)^name: .*$", "name: fleet", text, count=1)
        target.write_text(text, encoding="utf-8")
        names.append(target.name)
    return names


@pytest.mark.parametrize("check", [False, True])
def test_jobs_2_prints_what_jobs_1_prints_byte_for_byte(
    tmp_path: Path, capfd: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
    check: bool,
) -> None:
    outputs = []
    for jobs in ("1", "2"):
        work = tmp_path / jobs
        names = _specs(work)
        monkeypatch.chdir(work)
        code = cli.main(["build", "--jobs", jobs, "--no-lint", "--out", "out", *names])
        if check:  # the specs that pass, published, then checked
            valid = names[:-2]
            assert cli.main(["build", "--jobs", jobs, "--no-lint", "--out", "out", *valid]) == 0
            capfd.readouterr()
            code = cli.main(["build", "--check", "--jobs", jobs, "--out", "out", *valid])
        outputs.append((code, capfd.readouterr()))
    assert outputs[0] == outputs[1]
    code, (_, stderr) = outputs[0]
    assert stderr and (check or code == 1)


def _upper_or_die(item: str) -> str:
    if item == "die":
        os._exit(3)  # what a segfault or a kill looks like from the pool
    return item.upper()


def test_a_dead_worker_is_an_error_for_its_item_only() -> None:
    items = ["a", "b", "die", "c", "d"]
    results = batch.run(items, _upper_or_die, lambda item, why: f"{item}: {why}", jobs=2)
    assert results == ["A", "B", "die: its build worker process died", "C", "D"]


def _compile_or_die(filename: str, **options: object) -> api.Result:
    if "dies" in filename:
        os._exit(3)
    return REAL_COMPILE_FILE(filename, **options)  # type: ignore[arg-type]


REAL_COMPILE_FILE = api.compile_file


def test_a_dead_worker_is_an_error_for_its_spec_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    names = _specs(tmp_path / "specs")
    good = [str(tmp_path / "specs" / n) for n in names[:3]]
    dying = tmp_path / "specs" / "dies.yaml"
    shutil.copy(good[0], dying)
    monkeypatch.setattr(pipeline, "compile_file", _compile_or_die)
    results = api.compile_files([good[0], str(dying), *good[1:]], lint=False, jobs=2)
    assert [r.filename for r in results] == [good[0], str(dying), *good[1:]]
    assert [r.ok for r in results] == [True, False, True, True]
    (died,) = results[1].diagnostics
    assert died.kind == "worker-died" and died.is_error


def test_jobs_2_lints_like_jobs_1_with_findings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Workers lint what compile_text's lint stage lints, plain and override
    group runs alike, and add what it adds."""
    from compiler.template import lint

    names = _specs(tmp_path / "specs")
    specs = [str(tmp_path / "specs" / n) for n in names]
    # Every template draws a finding (the workers are forked: they inherit
    # the patch), so the lint stage's diagnostics are part of the comparison.
    real = lint.Linter._lint

    def with_a_warning(self: lint.Linter, job: lint.LintJob) -> object:
        kind = "an override group's" if job.values is not None else "a plain"
        return [*real(self, job), lint.Finding("W9999", f"made up in {kind} lint", 1, 1, ())]

    monkeypatch.setattr(lint.Linter, "_lint", with_a_warning)
    monkeypatch.setenv("CACHEC_CACHE_DIR", str(tmp_path / "cache-3"))
    serial = api.compile_files(specs, jobs=1)
    made_up = [d.message for r in serial for d in r.diagnostics if "W9999" in d.kind]
    assert sum("a plain lint" in m for m in made_up) == len(specs) - 2  # two fail to compile
    assert sum("override group's" in m for m in made_up) == 1  # the StackSet's one group
    monkeypatch.setenv("CACHEC_CACHE_DIR", str(tmp_path / "cache-4"))
    assert api.compile_files(specs, jobs=2) == serial


def test_jobs_2_lints_each_spec_in_its_own_regions(tmp_path: Path) -> None:
    """StackSet specs bring their regions; workers lint each spec in its own
    and add what compile_text adds (node types a region does not offer
    included)."""
    golden = Path(__file__).parent / "golden"
    specs = [str(golden / case / "spec.yaml")
             for case in ("stackset-self-managed", "dev-minimal", "stackset-service-managed")]
    picky = tmp_path / "picky.yaml"
    picky.write_text(
        "cachec: 1\nname: picky\nenvironment: dev\nnode_type: cache.c7gn.large\n"
        "stack:\n  stackset:\n    regions: [us-east-1, eu-central-1]\n"
        "    accounts: ['111111111111']\n"
    )
    specs.append(str(picky))
    serial = api.compile_files(specs, jobs=1)
    assert any(d.kind == "node-type-not-in-region" for d in serial[-1].diagnostics)
    assert api.compile_files(specs, jobs=2) == serial


def test_jobs_2_runs_every_lint_in_the_workers_override_groups_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The StackSet's override-group lints run in the workers with the plain
    lints: linted one by one in the parent, a batch's StackSet specs would
    cost their override lints on one core."""
    from compiler.template import lint

    names = _specs(tmp_path / "specs")
    specs = [str(tmp_path / "specs" / n) for n in names]
    parent, real = os.getpid(), lint.Linter._lint

    def only_in_workers(self: lint.Linter, job: lint.LintJob) -> object:
        assert os.getpid() != parent, "linted in the parent"
        return real(self, job)

    monkeypatch.setattr(lint.Linter, "_lint", only_in_workers)
    results = api.compile_files(specs, jobs=2)
    assert [r.ok for r in results].count(True) == len(results) - 2


def _many(folder: Path, count: int) -> list[str]:
    """`count` valid specs, each its own stack."""
    folder.mkdir()
    text = (ROOT / "specs" / "dev.yaml").read_text(encoding="utf-8")
    paths = []
    for number in range(count):
        path = folder / f"s{number:02d}.yaml"
        path.write_text(re.sub(r"(?m)^name: .*$", f"name: cache{number:02d}", text, count=1),
                        encoding="utf-8")
        paths.append(str(path))
    return paths


def test_progress_counts_specs_done_the_same_for_any_jobs(tmp_path: Path) -> None:
    specs = _specs(tmp_path / "specs")
    paths = [str(tmp_path / "specs" / n) for n in specs]
    calls: dict[int, list[tuple[int, int]]] = {1: [], 2: []}
    for jobs, seen in calls.items():
        api.compile_files(paths, jobs=jobs, on_progress=lambda d, t, s=seen: s.append((d, t)))
    assert calls[1] == calls[2] == [(d, len(paths)) for d in range(1, len(paths) + 1)]


def test_a_build_of_many_specs_prints_the_same_progress_lines_for_any_jobs(
    tmp_path: Path, capfd: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Plain lines in a log (not a terminal), one at each tenth of the specs."""
    specs = _many(tmp_path / "specs", 20)
    outputs = []
    for jobs in ("1", "2"):
        monkeypatch.setenv("CACHEC_CACHE_DIR", str(tmp_path / f"cache-{jobs}"))
        assert cli.main(["build", "--jobs", jobs, "--check", "--out", str(tmp_path / "out"),
                         *specs]) == 3
        outputs.append(capfd.readouterr().err)
    assert outputs[0] == outputs[1]
    lines = [line for line in outputs[0].splitlines() if line.endswith("specs done")]
    assert lines == [f"cachec: {n}/20 specs done" for n in range(2, 21, 2)]


def test_the_progress_bar_on_a_terminal_is_erased_at_the_end() -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    stream = Terminal()
    show = cli._progress_bar(stream)
    for done in range(1, 11):
        show(done, 10)
    assert stream.getvalue().startswith("\rcachec: [##..................] 1/10 specs")
    assert stream.getvalue().endswith("\rcachec: [####################] 10/10 specs\r\033[K")
    quiet = cli._progress_bar(stream := Terminal())
    for done in range(1, 4):
        quiet(done, 3)  # a few specs: no bar
    assert stream.getvalue() == ""


def test_a_batch_of_unchanged_specs_on_many_processes_never_loads_cfn_lint(
    tmp_path: Path,
) -> None:
    """A worker loads cfn-lint's rules only once a spec it compiled misses the
    lint cache; the parent never does. Each process that loads them leaves
    its pid in a file (the workers are forked: they inherit the spy)."""
    specs = _many(tmp_path / "specs", 4)
    env = {**os.environ, "CACHEC_CACHE_DIR": str(tmp_path / "cache")}
    build = ["build", "--jobs", "2", "--out", str(tmp_path / "out"), *specs]
    loads = tmp_path / "loads"
    code = (
        "import os, sys\n"
        "from compiler import cli\nfrom compiler.template import lint\n"
        "real = lint.Linter._rules\n"
        "def spy(self):\n"
        f"    with open({str(loads)!r}, 'a') as f: f.write(f'{{os.getpid()}}\\n')\n"
        "    return real(self)\n"
        "lint.Linter._rules = spy\n"
        "code = cli.main(sys.argv[1:])\n"
        "assert code == 0, code\n"
        "assert not [m for m in sys.modules if m.startswith('cfnlint')], 'cfnlint imported'\n"
    )
    subprocess.run([sys.executable, "-c", code, *build], check=True, cwd=ROOT, env=env,
                   capture_output=True)
    assert loads.read_text().split()  # the first build linted, in workers only
    loads.unlink()
    subprocess.run([sys.executable, "-c", code, *build, "--check"], check=True, cwd=ROOT,
                   env=env)
    assert not loads.exists()


def test_a_dead_lint_worker_is_an_error_for_the_spec_whose_lint_it_ran(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker that dies while linting a spec is an error for that spec, and
    only there."""
    from compiler.template import lint

    specs = _many(tmp_path / "specs", 4)
    dying = Path(specs[2])
    dying.write_text(dying.read_text().replace("name: cache02", "name: dies"), encoding="utf-8")
    parent, real = os.getpid(), lint.Linter._lint

    def lint_or_die(self: lint.Linter, job: lint.LintJob) -> object:
        assert os.getpid() != parent, "linted in the parent"  # never kill pytest itself
        if "dies" in job.body.text():
            os._exit(3)
        return real(self, job)

    monkeypatch.setattr(lint.Linter, "_lint", lint_or_die)
    results = api.compile_files(specs, jobs=2)
    assert [r.ok for r in results] == [True, True, False, True]
    assert [d.kind for d in results[2].diagnostics if d.is_error] == ["worker-died"]


def _fails(item: str) -> str:
    raise ValueError(item)


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="malloc_trim is glibc's")
def test_a_worker_hands_free_memory_back_after_each_item(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """After each item, whether its work returned or raised (the C library's
    malloc_trim, found without a compiler or ldconfig)."""
    assert batch._malloc_trim() is not None
    trims: list[int] = []
    monkeypatch.setattr(batch, "_trim", lambda: trims.append(1))
    assert batch._in_worker(str.upper, "a") == "A"
    with pytest.raises(ValueError):
        batch._in_worker(_fails, "b")
    assert trims == [1, 1]


_SLOW_BATCH = (
    "import os, sys, time\n"
    "from compiler import batch\n"
    "def work(item):\n"
    "    with open(sys.argv[1], 'a') as f: f.write(f'{os.getpid()}\\n')\n"
    "    time.sleep(300)\n"
    "    return item\n"
    "batch.run(['a', 'b'], work, lambda item, why: why, jobs=2)\n"
)


def _gone(pid: int) -> bool:
    """Ended: no such process, or a zombie nobody reaped (a container's init may not)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="utf-8") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] == "Z"
    except FileNotFoundError:
        return True


def _wait_for(condition: Callable[[], bool], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
@pytest.mark.parametrize("signal_", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
def test_workers_end_with_a_killed_build(tmp_path: Path, signal_: int) -> None:
    """Killed while its workers run, the build takes them with it: none is
    left holding its output open, so whoever reads it gets to the end."""
    started = tmp_path / "workers"
    build = subprocess.Popen([sys.executable, "-c", _SLOW_BATCH, str(started)], cwd=ROOT,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    workers: list[int] = []
    try:
        assert _wait_for(lambda: started.exists() and len(started.read_text().split()) == 2,
                         120), "the workers did not start"
        workers = [int(pid) for pid in started.read_text().split()]
        build.send_signal(signal_)
        try:
            build.communicate(timeout=60)  # the end of the output: every writer is gone
        except subprocess.TimeoutExpired:
            pytest.fail("a worker outlived the build and holds its output open")
        assert _wait_for(lambda: all(_gone(pid) for pid in workers), 60)
    finally:
        for pid in [build.pid, *workers]:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        build.wait(timeout=60)


def test_a_worker_whose_build_is_already_gone_ends() -> None:
    """Its parent died before the worker asked to die with it: the worker's
    parent is then another process, and the worker ends at once."""
    code = "from compiler import batch\nbatch._die_with(-1)\nprint('went on')\n"
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 1 and "went on" not in done.stdout


@pytest.mark.parametrize("limit", [12, 14])
def test_too_many_open_files_is_a_clear_error_and_leaves_no_worker(
    tmp_path: Path, limit: int
) -> None:
    import resource

    specs = _many(tmp_path / "specs", 3)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "CACHEC_CACHE_DIR": str(tmp_path / "cache")}
    build = [sys.executable, "-m", "compiler", "build", "--jobs", "2", "--out",
             str(tmp_path / "out"), *specs]
    try:
        done = subprocess.run(
            build, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
            preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_NOFILE, (limit, limit)),
        )
    except subprocess.TimeoutExpired:
        pytest.fail("the build's output never ended: a worker outlived it")
    assert done.returncode == 1, done.stderr
    assert done.stderr.startswith(f"cachec: error: too many open files (ulimit -n is {limit})")
    assert "internal error" not in done.stderr
    assert not (tmp_path / "out").exists()
