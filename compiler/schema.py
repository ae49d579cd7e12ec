"""The spec format v1 as JSON Schema (draft-07): the one source of truth.

Draft-07 because it is what editors' YAML language servers understand, so a
spec starting with `# yaml-language-server: $schema=...` is completed and
checked while it is typed. Enums come from the catalog tables, so the schema
and the compiler cannot disagree. `schemas/cachec-spec-v1.schema.json` is this
dict rendered (`cachec schema`); a test keeps the file current.

Every property carries a description, a type, a default and an example.
Defaults that depend on other keys (multi_az, engine_version, data_tiering)
say so in their description; their `default` is the value for a spec that
sets nothing else.
"""

from __future__ import annotations

import json
from typing import Any

from .catalog import alarms, engines, network

SCHEMA_ID = "https://cachec.dev/schemas/cachec-spec-v1.schema.json"

NAME_PATTERN = r"^[a-z][a-z0-9-]{0,30}[a-z0-9]$"
ENVIRONMENT_PATTERN = r"^[a-z][a-z0-9-]{0,15}$"
ENGINE_VERSION_PATTERN = r"^[0-9]{1,3}\.[0-9]{1,3}(\.[0-9]{1,3})?$"
NODE_TYPE_PATTERN = r"^cache\.[a-z0-9]+\.[a-z0-9]+$"
# hh:mm-hh:mm, UTC, daily.
SNAPSHOT_WINDOW_PATTERN = r"^([01][0-9]|2[0-3]):[0-5][0-9]-([01][0-9]|2[0-3]):[0-5][0-9]$"
# ddd:hh:mm-ddd:hh:mm, UTC, weekly.
_DAY = "(mon|tue|wed|thu|fri|sat|sun)"
_TIME = "([01][0-9]|2[0-3]):[0-5][0-9]"
MAINTENANCE_WINDOW_PATTERN = rf"^{_DAY}:{_TIME}-{_DAY}:{_TIME}$"
VPC_ID_PATTERN = r"^vpc-([0-9a-f]{8}|[0-9a-f]{17})$"
SUBNET_ID_PATTERN = r"^subnet-([0-9a-f]{8}|[0-9a-f]{17})$"
SECURITY_GROUP_ID_PATTERN = r"^sg-([0-9a-f]{8}|[0-9a-f]{17})$"
S3_RDB_ARN_PATTERN = r"^arn:aws[a-z-]*:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]/.+\.rdb$"
# A snapshot name: 1-255 letters, digits and hyphens, starting with a letter.
SNAPSHOT_NAME_PATTERN = r"^[A-Za-z][A-Za-z0-9-]{0,254}$"
# Key id, key ARN, alias name or alias ARN (AWS::KMS key references).
KMS_KEY_PATTERN = (
    r"^(alias/[A-Za-z0-9/_-]+"
    r"|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
    r"|mrk-[0-9a-f]{32}"
    r"|arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:(key/[A-Za-z0-9-]+|alias/[A-Za-z0-9/_-]+))$"
)
KMS_KEY_ARN_PATTERN = r"^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[A-Za-z0-9-]+$"
# Standard topic names (https://docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html:
# "Topic names must be made up of only uppercase and lowercase ASCII letters,
# numbers, underscores, and hyphens, and must be between 1 and 256 characters long").
SNS_TOPIC_NAME = r"[A-Za-z0-9_-]{1,256}"
SNS_TOPIC_ARN_PATTERN = rf"^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{{12}}:{SNS_TOPIC_NAME}$"
EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
# Free text: no control characters (C0, DEL, C1) and no Unicode line or
# paragraph separators. cachec's loader refuses these in every string; the
# pattern lets editors say so while the spec is typed.
TEXT_PATTERN = r"^[^\x00-\x1f\x7f-\x9f\u2028\u2029]*$"
# The values CloudWatch Logs accepts for RetentionInDays.
LOG_RETENTION_DAYS = (
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192,
    2557, 2922, 3288, 3653,
)
# Tag rules shared by ElastiCache and CloudFormation stacks.
TAG_KEY_PATTERN = r"^(?!aws:|cachec:)[\w .:/=+@-]{1,128}$"
TAG_VALUE_PATTERN = r"^[\w .:/=+@-]{0,256}$"


def _p(
    type_: str | list[str],
    description: str,
    default: Any,
    example: Any,
    **extra: Any,
) -> dict[str, Any]:
    prop: dict[str, Any] = {"type": type_, "description": description}
    if default is not None:
        prop["default"] = default
    prop["examples"] = [example]
    prop.update(extra)
    return prop


def _object(
    description: str,
    properties: dict[str, Any],
    *,
    required: tuple[str, ...] = (),
    example: dict[str, Any] | None = None,
) -> dict[str, Any]:
    obj: dict[str, Any] = {
        "type": "object",
        "description": description,
        "additionalProperties": False,
        "properties": properties,
        "default": {},
        # By default the section's example is its keys' examples, so it validates
        # by construction; sections whose keys exclude each other give their own.
        "examples": [
            example
            if example is not None
            else {k: p["examples"][0] for k, p in properties.items() if p.get("examples")}
        ],
    }
    if required:
        obj["required"] = list(required)
    return obj


def _id_list(description: str, pattern: str, example: str) -> dict[str, Any]:
    return _p(
        "array",
        description,
        [],
        [example],
        items={"type": "string", "pattern": pattern},
        uniqueItems=True,
    )


def _alarm(kind: alarms.AlarmKind, extra: str, *, default: Any = None) -> dict[str, Any]:
    return {
        "type": ["number", "boolean"],
        "description": f"{kind.metric} ({kind.statistic}, per node) threshold in "
        f"{kind.unit}; `false` turns the alarm off, `true` uses the default. {extra}",
        "default": int(kind.default) if default is None else default,
        "examples": [int(kind.default)],
    }


def build_schema() -> dict[str, Any]:
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": SCHEMA_ID,
        "title": "cachec spec v1",
        "description": "One ElastiCache cache (Redis OSS or Valkey), compiled by cachec "
        "into a CloudFormation template.",
        "type": "object",
        "additionalProperties": False,
        "required": ["cachec", "name", "environment"],
        "properties": {
            "cachec": _p(
                "integer", "Spec format version. Always 1.", None, 1, enum=[1]
            ),
            "name": _p(
                "string",
                "Name of the cache: 2-32 lower-case letters, digits and hyphens, starting "
                "with a letter. With `environment` it names the template folder "
                "(`templates/<name>-<environment>/`).",
                None,
                "orders",
                pattern=NAME_PATTERN,
            ),
            "environment": _p(
                "string",
                "Environment the cache serves (production, staging, dev, ...): 1-16 "
                "lower-case letters, digits and hyphens. `production` (or `prod`, `prd`) turns on "
                "production-only warnings.",
                None,
                "production",
                pattern=ENVIRONMENT_PATTERN,
            ),
            "description": _p(
                "string",
                "Free text for the replication group description and the template "
                "description. Default: `<name> cache (<environment>)`.",
                "",
                "Order session cache",
                maxLength=255,
                pattern=TEXT_PATTERN,
            ),
            "engine": _p(
                "string",
                "Cache engine. Changing redis to valkey is an in-place upgrade.",
                "redis",
                "valkey",
                enum=list(engines.ENGINES),
            ),
            "engine_version": {
                "type": "string",
                "description": "Major.minor engine version, one AWS lists for the engine "
                "(Redis OSS 6.0 and later, every Valkey version; cachec reads AWS's list from "
                "the data cfn-lint ships, so new versions need no cachec release). Default: "
                + " and ".join(
                    f"{e} {engines.default_version(e)}" for e in engines.ENGINES
                )
                + ", the newest of each engine when this cachec was released. The parameter "
                "group family is derived from it. Quote it: YAML reads 7.0 as a number.",
                "examples": ["7.1", "8.2"],
                "pattern": ENGINE_VERSION_PATTERN,
            },
            "node_type": _p(
                "string",
                "Node type (cache.<family>.<size>), checked against the known node "
                "types; previous-generation types (T1, T2, M1-M3, R3, C1), on which AWS no "
                "longer creates caches, are refused.",
                "cache.t3.micro",
                "cache.r6g.large",
                pattern=NODE_TYPE_PATTERN,
            ),
            "port": _p(
                "integer",
                "TCP port the cache listens on. Changing it replaces the cluster.",
                6379,
                6379,
                minimum=1024,
                maximum=65535,
            ),
            "topology": _object(
                "How many nodes, and how they fail over.",
                {
                    # --- issue 8, cluster mode: topology.shards, topology.cluster_mode ---
                    "shards": _p(
                        "integer",
                        "Shards (node groups), 1-500. More than one turns cluster mode on. "
                        "Nodes = shards x (1 + replicas); AWS's default quota is 90 nodes "
                        "per cluster (raise it before going beyond). Changing it reshards "
                        "online.",
                        1,
                        3,
                        minimum=1,
                        maximum=500,
                    ),
                    "cluster_mode": _p(
                        "boolean",
                        "Cluster mode enabled: clients use the cluster protocol and the "
                        "configuration endpoint. Default: true when shards > 1; set true "
                        "with one shard to grow by resharding later. Turning it on for "
                        "an existing cache is AWS's two-step migration through ClusterMode "
                        "compatible, which cachec does not build yet.",
                        False,
                        True,
                    ),
                    # --- end issue 8 block ---
                    "replicas": _p(
                        "integer",
                        "Read replicas per shard (0-5). Nodes per shard = 1 + replicas.",
                        0,
                        2,
                        minimum=0,
                        maximum=5,
                    ),
                    "automatic_failover": _p(
                        "boolean",
                        "Promote a replica when the primary fails. Needs at least one "
                        "replica. Default: true when replicas >= 1. Set false for one "
                        "version while adding the first replica or removing the last "
                        "(CloudFormation cannot change both in one update; `cachec diff` "
                        "says when).",
                        False,
                        True,
                    ),
                    "multi_az": _p(
                        "boolean",
                        "Place replicas in other Availability Zones and fail over "
                        "automatically. Needs automatic_failover. Default: "
                        "automatic_failover's value.",
                        False,
                        True,
                    ),
                    "data_tiering": _p(
                        "boolean",
                        "Tier data to local SSD. Only r6gd node types support it, and "
                        "they require it. Default: true for r6gd node types, else false. "
                        "Changing it replaces the cluster.",
                        False,
                        True,
                    ),
                },
                example={"replicas": 2, "multi_az": True},
            ),
            "network": _object(
                "Where the cache lives. Each becomes a template Parameter (they differ "
                "per account); a value given here becomes the Parameter's Default.",
                {
                    "vpc_id": _p(
                        "string",
                        "VPC of the cache's security group. Parameter `VpcId`.",
                        None,
                        "vpc-0a1b2c3d4e5f67890",
                        pattern=VPC_ID_PATTERN,
                    ),
                    "subnet_ids": _id_list(
                        "Private subnets for the subnet group, ideally one per "
                        "Availability Zone. Parameter `SubnetIds`.",
                        SUBNET_ID_PATTERN,
                        "subnet-0a1b2c3d4e5f67890",
                    ),
                    "allowed_security_group_ids": _id_list(
                        "Security groups whose members may connect on the cache port. "
                        "Parameter `AllowedSecurityGroupIds`; the deployer may change the "
                        "ids, not their number. The stack also creates a client security "
                        "group (Output `ClientSecurityGroupId`) that is always allowed.",
                        SECURITY_GROUP_ID_PATTERN,
                        "sg-0a1b2c3d4e5f67890",
                    ),
                    "allowed_cidr_blocks": _p(
                        "array",
                        "IPv4 or IPv6 CIDR blocks that may connect on the cache port. "
                        "Blocks open to the internet are refused, here and (by the "
                        "Parameters' AllowedPattern) at deploy time: IPv4 wider than /8, "
                        "IPv6 wider than /16 outside fc00::/7; public IPv4 ranges draw "
                        "a warning. IPv6 blocks need `network_type` ipv6 or dual_stack, IPv4 "
                        "blocks ipv4 or dual_stack. At most 60 rules per IP version fit "
                        "EC2's default security-group quota, counting the client group "
                        "and each allowed group. Parameters `AllowedCidrBlocks` and "
                        "`AllowedIpv6CidrBlocks`.",
                        [],
                        ["10.0.0.0/16"],
                        items={"type": "string", "minLength": 1},
                        uniqueItems=True,
                    ),
                    "network_type": _p(
                        "string",
                        "IP protocols the cache accepts connections on: ipv4, ipv6 (IPv6 "
                        "only) or dual_stack. ipv6 and dual_stack need Redis OSS >= 6.2 or "
                        "Valkey >= 7.2 on a Nitro node type (not t2, m4, r4 or previous "
                        "generations), and subnets with IPv6 (dual-stack subnets for "
                        "dual_stack, IPv6-only subnets for ipv6). Changing it replaces the "
                        "cluster.",
                        "ipv4",
                        "dual_stack",
                        enum=list(network.NETWORK_TYPES),
                    ),
                    "ip_discovery": _p(
                        "string",
                        "Which address a dual_stack cache advertises in discovery "
                        "commands (CLUSTER SLOTS, CLUSTER SHARDS, CLUSTER NODES) when TLS "
                        "is off; with TLS they return host names. Default: ipv4 for "
                        "dual_stack, ipv6 for ipv6 (which allows nothing else); ipv4 caches "
                        "advertise IPv4.",
                        "ipv4",
                        "ipv4",
                        enum=list(network.IP_DISCOVERY),
                    ),
                },
            ),
            "security": _object(
                "Encryption and authentication. Every default is the secure choice.",
                {
                    "encryption_at_rest": _p(
                        "boolean",
                        "Encrypt data on disk and in backups. Changing it replaces the "
                        "cluster.",
                        True,
                        True,
                    ),
                    "kms_key_id": _p(
                        "string",
                        "Customer managed KMS key (id, ARN or alias) for encryption at "
                        "rest. Default: the AWS managed key. Changing it replaces the "
                        "cluster.",
                        None,
                        "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-"
                        "1234567890ab",
                        pattern=KMS_KEY_PATTERN,
                    ),
                    "encryption_in_transit": _p(
                        "boolean", "TLS between clients and nodes.", True, True
                    ),
                    "transit_encryption_mode": _p(
                        "string",
                        "`required` refuses plaintext clients; `preferred` accepts both "
                        "and is the first of two deploys that turn TLS on for a live "
                        "cluster. Needs TLS and Redis OSS >= 7.0 or Valkey. Default: "
                        "AWS's (required) when TLS is on.",
                        None,
                        "required",
                        enum=["preferred", "required"],
                    ),
                    "auth": _p(
                        "string",
                        "`token`: AUTH token generated into a Secrets Manager secret "
                        "(Output `AuthSecretArn`) and resolved by dynamic reference; "
                        "needs TLS. `none`: no authentication.",
                        "token",
                        "token",
                        enum=["token", "none"],
                    ),
                },
            ),
            "redis_parameters": {
                "type": "object",
                "description": "Parameter group overrides, checked against the "
                "parameters the engine's family knows (maxmemory-policy, "
                "notify-keyspace-events, timeout, tcp-keepalive, ...). YAML yes/no "
                "become the strings AWS expects.",
                "default": {},
                "examples": [{"maxmemory-policy": "allkeys-lru", "timeout": 300}],
                "propertyNames": {"pattern": r"^[a-z][a-z0-9-]*$"},
                "additionalProperties": {"type": ["string", "integer", "boolean"]},
            },
            "backups": _object(
                "Automatic snapshots and what happens on delete.",
                {
                    "retention_days": _p(
                        "integer",
                        "Days to keep automatic snapshots (0-35); 0 turns them off.",
                        7,
                        7,
                        minimum=0,
                        maximum=35,
                    ),
                    "window": _p(
                        "string",
                        "Daily snapshot window, UTC, hh:mm-hh:mm, at least 60 minutes, "
                        "not overlapping the maintenance window.",
                        "03:00-04:00",
                        "03:00-04:00",
                        pattern=SNAPSHOT_WINDOW_PATTERN,
                    ),
                    "final_snapshot": _p(
                        "boolean",
                        "Snapshot the cache when the stack deletes or replaces it "
                        "(DeletionPolicy and UpdateReplacePolicy Snapshot).",
                        True,
                        True,
                    ),
                    "restore_from": {
                        "description": "Seed the new cache from a snapshot name or a list of "
                        "S3 .rdb object ARNs. Acts only at creation: changing it later "
                        "replaces the cluster.",
                        "examples": ["orders-2026-11-01"],
                        "oneOf": [
                            {"type": "string", "pattern": SNAPSHOT_NAME_PATTERN},
                            {
                                "type": "array",
                                "minItems": 1,
                                "uniqueItems": True,
                                "items": {"type": "string", "pattern": S3_RDB_ARN_PATTERN},
                            },
                        ],
                    },
                },
            ),
            "maintenance_window": _p(
                "string",
                "Weekly maintenance window, UTC, ddd:hh:mm-ddd:hh:mm, 60 minutes to 24 "
                "hours.",
                "sun:05:00-sun:06:00",
                "sun:05:00-sun:06:00",
                pattern=MAINTENANCE_WINDOW_PATTERN,
            ),
            "tags": {
                "type": "object",
                "description": "Tags added to every taggable resource (at most 40; cachec "
                "adds `cachec:name` and `cachec:environment`, and `Name` on security groups "
                "unless given here).",
                "default": {},
                "examples": [{"Project": "orders", "Owner": "payments"}],
                "maxProperties": 40,
                "propertyNames": {"pattern": TAG_KEY_PATTERN},
                "additionalProperties": {"type": "string", "pattern": TAG_VALUE_PATTERN},
            },
            "logs": _object(
                "Engine log delivery to CloudWatch Logs log groups created in the same "
                "template (`/aws/vendedlogs/elasticache/<stack>/<type>`, the prefix AWS "
                "advises for vended logs; deleted with the stack).",
                {
                    "slow_log": _p(
                        "boolean", "Deliver the slow log (Redis OSS >= 6.0, Valkey).", True,
                        True,
                    ),
                    "engine_log": _p(
                        "boolean", "Deliver the engine log (Redis OSS >= 6.2, Valkey).",
                        False, True,
                    ),
                    "retention_days": _p(
                        "integer",
                        "Days CloudWatch Logs keeps the log events (one of the values "
                        "CloudWatch Logs accepts).",
                        30,
                        30,
                        enum=list(LOG_RETENTION_DAYS),
                    ),
                    "format": _p(
                        "string",
                        "Format of the delivered log lines: json or text.",
                        "json",
                        "json",
                        enum=["json", "text"],
                    ),
                    "kms_key_id": _p(
                        "string",
                        "KMS key ARN to encrypt the log groups. Its key policy must allow "
                        "the logs.<region>.amazonaws.com service. Default: CloudWatch Logs' "
                        "own encryption.",
                        None,
                        "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-"
                        "1234567890ab",
                        pattern=KMS_KEY_ARN_PATTERN,
                    ),
                },
            ),
            "monitoring": _object(
                "CloudWatch alarms on every member node, their notifications, and a "
                "dashboard.",
                {
                    "enabled": _p(
                        "boolean", "Create alarms (and the dashboard, if asked for).", True,
                        True,
                    ),
                    "alarm_topic_arn": _p(
                        "string",
                        "SNS topic for alarm, OK and insufficient-data notifications. "
                        "CloudWatch only notifies topics in the alarm's own region, so the "
                        "template takes the topic's name and account from this ARN "
                        "(Defaults of Parameters `AlarmTopicName` and `AlarmTopicAccount`) "
                        "and builds the ARN in the partition and region it is deployed "
                        "to: a topic of this name must exist there (in every StackSet "
                        "region). Another account's topic needs a topic policy that lets "
                        "cloudwatch.amazonaws.com publish. Unset: no notifications until "
                        "`AlarmTopicName` is set at deploy time.",
                        None,
                        "arn:aws:sns:us-east-1:111122223333:ops-alerts",
                        pattern=SNS_TOPIC_ARN_PATTERN,
                    ),
                    "create_topic": {
                        "description": "Create an SNS topic in the stack for the alarms "
                        "(instead of `alarm_topic_arn`), optionally with an e-mail "
                        "subscription. `true` creates one without subscription.",
                        "default": False,
                        "examples": [{"email": "ops@example.com"}],
                        "oneOf": [
                            {"type": "boolean"},
                            {
                                "type": "object",
                                "additionalProperties": False,
                                "properties": {
                                    "email": {
                                        "type": "string",
                                        "description": "Address to subscribe (it must "
                                        "confirm the subscription).",
                                        "pattern": EMAIL_PATTERN,
                                        "examples": ["ops@example.com"],
                                    }
                                },
                            },
                        ],
                    },
                    "alarms": _object(
                        "Thresholds. Every metric is watched on every member node, for "
                        "5 minutes (five 1-minute periods).",
                        {
                            "cpu": _alarm(
                                alarms.BY_KEY["cpu"],
                                "The threshold is the engine thread's saturation (the "
                                "seed's \"CPU 80 %\"). The engine is single-threaded, so on "
                                "nodes with 2 vCPUs or fewer the alarm compares host "
                                "CPUUtilization with threshold / vCPUs (80 on a 2-vCPU "
                                "node: 40 %; on a 1-vCPU node: 80 %), as AWS advises. On "
                                "nodes with 4 vCPUs or more host CPU does not show the "
                                "engine (other cores run I/O threads): there `cpu` watches "
                                "whole-host CPUUtilization, unscaled, and `engine_cpu` the "
                                "engine. Default: on (80) for nodes with 2 vCPUs or fewer, "
                                "off for larger nodes.",
                            ),
                            "engine_cpu": _alarm(
                                alarms.BY_KEY["engine_cpu"],
                                "The engine thread's own share of its core: no vCPU "
                                "scaling. Default: on (90) for nodes with 4 vCPUs or more.",
                            ),
                            "memory": _alarm(
                                alarms.BY_KEY["memory"],
                                "Below 100. On data-tiered (r6gd) caches the alarm watches "
                                "DatabaseCapacityUsagePercentage (memory plus SSD) "
                                "instead: DRAM is full by design there.",
                            ),
                            "connections": _alarm(
                                alarms.BY_KEY["connections"],
                                "Below the 65,000 per-node cap.",
                            ),
                            "evictions": _alarm(
                                alarms.BY_KEY["evictions"],
                                "Evicted keys per minute; off unless set (evictions are "
                                "expected under an LRU/LFU policy; `true` means 1000).",
                                default=False,
                            ),
                            "replication_lag": _alarm(
                                alarms.BY_KEY["replication_lag"],
                                "Seconds; only with replicas (default: on with replicas).",
                            ),
                        },
                    ),
                    "dashboard": _p(
                        "boolean",
                        "Add an AWS::CloudWatch::Dashboard with every alarm metric and "
                        "hit/miss, network and replication graphs for every node.",
                        False,
                        True,
                    ),
                },
                example={
                    "alarm_topic_arn": "arn:aws:sns:us-east-1:111122223333:ops-alerts",
                    "alarms": {"cpu": 80, "memory": 85, "connections": 1000},
                    "dashboard": True,
                },
            ),
            "stack": _object(
                "How the template is deployed.",
                {
                    "exports": _p(
                        "boolean",
                        "Export the Outputs other stacks reference (endpoints, port, "
                        "connection string, ids, ARNs, security groups, secret, topic) as "
                        "`${AWS::StackName}-<OutputName>`. Outputs that change on in-place "
                        "updates are not exported, because CloudFormation refuses to change an "
                        "export another stack imports: ParameterGroupName (a new group on "
                        "every major-version upgrade), Summary, AlarmNames, AlarmArns, "
                        "LogGroupNames.",
                        False,
                        True,
                    ),
                },
            ),
        },
    }


def schema_json() -> str:
    """The schema as `cachec schema` prints it and schemas/ commits it."""
    return json.dumps(build_schema(), indent=2, ensure_ascii=False) + "\n"
