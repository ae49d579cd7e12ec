"""The alarms cachec can create: metric, statistic, default and reachable range.

Sources (read 2026):

* ElastiCache "Which metrics should I monitor?",
  https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheMetrics.WhichShouldIMonitor.html
  (CPUUtilization: "For smaller node types with 2vCPUs or less, use the
  CPUUtilization metric ... Because Valkey and Redis OSS are both
  single-threaded, the actual threshold value should be calculated as a
  fraction of the node's total capacity. For example, suppose you are using a
  node type that has two cores. In this case, the threshold for
  CPUUtilization would be 90/2, or 45%.").
* ElastiCache "Metrics for Valkey and Redis OSS",
  https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheMetrics.Redis.html
  (EngineCPUUtilization is the engine thread's own CPU; "For larger node types
  with four vCPUs or more, use the EngineCPUUtilization metric to monitor and
  set thresholds for scaling"; DatabaseCapacityUsagePercentage, see
  DATA_TIERED_MEMORY_METRIC).
* ElastiCache "Host-level metrics",
  https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheMetrics.HostLevel.html
  (CPUUtilization is "The percentage of CPU utilization for the entire host.
  Because Valkey and Redis OSS are single-threaded, we recommend you monitor
  EngineCPUUtilization metric for nodes with 4 or more vCPUs").
* ElastiCache "Scaling considerations",
  https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Scaling-considerations.html
  (on nodes with enhanced I/O, CPUUtilization "reflects the aggregate CPU
  usage across all cores on the node, including the dedicated I/O threads").
* CloudWatch "Recommended alarms" for ElastiCache,
  https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Best_Practice_Recommended_Alarms_AWS_Services.html#ElastiCache
  (not readable from here; the thresholds above do not depend on it).
* The seed module's thresholds (CPU 80 %, memory 85 %, connections 1000,
  "for 5 minutes").

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
    key: str  # spec key under monitoring.alarms (its logical id: vocabulary/names.ALARMS)
    metric: str
    statistic: str
    default: float  # threshold when on and the spec gives none
    unit: str  # for messages and the dashboard: "%", "connections", ...
    minimum: float  # thresholds must be above this ...
    maximum: float | None  # ... and below this to be reachable at all
    treat_missing_data: str
    # What to do, with {reads}, {scale}, {cap} and {idle} standing for advice that
    # depends on the cache's shape (Shape.phrases): a runbook must be true on
    # every shape its alarm is emitted on.
    runbook: str

    def amount(self, threshold: float) -> str:
        """80%, 1000 connections, 30 s."""
        return f"{threshold:g}{'' if self.unit == '%' else ' '}{self.unit}"

    def runbook_for(self, shape: Shape) -> str:
        return self.runbook.format(**shape.phrases())


@dataclass(frozen=True)
class Shape:
    """What a runbook may point a reader to on this cache."""

    serverless: bool = False
    cluster_mode: bool = False
    replicas: bool = False

    def phrases(self) -> dict[str, str]:
        if self.serverless:
            # No nodes, replicas or shards to act on; the limits are the knobs.
            # AWS states no per-connection cap for serverless caches that
            # could be confirmed here: none is named.
            return {"reads": "send reads to the reader endpoint (port 6380)",
                    "scale": "raise max_data_storage_gb", "cap": "", "idle": ""}
        if not self.replicas:
            reads = "add replicas to take reads"
        elif self.cluster_mode:
            # Cluster mode has a configuration endpoint and no reader endpoint
            # (GetAtt ReaderEndPoint exists only with cluster mode disabled,
            # AWS::ElastiCache::ReplicationGroup return values); a cluster-aware
            # client reads from replicas after READONLY.
            reads = "send reads to the replicas (READONLY in a cluster-aware client)"
        else:
            reads = "send reads to the replicas (reader endpoint)"
        return {
            "reads": reads,
            # Shards exist only in cluster mode: a group without it cannot add any.
            "scale": "scale up the node type or add shards" if self.cluster_mode
            else "scale up the node type",
            "cap": f" (the hard cap is {MAX_CONNECTIONS:,} per node)",
            # Serverless caches have no parameter group to set it in.
            "idle": "; check the timeout parameter",
        }


ALARMS: tuple[AlarmKind, ...] = (
    AlarmKind(
        # The spec's threshold is the engine thread's saturation; see host_cpu_divisor.
        "cpu", "CPUUtilization", "Average", 80.0, "%", 0, 100, "missing",
        "Look for expensive commands (SLOWLOG, KEYS, big Lua scripts); {reads}, or {scale}.",
    ),
    AlarmKind(
        # EngineCPUUtilization already is the engine thread's share of one core
        # ("Provides CPU utilization of the Valkey or Redis OSS engine thread",
        # CacheMetrics.Redis.html above): its threshold needs no vCPU scaling.
        "engine_cpu", "EngineCPUUtilization", "Average", 90.0, "%", 0, 100,
        "missing",
        "The engine thread is saturated and latency will climb. Check the slow log and "
        "command mix; {reads}, or {scale}.",
    ),
    AlarmKind(
        "memory", "DatabaseMemoryUsagePercentage", "Average", 85.0, "%", 0,
        100, "missing",
        "The dataset nearly fills the node: evictions or OOM errors follow. Check key growth "
        "and TTLs, the maxmemory-policy, then {scale}.",
    ),
    AlarmKind(
        "connections", "CurrConnections", "Average", 1000.0,
        "connections", 0, MAX_CONNECTIONS, "missing",
        "Unusually many client connections{cap}. Look for connection leaks or missing "
        "pooling in clients{idle}.",
    ),
    AlarmKind(
        "evictions", "Evictions", "Sum", 1000.0, "keys", -1, None, "missing",
        "Keys are being evicted to make room. Expected under an LRU/LFU policy at a low "
        "rate; a burst means the working set no longer fits: {scale}.",
    ),
    AlarmKind(
        "replication_lag", "ReplicationLag", "Average", 30.0, "s", 0,
        None,
        # The primary publishes no ReplicationLag: missing data is normal there.
        "notBreaching",
        "Replicas are falling behind the primary: reads from replicas are stale and a "
        "failover may lose writes. Check network throughput and write volume on the "
        "primary.",
    ),
    # Serverless caches (SERVERLESS_METRICS below). Their "per node" is the cache.
    AlarmKind(
        # Throttling means failed requests: any is worth a look (threshold 0).
        "throttled_commands", "ThrottledCmds", "Sum", 0.0, "commands", -1, None, "notBreaching",
        "Requests are being throttled: the workload grew faster than the cache scales, or "
        "hit max_ecpu_per_second. Raise the limit, set min_ecpu_per_second ahead of known "
        "peaks, or smooth the client's bursts.",
    ),
    AlarmKind(
        # The threshold is a % of max_ecpu_per_second; the metric is ECPUs
        # consumed, summed per minute (serverless_scales).
        "ecpu", "ElastiCacheProcessingUnits", "Sum", 80.0, "%", 0, 100, "notBreaching",
        "The cache nears max_ecpu_per_second: beyond it requests are throttled. Raise the "
        "limit or look for expensive commands.",
    ),
    AlarmKind(
        "data_storage", "BytesUsedForCache", "Maximum", 80.0, "%", 0, 100, "missing",
        "Cached data nears max_data_storage_gb: beyond it the cache evicts or refuses "
        "writes. Raise the limit, or check key growth and TTLs.",
    ),
)

BY_KEY = {a.key: a for a in ALARMS}

# Which alarms each shape has. Serverless metrics (ElastiCache "Serverless
# metrics and events for Valkey and Redis OSS",
# https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/serverless-metrics-events-redis.html):
# BytesUsedForCache (Bytes), ElastiCacheProcessingUnits ("The total number of
# ECPUs consumed by the requests executed on your cache", Count), ThrottledCmds,
# CurrConnections, Evictions; no CPU, memory-percentage or replication metrics.
NODE_ALARMS = frozenset({"cpu", "engine_cpu", "memory", "connections", "evictions",
                         "replication_lag"})
SERVERLESS_ALARMS = frozenset({"throttled_commands", "ecpu", "data_storage", "connections",
                               "evictions"})
# The dimension serverless metrics carry: the cache's name. The metrics page
# above names no dimension; open-constructs/aws-cdk-library's ServerlessCache
# (src/aws-elasticache/serverless-cache.ts, metric()) uses
# `dimensionsMap: {clusterId: this.serverlessCacheName}`.
SERVERLESS_DIMENSION = "clusterId"
# The usage limit's unit: GB as 10^9 bytes. Should AWS mean GiB, the alarm
# fires a little early (at 74.5 % instead of 80 %), never late.
BYTES_PER_GB = 1_000_000_000


def serverless_scales(max_ecpu: int | None, max_storage_gb: int | None) -> dict[str, float]:
    """What 1 % of each serverless limit is in its metric's unit per PERIOD_SECONDS."""
    scales = {}
    if max_ecpu is not None:
        # ECPUs per second x the seconds a Sum over one period adds up.
        scales["ecpu"] = max_ecpu * PERIOD_SECONDS / 100
    if max_storage_gb is not None:
        scales["data_storage"] = max_storage_gb * BYTES_PER_GB / 100
    return scales

# AWS: CPUUtilization for nodes with 2 vCPUs or fewer, EngineCPUUtilization
# for 4 or more (the engine is single-threaded, so host CPU hides a saturated
# engine thread on large nodes).
SMALL_NODE_MAX_VCPUS = 2

# On data-tiered nodes (r6gd) ElastiCache moves values from DRAM to SSD "when
# available memory (DRAM) is fully consumed" (https://docs.aws.amazon.com/
# AmazonElastiCache/latest/dg/data-tiering.html), so DatabaseMemoryUsagePercentage
# (used_memory/maxmemory) sits near 100 % by design. DatabaseCapacityUsagePercentage
# counts memory and SSD: "On Data Tiered instances, the metric is calculated as
# (used_memory - mem_not_counted_for_evict + SSD used) / (maxmemory + SSD total
# capacity) ... In all other cases, the metric is calculated using
# used_memory/maxmemory". That wording is MemoryDB's metric list
# (https://docs.aws.amazon.com/memorydb/latest/devguide/metrics.memorydb.html);
# ElastiCache lists the metric in CacheMetrics.Redis.html above, and AWS's
# ElastiCache skill in github.com/aws/agent-toolkit-for-aws (dashboard
# reference) says the same for ElastiCache: "On data-tiering instances (r6gd),
# the formula includes SSD storage; on all other instances, it is calculated
# as used_memory/maxmemory".
DATA_TIERED_MEMORY_METRIC = "DatabaseCapacityUsagePercentage"


def metric(kind: AlarmKind, *, data_tiering: bool) -> str:
    """The CloudWatch metric an alarm kind watches on this cache."""
    if kind.key == "memory" and data_tiering:
        return DATA_TIERED_MEMORY_METRIC
    return kind.metric


def host_cpu_divisor(vcpus: int | None) -> int:
    """What the `cpu` threshold (engine saturation %) is divided by for CPUUtilization.

    On nodes with 2 vCPUs or fewer the single engine thread can use one vCPU
    at most, so a saturated engine shows 100 / vCPUs % host CPU: AWS's 90/2 =
    45 % (WhichShouldIMonitor above). On 4 or more vCPUs the other cores run
    enhanced-I/O threads (Scaling considerations above), so host CPU says
    nothing about the engine thread: there `cpu` watches the whole host,
    unscaled, and `engine_cpu` watches the engine. Unknown sizes: unscaled.
    """
    if vcpus is not None and vcpus <= SMALL_NODE_MAX_VCPUS:
        return vcpus
    return 1
