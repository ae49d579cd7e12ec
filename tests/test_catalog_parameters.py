"""Tests for compiler.catalog.parameters."""

from __future__ import annotations

import re

import pytest

from compiler.catalog.parameters import (
    DATA_TIERING_MAXMEMORY_POLICIES,
    FAMILIES,
    PARAMETERS,
    ParameterSpec,
    check,
)

_ENUMS = [s for s in PARAMETERS.values() if s.allowed and s.reserved_reason is None and s.families]
_BOUNDED_INTS = [
    s
    for s in PARAMETERS.values()
    if not s.allowed and s.pattern is None and s.reserved_reason is None and s.families
]


def _family_of(spec: ParameterSpec) -> str:
    return next(f for f in FAMILIES if f in spec.families)


# --- table shape ------------------------------------------------------------------------


def test_families_constant() -> None:
    assert FAMILIES == ("redis6.x", "redis7", "valkey7", "valkey8", "valkey9")


def test_table_keys_and_families_are_consistent() -> None:
    assert list(PARAMETERS) == sorted(PARAMETERS)
    for name, spec in PARAMETERS.items():
        assert spec.name == name
        assert spec.families <= set(FAMILIES), name
        assert spec.description and "\n" not in spec.description, name
        if spec.minimum is not None and spec.maximum is not None:
            assert spec.minimum <= spec.maximum, name
        # A parameter is an enum, a pattern or an integer, never two of them.
        assert not (spec.allowed and spec.pattern), name


def test_required_parameters_present() -> None:
    required = {
        "maxmemory-policy", "notify-keyspace-events", "timeout", "tcp-keepalive",
        "maxmemory-samples", "lazyfree-lazy-eviction", "lazyfree-lazy-expire",
        "lazyfree-lazy-server-del", "lazyfree-lazy-user-del", "lazyfree-lazy-user-flush",
        "activedefrag", "active-defrag-ignore-bytes", "active-defrag-threshold-lower",
        "active-defrag-threshold-upper", "active-defrag-cycle-min", "active-defrag-cycle-max",
        "active-defrag-max-scan-fields", "reserved-memory-percent", "slowlog-log-slower-than",
        "slowlog-max-len", "lua-time-limit", "maxclients",
        "client-output-buffer-limit-normal-hard-limit",
        "client-output-buffer-limit-pubsub-hard-limit", "hash-max-listpack-entries",
        "hash-max-ziplist-entries", "close-on-replica-write", "latency-tracking", "databases",
        "cluster-enabled", "cluster-allow-reads-when-down", "list-max-listpack-size",
        "set-max-intset-entries", "stream-node-max-bytes", "stream-node-max-entries",
        "hll-sparse-max-bytes", "repl-backlog-size", "min-replicas-to-write",
        "min-replicas-max-lag", "cluster-require-full-coverage", "appendonly", "appendfsync",
    }  # fmt: skip
    assert required <= PARAMETERS.keys()


def test_maxmemory_policy_values() -> None:
    assert set(PARAMETERS["maxmemory-policy"].allowed) == {
        "volatile-lru",
        "allkeys-lru",
        "volatile-lfu",
        "allkeys-lfu",
        "volatile-random",
        "allkeys-random",
        "volatile-ttl",
        "noeviction",
    }
    assert set(DATA_TIERING_MAXMEMORY_POLICIES) < set(PARAMETERS["maxmemory-policy"].allowed)


# --- unknown names ----------------------------------------------------------------------


def test_unknown_parameter_suggests_close_name() -> None:
    assert check("maxmemory-polcy", "allkeys-lru", "redis7") == (
        "unknown parameter 'maxmemory-polcy' (did you mean 'maxmemory-policy'?)"
    )


def test_unknown_parameter_without_suggestion() -> None:
    assert check("zzzz", "1", "redis7") == "unknown parameter 'zzzz'"


def test_reserved_memory_is_unknown_and_points_to_percent() -> None:
    # reserved-memory is absent from redis5.0+ parameter groups.
    message = check("reserved-memory", "100", "redis7")
    assert message is not None
    assert "did you mean 'reserved-memory-percent'" in message


def test_unknown_family_is_a_caller_bug() -> None:
    with pytest.raises(ValueError, match=r"redis5\.0"):
        check("timeout", "0", "redis5.0")


# --- enums ------------------------------------------------------------------------------


@pytest.mark.parametrize("spec", _ENUMS, ids=lambda s: s.name)
def test_enum_accepts_each_value(spec: ParameterSpec) -> None:
    for family in spec.families:
        for value in spec.allowed:
            assert check(spec.name, value, family) is None, (spec.name, value, family)


@pytest.mark.parametrize("spec", _ENUMS, ids=lambda s: s.name)
def test_enum_rejects_typo_with_suggestion(spec: ParameterSpec) -> None:
    target = spec.allowed[-1]
    typo = target[:-1] + ("x" if target[-1] != "x" else "y")
    message = check(spec.name, typo, _family_of(spec))
    assert message is not None
    assert message.startswith(f"{spec.name} must be one of {', '.join(spec.allowed)}; got")
    assert f"(did you mean {target!r}?)" in message


def test_maxmemory_policy_message() -> None:
    assert check("maxmemory-policy", "alkeys-lru", "valkey8") == (
        "maxmemory-policy must be one of allkeys-lfu, allkeys-lru, allkeys-random, "
        "noeviction, volatile-lfu, volatile-lru, volatile-random, volatile-ttl; "
        "got 'alkeys-lru' (did you mean 'allkeys-lru'?)"
    )


def test_enum_is_case_sensitive() -> None:
    assert check("activedefrag", "YES", "redis7") is not None
    assert check("activedefrag", "true", "redis7") is not None


# --- integers ---------------------------------------------------------------------------


@pytest.mark.parametrize("spec", _BOUNDED_INTS, ids=lambda s: s.name)
def test_integer_bounds_accepted_and_exceeded_rejected(spec: ParameterSpec) -> None:
    family = _family_of(spec)
    if spec.minimum is not None:
        assert check(spec.name, str(spec.minimum), family) is None
        assert check(spec.name, str(spec.minimum - 1), family) is not None
    if spec.maximum is not None:
        assert check(spec.name, str(spec.maximum), family) is None
        assert check(spec.name, str(spec.maximum + 1), family) is not None
    assert check(spec.name, "abc", family) is not None
    assert check(spec.name, "", family) is not None
    assert check(spec.name, "1.5", family) is not None


def test_timeout_messages_and_gap() -> None:
    assert check("timeout", "0", "redis6.x") is None
    assert check("timeout", "20", "redis6.x") is None
    assert check("timeout", "86400", "valkey9") is None
    assert check("timeout", "-1", "redis7") == "timeout must be an integer 0 or >= 20; got '-1'"
    # AWS AllowedValues "0,20-": 1 to 19 are rejected.
    for value in ("1", "5", "19"):
        assert check("timeout", value, "redis7") is not None


def test_range_message() -> None:
    assert check("reserved-memory-percent", "101", "redis7") == (
        "reserved-memory-percent must be an integer from 0 to 100; got '101'"
    )
    assert check("repl-backlog-size", "1024", "redis7") == (
        "repl-backlog-size must be an integer >= 16384; got '1024'"
    )
    assert check("maxmemory-samples", "65", "valkey8") is not None
    assert check("hll-sparse-max-bytes", "16001", "redis6.x") is not None
    assert check("active-defrag-cycle-max", "76", "redis7") is not None


def test_integer_parsing_is_strict() -> None:
    # The last value is "20" in fullwidth digits, which Python's int() would accept.
    for value in (" 20", "20 ", "+20", "1_000", "0x10", "\uff12\uff10"):
        assert check("tcp-keepalive", value, "redis7") is not None, value
    assert check("tcp-keepalive", "300", "redis7") is None


def test_unbounded_integer_accepts_negative() -> None:
    # AllowedValues "-": a negative value disables the slow log.
    assert check("slowlog-log-slower-than", "-1", "redis7") is None
    assert check("slowlog-log-slower-than", "0", "redis7") is None
    assert check("slowlog-log-slower-than", "ten", "redis7") == (
        "slowlog-log-slower-than must be an integer; got 'ten'"
    )


# --- patterns ---------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["Ex", "KEA", "", "Kx", "K$lshzxegtmnd", "AKE"])
def test_notify_keyspace_events_accepts(value: str) -> None:
    for family in FAMILIES:
        assert check("notify-keyspace-events", value, family) is None


@pytest.mark.parametrize("value", ["Q", "KEQ", "k", " ", "K E"])
def test_notify_keyspace_events_rejects(value: str) -> None:
    message = check("notify-keyspace-events", value, "redis7")
    assert message is not None
    assert message.startswith("notify-keyspace-events may contain only the letters")
    assert message.endswith(f"got {value!r}")


def test_pattern_is_anchored() -> None:
    spec = PARAMETERS["notify-keyspace-events"]
    assert spec.pattern is not None
    assert re.fullmatch(spec.pattern, "KEQ") is None


# --- family gating ----------------------------------------------------------------------


def test_redis7_additions_gated() -> None:
    for name, value in (
        ("latency-tracking", "yes"),
        ("hash-max-listpack-entries", "512"),
        ("zset-max-listpack-value", "64"),
        ("cluster-allow-pubsubshard-when-down", "yes"),
        ("cluster-preferred-endpoint-type", "ip"),
    ):
        assert check(name, value, "redis6.x") == (
            f"{name} is not available in family redis6.x (needs redis7 or later)"
        )
        for family in ("redis7", "valkey7", "valkey8", "valkey9"):
            assert check(name, value, family) is None, (name, family)


def test_ziplist_names_only_in_redis6() -> None:
    assert check("hash-max-ziplist-entries", "512", "redis6.x") is None
    assert check("hash-max-ziplist-entries", "512", "redis7") == (
        "hash-max-ziplist-entries is not available in family redis7 (available only in redis6.x)"
    )


def test_lazyfree_removed_in_valkey8() -> None:
    for name in (
        "lazyfree-lazy-eviction",
        "lazyfree-lazy-expire",
        "lazyfree-lazy-server-del",
        "lazyfree-lazy-user-del",
    ):
        for family in ("redis6.x", "redis7", "valkey7"):
            assert check(name, "yes", family) is None, (name, family)
        for family in ("valkey8", "valkey9"):
            assert check(name, "yes", family) == (
                f"{name} is not available in family {family} "
                "(available only in redis6.x, redis7, valkey7)"
            )


def test_lazyfree_lazy_user_flush_not_offered_by_elasticache() -> None:
    for family in FAMILIES:
        message = check("lazyfree-lazy-user-flush", "yes", family)
        assert message is not None
        assert "not accepted by ElastiCache in any parameter group family" in message


def test_valkey8_additions_gated() -> None:
    assert check("extended-redis-compatibility", "no", "valkey8") is None
    assert check("extended-redis-compatibility", "no", "valkey7") == (
        "extended-redis-compatibility is not available in family valkey7 (needs valkey8 or later)"
    )
    assert check("commandlog-large-reply-max-len", "1024", "valkey9") is None
    assert check("commandlog-large-reply-max-len", "1025", "valkey9") is not None
    assert check("commandlog-large-reply-max-len", "10", "redis7") is not None


# --- reserved ---------------------------------------------------------------------------


def test_cluster_enabled_is_reserved() -> None:
    for family in FAMILIES:
        assert check("cluster-enabled", "yes", family) == (
            "cluster-enabled cannot be set: set by cachec from topology"
        )


@pytest.mark.parametrize(
    "name",
    [
        "lua-time-limit",
        "maxclients",
        "maxmemory",
        "appendonly",
        "appendfsync",
        "activerehashing",
        "client-output-buffer-limit-replica-hard-limit",
        "replica-allow-chaining",
        "list-max-listpack-size",
    ],
)
def test_reserved_parameters_rejected(name: str) -> None:
    spec = PARAMETERS[name]
    assert spec.reserved_reason
    message = check(name, "1", _family_of(spec))
    assert message == f"{name} cannot be set: {spec.reserved_reason}"


def test_aof_reason_mentions_support() -> None:
    message = check("appendonly", "yes", "valkey8")
    assert message is not None
    assert "AOF is not supported" in message


def test_every_unreserved_parameter_has_a_validator() -> None:
    # An unreserved spec with no enum, no pattern and no bounds would accept any integer;
    # only the documented unbounded ones may do that.
    unbounded = {
        s.name
        for s in PARAMETERS.values()
        if s.reserved_reason is None
        and not s.allowed
        and s.pattern is None
        and s.minimum is None
        and s.maximum is None
    }
    assert unbounded == {
        "slowlog-log-slower-than",
        "commandlog-request-larger-than",
        "commandlog-reply-larger-than",
    }
