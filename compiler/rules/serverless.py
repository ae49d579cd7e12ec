"""A serverless cache: what it cannot take, and what its settings must agree on."""

from __future__ import annotations

from collections.abc import Iterator

from ..catalog import alarms, engines
from ..diagnostics import Diagnostic, error
from ..input.model import Serverless, Spec
from ..kinds import EC_GUIDE, ErrorKind, Stage
from ..vocabulary import names, resource_names

# Spec keys with no counterpart on AWS::ElastiCache::ServerlessCache (its
# provider schema, synthesize/serverless.py), and why.
NODE_SETTINGS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("node_type",), "ElastiCache chooses and scales the nodes"),
    (("port",), "the endpoint listens on 6379 (reader 6380)"),
    (("replication_group_id",), "a serverless cache is named <name>-<environment>"),
    (("parameter_group_name",), "serverless caches take no parameter group"),
    (("network", "subnet_group_name"), "a serverless cache takes subnet ids, not a subnet "
     "group: use network.subnet_ids"),
    (("topology",), "ElastiCache shards and replicates across zones itself"),
    (("redis_parameters",), "serverless caches take no parameter group"),
    (("maintenance_window",), "ElastiCache updates serverless caches without a window"),
    (("auto_minor_version_upgrade",), "a serverless cache always takes minor and patch "
     "versions"),
    (("global_datastore",), "global datastores are made of node-based replication groups"),
    (("backups", "window"), "use serverless.daily_snapshot_time"),
    (("backups", "restore_from"), "use serverless.restore_from with serverless snapshot "
     "ARNs"),
    # The provider schema of AWS::ElastiCache::ServerlessCache has no
    # NotificationTopicArn (nor does CreateServerlessCache).
    (("monitoring", "event_topic_arn"), "AWS::ElastiCache::ServerlessCache has no "
     "NotificationTopicArn; match its events with an Amazon EventBridge rule instead"),
    (("logs",), "serverless caches have no log delivery"),
    (("network", "ip_discovery"), "serverless caches take no IpDiscovery"),
    (("security", "transit_encryption_mode"), "TLS is always required on serverless"),
)


def _serverless(spec: Spec) -> Serverless | None:
    return spec.deployment if isinstance(spec.deployment, Serverless) else None


_CFN_SLS = (
    "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/"
    "aws-resource-elasticache-serverlesscache.html"
)
SERVERLESS_CONFLICT = ErrorKind(
    "serverless-conflict", Stage.RULES,
    "A node-based setting (node type, port, topology, parameters, windows, logs, ...) "
    "beside `serverless`.",
    "AWS::ElastiCache::ServerlessCache has no such property: ElastiCache chooses nodes, "
    "port, configuration and maintenance itself, so the setting would be ignored.",
    "Remove the key, or remove `serverless` to build a replication group.", _CFN_SLS,
)


def node_settings_refused(spec: Spec, sls: Serverless) -> Iterator[Diagnostic]:
    for path, why in NODE_SETTINGS:
        if spec.sets(*path):
            yield error(
                SERVERLESS_CONFLICT,
                path,
                f"{'.'.join(path)} does not apply to a serverless cache ({why}); remove it, "
                "or remove `serverless` to build a replication group",
            )
    if spec.security.auth_token:  # only when written: serverless defaults to iam
        yield error(
            SERVERLESS_CONFLICT,
            ("security", "auth"),
            "a serverless cache takes no AUTH token (ServerlessCache has no AuthToken); use "
            "auth: iam (the serverless default) or rbac",
        )


_SERVERLESS = EC_GUIDE + "WhatIs.corecomponents.html"
SERVERLESS_ENCRYPTION = ErrorKind(
    "serverless-encryption", Stage.RULES,
    "Encryption in transit or at rest turned off on a serverless cache.",
    "Serverless caches always encrypt in transit (TLS) and at rest; `false` cannot be "
    "honoured (at-rest-encryption.html: \"always enabled on a serverless cache\").",
    "Remove the key (or set it true); clients must connect with TLS.", _SERVERLESS,
)


def always_encrypted(spec: Spec, sls: Serverless) -> Iterator[Diagnostic]:
    """At rest: "always enabled on a serverless cache" (https://docs.aws.amazon.com/
    AmazonElastiCache/latest/dg/at-rest-encryption.html); in transit: serverless
    "is only compatible with clients that support TLS" (https://docs.aws.amazon.com/
    AmazonElastiCache/latest/dg/WhatIs.corecomponents.html)."""
    for key in ("encryption_in_transit", "encryption_at_rest"):
        if not getattr(spec.security, key):
            yield error(
                SERVERLESS_ENCRYPTION,
                ("security", key),
                f"a serverless cache always has {key.replace('_', ' ')}; remove "
                f"security.{key} (false cannot be honoured)",
            )


SERVERLESS_ENGINE_VERSION = ErrorKind(
    "serverless-engine-version", Stage.RULES,
    "engine_version with `serverless` is not a major version serverless offers.",
    "A serverless cache takes a major version (MajorEngineVersion) and gets minor versions "
    "applied by ElastiCache; a minor version would be accepted and ignored.",
    "Write the major version: redis 7; valkey 7, 8 or 9.",
    EC_GUIDE + "supported-engine-versions.html",
)


def major_version(spec: Spec, sls: Serverless) -> Iterator[Diagnostic]:
    offered = engines.SERVERLESS_VERSIONS[spec.engine]
    if spec.engine_version not in offered:
        yield error(
            SERVERLESS_ENGINE_VERSION,
            ("engine_version",),
            f"a serverless {spec.engine} cache takes a major version, one of "
            f"{', '.join(offered)}, not {spec.engine_version!r} (ElastiCache applies minor "
            "versions itself)",
        )


# Description "up to 255 characters and must not contain < and >" (the
# validations of open-constructs/aws-cdk-library,
# src/aws-elasticache/serverless-cache.ts; AWS's API reference states neither
# here). The name's limit is in compiler/vocabulary/resource_names.py.
MAX_NAME_LENGTH = resource_names.SERVERLESS_CACHE_NAME.max_length


SERVERLESS_VALUE_REFUSED = ErrorKind(
    "serverless-value-refused", Stage.RULES,
    "A value ServerlessCache refuses: a cache name (`<name>-<environment>`) over 40 "
    "characters, or a description with `<` or `>`.",
    "ServerlessCacheName has at most 40 characters and Description none of `<` `>`; the "
    "create would fail at deploy time.",
    "Shorten name or environment, or drop the angle brackets from the description.",
    "https://github.com/open-constructs/aws-cdk-library/blob/main/src/aws-elasticache/"
    "serverless-cache.ts",
)


def values_accepted(spec: Spec, sls: Serverless) -> Iterator[Diagnostic]:
    name = resource_names.serverless_cache_name(spec.stack_name)
    if len(name) > MAX_NAME_LENGTH:
        yield error(
            SERVERLESS_VALUE_REFUSED,
            ("name",),
            f"the serverless cache is named {name!r} ({len(name)} "
            f"characters); ServerlessCacheName has at most {MAX_NAME_LENGTH}: shorten name "
            "or environment",
        )
    if any(c in spec.description for c in "<>"):
        yield error(
            SERVERLESS_VALUE_REFUSED,
            ("description",),
            "a serverless cache's description cannot contain < or >",
        )


SERVERLESS_LIMITS = ErrorKind(
    "serverless-limits", Stage.RULES, "A serverless minimum above its maximum.",
    "ElastiCache refuses usage limits whose minimum exceeds the maximum.",
    "Lower the min_* value or raise the max_* value.", _CFN_SLS,
)


def limits_ordered(spec: Spec, sls: Serverless) -> Iterator[Diagnostic]:
    for low, high in (("min_data_storage_gb", "max_data_storage_gb"),
                      ("min_ecpu_per_second", "max_ecpu_per_second")):
        minimum, maximum = getattr(sls, low), getattr(sls, high)
        if minimum is not None and maximum is not None and minimum > maximum:
            yield error(
                SERVERLESS_LIMITS,
                ("serverless", low),
                f"{low} {minimum} is above {high} {maximum}",
            )


ALARM_NOT_FOR_SHAPE = ErrorKind(
    "alarm-not-for-shape", Stage.RULES,
    "An alarm whose metric this shape does not publish (node alarms on serverless, or "
    "serverless alarms on nodes).",
    "Serverless caches publish no CPUUtilization, EngineCPUUtilization, "
    "DatabaseMemoryUsagePercentage or ReplicationLag; nodes publish no ECPU, storage or "
    "ThrottledCmds: the alarm would never have data.",
    "Remove the key; see monitoring.alarms in the spec reference for each shape's alarms.",
    EC_GUIDE + "serverless-metrics-events-redis.html",
)
SERVERLESS_ALARM_NEEDS_LIMIT = ErrorKind(
    "serverless-alarm-needs-limit", Stage.RULES,
    "An ecpu or data_storage alarm without the serverless maximum it is a % of.",
    "Those thresholds are a percentage of max_ecpu_per_second or max_data_storage_gb; "
    "without the maximum there is nothing to compare with.",
    "Set the maximum under `serverless`, or turn the alarm off (false).", _CFN_SLS,
)


def alarms_of_the_shape(spec: Spec) -> Iterator[Diagnostic]:
    """Only alarms the shape publishes metrics for; limit alarms need their limit."""
    sls = _serverless(spec)
    own = alarms.SERVERLESS_ALARMS if sls else alarms.NODE_ALARMS
    shape = "a serverless cache" if sls else "a node-based cache"
    path = ("monitoring", "alarms")
    for kind in alarms.ALARMS:
        if spec.sets(*path, kind.key) and kind.key not in own:
            yield error(
                ALARM_NOT_FOR_SHAPE,
                (*path, kind.key),
                f"{shape} publishes no {kind.metric}; its alarms are "
                f"{', '.join(k.key for k in alarms.ALARMS if k.key in own)}",
            )
    if sls is None:
        return
    limits = {"ecpu": sls.max_ecpu_per_second, "data_storage": sls.max_data_storage_gb}
    limit_keys = {"ecpu": "max_ecpu_per_second", "data_storage": "max_data_storage_gb"}
    for key, limit in limits.items():
        if limit is None and spec.monitoring.watches(key):
            yield error(
                SERVERLESS_ALARM_NEEDS_LIMIT,
                (*path, key),
                f"the {key} alarm is a % of serverless.{limit_keys[key]}, which is not set; set "
                f"it, or {key}: false",
            )


# Snapshots are regional: CreateServerlessCache restores only snapshots of
# its own region (a snapshot reaches another region only as an exported
# .rdb file copied there, "Exporting a backup",
# https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/backups-exporting.html:
# "The ElastiCache backup and the Amazon S3 bucket ... must be in the same
# AWS Region"). The ARNs are the Default of the SnapshotArnsToRestore
# Parameter, which a StackSet overrides per region.
RESTORE_SNAPSHOT_REGION = ErrorKind(
    "restore-snapshot-region", Stage.RULES,
    "serverless.restore_from names a snapshot of a region the StackSet deploys to "
    "without overriding SnapshotArnsToRestore there, or snapshots of several regions.",
    "A cache restores snapshots of its own region only; in every other region the create "
    "would fail (snapshot not found).",
    "Override SnapshotArnsToRestore for the other regions under "
    "stack.stackset.parameter_overrides, or deploy those regions from a spec of their own.",
    EC_GUIDE + "backups-restoring.html",
)


def restore_in_the_snapshots_region(spec: Spec, sls: Serverless) -> Iterator[Diagnostic]:
    path = ("serverless", "restore_from")
    regions = sorted({arn.split(":")[3] for arn in sls.restore_from})
    if len(regions) > 1:
        yield error(
            RESTORE_SNAPSHOT_REGION, path,
            f"the snapshots are in {', '.join(regions)}; a cache restores snapshots of its "
            "own region only: name snapshots of one region",
        )
        return
    stackset = spec.stack.stackset
    if not regions or stackset is None:
        return
    uncovered = [
        region for region in stackset.regions
        if region != regions[0]
        and names.SNAPSHOT_ARNS_TO_RESTORE not in stackset.overrides(region)
    ]
    if uncovered:
        yield error(
            RESTORE_SNAPSHOT_REGION, path,
            f"the snapshots are in {regions[0]}, but the StackSet also deploys to "
            f"{', '.join(uncovered)}, where they do not exist; override "
            f"{names.SNAPSHOT_ARNS_TO_RESTORE} for those regions under "
            "stack.stackset.parameter_overrides",
        )
