"""A global datastore: the primary's AWS::ElastiCache::GlobalReplicationGroup,
and what differs in a secondary region's template.

The primary's template is the cache's own template plus the global datastore,
which names the replication group as its PRIMARY member; a secondary's
template holds a replication group created with GlobalReplicationGroupId.
ElastiCache prefixes the id suffix with a string of its own ("Amazon
ElastiCache automatically applies a prefix to the Global Datastore ID when it
is created", provider schema of AWS::ElastiCache::GlobalReplicationGroup), so
the id is known only from the primary's stack: its Output
GlobalReplicationGroupId goes into the secondary's Parameter of that name.
CloudFormation exports do not cross regions, so no ImportValue can carry it
(https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/outputs-section-structure.html:
"You can't create cross-stack references across Regions").
"""

from __future__ import annotations

from typing import Any

from troposphere import Ref, Sub, Template, cloudwatch, elasticache

from ..catalog import alarms as catalog
from ..input.model import GlobalDatastore, ReplicationGroup, Spec
from ..vocabulary import names, resource_names
from .alarms import node_query
from .provenance import add_resource
from .tags import tags

_GDS = ("global_datastore",)
_RG = names.REPLICATION_GROUP

def add_global_replication_group(template: Template, spec: Spec, gds: GlobalDatastore) -> None:
    """The global datastore, with this stack's replication group as its primary.

    Only the members and the id suffix are set: CacheNodeType, EngineVersion,
    GlobalNodeGroupCount and AutomaticFailoverEnabled are write-only inputs
    that ModifyGlobalReplicationGroup applies to every member (provider
    schema, writeOnlyProperties); left out, the global datastore takes the
    primary's settings, which the replication group above carries."""
    add_resource(
        template,
        elasticache.GlobalReplicationGroup(
            names.GLOBAL_REPLICATION_GROUP,
            GlobalReplicationGroupIdSuffix=gds.id_suffix,
            GlobalReplicationGroupDescription=spec.description,
            Members=[
                elasticache.GlobalReplicationGroupMember(
                    ReplicationGroupId=Ref(_RG),
                    ReplicationGroupRegion=Ref("AWS::Region"),
                    Role="PRIMARY",
                )
            ],
            Tags=tags(spec),
        ),
        _GDS,
        {"GlobalReplicationGroupIdSuffix": (*_GDS, "id_suffix"),
         "GlobalReplicationGroupDescription": ("description",), "Tags": ("tags",)},
    )


def secondary_properties(spec: Spec, rg: ReplicationGroup,
                         primary: dict[str, Any]) -> dict[str, Any]:
    """A secondary's replication group: the primary's properties without what
    it inherits from the global datastore.

    "When you add a secondary cluster to a global datastore, the secondary
    cluster inherits the Multi-AZ and automatic failover settings from the
    primary cluster", and every member has the primary's "number of primary
    nodes, node type, engine version, and number of shards" (GDS-PREREQ in
    rules/global_datastore.py); the engine, its parameter group, the port,
    the encryption settings and the AUTH token are the global datastore's
    too, so a secondary names none of them (terraform-provider-aws's own
    example and acceptance test create a secondary with an id, a description,
    GlobalReplicationGroupId, a subnet group and its node count only:
    website/docs/r/elasticache_global_replication_group.html.markdown,
    resource_aws_elasticache_replication_group_test.go). What stays is the
    secondary's own: its replicas, network, windows, backups, logs and tags,
    and its own region's KMS key."""
    inherited = {
        "Engine", "EngineVersion", "CacheNodeType", "NumNodeGroups", "ClusterMode",
        "AutomaticFailoverEnabled", "MultiAZEnabled", "Port", "CacheParameterGroupName",
        "AtRestEncryptionEnabled", "TransitEncryptionEnabled", "TransitEncryptionMode",
        "AuthToken", "UserGroupIds", "DataTieringEnabled", "SnapshotName", "SnapshotArns",
        "ReplicationGroupId",
        # Zones are the primary region's names (topology.availability_zones).
        "PreferredCacheClusterAZs", "NodeGroupConfiguration",
    }
    props = {k: v for k, v in primary.items() if k not in inherited}
    props["GlobalReplicationGroupId"] = Ref(names.GLOBAL_REPLICATION_GROUP_ID)
    if rg.topology.cluster_mode:
        # The shard count is the global datastore's; the replicas per shard
        # are this region's (ReplicasPerNodeGroup without NodeGroupConfiguration).
        props["ReplicasPerNodeGroup"] = rg.topology.replicas
    # The order the other properties keep: the group id first among them.
    return {"GlobalReplicationGroupId": props.pop("GlobalReplicationGroupId"), **props}


def add_replication_lag_alarm(
    template: Template, spec: Spec, gds: GlobalDatastore, suffixes: tuple[str, ...],
    notify: dict[str, Any],
) -> str:
    """GlobalDatastoreReplicationLag over every node of a secondary cluster.

    "GlobalDatastoreReplicationLag: This is the lag between the secondary
    Region's primary node and the primary Region's primary node. For cluster
    mode enabled, the lag indicates the maximum delay among the shards. Units:
    Seconds" (ElastiCache, "Metrics for Valkey and Redis OSS",
    https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheMetrics.Redis.html).
    Like every ElastiCache metric it is published per node (dimension
    CacheClusterId), so the alarm watches each node of the secondary and
    takes the highest; replicas publish none (notBreaching). The primary
    region's cluster publishes none either: the alarm is in each secondary's
    template only. One metric-math alarm takes at most 10 metrics (CloudWatch
    quotas): rules.global_datastore.lag_alarm_nodes keeps a secondary within
    them (at most 6 nodes without cluster mode)."""
    assert len(suffixes) <= MAX_WATCHED_NODES, "rules refuse larger secondaries"
    queries: list[Any] = [node_query(suffix, GLOBAL_LAG_METRIC, "Maximum")
                          for suffix in suffixes]
    ids = ",".join(q.Id for q in queries)
    queries.append(cloudwatch.MetricDataQuery(
        Id="highest", Expression=f"MAX([{ids}])",
        Label=f"{GLOBAL_LAG_METRIC}, highest node", ReturnData=True,
    ))
    minutes = catalog.EVALUATION_PERIODS * catalog.PERIOD_SECONDS // 60
    add_resource(
        template,
        cloudwatch.Alarm(
            names.GLOBAL_REPLICATION_LAG_ALARM,
            AlarmName=Sub(resource_names.alarm_name("global_replication_lag", "")),
            AlarmDescription=(
                f"{GLOBAL_LAG_METRIC} (Maximum) above {gds.replication_lag_alarm} s for "
                f"{minutes} minutes: this region's copy of the global datastore is behind "
                f"the primary region ({gds.primary_region}); reads here are stale and a "
                "promotion of this region would lose the writes not yet replicated. Check "
                "write volume on the primary and the inter-region network."
            ),
            ComparisonOperator="GreaterThanThreshold",
            Threshold=gds.replication_lag_alarm,
            EvaluationPeriods=catalog.EVALUATION_PERIODS,
            DatapointsToAlarm=catalog.DATAPOINTS_TO_ALARM,
            TreatMissingData="notBreaching",
            Metrics=queries,
            **notify,
            Tags=tags(spec),
        ),
        (*_GDS, "replication_lag_alarm"),
        {"Tags": ("tags",), **{p: ("monitoring",) for p in
                               ("AlarmActions", "OKActions", "InsufficientDataActions")}},
    )
    return names.GLOBAL_REPLICATION_LAG_ALARM


GLOBAL_LAG_METRIC = "GlobalDatastoreReplicationLag"
# Metrics per metric-math alarm (CloudWatch quotas, synthesize/alarms.py).
MAX_WATCHED_NODES = 10


def global_id_output() -> tuple[str, str, object, tuple[str, ...]]:
    """The primary's Output the secondaries' Parameter takes (Ref returns the id)."""
    return (names.GLOBAL_REPLICATION_GROUP_ID,
            "Id of the global datastore (pass it to each secondary region's stack as its "
            "GlobalReplicationGroupId Parameter)",
            Ref(names.GLOBAL_REPLICATION_GROUP), _GDS)

