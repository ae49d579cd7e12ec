"""Engine, version and the features each version has."""

from __future__ import annotations

from collections.abc import Iterator

from ..catalog import engines
from ..diagnostics import Diagnostic, error, warning
from ..input.model import ReplicationGroup, Spec
from ..kinds import EC_GUIDE, ErrorKind, Stage, WarningKind

ENGINE_VERSION_UNSUPPORTED = ErrorKind(
    "engine-version-unsupported", Stage.RULES,
    "An engine version AWS offers but cachec does not build.",
    "Old Redis OSS versions have no log delivery, RBAC or TLS mode, and are in AWS's paid "
    "extended support.",
    "Choose one of the versions listed in the message.", EC_GUIDE + "extended-support.html",
)
ENGINE_VERSION_MISMATCH = ErrorKind(
    "engine-version-mismatch", Stage.RULES, "The engine has no such version.",
    "CloudFormation would fail the create with InvalidParameterCombination.",
    "Choose one of the engine's versions listed in the message.",
    EC_GUIDE + "ParameterGroups.Engine.html",
)


def engine_version_known(spec: Spec) -> Iterator[Diagnostic]:
    """Engine x version must agree: the family is derived from the pair.
    (Serverless major versions are serverless.major_version's to check.)"""
    if spec.version_info is not None or spec.replication_group is None:
        return
    versions = engines.versions_of(spec.engine)
    path = ("engine_version",)
    if spec.engine_version in engines.aws_versions().get(spec.engine, ()):
        yield error(
            ENGINE_VERSION_UNSUPPORTED,
            path,
            f"cachec builds {spec.engine} {versions[0]} and later ({spec.engine_version} has "
            "no log delivery, RBAC or TLS mode, and is in AWS's paid extended support); "
            f"choose one of {', '.join(versions)}",
        )
        return
    other = "valkey" if spec.engine == "redis" else "redis"
    hint = (
        f"; {spec.engine_version} is a {other} version"
        if spec.engine_version in engines.versions_of(other)
        else ""
    )
    yield error(
        ENGINE_VERSION_MISMATCH,
        path,
        f"{spec.engine} has no version {spec.engine_version!r}{hint}; {spec.engine} "
        f"versions: {', '.join(versions)}",
    )


TRANSIT_MODE_NEEDS_TLS = ErrorKind(
    "transit-mode-needs-tls", Stage.RULES,
    "transit_encryption_mode is set without encryption_in_transit.",
    "The mode only means something with TLS on; AWS rejects the combination.",
    "Set encryption_in_transit: true or remove transit_encryption_mode.",
    EC_GUIDE + "in-transit-encryption-enable-existing.html",
)
TRANSIT_MODE_UNSUPPORTED = ErrorKind(
    "transit-mode-unsupported", Stage.RULES,
    "The engine version cannot set transit_encryption_mode.",
    "TransitEncryptionMode exists only on Redis OSS 7.0 and later, and Valkey.",
    "Raise engine_version or remove the key.",
    EC_GUIDE + "in-transit-encryption-enable-existing.html",
)


def transit_encryption_mode(spec: Spec) -> Iterator[Diagnostic]:
    mode = spec.security.transit_encryption_mode
    if mode is None:
        return
    path = ("security", "transit_encryption_mode")
    if not spec.security.encryption_in_transit:
        yield error(
            TRANSIT_MODE_NEEDS_TLS,
            path,
            "transit_encryption_mode needs encryption_in_transit: true",
        )
    info = spec.version_info
    if info is not None and not info.transit_encryption_mode:
        yield error(
            TRANSIT_MODE_UNSUPPORTED,
            path,
            f"{info.label} cannot set transit_encryption_mode; it needs Redis OSS 7.0 or "
            "later, or Valkey",
        )


# Security Hub control ElastiCache.2, "ElastiCache clusters should have
# automatic minor version upgrades enabled", and AWS Config's managed rule
# elasticache-auto-minor-version-upgrade-check: NON_COMPLIANT when a Redis
# OSS or Valkey cache has AutoMinorVersionUpgrade other than true
# (https://docs.aws.amazon.com/securityhub/latest/userguide/elasticache-controls.html,
# https://docs.aws.amazon.com/config/latest/developerguide/elasticache-auto-minor-version-upgrade-check.html).
MINOR_UPGRADES_OFF = WarningKind(
    "minor-upgrades-off", Stage.RULES,
    "auto_minor_version_upgrade: false on a node-based cache.",
    "Minor and patch engine versions carry security fixes; without them the cache keeps "
    "known vulnerabilities until someone upgrades it by hand, and Security Hub "
    "(ElastiCache.2) and AWS Config flag it.",
    "Remove auto_minor_version_upgrade (it defaults to true), or keep false only with a "
    "patching process of your own.",
    "https://docs.aws.amazon.com/securityhub/latest/userguide/elasticache-controls.html",
)


def minor_upgrades_off(spec: Spec, rg: ReplicationGroup) -> Iterator[Diagnostic]:
    if not rg.auto_minor_version_upgrade:
        yield warning(
            MINOR_UPGRADES_OFF,
            ("auto_minor_version_upgrade",),
            "the cache will not take minor and patch engine versions, which carry security "
            "fixes, in its maintenance window; Security Hub (ElastiCache.2) and AWS Config "
            "flag it: keep true unless you patch it yourself",
        )
