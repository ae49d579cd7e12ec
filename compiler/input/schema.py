"""The spec format v1 as JSON Schema (draft-07): `schemas/cachec-spec-v1.schema.json`.

The JSON file is the source of truth, edited by hand: editors, reviewers and
the compiler read the same bytes. Draft-07 because it is what editors' YAML
language servers understand, so a spec starting with
`# yaml-language-server: $schema=...` is completed and checked while it is typed.

The package carries a byte-identical copy (compiler/cachec-spec-v1.schema.json,
package data) so an installed cachec needs no checkout; tests keep the copy
identical and tie the schema's enums to the catalog and the provider schemas.

Adding a key:
1. Edit schemas/cachec-spec-v1.schema.json: add the property where it belongs,
   with `type`, `description`, `default` (unless absent is the default: then
   the description says what happens and tests/test_schema.py's
   NO_LITERAL_DEFAULT lists the key) and `examples`. Every `pattern` gets a
   `patternErrorMessage` (a noun phrase: "a VPC id: vpc- and 8 or 17 hex
   digits"), which validate.py prints and editors show. Shapes used twice go
   under `definitions` and are referenced with `$ref` (wrapped in `allOf` where
   the key needs its own description: draft-07 ignores a `$ref`'s siblings).
   Variants may use `oneOf` or `if`/`then`; every validation keyword needs a
   translator in validate.py's `_TRANSLATORS` and an implementation in
   conforms.py, which answers for valid specs without jsonschema (tests check
   both).
2. Keep the layout: `json.dumps(indent=2, ensure_ascii=False)` plus a newline
   (a test checks), then `cp schemas/cachec-spec-v1.schema.json compiler/`.
3. `cachec schema --format markdown > docs/spec-reference.md`; enums that
   restate a catalog table get a test beside the existing ones.
normalize.py reads defaults with `default(...)`, wherever they are declared.
"""

from __future__ import annotations

import functools
import json
import os
from typing import Any

FILE_NAME = "cachec-spec-v1.schema.json"

# Standard topic names (https://docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html:
# "Topic names must be made up of only uppercase and lowercase ASCII letters,
# numbers, underscores, and hyphens, and must be between 1 and 256 characters long").
# The alarm topic Parameter's AllowedPattern reuses it; a test checks that the
# schema's monitoring.alarm_topic_arn pattern ends with it.
SNS_TOPIC_NAME = r"[A-Za-z0-9_-]{1,256}"


@functools.cache
def schema_bytes() -> bytes:
    """The schema file as `cachec schema` prints it, read once per process.

    At the root of the compiler package, as package data: the package is
    always installed as files (setuptools, editable or not), and
    importlib.resources would import zipfile, lzma and bz2 on every run to
    find it."""
    package = os.path.dirname(os.path.dirname(__file__))
    with open(os.path.join(package, FILE_NAME), "rb") as handle:
        return handle.read()


@functools.cache
def spec_schema() -> dict[str, Any]:
    """The parsed schema, parsed once per process and shared: never modify it."""
    loaded: dict[str, Any] = json.loads(schema_bytes())
    return loaded


def resolve(node: dict[str, Any]) -> dict[str, Any]:
    """`node` with a `$ref` to `#/definitions/<name>` replaced by its target.

    Only local definitions are used (draft-07 ignores a `$ref`'s siblings, so
    a key that needs its own description wraps the reference in `allOf`)."""
    ref = node.get("$ref")
    if ref is None:
        return node
    prefix = "#/definitions/"
    if not ref.startswith(prefix):
        raise ValueError(f"only {prefix}<name> references are supported, got {ref}")
    return resolve(spec_schema()["definitions"][ref.removeprefix(prefix)])


def merged(node: dict[str, Any]) -> dict[str, Any]:
    """A key's schema with its reference and `allOf` parts folded in (the key's
    own words win): its type, enum and default in one place, as a reader sees them."""
    node = resolve(node)
    folded: dict[str, Any] = {}
    for part in node.get("allOf", []):
        folded.update(merged(part))
    folded.update(node)
    return folded


def branches(node: dict[str, Any]) -> list[dict[str, Any]]:
    """`node` and every subschema that applies to the same value, references
    resolved: `allOf`/`anyOf`/`oneOf` alternatives, `then`/`else` and schema
    `dependencies`. (An `if` is a condition on keys declared elsewhere.)"""
    node = resolve(node)
    applied = [
        *node.get("allOf", []), *node.get("anyOf", []), *node.get("oneOf", []),
        *(node[k] for k in ("then", "else") if isinstance(node.get(k), dict)),
        *(d for d in node.get("dependencies", {}).values() if isinstance(d, dict)),
    ]
    return [node, *(b for sub in applied for b in branches(sub))]


def subschema(*path: str) -> dict[str, Any]:
    """The schema of the key at `path`, e.g. ("topology", "replicas"), wherever
    it is declared: under `properties` or in any branch that applies there."""
    node = spec_schema()
    for key in path:
        found = [b["properties"][key] for b in branches(node) if key in b.get("properties", {})]
        if not found:
            raise KeyError(f"the schema declares no key {'.'.join(path)}")
        node = found[0]
    return node


def default(*path: str) -> Any:
    """The `default` the schema documents for a key: the first one declared on
    the key or its branches (references resolved); None when there is none."""
    return next((b["default"] for b in branches(subschema(*path)) if "default" in b), None)
