"""The Parameters as data (template/declared.py) are the template's Parameters.

The StackSet override checks read `declared(spec)` instead of the template
(so `cachec validate` needs no synthesis); synthesis writes the same list.
Held both ways: each golden template's Parameters and Rules are exactly the
declared ones, in order, and no synthesizer makes a Parameter of its own.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from compiler.pipeline import compile_text
from compiler.template.declared import declared

ROOT = Path(__file__).parent.parent
CASES = sorted(p.parent.name for p in (ROOT / "tests" / "golden").glob("*/spec.yaml"))


@pytest.mark.parametrize("case", CASES)
def test_the_template_declares_what_declared_says(case: str) -> None:
    text = (ROOT / "tests" / "golden" / case / "spec.yaml").read_text(encoding="utf-8")
    result = compile_text(text, f"{case}.yaml", lint=False)
    assert result.ok and result.spec is not None and result.template is not None
    template = result.template
    declarations = declared(result.spec)
    assert list(template.get("Parameters", {}).items()) == list(declarations.section().items())
    assert tuple(template.get("Rules", {})) == declarations.rules


def test_only_one_synthesizer_makes_parameters() -> None:
    """A Parameter made anywhere else in synthesis would be one the override
    checks do not know."""
    makers = []
    for path in sorted((ROOT / "compiler" / "synthesize").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            called = node.func if isinstance(node, ast.Call) else None
            name = getattr(called, "id", None) or getattr(called, "attr", None)
            if name in ("Parameter", "add_parameter") and path.name not in (
                "parameters.py", "provenance.py"
            ):
                makers.append(f"{path.name}:{node.lineno}")
    assert not makers, makers
