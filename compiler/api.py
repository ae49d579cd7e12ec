"""The pipeline, wired: load -> validate -> normalize -> rules -> synthesize -> render -> lint.

Each stage is a pure function of the previous stage's value; the pipeline
stops before the next stage once a stage reports an error. Nothing here
prints or writes: `publish` writes, `cli` prints.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from . import __version__, rules
from .diagnostics import NO_MARKS, Diagnostic, Marks, error, has_errors, warning
from .lint import DEFAULT_REGIONS, Linter, shared_linter, to_diagnostics, unoffered_node_type
from .load import load, read_text
from .model import Spec
from .normalize import normalize
from .render import digest, render
from .synthesize import Provenance, names, synthesize
from .validate import check_schema

COMPILER = f"cachec {__version__}"
# CloudFormation takes a template body of at most 51,200 bytes inline; larger
# ones must be uploaded to S3 (`aws cloudformation deploy --s3-bucket`).
INLINE_TEMPLATE_LIMIT = 51_200
# CloudFormation quotas (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/
# cloudformation-limits.html): template body size in an Amazon S3 object, 1 MB.
S3_TEMPLATE_LIMIT = 1_048_576


@dataclass(frozen=True)
class Result:
    """Everything one spec compiled to, or why it did not."""

    filename: str
    diagnostics: list[Diagnostic]
    marks: Marks = NO_MARKS
    spec: Spec | None = None
    spec_digest: str | None = None
    template: dict[str, Any] | None = None
    text: str | None = None
    content_digest: str | None = None

    @property
    def ok(self) -> bool:
        return self.text is not None and not has_errors(self.diagnostics)


def _template_limits(size: int) -> list[Diagnostic]:
    """Templates CloudFormation refuses whatever the upload path. Large clusters
    reach this through their alarms (one query per node and metric); the 500
    resources per template are not reached: at most 6 x 51 alarms at 500 nodes
    (synthesize/alarms.py)."""
    if size <= S3_TEMPLATE_LIMIT:
        return []
    return [error(
        "template-too-large", ("monitoring",),
        f"the template is {size:,} bytes, over CloudFormation's {S3_TEMPLATE_LIMIT:,}-byte "
        "limit even from S3: disable alarms under monitoring.alarms or the dashboard, or "
        "use fewer nodes",
    )]


def content_digest(template: dict[str, Any]) -> str:
    """Digest of what the template deploys: provenance's compiler version left out,
    so a compiler upgrade that changes nothing else publishes no new version."""
    stripped = copy.deepcopy(template)
    stripped.get("Metadata", {}).get(names.METADATA_KEY, {}).pop("compiler", None)
    return digest(stripped)


def compile_text(
    text: str,
    filename: str,
    *,
    fmt: str = "yaml",
    lint: bool = True,
    linter: Linter | None = None,
) -> Result:
    loaded, diagnostics = load(text)
    if loaded is None:
        return Result(filename, diagnostics)
    marks = loaded.marks
    diagnostics = check_schema(loaded.data)
    if has_errors(diagnostics):
        return Result(filename, diagnostics, marks)
    spec = normalize(loaded.data)
    diagnostics += rules.check(spec)
    if has_errors(diagnostics):
        return Result(filename, diagnostics, marks, spec)

    spec_digest = digest(loaded.data)
    template = synthesize(spec, Provenance(COMPILER, spec_digest)).to_dict()
    rendered = render(template, fmt)
    size = len(rendered.encode())
    diagnostics += _template_limits(size)
    if INLINE_TEMPLATE_LIMIT < size <= S3_TEMPLATE_LIMIT:
        diagnostics.append(
            warning(
                "template-needs-s3",
                (),
                f"the template is {size:,} bytes, over CloudFormation's {INLINE_TEMPLATE_LIMIT:,}"
                "-byte limit for inline bodies: deploy with --s3-bucket (aws cloudformation "
                "deploy) or upload it to S3 first",
            )
        )
    if lint:
        findings = (linter or shared_linter()).lint(rendered, DEFAULT_REGIONS)
        diagnostics += to_diagnostics(findings)
        diagnostics += unoffered_node_type(spec.deployment.node_type, DEFAULT_REGIONS)
    return Result(
        filename,
        diagnostics,
        marks,
        spec,
        spec_digest,
        template,
        rendered,
        content_digest(template),
    )


def compile_file(
    filename: str, *, fmt: str = "yaml", lint: bool = True, linter: Linter | None = None
) -> Result:
    text, diagnostics = read_text(filename)
    if text is None:
        return Result(filename, diagnostics)
    return compile_text(text, filename, fmt=fmt, lint=lint, linter=linter)
