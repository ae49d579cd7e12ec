"""templates/ is current (CI fails when a spec changed without a rebuild) and lint-clean."""

from __future__ import annotations

from pathlib import Path

import pytest

from compiler import cli
from compiler.template.lint import Linter

ROOT = Path(__file__).parent.parent
SPECS = sorted(str(p) for p in (ROOT / "specs").glob("*.yaml"))
TEMPLATES = sorted((ROOT / "templates").glob("*/v*.yaml"))


def test_every_spec_has_a_published_template() -> None:
    assert len(SPECS) >= 3
    assert {p.parent.name for p in TEMPLATES} == {
        "orders-dev", "orders-staging", "orders-production"
    }


def test_templates_are_current(capsys: pytest.CaptureFixture[str]) -> None:
    code = cli.main(["build", "--check", "--out", str(ROOT / "templates"), *SPECS])
    assert code == 0, "templates/ is stale: run `cachec build specs/*.yaml`\n" + (
        capsys.readouterr().err
    )


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_published_template_is_lint_clean(template: Path, linter: Linter) -> None:
    findings = linter.lint(template.read_text(encoding="utf-8"))
    assert [f for f in findings if f.is_error or f.is_warning] == []
