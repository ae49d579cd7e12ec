"""Who may connect."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator

from ..diagnostics import Diagnostic, error, warning
from ..model import Spec

# Shorter prefixes than these span several /8s of the public internet (or
# the whole of it): no client fleet needs that, and 0.0.0.0/1 + 128.0.0.0/1
# must not slip past a check for 0.0.0.0/0.
_BROADEST = {4: 8, 6: 16}


def cidr_blocks(spec: Spec) -> Iterator[Diagnostic]:
    for index, text in enumerate(spec.network.allowed_cidr_blocks):
        path = ("network", "allowed_cidr_blocks", index)
        if "/" not in text:
            yield error(
                "invalid-cidr", path,
                f"{text!r} is not a CIDR block; write the prefix length too, e.g. {text}/32",
            )
            continue
        try:
            network = ipaddress.ip_network(text, strict=False)
        except ValueError:
            yield error("invalid-cidr", path, f"{text!r} is not an IPv4 or IPv6 CIDR block")
            continue
        if network.prefixlen < _BROADEST[network.version]:
            yield error(
                "open-to-internet",
                path,
                f"{text} lets {'the whole' if network.prefixlen == 0 else 'much of the'} "
                "internet reach the cache port; list the networks of your clients",
            )
        elif network.network_address != ipaddress.ip_interface(text).ip:
            # EC2 rejects a CIDR whose host bits are set; say what was meant.
            yield error(
                "cidr-host-bits",
                path,
                f"{text!r} has host bits set; the network is {network.with_prefixlen}",
            )
        elif network.is_global:
            yield warning(
                "public-cidr",
                path,
                f"{text} is a public address range; caches live in private subnets, so "
                "clients usually connect from private ranges",
            )
