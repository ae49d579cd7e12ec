"""Spec free text reaches the template as text: never resolved, never substituted."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

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


# Invisible characters the refusal list missed: each a format character (Cf)
# or an invisible filler (Default_Ignorable_Code_Point), and the braille blank.
INVISIBLE = [
    "\u061c",  # ARABIC LETTER MARK
    "\u00ad",  # SOFT HYPHEN
    "\u180e",  # MONGOLIAN VOWEL SEPARATOR
    "\ufff9",  # INTERLINEAR ANNOTATION ANCHOR
    "\U000e0041",  # TAG LATIN CAPITAL LETTER A
    "\U0001d173",  # MUSICAL SYMBOL BEGIN BEAM
    "\u034f",  # COMBINING GRAPHEME JOINER
    "\u115f", "\u1160", "\u3164", "\uffa0",  # Hangul fillers
    "\u180b", "\u180f", "\ufe00", "\ufe0f", "\U000e0100", "\U000e01ef",  # variation selectors
    "\u17b4",  # KHMER VOWEL INHERENT AQ
    "\u2800",  # BRAILLE PATTERN BLANK
    "\u200b", "\u202e", "\ufeff",  # refused before, still refused
]


def _spec(description: str, tag_key: str = "Team") -> str:
    return (
        f"cachec: 1\nname: orders\nenvironment: dev\ndescription: \"{description}\"\n"
        f"tags:\n  {tag_key}: payments\n"
    )


@pytest.mark.parametrize("char", INVISIBLE, ids=lambda c: f"U+{ord(c):04X}")
def test_invisible_characters_are_refused_in_values_and_keys(char: str) -> None:
    result = compile_text(_spec(f"a{char}b", f"Team{char}"), "spec.yaml", lint=False)
    found = {(d.kind, d.path, d.on_key) for d in result.diagnostics}
    assert found == {
        ("control-character", ("description",), False),
        ("control-character", ("tags", f"Team{char}"), True),
    }
    message = next(d.message for d in result.diagnostics if d.path == ("description",))
    assert f"U+{ord(char):04X}" in message


@pytest.mark.parametrize(
    "text", ["Caché de sesiones", "注文キャッシュ", "Ünïcödé — “quoted”", "🚀"]
)
def test_visible_text_in_any_script_is_accepted(text: str) -> None:
    result = compile_text(_spec(text), "spec.yaml", lint=False)
    assert result.ok, result.diagnostics


def test_a_refused_character_in_a_key_is_escaped_in_the_message_path() -> None:
    from compiler.diagnostics import format_path

    assert format_path(("tags", "Team\u3164")) == 'tags["Team\\u3164"]'
    assert format_path(("tags", "A\U000e0041")) == 'tags["A\\U000e0041"]'
    assert format_path(("tags", "Équipe")) == 'tags["Équipe"]'
