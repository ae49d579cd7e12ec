"""The update paths AWS enforces beyond the schemas: each a named rule over the
old and the new cache, an error or a warning that says the way through.

CloudFormation accepts these templates and then fails (or half-applies) the
stack update, so they are checked before anything is published. Rules read
the two templates, not specs: the published version is all that is known
about what is deployed.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import Any

from ..catalog import engines, node_types
from ..diagnostics import Diagnostic, error, warning
from ..input.model import PRODUCTION_ENVIRONMENTS
from ..kinds import (
    CFN_REPLICATION_GROUP,
    EC_GUIDE,
    MODIFY_REPLICATION_GROUP,
    RBAC_GUIDE,
    TERRAFORM_25077,
    ErrorKind,
    Rule,
    Stage,
    WarningKind,
)
from ..vocabulary import names


@dataclass(frozen=True)
class CacheState:
    """What one template deploys, as the rules need it (None: not a literal,
    e.g. a Parameter, or absent)."""

    engine: str | None
    version: str | None
    node_type: str | None
    nodes: int | None
    cluster_mode: str | None  # ClusterMode; "disabled" when absent (the API's default)
    failover: bool
    multi_az: bool
    tls: bool
    transit_mode: str | None
    auth_token: bool
    user_groups: bool
    family: str | None
    deletion_policy: str | None
    production: bool
    serverless: bool = False
    shards: int | None = None  # NumNodeGroups (cluster mode); None otherwise
    vpc: str | None = None  # the VpcId Parameter's Default: what vN.parameters.json deploys
    # ("<logical id>.<property>", its JSON) of every ElastiCache resource but
    # the shard count: what else a version changes on the cache.
    settings: tuple[tuple[str, str], ...] = ()
    group_id: str | None = None  # ReplicationGroupId when the template names it
    monitored: bool = False  # alarms or a dashboard name the cache's member nodes
    user_group_engine: str | None = None  # the UserGroup's Engine
    # The template makes the cache the primary of a global datastore.
    global_primary: bool = False

    @property
    def info(self) -> engines.EngineVersion | None:
        if self.engine is None or self.version is None:
            return None
        return engines.lookup(self.engine, self.version)


def _literal(value: Any) -> Any:
    return None if isinstance(value, dict | list) else value


def _vpc(template: dict[str, Any]) -> str | None:
    value = template.get("Parameters", {}).get(names.VPC_ID, {}).get("Default")
    return value if isinstance(value, str) and value else None


def _production(props: dict[str, Any]) -> bool:
    # A deployed template edited by hand may name a tag key by a Ref (diff --deployed).
    tags = {t.get("Key"): t.get("Value") for t in props.get("Tags", [])
            if isinstance(t, dict) and isinstance(t.get("Key"), str)}
    environment = tags.get("cachec:environment")
    return isinstance(environment, str) and environment in PRODUCTION_ENVIRONMENTS


def cache_state(template: dict[str, Any]) -> CacheState | None:
    """The cache of a template (replication group or serverless cache), or
    None when it has none."""
    resources = template.get("Resources", {})
    group_engine = _literal(
        resources.get(names.USER_GROUP, {}).get("Properties", {}).get("Engine")
    )
    serverless = resources.get(names.SERVERLESS_CACHE)
    if serverless is not None:
        state = _serverless_state(serverless.get("Properties", {}), _vpc(template))
        return replace(state, user_group_engine=group_engine)
    group = resources.get(names.REPLICATION_GROUP)
    if group is None:
        return None
    props = group.get("Properties", {})
    family = resources.get(names.PARAMETER_GROUP, {}).get("Properties", {}).get(
        "CacheParameterGroupFamily"
    )
    return CacheState(
        engine=_literal(props.get("Engine")),
        version=_literal(props.get("EngineVersion")),
        node_type=_literal(props.get("CacheNodeType")),
        # Cluster mode (NumNodeGroups) has no node count in this sense: the
        # replica rules below are about NumCacheClusters only.
        nodes=None if "NumNodeGroups" in props else _literal(props.get("NumCacheClusters", 1)),
        cluster_mode=_literal(props.get("ClusterMode", "disabled")),
        failover=props.get("AutomaticFailoverEnabled") is True,
        multi_az=props.get("MultiAZEnabled") is True,
        tls=props.get("TransitEncryptionEnabled") is True,
        transit_mode=_literal(props.get("TransitEncryptionMode")),
        auth_token="AuthToken" in props,
        user_groups=bool(props.get("UserGroupIds")),
        family=_literal(family),
        deletion_policy=_literal(group.get("DeletionPolicy")),
        production=_production(props),
        shards=_literal(props.get("NumNodeGroups")),
        vpc=_vpc(template),
        settings=_settings(resources),
        monitored=any(r.get("Type") in _WATCHING for r in resources.values()),
        user_group_engine=group_engine,
        group_id=_literal(props.get("ReplicationGroupId")),
        global_primary=names.GLOBAL_REPLICATION_GROUP in resources,
    )


# Resharding's own properties (CFN-RG: NumNodeGroups, NodeGroupConfiguration).
_SHARD_PROPERTIES = frozenset({"NumNodeGroups", "NodeGroupConfiguration"})
_WATCHING = frozenset({"AWS::CloudWatch::Alarm", "AWS::CloudWatch::Dashboard"})


def _settings(resources: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    return tuple(sorted(
        (f"{name}.{prop}", json.dumps(value, sort_keys=True))
        for name, resource in resources.items()
        if str(resource.get("Type", "")).startswith("AWS::ElastiCache::")
        for prop, value in resource.get("Properties", {}).items()
        if not (name == names.REPLICATION_GROUP and prop in _SHARD_PROPERTIES)
    ))


def _serverless_state(props: dict[str, Any], vpc: str | None) -> CacheState:
    """A serverless cache: engine and major version (MajorEngineVersion), its
    user group, always TLS; no nodes, shards or parameter group. Its final
    snapshot is FinalSnapshotName, not a DeletionPolicy (left None)."""
    return CacheState(
        engine=_literal(props.get("Engine")),
        version=_literal(props.get("MajorEngineVersion")),
        node_type=None,
        nodes=None,
        cluster_mode=None,
        failover=False,
        multi_az=False,
        tls=True,
        transit_mode=None,
        auth_token=False,
        user_groups="UserGroupId" in props,
        family=None,
        deletion_policy=None,
        production=_production(props),
        serverless=True,
        vpc=vpc,
    )


Check = Callable[[CacheState, CacheState], Iterator[Diagnostic]]


_ROADMAP = "https://github.com/aws-cloudformation/cloudformation-coverage-roadmap/issues/"
FIRST_REPLICA_WITH_FAILOVER = ErrorKind(
    "first-replica-with-failover", Stage.UPDATE,
    "Adding the first replica and turning on failover in one update.",
    "CloudFormation enables failover before it adds the replica and fails (\"must have at "
    "least one read replica\").",
    "Publish two versions: replicas with failover off, then failover on.",
    _ROADMAP + "383",
)


def first_replica_with_failover(old: CacheState, new: CacheState) -> Iterator[Diagnostic]:
    """CloudFormation enables failover before it adds the replica and fails:
    "Replication group must have at least one read replica to enable
    autofailover" (aws-cloudformation/cloudformation-coverage-roadmap#383)."""
    if old.nodes == 1 and not old.failover and new.failover:
        yield error(
            FIRST_REPLICA_WITH_FAILOVER,
            ("topology", "replicas"),
            "adding the first replica and turning on automatic failover in one update fails "
            "(\"Replication group must have at least one read replica to enable "
            "autofailover\"); publish two versions: first the replicas with "
            "topology.automatic_failover: false and multi_az: false, deploy it, then remove "
            "both keys",
        )


LAST_REPLICA_WITH_FAILOVER = ErrorKind(
    "last-replica-with-failover", Stage.UPDATE,
    "Removing the last replica while failover stays on.",
    "Automatic failover needs at least 2 cache clusters, so the update fails.",
    "Publish two versions: failover off with the replicas kept, then replicas: 0.", TERRAFORM_25077,
)


def last_replica_with_failover(old: CacheState, new: CacheState) -> Iterator[Diagnostic]:
    """The reverse: failover cannot stay on while the last replica goes
    (ElastiCache: automatic failover needs at least 2 cache clusters,
    CreateReplicationGroup NumCacheClusters; hashicorp/terraform#25077)."""
    if old.failover and (old.nodes or 0) >= 2 and new.nodes == 1:
        yield error(
            LAST_REPLICA_WITH_FAILOVER,
            ("topology", "replicas"),
            "removing the last replica while automatic failover is on fails; publish two "
            "versions: first topology.automatic_failover: false and multi_az: false with the "
            "replicas kept, deploy it, then replicas: 0",
        )


TLS_NOT_IN_PLACE = ErrorKind(
    "tls-not-in-place", Stage.UPDATE,
    "Turning TLS on for a live cache whose engine cannot migrate online.",
    "Online TLS migration exists only on Redis OSS 7.0 and later, and Valkey.",
    "Publish an engine_version upgrade first, then turn TLS on with "
    "transit_encryption_mode: preferred.",
    EC_GUIDE + "in-transit-encryption-enable-python.html",
)
TLS_NEEDS_PREFERRED = ErrorKind(
    "tls-needs-preferred", Stage.UPDATE, "Turning TLS on for a live cache straight to required.",
    "ModifyReplicationGroup requires TransitEncryptionMode preferred when TLS is turned on "
    "for an existing cluster.",
    "Publish preferred first, move every client to TLS, then required.", MODIFY_REPLICATION_GROUP,
)


def tls_on_in_place(old: CacheState, new: CacheState) -> Iterator[Diagnostic]:
    """Online TLS migration exists only on Redis OSS >= 7.0 and Valkey, and
    needs TransitEncryptionMode preferred in the same update
    (https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/in-transit-encryption-enable-python.html;
    ModifyReplicationGroup TransitEncryptionEnabled: "If you are enabling
    in-transit encryption for an existing cluster, you must also set
    TransitEncryptionMode to preferred")."""
    if old.tls or not new.tls:
        return
    path = ("security", "encryption_in_transit")
    info = old.info
    if info is not None and not info.transit_encryption_mode:
        yield error(
            TLS_NOT_IN_PLACE,
            path,
            f"{info.label} cannot turn TLS on in place (online TLS migration needs Redis OSS "
            "7.0 or later, or Valkey): publish an engine_version upgrade first, then turn TLS "
            "on with transit_encryption_mode: preferred",
        )
    elif new.transit_mode != "preferred":
        yield error(
            TLS_NEEDS_PREFERRED,
            path,
            "turning TLS on for a live cache takes two versions: first "
            "transit_encryption_mode: preferred (plaintext and TLS clients both work), move "
            "every client to TLS, then transit_encryption_mode: required",
        )


TLS_OFF_IN_PLACE = WarningKind(
    "tls-off-in-place", Stage.UPDATE, "A live cache turns TLS off.",
    "Every client that connects with TLS (rediss://) is dropped at once, and the "
    "endpoints change: TLS and plaintext clusters use different DNS record formats.",
    "Move every client to plaintext first, or keep TLS on.",
    "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/enable-python-best-practices.html",
)


def tls_off_in_place(old: CacheState, new: CacheState) -> Iterator[Diagnostic]:
    """AWS documents turning TLS on in two steps; turning it off has no such
    path: TLS clients are dropped at once and the endpoints change format
    (https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/enable-python-best-practices.html)."""
    if old.tls and not new.tls:
        yield warning(
            TLS_OFF_IN_PLACE,
            ("security", "encryption_in_transit"),
            "turning TLS off drops every TLS (rediss://) client at once and changes the "
            "cache's endpoints (TLS and plaintext clusters use different DNS names): move "
            "every client to plaintext first",
        )


ENGINE_DOWNGRADE = ErrorKind(
    "engine-downgrade", Stage.UPDATE, "A lower engine version, or Valkey back to Redis OSS.",
    "ElastiCache cannot downgrade an engine; the update fails and is no replacement, so "
    "--allow-replacement does not help.",
    "Keep the version, or build a new cache (a new name) from a snapshot.", CFN_REPLICATION_GROUP,
)


def engine_downgrade(old: CacheState, new: CacheState) -> Iterator[Diagnostic]:
    """ElastiCache upgrades only: "you cannot downgrade to an earlier engine
    version" (CloudFormation docs, ReplicationGroup EngineVersion), and
    Valkey -> Redis OSS is not an upgrade: the cross-engine path goes from
    Redis OSS to Valkey only (https://docs.aws.amazon.com/AmazonElastiCache/
    latest/dg/VersionManagement.HowTo.html#VersionManagement.HowTo.cross-engine-upgrade).
    A serverless cache likewise: ModifyServerlessCache takes Engine and
    MajorEngineVersion in place (API_ModifyServerlessCache; neither is
    create-only in the provider schema), and serverless caches move only up
    to "the latest major version" (https://docs.aws.amazon.com/AmazonElastiCache/
    latest/dg/VersionManagement.html). CloudFormation fails the update; it is
    no replacement, so --allow-replacement does not help."""
    if None in (old.engine, old.version, new.engine, new.version):
        return
    assert old.version is not None and new.version is not None
    instead = ("build a new cache (a new name) from a snapshot" if not new.serverless else
               "build a new serverless cache (a new name or environment) from a snapshot")
    if old.engine == "valkey" and new.engine == "redis":
        yield error(
            ENGINE_DOWNGRADE,
            ("engine",),
            f"valkey {old.version} -> redis {new.version}: ElastiCache cannot move a Valkey "
            f"cache back to Redis OSS; keep engine: valkey, or {instead}",
        )
    elif old.engine == new.engine and engines.numeric(new.version) < engines.numeric(old.version):
        yield error(
            ENGINE_DOWNGRADE,
            ("engine_version",),
            f"{old.engine} {old.version} -> {new.version}: ElastiCache cannot downgrade an "
            f"engine, not even with --allow-replacement; keep the version, or {instead}",
        )


VPC_CHANGE = ErrorKind(
    "vpc-change", Stage.UPDATE, "A live cache moves to another VPC (network.vpc_id).",
    "The security groups are replaced in the new VPC (their VpcId is create-only) and the "
    "cache is asked to use them and the new VPC's subnets, but its nodes stay in the old "
    "VPC: the update fails half-applied. It is no replacement, so --allow-replacement "
    "does not help.",
    "Keep vpc_id and subnet_ids, or create the cache in the new VPC as a new stack "
    "(restored from a snapshot).",
    "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/"
    "aws-resource-ec2-securitygroup.html",
)


def vpc_change(old: CacheState, new: CacheState) -> Iterator[Diagnostic]:
    """A running cache cannot move to another VPC. CloudFormation replaces
    the security groups (EC2::SecurityGroup VpcId is create-only in the
    provider schema, create_only.json) and then asks the cache to take groups
    of the new VPC and its subnet group (ModifyCacheSubnetGroup) to take the
    new VPC's subnets, while the nodes stay in the old VPC: the update fails
    half-applied. Unconfirmed: the exact ElastiCache error text; no AWS page
    found states "a cache cannot change VPC" in those words (a subnet group
    cannot even be swapped on a running cluster in place: emnode.com's
    ElastiCache.7 lesson). Only a new cache can live in the new VPC: moot when
    this version replaces the cache anyway (a new subnet group name; a
    serverless cache's SubnetIds are create-only), which the replacement
    guard stops."""
    if old.vpc is None or new.vpc is None or old.vpc == new.vpc:
        return
    yield error(
        VPC_CHANGE,
        ("network", "vpc_id"),
        f"{old.vpc} -> {new.vpc}: ElastiCache cannot move a running cache to another VPC "
        "(its subnets and security groups must stay in the cache's VPC), so CloudFormation "
        "would fail the update after replacing the security groups; keep vpc_id and "
        "subnet_ids, or create the cache in the new VPC as a new stack (a new name or "
        "environment, restored from a snapshot with backups.restore_from)",
    )


ENGINE_SWITCH_WITH_USER_GROUP = ErrorKind(
    "engine-switch-with-user-group", Stage.UPDATE,
    "Redis OSS -> Valkey and the user group's engine in the same version.",
    "CloudFormation updates the user group and its users before the cache, and a Redis OSS "
    "cache accepts only redis user groups, so the update fails.",
    "Publish engine: valkey with security.user_group_engine: redis first, deploy it, then "
    "remove user_group_engine.", RBAC_GUIDE,
)


def engine_switch_with_user_group(old: CacheState, new: CacheState) -> Iterator[Diagnostic]:
    """Redis OSS -> Valkey with a user group whose engine follows in the same
    version: the cache refers to the user group, so CloudFormation updates the
    group (and its users) first, and "when using RBAC with Redis OSS clusters,
    only user groups with engine REDIS can be used"; a Valkey cluster takes
    both (https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Clusters.RBAC.html).
    The order AWS accepts: the cache first, with a redis user group, then the
    group (ModifyUserGroup Engine: in place, the provider schema lists only
    UserGroupId as create-only)."""
    if (old.engine, new.engine) != ("redis", "valkey"):
        return
    if (old.user_group_engine, new.user_group_engine) == ("redis", "valkey"):
        yield error(
            ENGINE_SWITCH_WITH_USER_GROUP,
            ("engine",),
            "redis -> valkey with the user group moving to valkey in the same version "
            "fails: CloudFormation updates the user group before the cache, and a Redis OSS "
            "cache accepts only redis user groups; publish two versions: first engine: valkey "
            "with security.user_group_engine: redis, deploy it, then remove "
            "user_group_engine (or keep it: a Valkey cache accepts redis user groups)",
        )


NODE_TYPE_DOWNSIZE = WarningKind(
    "node-type-downsize", Stage.UPDATE, "A smaller node type.",
    "ElastiCache refuses to scale down when the data does not fit, and CloudFormation may "
    "report success anyway.",
    "Check DatabaseMemoryUsagePercentage before deploying, then confirm the node type.",
    _ROADMAP + "2273",
)


def node_type_downsize(old: CacheState, new: CacheState) -> Iterator[Diagnostic]:
    """Scaling down fails when the data does not fit the smaller node, and
    CloudFormation may still report UPDATE_COMPLETE
    (aws-cloudformation/cloudformation-coverage-roadmap#2273)."""
    before = node_types.lookup(old.node_type or "")
    after = node_types.lookup(new.node_type or "")
    if before and after and after.memory_gib < before.memory_gib:
        yield warning(
            NODE_TYPE_DOWNSIZE,
            ("node_type",),
            f"{before.name} ({before.memory_gib:g} GiB) -> {after.name} "
            f"({after.memory_gib:g} GiB): ElastiCache refuses to scale down when the data "
            "does not fit, and CloudFormation may report success anyway; check "
            "DatabaseMemoryUsagePercentage (and leave room for replication buffers) before "
            "deploying, then confirm the node type in the console",
        )


AUTH_SWITCH_REPLACES = WarningKind(
    "auth-switch-replaces", Stage.UPDATE, "Switching between AUTH token and user groups (or none).",
    "ElastiCache deletes a token only on the way to user groups, and CloudFormation replaces "
    "the cache for the switch.",
    "Keep the current auth, or accept a new, empty cache with --allow-replacement.",
    _ROADMAP + "2356",
)


def auth_switch(old: CacheState, new: CacheState) -> Iterator[Diagnostic]:
    """AUTH token <-> user groups, or token -> none: ElastiCache deletes a
    token only on the way to user groups (ModifyReplicationGroup
    AuthTokenUpdateStrategy DELETE), and CloudFormation replaces the group
    for the switch (aws-cloudformation/cloudformation-coverage-roadmap#2356)."""
    if old.auth_token == new.auth_token and old.user_groups == new.user_groups:
        return
    if old.auth_token and not new.auth_token:
        target = "user groups" if new.user_groups else "no authentication"
        yield warning(
            AUTH_SWITCH_REPLACES,
            ("security", "auth"),
            f"AUTH token -> {target}: CloudFormation cannot remove the token in place and "
            "replaces the cache; keep auth: token, or accept a new, empty cache with "
            "--allow-replacement",
        )
    elif old.user_groups and new.auth_token:
        yield warning(
            AUTH_SWITCH_REPLACES,
            ("security", "auth"),
            "user groups -> AUTH token: CloudFormation replaces the cache for this switch; "
            "keep the user groups, or accept a new, empty cache with --allow-replacement",
        )


FINAL_SNAPSHOT_OFF = WarningKind(
    "final-snapshot-off", Stage.UPDATE, "A production cache stops keeping a final snapshot.",
    "Without it a replacement or a deleted stack loses the data for good.",
    "Remove final_snapshot: false.",
    "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/"
    "aws-attribute-deletionpolicy.html",
)


def final_snapshot_off(old: CacheState, new: CacheState) -> Iterator[Diagnostic]:
    """Production caches keep a final snapshot: without it a replacement or a
    deleted stack loses the data for good."""
    if new.production and new.deletion_policy == "Delete" and old.deletion_policy != "Delete":
        yield warning(
            FINAL_SNAPSHOT_OFF,
            ("backups", "final_snapshot"),
            "final_snapshot: false in production: deleting or replacing the cache keeps no "
            "snapshot of its data; remove the key to keep the default (true)",
        )


CLUSTER_MODE_SWITCH = ErrorKind(
    "cluster-mode-switch", Stage.UPDATE, "A live cache turns cluster mode on or off.",
    "ElastiCache turns cluster mode on only through a compatible step while clients move to "
    "the configuration endpoint, and never off again.",
    "Create the clustered cache as a new stack (restore it from a snapshot), or keep the "
    "published mode.",
    EC_GUIDE + "modify-cluster-mode.html",
)


def cluster_mode_switch(old: CacheState, new: CacheState) -> Iterator[Diagnostic]:
    """ElastiCache changes cluster mode only from disabled to enabled, through
    a `compatible` step in which clients move to the configuration endpoint,
    and never back ("Cluster mode configuration can only be changed from
    cluster mode disabled to cluster mode enabled. Reverting this
    configuration is not possible", https://docs.aws.amazon.com/AmazonElastiCache/
    latest/dg/modify-cluster-mode.html; provider schema, ClusterMode: "To modify
    cluster mode from Disabled to Enabled, you must first set the cluster mode
    to Compatible"). cachec builds no compatible step: the update would fail."""
    if old.cluster_mode == new.cluster_mode or None in (old.cluster_mode, new.cluster_mode):
        return
    if new.cluster_mode == "enabled":
        how = ("turning cluster mode on for an existing cache needs AWS's migration "
               "through ClusterMode compatible (clients move to the configuration endpoint "
               "first), which cachec does not build; create the clustered cache as a new stack")
    else:
        how = "ElastiCache cannot turn cluster mode off; keep cluster_mode: true"
    yield error(CLUSTER_MODE_SWITCH, ("topology", "cluster_mode"), how)


_MODIFY_RG_SHARDS = (
    "https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/"
    "API_ModifyReplicationGroupShardConfiguration.html"
)
SHARDS_WITH_OTHER_CHANGES = ErrorKind(
    "shards-with-other-changes", Stage.UPDATE,
    "The shard count changes in the same version as other cache settings.",
    "Online resharding is an operation of its own (ModifyReplicationGroupShardConfiguration), "
    "and a failed resharding rolls back everything CloudFormation changed with it.",
    "Publish the shard count alone, deploy it, then the other changes.",
    _MODIFY_RG_SHARDS,
)


def shards_with_other_changes(old: CacheState, new: CacheState) -> Iterator[Diagnostic]:
    """Online resharding is an operation of its own
    (ModifyReplicationGroupShardConfiguration, apart from ModifyReplicationGroup,
    https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/
    API_ModifyReplicationGroupShardConfiguration.html); the cache is busy while
    it moves slots, and a failure rolls back everything the same stack update
    changed. "Scaling in shards with UseOnlineResharding ... make it its own
    update" (the project's ElastiCache notes, review 2026-12; no AWS page found
    saying it in those words)."""
    if old.shards is None or new.shards is None or old.shards == new.shards:
        return
    before, after = dict(old.settings), dict(new.settings)
    others = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
    if others:
        yield error(
            SHARDS_WITH_OTHER_CHANGES,
            ("topology", "shards"),
            f"{old.shards} -> {new.shards} shards together with other changes to the cache "
            f"({', '.join(others)}): resharding is its own operation; publish the shard "
            "count alone, deploy it, then publish the other changes",
        )


SHARD_SCALE_IN_ALARMS = WarningKind(
    "shard-scale-in-alarms", Stage.UPDATE,
    "Fewer shards: ElastiCache chooses which node groups go.",
    "Alarms and the dashboard watch member ids <rg>-0001-001 ... numbered from 1; unless "
    "the removed node groups are the highest-numbered ones, they watch nodes that are "
    "gone and miss ones that stay.",
    "After deploying, list the node group ids (aws elasticache "
    "describe-replication-groups) and compare them with the alarms (docs/deploying.md).",
    _MODIFY_RG_SHARDS,
)


def shard_scale_in_alarms(old: CacheState, new: CacheState) -> Iterator[Diagnostic]:
    """ElastiCache removes the node groups a scale-in names
    (NodeGroupsToRemove/NodeGroupsToRetain of
    ModifyReplicationGroupShardConfiguration, one of them required); a
    template has no property for them, so CloudFormation chooses. Alarms and
    the dashboard assume ids 0001..000N (synthesize/members.py)."""
    if old.shards is None or new.shards is None or new.shards >= old.shards:
        return
    if not new.monitored:
        return
    last = f"{new.shards:04d}"
    yield warning(
        SHARD_SCALE_IN_ALARMS,
        ("topology", "shards"),
        f"{old.shards} -> {new.shards} shards: CloudFormation, not cachec, chooses which "
        f"node groups go, and the alarms and dashboard watch node groups 0001-{last}; after "
        "the deploy, list the surviving node group ids (aws elasticache "
        "describe-replication-groups --replication-group-id <id> --query "
        "'ReplicationGroups[0].NodeGroups[].NodeGroupId') and, if they are not "
        f"0001-{last}, follow docs/deploying.md (\"Changing the number of shards\")",
    )


REPLACEMENT_WITH_FIXED_ID = ErrorKind(
    "replacement-with-fixed-id", Stage.UPDATE,
    "A version that replaces the cache and keeps its replication_group_id.",
    "CloudFormation creates the new cache before deleting the old one, and cannot while "
    "both would have the same name: \"If you specify a name, you cannot perform updates "
    "that require replacement of this resource\". The update fails; --allow-replacement "
    "does not help.",
    "Change replication_group_id in the same version (clients and dashboards then follow "
    "the new id), or revert the change that replaces the cache.",
    "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/"
    "aws-properties-name.html",
)


def replacement_with_fixed_id(old: CacheState, new: CacheState) -> Iterator[Diagnostic]:
    """Run only when the version replaces the cache (REPLACEMENT_RULES)."""
    if old.group_id is None or old.group_id != new.group_id:
        return
    yield error(
        REPLACEMENT_WITH_FIXED_ID,
        ("replication_group_id",),
        f"this version replaces the cache, and its id stays {old.group_id}: CloudFormation "
        "cannot replace a resource with a custom name, so the update would fail; change "
        "replication_group_id in the same version, or revert what replaces the cache",
    )


# Paths of an in-place update: moot when the same version replaces the cache
# (a new cluster is simply created with the new settings).
GLOBAL_DATASTORE_SCALING = WarningKind(
    "global-datastore-scaling", Stage.UPDATE,
    "The node type, engine version or shard count of a global datastore's primary changes.",
    "Every member of a global datastore has the same node type, engine version and shard "
    "count, and ElastiCache changes them for all members at once through the global "
    "datastore (ModifyGlobalReplicationGroup, IncreaseNodeGroupsInGlobalReplicationGroup); "
    "cachec's templates change them on the primary's replication group only, which the "
    "update may not be allowed to do.",
    "Scale the global datastore itself (aws elasticache modify-global-replication-group "
    "--apply-immediately with --cache-node-type or --engine-version), wait until it is "
    "available, then deploy this version, which then changes nothing on the cache.",
    "https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/"
    "API_ModifyGlobalReplicationGroup.html",
)


def global_datastore_scaling(old: CacheState, new: CacheState) -> Iterator[Diagnostic]:
    """The global datastore's own settings: "All clusters ... should have the
    same number of primary nodes, node type, engine version, and number of
    shards" (ElastiCache, global datastores' prerequisites and limitations,
    https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Redis-Global-Datastores-Getting-Started.html);
    scaling goes through ModifyGlobalReplicationGroup ("CacheNodeType: A valid
    cache node type that you want to scale this Global datastore to").
    terraform-provider-aws says the same of engine versions: "once it is part
    of a Global Replication Group, the Global Replication Group manages the
    version of all member replication groups" (the members ignore changes to
    engine_version; website/docs/r/elasticache_global_replication_group.html.markdown)."""
    if not (old.global_primary and new.global_primary):
        return
    changed = [(path, f"{before} -> {after}") for path, before, after in (
        (("node_type",), old.node_type, new.node_type),
        (("engine_version",), old.version, new.version),
        (("topology", "shards"), old.shards, new.shards),
    ) if before != after]
    for path, what in changed:
        yield warning(
            GLOBAL_DATASTORE_SCALING, path,
            f"{what} on the primary of a global datastore: every member changes together "
            "through the global datastore; run aws elasticache modify-global-replication-group "
            "first (the version's DEPLOY.md), then deploy this version",
        )


IN_PLACE_RULES: tuple[Rule[Check], ...] = (
    Rule(first_replica_with_failover, (FIRST_REPLICA_WITH_FAILOVER,)),
    Rule(last_replica_with_failover, (LAST_REPLICA_WITH_FAILOVER,)),
    Rule(tls_on_in_place, (TLS_NOT_IN_PLACE, TLS_NEEDS_PREFERRED)),
    Rule(tls_off_in_place, (TLS_OFF_IN_PLACE,)),
    Rule(engine_downgrade, (ENGINE_DOWNGRADE,)),
    Rule(vpc_change, (VPC_CHANGE,)),
    Rule(node_type_downsize, (NODE_TYPE_DOWNSIZE,)),
    Rule(cluster_mode_switch, (CLUSTER_MODE_SWITCH,)),
    Rule(shards_with_other_changes, (SHARDS_WITH_OTHER_CHANGES,)),
    Rule(shard_scale_in_alarms, (SHARD_SCALE_IN_ALARMS,)),
    Rule(global_datastore_scaling, (GLOBAL_DATASTORE_SCALING,)),
)
# Paths that hold even when the cache is replaced.
RULES: tuple[Rule[Check], ...] = (
    # The user group is updated while the old (Redis OSS) cache still uses it.
    Rule(engine_switch_with_user_group, (ENGINE_SWITCH_WITH_USER_GROUP,)),
    Rule(auth_switch, (AUTH_SWITCH_REPLACES,)),
    Rule(final_snapshot_off, (FINAL_SNAPSHOT_OFF,)),
)
# Paths of a replacement only.
REPLACEMENT_RULES: tuple[Rule[Check], ...] = (
    Rule(replacement_with_fixed_id, (REPLACEMENT_WITH_FIXED_ID,)),
)


def check(
    before: dict[str, Any], after: dict[str, Any], *, cache_replaced: bool
) -> list[Diagnostic]:
    old, new = cache_state(before), cache_state(after)
    if old is None or new is None:
        return []
    rules = (*REPLACEMENT_RULES, *RULES) if cache_replaced else (*IN_PLACE_RULES, *RULES)
    return [d for rule in rules for d in rule.check(old, new)]
