"""Shared fixtures: the golden-update switch and one cfn-lint Runner per session."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from compiler.local_store import CACHE_ENV
from compiler.template.lint import Linter

SPECS = Path(__file__).parent.parent / "specs"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite tests/golden/*/expected.yaml from the compiler's output (review the diff!)",
    )


@pytest.fixture(autouse=True)
def lint_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test its own, empty lint cache: never the user's ~/.cache/cachec."""
    folder = tmp_path / "cachec-cache"
    monkeypatch.setenv(CACHE_ENV, str(folder))
    return folder


@pytest.fixture(scope="session")
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture(scope="session")
def linter() -> Linter:
    """One Runner for the whole suite: loading cfn-lint's rules costs ~0.4 s."""
    return Linter()


@pytest.fixture(scope="session")
def strict_linter() -> Linter:
    """cfn-lint with its informational rules too: goldens draw no finding at all."""
    return Linter(informational=True)


@pytest.fixture
def spec(tmp_path: Path) -> Path:
    """A copy of specs/staging.yaml that a test may edit."""
    target = tmp_path / "orders.yaml"
    shutil.copy(SPECS / "staging.yaml", target)
    return target
