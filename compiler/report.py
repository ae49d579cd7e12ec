"""Reporters: what a command found, as data in, text out, chosen by name.

The commands return results (pipeline.Result, api.BuildResult, diff.Review)
and say nothing; the CLI picks a reporter by the name the user gave
(`--format`) and writes what it returns. A new output format (SARIF, GitHub annotations) is a new
entry in a table here, not a new branch in the CLI. Reporters import the
modules they render lazily: the CLI reads the tables' names while it parses
its arguments, before any stage is loaded.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from .api import BuildResult, StackOutcome
    from .diagnostics import Diagnostic, Marks
    from .diff import Review
    from .pipeline import Result


class Located(Protocol):
    """A file's diagnostics and the marks that locate them (a spec's
    pipeline.Result, a `diff --deployed` file's change.deployed.Deployed)."""

    @property
    def filename(self) -> str: ...

    @property
    def diagnostics(self) -> Sequence[Diagnostic]: ...

    @property
    def marks(self) -> Marks: ...


def diagnostic_lines(results: Sequence[Located]) -> Iterator[str]:
    """`FILE:LINE:COL: error: <path>: <message>`, each spec's in the order of
    its text, specs in the order given."""
    from .diagnostics import format_diagnostic, sort_key

    for result in results:
        ordered = sorted(result.diagnostics, key=lambda d: sort_key(d, result.marks))
        for diagnostic in ordered:
            yield format_diagnostic(diagnostic, result.filename, result.marks)


def shown(text: str) -> str:
    """File names and messages as printed: control characters escaped."""
    from .diagnostics import printable

    return printable(text)


def error_lines(problems: Iterable[str]) -> Iterator[str]:
    """`cachec: error: ...`: what stopped a command outside any spec."""
    for problem in problems:
        yield f"cachec: error: {shown(problem)}"


def validated_lines(results: Sequence[Result]) -> Iterator[str]:
    """`cachec validate`'s verdict on each spec that passed (the others have
    their diagnostics)."""
    for result in results:
        if result.ok:
            yield f"{shown(result.filename)}: ok"


@dataclass(frozen=True)
class BuildReport:
    """What `cachec build` (and `build --check`) says, in the order it is
    written: `before` on standard error, `output` on standard output, `after`
    on standard error. `record` is what the build did, stack by stack: the
    output of a build, and what `unreported` writes on standard error
    instead when standard output fails (what the build committed stays
    committed)."""

    before: tuple[str, ...]
    output: tuple[str, ...]
    after: tuple[str, ...]
    record: tuple[str, ...]

    def unreported(self, why: str) -> tuple[str, ...]:
        return (
            *error_lines([f"cannot write to standard output: {why}; the build itself is not "
                          "affected, and did this:"]),
            *self.record,
        )


def _written(stacks: Sequence[StackOutcome]) -> Iterator[str]:
    from .store.publish import MANIFEST

    for s in stacks:
        if s.legacy:
            yield (f"{shown(s.folder)}: recorded the SHA-256 of every published file in "
                   f"{MANIFEST} (its manifest was written by an older cachec)")
        if s.new:
            yield f"{shown(s.folder)}: wrote v{s.version} ({', '.join(s.written)})"
        else:
            yield f"{shown(s.folder)}: up to date (v{s.version})"
        if s.guide is not None:
            yield f"{shown(s.folder)}: deploy v{s.version} with {shown(s.guide)}"


def _planned(stacks: Sequence[StackOutcome]) -> Iterator[str]:
    from .store.publish import MANIFEST

    for s in stacks:
        for name in s.leftovers:
            yield (f"cachec: {shown(s.folder)}/{shown(name)}: left uncommitted by an "
                   "interrupted build (the next build removes it)")
        if s.new:
            yield f"{shown(s.folder)}: out of date (would write v{s.version})"
        elif s.legacy:
            yield (f"{shown(os.path.join(s.folder, MANIFEST))}: records no file hashes "
                   "(written by an older cachec): run `cachec build` once to record them")


def _build_text(result: BuildResult) -> BuildReport:
    before = [*diagnostic_lines(result.results)]
    if result.strict_failed:
        before.append("cachec: warnings fail the run (--strict)")
    if result.blocked:
        before.append("cachec: nothing written")
    before += [f"cachec: {note}" for note in result.notices]
    before += [f"cachec: warning: {warning}" for warning in result.warnings]
    record = tuple(_written(result.stacks))
    if not result.write:
        # A plan writes nothing on standard output: its verdict is a note.
        before += _planned(result.stacks)
    return BuildReport(
        before=tuple(before),
        output=record if result.write else (),
        after=tuple(error_lines(result.errors)),
        record=record,
    )


def _reviews_text(reviews: Sequence[Review], results: Sequence[Result]) -> str:
    """Each spec's changes in words, against the template it compiled to."""
    from .diff import render_text

    compiled = {r.filename: r for r in results}
    return "".join(render_text(rv, compiled[rv.filename].template or {}) for rv in reviews)


def _reviews_json(reviews: Sequence[Review], results: Sequence[Result]) -> str:
    from .diff import render_json

    reports = [render_json(rv) for rv in reviews]
    return json.dumps({"specs": reports}, indent=2, ensure_ascii=False) + "\n"


BuildReporter = Callable[["BuildResult"], BuildReport]

# `cachec build` and `cachec build --check` (`--format` names the template's
# format there, so the CLI picks "text" until a report option is offered).
BUILD_REPORTERS: dict[str, BuildReporter] = {
    "text": _build_text,
}

ReviewReporter = Callable[[Sequence["Review"], Sequence["Result"]], str]

# `cachec diff --format NAME`
REVIEW_REPORTERS: dict[str, ReviewReporter] = {
    "text": _reviews_text,
    "json": _reviews_json,
}
