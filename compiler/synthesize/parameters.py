"""Template Parameters: what differs per account, with the spec's values as Defaults.

Network ids always differ between accounts, so they are Parameters even when
the spec names them; the spec's values become Defaults for one-click deploys.
"""

from __future__ import annotations

from typing import Any

from troposphere import Parameter, Template

from ..model import Spec
from . import names

# Console grouping (AWS::CloudFormation::Interface): group label, then
# parameter name -> label, in display order.
INTERFACE: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    (
        "Network",
        (
            (names.VPC_ID, "VPC"),
            (names.SUBNET_IDS, "Private subnets for the cache nodes"),
            (names.ALLOWED_SECURITY_GROUP_IDS, "Security groups allowed to connect"),
            (names.ALLOWED_CIDR_BLOCKS, "IPv4 CIDR blocks allowed to connect"),
            (names.ALLOWED_IPV6_CIDR_BLOCKS, "IPv6 CIDR blocks allowed to connect"),
        ),
    ),
    (
        "Monitoring",
        (
            (names.ALARM_TOPIC_NAME, "SNS topic for alarm notifications (name)"),
            (names.ALARM_TOPIC_ACCOUNT, "Account of the SNS topic (empty: this one)"),
        ),
    ),
)


def _fixed_count(count: int, what: str) -> str:
    # Plain CloudFormation cannot loop over a List parameter, so one ingress
    # rule is generated per position (Fn::Select); the count is the spec's.
    noun = "entry" if count == 1 else "entries"
    return f"{what}. Exactly {count} {noun} (the spec fixes the number of ingress rules)."


def add_network_parameters(template: Template, spec: Spec) -> None:
    net = spec.network
    vpc: dict[str, Any] = {
        "Type": "AWS::EC2::VPC::Id",
        "Description": "VPC of the cache's security groups.",
    }
    if net.vpc_id:
        vpc["Default"] = net.vpc_id
    template.add_parameter(Parameter(names.VPC_ID, **vpc))

    subnets: dict[str, Any] = {
        "Type": "List<AWS::EC2::Subnet::Id>",
        "Description": "Private subnets for the cache nodes, ideally one per Availability "
        "Zone" + (" (Multi-AZ needs at least two zones)." if spec.topology.multi_az else "."),
    }
    if net.subnet_ids:
        subnets["Default"] = ",".join(net.subnet_ids)
    template.add_parameter(Parameter(names.SUBNET_IDS, **subnets))

    if net.allowed_security_group_ids:
        template.add_parameter(
            Parameter(
                names.ALLOWED_SECURITY_GROUP_IDS,
                Type="List<AWS::EC2::SecurityGroup::Id>",
                Description=_fixed_count(
                    len(net.allowed_security_group_ids),
                    "Security groups whose members may connect on the cache port",
                ),
                Default=",".join(net.allowed_security_group_ids),
            )
        )
    for version, name, anywhere in (
        (4, names.ALLOWED_CIDR_BLOCKS, "0.0.0.0/0"),
        (6, names.ALLOWED_IPV6_CIDR_BLOCKS, "::/0"),
    ):
        cidrs = net.cidrs(version)
        if cidrs:
            # cachec refuses an open CIDR in the spec; this Rule refuses it
            # when a deployer types it into the Parameter at deploy time.
            template.add_rule(
                f"No{name}FromAnywhere",
                {
                    "Assertions": [
                        {
                            # troposphere has no classes for the Rules-only
                            # functions; plain dicts render the same.
                            "Assert": {"Fn::Not": [{"Fn::Contains": [{"Ref": name}, anywhere]}]},
                            "AssertDescription": f"{name} must not contain {anywhere}: "
                            "that opens the cache port to the whole internet",
                        }
                    ]
                },
            )
            template.add_parameter(
                Parameter(
                    name,
                    Type="CommaDelimitedList",
                    Description=_fixed_count(
                        len(cidrs), f"IPv{version} CIDR blocks that may connect on the cache port"
                    ),
                    Default=",".join(cidrs),
                )
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
