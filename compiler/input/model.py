"""The typed model: a validated spec with every default made explicit.

Frozen dataclasses, so later stages cannot change what earlier ones decided,
and tuples instead of lists/dicts so the model hashes and compares by value.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import TypeAlias

from ..catalog import engines

PRODUCTION_ENVIRONMENTS = frozenset({"production", "prod", "prd"})


@dataclass(frozen=True)
class Topology:
    shards: int  # node groups; 1 without cluster mode
    replicas: int  # per shard
    cluster_mode: bool  # NumNodeGroups/ReplicasPerNodeGroup instead of NumCacheClusters
    # Default replicas >= 1: with a replica there is no reason to wait for a
    # human. Off only for the one version between adding the first replica
    # and turning failover on (update_paths.first_replica_with_failover).
    automatic_failover: bool
    multi_az: bool
    data_tiering: bool
    # Preferred zones, one tuple per shard (one shard without cluster mode),
    # each one zone per node, primary first; () lets ElastiCache choose.
    availability_zones: tuple[tuple[str, ...], ...] = ()
    availability_zones_per_shard: bool = False  # written as a list per shard

    @property
    def nodes_per_shard(self) -> int:
        return 1 + self.replicas

    @property
    def node_count(self) -> int:
        return self.shards * self.nodes_per_shard


@dataclass(frozen=True)
class Network:
    vpc_id: str | None
    subnet_ids: tuple[str, ...]
    allowed_security_group_ids: tuple[str, ...]
    allowed_cidr_blocks: tuple[str, ...]
    network_type: str  # "ipv4" | "ipv6" | "dual_stack"; NetworkType, create-only
    ip_discovery: str  # "ipv4" | "ipv6": the address family discovery commands advertise
    subnet_group_name: str | None = None  # an existing subnet group: none is created
    security_group_ids: tuple[str, ...] = ()  # existing groups attached to the cache
    create_security_group: bool = True  # the cache's group and the client group

    @property
    def creates_subnet_group(self) -> bool:
        return self.subnet_group_name is None

    @property
    def accepts_ipv4(self) -> bool:
        return self.network_type != "ipv6"

    @property
    def accepts_ipv6(self) -> bool:
        return self.network_type != "ipv4"

    def cidrs(self, version: int) -> tuple[str, ...]:
        """The allowed CIDR blocks of one IP version, in spec order."""
        return tuple(
            c for c in self.allowed_cidr_blocks
            if ipaddress.ip_network(c, strict=False).version == version
        )


# Every user group must contain a user with this name ("A user named default
# must be included", AWS::ElastiCache::UserGroup UserIds); cachec creates it, off.
DEFAULT_USER_NAME = "default"


@dataclass(frozen=True)
class User:
    """An ElastiCache user of `auth: rbac` (`auth: iam` has one, derived in synthesis)."""

    name: str  # the spec's short name; ids are prefixed with the stack name
    access: str  # the access string, as written
    iam: bool  # IAM token instead of a generated password


@dataclass(frozen=True)
class Rotation:
    """`security.rotation`: an existing Lambda function rotates the secrets."""

    function_arn: str
    schedule: str  # a Secrets Manager ScheduleExpression: rate(...) or cron(...)


@dataclass(frozen=True)
class Security:
    encryption_at_rest: bool
    kms_key_id: str | None
    encryption_in_transit: bool
    transit_encryption_mode: str | None
    auth: str  # "token" | "iam" | "rbac" | "none"
    users: tuple[User, ...]  # auth: rbac only, in spec order
    # Engine of the user group and its users (None: no user group).
    user_group_engine: str | None = None
    # Customer managed key of every Secrets Manager secret the template creates.
    secrets_kms_key_id: str | None = None
    rotation: Rotation | None = None
    # An existing user group (users managed elsewhere): none is created.
    user_group_id: str | None = None

    @property
    def auth_token(self) -> bool:
        return self.auth == "token"

    @property
    def user_group(self) -> bool:
        """Access control by an RBAC user group (IAM auth is RBAC with IAM users)."""
        return self.auth in ("iam", "rbac")

    @property
    def creates_secrets(self) -> bool:
        """The template creates a secret: the AUTH token, or with a user group
        at least the disabled default user's password."""
        return self.auth_token or self.user_group

    @property
    def password_users(self) -> tuple[User, ...]:
        """RBAC users with a generated password: the secrets rotation may rotate
        besides the AUTH token (never the disabled default user's)."""
        return tuple(u for u in self.users if not u.iam) if self.auth == "rbac" else ()

    @property
    def rotates_anything(self) -> bool:
        return self.auth_token or bool(self.password_users)


@dataclass(frozen=True)
class Backups:
    retention_days: int
    window: str
    final_snapshot: bool
    restore_snapshot_name: str | None
    restore_s3_arns: tuple[str, ...]


@dataclass(frozen=True)
class StackSet:
    """`stack.stackset`: where a StackSet deploys the template, and how."""

    regions: tuple[str, ...]  # rollout order
    accounts: tuple[str, ...]  # self-managed targets
    organizational_units: tuple[str, ...]  # service-managed targets
    # region -> ((Parameter name, value), ...) sorted by name; regions in spec order
    parameter_overrides: tuple[tuple[str, tuple[tuple[str, str], ...]], ...]
    region_concurrency: str  # "sequential" | "parallel"
    failure_tolerance: int | str  # a count, or a percentage "10%"
    max_concurrent: int | str
    call_as: str  # "self" | "delegated_admin" (service-managed only)

    @property
    def service_managed(self) -> bool:
        return bool(self.organizational_units)

    def overrides(self, region: str) -> dict[str, str]:
        return dict(dict(self.parameter_overrides).get(region, ()))

    def grouped(
        self, regions: Sequence[str], key: Callable[[str], Hashable]
    ) -> list[tuple[tuple[str, ...], Hashable]]:
        """The regions of one stack-instances request each: those with the same `key`
        (their overrides), in `regions` order.

        A sequential rollout groups only neighbours, which keeps the declared order
        across operations (grouping every region with the same overrides would
        deploy a later region first). A parallel one groups every region with the
        same overrides: the regions of one operation deploy at once, while separate
        operations run one after another (ManagedExecution queues them)."""
        groups: list[tuple[list[str], Hashable]] = []
        for region in regions:
            value = key(region)
            if self.region_concurrency == "parallel":
                match = next((g for g in groups if g[1] == value), None)
            else:
                match = groups[-1] if groups and groups[-1][1] == value else None
            if match is None:
                groups.append(([region], value))
            else:
                match[0].append(region)
        return [(tuple(group), value) for group, value in groups]

    def region_groups(self) -> list[tuple[tuple[str, ...], dict[str, str]]]:
        """The regions grouped by their overrides, each group with its overrides:
        one stack-instances request each, and one lint of the template's values."""
        return [
            (regions, self.overrides(regions[0]))
            for regions, _ in self.grouped(
                self.regions, lambda r: tuple(sorted(self.overrides(r).items()))
            )
        ]


@dataclass(frozen=True)
class Stack:
    """`stack`: how the template is deployed."""

    exports: bool
    export_prefix: str | None
    expose: tuple[str, ...]  # spec fields made Parameters, in spec order
    stackset: StackSet | None

    def exposes(self, field: str) -> bool:
        return field in self.expose


@dataclass(frozen=True)
class ReplicationGroup:
    """The node-based shape: AWS::ElastiCache::ReplicationGroup with its own
    subnet group and parameter group, with or without cluster mode."""

    node_type: str
    port: int
    topology: Topology
    redis_parameters: tuple[tuple[str, str], ...]  # sorted by name
    maintenance_window: str
    auto_minor_version_upgrade: bool
    replication_group_id: str | None = None  # None: CloudFormation generates one
    parameter_group_name: str | None = None  # an existing group: none is created

    def parameter(self, name: str) -> str | None:
        """A redis_parameters override, or None when AWS's default applies."""
        return dict(self.redis_parameters).get(name)


@dataclass(frozen=True)
class Serverless:
    """AWS::ElastiCache::ServerlessCache: no nodes, no parameter or subnet
    group; it scales within its usage limits. Spec.engine_version is the
    major version (MajorEngineVersion) here."""

    max_data_storage_gb: int | None
    min_data_storage_gb: int | None
    max_ecpu_per_second: int | None
    min_ecpu_per_second: int | None
    daily_snapshot_time: str  # hh:mm UTC
    # serverless.restore_from: serverless snapshot ARNs (SnapshotArnsToRestore,
    # create-only), in spec order; empty: an empty cache.
    restore_from: tuple[str, ...] = ()


# Every deployment shape, one variant each; the one `match` over it is
# synthesize.variants.shape_of, and mypy then lists every place that reads a
# variant's own fields.
Deployment: TypeAlias = ReplicationGroup | Serverless


@dataclass(frozen=True)
class GlobalDatastore:
    """`global_datastore`: this cache is the primary of an ElastiCache global
    datastore (AWS::ElastiCache::GlobalReplicationGroup) with a read-only
    secondary cluster in each secondary region, each its own template."""

    primary_region: str
    secondary_regions: tuple[str, ...]  # deploy order
    id_suffix: str  # GlobalReplicationGroupIdSuffix
    replication_lag_alarm: int  # seconds, GlobalDatastoreReplicationLag in each secondary

    @property
    def regions(self) -> tuple[str, ...]:
        return (self.primary_region, *self.secondary_regions)


@dataclass(frozen=True)
class Spec:
    """What every shape has in common, and the shape itself as `deployment`."""

    format: int
    name: str
    environment: str
    description: str
    engine: str
    engine_version: str
    deployment: Deployment
    network: Network
    security: Security
    backups: Backups
    tags: tuple[tuple[str, str], ...]  # sorted by key
    stack: Stack
    logs: Logs
    monitoring: Monitoring
    # Reviewed suppressions: warning kind -> the reason it is accepted (the
    # `accept` key), sorted by kind. What cachec says, never what it builds.
    accept: tuple[tuple[str, str], ...]
    dns: Dns | None  # `dns`: a Route 53 CNAME to the endpoint, or None
    # Every key path the spec wrote itself, e.g. ("monitoring", "dashboard"):
    # rules that flag settings which would have no effect need to know.
    explicit: frozenset[tuple[str, ...]]
    global_datastore: GlobalDatastore | None = None  # `global_datastore`, or None
    # `adopt`: the first version imports a running cache (docs/adopting.md).
    adopt: bool = False

    def sets(self, *path: str) -> bool:
        return path in self.explicit

    @property
    def replication_group(self) -> ReplicationGroup | None:
        """The node-based shape, or None: rules about nodes, topology, parameter
        groups and windows have nothing to check on a serverless cache."""
        return self.deployment if isinstance(self.deployment, ReplicationGroup) else None

    @property
    def stack_name(self) -> str:
        """`<name>-<environment>`: the template folder and the default stack name."""
        return f"{self.name}-{self.environment}"

    @property
    def stack_tags(self) -> dict[str, str]:
        """The spec's tags, then cachec's identity tags (which the spec cannot
        override): on every taggable resource, the stack and the StackSet."""
        return {**dict(self.tags), "cachec:name": self.name,
                "cachec:environment": self.environment}

    @property
    def version_info(self) -> engines.EngineVersion | None:
        return engines.lookup(self.engine, self.engine_version)

    @property
    def is_production(self) -> bool:
        return self.environment in PRODUCTION_ENVIRONMENTS


# Where a log type is delivered: a log group cachec creates, or an existing one.
LOG_GROUP_CREATED = "created"
LOG_GROUP = "log_group"  # an existing CloudWatch Logs log group
FIREHOSE = "firehose"  # an existing Kinesis Data Firehose delivery stream


@dataclass(frozen=True)
class LogDestination:
    kind: str  # LOG_GROUP_CREATED | LOG_GROUP | FIREHOSE
    name: str | None = None  # the existing group's or stream's name

    @property
    def created(self) -> bool:
        return self.kind == LOG_GROUP_CREATED


@dataclass(frozen=True)
class Logs:
    slow_log: LogDestination | None  # None: not delivered
    engine_log: LogDestination | None
    retention_days: int
    format: str  # "json" | "text"
    kms_key_id: str | None

    @property
    def destinations(self) -> tuple[tuple[str, LogDestination], ...]:
        """(log type, destination) of every delivered log, in template order."""
        return tuple(
            (t, d)
            for t, d in ((engines.SLOW_LOG, self.slow_log), (engines.ENGINE_LOG, self.engine_log))
            if d is not None
        )

    @property
    def types(self) -> tuple[str, ...]:
        """Delivered log types, in the order they appear in the template."""
        return tuple(t for t, _ in self.destinations)

    @property
    def created_types(self) -> tuple[str, ...]:
        """Log types delivered to log groups the template creates."""
        return tuple(t for t, d in self.destinations if d.created)


@dataclass(frozen=True)
class Dns:
    """`dns`: a CNAME record in a Route 53 hosted zone pointing at the endpoint
    clients use (AWS::Route53::RecordSet)."""

    zone_id: str
    name: str  # fully qualified, as the spec wrote it (a trailing dot or not)
    ttl: int


def _arn_part(arn: str | None, index: int) -> str | None:
    return arn.split(":")[index] if arn else None


@dataclass(frozen=True)
class Alarm:
    key: str  # catalog key: cpu, memory, ...
    threshold: float  # the spec's value; for cpu: the engine thread's saturation %
    metric: str  # the CloudWatch metric watched (memory: capacity on data-tiered nodes)
    # cpu on nodes with <= 2 vCPUs: their count (host % = engine % / vCPUs), else 1.
    divisor: int = 1
    # Serverless limits: a % of a usage limit becomes the metric's own unit
    # (ECPUs per minute, bytes): limit per 1 %.
    scale: float = 1

    @property
    def value(self) -> float | int:
        """The threshold CloudWatch compares with: 40, not 40.0, as a human writes it."""
        host = self.threshold * self.scale / self.divisor
        return int(host) if host.is_integer() else host


@dataclass(frozen=True)
class Monitoring:
    enabled: bool
    alarm_topic_arn: str | None
    create_topic: bool
    topic_email: str | None
    alarms: tuple[Alarm, ...]  # enabled alarms, in catalog order
    dashboard: bool
    # create_topic.kms_key_id: customer managed key of the created topic.
    topic_kms_key_id: str | None = None
    # ElastiCache's own events (NotificationTopicArn); node-based caches only.
    event_topic_arn: str | None = None
    # Topics notified beside the one topic above, per alarm state, in spec order.
    alarm_actions: tuple[str, ...] = ()
    ok_actions: tuple[str, ...] = ()
    insufficient_data_actions: tuple[str, ...] = ()

    def watches(self, key: str) -> bool:
        return any(a.key == key for a in self.alarms)

    @property
    def topic_account(self) -> str | None:
        return _arn_part(self.alarm_topic_arn, 4)

    @property
    def topic_name(self) -> str | None:
        return _arn_part(self.alarm_topic_arn, 5)

    @property
    def event_topic_name(self) -> str | None:
        return _arn_part(self.event_topic_arn, 5)

    @property
    def extra_actions(self) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """(spec key, topic ARNs) of the per-state lists, in the order of the
        alarm properties they feed (AlarmActions, OKActions, InsufficientDataActions)."""
        return (("alarm_actions", self.alarm_actions), ("ok_actions", self.ok_actions),
                ("insufficient_data_actions", self.insufficient_data_actions))
