"""The semantic rules on the parts of a spec that passed the schema.

A spec with a typo in one section and `cpu: 120` in another used to show
the second only once the first was fixed. Here the top-level sections with
a schema error are left out (their defaults stand in, and placeholders for
missing required keys), and each rule runs on that spec while the spec
records which top-level keys the rule reads; what a rule says is kept only
when it read none of the sections left out, so a default standing in for
a broken value never makes a rule speak.

The record is automatic (a `Spec` proxy) rather than a list kept beside
each rule, so a rule that starts reading another section is tracked at
once; DEPENDS says which top-level spec keys each `Spec` field is built
from (normalize.py), and a test holds it to normalize.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from typing import Any, cast

from .. import rules
from ..diagnostics import Diagnostic, has_errors
from ..input.model import Spec
from ..input.normalize import normalize
from ..input.schema import spec_schema
from ..input.validate import check_schema

# The top-level spec keys each Spec field and property is built from.
_SHAPE = ("serverless", "node_type", "port", "topology", "redis_parameters",
          "maintenance_window", "auto_minor_version_upgrade", "replication_group_id",
          "parameter_group_name")
DEPENDS: dict[str, frozenset[str]] = {
    name: frozenset(keys) for name, keys in {
        "format": ("cachec",),
        "name": ("name",),
        "environment": ("environment",),
        "description": ("description", "name", "environment"),
        "engine": ("engine",),
        "engine_version": ("engine_version", "engine", "serverless"),
        "deployment": _SHAPE,
        "network": ("network",),
        # security.user_group_engine defaults to the engine
        "security": ("security", "serverless", "engine"),
        "backups": ("backups",),
        "tags": ("tags",),
        "stack": ("stack",),
        "logs": ("logs", "serverless"),
        "monitoring": ("monitoring", "serverless", "node_type", "topology"),
        "accept": ("accept",),
        "dns": ("dns",),
        "global_datastore": ("global_datastore", "name", "environment"),
        "adopt": ("adopt",),
        # Properties (Spec computes them from the fields above).
        "replication_group": _SHAPE,
        "stack_name": ("name", "environment"),
        "version_info": ("engine", "engine_version", "serverless"),
        "is_production": ("environment",),
    }.items()
}

# Placeholders for required keys that are missing or broken: any valid value
# serves, since every rule that reads them is discarded.
_PLACEHOLDERS = {"cachec": 1, "name": "spec", "environment": "dev"}


class _Reading:
    """A Spec that records the top-level spec keys read through it."""

    def __init__(self, spec: Spec) -> None:
        self._spec = spec
        self.read: set[str] = set()

    def sets(self, *path: str) -> bool:
        self.read.add(path[0])
        return self._spec.sets(*path)

    def __getattr__(self, name: str) -> Any:
        # Every key, for a field missing from DEPENDS (`explicit`, a new one).
        self.read |= DEPENDS.get(name, frozenset(spec_schema()["properties"]))
        return getattr(self._spec, name)


def _left_out(data: dict[str, Any], schema_errors: Iterable[Diagnostic]) -> set[str] | None:
    """The top-level keys to leave out, or None when nothing can be kept."""
    known = list(spec_schema()["properties"])
    left_out: set[str] = set()
    for diagnostic in schema_errors:
        if not diagnostic.path:
            return None  # the document itself is wrong (not a mapping ...)
        key = str(diagnostic.path[0])
        left_out.add(key)
        if key not in known:
            # `toplogy:` was meant as topology: its defaults would speak for it.
            left_out.update(difflib.get_close_matches(key, known, n=1, cutoff=0.6))
    return left_out


def rules_on_valid_parts(data: Any, schema_diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """What the rules say about the sections of `data` without schema errors."""
    if not isinstance(data, dict):
        return []
    left_out = _left_out(data, (d for d in schema_diagnostics if d.is_error))
    if left_out is None:
        return []
    kept = {k: v for k, v in data.items() if k not in left_out}
    for key, placeholder in _PLACEHOLDERS.items():
        if key not in kept:
            kept[key] = placeholder
            left_out.add(key)
    if has_errors(check_schema(kept)):  # a constraint across sections: say nothing more
        return []
    spec = normalize(kept)
    found: list[Diagnostic] = []
    for rule in rules.RULES:
        reading = _Reading(spec)
        said = list(rule.check(cast(Spec, reading)))
        if not reading.read & left_out:
            found += said
    return found
