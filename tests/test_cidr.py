""""Open to the internet": the spec rule and the deploy-time AllowedPattern agree.

compiler/cidr.py defines it once; the spec rule uses `is_open`, the CIDR
Parameters carry `allowed_pattern`. These tests walk every prefix length of
both IP versions over sample addresses and check that the pattern refuses
exactly the blocks the rule refuses, so the two cannot drift apart.
"""

from __future__ import annotations

import ipaddress
import re

import pytest

from compiler import cidr
from compiler.api import compile_text

# Addresses spread over the space: private, public, unique local, the edges.
SAMPLES = {
    4: ["0.0.0.0", "10.1.2.3", "100.64.0.1", "128.0.0.0", "172.16.5.4", "192.168.0.1",
        "8.8.8.8", "255.255.255.255"],
    6: ["::", "::1", "2001:db8::1", "2600:1f18:abcd:1200::", "fc00::", "fd12:3456:789a::1",
        "fdff:ffff::", "fe80::1", "ff02::1", "ffff:ffff::"],
}


def blocks(version: int) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    top = 32 if version == 4 else 128
    return [
        ipaddress.ip_network(f"{address}/{prefix}", strict=False)
        for address in SAMPLES[version]
        for prefix in range(top + 1)
    ]


@pytest.mark.parametrize("version", [4, 6])
def test_pattern_refuses_exactly_what_the_rule_refuses(version: int) -> None:
    pattern = re.compile(cidr.allowed_pattern(version))
    for network in blocks(version):
        for text in {network.with_prefixlen, network.exploded}:
            assert (pattern.match(text) is None) is cidr.is_open(network), text


@pytest.mark.parametrize("version", [4, 6])
def test_both_refuse_something_and_accept_something(version: int) -> None:
    """The agreement above would also hold for two rules that refuse nothing."""
    verdicts = {cidr.is_open(network) for network in blocks(version)}
    assert verdicts == {True, False}


@pytest.mark.parametrize(
    ("text", "is_open"),
    [
        ("0.0.0.0/0", True),
        ("0.0.0.0/1", True),
        ("128.0.0.0/1", True),
        ("8.0.0.0/7", True),
        ("10.0.0.0/8", False),
        ("::/0", True),
        ("2000::/3", True),
        ("2600::/15", True),
        ("2600::/16", False),
        ("fc00::/6", True),  # wider than the unique local range itself
        ("fc00::/7", False),
        ("fd00::/8", False),
    ],
)
def test_definition(text: str, is_open: bool) -> None:
    assert cidr.is_open(ipaddress.ip_network(text)) is is_open


def test_pattern_refuses_the_other_ip_version() -> None:
    assert not re.match(cidr.allowed_pattern(4), "fd00::/16")
    assert not re.match(cidr.allowed_pattern(6), "10.0.0.0/16")


@pytest.mark.parametrize(("low", "high"), [(8, 32), (16, 128), (7, 128), (0, 128), (10, 10)])
def test_number_range(low: int, high: int) -> None:
    pattern = re.compile(f"^{cidr._number_range(low, high)}$")
    assert [n for n in range(300) if pattern.match(str(n))] == list(range(low, high + 1))


def test_the_spec_rule_uses_the_definition() -> None:
    text = (
        "cachec: 1\nname: t1\nenvironment: dev\nnetwork:\n  network_type: dual_stack\n"
        "  allowed_cidr_blocks: [8.0.0.0/7, 10.0.0.0/8, 2600::/15, fd00::/8]\n"
    )
    result = compile_text(text, "t.yaml", lint=False)
    refused = sorted(d.path[-1] for d in result.diagnostics if d.kind == "open-to-internet")
    assert refused == [0, 2]
