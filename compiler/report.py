"""Reporters: what a command found, as data in, text out, chosen by name.

The commands return results (pipeline.Result, diff.Review) and say nothing;
the CLI picks a reporter by the name the user gave (`--format`) and writes
what it returns. A new output format (SARIF, GitHub annotations) is a new
entry in a table here, not a new branch in the CLI. Reporters import the
modules they render lazily: the CLI reads the tables' names while it parses
its arguments, before any stage is loaded.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .diff import Review
    from .pipeline import Result


def diagnostic_lines(results: Sequence[Result]) -> Iterator[str]:
    """`FILE:LINE:COL: error: <path>: <message>`, each spec's in the order of
    its text, specs in the order given."""
    from .diagnostics import format_diagnostic, sort_key

    for result in results:
        ordered = sorted(result.diagnostics, key=lambda d: sort_key(d, result.marks))
        for diagnostic in ordered:
            yield format_diagnostic(diagnostic, result.filename, result.marks)


def _reviews_text(reviews: Sequence[Review], results: Sequence[Result]) -> str:
    """Each spec's changes in words, against the template it compiled to."""
    from .diff import render_text

    compiled = {r.filename: r for r in results}
    return "".join(render_text(rv, compiled[rv.filename].template or {}) for rv in reviews)


def _reviews_json(reviews: Sequence[Review], results: Sequence[Result]) -> str:
    from .diff import render_json

    reports = [render_json(rv) for rv in reviews]
    return json.dumps({"specs": reports}, indent=2, ensure_ascii=False) + "\n"


ReviewReporter = Callable[[Sequence["Review"], Sequence["Result"]], str]

# `cachec diff --format NAME`
REVIEW_REPORTERS: dict[str, ReviewReporter] = {
    "text": _reviews_text,
    "json": _reviews_json,
}
