"""How CloudFormation applies a change to one property: the hand-written half.

The generated half is create_only.json (createOnlyProperties and
conditionalCreateOnlyProperties of the provider schemas, see create_only.py).
This module adds what the schemas cannot say: when a *conditionally*
create-only property replaces the resource, and which in-place updates
interrupt service. Each entry names its source.

Sources:
- CFN-RG: CloudFormation docs, AWS::ElastiCache::ReplicationGroup, the
  "Update requires" line of each property,
  https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-elasticache-replicationgroup.html
  (text as archived in github.com/awsdocs/aws-cloudformation-user-guide,
  doc_source/aws-resource-elasticache-replicationgroup.md).
- ROADMAP-918: aws-cloudformation/cloudformation-coverage-roadmap#918 (2026):
  ReplicasPerNodeGroup "is no longer create-only"; combined with
  NodeGroupConfiguration in one update it can still replace.
- ROADMAP-2356: aws-cloudformation/cloudformation-coverage-roadmap#2356 (2025):
  switching AuthToken to UserGroupIds shows "Replacement" in CloudFormation,
  although the console/CLI switch in place.
- API-MRG: ModifyReplicationGroup, AuthTokenUpdateStrategy: "DELETE - allowed
  only when transitioning to RBAC",
  https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_ModifyReplicationGroup.html
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from . import create_only

ADD = "add"
REMOVE = "remove"
NO_INTERRUPTION = "no-interruption"
SOME_INTERRUPTION = "some-interruption"
REPLACEMENT = "replacement"
# Order of severity, for "the worst thing that happens to this resource".
ACTIONS: tuple[str, ...] = (NO_INTERRUPTION, SOME_INTERRUPTION, ADD, REMOVE, REPLACEMENT)

REPLICATION_GROUP = "AWS::ElastiCache::ReplicationGroup"
SERVERLESS_CACHE = "AWS::ElastiCache::ServerlessCache"
# Replacing or removing one of these empties the cache.
CACHE_TYPES = frozenset({REPLICATION_GROUP, SERVERLESS_CACHE})

# Resource attributes outside Properties: CloudFormation records them, no
# physical resource changes.
ATTRIBUTES: tuple[str, ...] = (
    "Condition", "DependsOn", "DeletionPolicy", "UpdateReplacePolicy", "UpdatePolicy",
    "Metadata",
)


@dataclass(frozen=True)
class Behavior:
    action: str
    cause: str  # short reason shown beside the template path


# Conditional cases: (resource type, property) -> decision from the old and
# new value and the new resource (for its UpdatePolicy). An entry here wins
# over the generated table.
Decide = Callable[[Any, Any, dict[str, Any]], Behavior]


def _auth_token(before: Any, after: Any, resource: dict[str, Any]) -> Behavior:
    if before is not None and after is not None:
        # CFN-RG: AuthToken "Update requires: Some interruptions" (a new token
        # is rotated in).
        return Behavior(SOME_INTERRUPTION, "a new AUTH token is rotated in")
    # Schema: conditionally create-only. Adding or removing the token is the
    # case CloudFormation replaces (ROADMAP-2356); ElastiCache itself deletes a
    # token only on the way to user groups (API-MRG). Unconfirmed for adding a
    # token to a cache without one: treated as replacement, the safe reading.
    return Behavior(REPLACEMENT, "AUTH token added or removed (conditionally create-only)")


def _online_resharding(before: Any, after: Any, resource: dict[str, Any]) -> Behavior:
    # CFN-RG, NumNodeGroups / NodeGroupConfiguration: no interruption with
    # UpdatePolicy UseOnlineResharding: true, replacement without it.
    online = resource.get("UpdatePolicy", {}).get("UseOnlineResharding") is True
    if online:
        return Behavior(SOME_INTERRUPTION, "online resharding (UseOnlineResharding)")
    return Behavior(REPLACEMENT, "shards change without UpdatePolicy UseOnlineResharding")


def _shards(value: Any) -> dict[Any, Any]:
    """NodeGroupConfiguration by NodeGroupId."""
    if not isinstance(value, list):
        return {}
    return {g.get("NodeGroupId"): g for g in value if isinstance(g, dict)}


def _node_group_configuration(before: Any, after: Any, resource: dict[str, Any]) -> Behavior:
    # cachec writes NodeGroupConfiguration for topology.availability_zones in
    # cluster mode. Schema: conditionally create-only; CFN-RG: updatable
    # without interruption only with UseOnlineResharding, which adds and
    # removes shards (ModifyReplicationGroupShardConfiguration). No API moves
    # the nodes of an existing shard to other zones, nor does the configuration
    # appear on a cache created without it: unconfirmed what CloudFormation
    # does then, so the safe reading, replacement (ROADMAP-918: replicas
    # changed together with NodeGroupConfiguration can replace too).
    if before is None or after is None:
        return Behavior(REPLACEMENT, "preferred zones added or removed (conditionally "
                        "create-only)")
    old, new = _shards(before), _shards(after)
    if any(old[k] != new[k] for k in old.keys() & new.keys()):
        return Behavior(REPLACEMENT, "the zones or replicas of an existing shard change")
    return _online_resharding(before, after, resource)


def _replicas_per_node_group(before: Any, after: Any, resource: dict[str, Any]) -> Behavior:
    # ROADMAP-918: in place since 2026; older schemas listed it create-only.
    return Behavior(NO_INTERRUPTION, "replicas added or removed in place")


def _subscription_region(before: Any, after: Any, resource: dict[str, Any]) -> Behavior:
    # AWS::SNS::Subscription Region (cross-region subscriptions): a subscription
    # lives in its topic's region, so moving it is a new subscription. cachec
    # never sets it; unconfirmed beyond the schema, so the safe reading.
    return Behavior(REPLACEMENT, "subscription moves to another region")


def _record_name(before: Any, after: Any, resource: dict[str, Any]) -> Behavior:
    # AWS::Route53::RecordSet Name is not create-only in the provider schema,
    # but a record is identified by its name and type
    # (ChangeResourceRecordSets changes one record of a name: there is no
    # rename, https://docs.aws.amazon.com/Route53/latest/APIReference/API_ChangeResourceRecordSets.html):
    # the record under the old name is deleted and one under the new name
    # created, and clients of the old name stop resolving. The safe reading.
    return Behavior(REPLACEMENT, "a record of the new name replaces the old one")


CONDITIONAL: dict[tuple[str, str], Decide] = {
    ("AWS::Route53::RecordSet", "Name"): _record_name,
    ("AWS::SNS::Subscription", "Region"): _subscription_region,
    (REPLICATION_GROUP, "AuthToken"): _auth_token,
    (REPLICATION_GROUP, "NodeGroupConfiguration"): _node_group_configuration,
    (REPLICATION_GROUP, "NumNodeGroups"): _online_resharding,
    (REPLICATION_GROUP, "ReplicasPerNodeGroup"): _replicas_per_node_group,
}


def property_update(
    resource_type: str, prop: str, before: Any, after: Any, resource: dict[str, Any]
) -> Behavior:
    """How CloudFormation applies `prop` changing from `before` to `after`
    (None: absent). A property whose create-only name is unset on both sides
    (a generated name) never gets here: it did not change."""
    decide = CONDITIONAL.get((resource_type, prop))
    if decide is not None:
        return decide(before, after, resource)
    if prop in create_only.create_only(resource_type):
        return Behavior(REPLACEMENT, "create-only")
    if prop in create_only.conditionally_create_only(resource_type):
        # A conditional case nobody has reviewed: assume the worst.
        return Behavior(REPLACEMENT, "conditionally create-only (not reviewed)")
    return Behavior(NO_INTERRUPTION, "updated in place")
