"""Region facts: where a template is deployed by default, and which node
types each region offers (cfn-lint's data, generated from the AWS API)."""

from __future__ import annotations

from typing import Any

from . import cfn_lint_data

# A spec without stack.stackset, built without --regions, is linted (and its
# NodeType choices offered) for this region alone.
DEFAULT_REGIONS: tuple[str, ...] = ("us-east-1",)

_NODE_TYPE_ENUM = "schemas/extensions/aws_elasticache_cachecluster/cachenodetype_enum.json"


def offered_node_types() -> dict[str, Any]:
    """cfn-lint's per-region node-type data (read once per process, without
    importing cfn-lint)."""
    data: dict[str, Any] = cfn_lint_data.read(_NODE_TYPE_ENUM)
    return data
