"""Alarms that can fire, and monitoring settings that do not contradict each other."""

from __future__ import annotations

from collections.abc import Iterator

from .. import kinds
from ..catalog import alarms, node_types
from ..diagnostics import Diagnostic, error, warning
from ..input.model import ReplicationGroup, Spec

_MON = ("monitoring",)


def thresholds_reachable(spec: Spec) -> Iterator[Diagnostic]:
    """A threshold the metric can never cross is an alarm that never fires; one
    every reading crosses is an alarm that always fires. Both are errors.

    Checked on the spec's threshold: for `cpu` that is the engine thread's
    saturation, which never exceeds 100 % even where CloudWatch compares host
    CPU with a scaled-down threshold."""
    for alarm in spec.monitoring.alarms:
        kind = alarms.BY_KEY[alarm.key]
        path = (*_MON, "alarms", alarm.key)
        # Evictions' floor is -1 so that 0 ("any eviction") stays a valid threshold.
        floor = "of 0 or more" if kind.minimum < 0 else f"above {kind.minimum:g}"
        allowed = floor + (
            f" and below {kind.maximum:g}" if kind.maximum is not None else ""
        )
        if kind.maximum is not None and alarm.threshold >= kind.maximum:
            yield error(
                kinds.UNREACHABLE_THRESHOLD,
                path,
                f"{alarm.threshold:g} can never be crossed: {alarm.metric} never exceeds "
                f"{kind.maximum:g} {kind.unit}; use a threshold {allowed}",
            )
        elif alarm.threshold <= kind.minimum:
            yield error(
                kinds.ALWAYS_FIRING_THRESHOLD,
                path,
                f"{alarm.threshold:g} is crossed by every reading of {alarm.metric}, so the "
                f"alarm would always fire; use a threshold {allowed}",
            )


def engine_cpu_unwatched(spec: Spec, rg: ReplicationGroup) -> Iterator[Diagnostic]:
    """On 4 or more vCPUs `cpu` watches whole-host CPU, which stays low while
    the single engine thread saturates: only engine_cpu sees that."""
    node = node_types.lookup(rg.node_type)
    mon = spec.monitoring
    if node is None or node.vcpus <= alarms.SMALL_NODE_MAX_VCPUS:
        return
    if mon.watches("cpu") and not mon.watches("engine_cpu"):
        yield warning(
            kinds.ENGINE_CPU_UNWATCHED,
            (*_MON, "alarms", "engine_cpu"),
            f"on {rg.node_type} ({node.vcpus} vCPUs) the cpu alarm watches whole-host "
            "CPUUtilization, which stays low while the single engine thread saturates "
            "(AWS recommends EngineCPUUtilization from 4 vCPUs); turn engine_cpu back on",
        )


def replication_lag_needs_replicas(spec: Spec, rg: ReplicationGroup) -> Iterator[Diagnostic]:
    replicas = rg.topology.replicas
    if not spec.sets("monitoring", "alarms", "replication_lag") or replicas:
        return
    if spec.monitoring.watches("replication_lag"):
        yield error(
            kinds.REPLICATION_LAG_NEEDS_REPLICAS,
            (*_MON, "alarms", "replication_lag"),
            "ReplicationLag is published only by replicas and this cache has none; "
            "remove the threshold or add replicas",
        )


def disabled_monitoring_is_not_configured(spec: Spec) -> Iterator[Diagnostic]:
    if spec.monitoring.enabled:
        return
    for key in ("alarm_topic_arn", "create_topic", "alarms", "dashboard"):
        if spec.sets("monitoring", key):
            yield error(
                kinds.MONITORING_DISABLED,
                (*_MON, key),
                f"monitoring.enabled is false, so {key} would be ignored; remove it or "
                "enable monitoring",
            )


def one_topic(spec: Spec) -> Iterator[Diagnostic]:
    mon = spec.monitoring
    if mon.alarm_topic_arn and mon.create_topic:
        yield error(
            kinds.TOPIC_CONFLICT,
            (*_MON, "create_topic"),
            "give either alarm_topic_arn (an existing topic) or create_topic (a new one), "
            "not both",
        )


def evictions_under_noeviction(spec: Spec, rg: ReplicationGroup) -> Iterator[Diagnostic]:
    if rg.parameter("maxmemory-policy") == "noeviction" and spec.monitoring.watches(
        "evictions"
    ):
        yield warning(
            kinds.EVICTIONS_NEVER_HAPPEN,
            (*_MON, "alarms", "evictions"),
            "maxmemory-policy is noeviction, so Evictions stays 0 (writes fail with OOM "
            "instead); the memory alarm is the one that warns you",
        )


def no_notifications(spec: Spec) -> Iterator[Diagnostic]:
    mon = spec.monitoring
    if spec.is_production and mon.alarms and not (mon.alarm_topic_arn or mon.create_topic):
        yield warning(
            kinds.ALARMS_WITHOUT_NOTIFICATIONS,
            (*_MON, "alarm_topic_arn"),
            "alarms notify nobody until the AlarmTopicName Parameter is set at deploy time; "
            "set alarm_topic_arn or create_topic",
        )


def notifications_without_alarms(spec: Spec) -> Iterator[Diagnostic]:
    mon = spec.monitoring
    if not mon.enabled or mon.alarms:
        return
    for key in ("alarm_topic_arn", "create_topic"):
        if spec.sets("monitoring", key):
            yield warning(
                kinds.NOTIFICATIONS_WITHOUT_ALARMS,
                (*_MON, key),
                f"every alarm is turned off, so {key} has nothing to notify about and is "
                "left out of the template",
            )
