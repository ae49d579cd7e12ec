"""The YAML renderer: libyaml's emitter when present, byte-identical to the
pure-Python one it replaces (the speed-up must not change a published byte)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from compiler.api import compile_text
from compiler.template import render

GOLDEN = Path(__file__).parent / "golden"
TEMPLATES = Path(__file__).parent.parent / "templates"
CASES = sorted(p.name for p in GOLDEN.iterdir() if (p / "spec.yaml").is_file())


@pytest.mark.parametrize("case", CASES)
def test_libyaml_renders_every_golden_like_the_pure_dumper(case: str) -> None:
    spec = GOLDEN / case / "spec.yaml"
    result = compile_text(spec.read_text(encoding="utf-8"), str(spec), lint=False)
    assert result.template is not None
    assert render.DUMPER is not render.PureDumper, "libyaml is installed in the test venv"
    fast = render.render(result.template)
    assert fast == render.render(result.template, dumper=render.PureDumper)
    assert fast.encode() == (GOLDEN / case / "expected.yaml").read_bytes()


@pytest.mark.parametrize(
    "path", sorted(TEMPLATES.glob("*/v*.yaml")), ids=lambda p: f"{p.parent.name}/{p.name}"
)
def test_libyaml_renders_published_templates_like_the_pure_dumper(path: Path) -> None:
    template = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert render.render(template) == render.render(template, dumper=render.PureDumper)


def test_pure_dumper_without_libyaml(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(yaml, "CSafeDumper")
    assert render._libyaml_dumper() is render.PureDumper


def test_json_that_indentation_would_push_over_the_s3_limit_is_written_compact() -> None:
    """The 500-shard template is ~0.7 MB as YAML; indented JSON crossed
    CloudFormation's 1 MB S3 limit on indentation alone."""
    spec = GOLDEN / "cluster-500-shards" / "spec.yaml"
    result = compile_text(spec.read_text(encoding="utf-8"), str(spec), fmt="json", lint=False)
    assert not [d for d in result.diagnostics if d.is_error], result.diagnostics
    text = result.text
    assert text is not None
    assert len(text.encode()) <= render.S3_TEMPLATE_LIMIT
    assert json.loads(text) == result.template
    assert text == render.render(result.template, "json")  # the same bytes each time
    assert "\n " not in text  # no indentation at all, not a partial one


def test_json_that_fits_stays_indented() -> None:
    spec = GOLDEN / "dev-minimal" / "spec.yaml"
    result = compile_text(spec.read_text(encoding="utf-8"), str(spec), fmt="json", lint=False)
    assert result.template is not None and result.text is not None
    assert result.text.startswith('{\n  "AWSTemplateFormatVersion"')
    assert json.loads(result.text) == result.template
