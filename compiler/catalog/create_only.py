"""Create-only properties of every resource type cachec emits, from the provider schemas.

Changing a create-only property makes CloudFormation replace the resource.
The table is generated (never hand-edited) from the resource provider schemas
cfn-lint bundles: `createOnlyProperties` and `conditionalCreateOnlyProperties`
of `cfnlint.schema.PROVIDER_SCHEMA_MANAGER.get_resource_schema("us-east-1", T)`.
It is committed as create_only.json and read at run time without importing
cfn-lint (that import costs ~0.4 s). tests/test_update_behavior.py regenerates
it from the installed cfn-lint and fails on any difference: review what
changed, then run `python -m compiler.catalog.create_only` to rewrite it.

Hand-written judgement about these properties (conditional cases, "some
interruption" lines of the CloudFormation docs) lives apart, in
update_behavior.py.
"""

from __future__ import annotations

import functools
import json
import os
from typing import Any

DATA_FILE = "create_only.json"



def _names(pointers: list[str] | None) -> list[str]:
    """`/properties/Port` -> `Port` (cachec compares top-level properties)."""
    return sorted({p.split("/")[2] for p in pointers or []})


def generate() -> dict[str, Any]:
    """The table as the installed cfn-lint's schemas say (imports cfn-lint)."""
    from cfnlint.schema import PROVIDER_SCHEMA_MANAGER
    from cfnlint.version import __version__

    from ..vocabulary.names import RESOURCE_TYPES

    types: dict[str, Any] = {}
    for name in RESOURCE_TYPES:
        schema = PROVIDER_SCHEMA_MANAGER.get_resource_schema("us-east-1", name).schema
        types[name] = {
            "createOnly": _names(schema.get("createOnlyProperties")),
            "conditionalCreateOnly": _names(schema.get("conditionalCreateOnlyProperties")),
        }
    return {
        "generated": "do not edit: python -m compiler.catalog.create_only",
        "source": f"cfn-lint {__version__} provider schemas, us-east-1",
        "types": types,
    }


def render(table: dict[str, Any]) -> str:
    return json.dumps(table, indent=2) + "\n"


@functools.cache
def table() -> dict[str, Any]:
    # Beside this module (package data; see schema.schema_bytes for why not
    # importlib.resources).
    with open(os.path.join(os.path.dirname(__file__), DATA_FILE), encoding="utf-8") as handle:
        data: dict[str, Any] = json.load(handle)
    return data


def create_only(resource_type: str) -> frozenset[str]:
    entry = table()["types"].get(resource_type, {})
    return frozenset(entry.get("createOnly", ()))


def conditionally_create_only(resource_type: str) -> frozenset[str]:
    entry = table()["types"].get(resource_type, {})
    return frozenset(entry.get("conditionalCreateOnly", ()))


if __name__ == "__main__":
    path = os.path.join(os.path.dirname(__file__), DATA_FILE)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(render(generate()))
    print(f"wrote {path}")
