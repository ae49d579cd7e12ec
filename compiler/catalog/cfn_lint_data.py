"""Data files cfn-lint ships, read without importing cfn-lint.

cfn-lint bundles AWS facts generated from the service APIs: the engine
versions ElastiCache accepts, the node types each region offers. Importing
cfn-lint costs ~0.3 s, so the files are located through the import system's
finder, which does not run the package, and parsed once per process.
"""

from __future__ import annotations

import functools
import importlib.util
import json
import os
from typing import Any


@functools.cache
def package_dir() -> str:
    spec = importlib.util.find_spec("cfnlint")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("cfn-lint is not installed, and cachec depends on it")
    return str(next(iter(spec.submodule_search_locations)))


@functools.cache
def read(relative: str) -> Any:
    """A JSON file under cfnlint/data/, e.g. `schemas/extensions/.../x.json`."""
    with open(os.path.join(package_dir(), "data", relative), encoding="utf-8") as handle:
        return json.load(handle)
