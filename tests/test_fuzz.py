"""Hostile and random inputs: cachec reports, it never crashes.

Property tests over (1) arbitrary text, (2) the example specs with any value
replaced by any YAML value, (3) arbitrary keys added. Each run must end in
diagnostics or a template, never an exception, and every diagnostic must be
locatable in the text it came from.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from compiler.api import compile_text
from compiler.diagnostics import Mark, format_diagnostic
from compiler.input.load import yaml_lines

ROOT = Path(__file__).parent.parent
BASE = yaml.safe_load((ROOT / "specs" / "prod.yaml").read_text())

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-(2**70), 2**70),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=40),
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner,
                                                                max_size=4),
    max_leaves=12,
)


def leaf_paths(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    paths = [prefix] if prefix else []
    if isinstance(data, dict):
        for key, value in data.items():
            paths += leaf_paths(value, (*prefix, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            paths += leaf_paths(value, (*prefix, index))
    return paths


PATHS = leaf_paths(BASE)


def assert_inside(mark: Mark, text: str) -> None:
    """The mark names a character of `text`, or the spot just after a line's
    last character (where a missing value or the end of the file is)."""
    # Lines as PyYAML counts them; text ending in a line break has one more,
    # empty, line: the end-of-file mark sits at its column 1.
    lines = yaml_lines(text)
    assert 1 <= mark.line <= len(lines), f"line {mark.line} of {len(lines)}"
    assert 1 <= mark.column <= len(lines[mark.line - 1]) + 1, (
        f"column {mark.column} of line {mark.line} ({lines[mark.line - 1]!r})"
    )


def check(text: str) -> None:
    result = compile_text(text, "fuzz.yaml", lint=False)
    for diagnostic in result.diagnostics:
        mark = diagnostic.mark or result.marks.find(diagnostic.path, on_key=diagnostic.on_key)
        assert_inside(mark, text)
        line = format_diagnostic(diagnostic, "fuzz.yaml", result.marks)
        assert line.startswith(f"fuzz.yaml:{mark.line}:{mark.column}: ")
        assert line.endswith(f"[{diagnostic.kind}]")
    if result.ok:
        assert result.text is not None and "AWSTemplateFormatVersion" in result.text


def test_a_mark_outside_the_text_is_caught() -> None:
    # The check above must be able to fail: a mark past the last line or the
    # end of a line is refused (before, any line number passed).
    text = "cachec: 1\nname: orders\n"
    assert_inside(Mark(3, 1), text)  # the end-of-file mark
    for outside in (Mark(1_000_000, 1), Mark(4, 1), Mark(1, 11), Mark(0, 1), Mark(2, 0)):
        with pytest.raises(AssertionError):
            assert_inside(outside, text)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=300))
# Line breaks PyYAML counts but str.count("\\n") does not, before a refused character.
@example("a: 1\rb: \x00")
@example("a: 1\u2028b:\x85 \x01")
@example("cachec: 1\nname orders\nenvironment: dev")
def test_any_text(text: str) -> None:
    check(text)


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(PATHS), values)
def test_any_value_anywhere(path: tuple[Any, ...], value: Any) -> None:
    data = copy.deepcopy(BASE)
    target = data
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    check(yaml.safe_dump(data, allow_unicode=True))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from([p for p in PATHS if isinstance(p[-1], str)]), st.text(max_size=20),
       values)
def test_any_extra_key(path: tuple[Any, ...], key: str, value: Any) -> None:
    data = copy.deepcopy(BASE)
    target = data
    for part in path[:-1]:
        target = target[part]
    if isinstance(target, dict):
        target[key] = value
    check(yaml.safe_dump(data, allow_unicode=True))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(PATHS), values), min_size=2, max_size=4))
def test_several_values_anywhere(changes: list[tuple[tuple[Any, ...], Any]]) -> None:
    """Several sections broken at once: the rules run on the valid rest
    (valid_parts.py), whatever shape the broken ones were left in."""
    data = copy.deepcopy(BASE)
    for path, value in changes:
        target = data
        for part in path[:-1]:
            if not isinstance(target, dict | list):
                break
            try:
                target = target[part]
            except (KeyError, IndexError, TypeError):
                break
        else:
            if isinstance(target, dict) or (
                isinstance(target, list) and isinstance(path[-1], int)
                and path[-1] < len(target)
            ):
                target[path[-1]] = value
    check(yaml.safe_dump(data, allow_unicode=True))
