"""Security groups: the cache's, and a client group applications attach.

Egress. A group created without `SecurityGroupEgress` gets EC2's allow-all
rules ("if you do not add egress rules, we add egress rules that allow all
outbound IPv4 and IPv6 traffic. Otherwise, we do not add them",
https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ec2-securitygroup.html),
and EC2 unions the rules of every group on an interface: a client group with
allow-all egress would lift any egress restriction of the applications it is
attached to. So both groups list their egress inline:

* the cache's group needs none: it gets only a rule that matches no traffic,
  CloudFormation's own form for removing the default rule (AWS::EC2::SecurityGroup
  examples, "Remove the default rule": `IpProtocol: "-1"` to `127.0.0.1/32`,
  https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ec2-securitygroup.html).
  Loopback traffic never leaves the host, so the rule admits nothing.
  Policy scanners read it as the placeholder it is:
  the AWS Guard rules registry's SECURITY_GROUP_EGRESS_ALL_PROTOCOLS_RULE and
  cfn_nag W40 exempt `-1` to 127.0.0.1/32 by name, and without FromPort and
  ToPort it is no port range for SECURITY_GROUP_EGRESS_PORT_RANGE_RULE /
  cfn_nag W29 (which flag any rule whose FromPort differs from its ToPort:
  aws-cloudformation/aws-guard-rules-registry
  rules/aws/amazon_ec2/security_group_egress_port_range_rule.guard and
  security_group_egress_all_protocols_rule.guard; stelligent/cfn_nag
  custom_rules/SecurityGroupEgressPortRangeRule.rb and
  SecurityGroupEgressAllProtocolsRule.rb). AWS CDK's form for the same
  purpose (`allowAllOutbound: false`: ICMP "type 252 code 86" to
  255.255.255.255/32, packages/aws-cdk-lib/aws-ec2/lib/security-group.ts)
  carries FromPort 252 and ToPort 86, which those two rules take for a port
  range;
* the client group gets the same inline rule plus one real rule per port the
  cache listens on, to the cache's group. One rule per port, not a range:
  serverless listens on 6379 and 6380, and a 6379-6380 rule is a port range
  to the scanners above. Those rules are separate AWS::EC2::SecurityGroupEgress
  resources: inline, they would name the cache's group while the cache's group
  names the client group in its ingress, a dependency cycle CloudFormation
  refuses (same page: "use the AWS::EC2::SecurityGroupEgress and
  AWS::EC2::SecurityGroupIngress resources"). The inline rule is still needed:
  it keeps EC2's allow-all rules from being created at all, IPv6 included,
  and policy checks (AWS Guard SECURITY_GROUP_MISSING_EGRESS_RULE, cfripper
  EC2SecurityGroupMissingEgressRule) look for inline egress.
"""

from __future__ import annotations

from typing import Any

from troposphere import GetAtt, Ref, Select, Template, ec2

from ..input.model import Spec
from ..vocabulary import names
from .provenance import add_resource, came_from
from .tags import tags

# The rule says what it is where the template is read: scanners and people
# see a Description, not this module.
_NETWORK = ("network",)
# Both security groups come from `network`, in its VPC, tagged with the spec's tags.
_GROUP_SOURCES = {"VpcId": ("network", "vpc_id"), "Tags": ("tags",)}

NO_TRAFFIC = ec2.SecurityGroupRule(
    IpProtocol="-1",
    CidrIp="127.0.0.1/32",
    Description="No egress: loopback only, matches no traffic; keeps EC2 from "
    "adding its allow-all rules",
)


def _rule(ports: tuple[int, int], description: str, **source: Any) -> ec2.SecurityGroupRule:
    return ec2.SecurityGroupRule(
        IpProtocol="tcp",
        FromPort=ports[0],
        ToPort=ports[1],
        Description=description,
        **source,
    )


def _ingress(spec: Spec, ports: tuple[int, int]) -> list[ec2.SecurityGroupRule]:
    net = spec.network
    ingress = [
        _rule(
            ports,
            "Clients of the cache (ClientSecurityGroup)",
            SourceSecurityGroupId=GetAtt(names.CLIENT_SECURITY_GROUP, "GroupId"),
        )
    ]
    ingress += [
        _rule(
            ports,
            f"AllowedSecurityGroupIds[{i}]",
            SourceSecurityGroupId=Select(i, Ref(names.ALLOWED_SECURITY_GROUP_IDS)),
        )
        for i in range(len(net.allowed_security_group_ids))
    ]
    ingress += [
        _rule(ports, f"AllowedCidrBlocks[{i}]", CidrIp=Select(i, Ref(names.ALLOWED_CIDR_BLOCKS)))
        for i in range(len(net.cidrs(4)))
    ]
    ingress += [
        _rule(
            ports,
            f"AllowedIpv6CidrBlocks[{i}]",
            CidrIpv6=Select(i, Ref(names.ALLOWED_IPV6_CIDR_BLOCKS)),
        )
        for i in range(len(net.cidrs(6)))
    ]
    return ingress


def cache_security_groups(spec: Spec) -> list[Any] | Ref:
    """The cache's SecurityGroupIds: the group cachec creates, then the spec's
    existing groups (network.security_group_ids), one Fn::Select each like
    the allowed groups (the spec fixes their number); without a created group
    the Parameter itself, whose length the deployer chooses."""
    net = spec.network
    if not net.create_security_group:
        return Ref(names.EXISTING_SECURITY_GROUP_IDS)
    return [
        GetAtt(names.SECURITY_GROUP, "GroupId"),
        *(Select(i, Ref(names.EXISTING_SECURITY_GROUP_IDS))
          for i in range(len(net.security_group_ids))),
    ]


def add_security_groups(template: Template, spec: Spec, ports: tuple[int, int]) -> None:
    """`ports`: the range clients connect to (one port, or serverless's 6379-6380).
    None with network.create_security_group false: the cache takes the
    existing groups only."""
    if not spec.network.create_security_group:
        return
    # GroupDescription is create-only: editing it replaces the group, so it
    # is built from the stack identity only, never from free text.
    add_resource(
        template,
        ec2.SecurityGroup(
            names.CLIENT_SECURITY_GROUP,
            GroupDescription=f"cachec {spec.stack_name}: clients of the cache",
            VpcId=Ref(names.VPC_ID),
            SecurityGroupEgress=[NO_TRAFFIC],
            Tags=tags(spec, name_suffix="cache-clients"),
        ),
        _NETWORK,
        _GROUP_SOURCES,
    )
    for port in range(ports[0], ports[1] + 1):
        add_resource(
            template,
            ec2.SecurityGroupEgress(
                names.client_security_group_egress(port, first=port == ports[0]),
                GroupId=GetAtt(names.CLIENT_SECURITY_GROUP, "GroupId"),
                IpProtocol="tcp",
                FromPort=port,
                ToPort=port,
                DestinationSecurityGroupId=GetAtt(names.SECURITY_GROUP, "GroupId"),
                # No port in the text: a port change stays one change in `cachec diff`.
                Description="The cache (SecurityGroup), on this port only",
            ),
            # The cache port; serverless's reader port 6380 is its own.
            ("port",) if port == ports[0] else ("serverless",),
        )
    ingress = _ingress(spec, ports)
    add_resource(
        template,
        ec2.SecurityGroup(
            names.SECURITY_GROUP,
            GroupDescription=f"cachec {spec.stack_name}: cache nodes",
            VpcId=Ref(names.VPC_ID),
            SecurityGroupIngress=ingress,
            SecurityGroupEgress=[NO_TRAFFIC],
            Tags=tags(spec, name_suffix="cache"),
        ),
        _NETWORK,
        _GROUP_SOURCES,
    )
    for index in range(len(ingress)):
        for bound in ("FromPort", "ToPort"):
            came_from(template, ("port",), "Resources", names.SECURITY_GROUP, "Properties",
                      "SecurityGroupIngress", str(index), bound)
