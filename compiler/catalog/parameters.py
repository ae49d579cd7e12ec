"""Valkey / Redis OSS parameter-group parameters that a cachec spec may override.

CloudFormation accepts any string map in ``AWS::ElastiCache::ParameterGroup.Properties``
and cfn-lint checks none of it, so a typo (``maxmemory-polcy``), an out-of-range value
or a parameter the family does not have only fails at deploy time, after the stack has
started changing. ``check`` moves those failures to compile time.

Sources, per family. Every entry below is checked by tests/test_catalog_parameters.py
against tests/data/elasticache_parameters.json, a machine-readable extract of these
sources (see tests/data/README.md); that test lists each disagreement.

* Baseline for every family: the redis5.0 engine defaults as the API returns them
  (``describe-engine-default-parameters``: ``AllowedValues``, ``IsModifiable``), printed in
  the AWS CLI example aws/aws-cli awscli/examples/elasticache/
  describe-engine-default-parameters.rst (commit 4132e21f, 2020-02-11). Where the API and
  the user guide disagree for the same family the API wins, because it is what ElastiCache
  validates against (``active-defrag-ignore-bytes``: guide 10485760-104857600, API
  ``1048576-``).
* Each family = the family before it plus the "added / changed / removed" tables of
  "Engine specific parameters",
  https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/ParameterGroups.Engine.html
  (stored copy read 2026-11-27), section by section:

  - redis6.x: "Redis OSS 6.x parameter changes" (#ParameterGroups.Redis.6-x) on top of
    the redis5.0 API baseline.
  - redis7: "Valkey 7.2 and Redis OSS 7 parameter changes" (#ParameterGroups.Redis.7):
    ``*-ziplist-*`` replaced by ``*-listpack-*``; adds ``latency-tracking``,
    ``cluster-allow-pubsubshard-when-down``, ``cluster-preferred-endpoint-type``;
    ``activerehashing`` becomes unmodifiable.
  - valkey7: the same section: "Valkey 7.2 parameters are the same as Redis OSS 7".
  - valkey8: "Valkey 8.0 parameter changes" (#ParameterGroups.Valkey.8: removes
    ``lazyfree-lazy-eviction``, ``-expire``, ``-server-del``, ``-user-del`` and
    ``replica-lazy-flush``, adds ``extended-redis-compatibility``, caps
    ``maxmemory-samples`` at 64), "Valkey 8.1 parameter changes"
    (#ParameterGroups.Valkey.8.1: ``commandlog-*``) and "Valkey 8.2 parameter changes"
    (#ParameterGroups.Valkey.8.2: ``search-*``); one family covers 8.0 to 8.2.
  - valkey9: "Valkey 9.1 and Valkey 9.0 parameter changes" (#ParameterGroups.Valkey.9.0):
    valkey8 plus ``cluster-databases``.

No machine-readable dump of the redis6.x to valkey9 families was found in public
repositories, so they rest on that derivation: a parameter the guide never mentions again
keeps its redis5.0 API facts (e.g. ``rename-commands``). Not confirmed by any source, and
marked where they are used: the value rules of the parameters whose permitted values
neither source states (``_int`` bounds taken from the engine's own config table instead),
and whether ElastiCache accepts the engine directives ``lazyfree-lazy-user-flush`` and
``list-max-listpack-size`` (no family lists them).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from ..diagnostics import did_you_mean

FAMILIES: tuple[str, ...] = ("redis6.x", "redis7", "valkey7", "valkey8", "valkey9")

# Family sets used below. FAMILIES is ordered along the upgrade path (redis6.x ->
# redis7 -> valkey7 -> valkey8 -> valkey9), which is what lets a message say
# "needs redis7 or later".
_ALL = frozenset(FAMILIES)
_REDIS7_ON = frozenset({"redis7", "valkey7", "valkey8", "valkey9"})
_UP_TO_VALKEY7 = frozenset({"redis6.x", "redis7", "valkey7"})
_REDIS6_ONLY = frozenset({"redis6.x"})
_VALKEY8_ON = frozenset({"valkey8", "valkey9"})
_VALKEY9_ON = frozenset({"valkey9"})

_YES_NO: tuple[str, ...] = ("no", "yes")

# r6gd (data tiering) nodes accept only these eviction policies ("In Redis OSS 6.2, when
# the r6gd node family was introduced ... only noeviction, volatile-lru and allkeys-lru
# max-memory policies are supported"). ``check`` does not know the node type; the rule
# that does can use this.
DATA_TIERING_MAXMEMORY_POLICIES: tuple[str, ...] = ("allkeys-lru", "noeviction", "volatile-lru")

_MANAGED_BY_AWS = "ElastiCache does not allow this parameter to be modified"


@dataclass(frozen=True)
class ParameterSpec:
    """What ElastiCache accepts for one parameter.

    ``excluded_range`` and ``pattern_hint`` extend the fields in the design brief:
    ``timeout`` accepts 0 or 20 and more (AWS ``AllowedValues: "0,20-"``), which a
    plain minimum/maximum cannot say, and a regex alone makes a poor error message.
    ``maximum_families`` limits ``maximum`` to some families (None: all of them), for a
    bound AWS introduced in a later family (``maxmemory-samples``).
    """

    name: str
    description: str
    families: frozenset[str]
    allowed: tuple[str, ...] = ()
    minimum: int | None = None
    maximum: int | None = None
    pattern: str | None = None
    reserved_reason: str | None = None
    excluded_range: tuple[int, int] | None = None
    pattern_hint: str | None = None
    maximum_families: frozenset[str] | None = None

    def maximum_in(self, family: str) -> int | None:
        if self.maximum_families is None or family in self.maximum_families:
            return self.maximum
        return None


def _enum(
    name: str, description: str, families: frozenset[str], allowed: tuple[str, ...]
) -> ParameterSpec:
    return ParameterSpec(name, description, families, allowed=tuple(sorted(allowed)))


def _int(
    name: str,
    description: str,
    families: frozenset[str],
    minimum: int | None = None,
    maximum: int | None = None,
) -> ParameterSpec:
    return ParameterSpec(name, description, families, minimum=minimum, maximum=maximum)


def _reserved(name: str, description: str, families: frozenset[str], reason: str) -> ParameterSpec:
    return ParameterSpec(name, description, families, reserved_reason=reason)


_SPECS: tuple[ParameterSpec, ...] = (
    # --- Memory and eviction -----------------------------------------------------------
    _enum(
        "maxmemory-policy",
        "Eviction policy applied when maxmemory is reached.",
        _ALL,
        (
            "volatile-lru",
            "allkeys-lru",
            "volatile-lfu",
            "allkeys-lfu",
            "volatile-random",
            "allkeys-random",
            "volatile-ttl",
            "noeviction",
        ),
    ),
    # API (redis5.0): "1-", and the Redis 6.x/7.x engines accept up to INT_MAX (src/config.c
    # createIntConfig("maxmemory-samples", ..., 1, INT_MAX, ...)); the "Valkey 8.0 parameter
    # changes" table sets "Permitted values: 1 to 64".
    ParameterSpec(
        "maxmemory-samples",
        "Number of keys sampled for LRU, LFU and TTL eviction decisions.",
        _ALL,
        minimum=1,
        maximum=64,
        maximum_families=_VALKEY8_ON,
    ),
    _int(
        "reserved-memory-percent",
        "Percent of node memory reserved for non-data use (backups, replication, overhead).",
        _ALL,
        0,
        100,
    ),
    _reserved(
        "maxmemory",
        "Bytes available for data on the node.",
        _ALL,
        "node-type specific and fixed by AWS (use reserved-memory-percent instead)",
    ),
    _int(
        "lfu-log-factor",
        "Log factor that determines how many hits saturate the LFU key counter.",
        _ALL,
        1,
    ),
    _int(
        "lfu-decay-time",
        "Minutes after which the LFU key counter is decremented.",
        _ALL,
        0,
    ),
    # --- Lazy freeing (asynchronous delete) --------------------------------------------
    # Valkey 8.0 removed these from the parameter group ("Removed parameter groups in
    # Valkey 8.0"), hence up to valkey7 only.
    _enum(
        "lazyfree-lazy-eviction",
        "Perform an asynchronous delete on evictions.",
        _UP_TO_VALKEY7,
        _YES_NO,
    ),
    _enum(
        "lazyfree-lazy-expire",
        "Perform an asynchronous delete on expired keys.",
        _UP_TO_VALKEY7,
        _YES_NO,
    ),
    _enum(
        "lazyfree-lazy-server-del",
        "Perform an asynchronous delete for commands that update values.",
        _UP_TO_VALKEY7,
        _YES_NO,
    ),
    _enum(
        "lazyfree-lazy-user-del",
        "When yes, DEL behaves like UNLINK (added in Redis OSS 6.0).",
        _UP_TO_VALKEY7,
        _YES_NO,
    ),
    # The engine has had this directive since Redis 6.2, but no ElastiCache parameter
    # group family lists it (not in the 6.x additions, not in Redis OSS 7 / Valkey 7.2,
    # not in Valkey 8.x / 9). An empty family set makes check() say so instead of
    # letting the deploy fail.
    ParameterSpec(
        "lazyfree-lazy-user-flush",
        "Default FLUSHDB / FLUSHALL / SCRIPT FLUSH to asynchronous (engine directive).",
        frozenset(),
        allowed=_YES_NO,
    ),
    _reserved(
        "replica-lazy-flush",
        "Perform an asynchronous flushDB during replica sync.",
        _UP_TO_VALKEY7,
        _MANAGED_BY_AWS,
    ),
    # --- Active defragmentation --------------------------------------------------------
    _enum(
        "activedefrag",
        "Enable active defragmentation (AWS may also defragment on 7.0+ when needed).",
        _ALL,
        _YES_NO,
    ),
    _int(
        "active-defrag-ignore-bytes",
        "Minimum amount of fragmentation waste, in bytes, to start active defrag.",
        _ALL,
        1048576,
    ),
    _int(
        "active-defrag-threshold-lower",
        "Minimum percentage of fragmentation to start active defrag.",
        _ALL,
        1,
        100,
    ),
    _int(
        "active-defrag-threshold-upper",
        "Percentage of fragmentation at which maximum defrag effort is used.",
        _ALL,
        1,
        100,
    ),
    _int(
        "active-defrag-cycle-min",
        "Minimal defrag effort, in CPU percent.",
        _ALL,
        1,
        75,
    ),
    _int(
        "active-defrag-cycle-max",
        "Maximal defrag effort, in CPU percent.",
        _ALL,
        1,
        75,
    ),
    _int(
        "active-defrag-max-scan-fields",
        "Maximum set/hash/zset/list fields processed from the main dictionary scan.",
        _ALL,
        1,
        1000000,
    ),
    _reserved(
        "activerehashing",
        "Incremental rehashing of the main hash table.",
        _ALL,
        "AWS keeps it enabled (hidden in Redis OSS 7+; redis6.x allows a change only "
        "before the group is attached to a cluster)",
    ),
    _int(
        "active-expire-effort",
        "Effort spent expiring keys in the periodic job (1 = default, up to 10).",
        _ALL,
        1,
        10,
    ),
    # --- Clients and connections -------------------------------------------------------
    # AllowedValues "0,20-": 1 to 19 seconds are rejected by AWS.
    ParameterSpec(
        "timeout",
        "Seconds before an idle client is disconnected (0 = never).",
        _ALL,
        minimum=0,
        excluded_range=(1, 19),
    ),
    _int(
        "tcp-keepalive",
        "If non-zero, send TCP ACKs to clients every given number of seconds.",
        _ALL,
        0,
    ),
    _reserved(
        "maxclients",
        "Maximum number of connected clients.",
        _ALL,
        "fixed by AWS per node type (65,000 on most types)",
    ),
    _int(
        "client-output-buffer-limit-normal-hard-limit",
        "Normal client output buffer hard limit, in bytes (0 = none).",
        _ALL,
        0,
    ),
    _int(
        "client-output-buffer-limit-normal-soft-limit",
        "Normal client output buffer soft limit, in bytes (0 = none).",
        _ALL,
        0,
    ),
    _int(
        "client-output-buffer-limit-normal-soft-seconds",
        "Seconds a normal client may stay over the soft limit before disconnection.",
        _ALL,
        0,
    ),
    _int(
        "client-output-buffer-limit-pubsub-hard-limit",
        "Pub/sub client output buffer hard limit, in bytes.",
        _ALL,
        0,
    ),
    _int(
        "client-output-buffer-limit-pubsub-soft-limit",
        "Pub/sub client output buffer soft limit, in bytes.",
        _ALL,
        0,
    ),
    _int(
        "client-output-buffer-limit-pubsub-soft-seconds",
        "Seconds a pub/sub client may stay over the soft limit before disconnection.",
        _ALL,
        0,
    ),
    _reserved(
        "client-output-buffer-limit-replica-hard-limit",
        "Replica client output buffer hard limit, in bytes.",
        _ALL,
        "node-type specific and fixed by AWS",
    ),
    _reserved(
        "client-output-buffer-limit-replica-soft-limit",
        "Replica client output buffer soft limit, in bytes.",
        _ALL,
        "node-type specific and fixed by AWS",
    ),
    _reserved(
        "client-output-buffer-limit-replica-soft-seconds",
        "Seconds a replica client may stay over the soft limit before disconnection.",
        _ALL,
        _MANAGED_BY_AWS,
    ),
    _int(
        "client-query-buffer-limit",
        "Maximum size of a single client query buffer, in bytes.",
        _ALL,
        1048576,
        1073741824,
    ),
    _int(
        "proto-max-bulk-len",
        "Maximum size of a single element request, in bytes.",
        _ALL,
        1048576,
        536870912,
    ),
    _enum(
        "acl-pubsub-default",
        "Default pub/sub channel permissions for ACL users (added in Redis OSS 6.2).",
        _ALL,
        ("allchannels", "resetchannels"),
    ),
    # The 6.x table gives no permitted values for these two; 0 and up is the engine's
    # own range (createULongConfig / createSizeTConfig 0..LONG_MAX in src/config.c).
    _int(
        "acllog-max-len",
        "Maximum number of entries in the ACL log.",
        _ALL,
        0,
    ),
    _int(
        "tracking-table-max-keys",
        "Upper bound of the client-side-caching key tracking table (0 = no limit).",
        _ALL,
        0,
    ),
    # "Redis OSS 5.0.3 parameter changes": "A space-separated list of renamed Redis OSS
    # commands". The API lists the commands that may be renamed, not the value's syntax,
    # so only the list shape is checked.
    ParameterSpec(
        "rename-commands",
        "Space-separated list of renamed commands (e.g. 'flushall myflushall').",
        _ALL,
        pattern=r"(\S+( \S+)*)?",
        pattern_hint="must be a space-separated list of command names (or empty)",
    ),
    # --- Keyspace notifications --------------------------------------------------------
    # Letters from "Redis OSS 2.8.6 added parameters", which adds: "Do not use any
    # characters other than those listed above; attempts to do so will result in error
    # messages." The engines also know t (stream), m (key miss), n (new key) and d
    # (module); no ElastiCache source says they are accepted, so they are refused.
    ParameterSpec(
        "notify-keyspace-events",
        "Keyspace event classes published to Pub/Sub (include K or E, or nothing is sent).",
        _ALL,
        pattern=r"[KEg$lshzxeA]*",
        pattern_hint="may contain only the letters K E g $ l s h z x e A (or be empty)",
    ),
    # --- Slow log and latency ----------------------------------------------------------
    # AllowedValues "-": any integer; negative disables the slow log, 0 logs everything.
    _int(
        "slowlog-log-slower-than",
        "Execution time, in microseconds, above which a command is slow-logged.",
        _ALL,
    ),
    _int(
        "slowlog-max-len",
        "Maximum length of the slow log.",
        _ALL,
        0,
    ),
    _enum(
        "latency-tracking",
        "Track per-command latency percentiles (INFO latencystats, LATENCY HISTOGRAM).",
        _REDIS7_ON,
        _YES_NO,
    ),
    _reserved(
        "lua-time-limit",
        "Maximum execution time of a Lua script, in milliseconds.",
        _ALL,
        "AWS fixes it at 5000 ms",
    ),
    # --- Encodings of small aggregates -------------------------------------------------
    _int(
        "hash-max-ziplist-entries",
        "Maximum hash entries for the compact (ziplist) encoding.",
        _REDIS6_ONLY,
        0,
    ),
    _int(
        "hash-max-ziplist-value",
        "Maximum hash value size, in bytes, for the compact (ziplist) encoding.",
        _REDIS6_ONLY,
        0,
    ),
    _int(
        "zset-max-ziplist-entries",
        "Maximum sorted set entries for the compact (ziplist) encoding.",
        _REDIS6_ONLY,
        0,
    ),
    _int(
        "zset-max-ziplist-value",
        "Maximum sorted set value size, in bytes, for the compact (ziplist) encoding.",
        _REDIS6_ONLY,
        0,
    ),
    _int(
        "hash-max-listpack-entries",
        "Maximum hash entries for the compact (listpack) encoding.",
        _REDIS7_ON,
        0,
    ),
    _int(
        "hash-max-listpack-value",
        "Maximum hash value size, in bytes, for the compact (listpack) encoding.",
        _REDIS7_ON,
        0,
    ),
    _int(
        "zset-max-listpack-entries",
        "Maximum sorted set entries for the compact (listpack) encoding.",
        _REDIS7_ON,
        0,
    ),
    _int(
        "zset-max-listpack-value",
        "Maximum sorted set value size, in bytes, for the compact (listpack) encoding.",
        _REDIS7_ON,
        0,
    ),
    # The API reports list-max-ziplist-size as IsModifiable=false, and Redis OSS 7 removed
    # it ("Parameters removed in Redis OSS 7"). Its engine successor list-max-listpack-size
    # is listed by no family (not confirmed either way), so, like lazyfree-lazy-user-flush,
    # it has no family and check() says ElastiCache does not accept it.
    _reserved(
        "list-max-ziplist-size",
        "Size of each internal list node (ziplist).",
        _REDIS6_ONLY,
        _MANAGED_BY_AWS,
    ),
    _int(
        "list-max-listpack-size",
        "Size of each internal list node (listpack; engine directive).",
        frozenset(),
    ),
    _int(
        "list-compress-depth",
        "Quicklist nodes at each end of a list left uncompressed (0 = no compression).",
        _ALL,
        0,
    ),
    _int(
        "set-max-intset-entries",
        "Maximum entries of an integer-only set for the compact (intset) encoding.",
        _ALL,
        0,
    ),
    _int(
        "stream-node-max-bytes",
        "Maximum size, in bytes, of a stream radix-tree node (0 = unlimited).",
        _ALL,
        0,
    ),
    _int(
        "stream-node-max-entries",
        "Maximum entries in a stream radix-tree node (0 = unlimited).",
        _ALL,
        0,
    ),
    _int(
        "hll-sparse-max-bytes",
        "HyperLogLog sparse representation limit, in bytes.",
        _ALL,
        1,
        16000,
    ),
    # --- Replication -------------------------------------------------------------------
    _int(
        "repl-backlog-size",
        "Size, in bytes, of the primary's replication backlog (minimum 16384).",
        _ALL,
        16384,
    ),
    _int(
        "repl-backlog-ttl",
        "Seconds the backlog is kept after the last replica disconnects (0 = forever).",
        _ALL,
        0,
    ),
    _int(
        "min-replicas-to-write",
        "Replicas that must be available for the primary to accept writes (0 = off).",
        _ALL,
        0,
    ),
    _int(
        "min-replicas-max-lag",
        "Seconds within which a replica must ping to count as available.",
        _ALL,
        0,
    ),
    _enum(
        "close-on-replica-write",
        "Disconnect clients that write to a read-only replica.",
        _ALL,
        _YES_NO,
    ),
    _reserved(
        "replica-allow-chaining",
        "Whether a read replica may have replicas of its own.",
        _ALL,
        _MANAGED_BY_AWS,
    ),
    _reserved(
        "replica-ignore-maxmemory",
        "Whether replicas ignore maxmemory and leave eviction to the primary.",
        _ALL,
        _MANAGED_BY_AWS,
    ),
    # --- Cluster mode ------------------------------------------------------------------
    # The API's engine defaults say IsModifiable=false, while a custom group reports true
    # (aws/aws-cli awscli/examples/elasticache/describe-cache-parameters.rst): a new group
    # may set it. It must match the replication group's mode (guide, "New parameters for
    # Redis OSS 3.2.4": yes = cluster mode, no = non-cluster mode). cachec writes "yes"
    # itself in cluster mode (synthesize/replication_group.CLUSTER_ENABLED) and leaves
    # the family default "no" otherwise, so it always matches topology.cluster_mode.
    _reserved(
        "cluster-enabled",
        "Whether the replication group runs in cluster mode.",
        _ALL,
        "it must match the replication group's cluster mode, which cachec sets from "
        "topology.cluster_mode",
    ),
    _enum(
        "cluster-require-full-coverage",
        "Stop accepting queries when any hash slot is uncovered.",
        _ALL,
        _YES_NO,
    ),
    _enum(
        "cluster-allow-reads-when-down",
        "Keep serving reads while the cluster is down (added in Redis OSS 6.0).",
        _ALL,
        _YES_NO,
    ),
    _enum(
        "cluster-allow-pubsubshard-when-down",
        "Keep serving sharded pub/sub while the cluster is down.",
        _REDIS7_ON,
        _YES_NO,
    ),
    _enum(
        "cluster-preferred-endpoint-type",
        "Endpoint advertised in MOVED/ASK replies and CLUSTER SLOTS/SHARDS.",
        _REDIS7_ON,
        ("ip", "tls-dynamic"),
    ),
    _reserved(
        "cluster-databases",
        "Number of databases available in cluster mode (Valkey 9).",
        _VALKEY9_ON,
        "AWS sets it when the cluster is created; it is not modifiable",
    ),
    # AllowedValues "1-1200000", ChangeType requires-reboot. Conditionally modifiable
    # ("Parameters changed in Redis OSS 3.2.4": only while no cluster uses the group), so
    # setting it when the group is created works, but changing it later in a stack update
    # is refused by ElastiCache; check() cannot see that history.
    _int(
        "databases",
        "Number of logical databases (takes effect on reboot).",
        _ALL,
        1,
        1200000,
    ),
    # --- Persistence -------------------------------------------------------------------
    # "Redis OSS 2.8.22 (enhanced) added parameters": appendonly and appendfsync "are no
    # longer supported"; the API reports both IsModifiable=false.
    _reserved(
        "appendonly",
        "Append-only file (AOF) persistence.",
        _ALL,
        "AOF is not supported on Valkey or Redis OSS 2.8.22 and later; use replicas, "
        "Multi-AZ and snapshots",
    ),
    _reserved(
        "appendfsync",
        "fsync policy of the append-only file.",
        _ALL,
        "AOF is not supported on Valkey or Redis OSS 2.8.22 and later; use replicas, "
        "Multi-AZ and snapshots",
    ),
    # --- Valkey 8+ -----------------------------------------------------------------------
    # "Valkey 8.2 parameter changes" (family valkey8; no effect on an 8.0 or 8.1 engine).
    # search-fanout-target-mode has no "Permitted values" line; its description says it
    # "accepts two values": throughput and client.
    _enum(
        "search-fanout-target-mode",
        "How Valkey search spreads queries over the nodes (Valkey 8.2+).",
        _VALKEY8_ON,
        ("client", "throughput"),
    ),
    _int(
        "search-default-timeout-ms",
        "Default Valkey search query timeout, in milliseconds (Valkey 8.2+).",
        _VALKEY8_ON,
        1,
        60000,
    ),
    _enum(
        "search-enable-partial-results",
        "Return partial search results when some shards time out (Valkey 8.2+).",
        _VALKEY8_ON,
        _YES_NO,
    ),
    _enum(
        "extended-redis-compatibility",
        "Make Valkey report itself as Redis OSS 7.2 to old clients and tools.",
        _VALKEY8_ON,
        _YES_NO,
    ),
    # commandlog-* were added in Valkey 8.1 (family valkey8; no effect on an 8.0 engine).
    _int(
        "commandlog-request-larger-than",
        "Requests larger than this many bytes are recorded in the command log.",
        _VALKEY8_ON,
    ),
    _int(
        "commandlog-large-request-max-len",
        "Maximum length of the large-request command log.",
        _VALKEY8_ON,
        0,
        1024,
    ),
    _int(
        "commandlog-reply-larger-than",
        "Replies larger than this many bytes are recorded in the command log.",
        _VALKEY8_ON,
    ),
    _int(
        "commandlog-large-reply-max-len",
        "Maximum length of the large-reply command log.",
        _VALKEY8_ON,
        0,
        1024,
    ),
)

PARAMETERS: Mapping[str, ParameterSpec] = MappingProxyType(
    {spec.name: spec for spec in sorted(_SPECS, key=lambda s: s.name)}
)

# Integers are compared as Python ints; only plain decimal is accepted because that is
# what ElastiCache parses ("1_000", " 5" and "+5" are not).
_INT_RE = re.compile(r"-?[0-9]+")


def _family_hint(families: frozenset[str]) -> str:
    ordered = [f for f in FAMILIES if f in families]
    # A suffix of the upgrade path reads best as "needs X or later".
    if ordered == list(FAMILIES[len(FAMILIES) - len(ordered) :]):
        return f"needs {ordered[0]} or later"
    return "available only in " + ", ".join(ordered)


def _integer_range(spec: ParameterSpec, family: str) -> str:
    maximum = spec.maximum_in(family)
    segments: list[tuple[int | None, int | None]] = [(spec.minimum, maximum)]
    if spec.excluded_range is not None:
        low, high = spec.excluded_range
        segments = [(spec.minimum, low - 1), (high + 1, maximum)]
    parts: list[str] = []
    for low_end, high_end in segments:
        if low_end is not None and low_end == high_end:
            parts.append(str(low_end))
        elif low_end is not None and high_end is not None:
            parts.append(f"from {low_end} to {high_end}")
        elif low_end is not None:
            parts.append(f">= {low_end}")
        elif high_end is not None:
            parts.append(f"<= {high_end}")
    return " or ".join(parts)


def _check_integer(spec: ParameterSpec, value: str, family: str) -> str | None:
    number = int(value) if _INT_RE.fullmatch(value) else None
    maximum = spec.maximum_in(family)
    in_range = (
        number is not None
        and (spec.minimum is None or number >= spec.minimum)
        and (maximum is None or number <= maximum)
        and (
            spec.excluded_range is None
            or not spec.excluded_range[0] <= number <= spec.excluded_range[1]
        )
    )
    if in_range:
        return None
    bounds = _integer_range(spec, family)
    return f"{spec.name} must be an integer{' ' + bounds if bounds else ''}; got {value!r}"


def check(name: str, value: str, family: str) -> str | None:
    """Validate one parameter override for a parameter-group family.

    Returns None when ElastiCache would accept ``name = value`` in ``family``,
    otherwise a one-line message for the user. ``value`` is always a string: the caller
    turns YAML booleans into ``"yes"``/``"no"`` and integers into decimal strings.
    Raises ValueError for a family cachec does not know, which is a caller bug rather
    than a user error.
    """
    if family not in FAMILIES:
        raise ValueError(f"unknown parameter group family {family!r}; expected one of {FAMILIES}")
    spec = PARAMETERS.get(name)
    if spec is None:
        return f"unknown parameter {name!r}{did_you_mean(name, PARAMETERS)}"
    if spec.reserved_reason is not None:
        return f"{name} cannot be set: {spec.reserved_reason}"
    if not spec.families:
        return (
            f"{name} is not accepted by ElastiCache in any parameter group family "
            f"({', '.join(FAMILIES)})"
        )
    if family not in spec.families:
        return f"{name} is not available in family {family} ({_family_hint(spec.families)})"
    if spec.allowed:
        if value in spec.allowed:
            return None
        return (
            f"{name} must be one of {', '.join(spec.allowed)}; got {value!r}"
            f"{did_you_mean(value, spec.allowed)}"
        )
    if spec.pattern is not None:
        if re.fullmatch(spec.pattern, value):
            return None
        hint = spec.pattern_hint or f"must match {spec.pattern}"
        return f"{name} {hint}; got {value!r}"
    return _check_integer(spec, value, family)
