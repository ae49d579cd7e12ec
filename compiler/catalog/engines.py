"""Engines, versions and what each version can do.

Which versions exist is AWS's fact, and it changes often: the list is the
EngineVersion enum cfn-lint ships (generated from the ElastiCache API,
`data/schemas/extensions/aws_elasticache_cachecluster/engine_version.json`),
so a version AWS adds (Valkey 9.1, say) arrives with a cfn-lint upgrade, not
a code change. What cachec decides for a version follows from its engine and
major version by the rules below, each with its source:

* Parameter-group families: "Parameter group families" in
  https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/ParameterGroups.Engine.html
  (redis6.x: 6.0 and 6.2; redis7: 7.0 and 7.1; valkey7: 7.2; valkey8: 8.x;
  valkey9: 9.x). A major version without a family here (a future Valkey 10)
  is refused until its family is added: guessing a family name would fail
  at deploy time.
* TransitEncryptionMode: Redis OSS 7.0.5 and later (the "7.0" line resolves
  to the newest 7.0.x) and every Valkey version,
  https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/in-transit-encryption-enable-existing.html
* Log delivery: slow log from Redis OSS 6.0, engine log from 6.2, both on
  Valkey, https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Log_Delivery.html
* IAM authentication: Redis OSS 7.0 and later and every Valkey version,
  https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/auth-iam.html ("Valkey
  or Redis OSS version 7 or above") and
  https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/auth-to-iam-migration.html
  ("Redis OSS 7.0 or later, or Valkey"). RBAC (user groups) needs Redis OSS
  6.0, which every version cachec builds has
  (https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Clusters.RBAC.html).
* cachec builds Redis OSS 6.0 and later: the 4.x and 5.x versions AWS still
  lists have no log delivery, no RBAC and no TLS mode, and are in extended
  support (https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/extended-support.html).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from . import cfn_lint_data

ENGINES: tuple[str, ...] = ("redis", "valkey")

SLOW_LOG = "slow-log"
ENGINE_LOG = "engine-log"

ENGINE_VERSION_DATA = "schemas/extensions/aws_elasticache_cachecluster/engine_version.json"

# (engine, major version) -> CacheParameterGroupFamily. Derived, never asked
# of the user.
FAMILIES: dict[tuple[str, int], str] = {
    ("redis", 6): "redis6.x",
    ("redis", 7): "redis7",
    ("valkey", 7): "valkey7",
    ("valkey", 8): "valkey8",
    ("valkey", 9): "valkey9",
}

# What a spec without engine_version gets: the newest version of the engine
# when the catalog was last reviewed. Pinned rather than "newest in cfn-lint's
# list" so that upgrading cfn-lint never changes a published template.
DEFAULT_VERSIONS: dict[str, str] = {"redis": "7.1", "valkey": "9.1"}

# Serverless caches take a major version (MajorEngineVersion) and get minor
# versions applied by ElastiCache: "ElastiCache Serverless automatically
# applies the latest minor and patch software version to your cache"
# (https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/VersionManagement.html).
# Serverless "supports Valkey 7.2 and above ... Redis OSS 7.0 and above"
# (https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/supported-engine-versions.html);
# Valkey 9 per the CDK's CacheEngine ("The major engine version, for example
# '9'", https://docs.aws.amazon.com/cdk/api/v2/docs/@aws-cdk_aws-elasticache-alpha.CacheEngine.html).
SERVERLESS_VERSIONS: dict[str, tuple[str, ...]] = {"redis": ("7",), "valkey": ("7", "8", "9")}
# Pinned like DEFAULT_VERSIONS: Valkey 8 is the newest major every source confirms.
DEFAULT_SERVERLESS_VERSIONS: dict[str, str] = {"redis": "7", "valkey": "8"}


@dataclass(frozen=True)
class EngineVersion:
    engine: str
    version: str
    family: str
    transit_encryption_mode: bool
    log_types: frozenset[str]
    iam_auth: bool

    @property
    def label(self) -> str:
        return f"{self.engine} {self.version}"


def numeric(version: str) -> tuple[int, ...]:
    """Sort key of a version: "7.1" -> (7, 1); non-numeric parts are skipped."""
    return tuple(int(part) for part in version.split(".") if part.isdigit())


def _describe(engine: str, version: str) -> EngineVersion | None:
    number = numeric(version)
    family = FAMILIES.get((engine, number[0]))
    if family is None:
        return None
    valkey = engine == "valkey"
    logs = {SLOW_LOG} if valkey or number >= (6, 0) else set()
    if valkey or number >= (6, 2):
        logs.add(ENGINE_LOG)
    seven = valkey or number >= (7, 0)
    return EngineVersion(engine, version, family, seven, frozenset(logs), iam_auth=seven)


@functools.cache
def aws_versions() -> dict[str, tuple[str, ...]]:
    """Every version AWS accepts, per engine, oldest first (cfn-lint's data)."""
    found: dict[str, tuple[str, ...]] = {}
    for branch in cfn_lint_data.read(ENGINE_VERSION_DATA)["allOf"]:
        engine = branch["if"]["properties"]["Engine"].get("const")
        if engine in ENGINES:
            enum = branch["then"]["properties"]["EngineVersion"]["enum"]
            found[engine] = tuple(sorted(map(str, enum), key=numeric))
    return found


@functools.cache
def versions() -> tuple[EngineVersion, ...]:
    """The versions cachec builds: AWS's list, less those it has no family for."""
    described = (
        _describe(engine, version)
        for engine, listed in aws_versions().items()
        for version in listed
    )
    return tuple(v for v in described if v is not None)


def versions_of(engine: str) -> tuple[str, ...]:
    return tuple(v.version for v in versions() if v.engine == engine)


def default_version(engine: str) -> str:
    return DEFAULT_VERSIONS[engine]


def first_version_with_log(engine: str, log_type: str) -> str | None:
    """The oldest version of the engine that can deliver a log type."""
    able = [v.version for v in versions() if v.engine == engine and log_type in v.log_types]
    return min(able, key=numeric) if able else None


def lookup(engine: str, version: str) -> EngineVersion | None:
    """The version, if AWS lists it and cachec builds it."""
    if version not in aws_versions().get(engine, ()):
        return None
    return _describe(engine, version)
