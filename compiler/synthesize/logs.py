"""Slow and engine log delivery to log groups created in the same template."""

from __future__ import annotations

from typing import Any

from troposphere import Ref, Sub, Template, elasticache, logs

from ..catalog import engines
from ..model import Spec
from . import names
from .tags import tags

LOG_GROUPS = {engines.SLOW_LOG: names.SLOW_LOG_GROUP, engines.ENGINE_LOG: names.ENGINE_LOG_GROUP}


def add_log_groups(template: Template, spec: Spec) -> None:
    for log_type in spec.logs.types:
        props: dict[str, Any] = {
            # The stack name keeps two stacks' groups apart in one account and region.
            "LogGroupName": Sub(f"/aws/elasticache/${{AWS::StackName}}/{log_type}"),
            "RetentionInDays": spec.logs.retention_days,
            "Tags": tags(spec),
        }
        if spec.logs.kms_key_id:
            props["KmsKeyId"] = spec.logs.kms_key_id
        template.add_resource(logs.LogGroup(LOG_GROUPS[log_type], **props))


def log_delivery(spec: Spec) -> list[elasticache.LogDeliveryConfigurationRequest]:
    """The replication group's LogDeliveryConfigurations. The Ref to each group
    makes CloudFormation create the group first; no DependsOn needed."""
    return [
        elasticache.LogDeliveryConfigurationRequest(
            DestinationType="cloudwatch-logs",
            DestinationDetails=elasticache.DestinationDetails(
                CloudWatchLogsDetails=elasticache.CloudWatchLogsDestinationDetails(
                    LogGroup=Ref(LOG_GROUPS[log_type])
                )
            ),
            LogFormat=spec.logs.format,
            LogType=log_type,
        )
        for log_type in spec.logs.types
    ]
