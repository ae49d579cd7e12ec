"""Slow and engine log delivery: to log groups created in the same template,
to existing log groups, or to existing Kinesis Data Firehose delivery streams
(LogDeliveryConfigurationRequest: DestinationType cloudwatch-logs |
kinesis-firehose, with CloudWatchLogsDetails.LogGroup or
KinesisFirehoseDetails.DeliveryStream, each a name; provider schema of
AWS::ElastiCache::ReplicationGroup)."""

from __future__ import annotations

from typing import Any

from troposphere import Ref, Sub, Template, elasticache, logs

from ..catalog import engines
from ..input.model import FIREHOSE, LogDestination, Spec
from ..vocabulary import names, resource_names
from .provenance import add_resource
from .tags import tags

LOG_GROUPS = {engines.SLOW_LOG: names.SLOW_LOG_GROUP, engines.ENGINE_LOG: names.ENGINE_LOG_GROUP}
# The spec key that turns each log on.
_SWITCHES = {engines.SLOW_LOG: ("logs", "slow_log"), engines.ENGINE_LOG: ("logs", "engine_log")}
_SOURCES = {
    "RetentionInDays": ("logs", "retention_days"),
    "KmsKeyId": ("logs", "kms_key_id"),
    "Tags": ("tags",),
}

# ElastiCache delivers through CloudWatch Logs' "vended logs" mechanism: the
# first delivery adds the group to an account-wide resource policy, which
# holds at most 5,120 characters; near the limit CloudWatch Logs admits only
# groups under /aws/vendedlogs/ (by wildcard), and deliveries to other names
# fail to set up. A platform with dozens of caches per account reaches that.
# https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Logging-destinations.html
# (the logs:PutResourcePolicy it needs), and AWS's advice to use the prefix:
# https://docs.aws.amazon.com/step-functions/latest/dg/bp-cwl.html,
# https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-logs-infrastructure-CWL.html
LOG_GROUP_PREFIX = resource_names.LOG_GROUP_PREFIX


def add_log_groups(template: Template, spec: Spec) -> None:
    for log_type in spec.logs.created_types:
        props: dict[str, Any] = {
            # The stack name keeps two stacks' groups apart in one account and region.
            "LogGroupName": Sub(resource_names.log_group_name(log_type)),
            "RetentionInDays": spec.logs.retention_days,
            "Tags": tags(spec),
        }
        if spec.logs.kms_key_id:
            props["KmsKeyId"] = Ref(names.LOG_KMS_KEY_ID)
        add_resource(
            template,
            logs.LogGroup(
                LOG_GROUPS[log_type],
                # Deleted with the stack: the names are fixed, so a kept group
                # would stop a stack of the same name from being created again,
                # and its events expire after RetentionInDays anyway. Kept when
                # replaced (a rename, such as the move to /aws/vendedlogs/):
                # the old group's events stay readable until they expire.
                DeletionPolicy="Delete",
                UpdateReplacePolicy="Retain",
                **props,
            ),
            _SWITCHES[log_type],
            _SOURCES,
        )


def _destination(log_type: str, destination: LogDestination) -> tuple[str, Any]:
    """DestinationType and DestinationDetails of one log."""
    if destination.kind == FIREHOSE:
        return "kinesis-firehose", elasticache.DestinationDetails(
            KinesisFirehoseDetails=elasticache.KinesisFirehoseDestinationDetails(
                DeliveryStream=destination.name
            )
        )
    group = Ref(LOG_GROUPS[log_type]) if destination.created else destination.name
    return "cloudwatch-logs", elasticache.DestinationDetails(
        CloudWatchLogsDetails=elasticache.CloudWatchLogsDestinationDetails(LogGroup=group)
    )


def log_delivery(spec: Spec) -> list[elasticache.LogDeliveryConfigurationRequest]:
    """The replication group's LogDeliveryConfigurations. The Ref to each created
    group makes CloudFormation create the group first; no DependsOn needed."""
    requests = []
    for log_type, destination in spec.logs.destinations:
        kind, details = _destination(log_type, destination)
        requests.append(elasticache.LogDeliveryConfigurationRequest(
            DestinationType=kind,
            DestinationDetails=details,
            LogFormat=spec.logs.format,
            LogType=log_type,
        ))
    return requests
