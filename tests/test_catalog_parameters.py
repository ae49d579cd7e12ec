"""Tests for compiler.catalog.parameters."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

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
    maximum = spec.maximum_in(family)
    if spec.minimum is not None:
        assert check(spec.name, str(spec.minimum), family) is None
        assert check(spec.name, str(spec.minimum - 1), family) is not None
    if maximum is not None:
        assert check(spec.name, str(maximum), family) is None
        assert check(spec.name, str(maximum + 1), family) is not None
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
    assert check("maxmemory-samples", "65", "valkey8") == (
        "maxmemory-samples must be an integer from 1 to 64; got '65'"
    )
    # The cap of 64 arrived with Valkey 8.0; earlier families take any value >= 1.
    assert check("maxmemory-samples", "65", "valkey7") is None
    assert check("maxmemory-samples", "0", "redis7") == (
        "maxmemory-samples must be an integer >= 1; got '0'"
    )
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


@pytest.mark.parametrize("value", ["Ex", "KEA", "", "Kx", "K$lshzxeg", "AKE"])
def test_notify_keyspace_events_accepts(value: str) -> None:
    for family in FAMILIES:
        assert check("notify-keyspace-events", value, family) is None


@pytest.mark.parametrize("value", ["Q", "KEQ", "k", " ", "K E", "Et", "Km", "En", "Kd"])
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


@pytest.mark.parametrize("name", ["lazyfree-lazy-user-flush", "list-max-listpack-size"])
def test_engine_directives_not_offered_by_elasticache(name: str) -> None:
    for family in FAMILIES:
        message = check(name, "1", family)
        assert message is not None
        assert "not accepted by ElastiCache in any parameter group family" in message


def test_rename_commands_is_a_word_list() -> None:
    for value in ("", "flushall myflushall", "flushall a flushdb b"):
        assert check("rename-commands", value, "redis7") is None, value
    for value in (" flushall x", "flushall  x", "flushall x "):
        assert check("rename-commands", value, "redis7") == (
            "rename-commands must be a space-separated list of command names (or empty); "
            f"got {value!r}"
        )


def test_valkey82_search_parameters_gated() -> None:
    assert check("search-fanout-target-mode", "throughput", "valkey8") is None
    assert check("search-default-timeout-ms", "60000", "valkey9") is None
    assert check("search-enable-partial-results", "no", "valkey7") == (
        "search-enable-partial-results is not available in family valkey7 (needs valkey8 or later)"
    )


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
    # Nothing in cachec sets cluster-enabled: it builds only cluster-mode-disabled
    # replication groups, whose parameter group keeps the family default "no".
    for family in FAMILIES:
        for value in ("yes", "no"):
            assert check("cluster-enabled", value, family) == (
                "cluster-enabled cannot be set: it must match the replication group's "
                "cluster mode, which cachec sets from topology.cluster_mode"
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
        "list-max-ziplist-size",
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
        and s.families
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


# --- machine check against the documented facts -----------------------------------------
# tests/data/elasticache_parameters.json holds the redis5.0 API output and the user guide's
# per-version change tables (provenance in tests/data/README.md). Each family's documented
# parameters are derived from it and compared with the catalog; every disagreement is
# listed, so a wrong catalog entry (or stale data) shows up as one line per fact.

_DATA = json.loads((Path(__file__).parent / "data" / "elasticache_parameters.json").read_text())

# Catalog parameters whose permitted values neither source states, and where the
# catalog's rule comes from instead. Kept exact both ways, so a new parameter without
# documented values has to be added here with its reason.
_VALUES_NOT_DOCUMENTED = {
    "acllog-max-len": "engine config table: 0 and up",
    "active-expire-effort": "guide 6.x: 'You can increase this value up to 10'; engine: 1 to 10",
    "cluster-allow-reads-when-down": "guide 6.x describes only yes and no (default no)",
    "commandlog-reply-larger-than": "guide 8.1 gives only a default; any integer accepted",
    "commandlog-request-larger-than": "guide 8.1 gives only a default; any integer accepted",
    "lazyfree-lazy-user-del": "guide 6.x: 'When the value is set to yes' (default no)",
    "rename-commands": "guide 5.0.3: 'A space-separated list of renamed Redis OSS commands'",
    "tracking-table-max-keys": "engine config table: 0 and up",
}


def _documented() -> dict[str, dict[str, dict[str, Any]]]:
    """Family -> parameter -> facts (allowed, modifiable[, letters]), as documented."""
    baseline = _DATA["baseline"]
    params = {name: dict(facts) for name, facts in baseline["parameters"].items()}
    for name, facts in baseline["amended_by_guide"].items():
        if name != "comment":
            params[name].update({k: v for k, v in facts.items() if k not in ("section", "why")})
    params.update({n: dict(f) for n, f in baseline["node_type_specific"]["parameters"].items()})
    families = {baseline["family"]: params}
    for entry in _DATA["families"]:
        params = {name: dict(facts) for name, facts in families[entry["inherits"]].items()}
        for section in entry["sections"]:
            for name in section.get("removed", ()):
                del params[name]
            for name, change in section.get("changed", {}).items():
                params[name].update(change)
            for name, facts in section.get("added", {}).items():
                assert name not in params, (entry["family"], name)
                params[name] = dict(facts)
        families[entry["family"]] = params
    return families


_DOCUMENTED = _documented()


def _in_family(family: str) -> dict[str, ParameterSpec]:
    return {name: spec for name, spec in PARAMETERS.items() if family in spec.families}


def _notation(spec: ParameterSpec, family: str) -> str:
    """The catalog's rule for ``spec`` in ``family``, in the API's AllowedValues notation."""
    if spec.allowed:
        return ",".join(sorted(spec.allowed))
    maximum = spec.maximum_in(family)
    segments: list[tuple[int | None, int | None]] = [(spec.minimum, maximum)]
    if spec.excluded_range is not None:
        segments = [
            (spec.minimum, spec.excluded_range[0] - 1),
            (spec.excluded_range[1] + 1, maximum),
        ]
    parts = []
    for low, high in segments:
        if low is not None and low == high:
            parts.append(str(low))
        else:
            parts.append(f"{'' if low is None else low}-{'' if high is None else high}")
    return ",".join(parts)


def _canonical(allowed: str) -> str:
    # Word lists compare as sets; integer notations compare as written.
    words = allowed.split(",")
    return (
        allowed
        if any(re.fullmatch(r"-?[0-9]*-?[0-9]*", w) for w in words)
        else ",".join(sorted(words))
    )


@pytest.mark.parametrize("family", FAMILIES)
def test_names_match_documented_family(family: str) -> None:
    documented, catalog = set(_DOCUMENTED[family]), set(_in_family(family))
    problems = [
        f"{family}: documented, missing from the catalog: {n}" for n in sorted(documented - catalog)
    ]
    problems += [
        f"{family}: in the catalog, not documented: {n}" for n in sorted(catalog - documented)
    ]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("family", FAMILIES)
def test_modifiability_matches_documented_family(family: str) -> None:
    problems = []
    for name, spec in sorted(_in_family(family).items()):
        modifiable = _DOCUMENTED[family].get(name, {}).get("modifiable")
        reserved = spec.reserved_reason is not None
        # "conditional" (settable only while no cluster uses the group) may go either way.
        if modifiable is False and not reserved:
            problems.append(f"{family}: {name} is not modifiable, but the catalog accepts it")
        if modifiable is True and reserved:
            problems.append(f"{family}: {name} is modifiable, but the catalog reserves it")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("family", FAMILIES)
def test_permitted_values_match_documented_family(family: str) -> None:
    problems = []
    for name, spec in sorted(_in_family(family).items()):
        facts = _DOCUMENTED[family].get(name, {})
        if spec.reserved_reason is not None or "letters" in facts:
            continue
        documented = facts.get("allowed")
        if documented is None:
            if name not in _VALUES_NOT_DOCUMENTED:
                problems.append(f"{family}: {name}: no documented values; say why in the test")
        elif _canonical(documented) != _canonical(_notation(spec, family)):
            problems.append(
                f"{family}: {name}: documented {documented!r}, catalog {_notation(spec, family)!r}"
            )
    assert not problems, "\n".join(problems)


def test_values_not_documented_ledger_is_exact() -> None:
    undocumented = {
        name
        for family in FAMILIES
        for name, spec in _in_family(family).items()
        if spec.reserved_reason is None
        and _DOCUMENTED[family].get(name, {}).get("allowed") is None
        and "letters" not in _DOCUMENTED[family].get(name, {})
    }
    assert undocumented == set(_VALUES_NOT_DOCUMENTED)


@pytest.mark.parametrize("family", FAMILIES)
def test_notify_keyspace_events_letters_match_documented(family: str) -> None:
    letters = _DOCUMENTED[family]["notify-keyspace-events"]["letters"]
    spec = PARAMETERS["notify-keyspace-events"]
    assert spec.pattern is not None
    accepted = {chr(c) for c in range(33, 127) if re.fullmatch(spec.pattern, chr(c))}
    assert accepted == set(letters)
