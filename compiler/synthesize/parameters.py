"""Template Parameters: what template/declared.py says the spec's template
declares, as troposphere Parameters, all added in one place.

The list (which Parameters, their types, Defaults and constraints) is
`template.declared.declared(spec)`, troposphere-free so that the StackSet
override checks read the same list without synthesizing; here it only
becomes the template's, with each Parameter's spec key recorded.
"""

from __future__ import annotations

from typing import Any

from troposphere import Parameter, Template

from ..template.declared import Declarations
from ..vocabulary import names
from .provenance import add_parameter

# Console grouping (AWS::CloudFormation::Interface): group label, then
# parameter name -> label, in display order.
INTERFACE: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    (
        "Network",
        (
            (names.VPC_ID, "VPC"),
            (names.SUBNET_IDS, "Private subnets for the cache nodes"),
            (names.EXISTING_SUBNET_GROUP_NAME, "Existing subnet group of the cache"),
            (names.ALLOWED_SECURITY_GROUP_IDS, "Security groups allowed to connect"),
            (names.EXISTING_SECURITY_GROUP_IDS, "Existing security groups of the cache"),
            (names.ALLOWED_CIDR_BLOCKS, "IPv4 CIDR blocks allowed to connect"),
            (names.ALLOWED_IPV6_CIDR_BLOCKS, "IPv6 CIDR blocks allowed to connect"),
        ),
    ),
    (
        "Encryption and restore",
        (
            (names.KMS_KEY_ID, "KMS key for encryption at rest"),
            (names.LOG_KMS_KEY_ID, "KMS key of the log groups"),
            (names.CREDENTIALS_KMS_KEY_ID, "KMS key of the generated AUTH token and passwords"),
            (names.ROTATION_FUNCTION_ARN, "Lambda function that rotates them"),
            (names.RESTORE_SNAPSHOT_NAME, "Snapshot the cache is created from"),
            (names.RESTORE_SNAPSHOT_ARNS, "S3 .rdb files the cache is created from"),
            (names.SNAPSHOT_ARNS_TO_RESTORE, "Serverless snapshots the cache is created from"),
        ),
    ),
    (
        "Monitoring",
        (
            (names.ALARM_TOPIC_NAME, "SNS topic for alarm notifications (name)"),
            (names.ALARM_TOPIC_ACCOUNT, "Account of the SNS topic (empty: this one)"),
            (names.ALARM_TOPIC_KMS_KEY_ID, "KMS key of the alarm topic"),
            (names.EXTRA_TOPICS["alarm_actions"], "More topics for ALARM (<account>:<name>)"),
            (names.EXTRA_TOPICS["ok_actions"], "More topics for OK (<account>:<name>)"),
            (names.EXTRA_TOPICS["insufficient_data_actions"],
             "More topics for INSUFFICIENT_DATA (<account>:<name>)"),
            (names.EVENT_TOPIC_NAME, "SNS topic for ElastiCache events (name)"),
        ),
    ),
    (
        "DNS",
        (
            (names.DNS_ZONE_ID, "Route 53 hosted zone of the record"),
            (names.DNS_RECORD_NAME, "Name of the record (CNAME to the endpoint)"),
        ),
    ),
)


def add_parameters(template: Template, declarations: Declarations) -> None:
    """Every Parameter the spec declares, in its order. A Parameter's place
    in the Parameters section is only relative to the other Parameters, so
    adding them all here keeps the order the list gives."""
    for declared in declarations.parameters:
        add_parameter(template, Parameter(declared.name, **declared.as_dict()),
                      declared.spec_path)


def interface_metadata(template: Template) -> dict[str, Any]:
    """AWS::CloudFormation::Interface for the Parameters the template has."""
    present = set(template.parameters)
    groups = []
    labels: dict[str, Any] = {}
    for group, members in INTERFACE:
        listed = [name for name, _ in members if name in present]
        if listed:
            groups.append({"Label": {"default": group}, "Parameters": listed})
            labels.update({n: {"default": label} for n, label in members if n in present})
    return {"ParameterGroups": groups, "ParameterLabels": labels}
