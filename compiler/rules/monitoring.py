"""Alarms that can fire, and monitoring settings that do not contradict each other."""

from __future__ import annotations

from collections.abc import Iterator

from ..catalog import alarms, node_types
from ..diagnostics import Diagnostic, error, warning
from ..input.model import ReplicationGroup, Spec
from ..kinds import EC_GUIDE, ErrorKind, Stage, WarningKind

_MON = ("monitoring",)


_ALARM_METRICS = EC_GUIDE + "CacheMetrics.WhichShouldIMonitor.html"
UNREACHABLE_THRESHOLD = ErrorKind(
    "unreachable-threshold", Stage.RULES, "An alarm threshold the metric can never cross.",
    "The alarm would never fire (a percentage above 100, say).",
    "Use a threshold in the range the message gives.", _ALARM_METRICS,
)
ALWAYS_FIRING_THRESHOLD = ErrorKind(
    "always-firing-threshold", Stage.RULES, "An alarm threshold every reading crosses.",
    "The alarm would always fire, and an alarm that always fires is ignored.",
    "Use a threshold in the range the message gives.", _ALARM_METRICS,
)


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
                UNREACHABLE_THRESHOLD,
                path,
                f"{alarm.threshold:g} can never be crossed: {alarm.metric} never exceeds "
                f"{kind.maximum:g} {kind.unit}; use a threshold {allowed}",
            )
        elif alarm.threshold <= kind.minimum:
            yield error(
                ALWAYS_FIRING_THRESHOLD,
                path,
                f"{alarm.threshold:g} is crossed by every reading of {alarm.metric}, so the "
                f"alarm would always fire; use a threshold {allowed}",
            )


ENGINE_CPU_UNWATCHED = WarningKind(
    "engine-cpu-unwatched", Stage.RULES, "Host CPU is watched but engine CPU is not, on 4+ vCPUs.",
    "On larger nodes host CPUUtilization stays low while the single engine thread "
    "saturates; AWS recommends EngineCPUUtilization from 4 vCPUs.",
    "Turn the engine_cpu alarm back on.", EC_GUIDE + "CacheMetrics.WhichShouldIMonitor.html",
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
            ENGINE_CPU_UNWATCHED,
            (*_MON, "alarms", "engine_cpu"),
            f"on {rg.node_type} ({node.vcpus} vCPUs) the cpu alarm watches whole-host "
            "CPUUtilization, which stays low while the single engine thread saturates "
            "(AWS recommends EngineCPUUtilization from 4 vCPUs); turn engine_cpu back on",
        )


REPLICATION_LAG_NEEDS_REPLICAS = ErrorKind(
    "replication-lag-needs-replicas", Stage.RULES,
    "A replication-lag alarm on a cache without replicas.",
    "ReplicationLag is published only by replicas, so the alarm would sit in "
    "INSUFFICIENT_DATA.",
    "Remove the threshold or add replicas.", EC_GUIDE + "CacheMetrics.Redis.html",
)


def replication_lag_needs_replicas(spec: Spec, rg: ReplicationGroup) -> Iterator[Diagnostic]:
    replicas = rg.topology.replicas
    if not spec.sets("monitoring", "alarms", "replication_lag") or replicas:
        return
    if spec.monitoring.watches("replication_lag"):
        yield error(
            REPLICATION_LAG_NEEDS_REPLICAS,
            (*_MON, "alarms", "replication_lag"),
            "ReplicationLag is published only by replicas and this cache has none; "
            "remove the threshold or add replicas",
        )


# The per-state topic lists (monitoring.alarm_actions ...): extra topics of
# the alarms, beside the one topic of alarm_topic_arn / create_topic.
_ACTION_LISTS = ("alarm_actions", "ok_actions", "insufficient_data_actions")

MONITORING_DISABLED = ErrorKind(
    "monitoring-disabled", Stage.RULES, "Monitoring settings with monitoring.enabled: false.",
    "They would be ignored silently.", "Remove them or enable monitoring.",
)


def disabled_monitoring_is_not_configured(spec: Spec) -> Iterator[Diagnostic]:
    if spec.monitoring.enabled:
        return
    for key in ("alarm_topic_arn", "create_topic", *_ACTION_LISTS, "alarms", "dashboard"):
        if spec.sets("monitoring", key):
            yield error(
                MONITORING_DISABLED,
                (*_MON, key),
                f"monitoring.enabled is false, so {key} would be ignored; remove it or "
                "enable monitoring",
            )


TOPIC_CONFLICT = ErrorKind(
    "topic-conflict", Stage.RULES, "Both alarm_topic_arn and create_topic.",
    "Alarms notify one topic; cachec cannot tell which one was meant.",
    "Give either an existing topic or create_topic.",
)


def one_topic(spec: Spec) -> Iterator[Diagnostic]:
    mon = spec.monitoring
    if mon.alarm_topic_arn and mon.create_topic:
        yield error(
            TOPIC_CONFLICT,
            (*_MON, "create_topic"),
            "give either alarm_topic_arn (an existing topic) or create_topic (a new one), "
            "not both",
        )


EVICTIONS_NEVER_HAPPEN = WarningKind(
    "evictions-never-happen", Stage.RULES, "An evictions alarm under maxmemory-policy noeviction.",
    "Evictions stays 0 under noeviction (writes fail with OOM instead); the alarm can never "
    "fire.",
    "Rely on the memory alarm, or change the policy.", EC_GUIDE + "CacheMetrics.Redis.html",
)


def evictions_under_noeviction(spec: Spec, rg: ReplicationGroup) -> Iterator[Diagnostic]:
    if rg.parameter("maxmemory-policy") == "noeviction" and spec.monitoring.watches(
        "evictions"
    ):
        yield warning(
            EVICTIONS_NEVER_HAPPEN,
            (*_MON, "alarms", "evictions"),
            "maxmemory-policy is noeviction, so Evictions stays 0 (writes fail with OOM "
            "instead); the memory alarm is the one that warns you",
        )


ALARMS_WITHOUT_NOTIFICATIONS = WarningKind(
    "alarms-without-notifications", Stage.RULES, "Production alarms with no topic configured.",
    "Alarms notify nobody until the AlarmTopicName Parameter is set at deploy time.",
    "Set alarm_topic_arn, create_topic or alarm_actions.",
    "https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/"
    "Best_Practice_Recommended_Alarms_AWS_Services.html#ElastiCache",
)


def no_notifications(spec: Spec) -> Iterator[Diagnostic]:
    mon = spec.monitoring
    if spec.is_production and mon.alarms and not (
        mon.alarm_topic_arn or mon.create_topic or mon.alarm_actions
    ):
        yield warning(
            ALARMS_WITHOUT_NOTIFICATIONS,
            (*_MON, "alarm_topic_arn"),
            "alarms notify nobody until the AlarmTopicName Parameter is set at deploy time; "
            "set alarm_topic_arn, create_topic or alarm_actions",
        )


NOTIFICATIONS_WITHOUT_ALARMS = WarningKind(
    "notifications-without-alarms", Stage.RULES, "A notification topic with every alarm off.",
    "The topic has nothing to notify about and is left out of the template.",
    "Remove the topic setting or turn an alarm on.",
)


def notifications_without_alarms(spec: Spec) -> Iterator[Diagnostic]:
    mon = spec.monitoring
    if not mon.enabled or mon.alarms:
        return
    for key in ("alarm_topic_arn", "create_topic", *_ACTION_LISTS):
        if spec.sets("monitoring", key):
            yield warning(
                NOTIFICATIONS_WITHOUT_ALARMS,
                (*_MON, key),
                f"every alarm is turned off, so {key} has nothing to notify about and is "
                "left out of the template",
            )


# CloudWatch notifies only topics in the alarm's own region, so the template
# builds every topic ARN in the region and partition it is deployed to
# (synthesize/alarms.py): two ARNs that differ only in region or partition
# name the same topic there, and CloudWatch would get it twice.
DUPLICATE_ALARM_ACTION = ErrorKind(
    "duplicate-alarm-action", Stage.RULES,
    "A topic listed twice for one alarm state (the topic of alarm_topic_arn, or two ARNs "
    "that differ only in region or partition).",
    "The template builds each topic's ARN in the deploy region, so both entries become "
    "the same action; the list would notify the topic twice or name it for nothing.",
    "Remove the repeated topic: alarm_topic_arn already gets alarm, OK and "
    "insufficient-data notifications.",
    "https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html",
)


def _account_and_name(arn: str) -> tuple[str, str]:
    parts = arn.split(":")
    return parts[4], parts[5]


def action_lists_distinct(spec: Spec) -> Iterator[Diagnostic]:
    """Each per-state list names each topic once, and not the main topic."""
    mon = spec.monitoring
    main = _account_and_name(mon.alarm_topic_arn) if mon.alarm_topic_arn else None
    for key, arns in mon.extra_actions:
        seen: set[tuple[str, str]] = set()
        for index, arn in enumerate(arns):
            topic = _account_and_name(arn)
            if topic == main:
                yield error(
                    DUPLICATE_ALARM_ACTION, (*_MON, key, index),
                    f"topic {topic[1]} of account {topic[0]} is alarm_topic_arn's, which "
                    "already gets alarm, OK and insufficient-data notifications; remove it "
                    "here",
                )
            elif topic in seen:
                yield error(
                    DUPLICATE_ALARM_ACTION, (*_MON, key, index),
                    f"topic {topic[1]} of account {topic[0]} is listed twice: the template "
                    "builds each ARN in the region it is deployed to, so ARNs that differ "
                    "only in region name the same topic; remove one",
                )
            seen.add(topic)
