"""The alarms cachec can create: metric, statistic, default and reachable range.

Sources: ElastiCache "Which metrics should I monitor?"
(https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheMetrics.WhichShouldIMonitor.html),
CloudWatch "Recommended alarms" for ElastiCache, and the seed module's
thresholds (CPU 80 %, memory 85 %, connections 1000, "for 5 minutes").

ElastiCache publishes these metrics per member node only (dimension
CacheClusterId), never per replication group: an alarm on the group id has
no data and sits in INSUFFICIENT_DATA forever.
"""

from __future__ import annotations

from dataclasses import dataclass

NAMESPACE = "AWS/ElastiCache"
PERIOD_SECONDS = 60
# "for 5 minutes": five one-minute periods, all five breaching.
EVALUATION_PERIODS = 5
DATAPOINTS_TO_ALARM = 5
# ElastiCache refuses connections beyond 65,000 per node; a higher threshold
# can never be crossed.
MAX_CONNECTIONS = 65_000


@dataclass(frozen=True)
class AlarmKind:
    key: str  # spec key under monitoring.alarms
    logical_id: str  # template logical id, stable
    metric: str
    statistic: str
    default: float  # threshold when on and the spec gives none
    unit: str  # for messages and the dashboard: "%", "connections", ...
    minimum: float  # thresholds must be above this ...
    maximum: float | None  # ... and below this to be reachable at all
    treat_missing_data: str
    runbook: str

    def describe(self, threshold: float) -> str:
        value = f"{threshold:g}{'' if self.unit == '%' else ' '}{self.unit}"
        return f"{self.metric} ({self.statistic}) above {value}"


ALARMS: tuple[AlarmKind, ...] = (
    AlarmKind(
        "cpu", "CpuAlarm", "CPUUtilization", "Average", 80.0, "%", 0, 100, "missing",
        "Host CPU is high. On nodes with 2 vCPUs or fewer this includes the engine thread: "
        "look for expensive commands (SLOWLOG, KEYS, big Lua scripts) and scale up the node "
        "type.",
    ),
    AlarmKind(
        "engine_cpu", "EngineCpuAlarm", "EngineCPUUtilization", "Average", 90.0, "%", 0, 100,
        "missing",
        "The engine thread is saturated and latency will climb. Check the slow log and "
        "command mix; spread reads to replicas (reader endpoint), scale up, or add shards.",
    ),
    AlarmKind(
        "memory", "MemoryAlarm", "DatabaseMemoryUsagePercentage", "Average", 85.0, "%", 0,
        100, "missing",
        "Memory is nearly full: evictions or OOM errors follow. Check key growth and TTLs, "
        "the maxmemory-policy, then scale up the node type.",
    ),
    AlarmKind(
        "connections", "ConnectionsAlarm", "CurrConnections", "Average", 1000.0,
        "connections", 0, MAX_CONNECTIONS, "missing",
        "Unusually many client connections (the hard cap is 65,000 per node). Look for "
        "connection leaks or missing pooling in clients; check the timeout parameter.",
    ),
    AlarmKind(
        "evictions", "EvictionsAlarm", "Evictions", "Sum", 1000.0, "keys", -1, None, "missing",
        "Keys are being evicted to make room. Expected under an LRU/LFU policy at a low "
        "rate; a burst means the working set no longer fits: scale up or out.",
    ),
    AlarmKind(
        "replication_lag", "ReplicationLagAlarm", "ReplicationLag", "Average", 30.0, "s", 0,
        None,
        # The primary publishes no ReplicationLag: missing data is normal there.
        "notBreaching",
        "Replicas are falling behind the primary: reads from replicas are stale and a "
        "failover may lose writes. Check network throughput and write volume on the "
        "primary.",
    ),
)

BY_KEY = {a.key: a for a in ALARMS}

# AWS: CPUUtilization for nodes with 2 vCPUs or fewer, EngineCPUUtilization
# for 4 or more (the engine is single-threaded, so host CPU hides a saturated
# engine thread on large nodes).
SMALL_NODE_MAX_VCPUS = 2
