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
    from . import diff, publish
    from .api import Result

EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2
BUG_HINT = "this is a bug in cachec; please report it with the spec that caused it"


def _out_dir(value: str) -> str:
    """--out names a folder: "" (the current folder by accident) and a file are usage errors."""
    if not value.strip():
        raise argparse.ArgumentTypeError("must name a folder, not be empty")
    if os.path.exists(value) and not os.path.isdir(value):
        raise argparse.ArgumentTypeError(f"{value} is a file, not a folder")
    return value


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cachec",
        description="Compile ElastiCache specs into CloudFormation templates.",
    )
    parser.add_argument("--version", action="version", version=f"cachec {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    build = commands.add_parser("build", help="compile, lint and publish versioned templates")
    build.add_argument("specs", nargs="+", metavar="SPEC")
    build.add_argument("--out", default="templates", metavar="DIR", type=_out_dir,
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
    from .api import compile_file

    results = [
        compile_file(s, fmt=args.format, lint=not args.no_lint) for s in _unique(args.specs)
    ]
    problems = _duplicate_stacks(results)
    if _failed(results) or problems:
        _report(results, sys.stderr)
        for line in problems:
            print(line, file=sys.stderr)
        print("cachec: nothing written", file=sys.stderr)
        return EXIT_FAIL
    return _publish(results, args)


def _with_review(results: Sequence[Result], reviews: dict[str, diff.Review]) -> list[Result]:
    """Each result with what its change to the published version adds (the
    guard's refusals, the update-path findings)."""
    import dataclasses

    return [
        dataclasses.replace(r, diagnostics=[*r.diagnostics, *reviews[r.filename].diagnostics])
        if r.filename in reviews else r
        for r in results
    ]


def _publish(results: Sequence[Result], args: argparse.Namespace) -> int:
    """Under the stores' locks: review each change against the verified latest
    version (the guard), then plan, then check or commit, all or nothing."""
    from . import diff, publish

    def waiting(folder: str) -> None:
        print(f"cachec: waiting for another build of {folder} (up to {publish.LOCK_WAIT:g} s)",
              file=sys.stderr)

    by_stack = {r.spec.stack_name: r for r in results if r.spec is not None}
    reported = False
    try:
        with publish.Session(args.out, by_stack, write=not args.check,
                             on_wait=waiting) as session:
            stores = session.stores()
            reviews = {
                r.filename: diff.review(r, stores[s], allow_replacement=args.allow_replacement)
                for s, r in by_stack.items()
            }
            results = _with_review(results, reviews)
            _report(results, sys.stderr)
            reported = True
            strict = args.strict and _warned(results)
            if strict:
                print("cachec: warnings fail the run (--strict)", file=sys.stderr)
            if _failed(results) or strict:
                print("cachec: nothing written", file=sys.stderr)
                return EXIT_FAIL
            if not args.check:
                for note in session.recover(stores.values()):
                    print(f"cachec: {note}", file=sys.stderr)
            plans = [
                publish.plan(r, stores[s], args.format, diff.records(reviews[r.filename]))
                for s, r in by_stack.items()
            ]
            if args.check:
                return _check(plans)
            written = session.commit(plans)
    except publish.PublishError as exc:
        if not reported:
            _report(results, sys.stderr)
        for problem in exc.problems:
            print(f"cachec: error: {problem}", file=sys.stderr)
        return EXIT_FAIL
    for p in plans:
        if p.store.legacy:
            print(f"{p.folder}: recorded the SHA-256 of every published file in "
                  f"{publish.MANIFEST} (its manifest was written by an older cachec)")
        if p.files:
            print(f"{p.folder}: wrote v{p.version} ({', '.join(written[p.folder])})")
        else:
            print(f"{p.folder}: up to date (v{p.version})")
    return EXIT_OK


def _check(plans: Sequence[publish.Plan]) -> int:
    from .publish import MANIFEST

    stale = False
    for p in plans:
        for name in p.store.leftovers:
            print(f"cachec: {p.folder}/{name}: left uncommitted by an interrupted build "
                  "(the next build removes it)", file=sys.stderr)
        if p.files:
            print(f"{p.folder}: out of date (would write v{p.version})", file=sys.stderr)
        elif p.store.legacy:
            print(f"{os.path.join(p.folder, MANIFEST)}: records no file hashes "
                  "(written by an older cachec): run `cachec build` once to record them",
                  file=sys.stderr)
        stale = stale or p.writes
    return EXIT_FAIL if stale else EXIT_OK


def _compile(args: argparse.Namespace) -> int:
    from .api import compile_file

    result = compile_file(args.spec, fmt=args.format, lint=not args.no_lint)
    _report([result], sys.stderr)
    if not result.ok or result.text is None:
        return EXIT_FAIL
    sys.stdout.write(result.text)
    return EXIT_OK


def _diff(args: argparse.Namespace) -> int:
    from . import diff, publish
    from .api import compile_file

    results = [compile_file(s, lint=False) for s in _unique(args.specs)]
    _report([r for r in results if not r.ok], sys.stderr)
    ok = {r.spec.stack_name: r for r in results if r.ok and r.spec is not None}
    try:
        # Shared locks: never a store half-way through another build's commit.
        with publish.Session(args.out, ok, write=False) as session:
            stores = session.stores()
            reviews = [diff.review(r, stores[s]) for s, r in ok.items()]
    except publish.PublishError as exc:
        for problem in exc.problems:
            print(f"cachec: error: {problem}", file=sys.stderr)
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
    from .schema import schema_bytes, spec_schema

    if args.format == "markdown":
        sys.stdout.write(reference.markdown(spec_schema()))
    else:
        sys.stdout.write(schema_bytes().decode("utf-8"))
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


