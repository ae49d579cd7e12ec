"""The pipeline, wired: one spec's text to its template, or why not.

`compile_text`/`compile_file`: load -> validate -> normalize -> rules ->
synthesize -> render -> lint. Each stage is a pure function of the previous
stage's value; the pipeline stops before the next stage once a stage reports
an error. `compile_files` does many, across processes. Nothing here writes or
prints; the commands built on it (build, plan, diff) are in api.py, so
`cachec compile` and `validate` never import the version store.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from . import COMPILER, batch, rules
from .catalog.regions import DEFAULT_REGIONS
from .compressed import Compressed
from .diagnostics import NO_MARKS, Diagnostic, Marks, error, has_errors, warning
from .input.load import load, read_text
from .input.model import Spec
from .input.normalize import normalize
from .input.validate import check_schema
from .kinds import ErrorKind, Stage, WarningKind
from .rules import acceptance
from .rules.valid_parts import rules_on_valid_parts
from .template.declared import declared
from .template.overrides import check_overrides, lint_overrides
from .template.render import (
    INLINE_TEMPLATE_LIMIT,
    S3_TEMPLATE_LIMIT,
    content_digest,
    digest,
    render,
)
from .template.size_bound import size_bound
from .vocabulary.provenance import SpecSources

if TYPE_CHECKING:
    from .store.reuse import Remembered
    from .template.lint import Finding, Linter


@dataclass(frozen=True)
class Part:
    """A further template of the same spec: a global datastore's secondary
    region (`name` is the region), deployed as a stack of its own."""

    name: str
    body: Compressed  # the template file's text
    packed: Compressed  # the template as compact JSON
    content_digest: str
    sources: SpecSources

    @property
    def template(self) -> dict[str, Any]:
        template: dict[str, Any] = json.loads(self.packed.raw())
        return template

    @property
    def text(self) -> str:
        return self.body.text()


@dataclass(frozen=True)
class Result:
    """Everything one spec compiled to, or why it did not.

    A batch holds every spec's result until it publishes all or none, so the
    output is held compressed (compressed.py): the template file's text
    (`body`) and the template as compact JSON (`packed`), decoded at each use
    of `text` and `template`. As a dict the template took ~73 KiB a spec,
    as JSON ~18, compressed with its text ~7."""

    filename: str
    diagnostics: list[Diagnostic]
    marks: Marks = NO_MARKS
    spec: Spec | None = None
    spec_digest: str | None = None
    packed: Compressed | None = None
    body: Compressed | None = None
    content_digest: str | None = None
    # Which spec key each part of the template came from, as the synthesizers
    # recorded it (kept beside a template reused from the local store).
    sources: SpecSources | None = None
    # The template was not synthesized but reused (store/reuse.py): the build
    # keeps it only where the version store, read under its lock, vouches for
    # it. How a result was made is not what it is: results compare without it.
    reused: bool = dataclasses.field(default=False, compare=False)
    # The spec's further templates (a global datastore's secondary regions),
    # in deploy order; the template above is the primary's.
    parts: tuple[Part, ...] = ()
    # `cachec validate` judged the spec without making its template: every
    # check passed or was decided without one (judge_only in compile_files).
    judged: bool = dataclasses.field(default=False, compare=False)

    @property
    def template(self) -> dict[str, Any] | None:
        """A new dict on each call: keep it in a variable where it is used twice."""
        if self.packed is None:
            return None
        template: dict[str, Any] = json.loads(self.packed.raw())
        return template

    @property
    def text(self) -> str | None:
        """The template file's text (decompressed on each call)."""
        return None if self.body is None else self.body.text()

    @property
    def ok(self) -> bool:
        made = self.body is not None or self.judged
        return made and not has_errors(self.diagnostics)

    def adding(self, diagnostics: Iterable[Diagnostic]) -> Result:
        return dataclasses.replace(self, diagnostics=[*self.diagnostics, *diagnostics])


TEMPLATE_TOO_LARGE = ErrorKind(
    "template-too-large", Stage.BUILD, "The template is larger than CloudFormation accepts.",
    "CloudFormation takes template bodies of at most 1 MB, even from S3; large clusters "
    "reach it through one alarm query per node and metric.",
    "Turn alarms or the dashboard off under monitoring, or use fewer nodes.",
    "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html",
)


def _template_limits(size: int) -> list[Diagnostic]:
    """Templates CloudFormation refuses whatever the upload path. Large clusters
    reach this through their alarms (one query per node and metric); the 500
    resources per template are not reached: at most 6 x 51 alarms at 500 nodes
    (synthesize/alarms.py)."""
    if size <= S3_TEMPLATE_LIMIT:
        return []
    return [error(
        TEMPLATE_TOO_LARGE, ("monitoring",),
        f"the template is {size:,} bytes, over CloudFormation's {S3_TEMPLATE_LIMIT:,}-byte "
        "limit even from S3: disable alarms under monitoring.alarms or the dashboard, or "
        "use fewer nodes",
    )]


def target_regions(spec: Spec, regions: Sequence[str] | None = None) -> tuple[str, ...]:
    """Where the template is deployed: the StackSet's regions, else `regions`
    (--regions), else us-east-1."""
    if spec.stack.stackset is not None:
        return spec.stack.stackset.regions
    if spec.global_datastore is not None:
        # The primary's template deploys in the primary region only; each
        # secondary's template is linted in its own region (_secondaries).
        return (spec.global_datastore.primary_region,)
    return tuple(regions) if regions else DEFAULT_REGIONS


TEMPLATE_NEEDS_S3 = WarningKind(
    "template-needs-s3", Stage.BUILD, "The template is over CloudFormation's inline body limit.",
    "CloudFormation accepts at most 51,200 bytes as an inline template body.",
    "Deploy from S3: the version's DEPLOY.md uploads the template (aws s3 cp) and passes "
    "--template-url.",
    "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html",
)


def compile_text(
    text: str,
    filename: str,
    *,
    fmt: str = "yaml",
    lint: bool = True,
    linter: Linter | None = None,
    remembered: Remembered | None = None,
    regions: Sequence[str] | None = None,
    judge_only: bool = False,
) -> Result:
    """`remembered`: the templates made before, which an unchanged spec
    reuses instead of being synthesized (store/reuse.py; the build checks each
    reuse against the version store under its lock). `regions`: where to
    lint a spec without stack.stackset (default us-east-1). `judge_only`
    (`cachec validate`, without lint): the verdict without the template where
    the spec cannot make one that reaches a size limit (the result is
    `judged`, with no template); the verdict is the same either way."""
    assert not (judge_only and lint), "judge_only is the verdict without lint"
    result = _compile_text(text, filename, fmt=fmt, lint=lint, linter=linter,
                           remembered=remembered, regions=regions, judge_only=judge_only)
    return _accepted(result, lint)


# The stages whose kinds a compile reports: an accepted warning of another
# stage (the update paths: build and diff) cannot be said not to fire here.
_COMPILE_STAGES = (Stage.LOAD, Stage.SCHEMA, Stage.RULES, Stage.BUILD)


def _accepted(result: Result, lint: bool) -> Result:
    """The spec's accepted warnings marked with their reason; once every
    stage ran, the accepted kinds of those stages that did not fire."""
    if result.spec is None:
        return result
    diagnostics = acceptance.accepting(result.diagnostics, result.spec)
    if result.ok:
        stages = (*_COMPILE_STAGES, Stage.LINT) if lint else _COMPILE_STAGES
        diagnostics += acceptance.unused(result.spec, diagnostics, stages)
    return dataclasses.replace(result, diagnostics=diagnostics)


def _compile_text(
    text: str,
    filename: str,
    *,
    fmt: str,
    lint: bool,
    linter: Linter | None,
    remembered: Remembered | None,
    regions: Sequence[str] | None,
    judge_only: bool,
) -> Result:
    loaded, diagnostics = load(text)
    if loaded is None:
        return Result(filename, diagnostics)
    marks = loaded.marks
    diagnostics = check_schema(loaded.data)
    if has_errors(diagnostics):
        # All problems in one run: the rules too, where the spec is valid.
        return Result(filename, diagnostics + rules_on_valid_parts(loaded.data, diagnostics),
                      marks)
    spec = normalize(loaded.data)
    diagnostics += rules.check(spec)
    if has_errors(diagnostics):
        return Result(filename, diagnostics, marks, spec)

    # `accept` changes what cachec says about a spec, not what it builds: a
    # reviewed suppression publishes no new version.
    spec_digest = digest({k: v for k, v in loaded.data.items() if k != "accept"})
    # The overrides are judged against the Parameters as data (the same list
    # synthesis writes), so before any template is made.
    diagnostics += check_overrides(spec, declared(spec))
    if has_errors(diagnostics):
        return Result(filename, diagnostics, marks, spec, spec_digest)
    if (judge_only and fmt == "yaml" and spec.global_datastore is None
            and size_bound(spec) <= INLINE_TEMPLATE_LIMIT):
        # The spec's YAML template cannot reach a size limit: nothing left to
        # judge needs the template (template/size_bound.py), nor troposphere.
        # A global datastore's secondary templates are measured: the bound
        # is the primary's.
        return Result(filename, diagnostics, marks, spec, spec_digest, judged=True)
    # The local store remembers one template per spec: a global datastore's
    # templates are synthesized every time (a few ms each).
    reusable = remembered if spec.global_datastore is None else None
    reused = reusable.reuse(spec_digest) if reusable else None
    if reused is None:
        from .synthesize import Provenance, synthesize  # troposphere: only to make one

        synthesized = synthesize(spec, Provenance(COMPILER, spec_digest))
        template, sources = synthesized.to_dict(), synthesized.spec_sources()
        rendered = render(template, fmt)
        digest_of_content = content_digest(template)
        if reusable:
            reusable.remember(spec_digest, rendered, template, sources)
    else:
        template, rendered, digest_of_content, sources = (
            reused.template, reused.text, reused.content_digest, reused.sources
        )
    body = Compressed.of(rendered)
    size = body.size
    diagnostics += _template_limits(size)
    if INLINE_TEMPLATE_LIMIT < size <= S3_TEMPLATE_LIMIT:
        diagnostics.append(
            warning(
                TEMPLATE_NEEDS_S3,
                (),
                f"the template is {size:,} bytes, over CloudFormation's {INLINE_TEMPLATE_LIMIT:,}"
                "-byte limit for inline bodies: it deploys from S3 (the version's DEPLOY.md "
                "copies it with aws s3 cp and passes --template-url)",
            )
        )
    if lint:
        from .template.lint import LintJob, shared_linter  # validate and --no-lint: not loaded

        targets = target_regions(spec, regions)
        runner = linter or shared_linter()
        findings = runner.lint_job(LintJob(body, targets))
        diagnostics += _lint_diagnostics(spec, findings, targets, body, template, runner,
                                         sources)
    parts, part_diagnostics = _secondaries(spec, spec_digest, fmt, lint, linter)
    diagnostics += part_diagnostics
    return Result(
        filename,
        diagnostics,
        marks,
        spec,
        spec_digest,
        Compressed.of(json.dumps(template, ensure_ascii=False, separators=(",", ":"))),
        body,
        digest_of_content,
        sources,
        reused is not None,
        parts,
    )


def _secondaries(
    spec: Spec, spec_digest: str, fmt: str, lint: bool, linter: Linter | None
) -> tuple[tuple[Part, ...], list[Diagnostic]]:
    """One template per secondary region of the spec's global datastore, each
    linted in its own region (node types differ per region too)."""
    gds = spec.global_datastore
    if gds is None:
        return (), []
    from .synthesize import Provenance, synthesize  # troposphere: only to make one

    runner = None
    if lint:  # --no-lint loads no linter
        from .template.lint import LintJob, shared_linter, to_diagnostics, unoffered_node_type

        runner = linter or shared_linter()
    parts, diagnostics = [], []
    for region in gds.secondary_regions:
        synthesized = synthesize(spec, Provenance(COMPILER, spec_digest), region)
        template, sources = synthesized.to_dict(), synthesized.spec_sources()
        body = Compressed.of(render(template, fmt))
        diagnostics += _template_limits(body.size)
        if runner is not None:
            findings = runner.lint_job(LintJob(body, (region,)))
            rg = spec.replication_group
            diagnostics += [
                *to_diagnostics(findings, sources),
                *(unoffered_node_type(rg.node_type, (region,)) if rg is not None else []),
            ]
        parts.append(Part(
            region, body,
            Compressed.of(json.dumps(template, ensure_ascii=False, separators=(",", ":"))),
            content_digest(template), sources,
        ))
    return tuple(parts), diagnostics


def _lint_diagnostics(
    spec: Spec,
    findings: list[Finding],
    targets: tuple[str, ...],
    body: Compressed,
    template: dict[str, Any],
    linter: Linter,
    sources: SpecSources,
) -> list[Diagnostic]:
    """What the lint stage adds: cfn-lint's findings, node types a target
    region does not offer, and the StackSet overrides linted with their values."""
    from .template.lint import to_diagnostics, unoffered_node_type

    rg = spec.replication_group  # serverless has no node type
    return [
        *to_diagnostics(findings, sources),
        *(unoffered_node_type(rg.node_type, targets) if rg is not None else []),
        *lint_overrides(spec, body, template, linter, findings, sources),
    ]


def compile_file(
    filename: str,
    *,
    fmt: str = "yaml",
    lint: bool = True,
    linter: Linter | None = None,
    remembered: Remembered | None = None,
    regions: Sequence[str] | None = None,
    judge_only: bool = False,
) -> Result:
    text, diagnostics = read_text(filename)
    if text is None:
        return Result(filename, diagnostics)
    return compile_text(text, filename, fmt=fmt, lint=lint, linter=linter,
                        remembered=remembered, regions=regions, judge_only=judge_only)


# Compiling a spec without lint takes ~10 ms; starting a pool and sending the
# results back costs more than that for a handful of specs. With lint, a
# spec costs ~200 ms: two are worth a pool.
PARALLEL_COMPILE_MIN = 16


def compile_files(
    filenames: Iterable[str],
    *,
    fmt: str = "yaml",
    lint: bool = True,
    remembered: Remembered | None = None,
    jobs: int = 1,
    on_progress: Callable[[int, int], None] | None = None,
    regions: Sequence[str] | None = None,
    judge_only: bool = False,
) -> list[Result]:
    """Each spec compiled once, in order: the same file named twice (a shell
    glob and a path) is one spec. `jobs`: processes; the results are the same
    for any number. `on_progress(done, total)` as each spec is done (compiled
    and linted), the same calls for any number of jobs. `regions`: as
    compile_text, and `judge_only` (`cachec validate`).

    On many processes (batch.py), each worker compiles and lints whole specs
    and loads cfn-lint's rules on its first lint-cache miss (a batch of
    unchanged specs never loads them). This process only gathers the
    results: the workers are forked before any result piles up here, so
    their memory does not grow with the number of specs (the rules, and
    cfn-lint's data for the resource types and regions seen, ~160 MiB), and
    this process holds ~15 KiB a spec (its spec, marks and compressed output)."""
    seen: set[str] = set()
    unique = []
    for filename in filenames:
        key = os.path.realpath(filename)
        if key not in seen:
            seen.add(key)
            unique.append(filename)
    progress = _Progress(len(unique), on_progress)
    work = functools.partial(compile_file, fmt=fmt, lint=lint, remembered=remembered,
                             regions=regions, judge_only=judge_only)
    if jobs > 1 and len(unique) > 1 and (lint or len(unique) >= PARALLEL_COMPILE_MIN):
        return batch.run(unique, work, _died, jobs=jobs,
                         on_done=lambda _, __: progress.spec_done())
    results = []
    for filename in unique:
        results.append(work(filename))
        progress.spec_done()
    return results


@dataclass
class _Progress:
    """Specs done, told to `on_progress` one spec at a time."""

    total: int
    on_progress: Callable[[int, int], None] | None
    done: int = 0

    def spec_done(self) -> None:
        self.done += 1
        if self.on_progress:
            self.on_progress(self.done, self.total)


WORKER_DIED = ErrorKind(
    "worker-died", Stage.BUILD, "The process compiling this spec (build --jobs) died.",
    "A signal or a crash inside a library ended it before it returned a result; the other "
    "specs were compiled, and nothing is published while one spec has no result.",
    "Build the spec alone (--jobs 1) to see the failure, and report it as a bug in cachec.",
)


def _died(filename: str, why: str) -> Result:
    return Result(filename, [error(
        WORKER_DIED, (), f"{why}: build it alone (--jobs 1) to see why; this is a bug "
        "in cachec, please report it with the spec",
    )])
