"""The command line: the only module that prints or exits.

Exit codes: 0 ok, 1 invalid spec / lint error / internal error, 2 usage
error, 3 changes pending (`build --check`: out of date; `diff --exit-code`:
something differs).
"""

from __future__ import annotations

import argparse
import errno
import gc
import os
import re
import sys
from collections.abc import Callable, Iterable, Sequence
from typing import TextIO

from . import FORMATS, __version__
from .report import (
    BUILD_REPORTERS,
    REVIEW_REPORTERS,
    VALIDATE_REPORTERS,
    BuildReport,
    diagnostic_lines,
    error_lines,
    shown,
    validate_exit_code,
)

# What `cachec init` offers, without importing it (it loads the schema).
PRESETS = ("dev", "production", "cluster", "serverless", "iam", "stackset")
DEFAULT_INIT_PATH = "cache.yaml"

# The pipeline is imported by the commands that run it, so `cachec --help`
# and usage errors answer without loading troposphere, jsonschema or YAML.

EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2
BUG_HINT = "this is a bug in cachec; please report it with the spec that caused it"


def _out_dir(value: str) -> str:
    """--out names a folder: "" (the current folder by accident) and a file are usage errors."""
    if not value.strip():
        raise argparse.ArgumentTypeError("must name a folder, not be empty")
    if os.path.exists(value) and not os.path.isdir(value):
        raise argparse.ArgumentTypeError(f"{value} is a file, not a folder")
    return value


def _jobs(value: str) -> int:
    try:
        jobs = int(value)
    except ValueError:
        jobs = 0
    if jobs < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 1, not {value!r}")
    return jobs


def _regions(value: str) -> tuple[str, ...]:
    """--regions us-east-1,eu-west-1: the regions the schema knows, in order, once each."""
    from .input.schema import spec_schema

    known = spec_schema()["definitions"]["region"]["enum"]
    regions = tuple(dict.fromkeys(r.strip() for r in value.split(",") if r.strip()))
    unknown = [r for r in regions if r not in known]
    if not regions or unknown:
        raise argparse.ArgumentTypeError(
            f"{', '.join(unknown) or 'no region'}: expected AWS Region codes such as "
            "us-east-1,eu-west-1"
        )
    return regions


_REGIONS_HELP = ("lint in these regions (comma-separated) for specs without "
                 "stack.stackset, whose regions are used instead (default: us-east-1)")


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
    build.add_argument("--strict", action="store_true",
                       help="warnings the spec does not accept fail the run (CI)")
    build.add_argument("--report", choices=tuple(BUILD_REPORTERS), default="text",
                       help="how to report: text, json, sarif (code scanning) or github "
                       "(workflow annotations), on standard output")
    build.add_argument("--jobs", "-j", type=_jobs, default=None, metavar="N",
                       help="compile on N processes (default: the cores available); the "
                       "output is the same for any N")
    build.add_argument("--regions", type=_regions, metavar="R,...", help=_REGIONS_HELP)

    compile_ = commands.add_parser("compile", help="print the template, write nothing")
    compile_.add_argument("spec", metavar="SPEC")
    compile_.add_argument("--format", choices=FORMATS, default="yaml")
    compile_.add_argument("--no-lint", action="store_true", help="skip cfn-lint")
    compile_.add_argument("--regions", type=_regions, metavar="R,...", help=_REGIONS_HELP)

    diff = commands.add_parser(
        "diff", help="compare the latest published version with what each spec builds now"
    )
    diff.add_argument("specs", nargs="+", metavar="SPEC")
    diff.add_argument("--out", default="templates", metavar="DIR", type=_out_dir,
                      help="folder of published versions (default: templates)")
    diff.add_argument("--format", "--report", dest="format", choices=tuple(REVIEW_REPORTERS),
                      default="text")
    diff.add_argument("--exit-code", action="store_true",
                      help="exit 3 when something differs")
    diff.add_argument("--deployed", metavar="FILE",
                      help="compare with the deployed template instead of the latest published "
                      "version: what aws cloudformation get-template (or describe-stack-set) "
                      "printed, or the template; one SPEC; a change that replaces the cache "
                      "is an error")
    diff.add_argument("--allow-replacement", action="store_true",
                      help="with --deployed: report a change that replaces the cache without "
                      "failing")

    validate = commands.add_parser("validate", help="check specs: schema and semantic rules")
    validate.add_argument("specs", nargs="+", metavar="SPEC")
    validate.add_argument("--format", "--report", dest="format",
                          choices=tuple(VALIDATE_REPORTERS), default="text",
                          help="text, json, sarif (code scanning) or github (annotations)")
    validate.add_argument("--strict", action="store_true",
                          help="warnings the spec does not accept fail the run (CI)")

    init = commands.add_parser(
        "init", help="write a commented starter spec (and the schema editors complete it with)"
    )
    init.add_argument("path", nargs="?", default=DEFAULT_INIT_PATH, metavar="PATH",
                      help=f"the spec file to create (default: {DEFAULT_INIT_PATH}); "
                      "never overwritten")
    init.add_argument("--preset", choices=PRESETS, default="dev",
                      help="what kind of cache to start from (default: dev)")
    init.add_argument("--name", help="the cache's name (default: the file name, if valid)")

    explain = commands.add_parser(
        "explain", help="why a diagnostic kind exists, the fix, the AWS source, an example"
    )
    explain.add_argument("kind", metavar="KIND",
                         help="a kind as printed in brackets after a message, e.g. "
                         "multi-az-needs-replicas")

    import_ = commands.add_parser(
        "import", help="write a spec that adopts a running cache (from aws elasticache "
        "describe-* output; docs/adopting.md)")
    import_.add_argument("files", nargs="+", metavar="FILE",
                         help="what the AWS CLI printed: describe-replication-groups and "
                         "describe-cache-clusters --show-cache-node-info, or "
                         "describe-serverless-caches; describe-cache-parameters, "
                         "describe-user-groups, describe-users where the cache uses them")
    import_.add_argument("--name", required=True, help="the spec's name")
    import_.add_argument("--environment", required=True, help="the spec's environment")
    import_.add_argument("-o", "--output", metavar="SPEC",
                         help="the spec file to create (never overwritten); default: stdout")

    schema = commands.add_parser("schema", help="print the spec's JSON Schema")
    schema.add_argument("--format", choices=("json", "markdown", "rules"), default="json",
                        help="markdown prints the spec reference (docs/spec-reference.md), "
                        "rules every diagnostic kind (docs/rules.md)")
    return parser


# A diagnostic's severity word, after FILE:LINE:COL: (the file name is
# printed escaped, so it holds no line break or ESC of its own).
_SEVERITY = re.compile(r"^(.*?:\d+:\d+: )(error|warning)(: )")
_COLOURS = {"error": "\033[1;31m", "warning": "\033[1;33m"}


def _coloured(stream: TextIO) -> bool:
    """Colour on a terminal only, and never with NO_COLOR set (https://no-color.org)."""
    if os.environ.get("NO_COLOR"):
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _painted(line: str) -> str:
    """The severity of a diagnostic line in colour, an accepted warning's reason dimmed."""
    line = _SEVERITY.sub(lambda m: f"{m[1]}{_COLOURS[m[2]]}{m[2]}\033[0m{m[3]}", line, count=1)
    return re.sub(r"( \(accepted: .*\))$", "\033[2m\\1\033[0m", line)


def _to_stderr(lines: Iterable[str]) -> None:
    colour = _coloured(sys.stderr)
    for line in lines:
        print(_painted(line) if colour else line, file=sys.stderr)


class _StdoutFailed(Exception):
    """Standard output cannot be written (closed, a full disk, an I/O error)."""


def _write(text: str) -> None:
    """Everything cachec prints on stdout goes through here: a write that
    fails is the user's problem to fix (`> /dev/full`), not a cachec bug."""
    try:
        sys.stdout.write(text)
    except BrokenPipeError:
        raise
    except (OSError, ValueError) as exc:  # ValueError: written after it was closed
        raise _StdoutFailed(getattr(exc, "strerror", None) or str(exc)) from exc


def _say(line: str) -> None:
    _write(line + "\n")


def _flush_stdout() -> None:
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        raise
    except (OSError, ValueError) as exc:
        raise _StdoutFailed(getattr(exc, "strerror", None) or str(exc)) from exc


def _build(args: argparse.Namespace) -> int:
    from . import api
    from .store.publish import LOCK_WAIT

    def waiting(folder: str) -> None:
        print(f"cachec: waiting for another build of {shown(folder)} (up to {LOCK_WAIT:g} s)",
              file=sys.stderr)

    from .batch import available_cores

    command = api.plan if args.check else api.build
    result = command(args.specs, out=args.out, fmt=args.format, lint=not args.no_lint,
                     allow_replacement=args.allow_replacement, strict=args.strict,
                     on_wait=waiting, jobs=args.jobs or available_cores(),
                     on_progress=_progress_bar(sys.stderr), regions=args.regions)
    if not _written_report(BUILD_REPORTERS[args.report](result)):
        return EXIT_FAIL
    return result.exit_code


def _written_report(report: BuildReport, *, recorded: bool = True) -> bool:
    """`before` on stderr, `output` on stdout, `after` on stderr; False when
    stdout failed (what a build did is then said on stderr)."""
    _to_stderr(report.before)
    try:
        for line in report.output:
            _say(line)
        _flush_stdout()
    except _StdoutFailed as exc:
        if not recorded:
            raise
        _to_stderr(report.unreported(str(exc)))
        return False
    _to_stderr(report.after)
    if _coloured(sys.stderr):
        _to_stderr(report.summary)
    return True


# A build of this many specs or more reports its progress (fewer finish in a
# few seconds).
PROGRESS_MIN_SPECS = 10


def _progress_bar(stream: TextIO) -> Callable[[int, int], None]:
    """Specs done: on a terminal a bar rewritten in place and erased at the
    end; otherwise (a CI log) a plain line at each tenth. The same lines for
    any --jobs: specs are counted when done, compiled and linted."""
    tty = stream.isatty()

    def show(done: int, total: int) -> None:
        if total < PROGRESS_MIN_SPECS:
            return
        if tty:
            filled = done * 20 // total
            end = "\r\033[K" if done == total else ""
            stream.write(f"\rcachec: [{'#' * filled}{'.' * (20 - filled)}] {done}/{total} "
                         f"specs{end}")
        elif done * 10 // total > (done - 1) * 10 // total:
            stream.write(f"cachec: {done}/{total} specs done\n")
        stream.flush()

    return show


def _compile(args: argparse.Namespace) -> int:
    from . import pipeline  # not api: compile and validate never touch a version store

    result = pipeline.compile_file(args.spec, fmt=args.format, lint=not args.no_lint,
                                   regions=args.regions)
    _to_stderr(diagnostic_lines([result]))
    text = result.text
    if not result.ok or text is None:
        return EXIT_FAIL
    _write(text)
    return EXIT_OK


def _diff(args: argparse.Namespace) -> int:
    from . import api

    if args.deployed is not None and len(args.specs) != 1:
        print("cachec diff: error: --deployed compares one SPEC with one deployed template",
              file=sys.stderr)
        return EXIT_USAGE
    if args.allow_replacement and args.deployed is None:
        print("cachec diff: error: --allow-replacement goes with --deployed (diff against the "
              "store reports replacements without failing)", file=sys.stderr)
        return EXIT_USAGE
    result = api.diff(args.specs, out=args.out, fail_if_differs=args.exit_code,
                      deployed=args.deployed, allow_replacement=args.allow_replacement)
    _to_stderr(diagnostic_lines([r for r in result.results if not r.ok]))
    if result.deployed is not None and result.deployed.diagnostics:
        _to_stderr(diagnostic_lines([result.deployed]))
    if result.errors:
        _to_stderr(error_lines(result.errors))
    elif result.deployed is not None and not result.reviews:
        pass  # the spec or FILE failed: their diagnostics say why, no report
    else:
        _write(REVIEW_REPORTERS[args.format](result.reviews, result.results))
    return result.exit_code


def _validate(args: argparse.Namespace) -> int:
    from . import pipeline

    results = pipeline.compile_files(args.specs, lint=False, judge_only=True)
    # validate writes nothing: a failing stdout is main's plain error.
    _written_report(VALIDATE_REPORTERS[args.format](results, args.strict), recorded=False)
    return validate_exit_code(results, args.strict)


def _init(args: argparse.Namespace) -> int:
    from pathlib import Path

    from . import starters

    try:
        written = starters.init(Path(args.path), args.preset, args.name)
    except (starters.InitError, OSError) as exc:
        reason = exc if isinstance(exc, starters.InitError) else (exc.strerror or exc)
        print(f"cachec init: error: {reason}", file=sys.stderr)
        return EXIT_FAIL
    _say(f"wrote {written.spec} (preset {args.preset})")
    if written.schema_written:
        _say(f"wrote {written.schema} (the JSON Schema the spec's first line names: editors "
             "complete and check the spec with it)")
    elif written.schema_differs:
        print(f"cachec init: note: {written.schema} is not this cachec's schema; refresh it "
              f"with: cachec schema > {written.schema}", file=sys.stderr)
    _say(f"next: cachec validate {written.spec} && cachec build {written.spec}")
    return EXIT_OK


def _explain(args: argparse.Namespace) -> int:
    from . import explain

    try:
        kind = explain.find(args.kind)
    except explain.UnknownKind as exc:
        hint = (f"; did you mean {' or '.join(exc.suggestions)}?" if exc.suggestions
                else "; `cachec schema --format rules` lists every kind")
        print(f"cachec explain: error: no diagnostic kind {exc.name!r}{hint}", file=sys.stderr)
        return EXIT_USAGE
    _write(explain.explain(kind))
    return EXIT_OK


def _import(args: argparse.Namespace) -> int:
    from . import api

    imported = api.import_cache(args.files, args.name, args.environment,
                                args.output or "<stdout>")
    _to_stderr(diagnostic_lines(imported.inputs))
    if imported.result is not None:
        _to_stderr(diagnostic_lines([imported.result]))
    if imported.text is None:
        print("cachec import: no spec written", file=sys.stderr)
        return EXIT_FAIL
    if args.output is None:
        _write(imported.text)
        return EXIT_OK
    try:
        # O_EXCL: never replace a file, not even one created meanwhile.
        fd = os.open(args.output, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(imported.text)
    except FileExistsError:
        print(f"cachec import: error: {shown(args.output)} exists: cachec import never "
              "overwrites a file; no spec written", file=sys.stderr)
        return EXIT_FAIL
    except OSError as exc:
        print(f"cachec import: error: {shown(args.output)}: {exc.strerror or exc}",
              file=sys.stderr)
        return EXIT_FAIL
    _say(f"wrote {args.output}; next: cachec build {args.output}, then its v1.DEPLOY.md")
    return EXIT_OK


def _schema(args: argparse.Namespace) -> int:
    from .input import reference
    from .input.schema import schema_bytes, spec_schema

    if args.format == "markdown":
        _write(reference.markdown(spec_schema()))
    elif args.format == "rules":
        from . import rules_reference

        _write(rules_reference.markdown())
    else:
        _write(schema_bytes().decode("utf-8"))
    return EXIT_OK


_COMMANDS = {
    "build": _build,
    "compile": _compile,
    "diff": _diff,
    "validate": _validate,
    "init": _init,
    "explain": _explain,
    "import": _import,
    "schema": _schema,
}


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse has printed the usage error
        return EXIT_OK if exc.code == 0 else EXIT_USAGE
    if sys.stdout is None:  # started with stdout closed (`>&-`): do nothing at all
        print("cachec: error: cannot write to standard output: it is closed", file=sys.stderr)
        return EXIT_FAIL
    try:
        code = _COMMANDS[args.command](args)
        _flush_stdout()  # a full disk shows at the flush: report it here, not at exit
        return code
    except _StdoutFailed as exc:
        print(f"cachec: error: cannot write to standard output: {exc}", file=sys.stderr)
        return EXIT_FAIL
    except KeyboardInterrupt:
        print("cachec: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except OSError as exc:
        if exc.errno != errno.EMFILE:
            return _internal_error(exc)
        print(f"cachec: error: {_too_many_open_files(exc)}", file=sys.stderr)
        return EXIT_FAIL
    except Exception as exc:  # never a traceback for the user
        return _internal_error(exc)


def _internal_error(exc: Exception) -> int:
    print(f"cachec: internal error: {type(exc).__name__}: {exc} ({BUG_HINT})", file=sys.stderr)
    return EXIT_FAIL


def _too_many_open_files(exc: OSError) -> str:
    """EMFILE: the process's own limit (RLIMIT_NOFILE), which the user sets."""
    import resource

    limit = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    shown = "unlimited" if limit == resource.RLIM_INFINITY else str(limit)
    opening = f" opening {exc.filename}" if exc.filename else ""
    return (f"too many open files (ulimit -n is {shown}){opening}: raise the limit "
            "(ulimit -n 1024) or build on fewer processes (--jobs 1)")


# The youngest generation is collected every 10,000 net allocations instead
# of 700: a build allocates many short-lived objects and few cycles, and
# each collection before cfn-lint's heap was frozen walked all of it.
_GC_THRESHOLDS = (10_000, 10, 10)


def run() -> None:
    """The `cachec` command: main(), then out without the interpreter's
    teardown (~250 ms of freeing what the OS frees at once), once the output
    is flushed. Only here: code that calls main() keeps its interpreter."""
    gc.set_threshold(*_GC_THRESHOLDS)
    code = main()
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except OSError:  # the reader left (`cachec compile | head`), or main said why
            pass
    os._exit(code)


