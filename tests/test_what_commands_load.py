"""What a command loads, measured the way a user would: `python -X importtime`.

The cheap commands stay cheap by not importing the stages they do not run:
`compile --no-lint` compiles a spec without touching a version store, and
`validate` (issue 18) judges a spec without troposphere or cfn-lint.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parent.parent


def _loaded(*args: str) -> set[str]:
    """The modules `python -X importtime -m compiler ARGS` imports."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "compiler", *args],
        capture_output=True, text=True, cwd=ROOT, timeout=120, check=False,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return {
        line.rsplit("|", 1)[-1].strip()
        for line in done.stderr.splitlines()
        if line.startswith("import time:") and "|" in line
    }


def _under(modules: set[str], package: str) -> set[str]:
    return {m for m in modules if m == package or m.startswith(package + ".")}


def test_compile_without_lint_loads_no_store_code() -> None:
    loaded = _loaded("compile", "--no-lint", "specs/prod.yaml")
    assert "compiler.pipeline" in loaded  # the measure sees our modules
    assert not _under(loaded, "compiler.store"), sorted(_under(loaded, "compiler.store"))
    assert not _under(loaded, "cfnlint")


def test_validate_loads_neither_troposphere_nor_cfn_lint() -> None:
    """The override checks read the Parameters as data (template/declared.py)
    and the size bound (template/size_bound.py) vouches that the example
    specs reach no size limit: nothing is synthesized."""
    loaded = _loaded("validate", "specs/prod.yaml")
    assert "compiler.rules" in loaded
    assert not _under(loaded, "troposphere"), "troposphere imported"
    assert not _under(loaded, "cfnlint"), "cfnlint imported"
