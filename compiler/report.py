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
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from .api import BuildResult, StackOutcome
    from .diagnostics import Diagnostic, Marks
    from .diff import Review
    from .pipeline import Result

# What a machine-readable report is made of: one file's diagnostics and the
# marks that locate them (a compiled spec's, or a review's).
Located = tuple[str, "Marks", Sequence["Diagnostic"]]


class Diagnosed(Protocol):
    """A file's diagnostics and the marks that locate them (a spec's
    pipeline.Result, a `diff --deployed` file's change.deployed.Deployed)."""

    @property
    def filename(self) -> str: ...

    @property
    def diagnostics(self) -> Sequence[Diagnostic]: ...

    @property
    def marks(self) -> Marks: ...


def diagnostic_lines(results: Sequence[Diagnosed]) -> Iterator[str]:
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
    # After `after`, on a terminal only: a build's one-line summary (a log or
    # a pipe keeps a clean build's standard error empty).
    summary: tuple[str, ...] = ()

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
        summary=tuple(_summary(result)),
    )


def _summary(result: BuildResult) -> list[str]:
    """After a build that went through: how many specs, what became of their
    stacks, the warnings (a check's verdict is its notes and exit code)."""
    from . import __version__

    if not result.write or not result.stacks or result.errors:
        return []
    warnings = [d for r in result.results for d in r.diagnostics if not d.is_error]
    accepted = sum(1 for d in warnings if d.accepted is not None)
    new = sum(1 for s in result.stacks if s.new)
    done = f"{new} written, {len(result.stacks) - new} up to date"
    said = f"{len(warnings)} warning{'s' * (len(warnings) != 1)}"
    if accepted:
        said += f" ({accepted} accepted)"
    specs = len(result.results)
    lines = [f"cachec {__version__}: {specs} spec{'s' * (specs != 1)}: {done}; {said}"]
    if len(result.stacks) == specs:  # one stack per spec, in the specs' order
        lines += _aligned([
            (shown(r.filename), shown(s.folder), f"v{s.version}",
             "written" if s.new else "up to date", _warnings_of(r))
            for r, s in zip(result.results, result.stacks, strict=True)
        ])
    return lines


def _warnings_of(result: Result) -> str:
    warnings = [d for d in result.diagnostics if not d.is_error]
    accepted = sum(1 for d in warnings if d.accepted is not None)
    if not warnings:
        return ""
    said = f"{len(warnings)} warning{'s' * (len(warnings) != 1)}"
    return f"{said} ({accepted} accepted)" if accepted else said


def _aligned(rows: Sequence[tuple[str, ...]]) -> list[str]:
    """Rows as columns a reader scans down: each column as wide as its widest
    cell, two spaces between, no trailing blanks."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))] if rows else []
    return ["  " + "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
            for row in rows]


def _reviews_text(reviews: Sequence[Review], results: Sequence[Result]) -> str:
    """Each spec's changes in words, against the template it compiled to."""
    from .diff import render_text

    compiled = {r.filename: r for r in results}
    return "".join(render_text(rv, compiled[rv.filename].template or {}) for rv in reviews)


def _reviews_json(reviews: Sequence[Review], results: Sequence[Result]) -> str:
    """`{"specs": [...]}` as 0.2 printed it (each review's diagnostics now
    also carry `file` and `accepted`), and `failed`: the specs that did not
    compile, with their diagnostics."""
    from .diff import render_json

    reports = []
    for rv in reviews:
        report = render_json(rv)
        report["diagnostics"] = _records((rv.filename, rv.marks, rv.diagnostics))
        reports.append(report)
    failed = _spec_records([r for r in results if not r.ok])
    return _json_text({"specs": reports, "failed": failed})


# --- machine-readable reports: json, sarif, github --------------------------


def _ordered(located: Located) -> list[Diagnostic]:
    from .diagnostics import sort_key

    _, marks, diagnostics = located
    return sorted(diagnostics, key=lambda d: sort_key(d, marks))


def diagnostic_record(diagnostic: Diagnostic, filename: str, marks: Marks) -> dict[str, Any]:
    """One diagnostic as JSON: kind, severity, file, line, column, spec path,
    message, and the reason the spec accepts it (null if it does not)."""
    from .diagnostics import format_path

    mark = diagnostic.mark or marks.find(diagnostic.path, on_key=diagnostic.on_key)
    return {
        "kind": diagnostic.kind,
        "severity": diagnostic.severity.value,
        "file": filename,
        "line": mark.line,
        "column": mark.column,
        "path": format_path(diagnostic.path),
        "message": diagnostic.message,
        "accepted": diagnostic.accepted,
    }


def _records(located: Located) -> list[dict[str, Any]]:
    filename, marks, _ = located
    return [diagnostic_record(d, filename, marks) for d in _ordered(located)]


def _of_results(results: Iterable[Result]) -> list[Located]:
    return [(r.filename, r.marks, r.diagnostics) for r in results]


def _spec_records(results: Sequence[Result]) -> list[dict[str, Any]]:
    return [
        {"file": r.filename, "ok": r.ok, "diagnostics": _records(located)}
        for r, located in zip(results, _of_results(results), strict=True)
    ]


def _json_text(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


# SARIF 2.1.0 (https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html):
# what GitHub code scanning and GitLab read. One rule per diagnostic kind, from
# the registry; each result located on the spec line a reviewer edits.
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def _sarif_rule(kind_id: str) -> dict[str, Any]:
    from .kinds import Severity
    from .registry import KINDS
    from .template.lint import CFN_LINT_ERROR, CFN_LINT_WARNING

    known = {k.id: k for k in KINDS}
    kind = known.get(kind_id)
    if kind is None:  # a cfn-lint finding: cfn-lint-E3001 is of the E family's kind
        kind = CFN_LINT_ERROR if kind_id.startswith("cfn-lint-E") else CFN_LINT_WARNING
    level = "error" if kind.severity is Severity.ERROR else "warning"
    rule: dict[str, Any] = {
        "id": kind_id,
        "shortDescription": {"text": kind.summary},
        "fullDescription": {"text": kind.rationale},
        "help": {"text": kind.fix},
        "defaultConfiguration": {"level": level},
        "properties": {"stage": kind.stage.value, "tags": ["cachec", kind.stage.value]},
    }
    if kind.source:
        rule["helpUri"] = kind.source
    return rule


def _artifact_uri(filename: str) -> str:
    """A relative path stays relative (code scanning resolves it from the
    checkout's root); an absolute one becomes a file: URI."""
    from pathlib import PurePath
    from urllib.parse import quote

    path = PurePath(filename)
    if path.is_absolute():
        return "file://" + quote(path.as_posix())
    return quote(path.as_posix())


def sarif_log(located: Sequence[Located], problems: Sequence[str] = ()) -> dict[str, Any]:
    """One run of cachec: every registered kind as a rule (and each cfn-lint
    rule that fired), every diagnostic as a result; an accepted warning
    carries an in-source suppression with the spec's reason."""
    from . import __version__
    from .diagnostics import format_path
    from .registry import KINDS

    ids = [k.id for k in KINDS if "<" not in k.id]
    fired = sorted({d.kind for _, _, ds in located for d in ds} - set(ids))
    index = {kind: i for i, kind in enumerate([*ids, *fired])}
    results = []
    for entry in located:
        filename, marks, _ = entry
        for d in _ordered(entry):
            mark = d.mark or marks.find(d.path, on_key=d.on_key)
            result: dict[str, Any] = {
                "ruleId": d.kind,
                "ruleIndex": index[d.kind],
                "level": d.severity.value,
                "message": {"text": f"{format_path(d.path)}: {d.message}"},
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": {"uri": _artifact_uri(filename)},
                        "region": {"startLine": mark.line, "startColumn": mark.column},
                    },
                    "logicalLocations": [{"fullyQualifiedName": format_path(d.path),
                                          "kind": "member"}],
                }],
            }
            if d.accepted is not None:
                result["suppressions"] = [{"kind": "inSource", "status": "accepted",
                                           "justification": d.accepted}]
            results.append(result)
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "cachec",
                "version": __version__,
                "semanticVersion": __version__,
                "rules": [_sarif_rule(kind) for kind in index],
            }},
            "invocations": [{
                "executionSuccessful": not problems,
                "toolExecutionNotifications": [
                    {"level": "error", "message": {"text": problem}} for problem in problems
                ],
            }],
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    }


def _command_data(text: str) -> str:
    """A workflow command's message: %, CR and LF escaped (GitHub's
    toolkit/packages/core/src/command.ts escapeData)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _command_property(text: str) -> str:
    """A workflow command's property value: also : and , (escapeProperty)."""
    return _command_data(text).replace(":", "%3A").replace(",", "%2C")


def github_lines(located: Sequence[Located]) -> Iterator[str]:
    """GitHub Actions workflow commands, one per diagnostic: errors and
    warnings annotate the spec line; an accepted warning is a notice with its
    reason (https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-commands)."""
    from .diagnostics import format_path

    for entry in located:
        filename, marks, _ = entry
        for d in _ordered(entry):
            mark = d.mark or marks.find(d.path, on_key=d.on_key)
            command = d.severity.value if d.accepted is None else "notice"
            title = d.kind if d.accepted is None else f"{d.kind} (accepted)"
            message = f"{format_path(d.path)}: {d.message}"
            if d.accepted is not None:
                message += f" (accepted: {d.accepted})"
            yield (f"::{command} file={_command_property(filename)},line={mark.line},"
                   f"col={mark.column},title={_command_property(title)}::"
                   f"{_command_data(message)}")


# --- validate ---------------------------------------------------------------


def _strict_failed(results: Sequence[Result]) -> bool:
    return any(not d.is_error and d.fails_strict for r in results for d in r.diagnostics)


def validate_exit_code(results: Sequence[Result], strict: bool) -> int:
    """1 when a spec is invalid, or (strict) has a warning it does not accept."""
    return int(any(not r.ok for r in results) or (strict and _strict_failed(results)))


def _strict_note(results: Sequence[Result], strict: bool) -> list[str]:
    if strict and _strict_failed(results) and all(r.ok for r in results):
        return ["cachec: warnings fail the run (--strict; `accept` a reviewed one in the spec)"]
    return []


def _validate_text(results: Sequence[Result], strict: bool) -> BuildReport:
    output = tuple(validated_lines(results))
    return BuildReport((*diagnostic_lines(results), *_strict_note(results, strict)),
                       output, (), output)


def _validate_json(results: Sequence[Result], strict: bool) -> BuildReport:
    document = {"ok": validate_exit_code(results, strict) == 0,
                "specs": _spec_records(results)}
    return _machine(results, strict, _json_text(document))


def _validate_sarif(results: Sequence[Result], strict: bool) -> BuildReport:
    return _machine(results, strict, _json_text(sarif_log(_of_results(results))))


def _validate_github(results: Sequence[Result], strict: bool) -> BuildReport:
    return _machine(results, strict, "".join(
        line + "\n" for line in github_lines(_of_results(results))))


def _machine(results: Sequence[Result], strict: bool, text: str) -> BuildReport:
    """The report on stdout; the diagnostics on stderr as in text, for the log."""
    lines = tuple(text.splitlines())
    return BuildReport((*diagnostic_lines(results), *_strict_note(results, strict)),
                       lines, (), lines)


# --- build and build --check --------------------------------------------------


def _build_json(result: BuildResult) -> BuildReport:
    document = {
        "ok": result.exit_code == 0,
        "exit_code": result.exit_code,
        "write": result.write,
        "strict_failed": result.strict_failed,
        "specs": _spec_records(result.results),
        "stacks": [
            {"folder": s.folder, "version": s.version, "new": s.new, "stale": s.stale,
             "written": list(s.written), "deploy_guide": s.guide}
            for s in result.stacks
        ],
        "notices": list(result.notices),
        "warnings": list(result.warnings),
        "errors": list(result.errors),
    }
    return _build_machine(result, _json_text(document))


def _build_sarif(result: BuildResult) -> BuildReport:
    return _build_machine(
        result, _json_text(sarif_log(_of_results(result.results), result.errors)))


def _build_github(result: BuildResult) -> BuildReport:
    lines = [*github_lines(_of_results(result.results)),
             *(f"::error title=cachec::{_command_data(e)}" for e in result.errors)]
    return _build_machine(result, "".join(line + "\n" for line in lines))


def _build_machine(result: BuildResult, text: str) -> BuildReport:
    """The report on stdout; the text report's lines on stderr, for the log."""
    shown_text = _build_text(result)
    lines = tuple(text.splitlines())
    return BuildReport((*shown_text.before, *shown_text.output), lines, shown_text.after,
                       shown_text.record)


BuildReporter = Callable[["BuildResult"], BuildReport]

# `cachec build --report NAME` and `cachec build --check --report NAME`
# (`--format` names the template's format there).
BUILD_REPORTERS: dict[str, BuildReporter] = {
    "text": _build_text,
    "json": _build_json,
    "sarif": _build_sarif,
    "github": _build_github,
}

ValidateReporter = Callable[[Sequence["Result"], bool], BuildReport]

# `cachec validate --format NAME` (and --strict): before on stderr, output on stdout.
VALIDATE_REPORTERS: dict[str, ValidateReporter] = {
    "text": _validate_text,
    "json": _validate_json,
    "sarif": _validate_sarif,
    "github": _validate_github,
}


def _reviewed(reviews: Sequence[Review], results: Sequence[Result]) -> list[Located]:
    """What a diff found: the specs that failed to compile, then the reviews."""
    return [*_of_results(r for r in results if not r.ok),
            *((rv.filename, rv.marks, rv.diagnostics) for rv in reviews)]


def _reviews_sarif(reviews: Sequence[Review], results: Sequence[Result]) -> str:
    return _json_text(sarif_log(_reviewed(reviews, results)))


def _reviews_github(reviews: Sequence[Review], results: Sequence[Result]) -> str:
    return "".join(line + "\n" for line in github_lines(_reviewed(reviews, results)))


ReviewReporter = Callable[[Sequence["Review"], Sequence["Result"]], str]

# `cachec diff --format NAME`
REVIEW_REPORTERS: dict[str, ReviewReporter] = {
    "text": _reviews_text,
    "json": _reviews_json,
    "sarif": _reviews_sarif,
    "github": _reviews_github,
}

