"""The import rules of docs/architecture.md, held to the code.

Every `import` in compiler/ is read from the source (module level and inside
functions alike: a late import is still a dependency) and checked against
the rules below. A change that makes a stage reach what the architecture
forbids fails here, with the module and the import named.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).parent.parent / "compiler"


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _imports(module: str) -> Iterator[str]:
    """Every module (ours or not) that `module` imports, by its full name: for
    `from . import x`, the submodule x where there is one, else the package."""
    path = MODULES[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                source = ".".join([*base, *([node.module] if node.module else [])])
            else:
                source = node.module or ""
            for alias in node.names:
                child = f"{source}.{alias.name}"
                yield child if child in MODULES else source


def _ours(module: str) -> set[str]:
    return {m for m in _imports(module) if m in MODULES and m != module}


def _within(module: str, *places: str) -> bool:
    return any(module == p or module.startswith(p + ".") for p in places)


def test_the_import_reader_sees_the_package() -> None:
    """The reader itself works: a rule that reads no imports would pass anything."""
    assert "compiler.vocabulary.names" in _ours("compiler.template.render")
    assert "compiler.synthesize" in _ours("compiler.pipeline")
    assert "troposphere" in set(_imports("compiler.synthesize.tags"))


@pytest.mark.parametrize("module", sorted(m for m in MODULES
                                          if _within(m, "compiler.vocabulary", "compiler.kinds")))
def test_the_ground_floor_imports_nothing_of_ours(module: str) -> None:
    """Logical ids, Output and resource names and the diagnostic kinds are the
    house's vocabulary: every stage may use them because they use no stage."""
    assert _ours(module) <= {"compiler.vocabulary"}, _ours(module)


@pytest.mark.parametrize("module", sorted(MODULES))
def test_only_the_pipeline_calls_synthesis(module: str) -> None:
    """Synthesis is a stage the pipeline runs, not a library of names: whoever
    else imports it loads troposphere and every synthesizer for nothing."""
    if _within(module, "compiler.synthesize") or module == "compiler.pipeline":
        return
    synthesizers = {m for m in _ours(module) if _within(m, "compiler.synthesize")}
    assert not synthesizers, f"{module} imports {sorted(synthesizers)}"


# Third-party packages that only some stages may load: `cachec validate`
# answers without troposphere or cfn-lint's ~0.3 s of imports, and the
# template library is the synthesizers' business.
_THIRD_PARTY = {
    "troposphere": ("compiler.synthesize",),
    "awacs": ("compiler.synthesize", "compiler.deploy.deploy_policy"),
    "cfnlint": ("compiler.template.lint", "compiler.catalog.create_only",
                "compiler.deploy.deploy_policy"),
}


@pytest.mark.parametrize("module", sorted(MODULES))
def test_third_party_stays_in_its_stage(module: str) -> None:
    for imported in _imports(module):
        top = imported.split(".")[0]
        if top in _THIRD_PARTY:
            assert _within(module, *_THIRD_PARTY[top]), f"{module} imports {imported}"


# The stages that judge a spec before anything is made from it: none of them
# may reach synthesis, rendering, lint, comparison or the store.
_SPEC_IN = ("compiler.input", "compiler.rules", "compiler.catalog", "compiler.diagnostics",
            "compiler.cidr")
_LATER = ("compiler.synthesize", "compiler.template", "compiler.change", "compiler.deploy",
          "compiler.store", "compiler.local_store", "compiler.diff", "compiler.pipeline",
          "compiler.api", "compiler.cli")


@pytest.mark.parametrize("module", sorted(m for m in MODULES if _within(m, *_SPEC_IN)))
def test_spec_in_stages_do_not_reach_later_ones(module: str) -> None:
    later = {m for m in _ours(module) if _within(m, *_LATER)}
    assert not later, f"{module} imports {sorted(later)}"


@pytest.mark.parametrize("module", sorted(MODULES))
def test_only_the_command_line_is_above_the_library(module: str) -> None:
    """cli.py prints and exits; nothing of the library may import it."""
    if module in ("compiler.cli", "compiler.__main__"):
        return
    assert "compiler.cli" not in _ours(module)


def test_no_circles() -> None:
    """No two modules import each other, however far round: a circle is a
    stage that cannot be understood, tested or moved alone. Package faces
    (an __init__ that imports its own submodules) are not circles."""
    graph = {m: {t for t in _ours(m) if not m.startswith(t + ".")} for m in MODULES}
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(module: str) -> None:
        state[module] = 1
        stack.append(module)
        for target in sorted(graph[module]):
            if state.get(target) == 1:
                circle = [*stack[stack.index(target):], target]
                pytest.fail("import circle: " + " -> ".join(circle))
            if target not in state:
                visit(target)
        stack.pop()
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module)


@pytest.mark.parametrize("module", sorted(m for m in MODULES if _within(m, "compiler.store")))
def test_the_store_only_stores(module: str) -> None:
    """The store verifies, locks, writes and records the files a version
    carries; what they hold is the deploy stage's to say (deploy/version_files
    makes them, as data). A store that imports deploy/ makes files again."""
    deploying = {m for m in _ours(module) if _within(m, "compiler.deploy")}
    assert not deploying, f"{module} imports {sorted(deploying)}"


# The floors of docs/architecture.md, ground first: a module may import its
# own floor and those below, never one above.
FLOORS: tuple[tuple[str, ...], ...] = (
    ("compiler.vocabulary", "compiler.kinds"),
    ("compiler.diagnostics", "compiler.cidr", "compiler.compressed", "compiler.batch",
     "compiler.local_store"),
    ("compiler.catalog",),
    ("compiler.input",),
    ("compiler.rules",),
    ("compiler.synthesize", "compiler.template"),
    ("compiler.change",),
    ("compiler.store",),
    ("compiler.deploy",),
    ("compiler.diff", "compiler.pipeline"),
    ("compiler.api", "compiler.registry", "compiler.rules_reference", "compiler.report",
     "compiler.explain", "compiler.starters"),
    ("compiler.cli", "compiler.__main__"),
)


def _floor(module: str) -> int:
    found = [i for i, floor in enumerate(FLOORS) if _within(module, *floor)]
    assert found, f"{module} stands on no floor: add it to FLOORS and docs/architecture.md"
    return found[0]


@pytest.mark.parametrize("module", sorted(m for m in MODULES if m != "compiler"))
def test_no_import_runs_back_up(module: str) -> None:
    above = {m for m in _ours(module) if m != "compiler" and _floor(m) > _floor(module)}
    assert not above, f"{module} (floor {_floor(module)}) imports {sorted(above)}"


@pytest.mark.parametrize("module", sorted(m for m in MODULES if _within(m, "compiler.deploy")))
def test_deployment_files_do_not_lint(module: str) -> None:
    """The StackSet overrides are linted with their values in the template
    stage, which the pipeline runs: deploy/ packages a template already judged."""
    assert "compiler.template.lint" not in _ours(module), module
