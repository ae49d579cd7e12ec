"""Stage 5: template dict -> canonical YAML or JSON text.

Fixed top-level and resource-attribute order, no anchors, no timestamps, no
line folding: the same template always renders to the same bytes.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import yaml

TOP_LEVEL_ORDER = (
    "AWSTemplateFormatVersion",
    "Transform",
    "Description",
    "Metadata",
    "Parameters",
    "Rules",
    "Mappings",
    "Conditions",
    "Resources",
    "Outputs",
)
RESOURCE_ORDER = (
    "Type",
    "Condition",
    "DependsOn",
    "DeletionPolicy",
    "UpdateReplacePolicy",
    "UpdatePolicy",
    "Metadata",
    "Properties",
)
FORMATS = ("yaml", "json")


class _Dumper(yaml.SafeDumper):
    """SafeDumper that never writes anchors/aliases (CloudFormation YAML has none)."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _ordered(data: dict[str, Any], order: tuple[str, ...]) -> dict[str, Any]:
    known = [k for k in order if k in data]
    rest = [k for k in data if k not in order]
    return {k: data[k] for k in (*known, *rest)}


def canonical(template: dict[str, Any]) -> dict[str, Any]:
    result = _ordered(template, TOP_LEVEL_ORDER)
    if "Resources" in result:
        result["Resources"] = {
            name: _ordered(resource, RESOURCE_ORDER)
            for name, resource in result["Resources"].items()
        }
    return result


def render(template: dict[str, Any], fmt: str = "yaml") -> str:
    data = canonical(template)
    if fmt == "json":
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    text: str = yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        default_flow_style=False,
        allow_unicode=True,
        width=2**31 - 1,  # no folding: a long description stays one line
    )
    return text


def canonical_json(data: Any) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def digest(data: Any) -> str:
    return "sha256:" + hashlib.sha256(canonical_json(data).encode()).hexdigest()
