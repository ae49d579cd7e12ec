"""A template's Parameters as a deploy passes them: what a Ref to one resolves to."""

from __future__ import annotations

from typing import Any


def parameter_defaults(template: dict[str, Any]) -> dict[str, Any]:
    """Parameter name -> the value a deploy with vN.parameters.json passes:
    list-typed Parameters as lists, as a Ref to them resolves."""
    defaults = {}
    for name, param in template.get("Parameters", {}).items():
        if "Default" in param:
            value = param["Default"]
            listed = str(param.get("Type", "")).startswith("List<") or (
                param.get("Type") == "CommaDelimitedList")
            defaults[name] = str(value).split(",") if listed else value
    return defaults
