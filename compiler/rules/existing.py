"""Resources that already exist: security groups, parameter, subnet and user
groups, log destinations (issue 19, "use what already exists"). What a spec
may not say beside them, and what cachec can still check about them."""

from __future__ import annotations

from collections.abc import Iterator

from ..catalog import engines
from ..diagnostics import Diagnostic, error, warning
from ..input.model import FIREHOSE, ReplicationGroup, Spec
from ..kinds import CFN_REPLICATION_GROUP, EC_GUIDE, RBAC_GUIDE, ErrorKind, Stage, WarningKind

# (the key naming an existing resource, the keys that configure the resource
# cachec would create in its place, what that resource is)
_REPLACED_BY_EXISTING: tuple[tuple[tuple[str, ...], tuple[tuple[str, ...], ...], str], ...] = (
    (("parameter_group_name",), (("redis_parameters",),), "the parameter group cachec creates"),
    (("network", "subnet_group_name"), (("network", "subnet_ids"),),
     "the subnet group cachec creates"),
    (("security", "user_group_id"), (("security", "users"),), "the user group cachec creates"),
)
# network.create_security_group: false leaves these keys nothing to configure.
_CREATED_GROUP_KEYS: tuple[tuple[str, ...], ...] = (
    ("network", "vpc_id"),
    ("network", "allowed_security_group_ids"),
    ("network", "allowed_cidr_blocks"),
)

EXISTING_RESOURCE_CONFLICT = ErrorKind(
    "existing-resource-conflict", Stage.RULES,
    "A key that configures a resource cachec creates, beside the key that names an existing "
    "one in its place.",
    "With parameter_group_name, subnet_group_name, user_group_id or create_security_group: "
    "false, cachec creates no such resource, so redis_parameters, subnet_ids, users, vpc_id "
    "or the allowed sources would be ignored.",
    "Remove one of the two keys: configure the existing resource where it is managed.",
    CFN_REPLICATION_GROUP,
)


def created_or_existing(spec: Spec) -> Iterator[Diagnostic]:
    for existing, configuring, what in _REPLACED_BY_EXISTING:
        if not spec.sets(*existing):
            continue
        for path in configuring:
            if spec.sets(*path):
                yield error(
                    EXISTING_RESOURCE_CONFLICT, path,
                    f"{'.'.join(path)} configures {what}, which {'.'.join(existing)} replaces "
                    "with an existing one; remove one of the two",
                )
    if not spec.network.create_security_group:
        for path in _CREATED_GROUP_KEYS:
            if spec.sets(*path):
                yield error(
                    EXISTING_RESOURCE_CONFLICT, path,
                    f"{'.'.join(path)} configures the security groups cachec creates, and "
                    "network.create_security_group: false creates none; admit clients in "
                    "the rules of network.security_group_ids instead",
                )


_SG_PAGE = "https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html"
NO_SECURITY_GROUP = ErrorKind(
    "no-security-group", Stage.RULES,
    "network.create_security_group: false without network.security_group_ids.",
    "The cache would get the VPC's default security group, which admits every member of "
    "that group and is not meant for a cache.",
    "List the existing groups in network.security_group_ids, or create cachec's group.",
    EC_GUIDE + "VPCs.html",
)
SECURITY_GROUPS_PER_INTERFACE = WarningKind(
    "security-groups-per-interface", Stage.RULES,
    "More security groups on the cache than the default VPC quota allows per interface.",
    "Each node's network interface takes 5 security groups under the default quota "
    "(adjustable to 16): the create fails unless the quota was raised.",
    "Attach fewer groups, or raise 'Security groups per network interface' first.",
    _SG_PAGE,
)
# "Security groups per network interface: 5 ... can be increased ... maximum 16"
# (Amazon VPC quotas, _SG_PAGE); the schema caps the list at 16.
DEFAULT_GROUPS_PER_INTERFACE = 5


def security_groups(spec: Spec) -> Iterator[Diagnostic]:
    net = spec.network
    if not net.create_security_group and not net.security_group_ids:
        yield error(
            NO_SECURITY_GROUP, ("network", "create_security_group"),
            "create_security_group: false needs network.security_group_ids: without a "
            "group the cache would get the VPC's default security group",
        )
    count = len(net.security_group_ids) + (1 if net.create_security_group else 0)
    if count > DEFAULT_GROUPS_PER_INTERFACE:
        yield warning(
            SECURITY_GROUPS_PER_INTERFACE, ("network", "security_group_ids"),
            f"the cache gets {count} security groups"
            f"{' (with the one cachec creates)' if net.create_security_group else ''}; an "
            f"interface takes {DEFAULT_GROUPS_PER_INTERFACE} under the default VPC quota "
            "(16 when raised)",
        )


USER_GROUP_NEEDS_RBAC = ErrorKind(
    "user-group-needs-rbac", Stage.RULES,
    "security.user_group_id with auth token or none.",
    "A user group is RBAC access control; an AUTH token and a user group are mutually "
    "exclusive, and auth: none means no access control at all.",
    "Set auth: rbac (the default with user_group_id) or iam, or remove user_group_id.",
    RBAC_GUIDE,
)


def existing_user_group(spec: Spec) -> Iterator[Diagnostic]:
    sec = spec.security
    if sec.user_group_id and not sec.user_group:
        yield error(
            USER_GROUP_NEEDS_RBAC, ("security", "auth"),
            f"auth: {sec.auth} does not use a user group, but security.user_group_id names "
            "one; set auth: rbac or iam, or remove user_group_id",
        )


_PARAMETER_GROUPS = EC_GUIDE + "ParameterGroups.Engine.html"
PARAMETER_GROUP_MISMATCH = ErrorKind(
    "parameter-group-mismatch", Stage.RULES,
    "An AWS default parameter group of another family, or of the other cluster mode.",
    "A parameter group's family must match the engine version, and a cluster-mode cache "
    "needs cluster-enabled yes (the `.cluster.on` default groups) while one without cluster "
    "mode needs it off: CloudFormation fails the create or update otherwise.",
    "Name the default group the message suggests, or a group of the right family.",
    _PARAMETER_GROUPS,
)
# AWS's default groups are named default.<family> and, with cluster-enabled
# yes, default.<family>.cluster.on (ParameterGroups.Engine.html, e.g.
# "default.redis7.cluster.on"; "default.valkey8").
_DEFAULT_PREFIX = "default."
_CLUSTER_ON = ".cluster.on"


def default_parameter_group(family: str, cluster_mode: bool) -> str:
    return f"{_DEFAULT_PREFIX}{family}{_CLUSTER_ON if cluster_mode else ''}"


def parameter_group_family(spec: Spec, rg: ReplicationGroup) -> Iterator[Diagnostic]:
    """Checked where the name says it: only AWS's default groups name their
    family; a group of the user's own is taken as written."""
    name = rg.parameter_group_name
    info = spec.version_info
    if not name or info is None or not name.startswith(_DEFAULT_PREFIX):
        return
    rest = name[len(_DEFAULT_PREFIX):]
    cluster_on = rest.endswith(_CLUSTER_ON)
    family = rest[: -len(_CLUSTER_ON)] if cluster_on else rest
    cluster_mode = rg.topology.cluster_mode
    if family != info.family or cluster_on != cluster_mode:
        mode = "with cluster mode" if cluster_mode else "without cluster mode"
        yield error(
            PARAMETER_GROUP_MISMATCH, ("parameter_group_name",),
            f"{name} is a {family} group{' with cluster-enabled yes' if cluster_on else ''}; "
            f"{info.label} {mode} takes family {info.family}: use "
            f"{default_parameter_group(info.family, cluster_mode)}",
        )


_AZ = ("topology", "availability_zones")
# CreateReplicationGroup, PreferredCacheClusterAZs: "The number of Availability
# Zones listed must equal the value of NumCacheClusters"; NodeGroupConfiguration
# ReplicaAvailabilityZones: "must match the value of ReplicaCount" (provider
# schema). https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_CreateReplicationGroup.html
AVAILABILITY_ZONES_MISMATCH = ErrorKind(
    "availability-zones-mismatch", Stage.RULES,
    "topology.availability_zones does not list one zone per node.",
    "PreferredCacheClusterAZs must list one zone per node (NumCacheClusters), and each "
    "NodeGroupConfiguration as many replica zones as the shard has replicas: CloudFormation "
    "fails the create otherwise.",
    "Without cluster mode list one zone per node, primary first; in cluster mode one list "
    "per shard.",
    CFN_REPLICATION_GROUP,
)
AVAILABILITY_ZONES_MULTI_AZ = ErrorKind(
    "availability-zones-multi-az", Stage.RULES,
    "multi_az with every node of a shard in one Availability Zone.",
    "Multi-AZ fails over to a replica in another zone; with all nodes in one zone the "
    "zone's outage takes the shard down anyway.",
    "Put at least one replica of each shard in another zone, or turn multi_az off.",
    EC_GUIDE + "AutoFailover.html",
)
AVAILABILITY_ZONES_REGION = ErrorKind(
    "availability-zones-region", Stage.RULES,
    "Availability Zones of another Region than the stack's, or of several.",
    "Zone names belong to one Region: a stack in another Region cannot place nodes there.",
    "List zones of the one Region the stack deploys to; a StackSet over several Regions "
    "cannot take them.",
    EC_GUIDE + "RegionsAndAZs.html",
)


def _region_of(zone: str) -> str:
    """us-east-1a -> us-east-1 (a zone is its Region's name and a letter)."""
    return zone[:-1]


def availability_zones(spec: Spec, rg: ReplicationGroup) -> Iterator[Diagnostic]:
    zones = rg.topology.availability_zones
    if not zones:
        return
    topo = rg.topology
    if spec.stack.exposes("replicas"):
        yield error(
            AVAILABILITY_ZONES_MISMATCH, _AZ,
            "the zones list one per node, and stack.expose replicas lets the deployer change "
            "the node count; remove one of the two",
        )
    elif topo.cluster_mode != topo.availability_zones_per_shard:
        want = "a list per shard" if topo.cluster_mode else "one list of zones, one per node"
        yield error(
            AVAILABILITY_ZONES_MISMATCH, _AZ,
            f"{'in' if topo.cluster_mode else 'without'} cluster mode the zones are {want}",
        )
    elif len(zones) != topo.shards:
        yield error(
            AVAILABILITY_ZONES_MISMATCH, _AZ,
            f"{len(zones)} list(s) of zones for {topo.shards} shard(s); give one per shard",
        )
    else:
        for index, shard in enumerate(zones):
            if len(shard) != topo.nodes_per_shard:
                path = (*_AZ, index) if topo.cluster_mode else _AZ
                yield error(
                    AVAILABILITY_ZONES_MISMATCH, path,
                    f"{len(shard)} zone(s) for {topo.nodes_per_shard} node(s) (1 primary + "
                    f"{topo.replicas} replica(s)); give one zone per node, primary first",
                )
            elif topo.multi_az and len(set(shard)) < 2:
                path = (*_AZ, index) if topo.cluster_mode else _AZ
                yield error(
                    AVAILABILITY_ZONES_MULTI_AZ, path,
                    f"multi_az: true, and every node is in {shard[0]}: put a replica in "
                    "another zone, or turn multi_az off",
                )
    regions = sorted({_region_of(z) for shard in zones for z in shard})
    targets = spec.stack.stackset.regions if spec.stack.stackset else ()
    if len(regions) > 1:
        yield error(
            AVAILABILITY_ZONES_REGION, _AZ,
            f"zones of {len(regions)} Regions ({', '.join(regions)}); a cache lives in one",
        )
    elif targets and tuple(targets) != tuple(regions):
        yield error(
            AVAILABILITY_ZONES_REGION, _AZ,
            f"zones of {regions[0]}, and the StackSet deploys to {', '.join(targets)}: zones "
            "name one Region; remove them or deploy to that Region only",
        )


# "Delivering logs to Firehose is not currently supported in the Asia Pacific
# (Osaka) Region" (Logging-destinations.html, Amazon Data Firehose).
FIREHOSE_UNSUPPORTED_REGIONS = ("ap-northeast-3",)
FIREHOSE_REGION = ErrorKind(
    "firehose-region", Stage.RULES,
    "Log delivery to Kinesis Data Firehose in a Region that does not offer it.",
    "ElastiCache does not deliver logs to Firehose in Asia Pacific (Osaka).",
    "Deliver that Region's logs to CloudWatch Logs, or leave the Region out.",
    EC_GUIDE + "Logging-destinations.html",
)


def firehose_regions(spec: Spec) -> Iterator[Diagnostic]:
    targets = spec.stack.stackset.regions if spec.stack.stackset else ()
    refused = [r for r in targets if r in FIREHOSE_UNSUPPORTED_REGIONS]
    if not refused:
        return
    for log_type, destination in spec.logs.destinations:
        if destination.kind == FIREHOSE:
            key = "slow_log" if log_type == engines.SLOW_LOG else "engine_log"
            yield error(
                FIREHOSE_REGION, ("logs", key, FIREHOSE),
                f"ElastiCache delivers no logs to Firehose in {', '.join(refused)} "
                "(stack.stackset.regions); deliver to a log group there",
            )
