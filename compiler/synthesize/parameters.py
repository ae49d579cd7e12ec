"""Template Parameters: what differs per account, with the spec's values as Defaults.

Network ids, KMS keys and restore sources always differ between accounts and
regions, so they are Parameters even when the spec names them; the spec's
values become Defaults for one-click deploys, and StackSets override them per
region (stack.stackset.parameter_overrides).
"""

from __future__ import annotations

from typing import Any

from troposphere import Parameter, Template

from .. import cidr
from ..input.model import Serverless, Spec
from ..input.schema import SNS_TOPIC_NAME, branches, subschema
from ..vocabulary import names
from .provenance import add_parameter

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


def _fixed_count(count: int, what: str, rules: str = "ingress rules") -> str:
    # Plain CloudFormation cannot loop over a List parameter, so one ingress
    # rule is generated per position (Fn::Select); the count is the spec's.
    noun = "entry" if count == 1 else "entries"
    return f"{what}. Exactly {count} {noun} (the spec fixes the number of {rules})."


def add_network_parameters(template: Template, spec: Spec, *, multi_az: bool) -> None:
    net = spec.network
    if net.create_security_group:  # else no group of cachec's needs a VPC
        vpc: dict[str, Any] = {
            "Type": "AWS::EC2::VPC::Id",
            "Description": "VPC of the cache's security groups.",
        }
        if net.vpc_id:
            vpc["Default"] = net.vpc_id
        add_parameter(template, Parameter(names.VPC_ID, **vpc), ("network", "vpc_id"))
    if net.subnet_group_name:  # an existing subnet group holds the subnets
        _add_string(
            template, names.EXISTING_SUBNET_GROUP_NAME, net.subnet_group_name,
            "Existing cache subnet group of the cache, in the cache's VPC (read only at "
            "creation: changing it replaces the cluster).",
            "network", "subnet_group_name",
        )
    else:
        _add_subnets(template, spec, multi_az=multi_az)
    if net.security_group_ids:
        fixed = net.create_security_group
        add_parameter(
            template,
            Parameter(
                names.EXISTING_SECURITY_GROUP_IDS,
                Type="List<AWS::EC2::SecurityGroup::Id>",
                Description=(
                    _fixed_count(len(net.security_group_ids),
                                 "Existing security groups attached to the cache beside its "
                                 "own", rules="security groups attached")
                    if fixed else "Existing security groups attached to the cache (it has "
                    "no other)."
                ),
                Default=",".join(net.security_group_ids),
            ),
            ("network", "security_group_ids"),
        )
    _add_ingress_sources(template, spec)


def _add_subnets(template: Template, spec: Spec, *, multi_az: bool) -> None:
    net = spec.network
    subnets: dict[str, Any] = {
        "Type": "List<AWS::EC2::Subnet::Id>",
        "Description": "Private subnets for the cache nodes, ideally one per Availability "
        "Zone"
        + (" (Multi-AZ needs at least two zones)." if multi_az else ".")
        + _SUBNET_KIND.get(net.network_type, ""),
    }
    if net.subnet_ids:
        subnets["Default"] = ",".join(net.subnet_ids)
    add_parameter(template, Parameter(names.SUBNET_IDS, **subnets), ("network", "subnet_ids"))


def _add_ingress_sources(template: Template, spec: Spec) -> None:
    net = spec.network
    if net.allowed_security_group_ids:
        add_parameter(
            template,
            Parameter(
                names.ALLOWED_SECURITY_GROUP_IDS,
                Type="List<AWS::EC2::SecurityGroup::Id>",
                Description=_fixed_count(
                    len(net.allowed_security_group_ids),
                    "Security groups whose members may connect on the cache port",
                ),
                Default=",".join(net.allowed_security_group_ids),
            ),
            ("network", "allowed_security_group_ids"),
        )
    for version, name in ((4, names.ALLOWED_CIDR_BLOCKS), (6, names.ALLOWED_IPV6_CIDR_BLOCKS)):
        cidrs = net.cidrs(version)
        if cidrs:
            add_parameter(
                template,
                Parameter(
                    name,
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
                ),
                ("network", "allowed_cidr_blocks"),
            )


def _add_string(
    template: Template, name: str, default: str, description: str, *key: str
) -> None:
    """A String Parameter holding one spec key's value, checked at deploy time
    by the pattern the spec schema checks it with."""
    schema = next(b for b in branches(subschema(*key)) if b.get("type") == "string")
    add_parameter(template, Parameter(
        name,
        Type="String",
        Default=default,
        Description=description,
        AllowedPattern=schema["pattern"],
        ConstraintDescription=schema["patternErrorMessage"],
    ), key)


def add_account_parameters(template: Template, spec: Spec) -> None:
    """Only for keys the spec sets: an unset key stays out of the template
    altogether (no Condition, no empty Parameter), so KmsKeyId, which is
    create-only, is never written into a stack that did not have it."""
    sec, logs, backups = spec.security, spec.logs, spec.backups
    if sec.kms_key_id:
        _add_string(
            template, names.KMS_KEY_ID, sec.kms_key_id,
            "KMS key (id, ARN or alias) encrypting the cache at rest, in the stack's region. "
            "Changing it replaces the cluster.",
            "security", "kms_key_id",
        )
    if logs.kms_key_id and logs.created_types:
        _add_string(
            template, names.LOG_KMS_KEY_ID, logs.kms_key_id,
            "KMS key ARN encrypting the log groups, in the stack's region.",
            "logs", "kms_key_id",
        )
    if sec.secrets_kms_key_id and sec.creates_secrets:
        _add_string(
            template, names.CREDENTIALS_KMS_KEY_ID, sec.secrets_kms_key_id,
            "KMS key (id, ARN or alias) encrypting the generated AUTH token and user "
            "passwords in Secrets Manager, in the stack's region. Changing it re-encrypts "
            "them in place.",
            "security", "secrets_kms_key_id",
        )
    if sec.rotation and sec.rotates_anything:
        _add_string(
            template, names.ROTATION_FUNCTION_ARN, sec.rotation.function_arn,
            "ARN of the Lambda function that rotates the generated credentials, in the "
            "stack's region (AUTH token: ROTATE, then SET; user passwords: ModifyUser; "
            "docs/customer-keys.md).",
            "security", "rotation", "function_arn",
        )
    topic_key = spec.monitoring.topic_kms_key_id
    if topic_key and spec.monitoring.create_topic:
        _add_string(
            template, names.ALARM_TOPIC_KMS_KEY_ID, topic_key,
            "KMS key (id, ARN or alias; not alias/aws/sns) encrypting the alarm topic, in the "
            "stack's region; its key policy must let cloudwatch.amazonaws.com use it.",
            "monitoring", "create_topic", "kms_key_id",
        )
    if backups.restore_snapshot_name:
        _add_string(
            template, names.RESTORE_SNAPSHOT_NAME, backups.restore_snapshot_name,
            "Snapshot the cache is created from (read only at creation: changing it "
            "replaces the cluster).",
            "backups", "restore_from",
        )
    sls = spec.deployment if isinstance(spec.deployment, Serverless) else None
    if sls is not None and sls.restore_from:
        item = subschema("serverless", "restore_from")["items"]
        add_parameter(template, Parameter(
            names.SNAPSHOT_ARNS_TO_RESTORE,
            Type="CommaDelimitedList",
            Default=",".join(sls.restore_from),
            # CloudFormation applies a CommaDelimitedList's pattern to each item.
            AllowedPattern=item["pattern"],
            # Not the schema's message: its example names an account and region.
            ConstraintDescription="each entry a serverless snapshot ARN, arn:<partition>:"
            "elasticache:<region>:<account>:serverlesscachesnapshot:<name>",
            Description="ARNs of the serverless snapshots the cache is created from, in the "
            "stack's region (read only at creation: changing them replaces the cache).",
        ), ("serverless", "restore_from"))
    if backups.restore_s3_arns:
        add_parameter(template, Parameter(
            names.RESTORE_SNAPSHOT_ARNS,
            Type="CommaDelimitedList",
            Default=",".join(backups.restore_s3_arns),
            Description="S3 object ARNs of .rdb files the cache is created from (read only "
            "at creation: changing them replaces the cluster).",
        ), ("backups", "restore_from"))


def add_event_topic_parameter(template: Template, spec: Spec) -> None:
    """The name of monitoring.event_topic_arn's topic. Only the name: ElastiCache
    publishes only to a topic of the cache's own account ("The Amazon SNS
    topic owner must be the same as the cluster owner", NotificationTopicArn,
    https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_CreateReplicationGroup.html),
    and like the alarm topic it is taken from the deploy region."""
    name = spec.monitoring.event_topic_name
    if name is None:
        return
    add_parameter(template, Parameter(
        names.EVENT_TOPIC_NAME,
        Type="String",
        Default=name,
        AllowedPattern=f"^{SNS_TOPIC_NAME}$",
        ConstraintDescription="an SNS topic name (not an ARN)",
        Description="Name of the SNS topic for ElastiCache's events on this cache (failovers, "
        "node replacements, maintenance), in the account and region the stack is deployed "
        "to: ElastiCache publishes only to its own account's topics.",
    ), ("monitoring", "event_topic_arn"))


def add_dns_parameters(template: Template, spec: Spec) -> None:
    """`dns`: zone and name, Parameters so that a StackSet gives each region
    its own record (a zone holds one record of a name: rules.dns)."""
    if spec.dns is None:
        return
    add_parameter(template, Parameter(
        names.DNS_ZONE_ID,
        Type="AWS::Route53::HostedZone::Id",
        Default=spec.dns.zone_id,
        Description="Route 53 hosted zone (public or private) the cache's record is "
        "created in. A new zone means a new record.",
    ), ("dns", "zone_id"))
    _add_string(
        template, names.DNS_RECORD_NAME, spec.dns.name,
        "Fully qualified name of the CNAME record pointing at the cache's endpoint, inside "
        "the zone and below its apex.",
        "dns", "name",
    )


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
