"""Who may connect, and over which IP versions."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator

from .. import cidr
from ..catalog import network as facts
from ..catalog import node_types
from ..diagnostics import Diagnostic, Path, error, warning
from ..input.model import ReplicationGroup, Spec
from ..kinds import EC_GUIDE, ErrorKind, Stage, WarningKind

_CIDRS = ("network", "allowed_cidr_blocks")
_GROUPS = ("network", "allowed_security_group_ids")
_NETWORK_TYPE = ("network", "network_type")
_REFUSED = {
    4: f"cachec refuses IPv4 blocks wider than /{cidr.BROADEST[4]}",
    6: f"cachec refuses IPv6 blocks wider than /{cidr.BROADEST[6]} outside {cidr.UNIQUE_LOCAL}",
}


INVALID_CIDR = ErrorKind(
    "invalid-cidr", Stage.RULES, "An allowed CIDR block is not a CIDR block.",
    "EC2 rejects the security group rule at deploy time.",
    "Write an IPv4 or IPv6 block with its prefix length, e.g. 10.0.0.0/16.",
    "https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html",
)
OPEN_TO_INTERNET = ErrorKind(
    "open-to-internet", Stage.RULES, "An allowed CIDR block opens the cache port to the internet.",
    "A cache has no business being reachable from everywhere; with auth: none it is an "
    "open database.",
    "List the networks of your clients.",
    "https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html",
)
CIDR_HOST_BITS = ErrorKind(
    "cidr-host-bits", Stage.RULES, "A CIDR block has host bits set.",
    "EC2 rejects a CIDR whose host bits are set.", "Use the network address the message gives.",
    "https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html",
)
PUBLIC_CIDR = WarningKind(
    "public-cidr", Stage.RULES, "An allowed IPv4 block is a public address range.",
    "Caches live in private subnets, so clients usually connect from private ranges; a "
    "public range is often a typo.",
    "List private ranges, or keep it if the clients really connect from it.",
    "https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html",
)


def cidr_blocks(spec: Spec) -> Iterator[Diagnostic]:
    for index, text in enumerate(spec.network.allowed_cidr_blocks):
        path = (*_CIDRS, index)
        if "/" not in text:
            yield error(
                INVALID_CIDR, path,
                f"{text!r} is not a CIDR block; write the prefix length too, e.g. {text}/32",
            )
            continue
        try:
            network = ipaddress.ip_network(text, strict=False)
        except ValueError:
            yield error(INVALID_CIDR, path, f"{text!r} is not an IPv4 or IPv6 CIDR block")
            continue
        if cidr.is_open(network):
            yield error(
                OPEN_TO_INTERNET,
                path,
                f"{text} lets {'the whole' if network.prefixlen == 0 else 'much of the'} "
                f"internet reach the cache port ({_REFUSED[network.version]}); list the "
                "networks of your clients",
            )
        elif network.network_address != ipaddress.ip_interface(text).ip:
            # EC2 rejects a CIDR whose host bits are set; say what was meant.
            yield error(
                CIDR_HOST_BITS,
                path,
                f"{text!r} has host bits set; the network is {network.with_prefixlen}",
            )
        elif network.version == 4 and network.is_global:
            # IPv4 only: AWS VPCs get global unicast IPv6 ranges, private subnets
            # included, so a public IPv6 block is no sign of a mistake.
            yield warning(
                PUBLIC_CIDR,
                path,
                f"{text} is a public address range; caches live in private subnets, so "
                "clients usually connect from private ranges",
            )


def cidr_blocks_together(spec: Spec) -> Iterator[Diagnostic]:
    """Narrow public blocks that add up to much of the internet (every public
    /8 listed one by one) are as open as one wide block."""
    found = list(_networks(spec))
    crossing = cidr.public_union_too_wide([network for _, network in found])
    if crossing is None:
        return
    index = next(i for i, network in found if network is crossing)
    yield error(
        OPEN_TO_INTERNET,
        (*_CIDRS, index),
        f"with {crossing}, the public blocks together hold more addresses than a "
        f"/{cidr.BROADEST[crossing.version]}: much of the internet reaches the cache port "
        f"({_REFUSED[crossing.version]}, alone or together); list the networks of your "
        "clients",
    )


IPV6_CIDR_ON_IPV4_CACHE = ErrorKind(
    "ipv6-cidr-on-ipv4-cache", Stage.RULES, "An IPv6 block allowed into an IPv4-only cache.",
    "The cache has only IPv4 addresses, so no client in that block can connect.",
    "Set network.network_type: dual_stack (a new cluster) or list IPv4 blocks.",
    EC_GUIDE + "network-type.html",
)
IPV4_CIDR_ON_IPV6_CACHE = ErrorKind(
    "ipv4-cidr-on-ipv6-cache", Stage.RULES, "An IPv4 block allowed into an IPv6-only cache.",
    "The cache has only IPv6 addresses, so no client in that block can connect.",
    "Set network_type: dual_stack or list IPv6 blocks.", EC_GUIDE + "network-type.html",
)


def cidr_versions_reach_the_cache(spec: Spec) -> Iterator[Diagnostic]:
    """An IPv6 rule on an IPv4-only cache (or the reverse) lets nobody in."""
    net = spec.network
    for index, network in _networks(spec):
        path = (*_CIDRS, index)
        if cidr.is_open(network):
            continue  # refused already, whatever the network type
        if network.version == 6 and not net.accepts_ipv6:
            yield error(
                IPV6_CIDR_ON_IPV4_CACHE,
                path,
                f"{net.allowed_cidr_blocks[index]} is IPv6, but the cache has only IPv4 "
                "addresses, so no client in it can connect; set network.network_type: "
                "dual_stack (a new cluster) or list IPv4 blocks",
            )
        elif network.version == 4 and not net.accepts_ipv4:
            yield error(
                IPV4_CIDR_ON_IPV6_CACHE,
                path,
                f"{net.allowed_cidr_blocks[index]} is IPv4, but network.network_type ipv6 "
                "gives the cache only IPv6 addresses; set network_type: dual_stack or list "
                "IPv6 blocks",
            )


NETWORK_TYPE_ENGINE_VERSION = ErrorKind(
    "network-type-engine-version", Stage.RULES,
    "IPv6 or dual stack on an engine version without it.",
    "IPv6 networking needs Redis OSS 6.2 or later, or Valkey.",
    "Raise engine_version or use network_type ipv4.", EC_GUIDE + "network-type.html",
)
NETWORK_TYPE_NODE_TYPE = ErrorKind(
    "network-type-node-type", Stage.RULES, "IPv6 or dual stack on a node type not built on Nitro.",
    "AWS offers IPv6 networking only on Nitro-based node types.",
    "Choose a Nitro family such as t4g, m7g or r7g, or use network_type ipv4.",
    EC_GUIDE + "network-type.html",
)


def network_type_supported(spec: Spec, rg: ReplicationGroup) -> Iterator[Diagnostic]:
    """ipv6 and dual_stack need a recent engine on a Nitro node type."""
    network_type = spec.network.network_type
    if network_type == "ipv4":
        return
    if spec.version_info and not facts.supports_ipv6(spec.engine, spec.engine_version):
        yield error(
            NETWORK_TYPE_ENGINE_VERSION,
            _NETWORK_TYPE,
            f"network_type {network_type} needs {spec.engine} "
            f"{facts.IPV6_SINCE[spec.engine]} or newer, not {spec.engine_version}; raise "
            "engine_version or use network_type ipv4",
        )
    node = node_types.lookup(rg.node_type)
    if node and node.family not in facts.NITRO_FAMILIES:
        yield error(
            NETWORK_TYPE_NODE_TYPE,
            _NETWORK_TYPE,
            f"network_type {network_type} needs a node type built on the Nitro system; "
            f"{rg.node_type} is not; choose a Nitro family such as t4g, m7g or "
            "r7g, or use network_type ipv4",
        )


IP_DISCOVERY_MISMATCH = ErrorKind(
    "ip-discovery-mismatch", Stage.RULES,
    "ip_discovery names an address family the cache does not have.",
    "A single-stack cache can only advertise addresses of its own family.",
    "Remove ip_discovery or set network_type: dual_stack.", EC_GUIDE + "network-type.html",
)


def ip_discovery_matches(spec: Spec) -> Iterator[Diagnostic]:
    """Only a dual_stack cache has a choice of address family to advertise.

    Inferred, not quoted: AWS's pages describe IpDiscovery for dual stack only,
    and a node of an ipv4 (ipv6) cache has no IPv6 (IPv4) address to advertise.
    """
    net = spec.network
    if net.network_type == "dual_stack" or net.ip_discovery == _only_family(net.network_type):
        return
    yield error(
        IP_DISCOVERY_MISMATCH,
        ("network", "ip_discovery"),
        f"an {net.network_type} cache has only {_only_family(net.network_type)} addresses "
        f"to advertise, not {net.ip_discovery}; remove ip_discovery or set network_type "
        "dual_stack",
    )


SECURITY_GROUP_RULE_QUOTA = WarningKind(
    "security-group-rule-quota", Stage.RULES,
    "More inbound rules than a security group allows by default.",
    "EC2 allows 60 inbound rules per address family per group by default; past it the "
    "deploy fails unless the account's quota was raised.",
    "Merge CIDR blocks or allowed groups, or raise the quota (L-0EA8095F).",
    "https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html",
)


def ingress_rules_fit_the_quota(spec: Spec) -> Iterator[Diagnostic]:
    """The cache's group gets one inbound rule per source; EC2 counts them per IP version.

    A rule naming a security group (the client group, each allowed group)
    counts as one rule; whether EC2 charges it to the IPv4 count, the IPv6
    count or both is not documented, so it is charged to both. The quota is
    adjustable, so this is a warning that says how, not an error that would
    stop someone whose quota was raised.
    """
    versions = [(index, network.version) for index, network in _networks(spec)]
    for version in (4, 6):
        if version == 6 and all(v == 4 for _, v in versions):
            continue  # no IPv6 rule at all: nothing is charged to IPv6
        sources: list[Path] = [("network",)]  # the client security group
        sources += [(*_GROUPS, i) for i in range(len(spec.network.allowed_security_group_ids))]
        sources += [(*_CIDRS, i) for i, v in versions if v == version]
        if len(sources) > facts.RULES_PER_SECURITY_GROUP:
            yield warning(
                SECURITY_GROUP_RULE_QUOTA,
                sources[facts.RULES_PER_SECURITY_GROUP],
                f"the cache's security group gets {len(sources)} inbound IPv{version} rules "
                "(the client group, each allowed group and each "
                f"IPv{version} block), and EC2 allows {facts.RULES_PER_SECURITY_GROUP} per "
                "group by default: the deploy fails from here on unless the account's "
                "quota \"Inbound or outbound rules per security group\" "
                f"({facts.RULES_QUOTA_CODE}) was raised in Service Quotas; or merge "
                "blocks into wider ones, or allow a security group instead",
            )


def _networks(spec: Spec) -> Iterator[tuple[int, ipaddress.IPv4Network | ipaddress.IPv6Network]]:
    """(index, network) of each well-formed CIDR block; cidr_blocks reports the rest."""
    for index, text in enumerate(spec.network.allowed_cidr_blocks):
        if "/" not in text:
            continue
        try:
            yield index, ipaddress.ip_network(text, strict=False)
        except ValueError:
            continue


def _only_family(network_type: str) -> str:
    return "ipv6" if network_type == "ipv6" else "ipv4"
