"""The Parameters (and the one Rule) a spec's template declares, as data.

Which Parameters a template has, their Type, Default, AllowedValues,
AllowedPattern and MinValue/MaxValue, follow from the spec alone, so they are
known before synthesis: `declared(spec)` says them, in the order the template
lists them. Synthesis writes exactly these (synthesize/parameters.py turns
each into a troposphere Parameter, in one place), and the StackSet override
checks (template/overrides.check_overrides) read them without a template,
so `cachec validate` judges overrides without troposphere. One list, read by
both: the two cannot drift.

Network ids, KMS keys and restore sources always differ between accounts and
regions, so they are Parameters even when the spec names them; the spec's
values become Defaults for one-click deploys, and StackSets override them per
region (stack.stackset.parameter_overrides). stack.expose adds Parameters
for spec fields within what cachec has checked (see `node_type_choices`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from .. import cidr
from ..catalog import alarms as alarm_catalog
from ..catalog import engines, node_types
from ..catalog import network as network_facts
from ..catalog.regions import DEFAULT_REGIONS, offered_node_types
from ..input.model import Alarm, ReplicationGroup, Serverless, Spec
from ..input.schema import SNS_TOPIC_NAME, branches, subschema
from ..vocabulary import names

SpecPath = tuple[str, ...]

MAX_REPLICAS: int = subschema("topology", "replicas")["maximum"]


@dataclass(frozen=True)
class Declared:
    """One Parameter: its name, its properties in the order the template
    writes them, and the spec key it holds (or exists for)."""

    name: str
    properties: tuple[tuple[str, Any], ...]
    spec_path: SpecPath

    def as_dict(self) -> dict[str, Any]:
        return dict(self.properties)


@dataclass(frozen=True)
class Declarations:
    """A template's Parameters, in order, and the names of its Rules."""

    parameters: tuple[Declared, ...]
    rules: tuple[str, ...]

    def section(self) -> dict[str, dict[str, Any]]:
        """The Parameters section as the template holds it: name -> properties."""
        return {p.name: p.as_dict() for p in self.parameters}


def declared(spec: Spec, secondary: str = "") -> Declarations:
    """The template's Parameters in the order synthesis adds them (network,
    account, event topic, DNS, exposed fields, then the alarm topics), and
    its Rules. `secondary`: the template of that secondary region of the
    spec's global datastore (its id first; no Default for what is regional)."""
    parameters = tuple(_parameters(spec, bool(secondary)))
    if secondary:
        parameters = (_global_id(), *(_without_regional_default(p) for p in parameters
                                      if p.name not in _PRIMARY_ONLY))
    return Declarations(parameters, (names.REPLICAS_RULE,) if _replicas_rule(spec) else ())


def _parameters(spec: Spec, secondary: bool) -> Iterator[Declared]:
    yield from _network(spec)
    yield from _account(spec)
    yield from _event_topic(spec)
    yield from _dns(spec)
    yield from _exposed(spec)
    # The alarms' notifications (synthesize/alarms.py); a secondary region
    # notifies of its replication lag even when the node alarms are off.
    if spec.monitoring.alarms or (secondary and spec.monitoring.enabled):
        yield from _alarm_topics(spec)


# The provider schema's pattern of AWS::ElastiCache::GlobalReplicationGroup's
# GlobalReplicationGroupId.
GLOBAL_ID_PATTERN = "^[a-zA-Z][a-zA-Z0-9]*(-[a-zA-Z0-9]+)*$"


def _global_id() -> Declared:
    """A secondary's only way to learn the global datastore's id: ElastiCache
    prefixes the spec's id suffix, and no export crosses regions
    (synthesize/global_datastore.py)."""
    return _declare(
        names.GLOBAL_REPLICATION_GROUP_ID, ("global_datastore",),
        Type="String",
        AllowedPattern=GLOBAL_ID_PATTERN,
        ConstraintDescription="the id the primary stack's Output GlobalReplicationGroupId "
        "shows",
        Description="Id of the global datastore this secondary joins: the primary stack's "
        "Output GlobalReplicationGroupId (ElastiCache prefixes the spec's id suffix). "
        "Read only at creation: changing it replaces the secondary cluster.",
    )


# Parameters whose spec value names a resource of the primary's region: VPC,
# subnets, security groups, subnet groups and KMS key ARNs are regional (a
# key alias is not: the same alias may exist in every region, and
# rules.global_datastore asks for one for the cache's key). A secondary's
# template declares them without a Default, so its deployer must give the
# region's own (its DEPLOY.md lists them as required).
REGIONAL_PARAMETERS = frozenset({
    names.VPC_ID, names.SUBNET_IDS, names.ALLOWED_SECURITY_GROUP_IDS,
    names.EXISTING_SECURITY_GROUP_IDS, names.EXISTING_SUBNET_GROUP_NAME,
    names.LOG_KMS_KEY_ID, names.ALARM_TOPIC_KMS_KEY_ID,
})


# What only the primary's template reads: a secondary holds no DNS record,
# no AUTH secret and no rotation (synthesize/__init__: they stay with the
# primary; the global datastore refuses user groups, so the AUTH token is the
# only secret), and a Parameter nothing reads is one a deployer fills in vain
# (cfn-lint W2001).
_PRIMARY_ONLY = frozenset({names.DNS_ZONE_ID, names.DNS_RECORD_NAME,
                           names.CREDENTIALS_KMS_KEY_ID, names.ROTATION_FUNCTION_ARN})


def _without_regional_default(parameter: Declared) -> Declared:
    if parameter.name not in REGIONAL_PARAMETERS:
        return parameter
    kept = tuple((key, value) for key, value in parameter.properties if key != "Default")
    return Declared(parameter.name, kept, parameter.spec_path)


def _declare(name: str, spec_path: SpecPath, **properties: Any) -> Declared:
    return Declared(name, tuple(properties.items()), spec_path)


# network-type.html: "ElastiCache clusters require a dual-stack subnet ... to
# operate in dual-stack mode and an IPv6-only subnet to operate as IPv6-only."
_SUBNET_KIND = {
    "dual_stack": " Dual-stack subnets (IPv4 and IPv6 CIDRs).",
    "ipv6": " IPv6-only subnets.",
}
# What the AllowedPattern refuses, in words, as the console shows it.
_CONSTRAINT = {
    4: f"each entry an IPv4 CIDR block no wider than /{cidr.BROADEST[4]}: "
    "wider blocks open the cache port to the internet",
    6: f"each entry an IPv6 CIDR block no wider than /{cidr.BROADEST[6]} "
    f"(or inside {cidr.UNIQUE_LOCAL}): wider blocks open the cache port to the internet",
}


def _fixed_count(count: int, what: str, rules: str = "ingress rules") -> str:
    # Plain CloudFormation cannot loop over a List parameter, so one ingress
    # rule is generated per position (Fn::Select); the count is the spec's.
    noun = "entry" if count == 1 else "entries"
    return f"{what}. Exactly {count} {noun} (the spec fixes the number of {rules})."


def _multi_az(spec: Spec) -> bool:
    """As synthesize/variants.shape_of says: a replication group's topology;
    serverless stores data across three Availability Zones."""
    rg = spec.replication_group
    return rg.topology.multi_az if rg is not None else True


def _network(spec: Spec) -> Iterator[Declared]:
    net = spec.network
    if net.create_security_group:  # else no group of cachec's needs a VPC
        vpc: dict[str, Any] = {
            "Type": "AWS::EC2::VPC::Id",
            "Description": "VPC of the cache's security groups.",
        }
        if net.vpc_id:
            vpc["Default"] = net.vpc_id
        yield _declare(names.VPC_ID, ("network", "vpc_id"), **vpc)
    if net.subnet_group_name:  # an existing subnet group holds the subnets
        yield _string(
            names.EXISTING_SUBNET_GROUP_NAME, net.subnet_group_name,
            "Existing cache subnet group of the cache, in the cache's VPC (read only at "
            "creation: changing it replaces the cluster).",
            "network", "subnet_group_name",
        )
    else:
        subnets: dict[str, Any] = {
            "Type": "List<AWS::EC2::Subnet::Id>",
            "Description": "Private subnets for the cache nodes, ideally one per Availability "
            "Zone"
            + (" (Multi-AZ needs at least two zones)." if _multi_az(spec) else ".")
            + _SUBNET_KIND.get(net.network_type, ""),
        }
        if net.subnet_ids:
            subnets["Default"] = ",".join(net.subnet_ids)
        yield _declare(names.SUBNET_IDS, ("network", "subnet_ids"), **subnets)
    if net.security_group_ids:
        fixed = net.create_security_group
        yield _declare(
            names.EXISTING_SECURITY_GROUP_IDS, ("network", "security_group_ids"),
            Type="List<AWS::EC2::SecurityGroup::Id>",
            Description=(
                _fixed_count(len(net.security_group_ids),
                             "Existing security groups attached to the cache beside its "
                             "own", rules="security groups attached")
                if fixed else "Existing security groups attached to the cache (it has "
                "no other)."
            ),
            Default=",".join(net.security_group_ids),
        )
    if net.allowed_security_group_ids:
        yield _declare(
            names.ALLOWED_SECURITY_GROUP_IDS, ("network", "allowed_security_group_ids"),
            Type="List<AWS::EC2::SecurityGroup::Id>",
            Description=_fixed_count(
                len(net.allowed_security_group_ids),
                "Security groups whose members may connect on the cache port",
            ),
            Default=",".join(net.allowed_security_group_ids),
        )
    for version, name in ((4, names.ALLOWED_CIDR_BLOCKS), (6, names.ALLOWED_IPV6_CIDR_BLOCKS)):
        cidrs = net.cidrs(version)
        if cidrs:
            yield _declare(
                name, ("network", "allowed_cidr_blocks"),
                Type="CommaDelimitedList",
                Description=_fixed_count(
                    len(cidrs), f"IPv{version} CIDR blocks that may connect on the cache port"
                ),
                Default=",".join(cidrs),
                # The spec refuses blocks open to the internet; the same
                # definition, as a pattern CloudFormation applies to each
                # item, refuses them when typed in at deploy time.
                AllowedPattern=cidr.allowed_pattern(version),
                ConstraintDescription=_CONSTRAINT[version],
            )


def _string(name: str, default: str, description: str, *key: str) -> Declared:
    """A String Parameter holding one spec key's value, checked at deploy time
    by the pattern the spec schema checks it with."""
    schema = next(b for b in branches(subschema(*key)) if b.get("type") == "string")
    return _declare(
        name, key,
        Type="String",
        Default=default,
        Description=description,
        AllowedPattern=schema["pattern"],
        ConstraintDescription=schema["patternErrorMessage"],
    )


def _account(spec: Spec) -> Iterator[Declared]:
    """Only for keys the spec sets: an unset key stays out of the template
    altogether (no Condition, no empty Parameter), so KmsKeyId, which is
    create-only, is never written into a stack that did not have it."""
    sec, logs, backups = spec.security, spec.logs, spec.backups
    if sec.kms_key_id:
        yield _string(
            names.KMS_KEY_ID, sec.kms_key_id,
            "KMS key (id, ARN or alias) encrypting the cache at rest, in the stack's region. "
            "Changing it replaces the cluster.",
            "security", "kms_key_id",
        )
    if logs.kms_key_id and logs.created_types:
        yield _string(
            names.LOG_KMS_KEY_ID, logs.kms_key_id,
            "KMS key ARN encrypting the log groups, in the stack's region.",
            "logs", "kms_key_id",
        )
    if sec.secrets_kms_key_id and sec.creates_secrets:
        yield _string(
            names.CREDENTIALS_KMS_KEY_ID, sec.secrets_kms_key_id,
            "KMS key (id, ARN or alias) encrypting the generated AUTH token and user "
            "passwords in Secrets Manager, in the stack's region. Changing it re-encrypts "
            "them in place.",
            "security", "secrets_kms_key_id",
        )
    if sec.rotation and sec.rotates_anything:
        yield _string(
            names.ROTATION_FUNCTION_ARN, sec.rotation.function_arn,
            "ARN of the Lambda function that rotates the generated credentials, in the "
            "stack's region (AUTH token: ROTATE, then SET; user passwords: ModifyUser; "
            "docs/customer-keys.md).",
            "security", "rotation", "function_arn",
        )
    topic_key = spec.monitoring.topic_kms_key_id
    if topic_key and spec.monitoring.create_topic:
        yield _string(
            names.ALARM_TOPIC_KMS_KEY_ID, topic_key,
            "KMS key (id, ARN or alias; not alias/aws/sns) encrypting the alarm topic, in the "
            "stack's region; its key policy must let cloudwatch.amazonaws.com use it.",
            "monitoring", "create_topic", "kms_key_id",
        )
    if backups.restore_snapshot_name:
        yield _string(
            names.RESTORE_SNAPSHOT_NAME, backups.restore_snapshot_name,
            "Snapshot the cache is created from (read only at creation: changing it "
            "replaces the cluster).",
            "backups", "restore_from",
        )
    sls = spec.deployment if isinstance(spec.deployment, Serverless) else None
    if sls is not None and sls.restore_from:
        item = subschema("serverless", "restore_from")["items"]
        yield _declare(
            names.SNAPSHOT_ARNS_TO_RESTORE, ("serverless", "restore_from"),
            Type="CommaDelimitedList",
            Default=",".join(sls.restore_from),
            # CloudFormation applies a CommaDelimitedList's pattern to each item.
            AllowedPattern=item["pattern"],
            # Not the schema's message: its example names an account and region.
            ConstraintDescription="each entry a serverless snapshot ARN, arn:<partition>:"
            "elasticache:<region>:<account>:serverlesscachesnapshot:<name>",
            Description="ARNs of the serverless snapshots the cache is created from, in the "
            "stack's region (read only at creation: changing them replaces the cache).",
        )
    if backups.restore_s3_arns:
        yield _declare(
            names.RESTORE_SNAPSHOT_ARNS, ("backups", "restore_from"),
            Type="CommaDelimitedList",
            Default=",".join(backups.restore_s3_arns),
            Description="S3 object ARNs of .rdb files the cache is created from (read only "
            "at creation: changing them replaces the cluster).",
        )


def _event_topic(spec: Spec) -> Iterator[Declared]:
    """The name of monitoring.event_topic_arn's topic. Only the name: ElastiCache
    publishes only to a topic of the cache's own account ("The Amazon SNS
    topic owner must be the same as the cluster owner", NotificationTopicArn,
    https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_CreateReplicationGroup.html),
    and like the alarm topic it is taken from the deploy region."""
    name = spec.monitoring.event_topic_name
    if name is None:
        return
    yield _declare(
        names.EVENT_TOPIC_NAME, ("monitoring", "event_topic_arn"),
        Type="String",
        Default=name,
        AllowedPattern=f"^{SNS_TOPIC_NAME}$",
        ConstraintDescription="an SNS topic name (not an ARN)",
        Description="Name of the SNS topic for ElastiCache's events on this cache (failovers, "
        "node replacements, maintenance), in the account and region the stack is deployed "
        "to: ElastiCache publishes only to its own account's topics.",
    )


def _dns(spec: Spec) -> Iterator[Declared]:
    """`dns`: zone and name, Parameters so that a StackSet gives each region
    its own record (a zone holds one record of a name: rules.dns)."""
    if spec.dns is None:
        return
    yield _declare(
        names.DNS_ZONE_ID, ("dns", "zone_id"),
        Type="AWS::Route53::HostedZone::Id",
        Default=spec.dns.zone_id,
        Description="Route 53 hosted zone (public or private) the cache's record is "
        "created in. A new zone means a new record.",
    )
    yield _string(
        names.DNS_RECORD_NAME, spec.dns.name,
        "Fully qualified name of the CNAME record pointing at the cache's endpoint, inside "
        "the zone and below its apex.",
        "dns", "name",
    )


# stack.expose: an exposed field becomes a Parameter whose Default is the
# spec's value and whose AllowedValues / MinValue / MaxValue admit only
# values that keep every check cachec made of the spec true, so a console or
# StackSet user can change it without leaving what was reviewed:
#
# - node_type: current-generation types offered in every target region, of
#   the spec's data-tiering kind, Nitro when the network needs IPv6, not
#   burstable in production; any size, larger or smaller, unless the `cpu`
#   alarm is on: its threshold is divided by the vCPUs on nodes with 2 or
#   fewer and its description names them, both literal, so then only types
#   with the spec's divisor (the same vCPU class) keep the alarm true.
#   EngineCPUUtilization (`engine_cpu`) is unscaled and true on every size;
# - engine_version: the spec's version and newer ones of the same engine and
#   parameter-group family (the family is literal; ElastiCache refuses
#   downgrades);
# - replicas: 0-5, with a template Rule refusing 0 when the spec has
#   replicas (Multi-AZ, failover, the replication-lag alarm and the reader
#   endpoint assume one);
# - backups.retention_days: 0-35; alarm thresholds: the range the spec
#   accepts (threshold_bounds).

_REPLICAS = ("topology", "replicas")


def _rg(spec: Spec) -> ReplicationGroup:
    """The node-based shape: node type and replicas exist only there (the
    rule expose-not-applicable refuses exposing them on serverless)."""
    rg = spec.replication_group
    assert rg is not None, "rules refuse node settings in stack.expose for serverless"
    return rg


def target_regions(spec: Spec) -> tuple[str, ...]:
    """The StackSet's regions, else us-east-1 (synthesis does not see --regions:
    cfn-lint there checks the AllowedValues against the regions it is given)."""
    return spec.stack.stackset.regions if spec.stack.stackset else DEFAULT_REGIONS


def node_type_choices(spec: Spec) -> list[str]:
    """Node types a deployer may pick instead of the spec's (which is always one)."""
    own = node_types.lookup(_rg(spec).node_type)
    assert own is not None, "rules reject unknown node types before synthesis"
    offered = offered_node_types()
    regions = [r for r in target_regions(spec) if isinstance(offered.get(r), dict)]
    divisor = alarm_catalog.host_cpu_divisor(own.vcpus)
    scaled_cpu = cpu_alarm_on(spec)

    def fits(node: node_types.NodeType) -> bool:
        return (
            node.current_generation
            and node.data_tiering == _rg(spec).topology.data_tiering
            and (not scaled_cpu or alarm_catalog.host_cpu_divisor(node.vcpus) == divisor)
            and (spec.network.network_type == "ipv4"
                 or node.family in network_facts.NITRO_FAMILIES)
            and not (spec.is_production and node.family.startswith("t"))
            and all(node.name in offered[r]["enum"] for r in regions)
        )

    chosen = {n.name for n in node_types.NODE_TYPES.values() if fits(n)} | {own.name}
    return sorted(chosen, key=lambda name: _node_order(name))


def cpu_alarm_on(spec: Spec) -> bool:
    """The one alarm whose threshold and text depend on the node's vCPUs."""
    return any(alarm.key == "cpu" for alarm in spec.monitoring.alarms)


def _node_order(name: str) -> tuple[str, int, float]:
    node = node_types.lookup(name)
    assert node is not None
    return (node.family, node.vcpus, node.memory_gib)


def engine_version_choices(spec: Spec) -> list[str]:
    own = spec.version_info
    assert own is not None, "rules reject unknown engine versions before synthesis"
    # engines.versions() lists each engine's versions oldest first.
    same_family = [v.version for v in engines.versions()
                   if v.engine == spec.engine and v.family == own.family]
    return same_family[same_family.index(spec.engine_version):]


# CloudFormation's MinValue and MaxValue are inclusive; the spec's threshold
# ranges are open ("above 0 and below 100"). The Parameter takes the nearest
# hundredth inside them: a Number Parameter cannot say "above 0".
_STEP = 0.01


def threshold_bounds(alarm: Alarm) -> dict[str, float | int]:
    """The thresholds the spec accepts for this alarm (the catalog's range,
    which rules/monitoring.thresholds_reachable enforces on the spec), in
    what CloudWatch compares: scaled like the value (Alarm.value: a cpu
    threshold divided by vCPUs, a serverless limit's % times the limit)."""
    kind = alarm_catalog.BY_KEY[alarm.key]
    factor = alarm.scale / alarm.divisor
    # A floor below 0 means "0 or more" (counts: 0 = any eviction, any throttle).
    low = 0 if kind.minimum < 0 else kind.minimum + _STEP
    bounds = {"MinValue": _hundredths(math.ceil, low * factor)}
    if kind.maximum is not None:
        bounds["MaxValue"] = _hundredths(math.floor, (kind.maximum - _STEP) * factor)
    return bounds


def _hundredths(inward: Callable[[float], int], number: float) -> float | int:
    """`number` to the hundredth, rounded into the range; whole numbers as ints."""
    value = inward(round(number * 100, 6)) / 100
    return int(value) if value.is_integer() else value


def replica_counts() -> list[str]:
    """The values of the Replicas Parameter (and the NodeCounts mapping's keys)."""
    return [str(n) for n in range(MAX_REPLICAS + 1)]


def _replicas_rule(spec: Spec) -> bool:
    """ReplicasNeeded: an exposed replica count may not drop to 0 when the
    spec has replicas."""
    return spec.stack.exposes("replicas") and bool(_rg(spec).topology.replicas)


def _exposed(spec: Spec) -> Iterator[Declared]:
    expose = spec.stack.exposes
    if expose("node_type"):
        yield _declare(
            names.NODE_TYPE, ("node_type",),
            Type="String", Default=_rg(spec).node_type,
            AllowedValues=node_type_choices(spec),
            Description="Node type. Changing it resizes the cluster online (minutes to "
            "hours); the choices are the ones cachec checked for this cache"
            + (" (with the cpu alarm on: nodes with its vCPU scaling)"
               if cpu_alarm_on(spec) else "") + ".",
        )
    if expose("engine_version"):
        yield _declare(
            names.ENGINE_VERSION, ("engine_version",),
            Type="String", Default=spec.engine_version,
            AllowedValues=engine_version_choices(spec),
            Description=f"{spec.engine} version: this one or a newer one of the same "
            "parameter-group family (ElastiCache refuses downgrades).",
        )
    if expose("replicas"):
        yield _declare(
            names.REPLICAS, _REPLICAS,
            Type="String", Default=str(_rg(spec).topology.replicas),
            AllowedValues=replica_counts(),
            Description="Read replicas beside the primary. Adding or removing one is online.",
        )
    if expose("backups.retention_days"):
        schema = subschema("backups", "retention_days")
        yield _declare(
            names.BACKUP_RETENTION_DAYS, ("backups", "retention_days"),
            Type="Number", Default=spec.backups.retention_days,
            MinValue=schema["minimum"], MaxValue=schema["maximum"],
            Description="Days to keep automatic snapshots; 0 turns them off.",
        )
    for alarm in spec.monitoring.alarms:
        if expose(names.exposed_threshold(alarm.key)):
            kind = alarm_catalog.BY_KEY[alarm.key]
            yield _declare(
                names.alarm_threshold(alarm.key), ("monitoring", "alarms", alarm.key),
                Type="Number", Default=alarm.value,
                Description=f"{alarm.metric} threshold ({kind.unit}) of the {alarm.key} "
                "alarm, as CloudWatch compares it"
                + (f" (host CPU: the engine threshold / {alarm.divisor} vCPUs)"
                   if alarm.divisor > 1 else "") + ".",
                **threshold_bounds(alarm),
            )


# The alarm topic Parameters: a topic name or empty (= no notifications), an
# account id or empty (= the stack's account).
TOPIC_NAME_PATTERN = f"^({SNS_TOPIC_NAME})?$"
TOPIC_ACCOUNT_PATTERN = "^([0-9]{12})?$"
# An extra topic as a Parameter item: `<account>:<name>`, the ARN's tail.
EXTRA_TOPIC_PATTERN = f"^[0-9]{{12}}:{SNS_TOPIC_NAME}$"
_TOPIC_ARN = ("monitoring", "alarm_topic_arn")


def extra_topic_tails(arns: tuple[str, ...]) -> list[str]:
    """`<account>:<name>` of each extra topic's ARN: the Parameter's items."""
    return [":".join(arn.split(":")[4:6]) for arn in arns]


def _alarm_topics(spec: Spec) -> Iterator[Declared]:
    """The main topic's name and account unless the stack creates it, then
    each state's extra topics (synthesize/alarms.add_notifications)."""
    mon = spec.monitoring
    if not mon.create_topic:
        yield _declare(
            names.ALARM_TOPIC_NAME, _TOPIC_ARN,
            Type="String",
            Default=mon.topic_name or "",
            AllowedPattern=TOPIC_NAME_PATTERN,
            ConstraintDescription="an SNS topic name (not an ARN), or empty for no "
            "notifications",
            Description="Name of the SNS topic for alarm, OK and insufficient-data "
            "notifications, in the region the stack is deployed to (CloudWatch only "
            "notifies topics in the alarm's region); empty: the alarms notify nobody.",
        )
        yield _declare(
            names.ALARM_TOPIC_ACCOUNT, _TOPIC_ARN,
            Type="String",
            Default=mon.topic_account or "",
            AllowedPattern=TOPIC_ACCOUNT_PATTERN,
            ConstraintDescription="a 12-digit AWS account id, or empty",
            Description="Account that owns the alarm topic (its topic policy must let "
            "cloudwatch.amazonaws.com publish); empty: the account the stack is deployed in.",
        )
    for key, arns in mon.extra_actions:
        if not arns:
            continue
        tails = extra_topic_tails(arns)
        noun = "entry" if len(tails) == 1 else "entries"
        yield _declare(
            names.EXTRA_TOPICS[key], ("monitoring", key),
            Type="CommaDelimitedList",
            Default=",".join(tails),
            AllowedPattern=EXTRA_TOPIC_PATTERN,
            ConstraintDescription="each entry <12-digit account>:<SNS topic name>",
            Description=f"SNS topics notified besides the alarm topic ({key}), as "
            "<account>:<topic name>, in the region the stack is deployed to (CloudWatch only "
            "notifies topics in the alarm's region). Another account's topic policy must let "
            f"cloudwatch.amazonaws.com publish. Exactly {len(tails)} {noun} (the spec fixes "
            "the number).",
        )
