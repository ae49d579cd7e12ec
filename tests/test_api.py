"""The library: `api.build`, `api.plan` and `api.diff` return results as data and print nothing."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from compiler import api
from compiler.store import publish

STACK = "orders-staging"


@pytest.fixture
def quiet(capsys: pytest.CaptureFixture[str]) -> Iterator[None]:
    """Fails the test if the library printed anything."""
    yield
    assert capsys.readouterr() == ("", "")


def _edit(spec: Path, old: str, new: str) -> None:
    text = spec.read_text()
    assert old in text
    spec.write_text(text.replace(old, new, 1))


def test_build_returns_what_it_wrote_then_that_it_is_up_to_date(
    spec: Path, tmp_path: Path, quiet: None
) -> None:
    out = tmp_path / "out"
    first = api.build([str(spec)], out=str(out), lint=False)
    assert first.exit_code == 0 and not first.blocked and not first.errors
    (stack,) = first.stacks
    assert (stack.folder, stack.version, stack.new) == (str(out / STACK), 1, True)
    assert sorted(Path(p).name for p in stack.written) == [
        "v1.DEPLOY.md", "v1.config.json", "v1.parameters.json", "v1.provenance.json",
        "v1.stack-policy.json", "v1.update-parameters.json", "v1.yaml",
    ]
    assert all(Path(p).is_file() for p in stack.written)
    assert stack.guide == str(out / STACK / "v1.DEPLOY.md")

    again = api.build([str(spec)], out=str(out), lint=False)
    assert again.exit_code == 0
    (stack,) = again.stacks
    assert (stack.version, stack.new, stack.written) == (1, False, ())
    assert stack.guide == str(out / STACK / "v1.DEPLOY.md")  # also when up to date


def test_plan_writes_nothing_and_fails_when_out_of_date(
    spec: Path, tmp_path: Path, quiet: None
) -> None:
    out = tmp_path / "out"
    stale = api.plan([str(spec)], out=str(out), lint=False)
    assert not out.exists()
    (stack,) = stale.stacks
    assert (stack.version, stack.new, stack.written, stack.stale) == (1, True, (), True)
    assert stale.exit_code == 3

    assert api.build([str(spec)], out=str(out), lint=False).exit_code == 0
    current = api.plan([str(spec)], out=str(out), lint=False)
    assert current.exit_code == 0 and not current.stacks[0].stale


def test_two_specs_for_one_stack_are_a_located_diagnostic(
    spec: Path, tmp_path: Path, quiet: None
) -> None:
    twin = tmp_path / "twin.yaml"
    shutil.copy(spec, twin)
    out = tmp_path / "out"
    result = api.build([str(spec), str(twin), str(spec)], out=str(out), lint=False)
    assert [r.filename for r in result.results] == [str(spec), str(twin)]  # each spec once
    first, second = result.results
    assert first.ok
    (clash,) = second.diagnostics
    assert (clash.kind, clash.path, clash.is_error) == ("duplicate-stack", ("name",), True)
    assert str(spec) in clash.message
    assert result.blocked and result.exit_code == 1 and result.stacks == ()
    assert not out.exists()


def test_review_findings_join_the_spec_and_strict_fails_on_warnings(
    spec: Path, tmp_path: Path, quiet: None
) -> None:
    out = tmp_path / "out"
    assert api.build([str(spec)], out=str(out), lint=False).exit_code == 0
    _edit(spec, "node_type: cache.t4g.medium", "node_type: cache.t4g.small")
    lenient = api.build([str(spec)], out=str(out), lint=False)
    assert "node-type-downsize" in {d.kind for d in lenient.results[0].diagnostics}
    assert lenient.exit_code == 0 and lenient.stacks[0].version == 2

    _edit(spec, "node_type: cache.t4g.small", "node_type: cache.t4g.micro")
    strict = api.build([str(spec)], out=str(out), lint=False, strict=True)
    assert strict.strict_failed and strict.blocked and strict.exit_code == 1
    assert strict.stacks == ()
    assert not (out / STACK / "v3.yaml").exists()


def test_a_replacement_is_refused_unless_allowed(
    spec: Path, tmp_path: Path, quiet: None
) -> None:
    out = tmp_path / "out"
    assert api.build([str(spec)], out=str(out), lint=False).exit_code == 0
    _edit(spec, "cachec: 1\n", "cachec: 1\nport: 6380\n")
    refused = api.build([str(spec)], out=str(out), lint=False)
    assert "replaces-cache" in {d.kind for d in refused.results[0].diagnostics}
    assert refused.exit_code == 1 and refused.stacks == ()
    allowed = api.build([str(spec)], out=str(out), lint=False, allow_replacement=True)
    assert allowed.exit_code == 0 and allowed.stacks[0].version == 2


def test_a_tampered_store_is_an_error_not_an_exception(
    spec: Path, tmp_path: Path, quiet: None
) -> None:
    out = tmp_path / "out"
    assert api.build([str(spec)], out=str(out), lint=False).exit_code == 0
    published = out / STACK / "v1.yaml"
    published.write_text(published.read_text() + "# edited\n")
    for command in (api.build, api.plan):
        result = command([str(spec)], out=str(out), lint=False)
        assert result.exit_code == 1 and result.stacks == () and not result.blocked
        assert any("published file was changed" in e for e in result.errors)
    assert api.diff([str(spec)], out=str(out)).exit_code == 1


def test_on_wait_is_told_which_store_another_build_holds(
    spec: Path, tmp_path: Path, quiet: None
) -> None:
    out = tmp_path / "out"
    holder = publish.Session(str(out), [STACK], write=True).__enter__()
    threading.Timer(0.3, holder.__exit__, (None, None, None)).start()
    waited: list[str] = []
    result = api.build([str(spec)], out=str(out), lint=False, on_wait=waited.append)
    assert waited == [str(out / STACK)]
    assert result.exit_code == 0


def test_diff_returns_reviews_and_its_exit_code(
    spec: Path, tmp_path: Path, quiet: None
) -> None:
    out = tmp_path / "out"
    assert api.build([str(spec)], out=str(out), lint=False).exit_code == 0
    same = api.diff([str(spec)], out=str(out), fail_if_differs=True)
    assert not same.differs and same.exit_code == 0

    _edit(spec, "cachec: 1\n", "cachec: 1\nport: 6380\n")
    (review,) = api.diff([str(spec)], out=str(out)).reviews
    assert (review.stack, review.published, review.empties_cache) == (STACK, 1, True)
    assert api.diff([str(spec)], out=str(out)).exit_code == 0
    assert api.diff([str(spec)], out=str(out), fail_if_differs=True).exit_code == 3

    bad = tmp_path / "bad.yaml"
    bad.write_text("cachec: 1\nname: x1\nenvironment: dev\nport: 80\n")
    mixed = api.diff([str(spec), str(bad)], out=str(out))
    assert len(mixed.reviews) == 1 and mixed.exit_code == 1


def test_the_store_and_the_review_do_not_import_the_pipeline() -> None:
    """api -> publish, diff; never back: publish and diff read a compiled spec's shape."""
    script = ("import sys\nimport compiler.diff, compiler.store.publish\n"
              "sys.exit('compiler.api' in sys.modules)\n")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    assert subprocess.run([sys.executable, "-c", script], env=env, check=False).returncode == 0
