"""Security groups and network type in the template, and the network rules' edges."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from compiler.api import compile_text
from compiler.catalog import network, node_types
from compiler.template.lint import Linter

GOLDEN = Path(__file__).parent / "golden"
GOLDEN_TEMPLATES = sorted(GOLDEN.glob("*/expected.yaml"))

NO_TRAFFIC = {
    "IpProtocol": "-1", "CidrIp": "127.0.0.1/32",
    "Description": "No egress: loopback only, matches no traffic; keeps EC2 from adding its "
    "allow-all rules",
}


def compiled(extra: str = "") -> dict[str, Any]:
    result = compile_text(f"cachec: 1\nname: t1\nenvironment: dev\n{extra}", "t.yaml", lint=False)
    assert result.text is not None, result.diagnostics
    template: dict[str, Any] = yaml.safe_load(result.text)
    return template


def kinds(extra: str) -> list[tuple[str, str, tuple[object, ...]]]:
    result = compile_text(f"cachec: 1\nname: t1\nenvironment: dev\n{extra}", "t.yaml", lint=False)
    return sorted((d.severity.value, d.kind, d.path) for d in result.diagnostics)


def test_neither_group_gets_egress_beyond_the_cache_port() -> None:
    resources = compiled("port: 6380\n")["Resources"]
    assert resources["SecurityGroup"]["Properties"]["SecurityGroupEgress"] == [NO_TRAFFIC]
    assert resources["ClientSecurityGroup"]["Properties"]["SecurityGroupEgress"] == [NO_TRAFFIC]
    egress = [r for r in resources.values() if r["Type"] == "AWS::EC2::SecurityGroupEgress"]
    assert egress == [resources["ClientSecurityGroupEgress"]]
    assert egress[0]["Properties"] == {
        "GroupId": {"Fn::GetAtt": ["ClientSecurityGroup", "GroupId"]},
        "IpProtocol": "tcp",
        "FromPort": 6380,
        "ToPort": 6380,
        "DestinationSecurityGroupId": {"Fn::GetAtt": ["SecurityGroup", "GroupId"]},
        "Description": "The cache (SecurityGroup), on this port only",
    }
    # The cache's group still admits the client group.
    sources = [r.get("SourceSecurityGroupId") for r in
               resources["SecurityGroup"]["Properties"]["SecurityGroupIngress"]]
    assert {"Fn::GetAtt": ["ClientSecurityGroup", "GroupId"]} in sources


def test_serverless_clients_get_one_egress_rule_per_port() -> None:
    """Serverless listens on 6379 (endpoint) and 6380 (reader endpoint): two
    single-port rules, not one 6379-6380 range (see the scanner rules below)."""
    resources = compiled("serverless: {}\n")["Resources"]
    egress = {name: r["Properties"] for name, r in resources.items()
              if r["Type"] == "AWS::EC2::SecurityGroupEgress"}
    assert {name: (e["FromPort"], e["ToPort"]) for name, e in egress.items()} == {
        "ClientSecurityGroupEgress": (6379, 6379),
        "ClientSecurityGroupEgress6380": (6380, 6380),
    }
    assert all(e["DestinationSecurityGroupId"] == {"Fn::GetAtt": ["SecurityGroup", "GroupId"]}
               for e in egress.values())


def _egress_rules(template: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """Every egress rule: inline ones of each group, and standalone resources."""
    rules = []
    for name, resource in template["Resources"].items():
        props = resource.get("Properties", {})
        if resource["Type"] == "AWS::EC2::SecurityGroup":
            rules += [(name, rule) for rule in props.get("SecurityGroupEgress", [])]
        if resource["Type"] == "AWS::EC2::SecurityGroupEgress":
            rules.append((name, props))
    return rules


def _golden(path: Path) -> dict[str, Any]:
    template: dict[str, Any] = yaml.safe_load(path.read_text())
    return template


@pytest.mark.parametrize("path", GOLDEN_TEMPLATES, ids=lambda p: p.parent.name)
def test_no_egress_rule_is_a_port_range(path: Path) -> None:
    """AWS Guard rules registry SECURITY_GROUP_EGRESS_PORT_RANGE_RULE and cfn_nag
    W29 flag any egress rule, inline or standalone, whose FromPort and ToPort
    are both given and differ (aws-cloudformation/aws-guard-rules-registry
    rules/aws/amazon_ec2/security_group_egress_port_range_rule.guard;
    stelligent/cfn_nag custom_rules/SecurityGroupEgressPortRangeRule.rb).
    CDK's ICMP 252/86 placeholder and a 6379-6380 rule both tripped it."""
    ranges = [(name, rule.get("FromPort"), rule.get("ToPort"))
              for name, rule in _egress_rules(_golden(path))
              if "FromPort" in rule and "ToPort" in rule and rule["FromPort"] != rule["ToPort"]]
    assert ranges == []


@pytest.mark.parametrize("path", GOLDEN_TEMPLATES, ids=lambda p: p.parent.name)
def test_the_no_traffic_rule_is_cloudformations_form(path: Path) -> None:
    """No ICMP placeholder; the one all-protocols rule goes to 127.0.0.1/32,
    the destination the Guard registry's SECURITY_GROUP_EGRESS_ALL_PROTOCOLS_RULE
    and cfn_nag W40 (SecurityGroupEgressAllProtocolsRule.rb) exempt: any other
    `-1` egress is a finding there."""
    rules = _egress_rules(_golden(path))
    assert [r for _, r in rules if r["IpProtocol"] in ("icmp", "1", 1)] == []
    everything = [(name, r) for name, r in rules if str(r["IpProtocol"]) == "-1"]
    created = "SecurityGroup" in _golden(path)["Resources"]  # network.create_security_group
    assert everything == (
        [("ClientSecurityGroup", NO_TRAFFIC), ("SecurityGroup", NO_TRAFFIC)] if created else []
    )


def test_inline_client_egress_would_be_a_cycle(linter: Linter) -> None:
    """Why the client rule is a separate resource: cfn-lint sees the cycle (E3004)."""
    template = compiled()
    rule = template["Resources"].pop("ClientSecurityGroupEgress")["Properties"]
    del rule["GroupId"]
    template["Resources"]["ClientSecurityGroup"]["Properties"]["SecurityGroupEgress"].append(rule)
    assert "E3004" in {f.rule_id for f in linter.lint(yaml.safe_dump(template))}


def test_ipv4_caches_leave_network_type_unset() -> None:
    """NetworkType is create-only: writing an explicit ipv4 would replace existing clusters."""
    for extra in ("", "network: {network_type: ipv4}\n"):
        properties = compiled(extra)["Resources"]["ReplicationGroup"]["Properties"]
        assert "NetworkType" not in properties and "IpDiscovery" not in properties


@pytest.mark.parametrize(
    ("extra", "network_type", "discovery"),
    [
        ("network: {network_type: dual_stack}\n", "dual_stack", "ipv4"),
        ("network: {network_type: dual_stack, ip_discovery: ipv6}\n", "dual_stack", "ipv6"),
        ("network: {network_type: ipv6}\n", "ipv6", "ipv6"),
    ],
)
def test_network_type_and_discovery(extra: str, network_type: str, discovery: str) -> None:
    properties = compiled(extra)["Resources"]["ReplicationGroup"]["Properties"]
    assert (properties["NetworkType"], properties["IpDiscovery"]) == (network_type, discovery)


def test_public_ipv6_is_not_a_warning_but_public_ipv4_is() -> None:
    assert kinds(
        "network: {network_type: dual_stack, allowed_cidr_blocks: ['2600:1f18::/56']}\n"
    ) == []
    assert kinds("network: {allowed_cidr_blocks: [8.8.8.0/24]}\n") == [
        ("warning", "public-cidr", ("network", "allowed_cidr_blocks", 0))
    ]


def test_explicit_matching_ip_discovery_is_fine() -> None:
    assert kinds("network: {network_type: ipv6, ip_discovery: ipv6}\n") == []
    assert kinds("network: {network_type: ipv6, ip_discovery: ipv4}\n") == [
        ("error", "ip-discovery-mismatch", ("network", "ip_discovery"))
    ]


def _network(groups: int, v4: int, v6: int) -> str:
    ids = [f"sg-{i:08x}" for i in range(groups)]
    blocks = [f"10.{i}.0.0/16" for i in range(v4)] + [f"fd00:{i:x}::/32" for i in range(v6)]
    network_type = "dual_stack" if v6 else "ipv4"
    return (
        f"network:\n  network_type: {network_type}\n  allowed_security_group_ids: {ids}\n"
        f"  allowed_cidr_blocks: {blocks}\n"
    )


def quota_warnings(groups: int, v4: int, v6: int) -> list[tuple[object, ...]]:
    return [path for _, kind, path in kinds(_network(groups, v4, v6))
            if kind == "security-group-rule-quota"]


def test_rule_quota_boundary_ipv4() -> None:
    # The client group + 9 groups + 50 blocks = 60 rules: fits.
    assert quota_warnings(9, 50, 0) == []
    # One more block is rule 61, reported at that block.
    assert quota_warnings(9, 51, 0) == [("network", "allowed_cidr_blocks", 50)]
    # Too many groups alone: reported at the group that is rule 61.
    assert quota_warnings(60, 0, 0) == [("network", "allowed_security_group_ids", 59)]


def test_rule_quota_boundary_ipv6_counts_group_rules_too() -> None:
    assert quota_warnings(9, 0, 50) == []
    # IPv6 blocks sit after the IPv4 ones in the list: rule 61 is index 1 + 50.
    assert quota_warnings(9, 1, 51) == [("network", "allowed_cidr_blocks", 51)]


def test_rule_quota_warning_names_the_quota() -> None:
    result = compile_text("cachec: 1\nname: t1\nenvironment: dev\n" + _network(0, 60, 0),
                          "t.yaml", lint=False)
    (found,) = [d for d in result.diagnostics if d.kind == "security-group-rule-quota"]
    assert "61 inbound IPv4 rules" in found.message
    assert "60 per group" in found.message and network.RULES_QUOTA_CODE in found.message


def test_nitro_families_are_known_current_families() -> None:
    current = {t.family for t in node_types.NODE_TYPES.values() if t.current_generation}
    assert current >= network.NITRO_FAMILIES
    assert current - network.NITRO_FAMILIES == {"m4", "r4"}  # Xen, like all previous ones


def test_ipv6_versions() -> None:
    assert not network.supports_ipv6("redis", "6.0")
    assert network.supports_ipv6("redis", "6.2")
    assert network.supports_ipv6("valkey", "7.2")
