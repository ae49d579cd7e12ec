"""The import template of an adopted cache: the full template cut down to the
cache alone, and the identifiers of what it imports.

AWS's rules for an IMPORT change set
(https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/resource-import.html
and resource-import-new-stack.html):
- the template holds only the resources to import: "Import operations don't
  allow new resource creations", so alarms, log groups and the rest come in
  the next update;
- "Each resource to import must have a DeletionPolicy attribute" (the page
  asks for none in particular; Retain is asked only by the automatic import of
  import-resources-automatically.html, which cachec does not use). The cache
  keeps the full template's (Snapshot; Delete with backups.final_snapshot:
  false or on a serverless cache), so the update that follows changes nothing
  on it;
- Outputs cannot be added during an import ("As part of the import
  operation, you cannot modify or add [Outputs]"): they come with the update;
- each resource is named by its type's primaryIdentifier in the
  resources-to-import list (CreateChangeSet ResourcesToImport,
  ResourceIdentifier), and the template must hold that identifier literally.

The cache's properties are the full template's, byte for byte: the
first update then adds resources beside it and changes nothing on it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

# The cache resource types and their primaryIdentifier (the provider schemas
# cfn-lint ships: AWS::ElastiCache::ReplicationGroup ["/properties/ReplicationGroupId"],
# AWS::ElastiCache::ServerlessCache ["/properties/ServerlessCacheName"];
# tests/test_adopt.py compares).
IDENTIFIERS = {
    "AWS::ElastiCache::ReplicationGroup": "ReplicationGroupId",
    "AWS::ElastiCache::ServerlessCache": "ServerlessCacheName",
}
_INTERFACE = "AWS::CloudFormation::Interface"
_SUB_NAME = re.compile(r"\$\{([A-Za-z0-9]+)\}")


def _cache(template: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    caches = [(logical_id, resource)
              for logical_id, resource in template.get("Resources", {}).items()
              if resource.get("Type") in IDENTIFIERS]
    assert len(caches) == 1, "every template has exactly one cache"
    return caches[0]


def _names(value: Any) -> Iterator[str]:
    """Every name a value refers to: Ref targets, ${Name} in Sub strings, Condition names."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key in ("Ref", "Condition") and isinstance(item, str):
                yield item
            elif key == "Fn::Sub":
                text = item[0] if isinstance(item, list) else item
                if isinstance(text, str):
                    yield from _SUB_NAME.findall(text)
                if isinstance(item, list) and len(item) > 1:
                    yield from _names(item[1])
            elif key == "Fn::If" and isinstance(item, list) and item:
                yield str(item[0])
                yield from _names(item[1:])
            else:
                yield from _names(item)
    elif isinstance(value, list):
        for item in value:
            yield from _names(item)


def import_template(template: dict[str, Any]) -> dict[str, Any]:
    """The template an IMPORT change set takes: the cache, the Parameters and
    Conditions it reads, the full template's Description and Metadata."""
    logical_id, cache = _cache(template)
    parameters = template.get("Parameters", {})
    conditions = template.get("Conditions", {})
    used: set[str] = set()
    pending = list(_names(cache))
    while pending:
        name = pending.pop()
        if name in used:
            continue
        used.add(name)
        if name in conditions:
            pending.extend(_names(conditions[name]))
    kept_parameters = {k: v for k, v in parameters.items() if k in used}
    result: dict[str, Any] = {
        key: template[key] for key in ("AWSTemplateFormatVersion", "Description") if key in template
    }
    if "Metadata" in template:
        result["Metadata"] = _metadata(template["Metadata"], set(kept_parameters))
    kept_conditions = {k: v for k, v in conditions.items() if k in used}
    if kept_parameters:
        result["Parameters"] = kept_parameters
    if kept_conditions:
        result["Conditions"] = kept_conditions
    result["Resources"] = {logical_id: cache}
    return result


def _metadata(metadata: dict[str, Any], kept: set[str]) -> dict[str, Any]:
    """The console's Parameter groups and labels of the kept Parameters only
    (AWS::CloudFormation::Interface naming a Parameter the template lacks is refused)."""
    interface = metadata.get(_INTERFACE)
    if not isinstance(interface, dict):
        return metadata
    groups = [
        {**group, "Parameters": [p for p in group.get("Parameters", []) if p in kept]}
        for group in interface.get("ParameterGroups", [])
    ]
    trimmed: dict[str, Any] = {}
    if any(g["Parameters"] for g in groups):
        trimmed["ParameterGroups"] = [g for g in groups if g["Parameters"]]
    labels = {k: v for k, v in interface.get("ParameterLabels", {}).items() if k in kept}
    if labels:
        trimmed["ParameterLabels"] = labels
    rest = {k: v for k, v in metadata.items() if k != _INTERFACE}
    return {_INTERFACE: trimmed, **rest} if trimmed else rest


def resources_to_import(template: dict[str, Any]) -> list[dict[str, Any]]:
    """CreateChangeSet's ResourcesToImport for the template's cache."""
    logical_id, cache = _cache(template)
    identifier = IDENTIFIERS[cache["Type"]]
    value = cache.get("Properties", {}).get(identifier)
    assert isinstance(value, str), "rules.adopt requires a literal identifier"
    return [{
        "ResourceType": cache["Type"],
        "LogicalResourceId": logical_id,
        "ResourceIdentifier": {identifier: value},
    }]
