"""The rules registry dispatches on the deployment shape; the rules do not."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from compiler import rules
from compiler.diagnostics import Diagnostic
from compiler.input.load import load
from compiler.input.model import ReplicationGroup, Spec
from compiler.input.normalize import normalize

GOLDEN = Path(__file__).parent / "golden"


def _spec(case: str) -> Spec:
    loaded, _ = load((GOLDEN / case / "spec.yaml").read_text(encoding="utf-8"))
    assert loaded is not None
    return normalize(loaded.data)


def test_a_shape_rule_runs_only_on_its_shape_and_gets_its_model() -> None:
    seen: list[ReplicationGroup] = []

    def check(spec: Spec, rg: ReplicationGroup) -> Iterator[Diagnostic]:
        seen.append(rg)
        yield from ()

    registered = rules.rg_only(check)
    node_based, serverless = _spec("dev-minimal"), _spec("serverless-valkey")
    assert list(registered(serverless)) == [] and seen == []
    assert list(registered(node_based)) == [] and seen == [node_based.deployment]
    # The rules page and its tests know a rule by the check's own module and name.
    assert (registered.__module__, registered.__name__) == (__name__, "check")


def _shape_tests(function: ast.FunctionDef) -> list[str]:
    """Statements by which a rule opens with a test of the shape itself (a
    rule about every shape may still tell them apart further down)."""
    opening = function.body[:3]
    return [
        ast.unparse(node) for node in opening
        if isinstance(node, ast.If) and ast.unparse(node.test) in (
            "rg is None", "_serverless(spec) is None", "sls is None",
        ) and ast.unparse(node.body[0]) == "return"
    ]


def test_no_rule_returns_early_on_the_other_shape() -> None:
    """`if rg is None: return` at the top of a rule is the registry's job
    (rg_only, serverless_only), written once instead of in every rule."""
    found = []
    for path in sorted((Path(rules.__file__).parent).glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and _shape_tests(node):
                found.append(f"{path.name}:{node.name}")
    assert not found, found
