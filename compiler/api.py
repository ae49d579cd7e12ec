"""The library: the commands built on the pipeline (pipeline.py).

`build` compiles many specs and publishes each changed template as a new
version, all or nothing; `plan` says what `build` would write; `diff` compares
each spec's build with its latest published version. Nothing here prints:
every function returns its result as data (`publish` writes, `cli` prints).
The pipeline's functions are re-exported, so a library user needs only this
module.
"""

from __future__ import annotations

import dataclasses
import functools
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from . import COMPILER
from .change.deployed import Deployed, check_owner
from .change.deployed import read as read_deployed
from .compressed import Compressed
from .deploy import version_files
from .diagnostics import NO_MARKS, Diagnostic, Marks, error
from .diff import Review, records, review, review_deployed
from .input import adoption, describe
from .input.model import Spec
from .kinds import ErrorKind, Stage
from .pipeline import Result, compile_file, compile_files, compile_text, target_regions
from .rules import acceptance
from .store import publish
from .store.reuse import Remembered, vouched
from .template.render import render

__all__ = [
    "CHANGES_PENDING", "BuildResult", "DiffResult", "ImportResult", "Result", "StackOutcome",
    "build", "compile_file", "compile_files", "compile_text", "diff", "import_cache", "plan",
    "target_regions",
]


# The exit code of `build --check` when a template is out of date and of
# `diff --exit-code` when something differs: apart from 1 (a spec is invalid,
# cfn-lint failed, a store cannot be trusted) and 2 (usage), so a pipeline can
# branch on "changes pending" as on `terraform plan -detailed-exitcode`'s 2.
CHANGES_PENDING = 3


def _failed(results: Iterable[Result]) -> bool:
    return any(not r.ok for r in results)


def _warned(results: Iterable[Result]) -> bool:
    """Whether a spec has a warning it does not accept (what fails --strict)."""
    return any(not d.is_error and d.fails_strict for r in results for d in r.diagnostics)


def _refuse_duplicate_stacks(results: Sequence[Result]) -> list[Result]:
    """Two specs for one stack would publish into one store: the second is an error."""
    seen: dict[str, str] = {}
    return [_duplicate_checked(r, seen) for r in results]


DUPLICATE_STACK = ErrorKind(
    "duplicate-stack", Stage.BUILD, "Two specs build the same stack (name and environment).",
    "The second build would overwrite the first one's published template.",
    "Give each name-environment pair its own spec.",
)


def _duplicate_checked(result: Result, seen: dict[str, str]) -> Result:
    if result.spec is None:
        return result
    other = seen.setdefault(result.spec.stack_name, result.filename)
    if other == result.filename:
        return result
    return result.adding([error(
        DUPLICATE_STACK,
        ("name",),
        f"{result.spec.stack_name} is also built by {other}; each name-environment "
        "pair needs its own spec, and its own stack name (name and environment are joined "
        "with a hyphen: orders-prod + dev and orders + prod-dev are one stack)",
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
    guide: str | None = None  # the version's DEPLOY.md (None: published before cachec wrote one)

    @property
    def stale(self) -> bool:
        """Whether a build would change the store (removing an interrupted
        build's leftovers is a change: a store holding them is not clean)."""
        return self.new or self.legacy or bool(self.leftovers)


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
    warnings: tuple[str, ...] = ()  # about the stores: what could not be verified

    @property
    def blocked(self) -> bool:
        """Nothing was published because a spec failed (or warned, with strict)."""
        return _failed(self.results) or self.strict_failed

    @property
    def exit_code(self) -> int:
        """0 ok; 1 a spec failed or a store failed; CHANGES_PENDING (plan) a
        store is out of date."""
        if self.blocked or self.errors:
            return 1
        return CHANGES_PENDING if not self.write and any(s.stale for s in self.stacks) else 0


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
    compiled = compile_files(specs, fmt=fmt, lint=lint, remembered=Remembered(fmt),
                             jobs=jobs, on_progress=on_progress, regions=regions)
    again = functools.partial(compile_files, fmt=fmt, lint=lint, jobs=jobs, regions=regions)
    return _publish(compiled, out, fmt, again, write=write,
                    allow_replacement=allow_replacement, strict=strict, on_wait=on_wait)


def plan(specs: Sequence[str], **options: Any) -> BuildResult:
    """What `build` would do, writing nothing (`build --check`)."""
    return build(specs, **options, write=False)


def _publish(
    results: list[Result],
    out: str,
    fmt: str,
    again: Callable[[list[str]], list[Result]],
    *,
    write: bool,
    allow_replacement: bool,
    strict: bool,
    on_wait: Callable[[str], None] | None,
) -> BuildResult:
    """Under the stores' locks: keep each reused template the store vouches
    for (the others compiled `again`, without reuse), review each change
    against the verified latest version (the guard), then plan, then commit
    (or only plan), all or nothing. Each store is read once, here."""
    results = _refuse_duplicate_stacks(results)
    if _failed(results):
        return BuildResult(tuple(results), write)
    by_stack = {r.spec.stack_name: r for r in results if r.spec is not None}
    notices: list[str] = []
    half: list[str] = []
    try:
        with publish.Session(out, by_stack, write=write, on_wait=on_wait) as session:
            stores = session.stores()
            half = publish.half_published(stores, out)
            results = _checked_reuse(results, stores, again)
            if _failed(results):
                return BuildResult(tuple(results), write, warnings=tuple(half))
            by_stack = {r.spec.stack_name: r for r in results if r.spec is not None}
            reviews = {
                s: _reviewed(r, stores[s], allow_replacement) for s, r in by_stack.items()
            }
            results = [_judged(r.adding([*_owned_by_another(r.spec, stores[r.spec.stack_name]),
                                        *reviews[r.spec.stack_name].diagnostics]))
                       if r.spec else r for r in results]
            strict_failed = strict and _warned(results)
            if _failed(results) or strict_failed:
                return BuildResult(tuple(results), write, strict_failed=strict_failed,
                                   warnings=tuple(half))
            if write:
                notices = session.recover(stores.values())
            plans = [_plan(r, stores[s], fmt, reviews[s]) for s, r in by_stack.items()]
            warnings = _check_unchanged(plans, by_stack)
            written = session.commit(plans) if write else {}
    except publish.PublishError as exc:
        return BuildResult(tuple(results), write, notices=tuple(notices),
                           errors=tuple(exc.problems), warnings=tuple(half))
    return BuildResult(
        tuple(results), write, tuple(_outcome(p, written, write) for p in plans), tuple(notices),
        warnings=(*half, *warnings),
    )


def _judged(result: Result) -> Result:
    """The review's warnings the spec accepts marked, and (with no error) the
    accepted update-path kinds that did not fire."""
    assert result.spec is not None
    diagnostics = acceptance.accepting(result.diagnostics, result.spec)
    if result.ok:
        diagnostics += acceptance.unused(result.spec, diagnostics, (Stage.UPDATE,))
    return dataclasses.replace(result, diagnostics=diagnostics)


def _checked_reuse(
    results: list[Result],
    stores: dict[str, publish.Store],
    again: Callable[[list[str]], list[Result]],
) -> list[Result]:
    """A reused template is kept where its store, as read under the lock,
    publishes it as the latest version; the other specs are compiled again,
    together (on `build --jobs` processes, as the first time)."""
    doubted = [
        i for i, r in enumerate(results)
        if r.reused and r.spec is not None and not vouched(
            stores[r.spec.stack_name], _known(r.spec_digest), _known(r.text),
            _known(r.content_digest),
        )
    ]
    if not doubted:
        return results
    fresh = again([results[i].filename for i in doubted])
    changed = [results[i].filename for i, r in zip(doubted, fresh, strict=True)
               if r.spec_digest != results[i].spec_digest]
    if changed:
        # Their stores were locked for the specs as they were read first.
        raise publish.PublishError([f"{name}: the spec changed during the build; build again"
                                    for name in changed])
    checked = list(results)
    for i, r in zip(doubted, fresh, strict=True):
        checked[i] = r
    return checked


def _known(value: str | None) -> str:
    assert value is not None  # a reused result has its template
    return value


def _plan(result: Result, store: publish.Store, fmt: str, reviewed: _Reviewed) -> publish.Plan:
    """The deploy stage makes a new version's files from the result and the
    store's history; the store is handed them to record."""
    assert result.spec is not None
    owner = (result.spec.name, result.spec.environment)
    latest = store.latest
    # The parts the latest version would carry if this spec built it.
    parts = version_files.part_digests(result, latest["version"]) if latest else {}
    if publish.unchanged(store, result.content_digest, fmt, parts):
        return publish.plan(store, owner)
    number = len(store.versions) + 1
    history = version_files.next_history(store, reviewed.records, reviewed.parameters_before)
    files = version_files.version_files(result, number, f"v{number}.{fmt}", history)
    return publish.plan(store, owner, files, reviewed.records)


def _check_unchanged(plans: Sequence[publish.Plan], by_stack: dict[str, Result]) -> list[str]:
    """Compare every file of each unchanged stack's latest version with what
    this compiler builds for it (a PublishError naming each file that
    differs); a format-1 manifest is adopted only for files rebuilt so.
    Returns warnings: a version another compiler published (only its hashes
    could be verified), a file this compiler writes that a version lacks."""
    problems = [
        problem for p in plans if p.store.legacy
        for problem in publish.unadoptable(p.store, rebuilt=not p.files)
    ]
    return _compare_latest(
        [(by_stack[p.store.stack], p.store) for p in plans if not p.files], problems
    )


def _compare_latest(
    unchanged: Iterable[tuple[Result, publish.Store]], problems: list[str]
) -> list[str]:
    """For stacks whose latest template is the result's: raise the problems
    and the files that differ; return the warnings."""
    notes = []
    for result, store in unchanged:
        latest = store.latest
        if latest is None:
            continue
        if latest["compiler"] == COMPILER:
            differ, unlisted = publish.differences(
                store, version_files.rebuilt_latest(result, store))
            problems += differ
            notes += unlisted
        else:
            notes.append(_unverified(store, latest))
    if problems:
        raise publish.PublishError(problems)
    return notes


def _unverified(store: publish.Store, latest: dict[str, Any]) -> str:
    return (f"{store.folder}: v{latest['version']} was published by {latest['compiler']}, not "
            f"{COMPILER}: only the SHA-256 of its files could be verified, not that they are "
            f"what its spec builds (build with {latest['compiler']} to check them)")


STACK_OWNED = ErrorKind(
    "stack-owned-by-another-spec", Stage.BUILD,
    "The stack folder was published from another name-environment pair.",
    "Stack names join name and environment with a hyphen, so orders-prod + dev and orders + "
    "prod-dev both name orders-prod-dev; publishing the second into the first's folder would "
    "make its next version, replacing its cache. versions.json records the pair that owns it.",
    "Rename one of them (name or environment), or build into another --out folder.",
)


def _owned_by_another(spec: Spec, store: publish.Store) -> list[Diagnostic]:
    owner = store.owner()
    if owner is None or owner == (spec.name, spec.environment):
        return []
    name, environment = owner
    return [error(
        STACK_OWNED, ("name",),
        f"{store.folder} holds the versions of name {name!r}, environment {environment!r}, "
        f"not of {spec.name!r}, {spec.environment!r} (both join to {spec.stack_name}): "
        "rename one of them, or build into another --out folder",
    )]


class _Reviewed(NamedTuple):
    """What publishing keeps of a review until it commits: a review's changes
    hold parts of the decoded template (a new stack's, all of it: ~70 KiB),
    and a build reviews every stack before it plans any."""

    diagnostics: tuple[Diagnostic, ...]
    records: list[dict[str, Any]]  # the new manifest entry's "changes"
    parameters_before: dict[str, Any] | None  # the published version's Parameters


def _reviewed(result: Result, store: publish.Store, allow_replacement: bool) -> _Reviewed:
    checked = review(result, store, allow_replacement=allow_replacement)
    return _Reviewed(checked.diagnostics, records(checked), checked.parameters_before)


def _outcome(p: publish.Plan, written: dict[str, list[str]], write: bool) -> StackOutcome:
    versions = p.manifest["versions"]
    guide = f"v{p.version}.DEPLOY.md"
    listed = bool(versions) and guide in versions[p.version - 1]["files"]
    return StackOutcome(
        p.folder, p.version, bool(p.files), tuple(written.get(p.folder, ())), p.store.legacy,
        () if write else p.store.leftovers,
        os.path.join(p.folder, guide) if listed else None,
    )


@dataclass(frozen=True)
class DiffResult:
    """Each valid spec's build compared with its latest published version."""

    results: tuple[Result, ...]
    reviews: tuple[Review, ...] = ()
    errors: tuple[str, ...] = ()  # the stores could not be read or trusted
    fail_if_differs: bool = False
    # --deployed FILE: the deployed template as read (its diagnostics are FILE's)
    deployed: Deployed | None = None

    @property
    def differs(self) -> bool:
        return any(rv.changes or rv.spec_changed for rv in self.reviews)

    @property
    def exit_code(self) -> int:
        """0 ok; 1 a spec, the deployed file or a store failed, or a review
        found an error; CHANGES_PENDING something differs and `fail_if_differs`."""
        failed = _failed(self.results) or bool(self.errors) or any(
            d.is_error for rv in self.reviews for d in rv.diagnostics
        ) or (self.deployed is not None and not self.deployed.ok)
        if failed:
            return 1
        return CHANGES_PENDING if self.fail_if_differs and self.differs else 0


def diff(
    specs: Sequence[str],
    *,
    out: str,
    fail_if_differs: bool = False,
    deployed: str | None = None,
    allow_replacement: bool = False,
) -> DiffResult:
    """Compare what each valid spec builds now with its latest published
    version; with `deployed` (a file: get-template or describe-stack-set
    output, or a template), the one spec's build with that deployed template,
    the replacement guard applied unless `allow_replacement`."""
    if deployed is not None:
        return _diff_deployed(specs, out, deployed, fail_if_differs, allow_replacement)
    results = tuple(compile_files(specs, lint=False))
    ok = {r.spec.stack_name: r for r in results if r.ok and r.spec is not None}
    try:
        # Shared locks: never a store half-way through another build's commit.
        with publish.Session(out, ok, write=False) as session:
            stores = session.stores()
            reviews = tuple(_accepted_review(review(r, stores[s]), r) for s, r in ok.items())
            # "No changes" must mean the published files are what the spec
            # builds, not only that versions.json says so.
            _compare_latest(
                ((_in_format_of(r, stores[s]), stores[s]) for s, r in ok.items()
                 if _is_latest(r, stores[s])), []
            )
    except publish.PublishError as exc:
        return DiffResult(results, errors=tuple(exc.problems), fail_if_differs=fail_if_differs)
    return DiffResult(results, reviews, fail_if_differs=fail_if_differs)


def _accepted_review(rv: Review, result: Result) -> Review:
    return dataclasses.replace(
        rv, diagnostics=tuple(acceptance.accepting(rv.diagnostics, result.spec))
    )


def _diff_deployed(
    specs: Sequence[str], out: str, filename: str, fail_if_differs: bool, allow_replacement: bool
) -> DiffResult:
    (spec,) = specs  # the CLI refuses --deployed with several specs
    results = (compile_file(spec, lint=False),)
    (result,) = results
    found = read_deployed(filename)
    if result.spec is not None and found.ok:
        found = check_owner(found, result.spec.name, result.spec.environment,
                            result.spec.stack_name)
    if not result.ok or result.spec is None or not found.ok:
        return DiffResult(results, fail_if_differs=fail_if_differs, deployed=found)
    try:
        # The store only names the published version the deployed template is.
        with publish.Session(out, {result.spec.stack_name: result}, write=False) as session:
            store = session.stores()[result.spec.stack_name]
    except publish.PublishError as exc:
        return DiffResult(results, errors=tuple(exc.problems), fail_if_differs=fail_if_differs,
                          deployed=found)
    reviewed = _accepted_review(
        review_deployed(result, found, store, allow_replacement=allow_replacement), result)
    return DiffResult(results, (reviewed,), fail_if_differs=fail_if_differs, deployed=found)


def _is_latest(result: Result, store: publish.Store) -> bool:
    latest = store.latest
    if latest is None:
        return False
    recorded = {p["part"]: p["template_digest"] for p in latest.get("templates", ())}
    return (latest["template_digest"] == result.content_digest
            and recorded == version_files.part_digests(result, latest["version"]))


def _in_format_of(result: Result, store: publish.Store) -> Result:
    """The result rendered in the format of the store's latest template (diff
    compiles to YAML; the store may hold JSON)."""
    assert store.latest is not None and result.template is not None
    fmt = store.latest["file"].rsplit(".", 1)[1]
    if fmt == "yaml":
        return result
    parts = tuple(dataclasses.replace(p, body=Compressed.of(render(p.template, fmt)))
                  for p in result.parts)
    return dataclasses.replace(result, body=Compressed.of(render(result.template, fmt)),
                               parts=parts)


@dataclass(frozen=True)
class InputReport:
    """One describe output's diagnostics, as report.diagnostic_lines takes them."""

    filename: str
    diagnostics: list[Diagnostic]
    marks: Marks


@dataclass(frozen=True)
class ImportResult:
    """`cachec import`: the adopted spec's text, or why there is none."""

    inputs: list[InputReport]
    text: str | None = None
    # The adopted spec, compiled without lint: its own diagnostics (a rule's
    # warning such as auth-off, or an error that keeps the spec unwritten).
    result: Result | None = None

    @property
    def ok(self) -> bool:
        return self.text is not None


def import_cache(files: Sequence[str], name: str, environment: str,
                 spec_name: str = "<stdout>") -> ImportResult:
    """The spec adopting the one cache `files` describe (what the AWS CLI printed).

    Nothing is written here. The spec is compiled before it is handed back:
    a spec cachec would refuse is never written (its diagnostics say why)."""
    outputs, located = [], []
    for filename in files:
        output, problems = describe.read(filename)
        located.extend(problems)
        if output is not None:
            outputs.append(output)
    adopted = None
    if not any(p.diagnostic.is_error for p in located):
        adopted = adoption.adopt(outputs, name, environment)
        located.extend(adopted.problems)
    reports = [
        InputReport(f, [p.diagnostic for p in located if p.filename == f],
                    next((p.marks for p in located if p.filename == f), NO_MARKS))
        for f in dict.fromkeys(p.filename for p in located)
    ]
    if adopted is None or not adopted.ok:
        return ImportResult(reports)
    text = adoption.spec_text(adopted, [os.path.basename(f) for f in files])
    result = compile_text(text, spec_name, lint=False)
    return ImportResult(reports, text if result.ok else None, result)
