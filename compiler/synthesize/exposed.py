"""stack.expose: spec fields as template Parameters, within what cachec has checked.

An exposed field becomes a Parameter whose Default is the spec's value and
whose AllowedValues / MinValue / MaxValue admit only values that keep every
check cachec made of the spec true, so a console or StackSet user can change
it without leaving what was reviewed:

- node_type: current-generation types offered in every target region, of the
  spec's data-tiering kind, Nitro when the network needs IPv6, not burstable
  in production; any size, larger or smaller, unless the `cpu` alarm is on:
  its threshold is divided by the vCPUs on nodes with 2 or fewer and its
  description names them, both literal, so then only types with the spec's
  divisor (the same vCPU class) keep the alarm true. EngineCPUUtilization
  (`engine_cpu`) is unscaled and true on every size;
- engine_version: the spec's version and newer ones of the same engine and
  parameter-group family (the family is literal; ElastiCache refuses
  downgrades);
- replicas: 0-5, with a template Rule refusing 0 when the spec has replicas
  (Multi-AZ, failover, the replication-lag alarm and the reader endpoint
  assume one);
- backups.retention_days: 0-35; alarm thresholds: the range the spec accepts
  (threshold_bounds).

Everything not exposed stays literal; security settings are never exposed.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from troposphere import And, Equals, FindInMap, Not, Parameter, Ref, Template

from ..catalog import alarms as alarm_catalog
from ..catalog import engines, node_types
from ..catalog import network as network_facts
from ..catalog.regions import DEFAULT_REGIONS, offered_node_types
from ..input.model import Alarm, ReplicationGroup, Spec
from ..input.schema import subschema
from ..vocabulary import names
from .members import MAX_REPLICAS
from .provenance import add_parameter, came_from

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


def target_regions(spec: Spec) -> tuple[str, ...]:
    """The StackSet's regions, else us-east-1 (synthesis does not see --regions:
    cfn-lint there checks the AllowedValues against the regions it is given)."""
    return spec.stack.stackset.regions if spec.stack.stackset else DEFAULT_REGIONS


def node_type_choices(spec: Spec) -> list[str]:
    """Node types a deployer may pick instead of the spec's (which is always one)."""
    own = node_types.lookup(_rg(spec).node_type)
    assert own is not None, "rules reject unknown node types before synthesis"
    offered = offered_node_types()
    regions = [r for r in target_regions(spec) if isinstance(offered.get(r), dict)]
    divisor = alarm_catalog.host_cpu_divisor(own.vcpus)
    scaled_cpu = _cpu_alarm_on(spec)

    def fits(node: node_types.NodeType) -> bool:
        return (
            node.current_generation
            and node.data_tiering == _rg(spec).topology.data_tiering
            and (not scaled_cpu or alarm_catalog.host_cpu_divisor(node.vcpus) == divisor)
            and (spec.network.network_type == "ipv4"
                 or node.family in network_facts.NITRO_FAMILIES)
            and not (spec.is_production and node.family.startswith("t"))
            and all(node.name in offered[r]["enum"] for r in regions)
        )

    chosen = {n.name for n in node_types.NODE_TYPES.values() if fits(n)} | {own.name}
    return sorted(chosen, key=lambda name: _node_order(name))


def _cpu_alarm_on(spec: Spec) -> bool:
    """The one alarm whose threshold and text depend on the node's vCPUs."""
    return any(alarm.key == "cpu" for alarm in spec.monitoring.alarms)


def _node_order(name: str) -> tuple[str, int, float]:
    node = node_types.lookup(name)
    assert node is not None
    return (node.family, node.vcpus, node.memory_gib)


def engine_version_choices(spec: Spec) -> list[str]:
    own = spec.version_info
    assert own is not None, "rules reject unknown engine versions before synthesis"
    # engines.versions() lists each engine's versions oldest first.
    same_family = [v.version for v in engines.versions()
                   if v.engine == spec.engine and v.family == own.family]
    return same_family[same_family.index(spec.engine_version):]


# CloudFormation's MinValue and MaxValue are inclusive; the spec's threshold
# ranges are open ("above 0 and below 100"). The Parameter takes the nearest
# hundredth inside them: a Number Parameter cannot say "above 0".
_STEP = 0.01


def threshold_bounds(alarm: Alarm) -> dict[str, float | int]:
    """The thresholds the spec accepts for this alarm (the catalog's range,
    which rules/monitoring.thresholds_reachable enforces on the spec), in
    what CloudWatch compares: scaled like the value (Alarm.value: a cpu
    threshold divided by vCPUs, a serverless limit's % times the limit)."""
    kind = alarm_catalog.BY_KEY[alarm.key]
    factor = alarm.scale / alarm.divisor
    # A floor below 0 means "0 or more" (counts: 0 = any eviction, any throttle).
    low = 0 if kind.minimum < 0 else kind.minimum + _STEP
    bounds = {"MinValue": _hundredths(math.ceil, low * factor)}
    if kind.maximum is not None:
        bounds["MaxValue"] = _hundredths(math.floor, (kind.maximum - _STEP) * factor)
    return bounds


def _hundredths(inward: Callable[[float], int], number: float) -> float | int:
    """`number` to the hundredth, rounded into the range; whole numbers as ints."""
    value = inward(round(number * 100, 6)) / 100
    return int(value) if value.is_integer() else value


def add_exposed_parameters(template: Template, spec: Spec) -> None:
    expose = spec.stack.exposes
    if expose("node_type"):
        add_parameter(template, Parameter(
            names.NODE_TYPE, Type="String", Default=_rg(spec).node_type,
            AllowedValues=node_type_choices(spec),
            Description="Node type. Changing it resizes the cluster online (minutes to "
            "hours); the choices are the ones cachec checked for this cache"
            + (" (with the cpu alarm on: nodes with its vCPU scaling)"
               if _cpu_alarm_on(spec) else "") + ".",
        ), ("node_type",))
    if expose("engine_version"):
        add_parameter(template, Parameter(
            names.ENGINE_VERSION, Type="String", Default=spec.engine_version,
            AllowedValues=engine_version_choices(spec),
            Description=f"{spec.engine} version: this one or a newer one of the same "
            "parameter-group family (ElastiCache refuses downgrades).",
        ), ("engine_version",))
    if expose("replicas"):
        _add_replicas(template, spec)
    if expose("backups.retention_days"):
        schema = subschema("backups", "retention_days")
        add_parameter(template, Parameter(
            names.BACKUP_RETENTION_DAYS, Type="Number", Default=spec.backups.retention_days,
            MinValue=schema["minimum"], MaxValue=schema["maximum"],
            Description="Days to keep automatic snapshots; 0 turns them off.",
        ), ("backups", "retention_days"))
    for alarm in spec.monitoring.alarms:
        if expose(names.exposed_threshold(alarm.key)):
            kind = alarm_catalog.BY_KEY[alarm.key]
            add_parameter(template, Parameter(
                names.alarm_threshold(alarm.key), Type="Number", Default=alarm.value,
                Description=f"{alarm.metric} threshold ({kind.unit}) of the {alarm.key} "
                "alarm, as CloudWatch compares it"
                + (f" (host CPU: the engine threshold / {alarm.divisor} vCPUs)"
                   if alarm.divisor > 1 else "") + ".",
                **threshold_bounds(alarm),
            ), ("monitoring", "alarms", alarm.key))


def _add_replicas(template: Template, spec: Spec) -> None:
    counts = [str(n) for n in range(MAX_REPLICAS + 1)]
    add_parameter(template, Parameter(
        names.REPLICAS, Type="String", Default=str(_rg(spec).topology.replicas),
        AllowedValues=counts,
        Description="Read replicas beside the primary. Adding or removing one is online.",
    ), _REPLICAS)
    template.add_mapping(names.NODE_COUNTS, {n: {"Nodes": int(n) + 1} for n in counts})
    came_from(template, _REPLICAS, "Mappings", names.NODE_COUNTS)
    if spec.monitoring.alarms:  # the alarms watch the nodes that exist (alarms.py)
        for count in range(2, MAX_REPLICAS + 2):
            # HasNode<k>: the group has a k-th node; node 1 always exists.
            fewer = [Not(Equals(Ref(names.REPLICAS), str(r))) for r in range(count - 1)]
            template.add_condition(names.has_node(count),
                                   fewer[0] if len(fewer) == 1 else And(*fewer))
            came_from(template, _REPLICAS, "Conditions", names.has_node(count))
    if _rg(spec).topology.replicas:
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
