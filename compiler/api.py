"""The library: the pipeline, wired, and the commands built on it.

`compile_text`/`compile_file`: load -> validate -> normalize -> rules ->
synthesize -> render -> lint. Each stage is a pure function of the previous
stage's value; the pipeline stops before the next stage once a stage reports
an error. `build`, `plan` and `diff` compile many specs and compare or
publish them against their version stores. Nothing here prints: every
function returns its result as data (`publish` writes, `cli` prints).
"""

from __future__ import annotations

import copy
import dataclasses
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from . import COMPILER, kinds, publish, rules
from .diagnostics import NO_MARKS, Diagnostic, Marks, error, has_errors, warning
from .diff import Review, records, review
from .lint import DEFAULT_REGIONS, Linter, shared_linter, to_diagnostics, unoffered_node_type
from .load import load, read_text
from .model import Spec
from .normalize import normalize
from .render import digest, render
from .synthesize import Provenance, names, synthesize
from .validate import check_schema

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
        kinds.TEMPLATE_TOO_LARGE, ("monitoring",),
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
                kinds.TEMPLATE_NEEDS_S3,
                (),
                f"the template is {size:,} bytes, over CloudFormation's {INLINE_TEMPLATE_LIMIT:,}"
                "-byte limit for inline bodies: deploy with --s3-bucket (aws cloudformation "
                "deploy) or upload it to S3 first",
            )
        )
    if lint:
        findings = (linter or shared_linter()).lint(rendered, DEFAULT_REGIONS)
        diagnostics += to_diagnostics(findings)
        if spec.replication_group is not None:  # serverless has no node type
            diagnostics += unoffered_node_type(spec.replication_group.node_type, DEFAULT_REGIONS)
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


def compile_files(
    filenames: Iterable[str], *, fmt: str = "yaml", lint: bool = True
) -> list[Result]:
    """Each spec compiled once, in order: the same file named twice (a shell
    glob and a path) is one spec."""
    seen: set[str] = set()
    results = []
    for filename in filenames:
        key = os.path.realpath(filename)
        if key not in seen:
            seen.add(key)
            results.append(compile_file(filename, fmt=fmt, lint=lint))
    return results


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
) -> BuildResult:
    """Compile every spec and publish a new version of each changed template,
    all or nothing. `on_wait(folder)`: called when another build holds a store."""
    return _publish(compile_files(specs, fmt=fmt, lint=lint), out, fmt, write=True,
                    allow_replacement=allow_replacement, strict=strict, on_wait=on_wait)


def plan(
    specs: Sequence[str],
    *,
    out: str,
    fmt: str = "yaml",
    lint: bool = True,
    allow_replacement: bool = False,
    strict: bool = False,
    on_wait: Callable[[str], None] | None = None,
) -> BuildResult:
    """What `build` would do, writing nothing (`build --check`)."""
    return _publish(compile_files(specs, fmt=fmt, lint=lint), out, fmt, write=False,
                    allow_replacement=allow_replacement, strict=strict, on_wait=on_wait)


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
        return any(rv.changes for rv in self.reviews)

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
