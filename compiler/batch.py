"""Many specs across processes (`build --jobs N`).

Each worker process compiles whole specs with its own cfn-lint Runner,
built on its first lint-cache miss and reused for every spec it gets after
(a worker whose templates all hit the cache never imports cfn-lint).
Results come back in input order, so the output and exit code are those of
`--jobs 1`. Workers are forked where the platform can (no re-import of the
compiler per worker).

A worker that dies (a signal, an abort in a C extension) breaks the whole
process pool; the specs that had not finished are then compiled again, one
pool each, so only the spec whose own worker dies is reported, as an error
for that spec.

Workers die with the build: killed (SIGTERM, SIGKILL, the OOM killer) or
ended by an error, the build process takes its workers with it, so none
goes on alone, holding the build's stdout and stderr open for whoever reads
them (`cachec build | tee log` would never end).
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

# Imported by the pool's user only: concurrent.futures.process and
# multiprocessing cost ~30 ms, which a one-spec build does not pay.
if TYPE_CHECKING:
    import multiprocessing.context
    from concurrent.futures import Future

T = TypeVar("T")
R = TypeVar("R")


def available_cores() -> int:
    """The cores this process may run on (a container's CPU set, taskset)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1


def _context() -> multiprocessing.context.BaseContext:
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else None)


def run(
    items: Sequence[T],
    work: Callable[[T], R],
    crashed: Callable[[T, str], R],
    *,
    jobs: int,
    on_done: Callable[[int, R], None] | None = None,
) -> list[R]:
    """`work(item)` for every item on up to `jobs` processes, in input order.
    `work` must be picklable (a module-level function or a partial of one);
    `crashed(item, why)` makes the result of an item whose worker died.
    `on_done(index, result)` in this process as each item's result arrives
    (the workers go on meanwhile); the items are started in the order given."""
    results: dict[int, R] = {}

    def done(index: int, result: R) -> None:
        results[index] = result
        if on_done:
            on_done(index, result)

    unfinished = _round(list(enumerate(items)), work, min(jobs, len(items)), done)
    for index, item in unfinished:  # after a crash: each alone, to find the culprit
        if _round([(index, item)], work, 1, done):
            done(index, crashed(item, "its build worker process died"))
    return [results[i] for i in range(len(items))]


def _round(
    pending: list[tuple[int, T]],
    work: Callable[[T], R],
    jobs: int,
    done: Callable[[int, R], None],
) -> list[tuple[int, T]]:
    """One pool over `pending`; the items left unfinished by a dead worker."""
    from concurrent.futures import ProcessPoolExecutor, as_completed
    from concurrent.futures.process import BrokenProcessPool

    broken: list[tuple[int, T]] = []
    with ProcessPoolExecutor(jobs, mp_context=_context(), initializer=_die_with,
                             initargs=(os.getpid(),)) as pool:
        futures: dict[Future[R], tuple[int, T]] = {
            pool.submit(_in_worker, work, item): (index, item) for index, item in pending
        }
        for future in as_completed(futures):
            try:
                result = future.result()
            except BrokenProcessPool:
                broken.append(futures[future])
                continue
            done(futures[future][0], result)
    return sorted(broken)


# prctl(2): PR_SET_PDEATHSIG, the signal a process gets when the thread that
# created it ends (https://man7.org/linux/man-pages/man2/prctl.2.html). The
# pool forks its workers from the thread that submits the work, the build's
# main thread (concurrent/futures/process.py, _start_executor_manager_thread:
# with fork, every worker is started at the first submit).
_PR_SET_PDEATHSIG = 1


def _die_with(parent: int) -> None:
    """Worker initializer: be killed when the build process ends, however it
    ends. A parent that died before the request is seen in the worker's
    parent id: the worker was handed to another process (init), and ends."""
    import signal

    libc = _libc()
    prctl = getattr(libc, "prctl", None) if libc is not None else None
    if prctl is not None:  # Linux; elsewhere the parent's end closes the pool's pipes
        prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:
        os._exit(1)


def _in_worker(work: Callable[[T], R], item: T) -> R:
    """`work(item)`, then the C allocator's free pages handed back."""
    try:
        return work(item)
    finally:
        _trim()


def _trim() -> None:
    """Give the system back the free pages glibc's malloc keeps after an item.

    A worker allocates and frees a lot for each spec it lints (the decoded
    template, cfn-lint's validation state), interleaved with what it keeps
    (cfn-lint's data for each resource type and region it meets). glibc
    keeps the freed pages, so a long-lived worker crept up with the number
    of specs it built: one process building 500 varied specs went from 143
    to 160 MiB, and to 153 with a trim after each spec (a 500-spec
    `--jobs 2` build: workers' peak 170 -> 168 MiB). malloc_trim(0) releases
    every whole free page of every arena (glibc >= 2.8, malloc_trim(3)); it
    takes ~0.02 ms. Elsewhere (macOS, musl) the function is missing and
    nothing is done."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    libc = _libc()
    function: Callable[[int], int] | None = getattr(libc, "malloc_trim", None)
    return function


@functools.cache
def _libc() -> Any:
    """The C library this process runs with (a ctypes.CDLL), or None."""
    import ctypes  # ~2 ms, in workers only

    try:
        return ctypes.CDLL(None)
    except (OSError, TypeError):  # no C library to open by that name (Windows)
        return None
