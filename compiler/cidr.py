"""What cachec calls "open to the internet": one definition, two enforcers.

The spec rule (rules/network.py) refuses such a CIDR block in the spec; the
`AllowedPattern` of the CIDR Parameters (synthesize/parameters.py) refuses it
when a deployer types it in at deploy time. Both are derived from the
constants here, and tests/test_cidr.py checks that they refuse exactly the
same blocks, so they cannot drift apart.

The definition (a judgement, not an AWS fact):

* IPv4: any block wider than /8. 10.0.0.0/8 (RFC 1918) is the widest private
  network there is, so a wider block cannot be "our network"; it spans
  several /8s of the public internet, or all of it (0.0.0.0/1 + 128.0.0.0/1).
* IPv6: any block wider than /16, unless it lies inside the unique local
  range fc00::/7 (RFC 4193), which is never routed on the internet. A /16 is
  2^112 addresses, thousands of times what a regional registry hands to its
  largest members (/19 to /32), and AWS VPCs get /44 to /60: no client fleet
  needs more. Global unicast is not refused for being public: AWS gives VPCs
  global unicast IPv6 ranges, private subnets included. (Public IPv4 ranges
  draw a warning, rule `public-cidr`: private IPv4 subnets use RFC 1918.)
* Together: public blocks that are each narrow enough but whose union holds
  more addresses than the widest block allowed (221 /8s, one per public /8,
  are the internet all the same). Only the spec can see the union: at deploy
  time each Parameter item is checked alone, so the spec's number of blocks
  bounds what a deployer can open.
"""

from __future__ import annotations

import ipaddress
from collections import defaultdict

# Narrowest prefix length still refused as "open", per IP version: blocks with
# a shorter prefix than this are open to the internet.
BROADEST = {4: 8, 6: 16}
# Private however wide: unique local addresses never route on the internet.
UNIQUE_LOCAL = ipaddress.IPv6Network("fc00::/7")

_MAX_PREFIX = {4: 32, 6: 128}
_IPV4_ADDRESS = r"[0-9]{1,3}(\.[0-9]{1,3}){3}"
# Deliberately loose: the pattern only has to agree with the spec on what is
# open; EC2 itself rejects a malformed address. It needs one colon, so an
# IPv4 block typed into the IPv6 Parameter is refused too.
_IPV6_ADDRESS = r"[0-9A-Fa-f.]*:[0-9A-Fa-f:.]*"
# The first group of every address in fc00::/7 is fcXX or fdXX, always four
# digits, so the text of a unique local block starts like this.
_UNIQUE_LOCAL_ADDRESS = r"[Ff][CcDd][0-9A-Fa-f]{2}:[0-9A-Fa-f:.]*"


def is_open(network: ipaddress.IPv4Network | ipaddress.IPv6Network) -> bool:
    """Whether a block lets (much of) the internet in, per the definition above."""
    if network.prefixlen >= BROADEST[network.version]:
        return False
    return not (network.version == 6 and network.subnet_of(UNIQUE_LOCAL))


def public_union_too_wide(
    networks: list[ipaddress.IPv4Network | ipaddress.IPv6Network],
) -> ipaddress.IPv4Network | ipaddress.IPv6Network | None:
    """The block whose addition makes the union of public blocks larger than
    the widest block allowed on its own, or None. Blocks are taken in spec
    order, so the answer points at the entry that crossed the line."""
    limit = {v: 2 ** (_MAX_PREFIX[v] - BROADEST[v]) for v in BROADEST}
    seen: dict[int, list[ipaddress.IPv4Network | ipaddress.IPv6Network]] = defaultdict(list)
    for network in networks:
        if not network.is_global or is_open(network):
            continue  # private ranges open nothing; open blocks are refused one by one
        seen[network.version].append(network)
        union = ipaddress.collapse_addresses(seen[network.version])  # type: ignore[type-var]
        if sum(n.num_addresses for n in union) > limit[network.version]:
            return network
    return None


def allowed_pattern(version: int) -> str:
    """The `AllowedPattern` matching each CIDR block `is_open` accepts.

    CloudFormation applies the pattern to every item of a CommaDelimitedList:
    "When applied to a parameter of type CommaDelimitedList, the pattern must
    match each value in the list."
    (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html)
    """
    top = _MAX_PREFIX[version]
    if version == 4:
        return f"^{_IPV4_ADDRESS}/{_number_range(BROADEST[4], top)}$"
    return (
        f"^({_IPV6_ADDRESS}/{_number_range(BROADEST[6], top)}"
        f"|{_UNIQUE_LOCAL_ADDRESS}/{_number_range(UNIQUE_LOCAL.prefixlen, top)})$"
    )


def _number_range(low: int, high: int) -> str:
    """A regex group matching the decimal numbers low..high (up to three digits).

    Numbers sharing all but their last digit share a character class
    (`1[6-9]`), and stems sharing that class share a class too (`[2-9][0-9]`).
    """
    last_digits: dict[str, list[str]] = defaultdict(list)
    for number in range(low, high + 1):
        text = str(number)
        last_digits[text[:-1]].append(text[-1])
    stems: dict[tuple[int, str, str], list[str]] = defaultdict(list)
    for head, lasts in last_digits.items():
        stems[(len(head), head[:-1], _char_class(lasts))].append(head[-1:])
    parts = [
        stem + (_char_class(middles) if middles != [""] else "") + lasts
        for (_, stem, lasts), middles in stems.items()
    ]
    return "(" + "|".join(parts) + ")"


def _char_class(digits: list[str]) -> str:
    if len(digits) == 1:
        return digits[0]
    first, last = digits[0], digits[-1]
    if int(last) - int(first) == len(digits) - 1:
        return f"[{first}-{last}]" if len(digits) > 2 else f"[{first}{last}]"
    return "[" + "".join(digits) + "]"
