"""Shared fixtures: the golden-update switch and one cfn-lint Runner per session."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from compiler.local_store import CACHE_ENV
from compiler.template.lint import LintCache, Linter

SPECS = Path(__file__).parent.parent / "specs"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite tests/golden/*/expected.yaml from the compiler's output (review the diff!)",
    )


# `make mutate TESTS="tests/test_a.py ..."` (mutation/run.py --tests): mutmut's
# recording run, and so every mutant, runs only these test files. Leaving tests
# out can only add survivors, never a false kill.
MUTATION_TESTS_ENV = "CACHEC_MUTATION_TESTS"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    chosen = os.environ.get(MUTATION_TESTS_ENV)
    if not chosen:
        return
    files = set(chosen.split(os.pathsep))
    dropped = [item for item in items if item.nodeid.split("::")[0] not in files]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = [item for item in items if item.nodeid.split("::")[0] in files]


@pytest.fixture(autouse=True)
def lint_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test its own, empty lint cache: never the user's ~/.cache/cachec."""
    folder = tmp_path / "cachec-cache"
    monkeypatch.setenv(CACHE_ENV, str(folder))
    return folder


@pytest.fixture(scope="session")
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


def _mutation_lint_cache() -> LintCache | None:
    """In a mutation run (mutation/README.md), one lint cache shared by every
    mutant's tests, in mutmut's copy of the checkout: cfn-lint's findings
    depend only on the template's text and the run's settings, which are the
    cache's key, so a mutant that leaves a template as it was gets the
    findings cfn-lint would give, and one that changes it is linted for real.
    Linting the goldens is 97 % of test_golden's time (40 of 41 CPU s). Not
    for mutants of the cache's own code (lint.py, local_store.py): there the
    linter runs every time, as everywhere outside mutation runs."""
    mutant = os.environ.get("MUTANT_UNDER_TEST")
    if mutant is None or mutant.startswith(("compiler.template.lint.", "compiler.local_store.")):
        return None
    return LintCache(str(Path(__file__).parent.parent / ".mutation-lint-cache"))


@pytest.fixture(scope="session")
def linter() -> Linter:
    """One Runner for the whole suite: loading cfn-lint's rules costs ~0.4 s."""
    return Linter(cache=_mutation_lint_cache())


@pytest.fixture(scope="session")
def strict_linter() -> Linter:
    """cfn-lint with its informational rules too: goldens draw no finding at all."""
    return Linter(informational=True, cache=_mutation_lint_cache())


@pytest.fixture
def spec(tmp_path: Path) -> Path:
    """A copy of specs/staging.yaml that a test may edit."""
    target = tmp_path / "orders.yaml"
    shutil.copy(SPECS / "staging.yaml", target)
    return target
