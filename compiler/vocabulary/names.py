"""Stable names: logical IDs, Parameter and Output names.

Logical IDs are part of the contract: renaming one makes CloudFormation
delete the old resource and create a new one, which for the replication
group means an empty cache. They live here and nowhere else.
"""

from __future__ import annotations

# Resources
REPLICATION_GROUP = "ReplicationGroup"
SERVERLESS_CACHE = "ServerlessCache"  # the serverless shape's cache
SUBNET_GROUP = "SubnetGroup"
PARAMETER_GROUP = "ParameterGroup"
SECURITY_GROUP = "SecurityGroup"
CLIENT_SECURITY_GROUP = "ClientSecurityGroup"
CLIENT_SECURITY_GROUP_EGRESS = "ClientSecurityGroupEgress"  # to the cache, its (first) port


def client_security_group_egress(port: int, *, first: bool) -> str:
    """The client group's rule to the cache on `port`: one rule per port.
    The first keeps the id it has always had; serverless's reader port 6380
    is `ClientSecurityGroupEgress6380`."""
    return CLIENT_SECURITY_GROUP_EGRESS if first else f"{CLIENT_SECURITY_GROUP_EGRESS}{port}"


AUTH_SECRET = "AuthSecret"
# Access control by user group (security.auth: iam | rbac).
USER_GROUP = "UserGroup"
DEFAULT_USER = "DefaultUser"  # the user named "default", switched off
DEFAULT_USER_SECRET = "DefaultUserSecret"
IAM_USER = "IamUser"  # auth: iam
CONNECT_POLICY = "ConnectPolicy"  # elasticache:Connect for application roles
AUTH_SECRET_READ_POLICY = "AuthSecretReadPolicy"  # GetSecretValue on AuthSecret


def _pascal(user: str) -> str:
    """`app-team` -> `AppTeam` (the schema forbids `--`, so names stay distinct)."""
    return "".join(part.capitalize() for part in user.split("-"))


# Every RBAC user's resources and Outputs start with this (change/unrecorded.py maps them).
USER_PREFIX = "User"


def user(name: str) -> str:
    """Logical id of the RBAC user with this spec name."""
    return f"{USER_PREFIX}{_pascal(name)}"


def user_secret(name: str) -> str:
    return f"{user(name)}Secret"


def rotation(secret: str) -> str:
    """The RotationSchedule of the secret with this logical id (security.rotation)."""
    return f"{secret}Rotation"


def user_name_output(name: str) -> str:
    return f"{user(name)}Name"


def user_secret_arn_output(name: str) -> str:
    return f"{user_secret(name)}Arn"


# Parameters
VPC_ID = "VpcId"
SUBNET_IDS = "SubnetIds"
ALLOWED_SECURITY_GROUP_IDS = "AllowedSecurityGroupIds"
# network.security_group_ids: existing groups attached to the cache itself.
EXISTING_SECURITY_GROUP_IDS = "ExistingSecurityGroupIds"
# network.subnet_group_name: an existing subnet group.
EXISTING_SUBNET_GROUP_NAME = "ExistingSubnetGroupName"
ALLOWED_CIDR_BLOCKS = "AllowedCidrBlocks"
ALLOWED_IPV6_CIDR_BLOCKS = "AllowedIpv6CidrBlocks"
# Account- and region-specific values (keys, snapshots): Parameters whose
# Default is the spec's value, overridden per region under StackSets.
KMS_KEY_ID = "KmsKeyId"
LOG_KMS_KEY_ID = "LogKmsKeyId"
# security.secrets_kms_key_id. Not "Secret...": CDK's template validator takes
# a Parameter whose name holds "secret" or "password" for a plain-text
# credential (issue 19, item 12).
CREDENTIALS_KMS_KEY_ID = "CredentialsKmsKeyId"
ALARM_TOPIC_KMS_KEY_ID = "AlarmTopicKmsKeyId"  # monitoring.create_topic.kms_key_id
ROTATION_FUNCTION_ARN = "RotationFunctionArn"  # security.rotation.function_arn
RESTORE_SNAPSHOT_NAME = "RestoreSnapshotName"
RESTORE_SNAPSHOT_ARNS = "RestoreSnapshotArns"
# serverless.restore_from: serverless snapshot ARNs (regional, so a Parameter).
SNAPSHOT_ARNS_TO_RESTORE = "SnapshotArnsToRestore"
# monitoring.event_topic_arn: the topic's name; its ARN is built in the
# stack's account and region (ElastiCache publishes only to its own account's).
EVENT_TOPIC_NAME = "EventTopicName"
# dns: the hosted zone and the record's name (a StackSet overrides them per region).
DNS_ZONE_ID = "DnsZoneId"
DNS_RECORD_NAME = "DnsRecordName"
# stack.expose: spec fields as Parameters (synthesize/exposed.py)
NODE_TYPE = "NodeType"
ENGINE_VERSION = "EngineVersion"
REPLICAS = "Replicas"
BACKUP_RETENTION_DAYS = "BackupRetentionDays"
NODE_COUNTS = "NodeCounts"  # Mapping: replicas -> NumCacheClusters
REPLICAS_RULE = "ReplicasNeeded"  # template Rule
# The Parameter each exposable spec field becomes (alarm thresholds: see
# exposed_threshold and alarm_threshold).
EXPOSED = {
    "node_type": NODE_TYPE,
    "engine_version": ENGINE_VERSION,
    "replicas": REPLICAS,
    "backups.retention_days": BACKUP_RETENTION_DAYS,
}


def exposed_threshold(alarm_key: str) -> str:
    """The stack.expose field of an alarm's threshold: `monitoring.alarms.cpu`."""
    return f"monitoring.alarms.{alarm_key}"


def alarm_threshold(key: str) -> str:
    """cpu -> CpuAlarmThreshold: the Parameter of an exposed threshold."""
    return f"{ALARMS[key]}Threshold"


def has_node(k: int) -> str:
    """Condition: the replication group has a k-th node (exposed replicas)."""
    return f"HasNode{k}"


# Outputs
PRIMARY_ENDPOINT = "PrimaryEndpoint"  # without cluster mode
ENDPOINT = "Endpoint"  # serverless
CONFIGURATION_ENDPOINT = "ConfigurationEndpoint"  # cluster mode
READER_ENDPOINT = "ReaderEndpoint"
# The same address as whichever of the three above the shape has: the one
# name an application's configuration can rely on whatever the topology.
CLIENT_ENDPOINT = "ClientEndpoint"
PORT = "Port"
CONNECTION_STRING = "ConnectionString"
REPLICATION_GROUP_ID = "ReplicationGroupId"
REPLICATION_GROUP_ARN = "ReplicationGroupArn"
SERVERLESS_CACHE_NAME = "ServerlessCacheName"
SERVERLESS_CACHE_ARN = "ServerlessCacheArn"
SECURITY_GROUP_ID = "SecurityGroupId"
CLIENT_SECURITY_GROUP_ID = "ClientSecurityGroupId"
SUBNET_GROUP_NAME = "SubnetGroupName"
PARAMETER_GROUP_NAME = "ParameterGroupName"
AUTH_SECRET_ARN = "AuthSecretArn"
USER_GROUP_ID = "UserGroupId"
IAM_USER_NAME = "IamUserName"
CONNECT_POLICY_ARN = "ConnectPolicyArn"
AUTH_SECRET_READ_POLICY_ARN = "AuthSecretReadPolicyArn"
SUMMARY = "Summary"

# Template metadata key holding cachec's provenance.
METADATA_KEY = "cachec"

# Observability
SLOW_LOG_GROUP = "SlowLogGroup"
ENGINE_LOG_GROUP = "EngineLogGroup"
ALARM_TOPIC = "AlarmTopic"
ALARM_TOPIC_POLICY = "AlarmTopicPolicy"
ALARM_EMAIL_SUBSCRIPTION = "AlarmEmailSubscription"
DASHBOARD = "Dashboard"
DNS_RECORD = "DnsRecord"  # AWS::Route53::RecordSet, `dns`
# `global_datastore`: the primary's AWS::ElastiCache::GlobalReplicationGroup;
# its Output and each secondary's Parameter share the id's name.
GLOBAL_REPLICATION_GROUP = "GlobalReplicationGroup"
GLOBAL_REPLICATION_GROUP_ID = "GlobalReplicationGroupId"
GLOBAL_REPLICATION_LAG_ALARM = "GlobalReplicationLagAlarm"  # in each secondary
# One alarm per metric, by its spec key under monitoring.alarms.
ALARMS = {
    "cpu": "CpuAlarm",
    "engine_cpu": "EngineCpuAlarm",
    "memory": "MemoryAlarm",
    "connections": "ConnectionsAlarm",
    "evictions": "EvictionsAlarm",
    "replication_lag": "ReplicationLagAlarm",
    "throttled_commands": "ThrottledCommandsAlarm",
    "ecpu": "EcpuAlarm",
    "data_storage": "DataStorageAlarm",
}


# 500 nodes (ElastiCache's maximum per cluster) / 10 metrics per math alarm.
MAX_ALARM_PARTS = 50


def alarm_part(key: str, part: int) -> str:
    """A metric alarm over one slice of a cluster's nodes, `CpuAlarmPart01`."""
    return f"{ALARMS[key]}Part{part:02d}"


def alarm_composite(key: str) -> str:
    """The composite alarm over a metric's parts, `CpuAlarmCluster`. Not
    ALARMS[key]: a cluster that grows past ten nodes then swaps the single
    alarm for parts and a composite (delete and create, no names shared),
    where reusing the id would change its resource type, which CloudFormation
    cannot update."""
    return f"{ALARMS[key]}Cluster"
ALARM_TOPIC_ARN = "AlarmTopicArn"  # Output when the stack creates the topic
# Parameters naming an existing topic; its ARN is built in the stack's own
# region, so a topic from another region cannot be configured at all.
ALARM_TOPIC_NAME = "AlarmTopicName"
ALARM_TOPIC_ACCOUNT = "AlarmTopicAccount"
HAS_ALARM_TOPIC = "HasAlarmTopic"  # Condition
ALARM_TOPIC_IN_STACK_ACCOUNT = "AlarmTopicInStackAccount"  # Condition
# monitoring.alarm_actions, ok_actions, insufficient_data_actions: the topics
# each list adds, as `<account>:<name>` (CommaDelimitedList Parameters).
EXTRA_TOPICS = {
    "alarm_actions": "AlarmActionTopics",
    "ok_actions": "OkActionTopics",
    "insufficient_data_actions": "InsufficientDataActionTopics",
}
ALARM_NAMES = "AlarmNames"
ALARM_ARNS = "AlarmArns"
LOG_GROUP_NAMES = "LogGroupNames"
DASHBOARD_NAME = "DashboardName"
DNS_NAME = "DnsName"  # the record's name, `dns`


# Every resource type a cachec template can contain. The deploy-role policy
# (deploy_policy.py) and the create-only table diff classifies with
# (catalog/create_only.py) are both generated for exactly these; a test fails
# when a golden holds a type missing here.
RESOURCE_TYPES: tuple[str, ...] = (
    "AWS::CloudWatch::Alarm",
    "AWS::CloudWatch::CompositeAlarm",
    "AWS::CloudWatch::Dashboard",
    "AWS::EC2::SecurityGroup",
    "AWS::EC2::SecurityGroupEgress",
    "AWS::ElastiCache::GlobalReplicationGroup",
    "AWS::ElastiCache::ParameterGroup",
    "AWS::ElastiCache::ReplicationGroup",
    "AWS::ElastiCache::ServerlessCache",
    "AWS::ElastiCache::SubnetGroup",
    "AWS::ElastiCache::User",
    "AWS::ElastiCache::UserGroup",
    "AWS::IAM::ManagedPolicy",
    "AWS::Logs::LogGroup",
    "AWS::Route53::RecordSet",
    "AWS::SNS::Subscription",
    "AWS::SNS::Topic",
    "AWS::SNS::TopicPolicy",
    "AWS::SecretsManager::RotationSchedule",
    "AWS::SecretsManager::Secret",
)
