"""Stable names: logical IDs, Parameter and Output names.

Logical IDs are part of the contract: renaming one makes CloudFormation
delete the old resource and create a new one, which for the replication
group means an empty cache. They live here and nowhere else.
"""

from __future__ import annotations

# Resources
REPLICATION_GROUP = "ReplicationGroup"
SUBNET_GROUP = "SubnetGroup"
PARAMETER_GROUP = "ParameterGroup"
SECURITY_GROUP = "SecurityGroup"
CLIENT_SECURITY_GROUP = "ClientSecurityGroup"
CLIENT_SECURITY_GROUP_EGRESS = "ClientSecurityGroupEgress"  # its one rule: to the cache
AUTH_SECRET = "AuthSecret"

# Parameters
VPC_ID = "VpcId"
SUBNET_IDS = "SubnetIds"
ALLOWED_SECURITY_GROUP_IDS = "AllowedSecurityGroupIds"
ALLOWED_CIDR_BLOCKS = "AllowedCidrBlocks"
ALLOWED_IPV6_CIDR_BLOCKS = "AllowedIpv6CidrBlocks"
# Account- and region-specific values (keys, snapshots): Parameters whose
# Default is the spec's value, overridden per region under StackSets.
KMS_KEY_ID = "KmsKeyId"
LOG_KMS_KEY_ID = "LogKmsKeyId"
RESTORE_SNAPSHOT_NAME = "RestoreSnapshotName"
RESTORE_SNAPSHOT_ARNS = "RestoreSnapshotArns"
# stack.expose: spec fields as Parameters (synthesize/exposed.py)
NODE_TYPE = "NodeType"
ENGINE_VERSION = "EngineVersion"
REPLICAS = "Replicas"
BACKUP_RETENTION_DAYS = "BackupRetentionDays"
NODE_COUNTS = "NodeCounts"  # Mapping: replicas -> NumCacheClusters
REPLICAS_RULE = "ReplicasNeeded"  # template Rule


def alarm_threshold(alarm_logical_id: str) -> str:
    """CpuAlarm -> CpuAlarmThreshold: the Parameter of an exposed threshold."""
    return f"{alarm_logical_id}Threshold"


def has_node(k: int) -> str:
    """Condition: the replication group has a k-th node (exposed replicas)."""
    return f"HasNode{k}"


# Outputs
PRIMARY_ENDPOINT = "PrimaryEndpoint"
READER_ENDPOINT = "ReaderEndpoint"
PORT = "Port"
CONNECTION_STRING = "ConnectionString"
REPLICATION_GROUP_ID = "ReplicationGroupId"
REPLICATION_GROUP_ARN = "ReplicationGroupArn"
SECURITY_GROUP_ID = "SecurityGroupId"
CLIENT_SECURITY_GROUP_ID = "ClientSecurityGroupId"
SUBNET_GROUP_NAME = "SubnetGroupName"
PARAMETER_GROUP_NAME = "ParameterGroupName"
AUTH_SECRET_ARN = "AuthSecretArn"
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
ALARM_TOPIC_ARN = "AlarmTopicArn"  # Output when the stack creates the topic
# Parameters naming an existing topic; its ARN is built in the stack's own
# region, so a topic from another region cannot be configured at all.
ALARM_TOPIC_NAME = "AlarmTopicName"
ALARM_TOPIC_ACCOUNT = "AlarmTopicAccount"
HAS_ALARM_TOPIC = "HasAlarmTopic"  # Condition
ALARM_TOPIC_IN_STACK_ACCOUNT = "AlarmTopicInStackAccount"  # Condition
ALARM_NAMES = "AlarmNames"
ALARM_ARNS = "AlarmArns"
LOG_GROUP_NAMES = "LogGroupNames"
DASHBOARD_NAME = "DashboardName"
