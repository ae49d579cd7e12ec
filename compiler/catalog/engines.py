"""Engines, versions and what each version can do.

Sources: ElastiCache "Supported engines and versions"
(https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/engine-versions.html),
"Parameter group families" and "Log delivery"; cross-checked in the test
suite against the EngineVersion enum cfn-lint bundles
(aws_elasticache_cachecluster/engine_version.json).
"""

from __future__ import annotations

from dataclasses import dataclass

ENGINES: tuple[str, ...] = ("redis", "valkey")

SLOW_LOG = "slow-log"
ENGINE_LOG = "engine-log"


@dataclass(frozen=True)
class EngineVersion:
    engine: str
    version: str
    family: str  # CacheParameterGroupFamily; derived, never asked of the user
    # TransitEncryptionMode exists from Redis OSS 7.0.5 (the "7.0" line
    # resolves to the newest 7.0.x) and on every Valkey version.
    transit_encryption_mode: bool
    # Slow log delivery from Redis OSS 6.0, engine log from 6.2.
    log_types: frozenset[str]

    @property
    def label(self) -> str:
        return f"{self.engine} {self.version}"


def _v(
    engine: str, version: str, family: str, *, mode: bool, logs: tuple[str, ...]
) -> EngineVersion:
    return EngineVersion(engine, version, family, mode, frozenset(logs))


_BOTH_LOGS = (SLOW_LOG, ENGINE_LOG)

VERSIONS: tuple[EngineVersion, ...] = (
    _v("redis", "6.0", "redis6.x", mode=False, logs=(SLOW_LOG,)),
    _v("redis", "6.2", "redis6.x", mode=False, logs=_BOTH_LOGS),
    _v("redis", "7.0", "redis7", mode=True, logs=_BOTH_LOGS),
    _v("redis", "7.1", "redis7", mode=True, logs=_BOTH_LOGS),
    _v("valkey", "7.2", "valkey7", mode=True, logs=_BOTH_LOGS),
    _v("valkey", "8.0", "valkey8", mode=True, logs=_BOTH_LOGS),
    _v("valkey", "8.1", "valkey8", mode=True, logs=_BOTH_LOGS),
    _v("valkey", "8.2", "valkey8", mode=True, logs=_BOTH_LOGS),
    _v("valkey", "9.0", "valkey9", mode=True, logs=_BOTH_LOGS),
)

_BY_KEY = {(v.engine, v.version): v for v in VERSIONS}


def versions_of(engine: str) -> tuple[str, ...]:
    return tuple(v.version for v in VERSIONS if v.engine == engine)


def all_versions() -> tuple[str, ...]:
    return tuple(sorted({v.version for v in VERSIONS}, key=_numeric))


def default_version(engine: str) -> str:
    """The newest version of the engine: the contract's default."""
    return max(versions_of(engine), key=_numeric)


def first_version_with_log(engine: str, log_type: str) -> str | None:
    """The oldest version of the engine that can deliver a log type."""
    able = [v.version for v in VERSIONS if v.engine == engine and log_type in v.log_types]
    return min(able, key=_numeric) if able else None


def lookup(engine: str, version: str) -> EngineVersion | None:
    return _BY_KEY.get((engine, version))


def _numeric(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))
