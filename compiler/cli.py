"""The command line: the only module that prints or exits.

Exit codes: 0 ok, 1 invalid spec / lint error / out of date / internal
error, 2 usage error.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, TextIO

from . import FORMATS, __version__

# The pipeline is imported by the commands that run it, so `cachec --help`
# and usage errors answer without loading troposphere, jsonschema or YAML.
if TYPE_CHECKING:
    from .api import Result

EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2
BUG_HINT = "this is a bug in cachec; please report it with the spec that caused it"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cachec",
        description="Compile ElastiCache specs into CloudFormation templates.",
    )
    parser.add_argument("--version", action="version", version=f"cachec {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    build = commands.add_parser("build", help="compile, lint and publish versioned templates")
    build.add_argument("specs", nargs="+", metavar="SPEC")
    build.add_argument("--out", default="templates", metavar="DIR",
                       help="output folder (default: templates)")
    build.add_argument("--format", choices=FORMATS, default="yaml")
    build.add_argument("--no-lint", action="store_true", help="skip cfn-lint")
    build.add_argument("--check", action="store_true",
                       help="write nothing; exit 1 if a template is out of date")
    build.add_argument("--allow-replacement", action="store_true",
                       help="publish a version even if deploying it replaces the cache")
    build.add_argument("--strict", action="store_true", help="warnings fail the run (CI)")

    compile_ = commands.add_parser("compile", help="print the template, write nothing")
    compile_.add_argument("spec", metavar="SPEC")
    compile_.add_argument("--format", choices=FORMATS, default="yaml")
    compile_.add_argument("--no-lint", action="store_true", help="skip cfn-lint")

    diff = commands.add_parser(
        "diff", help="compare the latest published version with what each spec builds now"
    )
    diff.add_argument("specs", nargs="+", metavar="SPEC")
    diff.add_argument("--out", default="templates", metavar="DIR",
                      help="folder of published versions (default: templates)")
    diff.add_argument("--format", choices=("text", "json"), default="text")
    diff.add_argument("--exit-code", action="store_true",
                      help="exit 1 when something differs")

    validate = commands.add_parser("validate", help="check specs: schema and semantic rules")
    validate.add_argument("specs", nargs="+", metavar="SPEC")

    schema = commands.add_parser("schema", help="print the spec's JSON Schema")
    schema.add_argument("--format", choices=("json", "markdown"), default="json",
                        help="markdown prints the spec reference (docs/spec-reference.md)")
    return parser


def _report(results: Sequence[Result], stream: TextIO) -> None:
    from .diagnostics import format_diagnostic, sort_key

    for result in results:
        ordered = sorted(result.diagnostics, key=lambda d: sort_key(d, result.marks))
        for diagnostic in ordered:
            print(format_diagnostic(diagnostic, result.filename, result.marks), file=stream)


def _failed(results: Sequence[Result]) -> bool:
    return any(not r.ok for r in results)


def _duplicate_stacks(results: Sequence[Result]) -> list[str]:
    from .diagnostics import error, format_diagnostic

    seen: dict[str, str] = {}
    problems = []
    for r in results:
        if r.spec is None:
            continue
        other = seen.setdefault(r.spec.stack_name, r.filename)
        if other != r.filename:
            clash = error(
                "duplicate-stack",
                ("name",),
                f"{r.spec.stack_name} is also built by {other}; each name-environment "
                "pair needs its own spec",
            )
            problems.append(format_diagnostic(clash, r.filename, r.marks))
    return problems


def _unique(paths: Sequence[str]) -> list[str]:
    """The same spec named twice (a shell glob and a path) is built once."""
    seen: set[str] = set()
    unique = []
    for path in paths:
        key = os.path.realpath(path)
        if key not in seen:
            seen.add(key)
            unique.append(path)
    return unique


def _warned(results: Sequence[Result]) -> bool:
    return any(not d.is_error for r in results for d in r.diagnostics)


def _build(args: argparse.Namespace) -> int:
    import contextlib
    import dataclasses

    from . import diff, publish
    from .api import compile_file

    results = [
        compile_file(s, fmt=args.format, lint=not args.no_lint) for s in _unique(args.specs)
    ]
    # The guard: what deploying each new version does to the published one.
    # An unreadable store is publish's to report (it refuses to write).
    reviews = {}
    for r in results:
        if r.ok:
            with contextlib.suppress(diff.Unreadable):
                reviews[r.filename] = diff.review(
                    r, args.out, allow_replacement=args.allow_replacement
                )
    results = [
        dataclasses.replace(r, diagnostics=[*r.diagnostics, *reviews[r.filename].diagnostics])
        if r.filename in reviews else r
        for r in results
    ]
    _report(results, sys.stderr)
    problems = _duplicate_stacks(results)
    for line in problems:
        print(line, file=sys.stderr)
    strict = args.strict and _warned(results)
    if strict:
        print("cachec: warnings fail the run (--strict)", file=sys.stderr)
    if _failed(results) or problems or strict:
        print("cachec: nothing written", file=sys.stderr)
        return EXIT_FAIL
    try:
        plans = [publish.plan(r, args.out, args.format) for r in results]
        for r, p in zip(results, plans, strict=True):
            if not p.up_to_date and r.filename in reviews:
                diff.record(p.manifest, reviews[r.filename])
        if args.check:
            stale = [p for p in plans if not p.up_to_date]
            for p in stale:
                print(f"{p.folder}: out of date (would write v{p.version})", file=sys.stderr)
            return EXIT_FAIL if stale else EXIT_OK
        for p in plans:
            written = publish.execute(p)
            if written:
                print(f"{p.folder}: wrote v{p.version} ({', '.join(written)})")
            else:
                print(f"{p.folder}: up to date (v{p.version})")
    except publish.PublishError as exc:
        print(f"cachec: error: {exc}", file=sys.stderr)
        return EXIT_FAIL
    return EXIT_OK


def _compile(args: argparse.Namespace) -> int:
    from .api import compile_file

    result = compile_file(args.spec, fmt=args.format, lint=not args.no_lint)
    _report([result], sys.stderr)
    if not result.ok or result.text is None:
        return EXIT_FAIL
    sys.stdout.write(result.text)
    return EXIT_OK


def _diff(args: argparse.Namespace) -> int:
    from . import diff
    from .api import compile_file

    results = [compile_file(s, lint=False) for s in _unique(args.specs)]
    _report([r for r in results if not r.ok], sys.stderr)
    try:
        reviews = [diff.review(r, args.out) for r in results if r.ok]
    except diff.Unreadable as exc:
        print(f"cachec: error: {exc}", file=sys.stderr)
        return EXIT_FAIL
    if args.format == "json":
        reports = [diff.render_json(rv) for rv in reviews]
        sys.stdout.write(json.dumps({"specs": reports}, indent=2, ensure_ascii=False) + "\n")
    else:
        templates = {r.filename: r.template or {} for r in results}
        for rv in reviews:
            sys.stdout.write(diff.render_text(rv, templates[rv.filename]))
    if _failed(results) or any(d.is_error for rv in reviews for d in rv.diagnostics):
        return EXIT_FAIL
    differs = any(rv.changes for rv in reviews)
    return EXIT_FAIL if args.exit_code and differs else EXIT_OK


def _validate(args: argparse.Namespace) -> int:
    from .api import compile_file

    results = [compile_file(s, lint=False) for s in _unique(args.specs)]
    _report(results, sys.stderr)
    for r in results:
        if r.ok:
            print(f"{r.filename}: ok")
    return EXIT_FAIL if _failed(results) else EXIT_OK


def _schema(args: argparse.Namespace) -> int:
    from . import reference
    from .schema import build_schema

    if args.format == "markdown":
        sys.stdout.write(reference.markdown(build_schema()))
    else:
        sys.stdout.write(json.dumps(build_schema(), indent=2, ensure_ascii=False) + "\n")
    return EXIT_OK


_COMMANDS = {
    "build": _build,
    "compile": _compile,
    "diff": _diff,
    "validate": _validate,
    "schema": _schema,
}


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse has printed the usage error
        return EXIT_OK if exc.code == 0 else EXIT_USAGE
    try:
        return _COMMANDS[args.command](args)
    except KeyboardInterrupt:
        print("cachec: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:  # never a traceback for the user
        print(f"cachec: internal error: {type(exc).__name__}: {exc} ({BUG_HINT})",
              file=sys.stderr)
        return EXIT_FAIL


def run() -> None:
    sys.exit(main())


