"""Our tables of AWS facts against the resource provider schemas cfn-lint bundles.

ELASTICACHE.md: where our tables and the installed schema disagree, the
schema wins; these tests say so the day a cfn-lint upgrade changes a fact.
"""

from __future__ import annotations

import re
from typing import Any

from cfnlint.schema import PROVIDER_SCHEMA_MANAGER

from compiler.catalog import engines, network
from compiler.input.schema import subschema
from compiler.template.declared import TOPIC_ACCOUNT_PATTERN, TOPIC_NAME_PATTERN


def schema(resource_type: str) -> dict[str, Any]:
    found: dict[str, Any] = PROVIDER_SCHEMA_MANAGER.get_resource_schema(
        "us-east-1", resource_type
    ).schema
    return found


def test_log_retention_values() -> None:
    prop = schema("AWS::Logs::LogGroup")["properties"]["RetentionInDays"]
    assert subschema("logs", "retention_days")["enum"] == prop["enum"]


def test_log_delivery_types_and_formats() -> None:
    request = schema("AWS::ElastiCache::ReplicationGroup")["definitions"][
        "LogDeliveryConfigurationRequest"
    ]["properties"]
    types = aws_enum(request["LogType"])
    assert {t for v in engines.versions() for t in v.log_types} <= types
    spec_formats = subschema("logs", "format")["enum"]
    assert set(spec_formats) <= aws_enum(request["LogFormat"])


def test_replication_group_properties_we_set_exist() -> None:
    properties = set(schema("AWS::ElastiCache::ReplicationGroup")["properties"])
    assert {
        "AtRestEncryptionEnabled", "AuthToken", "AutomaticFailoverEnabled", "CacheNodeType",
        "CacheParameterGroupName", "CacheSubnetGroupName", "DataTieringEnabled", "Engine",
        "EngineVersion", "KmsKeyId", "LogDeliveryConfigurations", "MultiAZEnabled",
        "NumCacheClusters", "Port", "PreferredMaintenanceWindow", "SecurityGroupIds",
        "SnapshotArns", "SnapshotName", "SnapshotRetentionLimit", "SnapshotWindow",
        "TransitEncryptionEnabled", "TransitEncryptionMode", "NetworkType", "IpDiscovery",
    } <= properties


def test_create_only_properties_are_documented_as_replacing() -> None:
    """The spec keys behind create-only properties say so in their description."""
    create_only = {
        p.rsplit("/", 1)[1]
        for p in schema("AWS::ElastiCache::ReplicationGroup")["createOnlyProperties"]
    }
    assert {"Port", "AtRestEncryptionEnabled", "KmsKeyId", "DataTieringEnabled",
            "SnapshotName", "SnapshotArns", "NetworkType"} <= create_only
    for key in (
        ("port",),
        ("security", "encryption_at_rest"),
        ("security", "kms_key_id"),
        ("backups", "restore_from"),
        ("topology", "data_tiering"),
        ("network", "network_type"),
    ):
        assert "replaces the cluster" in subschema(*key)["description"]


def aws_enum(prop: dict[str, Any]) -> set[str]:
    """The allowed values of a provider-schema property. Provider schemas spell
    them `enum` or `enumCaseInsensitive`; a property with neither is a test
    error, not a pass (a fallback to our own list would compare it with itself)."""
    values = prop.get("enum", prop.get("enumCaseInsensitive"))
    assert values, f"no enum in {prop}"
    return set(values)


def test_network_types_and_ip_discovery() -> None:
    properties = schema("AWS::ElastiCache::ReplicationGroup")["properties"]
    assert set(network.NETWORK_TYPES) == aws_enum(properties["NetworkType"])
    assert set(network.IP_DISCOVERY) == aws_enum(properties["IpDiscovery"])
    assert subschema("network", "network_type")["enum"] == list(network.NETWORK_TYPES)
    assert subschema("network", "ip_discovery")["enum"] == list(network.IP_DISCOVERY)


def test_transit_encryption_modes() -> None:
    prop = schema("AWS::ElastiCache::ReplicationGroup")["properties"]["TransitEncryptionMode"]
    spec_modes = subschema("security", "transit_encryption_mode")["enum"]
    assert set(spec_modes) <= aws_enum(prop)


def test_alarm_topic_patterns_accept_empty_names_and_accounts() -> None:
    assert re.match(TOPIC_NAME_PATTERN, "")
    assert re.match(TOPIC_NAME_PATTERN, "ops-alerts_2")
    # An ARN is refused: the template builds it in the stack's own region.
    assert not re.match(TOPIC_NAME_PATTERN, "arn:aws:sns:us-east-1:111122223333:ops")
    assert not re.match(TOPIC_NAME_PATTERN, "a" * 257)
    assert re.match(TOPIC_ACCOUNT_PATTERN, "")
    assert re.match(TOPIC_ACCOUNT_PATTERN, "111122223333")
    assert not re.match(TOPIC_ACCOUNT_PATTERN, "11112222333")
