"""Spec free text reaches the template as text: never resolved, never substituted."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from compiler.api import compile_text

MARKER = "${AWS::AccountId} {{marker}}"
SPEC = f"""\
cachec: 1
name: orders
environment: dev
description: "{MARKER}"
tags:
  Project: orders
monitoring:
  dashboard: true
"""


def sub_strings(node: Any) -> Iterator[str]:
    """The template string of every Fn::Sub in a template."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "Fn::Sub":
                yield value if isinstance(value, str) else value[0]
            else:
                yield from sub_strings(value)
    elif isinstance(node, list):
        for item in node:
            yield from sub_strings(item)


def test_description_never_reaches_a_sub_template() -> None:
    # In an Fn::Sub string, ${AWS::AccountId} would be substituted (and an
    # unknown ${Name} would fail the deploy); cachec never puts user text there.
    result = compile_text(SPEC, "spec.yaml", lint=False)
    assert result.ok and result.template is not None, result.diagnostics
    subs = list(sub_strings(result.template))
    assert subs, "the template has Fn::Sub strings to check"
    assert not [s for s in subs if "AccountId} {{marker" in s]
    assert MARKER in result.template["Description"]
