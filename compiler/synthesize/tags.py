"""Tags for every taggable resource: the spec's, plus cachec's own."""

from __future__ import annotations

from troposphere import Tags

from ..input.model import Spec


def tags(spec: Spec, *, name_suffix: str | None = None) -> Tags:
    """`name_suffix` adds a `Name` tag for resources the EC2 console lists by
    name (security groups), unless the spec sets `Name` itself."""
    pairs = spec.stack_tags
    if name_suffix is not None and "Name" not in pairs:
        pairs["Name"] = f"{spec.stack_name}-{name_suffix}"
    return Tags(pairs)  # sorted by key: deterministic
