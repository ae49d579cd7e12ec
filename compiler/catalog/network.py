"""Network facts: IP network types and security-group quotas.

Sources (read 2026-11):

* "Choosing a network type in ElastiCache",
  https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/network-type.html:
  "IPv6 is supported for workloads using Valkey 7.2 and onward, or Redis OSS
  engine version 6.2 and onward on all instances built on the Nitro system."
  "ElastiCache clusters require a dual-stack subnet with both IPv4 and IPv6
  addresses assigned to them to operate in dual-stack mode and an IPv6-only
  subnet to operate as IPv6-only." "Switching between network types on newly
  created clusters is also not supported." (The provider schema agrees:
  NetworkType is create-only; tests/test_aws_schemas.py checks the enums.)
* Which node families run on Nitro: "Instances built on the AWS Nitro System",
  https://docs.aws.amazon.com/ec2/latest/instancetypes/ec2-nitro-instances.html
  (T2, M4 and R4, and the previous generations T1, M1-M3, R3 and C1, are Xen).
* "Amazon VPC quotas", https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html:
  "Inbound or outbound rules per security group: 60 ... This quota is enforced
  separately for IPv4 rules and IPv6 rules"; adjustable (Service Quotas code
  L-0EA8095F). "Security group size" in
  https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html:
  a rule referencing a CIDR block or another security group counts as one rule.
"""

from __future__ import annotations

from . import engines

NETWORK_TYPES: tuple[str, ...] = ("ipv4", "ipv6", "dual_stack")
IP_DISCOVERY: tuple[str, ...] = ("ipv4", "ipv6")

# The first version of each engine that supports IPv6 (ipv6 and dual_stack).
IPV6_SINCE = {"redis": "6.2", "valkey": "7.2"}

# ElastiCache node families built on the Nitro system (current generation
# minus T2, M4 and R4).
NITRO_FAMILIES = frozenset(
    {"t3", "t4g", "m5", "m6g", "m7g", "m8g", "r5", "r6g", "r6gd", "r7g", "r8g", "c7gn", "c8gn"}
)

# Default "Inbound or outbound rules per security group", per IP version.
RULES_PER_SECURITY_GROUP = 60
RULES_QUOTA_CODE = "L-0EA8095F"


def supports_ipv6(engine: str, version: str) -> bool:
    """Whether an engine version can run an ipv6 or dual_stack cache."""
    versions = engines.versions_of(engine)  # oldest first
    return version in versions[versions.index(IPV6_SINCE[engine]):]
