"""The library: the pipeline, wired, and the commands built on it.

`compile_text`/`compile_file`: load -> validate -> normalize -> rules ->
synthesize -> render -> lint. Each stage is a pure function of the previous
stage's value; the pipeline stops before the next stage once a stage reports
an error. `build`, `plan` and `diff` compile many specs and compare or
publish them against their version stores. Nothing here prints: every
function returns its result as data (`publish` writes, `cli` prints).
"""

from __future__ import annotations

import dataclasses
import functools
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from . import COMPILER, batch, kinds, publish, rules, stackset
from .diagnostics import NO_MARKS, Diagnostic, Marks, error, has_errors, warning
from .diff import Review, records, review
from .lint import (
    DEFAULT_REGIONS,
    Finding,
    Linter,
    shared_linter,
    to_diagnostics,
    unoffered_node_type,
)
from .load import load, read_text
from .model import Spec
from .normalize import normalize
from .render import INLINE_TEMPLATE_LIMIT, S3_TEMPLATE_LIMIT, content_digest, digest, render
from .reuse import Published
from .synthesize import Provenance, synthesize
from .validate import check_schema


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
        kinds.TEMPLATE_TOO_LARGE, ("monitoring",),
        f"the template is {size:,} bytes, over CloudFormation's {S3_TEMPLATE_LIMIT:,}-byte "
        "limit even from S3: disable alarms under monitoring.alarms or the dashboard, or "
        "use fewer nodes",
    )]


def target_regions(spec: Spec, regions: Sequence[str] | None = None) -> tuple[str, ...]:
    """Where the template is deployed: the StackSet's regions, else `regions`
    (--regions), else us-east-1."""
    if spec.stack.stackset is not None:
        return spec.stack.stackset.regions
    return tuple(regions) if regions else DEFAULT_REGIONS


def compile_text(
    text: str,
    filename: str,
    *,
    fmt: str = "yaml",
    lint: bool = True,
    linter: Linter | None = None,
    published: Published | None = None,
    regions: Sequence[str] | None = None,
) -> Result:
    """`published`: the version stores, whose latest template an unchanged
    spec reuses instead of being synthesized (reuse.py). `regions`: where to
    lint a spec without stack.stackset (default us-east-1)."""
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
    reused = published.reuse(spec.stack_name, spec_digest) if published else None
    if reused is None:
        template = synthesize(spec, Provenance(COMPILER, spec_digest)).to_dict()
        rendered = render(template, fmt)
        digest_of_content = content_digest(template)
        if published:
            published.remember(spec_digest, rendered, template)
    else:
        template, rendered, digest_of_content = (
            reused.template, reused.text, reused.content_digest
        )
    diagnostics += stackset.check(spec, template)
    if has_errors(diagnostics):
        return Result(filename, diagnostics, marks, spec, spec_digest)
    size = len(rendered.encode())
    diagnostics += _template_limits(size)
    if INLINE_TEMPLATE_LIMIT < size <= S3_TEMPLATE_LIMIT:
        diagnostics.append(
            warning(
                kinds.TEMPLATE_NEEDS_S3,
                (),
                f"the template is {size:,} bytes, over CloudFormation's {INLINE_TEMPLATE_LIMIT:,}"
                "-byte limit for inline bodies: deploy with --s3-bucket (aws cloudformation "
                "deploy) or upload it to S3 first",
            )
        )
    if lint:
        targets = target_regions(spec, regions)
        runner = linter or shared_linter()
        findings = runner.lint(rendered, targets)
        diagnostics += _lint_diagnostics(spec, findings, targets, rendered, template, runner)
    return Result(
        filename,
        diagnostics,
        marks,
        spec,
        spec_digest,
        template,
        rendered,
        digest_of_content,
    )


def _lint_diagnostics(
    spec: Spec,
    findings: list[Finding],
    targets: tuple[str, ...],
    rendered: str,
    template: dict[str, Any],
    linter: Linter,
) -> list[Diagnostic]:
    """What the lint stage adds: cfn-lint's findings, node types a target
    region does not offer, and the StackSet overrides linted with their values."""
    rg = spec.replication_group  # serverless has no node type
    return [
        *to_diagnostics(findings),
        *(unoffered_node_type(rg.node_type, targets) if rg is not None else []),
        *stackset.lint_overrides(spec, rendered, template, linter, findings),
    ]


def compile_file(
    filename: str,
    *,
    fmt: str = "yaml",
    lint: bool = True,
    linter: Linter | None = None,
    published: Published | None = None,
    regions: Sequence[str] | None = None,
) -> Result:
    text, diagnostics = read_text(filename)
    if text is None:
        return Result(filename, diagnostics)
    return compile_text(text, filename, fmt=fmt, lint=lint, linter=linter, published=published,
                        regions=regions)


# Compiling a spec without lint takes ~10 ms; starting a pool and sending the
# results back costs more than that for a handful of specs.
PARALLEL_COMPILE_MIN = 16


def compile_files(
    filenames: Iterable[str],
    *,
    fmt: str = "yaml",
    lint: bool = True,
    published: Published | None = None,
    jobs: int = 1,
    on_progress: Callable[[int, int], None] | None = None,
    regions: Sequence[str] | None = None,
) -> list[Result]:
    """Each spec compiled once, in order: the same file named twice (a shell
    glob and a path) is one spec. `jobs`: processes (batch.py); the results
    are the same for any number. `on_progress(done, total)` after each spec
    compiled, then (jobs > 1) after each template linted. `regions`: as
    compile_text."""
    seen: set[str] = set()
    unique = []
    for filename in filenames:
        key = os.path.realpath(filename)
        if key not in seen:
            seen.add(key)
            unique.append(filename)
    if jobs > 1 and len(unique) > 1:
        # Compiled (across processes when there are enough specs to pay for
        # them), then linted across processes forked from one warm cfn-lint
        # Runner, if more than one template misses the lint cache.
        work = functools.partial(compile_file, fmt=fmt, lint=False, published=published,
                                 regions=regions)
        if len(unique) >= PARALLEL_COMPILE_MIN:
            results = batch.run(unique, work, _died, jobs=jobs, on_progress=on_progress)
        else:
            results = [work(filename) for filename in unique]
        return _linted(results, jobs, on_progress, regions) if lint else results
    work = functools.partial(compile_file, fmt=fmt, lint=lint, published=published,
                             regions=regions)
    results = []
    for filename in unique:
        results.append(work(filename))
        if on_progress:
            on_progress(len(results), len(unique))
    return results


def _linted(
    results: list[Result],
    jobs: int,
    on_progress: Callable[[int, int], None] | None,
    regions: Sequence[str] | None,
) -> list[Result]:
    """What compile_text's lint stage adds to each result, for many at once:
    one lint_many per set of target regions (a StackSet spec brings its own)."""
    linter = shared_linter()
    groups: dict[tuple[str, ...], list[Result]] = {}
    for r in results:
        if r.text is not None and r.spec is not None:
            groups.setdefault(target_regions(r.spec, regions), []).append(r)
    linted: dict[int, Result] = {}
    for targets, group in groups.items():
        found = linter.lint_many([r.text or "" for r in group], targets, jobs=jobs,
                                 on_progress=on_progress)
        for r, findings in zip(group, found, strict=True):
            linted[id(r)] = _with_lint(r, findings, targets, linter)
    return [linted.get(id(r), r) for r in results]


def _with_lint(
    result: Result, findings: list[Finding] | None, targets: tuple[str, ...], linter: Linter
) -> Result:
    assert result.spec is not None and result.text is not None and result.template is not None
    if findings is None:
        return _with(result, _died(result.filename, "its lint worker process died").diagnostics)
    return _with(result, _lint_diagnostics(
        result.spec, findings, targets, result.text, result.template, linter
    ))


def _died(filename: str, why: str) -> Result:
    return Result(filename, [error(
        kinds.WORKER_DIED, (), f"{why}: build it alone (--jobs 1) to see why; this is a bug "
        "in cachec, please report it with the spec",
    )])


def _failed(results: Iterable[Result]) -> bool:
    return any(not r.ok for r in results)


def _warned(results: Iterable[Result]) -> bool:
    return any(not d.is_error for r in results for d in r.diagnostics)


def _with(result: Result, diagnostics: Iterable[Diagnostic]) -> Result:
    return dataclasses.replace(result, diagnostics=[*result.diagnostics, *diagnostics])


def _refuse_duplicate_stacks(results: Sequence[Result]) -> list[Result]:
    """Two specs for one stack would publish into one store: the second is an error."""
    seen: dict[str, str] = {}
    return [_duplicate_checked(r, seen) for r in results]


def _duplicate_checked(result: Result, seen: dict[str, str]) -> Result:
    if result.spec is None:
        return result
    other = seen.setdefault(result.spec.stack_name, result.filename)
    if other == result.filename:
        return result
    return _with(result, [error(
        kinds.DUPLICATE_STACK,
        ("name",),
        f"{result.spec.stack_name} is also built by {other}; each name-environment "
        "pair needs its own spec",
    )])


@dataclass(frozen=True)
class StackOutcome:
    """One stack's version store after a build, or what a build would do to it (plan)."""

    folder: str
    version: int  # the new version, or the latest when the template is unchanged
    new: bool  # a new version: written (build) or out of date (plan)
    written: tuple[str, ...] = ()  # build: the paths it wrote
    legacy: bool = False  # the manifest recorded no file hashes (build: recorded them now)
    leftovers: tuple[str, ...] = ()  # plan: what an interrupted build left (build removes it)

    @property
    def stale(self) -> bool:
        """Whether a build would change the store."""
        return self.new or self.legacy


@dataclass(frozen=True)
class BuildResult:
    """What `build` or `plan` did: every spec's diagnostics (the review's
    included), then, once every spec is valid, what each stack's store did."""

    results: tuple[Result, ...]
    write: bool  # build; False: plan
    stacks: tuple[StackOutcome, ...] = ()  # empty unless every spec passed
    notices: tuple[str, ...] = ()  # build: leftovers of interrupted builds it removed
    errors: tuple[str, ...] = ()  # the stores could not be read, trusted or written
    strict_failed: bool = False  # strict, and some spec has warnings

    @property
    def blocked(self) -> bool:
        """Nothing was published because a spec failed (or warned, with strict)."""
        return _failed(self.results) or self.strict_failed

    @property
    def exit_code(self) -> int:
        """0 ok; 1 a spec failed, a store failed, or (plan) a template is out of date."""
        if self.blocked or self.errors:
            return 1
        return int(not self.write and any(s.stale for s in self.stacks))


def build(
    specs: Sequence[str],
    *,
    out: str,
    fmt: str = "yaml",
    lint: bool = True,
    allow_replacement: bool = False,
    strict: bool = False,
    on_wait: Callable[[str], None] | None = None,
    jobs: int = 1,
    on_progress: Callable[[int, int], None] | None = None,
    regions: Sequence[str] | None = None,
    write: bool = True,
) -> BuildResult:
    """Compile every spec and publish a new version of each changed template,
    all or nothing; with `write=False` (plan) only say what would be written.
    `on_wait(folder)`: called when another build holds a store; `jobs`,
    `on_progress`, `regions`: as compile_files."""
    compiled = compile_files(specs, fmt=fmt, lint=lint, published=Published(out, fmt),
                             jobs=jobs, on_progress=on_progress, regions=regions)
    return _publish(compiled, out, fmt, write=write,
                    allow_replacement=allow_replacement, strict=strict, on_wait=on_wait)


def plan(specs: Sequence[str], **options: Any) -> BuildResult:
    """What `build` would do, writing nothing (`build --check`)."""
    return build(specs, **options, write=False)


def _publish(
    results: list[Result],
    out: str,
    fmt: str,
    *,
    write: bool,
    allow_replacement: bool,
    strict: bool,
    on_wait: Callable[[str], None] | None,
) -> BuildResult:
    """Under the stores' locks: review each change against the verified latest
    version (the guard), then plan, then commit (or only plan), all or nothing."""
    results = _refuse_duplicate_stacks(results)
    if _failed(results):
        return BuildResult(tuple(results), write)
    by_stack = {r.spec.stack_name: r for r in results if r.spec is not None}
    notices: list[str] = []
    try:
        with publish.Session(out, by_stack, write=write, on_wait=on_wait) as session:
            stores = session.stores()
            reviews = {
                s: review(r, stores[s], allow_replacement=allow_replacement)
                for s, r in by_stack.items()
            }
            results = [_with(r, reviews[r.spec.stack_name].diagnostics) if r.spec else r
                       for r in results]
            strict_failed = strict and _warned(results)
            if _failed(results) or strict_failed:
                return BuildResult(tuple(results), write, strict_failed=strict_failed)
            if write:
                notices = session.recover(stores.values())
            plans = [
                publish.plan(r, stores[s], fmt, records(reviews[s]))
                for s, r in by_stack.items()
            ]
            written = session.commit(plans) if write else {}
    except publish.PublishError as exc:
        return BuildResult(tuple(results), write, notices=tuple(notices),
                           errors=tuple(exc.problems))
    return BuildResult(
        tuple(results), write, tuple(_outcome(p, written, write) for p in plans), tuple(notices)
    )


def _outcome(p: publish.Plan, written: dict[str, list[str]], write: bool) -> StackOutcome:
    return StackOutcome(
        p.folder, p.version, bool(p.files), tuple(written.get(p.folder, ())), p.store.legacy,
        () if write else p.store.leftovers,
    )


@dataclass(frozen=True)
class DiffResult:
    """Each valid spec's build compared with its latest published version."""

    results: tuple[Result, ...]
    reviews: tuple[Review, ...] = ()
    errors: tuple[str, ...] = ()  # the stores could not be read or trusted
    fail_if_differs: bool = False

    @property
    def differs(self) -> bool:
        return any(rv.changes or rv.spec_changed for rv in self.reviews)

    @property
    def exit_code(self) -> int:
        """0 ok; 1 a spec or a store failed, a review found an error, or
        something differs and `fail_if_differs`."""
        failed = _failed(self.results) or bool(self.errors) or any(
            d.is_error for rv in self.reviews for d in rv.diagnostics
        )
        return int(failed or (self.fail_if_differs and self.differs))


def diff(specs: Sequence[str], *, out: str, fail_if_differs: bool = False) -> DiffResult:
    """Compare what each valid spec builds now with its latest published version."""
    results = tuple(compile_files(specs, lint=False))
    ok = {r.spec.stack_name: r for r in results if r.ok and r.spec is not None}
    try:
        # Shared locks: never a store half-way through another build's commit.
        with publish.Session(out, ok, write=False) as session:
            stores = session.stores()
            reviews = tuple(review(r, stores[s]) for s, r in ok.items())
    except publish.PublishError as exc:
        return DiffResult(results, errors=tuple(exc.problems), fail_if_differs=fail_if_differs)
    return DiffResult(results, reviews, fail_if_differs=fail_if_differs)
