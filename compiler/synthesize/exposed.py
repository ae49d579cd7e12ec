"""stack.expose in the template's resources: a Ref to the field's Parameter
where the spec exposes it, and what an exposed replica count needs (the
NodeCounts mapping, the HasNode<k> Conditions, the ReplicasNeeded Rule).

Which fields become Parameters, and within which values, is
template/declared.py's (the Parameters as data, read by the override checks
too); everything not exposed stays literal; security settings are never
exposed.
"""

from __future__ import annotations

from typing import Any

from troposphere import And, Equals, FindInMap, Not, Ref, Template

from ..input.model import Alarm, ReplicationGroup, Spec
from ..template.declared import MAX_REPLICAS, Declarations, replica_counts
from ..vocabulary import names
from .provenance import came_from

_REPLICAS = ("topology", "replicas")


def value(spec: Spec, field: str, literal: Any) -> Any:
    """Ref to the field's Parameter when exposed, else the literal."""
    return Ref(names.EXPOSED[field]) if spec.stack.exposes(field) else literal


def _rg(spec: Spec) -> ReplicationGroup:
    """The node-based shape: node type and replicas exist only there (the
    rule expose-not-applicable refuses exposing them on serverless)."""
    rg = spec.replication_group
    assert rg is not None, "rules refuse node settings in stack.expose for serverless"
    return rg


def threshold(spec: Spec, alarm: Alarm) -> Any:
    if spec.stack.exposes(names.exposed_threshold(alarm.key)):
        return Ref(names.alarm_threshold(alarm.key))
    return alarm.value


def node_count(spec: Spec) -> Any:
    """NumCacheClusters: replicas + 1, looked up (CloudFormation has no arithmetic)."""
    if spec.stack.exposes("replicas"):
        return FindInMap(names.NODE_COUNTS, Ref(names.REPLICAS), "Nodes")
    return _rg(spec).topology.node_count


def add_replica_lookups(template: Template, spec: Spec, declarations: Declarations) -> None:
    """With replicas exposed: the node count per replica count, the alarms'
    HasNode<k> Conditions, and the Rule the declarations name."""
    if spec.stack.exposes("replicas"):
        _add_replicas(template, spec, declarations)


def _add_replicas(template: Template, spec: Spec, declarations: Declarations) -> None:
    counts = replica_counts()
    template.add_mapping(names.NODE_COUNTS, {n: {"Nodes": int(n) + 1} for n in counts})
    came_from(template, _REPLICAS, "Mappings", names.NODE_COUNTS)
    if spec.monitoring.alarms:  # the alarms watch the nodes that exist (alarms.py)
        for count in range(2, MAX_REPLICAS + 2):
            # HasNode<k>: the group has a k-th node; node 1 always exists.
            fewer = [Not(Equals(Ref(names.REPLICAS), str(r))) for r in range(count - 1)]
            template.add_condition(names.has_node(count),
                                   fewer[0] if len(fewer) == 1 else And(*fewer))
            came_from(template, _REPLICAS, "Conditions", names.has_node(count))
    if names.REPLICAS_RULE in declarations.rules:
        # CloudFormation checks Rules before it changes anything.
        # https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/rules-section-structure.html
        template.add_rule(names.REPLICAS_RULE, {
            "Assertions": [{
                "Assert": Not(Equals(Ref(names.REPLICAS), "0")),
                "AssertDescription": "This cache needs at least one replica: it was "
                "checked with Multi-AZ / automatic failover, a replication-lag alarm "
                "and a reader endpoint, which all need one.",
            }],
        })
        came_from(template, _REPLICAS, "Rules", names.REPLICAS_RULE)
