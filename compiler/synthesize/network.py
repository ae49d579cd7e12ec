"""Security groups: the cache's, and a client group applications attach."""

from __future__ import annotations

from typing import Any

from troposphere import GetAtt, Ref, Select, Template, ec2

from ..model import Spec
from . import names
from .tags import tags


def _rule(spec: Spec, description: str, **source: Any) -> ec2.SecurityGroupRule:
    return ec2.SecurityGroupRule(
        IpProtocol="tcp",
        FromPort=spec.port,
        ToPort=spec.port,
        Description=description,
        **source,
    )


def add_security_groups(template: Template, spec: Spec) -> None:
    # GroupDescription is create-only: editing it replaces the group, so it
    # is built from the stack identity only, never from free text.
    template.add_resource(
        ec2.SecurityGroup(
            names.CLIENT_SECURITY_GROUP,
            GroupDescription=f"cachec {spec.stack_name}: clients of the cache",
            VpcId=Ref(names.VPC_ID),
            Tags=tags(spec, name_suffix="cache-clients"),
        )
    )
    net = spec.network
    ingress = [
        _rule(
            spec,
            "Clients of the cache (ClientSecurityGroup)",
            SourceSecurityGroupId=GetAtt(names.CLIENT_SECURITY_GROUP, "GroupId"),
        )
    ]
    ingress += [
        _rule(
            spec,
            f"AllowedSecurityGroupIds[{i}]",
            SourceSecurityGroupId=Select(i, Ref(names.ALLOWED_SECURITY_GROUP_IDS)),
        )
        for i in range(len(net.allowed_security_group_ids))
    ]
    ingress += [
        _rule(spec, f"AllowedCidrBlocks[{i}]", CidrIp=Select(i, Ref(names.ALLOWED_CIDR_BLOCKS)))
        for i in range(len(net.cidrs(4)))
    ]
    ingress += [
        _rule(
            spec,
            f"AllowedIpv6CidrBlocks[{i}]",
            CidrIpv6=Select(i, Ref(names.ALLOWED_IPV6_CIDR_BLOCKS)),
        )
        for i in range(len(net.cidrs(6)))
    ]
    template.add_resource(
        ec2.SecurityGroup(
            names.SECURITY_GROUP,
            GroupDescription=f"cachec {spec.stack_name}: cache nodes",
            VpcId=Ref(names.VPC_ID),
            SecurityGroupIngress=ingress,
            Tags=tags(spec, name_suffix="cache"),
        )
    )
