"""A global datastore: what AWS requires of its members, checked at the spec.

Sources (read 2026-12):
- GDS-PREREQ: ElastiCache "Prerequisites and limitations" of global datastores,
  https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Redis-Global-Datastores-Getting-Started.html
  ("supported on the following instance families in size large and above: M5,
  M6g, M7g, R5, R6g, R6gd, R7g, and C7gn"; "You can set up replication for a
  primary cluster from one AWS Region to a secondary cluster in up to two other
  AWS Regions", except "China (Beijing) Region and China (Ningxia) regions,
  where replication can only occur between the two regions"; the list of
  Regions; "Global datastores support encryption at rest, encryption in
  transit, and AUTH"; "Global datastores don't support Internet Protocol
  version 6 (IPv6)"; "All clusters ... should have the same number of primary
  nodes, node type, engine version, and number of shards").
- GDS-OVERVIEW: https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Redis-Global-Datastore.html
  (Redis OSS 5.0.6 and later, Valkey 7.2 and later).
- StackSets deploy one template to every region
  (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/what-is-cfnstacksets.html);
  a secondary needs its own template and the global datastore's id, which
  exists only once the primary's stack is complete.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..catalog import engines
from ..catalog.partitions import partition_of
from ..diagnostics import Diagnostic, error
from ..input.model import ReplicationGroup, Spec
from ..kinds import EC_GUIDE, ErrorKind, Stage

_GDS = ("global_datastore",)
_PREREQ = EC_GUIDE + "Redis-Global-Datastores-Getting-Started.html"

# GDS-PREREQ: the node families, size large and above.
FAMILIES = ("m5", "m6g", "m7g", "r5", "r6g", "r6gd", "r7g", "c7gn")
_BELOW_LARGE = frozenset({"micro", "small", "medium"})

# GDS-PREREQ, "Global datastores are supported in the following AWS Regions"
# (the page names them; these are their codes).
REGIONS = frozenset({
    "af-south-1",
    "ap-east-1", "ap-south-2", "ap-southeast-3", "ap-southeast-5", "ap-southeast-4",
    "ap-south-1", "ap-northeast-3", "ap-northeast-2", "ap-southeast-1", "ap-southeast-2",
    "ap-southeast-7", "ap-northeast-1",
    "ca-central-1", "ca-west-1",
    "cn-north-1", "cn-northwest-1",
    "eu-central-1", "eu-west-2", "eu-west-1", "eu-south-1", "eu-west-3", "eu-south-2",
    "eu-north-1", "eu-central-2",
    "us-gov-west-1", "us-gov-east-1",
    "il-central-1",
    "me-south-1", "me-central-1",
    "us-east-1", "us-east-2", "us-west-1", "us-west-2",
    "mx-central-1", "sa-east-1",
})
# GDS-PREREQ: the China regions replicate only with each other. The partition
# check says so: aws-cn holds exactly these two regions (catalog/partitions.json),
# and a member may not repeat the primary's region.
# GDS-OVERVIEW: the oldest engine version of each engine with global datastores.
MINIMUM_VERSIONS = {"redis": "5.0.6", "valkey": "7.2"}

GLOBAL_NODE_TYPE = ErrorKind(
    "global-datastore-node-type", Stage.RULES,
    "The node type cannot be a member of a global datastore.",
    "ElastiCache supports global datastores only on M5, M6g, M7g, R5, R6g, R6gd, R7g and "
    "C7gn nodes of size large and above; the create would fail.",
    "Choose a supported type, e.g. cache.r7g.large.",
    _PREREQ,
)
GLOBAL_ENGINE_VERSION = ErrorKind(
    "global-datastore-engine-version", Stage.RULES,
    "The engine version is too old for a global datastore.",
    "Global datastores need Redis OSS 5.0.6 or later, or Valkey 7.2 or later.",
    "Choose a newer engine_version.",
    EC_GUIDE + "Redis-Global-Datastore.html",
)
GLOBAL_REGION = ErrorKind(
    "global-datastore-region", Stage.RULES,
    "A region of the global datastore is not one AWS allows there.",
    "ElastiCache offers global datastores in listed regions only, a member in the "
    "primary's region would be no replica at all, and a global datastore stays within one "
    "partition (the China regions replicate only with each other).",
    "Name supported regions, each once, other than the primary region, in one partition.",
    _PREREQ,
)
GLOBAL_IPV6 = ErrorKind(
    "global-datastore-ipv6", Stage.RULES, "A global datastore member cannot use IPv6.",
    "Global datastores don't support IPv6: the create would fail.",
    "Keep network.network_type ipv4 (the default).",
    _PREREQ,
)
GLOBAL_USER_GROUP = ErrorKind(
    "global-datastore-user-group", Stage.RULES,
    "A global datastore member is given an RBAC user group.",
    "AWS lists encryption at rest, encryption in transit and AUTH as what global "
    "datastores support; user groups are regional resources a secondary cannot share. "
    "cachec refuses what it cannot show works.",
    "Use security.auth: token (AUTH), or none.",
    _PREREQ,
)
GLOBAL_STACKSET = ErrorKind(
    "global-datastore-stackset", Stage.RULES,
    "A global datastore cannot be deployed by a StackSet.",
    "A StackSet deploys one template to every region at once, while a global datastore "
    "needs the primary's template first and a different template in each secondary, given "
    "the global datastore's id that exists only once the primary's stack is complete.",
    "Remove stack.stackset: the version's DEPLOY.md deploys the primary, then each "
    "secondary, in order.",
    "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/what-is-cfnstacksets.html",
)
GLOBAL_EXPOSED = ErrorKind(
    "global-datastore-exposed", Stage.RULES,
    "A setting every member must share is exposed as a Parameter.",
    "Every member of a global datastore has the same node type and engine version; a "
    "Parameter would let one stack's deployer choose another and fail the update.",
    "Remove node_type and engine_version from stack.expose.",
    _PREREQ,
)
GLOBAL_KMS_KEY_ARN = ErrorKind(
    "global-datastore-kms-key-arn", Stage.RULES,
    "The cache's KMS key is named by ARN, which exists in one region only.",
    "KMS keys are regional: each member encrypts with a key of its own region, and the "
    "secondary templates take the key from the same spec value.",
    "Name the key by an alias (alias/<name>) that exists in every region of the global "
    "datastore.",
    "https://docs.aws.amazon.com/kms/latest/developerguide/multi-region-keys-overview.html",
)


def node_type(spec: Spec, rg: ReplicationGroup) -> Iterator[Diagnostic]:
    if spec.global_datastore is None:
        return
    _, family, size = rg.node_type.split(".")
    if family not in FAMILIES or size in _BELOW_LARGE:
        yield error(
            GLOBAL_NODE_TYPE, ("node_type",),
            f"{rg.node_type} cannot join a global datastore: ElastiCache supports "
            f"{', '.join(f.upper() for f in FAMILIES)} nodes of size large and above",
        )


def engine_version(spec: Spec, rg: ReplicationGroup) -> Iterator[Diagnostic]:
    minimum = MINIMUM_VERSIONS.get(spec.engine)
    if spec.global_datastore is None or minimum is None:
        return
    if engines.numeric(spec.engine_version) < engines.numeric(minimum):
        yield error(
            GLOBAL_ENGINE_VERSION, ("engine_version",),
            f"global datastores need {spec.engine} {minimum} or later, not "
            f"{spec.engine_version}",
        )


def regions(spec: Spec, rg: ReplicationGroup) -> Iterator[Diagnostic]:
    gds = spec.global_datastore
    if gds is None:
        return
    paths = [(*_GDS, "primary_region"), *(
        (*_GDS, "secondary_regions", i) for i in range(len(gds.secondary_regions)))]
    primary_partition = partition_of(gds.primary_region)
    for path, region in zip(paths, gds.regions, strict=True):
        if region not in REGIONS:
            yield error(GLOBAL_REGION, path,
                        f"ElastiCache offers no global datastores in {region}")
        elif path[-1] != "primary_region" and region == gds.primary_region:
            yield error(GLOBAL_REGION, path,
                        f"{region} is the primary region: a secondary must be in another one")
        elif partition_of(region) != primary_partition:
            yield error(GLOBAL_REGION, path,
                        f"{region} is in another partition than the primary region "
                        f"{gds.primary_region}: a global datastore stays within one")


def zones_in_the_primary_region(spec: Spec, rg: ReplicationGroup) -> Iterator[Diagnostic]:
    """topology.availability_zones place the primary's nodes; a secondary lets
    ElastiCache choose its zones (global_datastore.secondary_properties)."""
    gds = spec.global_datastore
    if gds is None:
        return
    # us-east-1a -> us-east-1: a zone is its region's name and a letter.
    regions = sorted({zone[:-1] for shard in rg.topology.availability_zones for zone in shard})
    if regions and regions != [gds.primary_region]:
        yield error(GLOBAL_REGION, ("topology", "availability_zones"),
                    f"zones of {', '.join(regions)}, but the primary region is "
                    f"{gds.primary_region}: availability_zones place the primary's nodes "
                    "(each secondary's zones are ElastiCache's choice)")


def ipv4_only(spec: Spec, rg: ReplicationGroup) -> Iterator[Diagnostic]:
    if spec.global_datastore is not None and spec.network.network_type != "ipv4":
        yield error(GLOBAL_IPV6, ("network", "network_type"),
                    f"global datastores don't support IPv6; network_type "
                    f"{spec.network.network_type} must be ipv4")


def no_user_group(spec: Spec, rg: ReplicationGroup) -> Iterator[Diagnostic]:
    if spec.global_datastore is not None and spec.security.user_group:
        yield error(GLOBAL_USER_GROUP, ("security", "auth"),
                    f"auth: {spec.security.auth} uses an RBAC user group, which cachec does "
                    "not build for a global datastore: use auth: token or none")


def no_stackset(spec: Spec) -> Iterator[Diagnostic]:
    if spec.global_datastore is not None and spec.stack.stackset is not None:
        yield error(GLOBAL_STACKSET, ("stack", "stackset"),
                    "a StackSet deploys one template everywhere at once; a global datastore "
                    "deploys the primary first, then a template of its own in each secondary "
                    "region: remove stack.stackset")


def shared_settings_not_exposed(spec: Spec, rg: ReplicationGroup) -> Iterator[Diagnostic]:
    if spec.global_datastore is None:
        return
    for field in ("node_type", "engine_version"):
        if spec.stack.exposes(field):
            yield error(GLOBAL_EXPOSED, ("stack", "expose"),
                        f"{field} is the same on every member of a global datastore: it "
                        "cannot be a Parameter of one stack")


def kms_key_by_alias(spec: Spec, rg: ReplicationGroup) -> Iterator[Diagnostic]:
    key = spec.security.kms_key_id
    if spec.global_datastore is not None and key and key.startswith("arn:"):
        yield error(GLOBAL_KMS_KEY_ARN, ("security", "kms_key_id"),
                    "a key ARN names one region, but each member of the global datastore "
                    "encrypts with a key of its own region: name it by an alias that exists "
                    "in every region")


# CloudWatch quotas: a metric-math alarm references at most 10 metrics
# (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch_limits.html);
# the secondary's GlobalDatastoreReplicationLag alarm queries each node.
MAX_LAG_ALARM_NODES = 10

GLOBAL_LAG_ALARM_NODES = ErrorKind(
    "global-datastore-lag-alarm-nodes", Stage.RULES,
    "A secondary cluster has more nodes than its replication-lag alarm can watch.",
    "Each secondary's GlobalDatastoreReplicationLag alarm queries every node, and one "
    "metric-math alarm references at most 10 metrics; cachec does not split this alarm.",
    "Use at most 10 nodes (shards x (replicas + 1)), or turn monitoring off.",
    "https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch_limits.html",
)


def lag_alarm_nodes(spec: Spec, rg: ReplicationGroup) -> Iterator[Diagnostic]:
    nodes = rg.topology.node_count
    if (spec.global_datastore is not None and spec.monitoring.enabled
            and nodes > MAX_LAG_ALARM_NODES):
        yield error(GLOBAL_LAG_ALARM_NODES, ("topology",),
                    f"{nodes} nodes in each secondary, but its GlobalDatastoreReplicationLag "
                    f"alarm can watch at most {MAX_LAG_ALARM_NODES}: use fewer shards or "
                    "replicas")
