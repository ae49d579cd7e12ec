"""Stage 3: schema-valid plain data -> the typed model, every default explicit.

Plain defaults are read from the schema, so the documented default and the
compiled default cannot drift apart. Defaults that depend on other keys are
derived here, in one place.
"""

from __future__ import annotations

import dataclasses
from typing import Any, TypeVar, assert_never

from ..catalog import alarms, engines, node_types
from .model import (
    FIREHOSE,
    LOG_GROUP,
    LOG_GROUP_CREATED,
    Alarm,
    Backups,
    Deployment,
    Dns,
    GlobalDatastore,
    LogDestination,
    Logs,
    Monitoring,
    Network,
    ReplicationGroup,
    Rotation,
    Security,
    Serverless,
    Spec,
    Stack,
    StackSet,
    Topology,
    User,
)
from .schema import default as schema_default
from .schema import subschema

_T = TypeVar("_T")


class _Section:
    """One mapping of the spec, answering with the schema's default when a key is absent."""

    def __init__(self, data: dict[str, Any], *path: str) -> None:
        self._data = data
        self._path = path

    def get(self, key: str) -> Any:
        if key in self._data:
            return self._data[key]
        return schema_default(*self._path, key)

    def has(self, key: str) -> bool:
        return key in self._data

    def section(self, key: str) -> _Section:
        return _Section(self._data.get(key) or {}, *self._path, key)


def _enabled(section: _Section, on_by_default: dict[str, bool]) -> dict[str, float]:
    """The thresholds of the alarms this shape has (keys of `on_by_default`) that are on."""
    enabled = {}
    for kind in alarms.ALARMS:
        if kind.key not in on_by_default:
            continue  # the other shape's alarm; rules.monitoring refuses it when set
        value = section.get(kind.key) if section.has(kind.key) else None
        if value is None:
            value = on_by_default[kind.key]
        if value is not False:
            enabled[kind.key] = kind.default if value is True else float(value)
    return enabled


def _node_alarms(
    section: _Section, node_vcpus: int | None, replicas: int, data_tiering: bool
) -> tuple[Alarm, ...]:
    """Every enabled alarm with its threshold; unset ones follow AWS's advice."""
    small = node_vcpus is not None and node_vcpus <= alarms.SMALL_NODE_MAX_VCPUS
    on_by_default = {
        "cpu": small,
        "engine_cpu": not small,
        "memory": True,
        "connections": True,
        "evictions": False,  # expected under LRU/LFU policies: opt in
        "replication_lag": replicas >= 1,  # the metric exists only on replicas
    }
    return tuple(
        Alarm(
            key,
            threshold,
            alarms.metric(alarms.BY_KEY[key], data_tiering=data_tiering),
            alarms.host_cpu_divisor(node_vcpus) if key == "cpu" else 1,
        )
        for key, threshold in _enabled(section, on_by_default).items()
    )


def _serverless_alarms(section: _Section, sls: Serverless) -> tuple[Alarm, ...]:
    """A limit alarm is on by default when its limit is set (a % of nothing means nothing)."""
    scales = alarms.serverless_scales(sls.max_ecpu_per_second, sls.max_data_storage_gb)
    on_by_default = {
        "throttled_commands": True,
        "ecpu": sls.max_ecpu_per_second is not None,
        "data_storage": sls.max_data_storage_gb is not None,
        "connections": True,
        "evictions": False,
    }
    return tuple(
        Alarm(key, threshold, alarms.BY_KEY[key].metric, scale=scales.get(key, 1))
        for key, threshold in _enabled(section, on_by_default).items()
    )


def _alarms(section: _Section, deployment: Deployment) -> tuple[Alarm, ...]:
    match deployment:
        case ReplicationGroup():
            node = node_types.lookup(deployment.node_type)
            topology = deployment.topology
            return _node_alarms(
                section, node.vcpus if node else None, topology.replicas, topology.data_tiering
            )
        case Serverless():
            return _serverless_alarms(section, deployment)
        case _:
            assert_never(deployment)


def _monitoring(section: _Section, deployment: Deployment) -> Monitoring:
    enabled = bool(section.get("enabled"))
    topic = section.get("create_topic")
    return Monitoring(
        enabled=enabled,
        alarm_topic_arn=section.get("alarm_topic_arn"),
        create_topic=topic is True or isinstance(topic, dict),  # {} = topic, no e-mail
        topic_email=topic.get("email") if isinstance(topic, dict) else None,
        alarms=_alarms(section.section("alarms"), deployment) if enabled else (),
        dashboard=enabled and bool(section.get("dashboard")),
        topic_kms_key_id=topic.get("kms_key_id") if isinstance(topic, dict) else None,
        event_topic_arn=section.get("event_topic_arn"),
        alarm_actions=tuple(section.get("alarm_actions")),
        ok_actions=tuple(section.get("ok_actions")),
        insufficient_data_actions=tuple(section.get("insufficient_data_actions")),
    )


def _key_paths(data: dict[str, Any], prefix: tuple[str, ...] = ()) -> set[tuple[str, ...]]:
    paths = set()
    for key, value in data.items():
        paths.add((*prefix, key))
        if isinstance(value, dict):
            paths |= _key_paths(value, (*prefix, key))
    return paths


def _one_to_one(cls: type[_T], section: _Section) -> _T:
    """A model class whose fields are exactly its section's keys, defaults filled."""
    names = [f.name for f in dataclasses.fields(cls)]  # type: ignore[arg-type]
    return cls(**{name: section.get(name) for name in names})


def parameter_value(value: str | int | bool) -> str:
    """Parameter groups take strings; YAML's yes/no booleans become yes/no again."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _stackset(section: _Section) -> StackSet:
    prefs = section.section("operation_preferences")
    return StackSet(
        regions=tuple(section.get("regions")),
        accounts=tuple(section.get("accounts") or ()),
        organizational_units=tuple(section.get("organizational_units") or ()),
        parameter_overrides=tuple(
            (region, tuple(sorted((k, str(v)) for k, v in values.items())))
            for region, values in section.get("parameter_overrides").items()
        ),
        region_concurrency=prefs.get("region_concurrency"),
        failure_tolerance=prefs.get("failure_tolerance"),
        max_concurrent=prefs.get("max_concurrent"),
        call_as=section.get("call_as"),
    )


def _stack(section: _Section) -> Stack:
    prefix = section.get("export_prefix")
    return Stack(
        # A prefix asks for exports; an explicit `exports: false` still wins.
        exports=section.get("exports") if section.has("exports") else prefix is not None,
        export_prefix=prefix,
        expose=tuple(section.get("expose")),
        stackset=_stackset(section.section("stackset")) if section.has("stackset") else None,
    )


def _security(section: _Section, deployment: Deployment, engine: str) -> Security:
    users = section.get("users") or []
    # Array items have no key path for `default()`: read the item schema.
    password = subschema("security", "users")["items"]["properties"]["password"]["default"]
    auth = (
        section.get("auth")
        if section.has("auth") or not isinstance(deployment, Serverless)
        else "iam"
    )
    existing_group = section.get("user_group_id")
    if existing_group is not None and not section.has("auth"):
        # An existing user group means access control by its users: RBAC,
        # unless the spec says iam (rules refuse token and none beside it).
        auth = "rbac"
    return Security(
        encryption_at_rest=section.get("encryption_at_rest"),
        kms_key_id=section.get("kms_key_id"),
        encryption_in_transit=section.get("encryption_in_transit"),
        transit_encryption_mode=section.get("transit_encryption_mode"),
        # A serverless cache takes no AUTH token (no AuthToken property): its
        # secure default is IAM authentication through a user group.
        auth=auth,
        users=tuple(
            User(u["name"], u["access"], u.get("password", password) == "iam") for u in users
        ),
        # Kept as written where there is no user group: a rule refuses it there.
        user_group_engine=section.get("user_group_engine") or (
            engine if auth in ("iam", "rbac") else None
        ),
        secrets_kms_key_id=section.get("secrets_kms_key_id"),
        rotation=_rotation(section.section("rotation")) if section.has("rotation") else None,
        user_group_id=existing_group,
    )


def _rotation(section: _Section) -> Rotation:
    return Rotation(function_arn=section.get("function_arn"), schedule=section.get("schedule"))


def _availability_zones(value: list[Any] | None) -> tuple[tuple[str, ...], ...]:
    """One tuple per shard: a flat list (no cluster mode) is the one shard's."""
    if not value:
        return ()
    if all(isinstance(v, str) for v in value):
        return (tuple(value),)
    return tuple(tuple(shard) for shard in value)


def _topology(topo: _Section, node: node_types.NodeType | None) -> Topology:
    replicas = topo.get("replicas")
    shards = topo.get("shards")
    # More than one shard is only possible in cluster mode; one shard is
    # cluster mode only when asked for (CONTRACT section 3).
    clustered = topo.get("cluster_mode") if topo.has("cluster_mode") else shards > 1
    # Cluster mode requires automatic failover, even without replicas
    # (rules.topology.cluster_mode_needs_failover).
    failover = (
        topo.get("automatic_failover")
        if topo.has("automatic_failover")
        else replicas >= 1 or clustered
    )
    return Topology(
        shards=shards,
        replicas=replicas,
        cluster_mode=clustered,
        automatic_failover=failover,
        multi_az=topo.get("multi_az") if topo.has("multi_az") else failover and replicas >= 1,
        data_tiering=(
            topo.get("data_tiering")
            if topo.has("data_tiering")
            else bool(node and node.data_tiering)
        ),
        availability_zones=_availability_zones(topo.get("availability_zones")),
        availability_zones_per_shard=any(
            isinstance(v, list) for v in topo.get("availability_zones") or ()
        ),
    )


def _replication_group(root: _Section) -> ReplicationGroup:
    node_type = root.get("node_type")
    return ReplicationGroup(
        node_type=node_type,
        port=root.get("port"),
        topology=_topology(root.section("topology"), node_types.lookup(node_type)),
        redis_parameters=tuple(
            sorted((k, parameter_value(v)) for k, v in root.get("redis_parameters").items())
        ),
        maintenance_window=root.get("maintenance_window"),
        auto_minor_version_upgrade=root.get("auto_minor_version_upgrade"),
        replication_group_id=root.get("replication_group_id"),
        parameter_group_name=root.get("parameter_group_name"),
    )


def _serverless(section: _Section) -> Serverless:
    return dataclasses.replace(
        _one_to_one(Serverless, section), restore_from=tuple(section.get("restore_from") or ())
    )


def _dns(root: _Section) -> Dns | None:
    if not root.has("dns"):
        return None
    section = root.section("dns")
    return Dns(zone_id=section.get("zone_id"), name=section.get("name"), ttl=section.get("ttl"))


def _deployment(root: _Section) -> Deployment:
    """The spec's shape: serverless when the spec has a `serverless:` block."""
    if root.has("serverless"):
        return _serverless(root.section("serverless"))
    return _replication_group(root)


def _engine_version(root: _Section, engine: str, deployment: Deployment) -> str:
    if root.has("engine_version"):
        return str(root.get("engine_version"))
    if isinstance(deployment, Serverless):
        return engines.DEFAULT_SERVERLESS_VERSIONS[engine]
    return engines.default_version(engine)


def _log_destination(value: bool | dict[str, str]) -> LogDestination | None:
    """`true`: a group cachec creates; `{log_group: ...}` / `{firehose: ...}`: an
    existing destination (the schema admits exactly one key); `false`: none."""
    if value is True:
        return LogDestination(LOG_GROUP_CREATED)
    if isinstance(value, dict):
        kind = LOG_GROUP if LOG_GROUP in value else FIREHOSE
        return LogDestination(kind, value[kind])
    return None


def _logs(section: _Section, deployment: Deployment) -> Logs:
    """Serverless caches deliver no logs (the resource has no
    LogDeliveryConfigurations): the schema's defaults would be settings
    with no effect. Explicit logs keys there are refused by the rules."""
    serverless = isinstance(deployment, Serverless)
    return Logs(
        slow_log=None if serverless else _log_destination(section.get("slow_log")),
        engine_log=None if serverless else _log_destination(section.get("engine_log")),
        retention_days=section.get("retention_days"),
        format=section.get("format"),
        kms_key_id=section.get("kms_key_id"),
    )


def normalize(data: dict[str, Any]) -> Spec:
    root = _Section(data)
    engine = root.get("engine")
    deployment = _deployment(root)

    net = root.section("network")
    network = Network(
        vpc_id=net.get("vpc_id"),
        subnet_ids=tuple(net.get("subnet_ids")),
        allowed_security_group_ids=tuple(net.get("allowed_security_group_ids")),
        allowed_cidr_blocks=tuple(net.get("allowed_cidr_blocks")),
        network_type=net.get("network_type"),
        subnet_group_name=net.get("subnet_group_name"),
        security_group_ids=tuple(net.get("security_group_ids")),
        create_security_group=net.get("create_security_group"),
        # An IPv6-only node has no IPv4 address to advertise.
        ip_discovery=(
            net.get("ip_discovery")
            if net.has("ip_discovery")
            else "ipv6" if net.get("network_type") == "ipv6" else "ipv4"
        ),
    )

    bak = root.section("backups")
    restore = bak.get("restore_from")
    backups = Backups(
        retention_days=bak.get("retention_days"),
        window=bak.get("window"),
        final_snapshot=bak.get("final_snapshot"),
        restore_snapshot_name=restore if isinstance(restore, str) else None,
        restore_s3_arns=tuple(restore) if isinstance(restore, list) else (),
    )

    name = root.get("name")
    environment = root.get("environment")
    return Spec(
        format=int(root.get("cachec")),
        name=name,
        environment=environment,
        description=root.get("description") or f"{name} cache ({environment})",
        engine=engine,
        engine_version=_engine_version(root, engine, deployment),
        deployment=deployment,
        network=network,
        security=_security(root.section("security"), deployment, engine),
        backups=backups,
        tags=tuple(sorted(root.get("tags").items())),
        stack=_stack(root.section("stack")),
        logs=_logs(root.section("logs"), deployment),
        monitoring=_monitoring(root.section("monitoring"), deployment),
        accept=tuple(sorted(root.get("accept").items())),
        dns=_dns(root),
        explicit=frozenset(_key_paths(data)),
        adopt=root.get("adopt"),
        global_datastore=_global_datastore(root, f"{name}-{environment}"),
    )


def _global_datastore(root: _Section, stack_name: str) -> GlobalDatastore | None:
    if not root.has("global_datastore"):
        return None
    section = root.section("global_datastore")
    return GlobalDatastore(
        primary_region=section.get("primary_region"),
        secondary_regions=tuple(section.get("secondary_regions")),
        id_suffix=section.get("id_suffix") or stack_name,
        replication_lag_alarm=section.get("replication_lag_alarm"),
    )
