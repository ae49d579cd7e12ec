"""Every diagnostic kind cachec can emit, with its metadata, in one registry.

A kind is a stable id users grep for and tests assert. Each one declares its
severity, the stage that reports it, a one-line summary, why it matters (to
AWS or to the user), what to do, and the AWS page (or a peer tool's issue)
that says so; cfn-lint's rule classes (id, description, source URL) are the
model. Code refers to kinds as the typed constants below, never as strings:
`error()` takes an `ErrorKind`, `warning()` a `WarningKind`, so a kind that
is not registered, or a warning reported as an error, fails mypy.
`docs/rules.md` is generated from `KINDS` (`cachec schema --format rules`).

Message text stays at the call site: it carries the values.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar, Generic, TypeVar


class Severity(enum.Enum):
    ERROR = "error"
    WARNING = "warning"


class Stage(enum.Enum):
    """Where in the pipeline a kind is reported (the order of docs/rules.md)."""

    LOAD = "load"
    SCHEMA = "schema"
    RULES = "rules"
    BUILD = "build"
    LINT = "lint"
    UPDATE = "update"


STAGE_TITLES = {
    Stage.LOAD: "Reading the spec file (YAML)",
    Stage.SCHEMA: "Checking the spec against its JSON Schema",
    Stage.RULES: "Semantic rules (what AWS would refuse or what hurts in production)",
    Stage.BUILD: "Building and publishing templates",
    Stage.LINT: "cfn-lint on the generated template",
    Stage.UPDATE: "Update paths (`cachec diff`, `cachec build` against the last version)",
}


@dataclass(frozen=True)
class Kind:
    """One diagnostic kind. `source` may be empty where the rule is cachec's
    own (file handling, the schema's shape); the rationale then says why."""

    severity: ClassVar[Severity]
    id: str
    stage: Stage
    summary: str
    rationale: str
    fix: str
    source: str = ""


@dataclass(frozen=True)
class ErrorKind(Kind):
    severity: ClassVar[Severity] = Severity.ERROR


@dataclass(frozen=True)
class WarningKind(Kind):
    severity: ClassVar[Severity] = Severity.WARNING


_EC = "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/"
_CFN_RG = (
    "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/"
    "aws-resource-elasticache-replicationgroup.html"
)
_MODIFY_RG = (
    "https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/"
    "API_ModifyReplicationGroup.html"
)
_MODIFY_RG_SHARDS = (
    "https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/"
    "API_ModifyReplicationGroupShardConfiguration.html"
)
_ROADMAP = "https://github.com/aws-cloudformation/cloudformation-coverage-roadmap/issues/"
_TF_25077 = "https://github.com/hashicorp/terraform/issues/25077"
_YAML = "https://yaml.org/spec/1.2.2/"
_SCHEMA_WHY = (
    "The spec format is a JSON Schema (schemas/cachec-spec-v1.schema.json); a value it "
    "does not allow would otherwise reach CloudFormation, which fails the deploy late or, "
    "worse, accepts a setting the author did not mean."
)
_ALARM_METRICS = _EC + "CacheMetrics.WhichShouldIMonitor.html"
_SERVERLESS = _EC + "WhatIs.corecomponents.html"
_CFN_SLS = (
    "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/"
    "aws-resource-elasticache-serverlesscache.html"
)

# --- load: the file and its YAML --------------------------------------------

FILE_NOT_FOUND = ErrorKind(
    "file-not-found", Stage.LOAD, "The spec file does not exist.",
    "Nothing can be built without the spec.", "Check the path.",
)
FILE_UNREADABLE = ErrorKind(
    "file-unreadable", Stage.LOAD, "The spec file cannot be read (permissions, a directory).",
    "The operating system refused to open the file.", "Fix the path or its permissions.",
)
NOT_A_REGULAR_FILE = ErrorKind(
    "not-a-regular-file", Stage.LOAD, "The spec path is a FIFO, device or socket.",
    "Reading one could block forever or never end; a spec is a file in a repository.",
    "Pass a regular file.",
)
FILE_TOO_LARGE = ErrorKind(
    "file-too-large", Stage.LOAD, "The spec file is larger than any spec needs.",
    "A size cap keeps a wrong path (a log, a dump) from being parsed at length.",
    "Pass the spec file; a spec is a few kilobytes.",
)
INVALID_UTF8 = ErrorKind(
    "invalid-utf8", Stage.LOAD, "The spec file is not UTF-8 text.",
    "YAML and CloudFormation templates are UTF-8; other encodings garble names and tags.",
    "Save the file as UTF-8.", _YAML + "#52-character-encodings",
)
EMPTY_SPEC = ErrorKind(
    "empty-spec", Stage.LOAD, "The spec file holds no document.",
    "An empty spec is almost always a wrong path or a truncated file.", "Write the spec.",
)
ROOT_NOT_MAPPING = ErrorKind(
    "root-not-mapping", Stage.LOAD, "The document is not a mapping of keys.",
    "Every spec key lives under the top-level mapping.",
    "Start the file with `name:`, `environment:` and the other keys.",
)
SEVERAL_DOCUMENTS = ErrorKind(
    "several-documents", Stage.LOAD, "The file holds more than one YAML document (`---`).",
    "One spec describes one cache; silently taking the first document would drop the rest.",
    "Put each cache in its own spec file.", _YAML + "#92-streams",
)
YAML_SYNTAX = ErrorKind(
    "yaml-syntax", Stage.LOAD, "The text is not valid YAML.",
    "Nothing can be checked until the file parses; the message points at the likely cause.",
    "Fix the YAML at the reported line and column.", _YAML,
)
YAML_TAB = ErrorKind(
    "yaml-tab", Stage.LOAD, "A tab is used for indentation.",
    "YAML forbids tabs in indentation, and editors show them at differing widths.",
    "Indent with spaces.", _YAML + "#61-indentation-spaces",
)
YAML_TAG = ErrorKind(
    "yaml-tag", Stage.LOAD, "A YAML tag such as `!Ref` or `!!python/object` is used.",
    "A spec is plain data: CloudFormation intrinsics belong in the template cachec writes, "
    "and application tags are a known attack surface of YAML loaders.",
    "Write the plain value.", _YAML + "#24-tags",
)
YAML_MERGE_KEY = ErrorKind(
    "yaml-merge-key", Stage.LOAD, "A YAML merge key (`<<`) is used.",
    "Merge keys are not part of YAML 1.2 and hide which value a key really has.",
    "Write the keys out.", "https://yaml.org/type/merge.html",
)
DUPLICATE_KEY = ErrorKind(
    "duplicate-key", Stage.LOAD, "A key appears twice in one mapping.",
    "YAML requires unique keys; most loaders silently keep the last value, so half the "
    "spec would be ignored.",
    "Keep one of the two.", _YAML + "#3211-nodes",
)
INVALID_KEY = ErrorKind(
    "invalid-key", Stage.LOAD, "A key is not text, or not a name the spec allows there.",
    "Keys become CloudFormation names, tags and parameter names, which are strings with "
    "their own character rules.",
    "Write the key as plain text in the form the message names.",
)
NON_FINITE_NUMBER = ErrorKind(
    "non-finite-number", Stage.LOAD, "A number is NaN or infinite.",
    "NaN and infinity are not JSON, so no template can carry them, and no threshold or size "
    "means them.",
    "Write an ordinary number.",
)
NUMBER_TOO_LONG = ErrorKind(
    "number-too-long", Stage.LOAD,
    "A number is written with more digits than any spec value needs.",
    "Converting huge digit strings is slow (Python limits int conversion for this reason) "
    "and no ElastiCache setting needs them.",
    "Write the intended number.",
    "https://docs.python.org/3/library/stdtypes.html#integer-string-conversion-length-limitation",
)
INVALID_SCALAR = ErrorKind(
    "invalid-scalar", Stage.LOAD, "A value does not match its explicit tag (`!!int abc`).",
    "The tag demands a type the text cannot be read as.", "Remove the tag or fix the value.",
    _YAML + "#103-core-schema",
)
CONTROL_CHARACTER = ErrorKind(
    "control-character", Stage.LOAD,
    "A key or value holds a control character, a line break or an invisible character "
    "(any Unicode format character, a filler such as U+3164, a variation selector).",
    "Published into a template it breaks names and descriptions, or makes two names that "
    "look identical (`Team` and `Team` + U+3164); printed in a diagnostic it could drive the "
    "user's terminal.",
    "Write single-line text of visible characters; for a block scalar, put the value on the "
    "key's line.",
    "https://www.unicode.org/reports/tr44/#Default_Ignorable_Code_Point",
)
INVALID_CHARACTER = ErrorKind(
    "invalid-character", Stage.LOAD, "The file holds a character YAML does not allow.",
    "YAML restricts the printable character set; a stray byte usually means a copy-paste "
    "accident.",
    "Delete the character at the reported position.", _YAML + "#51-character-set",
)
TOO_DEEP = ErrorKind(
    "too-deep", Stage.LOAD, "The document is nested deeper than any spec.",
    "Deep nesting is a sign of a wrong file and would exhaust the parser's recursion.",
    "Pass the spec file.",
)
TOO_MANY_NODES = ErrorKind(
    "too-many-nodes", Stage.LOAD, "The document expands to more values than any spec holds.",
    "Aliases can expand a small file into billions of values (the 'billion laughs' attack).",
    "Write the values out without aliases.",
)

# --- schema --------------------------------------------------------------------

UNKNOWN_KEY = ErrorKind(
    "unknown-key", Stage.SCHEMA, "A key the spec format does not have (did-you-mean included).",
    "A misspelt key would otherwise be ignored and its default used silently.",
    "Use the suggested key, or see docs/spec-reference.md.",
)
MISSING_KEY = ErrorKind(
    "missing-key", Stage.SCHEMA, "A required key is missing.", _SCHEMA_WHY,
    "Add the key where the message points.",
)
UNSUPPORTED_FORMAT = ErrorKind(
    "unsupported-format", Stage.SCHEMA, "The spec's `cachec:` format version is not 1.",
    "A spec written for another format version means other keys and defaults; reading it as "
    "version 1 would build something else.",
    "Write `cachec: 1`, or use the cachec release that reads that version.",
)
INVALID_TYPE = ErrorKind(
    "invalid-type", Stage.SCHEMA, "A value has the wrong type (text for a number, ...).",
    _SCHEMA_WHY, "Write a value of the type named in the message.",
)
INVALID_VALUE = ErrorKind(
    "invalid-value", Stage.SCHEMA, "A value is not one of the allowed choices.", _SCHEMA_WHY,
    "Use one of the values listed in the message.",
)
INVALID_FORMAT = ErrorKind(
    "invalid-format", Stage.SCHEMA,
    "A text value does not have the required form (ARN, id, window).",
    "AWS validates these forms at deploy time, minutes later and far from the spec line.",
    "Write the value in the form shown in the message.",
)
OUT_OF_RANGE = ErrorKind(
    "out-of-range", Stage.SCHEMA, "A number is below the minimum or above the maximum.",
    "The limits are AWS's (replicas per group, retention days, ports) or keep alarms "
    "meaningful.",
    "Use a number within the range in the message.", _CFN_RG,
)
DUPLICATE_ITEM = ErrorKind(
    "duplicate-item", Stage.SCHEMA, "A list holds the same item twice.",
    "Duplicate subnets, groups or CIDR blocks are refused by AWS or create duplicate rules.",
    "Remove the repeated item.",
)
TOO_FEW_ITEMS = ErrorKind(
    "too-few-items", Stage.SCHEMA, "A list is shorter than required.", _SCHEMA_WHY,
    "Add items up to the minimum in the message.",
)
TOO_MANY_ITEMS = ErrorKind(
    "too-many-items", Stage.SCHEMA, "A list is longer than allowed.", _SCHEMA_WHY,
    "Remove items down to the maximum in the message.",
)
TOO_LONG = ErrorKind(
    "too-long", Stage.SCHEMA, "A text value is longer than allowed.",
    "Names become AWS resource ids with length limits (a replication group id is at most "
    "40 characters).",
    "Shorten the value.", _CFN_RG,
)
TOO_SHORT = ErrorKind(
    "too-short", Stage.SCHEMA, "A text value is shorter than allowed (usually: empty).",
    "An empty CIDR block, id or name has no meaning for AWS and fails at deploy time.",
    "Write the value, or remove the list entry.",
)
DYNAMIC_REFERENCE = ErrorKind(
    "dynamic-reference", Stage.SCHEMA,
    "A value holds a CloudFormation dynamic reference ({{resolve:...}}).",
    "CloudFormation would resolve it at deploy time and show the secret or parameter in the "
    "stack.",
    "Write the text itself.",
    "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/dynamic-references.html",
)
SCHEMA = ErrorKind(
    "schema", Stage.SCHEMA, "A schema keyword without a dedicated message (a safety net).",
    "Unreachable by design: test_schema checks that every keyword the schema uses has a "
    "translator. If it appears, the message is jsonschema's own.",
    "Fix the value; please also report the message as a cachec bug.",
)

# --- semantic rules -----------------------------------------------------------

ENGINE_VERSION_UNSUPPORTED = ErrorKind(
    "engine-version-unsupported", Stage.RULES,
    "An engine version AWS offers but cachec does not build.",
    "Old Redis OSS versions have no log delivery, RBAC or TLS mode, and are in AWS's paid "
    "extended support.",
    "Choose one of the versions listed in the message.", _EC + "extended-support.html",
)
ENGINE_VERSION_MISMATCH = ErrorKind(
    "engine-version-mismatch", Stage.RULES, "The engine has no such version.",
    "CloudFormation would fail the create with InvalidParameterCombination.",
    "Choose one of the engine's versions listed in the message.",
    _EC + "ParameterGroups.Engine.html",
)
TRANSIT_MODE_NEEDS_TLS = ErrorKind(
    "transit-mode-needs-tls", Stage.RULES,
    "transit_encryption_mode is set without encryption_in_transit.",
    "The mode only means something with TLS on; AWS rejects the combination.",
    "Set encryption_in_transit: true or remove transit_encryption_mode.",
    _EC + "in-transit-encryption-enable-existing.html",
)
TRANSIT_MODE_UNSUPPORTED = ErrorKind(
    "transit-mode-unsupported", Stage.RULES,
    "The engine version cannot set transit_encryption_mode.",
    "TransitEncryptionMode exists only on Redis OSS 7.0 and later, and Valkey.",
    "Raise engine_version or remove the key.",
    _EC + "in-transit-encryption-enable-existing.html",
)
UNKNOWN_NODE_TYPE = ErrorKind(
    "unknown-node-type", Stage.RULES, "The node type is not an ElastiCache node type.",
    "CloudFormation would fail the create late; the message suggests the nearest type.",
    "Use a type from the current families listed in the message.",
    _EC + "CacheNodes.SupportedTypes.html",
)
PREVIOUS_GENERATION_NODE = ErrorKind(
    "previous-generation-node", Stage.RULES, "The node type is of a previous generation.",
    "AWS no longer creates caches on previous-generation types, and cfn-lint does not check "
    "replication-group node types, so the deploy would be the first to say so.",
    "Choose a current type (e.g. cache.t4g.small, cache.r7g.large); an existing cache "
    "moves in place.",
    "https://aws.amazon.com/elasticache/previous-generation/",
)
DATA_TIERING_REQUIRED = ErrorKind(
    "data-tiering-required", Stage.RULES, "An r6gd node type without data_tiering: true.",
    "AWS creates r6gd caches only with data tiering enabled.",
    "Set topology.data_tiering: true, or choose another node type.",
    _EC + "data-tiering.html",
)
DATA_TIERING_NODE_TYPE = ErrorKind(
    "data-tiering-node-type", Stage.RULES, "data_tiering: true on a node type without SSDs.",
    "Data tiering needs the local SSD of an r6gd node.",
    "Choose an r6gd node type or remove data_tiering.", _EC + "data-tiering.html",
)
DATA_TIERING_EVICTION_POLICY = ErrorKind(
    "data-tiering-eviction-policy", Stage.RULES,
    "A maxmemory-policy data tiering does not support.",
    "Data tiering supports only the volatile-lru, allkeys-lru and noeviction policies "
    "(catalog/parameters.py).",
    "Choose one of the policies listed in the message.", _EC + "data-tiering.html",
)
DATA_TIERING_ENGINE = ErrorKind(
    "data-tiering-engine", Stage.RULES, "Data tiering on Redis OSS 6.0.",
    "Data tiering needs Redis OSS 6.2 or later, or Valkey.",
    "Raise engine_version.", _EC + "data-tiering.html",
)
BURSTABLE_IN_PRODUCTION = WarningKind(
    "burstable-in-production", Stage.RULES, "A burstable (t-class) node in production.",
    "Once its CPU credits run out a burstable node is throttled, under load, when it hurts.",
    "Use an m- or r-class node in production.", _EC + "CacheNodes.SupportedTypes.html",
)
MULTI_AZ_NEEDS_REPLICAS = ErrorKind(
    "multi-az-needs-replicas", Stage.RULES, "multi_az: true without a replica.",
    "Multi-AZ means automatic failover, which needs a replica to fail over to; AWS refuses "
    "the group.",
    "Set topology.replicas to 1 or more, or multi_az: false.", _EC + "AutoFailover.html",
)
FAILOVER_NEEDS_REPLICAS = ErrorKind(
    "failover-needs-replicas", Stage.RULES, "automatic_failover: true without a replica.",
    "ElastiCache: automatic failover needs at least 2 cache clusters in the group.",
    "Set topology.replicas to 1 or more, or automatic_failover: false.", _TF_25077,
)
MULTI_AZ_NEEDS_FAILOVER = ErrorKind(
    "multi-az-needs-failover", Stage.RULES, "multi_az: true with automatic_failover: false.",
    "ElastiCache requires automatic failover for Multi-AZ.",
    "Turn failover on, or set multi_az: false.", _EC + "AutoFailover.html",
)
MULTI_AZ_NEEDS_TWO_SUBNETS = ErrorKind(
    "multi-az-needs-two-subnets", Stage.RULES, "multi_az: true with one subnet.",
    "Multi-AZ places nodes in different Availability Zones, so the subnet group needs "
    "subnets in at least two.",
    "List subnets in two or more Availability Zones.", _EC + "AutoFailover.html",
)
PRODUCTION_WITHOUT_REPLICAS = WarningKind(
    "production-without-replicas", Stage.RULES, "A production cache without replicas.",
    "When its only node fails the cache loses its data and is down until the node is "
    "replaced.",
    "Set topology.replicas: 1 or more.", _EC + "AutoFailover.html",
)
AUTH_NEEDS_TLS = ErrorKind(
    "auth-needs-tls", Stage.RULES, "auth: token, iam or rbac with encryption_in_transit: false.",
    "AWS accepts an AUTH token or a user group only with in-transit encryption (\"User group "
    "based access control requires encryption-in-transit to be enabled on the replication "
    "group\", hashicorp/terraform-provider-aws#42966); without it tokens and passwords would "
    "travel in plain text.",
    "Turn TLS on, or set auth: none.", _EC + "auth.html",
)
IAM_AUTH_ENGINE_VERSION = ErrorKind(
    "iam-auth-engine-version", Stage.RULES,
    "IAM authentication on Redis OSS older than 7.0.",
    "ElastiCache accepts IAM authentication tokens from Redis OSS 7.0 and on every Valkey "
    "version.",
    "Use engine_version 7.0 or later, or Valkey; or authenticate with passwords "
    "(password: generated).", _EC + "auth-iam.html",
)
RBAC_NEEDS_USERS = ErrorKind(
    "rbac-needs-users", Stage.RULES, "auth: rbac without security.users.",
    "The user group would hold only the disabled default user: no client could connect.",
    "List the users under security.users, or use auth: iam for one IAM user.",
    _EC + "Clusters.RBAC.html",
)
USERS_WITHOUT_RBAC = ErrorKind(
    "users-without-rbac", Stage.RULES, "security.users with auth other than rbac.",
    "Users are members of an RBAC user group, which exists only with auth: rbac; an AUTH token "
    "and user groups are mutually exclusive on a replication group.",
    "Set auth: rbac, or remove security.users.", _CFN_RG,
)
_RBAC = _EC + "Clusters.RBAC.html"
USER_GROUP_ENGINE_WITHOUT_USER_GROUP = ErrorKind(
    "user-group-engine-without-user-group", Stage.RULES,
    "security.user_group_engine without a user group.",
    "Only auth: iam and auth: rbac create a user group; the key would be ignored.",
    "Remove user_group_engine, or set auth: iam or rbac.", _RBAC,
)
VALKEY_USER_GROUP_ON_REDIS = ErrorKind(
    "valkey-user-group-on-redis", Stage.RULES,
    "A valkey user group on a Redis OSS cache.",
    "A Redis OSS cache accepts only user groups of engine redis; a Valkey cache accepts both.",
    "Remove user_group_engine (it follows the engine), or set it to redis.", _RBAC,
)
ENGINE_SWITCH_WITH_USER_GROUP = ErrorKind(
    "engine-switch-with-user-group", Stage.UPDATE,
    "Redis OSS -> Valkey and the user group's engine in the same version.",
    "CloudFormation updates the user group and its users before the cache, and a Redis OSS "
    "cache accepts only redis user groups, so the update fails.",
    "Publish engine: valkey with security.user_group_engine: redis first, deploy it, then "
    "remove user_group_engine.", _RBAC,
)
DUPLICATE_USER = ErrorKind(
    "duplicate-user", Stage.RULES,
    "Two users with the same name, or with names that become the same template name.",
    "User ids are unique per account and Region, a user group lists each user once, and "
    "each user's logical ids (UserApp1, UserApp1Secret, ...) must be unique in the "
    "template: app-1 and app1 collide, and so does a user named group with UserGroup.",
    "Give every user its own name.", _EC + "Clusters.RBAC.html",
)
RESERVED_USER_NAME = ErrorKind(
    "reserved-user-name", Stage.RULES, "A user named default.",
    "Every user group must contain a user named default; cachec creates it, switched off, "
    "so that a client without credentials gets nothing.",
    "Choose another name; grant access through a named user.", _EC + "Clusters.RBAC.html",
)
INVALID_ACCESS_STRING = ErrorKind(
    "invalid-access-string", Stage.RULES,
    "An access string ElastiCache refuses or that leaves the user off.",
    "ElastiCache manages passwords itself, so an access string cannot set one (`>`, `<`, `#`, "
    "`nopass`, `resetpass`) or use `reset`; without `on` the user is created off and cannot "
    "connect.",
    "Start the access string with on and leave passwords to password: generated or iam.",
    _EC + "Clusters.RBAC.html",
)
TRANSIT_PREFERRED_WITH_AUTH = ErrorKind(
    "transit-preferred-with-auth", Stage.RULES,
    "transit_encryption_mode: preferred together with auth.",
    "AWS refuses the combination: \"Transit encryption preferred is not supported with redis "
    "access control\" (cloudposse/terraform-aws-elasticache-redis#239).",
    "Use required (the default) with the token; migrate a live cache to TLS with auth: none "
    "(preferred, then required).",
    _EC + "in-transit-encryption-enable-existing.html",
)
KMS_KEY_NEEDS_ENCRYPTION = ErrorKind(
    "kms-key-needs-encryption", Stage.RULES, "kms_key_id without encryption_at_rest.",
    "The key is used only to encrypt data at rest; without it the setting does nothing.",
    "Set encryption_at_rest: true or remove kms_key_id.", _EC + "at-rest-encryption.html",
)
KMS_ALIAS = WarningKind(
    "kms-alias", Stage.RULES, "kms_key_id names a KMS alias.",
    "The alias is resolved to its key once, at creation, and KmsKeyId cannot change without "
    "replacing the cluster, so re-pointing the alias later changes nothing.",
    "Use the key ARN.", _CFN_RG,
)
ENCRYPTION_AT_REST_OFF = WarningKind(
    "encryption-at-rest-off", Stage.RULES, "Encryption at rest is turned off.",
    "Data and backups are stored unencrypted; turning it on later replaces the cluster.",
    "Remove encryption_at_rest: false.", _EC + "at-rest-encryption.html",
)
ENCRYPTION_IN_TRANSIT_OFF = WarningKind(
    "encryption-in-transit-off", Stage.RULES, "Encryption in transit is turned off.",
    "Clients talk to the cache in plain text.",
    "Remove encryption_in_transit: false.", _EC + "in-transit-encryption.html",
)
AUTH_OFF = WarningKind(
    "auth-off", Stage.RULES, "auth: none.",
    "Any client that reaches the port can read, write and FLUSHALL.",
    "Use auth: token.", _EC + "auth.html",
)
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
IPV6_CIDR_ON_IPV4_CACHE = ErrorKind(
    "ipv6-cidr-on-ipv4-cache", Stage.RULES, "An IPv6 block allowed into an IPv4-only cache.",
    "The cache has only IPv4 addresses, so no client in that block can connect.",
    "Set network.network_type: dual_stack (a new cluster) or list IPv4 blocks.",
    _EC + "network-type.html",
)
IPV4_CIDR_ON_IPV6_CACHE = ErrorKind(
    "ipv4-cidr-on-ipv6-cache", Stage.RULES, "An IPv4 block allowed into an IPv6-only cache.",
    "The cache has only IPv6 addresses, so no client in that block can connect.",
    "Set network_type: dual_stack or list IPv6 blocks.", _EC + "network-type.html",
)
NETWORK_TYPE_ENGINE_VERSION = ErrorKind(
    "network-type-engine-version", Stage.RULES,
    "IPv6 or dual stack on an engine version without it.",
    "IPv6 networking needs Redis OSS 6.2 or later, or Valkey.",
    "Raise engine_version or use network_type ipv4.", _EC + "network-type.html",
)
NETWORK_TYPE_NODE_TYPE = ErrorKind(
    "network-type-node-type", Stage.RULES, "IPv6 or dual stack on a node type not built on Nitro.",
    "AWS offers IPv6 networking only on Nitro-based node types.",
    "Choose a Nitro family such as t4g, m7g or r7g, or use network_type ipv4.",
    _EC + "network-type.html",
)
IP_DISCOVERY_MISMATCH = ErrorKind(
    "ip-discovery-mismatch", Stage.RULES,
    "ip_discovery names an address family the cache does not have.",
    "A single-stack cache can only advertise addresses of its own family.",
    "Remove ip_discovery or set network_type: dual_stack.", _EC + "network-type.html",
)
SECURITY_GROUP_RULE_QUOTA = WarningKind(
    "security-group-rule-quota", Stage.RULES,
    "More inbound rules than a security group allows by default.",
    "EC2 allows 60 inbound rules per address family per group by default; past it the "
    "deploy fails unless the account's quota was raised.",
    "Merge CIDR blocks or allowed groups, or raise the quota (L-0EA8095F).",
    "https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html",
)
SNAPSHOT_WINDOW_TOO_SHORT = ErrorKind(
    "snapshot-window-too-short", Stage.RULES, "The snapshot window is shorter than 60 minutes.",
    "ElastiCache needs a snapshot window of at least 60 minutes.",
    "Widen backups.window to an hour or more.", _EC + "backups-automatic.html",
)
MAINTENANCE_WINDOW_LENGTH = ErrorKind(
    "maintenance-window-length", Stage.RULES,
    "The maintenance window is not 60 minutes to 24 hours.",
    "ElastiCache accepts maintenance windows of 60 minutes to 24 hours.",
    "Adjust maintenance_window.", _MODIFY_RG,
)
WINDOWS_OVERLAP = ErrorKind(
    "windows-overlap", Stage.RULES, "The snapshot window overlaps the maintenance window.",
    "ElastiCache rejects overlapping windows.", "Move one of the windows.",
    _EC + "backups-automatic.html",
)
SNAPSHOT_WINDOW_UNUSED = WarningKind(
    "snapshot-window-unused", Stage.RULES, "A snapshot window with automatic snapshots off.",
    "With retention_days: 0 the window has no effect, which is rarely what its author meant.",
    "Set retention_days or remove the window.", _EC + "backups-automatic.html",
)
INVALID_REDIS_PARAMETER = ErrorKind(
    "invalid-redis-parameter", Stage.RULES,
    "An unknown engine parameter, or a value it does not accept.",
    "CloudFormation would fail the parameter group at deploy time.",
    "Use a parameter and value of the engine's family, as the message says.",
    _EC + "ParameterGroups.Engine.html",
)
LOG_TYPE_UNSUPPORTED = ErrorKind(
    "log-type-unsupported", Stage.RULES, "A log the engine version cannot deliver.",
    "Slow logs need Redis OSS 6.0 or later and engine logs 6.2 or later (or Valkey).",
    "Raise engine_version or turn the log off.", _EC + "Log_Delivery.html",
)
LOG_SETTINGS_UNUSED = WarningKind(
    "log-settings-unused", Stage.RULES, "Log settings with both logs off.",
    "They have no effect, which is rarely what their author meant.",
    "Turn a log on or remove the settings.", _EC + "Log_Delivery.html",
)
UNREACHABLE_THRESHOLD = ErrorKind(
    "unreachable-threshold", Stage.RULES, "An alarm threshold the metric can never cross.",
    "The alarm would never fire (a percentage above 100, say).",
    "Use a threshold in the range the message gives.", _ALARM_METRICS,
)
ALWAYS_FIRING_THRESHOLD = ErrorKind(
    "always-firing-threshold", Stage.RULES, "An alarm threshold every reading crosses.",
    "The alarm would always fire, and an alarm that always fires is ignored.",
    "Use a threshold in the range the message gives.", _ALARM_METRICS,
)
ENGINE_CPU_UNWATCHED = WarningKind(
    "engine-cpu-unwatched", Stage.RULES, "Host CPU is watched but engine CPU is not, on 4+ vCPUs.",
    "On larger nodes host CPUUtilization stays low while the single engine thread "
    "saturates; AWS recommends EngineCPUUtilization from 4 vCPUs.",
    "Turn the engine_cpu alarm back on.", _EC + "CacheMetrics.WhichShouldIMonitor.html",
)
REPLICATION_LAG_NEEDS_REPLICAS = ErrorKind(
    "replication-lag-needs-replicas", Stage.RULES,
    "A replication-lag alarm on a cache without replicas.",
    "ReplicationLag is published only by replicas, so the alarm would sit in "
    "INSUFFICIENT_DATA.",
    "Remove the threshold or add replicas.", _EC + "CacheMetrics.Redis.html",
)
MONITORING_DISABLED = ErrorKind(
    "monitoring-disabled", Stage.RULES, "Monitoring settings with monitoring.enabled: false.",
    "They would be ignored silently.", "Remove them or enable monitoring.",
)
TOPIC_CONFLICT = ErrorKind(
    "topic-conflict", Stage.RULES, "Both alarm_topic_arn and create_topic.",
    "Alarms notify one topic; cachec cannot tell which one was meant.",
    "Give either an existing topic or create_topic.",
)
EVICTIONS_NEVER_HAPPEN = WarningKind(
    "evictions-never-happen", Stage.RULES, "An evictions alarm under maxmemory-policy noeviction.",
    "Evictions stays 0 under noeviction (writes fail with OOM instead); the alarm can never "
    "fire.",
    "Rely on the memory alarm, or change the policy.", _EC + "CacheMetrics.Redis.html",
)
ALARMS_WITHOUT_NOTIFICATIONS = WarningKind(
    "alarms-without-notifications", Stage.RULES, "Production alarms with no topic configured.",
    "Alarms notify nobody until the AlarmTopicName Parameter is set at deploy time.",
    "Set alarm_topic_arn or create_topic.",
    "https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/"
    "Best_Practice_Recommended_Alarms_AWS_Services.html#ElastiCache",
)
NOTIFICATIONS_WITHOUT_ALARMS = WarningKind(
    "notifications-without-alarms", Stage.RULES, "A notification topic with every alarm off.",
    "The topic has nothing to notify about and is left out of the template.",
    "Remove the topic setting or turn an alarm on.",
)

# --- build ------------------------------------------------------------------------

DUPLICATE_STACK = ErrorKind(
    "duplicate-stack", Stage.BUILD, "Two specs build the same stack (name and environment).",
    "The second build would overwrite the first one's published template.",
    "Give each name-environment pair its own spec.",
)
STACK_OWNED = ErrorKind(
    "stack-owned-by-another-spec", Stage.BUILD,
    "The stack folder was published from another name-environment pair.",
    "Stack names join name and environment with a hyphen, so orders-prod + dev and orders + "
    "prod-dev both name orders-prod-dev; publishing the second into the first's folder would "
    "make its next version, replacing its cache. versions.json records the pair that owns it.",
    "Rename one of them (name or environment), or build into another --out folder.",
)
WORKER_DIED = ErrorKind(
    "worker-died", Stage.BUILD, "The process compiling this spec (build --jobs) died.",
    "A signal or a crash inside a library ended it before it returned a result; the other "
    "specs were compiled, and nothing is published while one spec has no result.",
    "Build the spec alone (--jobs 1) to see the failure, and report it as a bug in cachec.",
)
TEMPLATE_NEEDS_S3 = WarningKind(
    "template-needs-s3", Stage.BUILD, "The template is over CloudFormation's inline body limit.",
    "CloudFormation accepts at most 51,200 bytes as an inline template body.",
    "Deploy from S3: the version's DEPLOY.md uploads the template (aws s3 cp) and passes "
    "--template-url.",
    "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html",
)
_STACKSETS = "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/"
STACKSET_TARGETS = ErrorKind(
    "stackset-targets", Stage.RULES,
    "stack.stackset names neither or both of accounts and organizational_units.",
    "A StackSet is either self-managed (accounts) or service-managed (organizational "
    "units); its permission model and its CreateStackInstances targets follow from which.",
    "Give accounts (self-managed) or organizational_units (service-managed), not both.",
    _STACKSETS + "stacksets-concepts.html",
)
STACKSET_PARTITIONS = ErrorKind(
    "stackset-partitions", Stage.RULES,
    "stack.stackset.regions span more than one AWS partition.",
    "A StackSet is administered from one account with credentials of one partition "
    "(aws, aws-cn, aws-us-gov, the isolated ones); it cannot reach regions of another. "
    "The partition of each region comes from botocore's partition data.",
    "Keep the regions of one partition in this spec and deploy the others from a spec "
    "of their own (another name or environment).",
    _STACKSETS + "stacksets-concepts.html",
)
STACKSET_NO_ORGANIZATIONS = ErrorKind(
    "stackset-no-organizations", Stage.RULES,
    "A service-managed StackSet targets regions where StackSets has no AWS Organizations "
    "trusted access.",
    "Service-managed permissions need trusted access between StackSets and Organizations, "
    "which cannot be turned on in the China regions: the StackSet cannot be created.",
    "Target accounts (a self-managed StackSet with its own administration and execution "
    "roles) instead of organizational_units.",
    _STACKSETS + "stacksets-prereqs.html",
)
CALL_AS_NEEDS_ORGANIZATIONS = ErrorKind(
    "call-as-needs-organizations", Stage.RULES,
    "stack.stackset.call_as is delegated_admin on a self-managed StackSet.",
    "CallAs DELEGATED_ADMIN lets a member account act on the management account's "
    "service-managed StackSets; a self-managed StackSet belongs to the account that runs "
    "its commands.",
    "Remove call_as, or target organizational_units (service-managed).",
    "https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/"
    "API_CreateStackSet.html",
)
OVERRIDE_REGION_NOT_TARGETED = ErrorKind(
    "override-region-not-targeted", Stage.RULES,
    "parameter_overrides names a region the StackSet does not deploy to.",
    "Overrides apply to stack instances; a region without instances gets none, so the "
    "values would silently do nothing (often a typo or a region dropped from regions).",
    "Add the region to stack.stackset.regions or remove its overrides.",
    "https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/"
    "API_CreateStackInstances.html",
)
OVERRIDE_UNKNOWN_PARAMETER = ErrorKind(
    "override-unknown-parameter", Stage.BUILD,
    "parameter_overrides names a Parameter the template does not have.",
    "CloudFormation refuses overrides of Parameters the template does not declare, and "
    "the template's Parameters depend on the spec (a KmsKeyId only with a kms_key_id).",
    "Use one of the Parameters the message lists, or set the spec key that adds it.",
    "https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/"
    "API_CreateStackInstances.html",
)
STACKSET_VALUES_NOT_PER_TARGET = WarningKind(
    "stackset-values-not-per-target", Stage.BUILD,
    "Account- or region-specific Parameters have no value of their own in some StackSet "
    "regions.",
    "VPC, subnet, security group ids, KMS keys and snapshots exist in one account and "
    "region: the spec's value as Default is wrong in the others (and a Parameter without "
    "a Default fails the instance), so each region needs its own value.",
    "Add the Parameters to stack.stackset.parameter_overrides for the regions named, or "
    "pass them when creating the instances (--parameter-overrides).",
    _STACKSETS + "stackinstances-override.html",
)
STACKSET_EXPORTS_UNPREDICTABLE = WarningKind(
    "stackset-exports-unpredictable", Stage.RULES,
    "A StackSet exports Outputs under ${AWS::StackName}, a name StackSets chooses.",
    "StackSets name instance stacks StackSet-<name>-<id>, so no other stack can know the "
    "export names to import.",
    "Set stack.export_prefix: exports are then named <prefix>-<Output> in every instance.",
    _STACKSETS + "using-cfn-stack-exports.html",
)
EXPOSE_NOT_APPLICABLE = ErrorKind(
    "expose-not-applicable", Stage.RULES,
    "stack.expose names a setting this spec cannot expose.",
    "A Parameter that nothing uses cannot change anything (an alarm that is off has no "
    "threshold), and cfn-lint warns about unused Parameters. In cluster mode replicas "
    "count per shard (ReplicasPerNodeGroup), and the alarms watch node ids that cachec "
    "derives from the spec's replica count, so they stay literal.",
    "Turn the setting on, or change it in the spec, and remove it from stack.expose.",
)

# --- lint --------------------------------------------------------------------------

NODE_TYPE_NOT_IN_REGION = ErrorKind(
    "node-type-not-in-region", Stage.LINT, "The node type is not offered in a target region.",
    "cfn-lint does not check replication-group node types per region, so the deploy would "
    "be the first to say so.",
    "Choose a node type every target region offers.",
    "https://github.com/aws-cloudformation/cfn-lint/tree/main/src/cfnlint/data/schemas/"
    "extensions/aws_elasticache_cachecluster",
)
CFN_LINT_ERROR = ErrorKind(
    "cfn-lint-E<rule>", Stage.LINT, "The generated template fails a cfn-lint error rule (E...).",
    "A template cfn-lint rejects is a cachec bug or a value no spec check caught; it is "
    "never published.",
    "Change the spec key the message points at; if it points at the top of the spec, report "
    "a cachec bug.",
    "https://github.com/aws-cloudformation/cfn-lint/blob/main/docs/rules.md",
)
CFN_LINT_WARNING = WarningKind(
    "cfn-lint-W<rule>", Stage.LINT,
    "The generated template triggers a cfn-lint warning rule (W...).",
    "cfn-lint warnings flag templates that deploy but are likely wrong.",
    "Change the spec key the message points at, or report a cachec bug.",
    "https://github.com/aws-cloudformation/cfn-lint/blob/main/docs/rules.md",
)

# --- update paths -------------------------------------------------------------------

REPLACES_CACHE = ErrorKind(
    "replaces-cache", Stage.UPDATE, "The change replaces (empties) the cache.",
    "Create-only properties (engine, encryption at rest, KMS key, ...) make CloudFormation "
    "build a new, empty cache and delete the old one.",
    "Revert the change, or accept the replacement with build --allow-replacement.", _CFN_RG,
)
FIRST_REPLICA_WITH_FAILOVER = ErrorKind(
    "first-replica-with-failover", Stage.UPDATE,
    "Adding the first replica and turning on failover in one update.",
    "CloudFormation enables failover before it adds the replica and fails (\"must have at "
    "least one read replica\").",
    "Publish two versions: replicas with failover off, then failover on.",
    _ROADMAP + "383",
)
LAST_REPLICA_WITH_FAILOVER = ErrorKind(
    "last-replica-with-failover", Stage.UPDATE,
    "Removing the last replica while failover stays on.",
    "Automatic failover needs at least 2 cache clusters, so the update fails.",
    "Publish two versions: failover off with the replicas kept, then replicas: 0.", _TF_25077,
)
TLS_NOT_IN_PLACE = ErrorKind(
    "tls-not-in-place", Stage.UPDATE,
    "Turning TLS on for a live cache whose engine cannot migrate online.",
    "Online TLS migration exists only on Redis OSS 7.0 and later, and Valkey.",
    "Publish an engine_version upgrade first, then turn TLS on with "
    "transit_encryption_mode: preferred.",
    _EC + "in-transit-encryption-enable-python.html",
)
TLS_NEEDS_PREFERRED = ErrorKind(
    "tls-needs-preferred", Stage.UPDATE, "Turning TLS on for a live cache straight to required.",
    "ModifyReplicationGroup requires TransitEncryptionMode preferred when TLS is turned on "
    "for an existing cluster.",
    "Publish preferred first, move every client to TLS, then required.", _MODIFY_RG,
)
ENGINE_DOWNGRADE = ErrorKind(
    "engine-downgrade", Stage.UPDATE, "A lower engine version, or Valkey back to Redis OSS.",
    "ElastiCache cannot downgrade an engine; the update fails and is no replacement, so "
    "--allow-replacement does not help.",
    "Keep the version, or build a new cache (a new name) from a snapshot.", _CFN_RG,
)
NODE_TYPE_DOWNSIZE = WarningKind(
    "node-type-downsize", Stage.UPDATE, "A smaller node type.",
    "ElastiCache refuses to scale down when the data does not fit, and CloudFormation may "
    "report success anyway.",
    "Check DatabaseMemoryUsagePercentage before deploying, then confirm the node type.",
    _ROADMAP + "2273",
)
AUTH_SWITCH_REPLACES = WarningKind(
    "auth-switch-replaces", Stage.UPDATE, "Switching between AUTH token and user groups (or none).",
    "ElastiCache deletes a token only on the way to user groups, and CloudFormation replaces "
    "the cache for the switch.",
    "Keep the current auth, or accept a new, empty cache with --allow-replacement.",
    _ROADMAP + "2356",
)
FINAL_SNAPSHOT_OFF = WarningKind(
    "final-snapshot-off", Stage.UPDATE, "A production cache stops keeping a final snapshot.",
    "Without it a replacement or a deleted stack loses the data for good.",
    "Remove final_snapshot: false.",
    "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/"
    "aws-attribute-deletionpolicy.html",
)

TLS_OFF_IN_PLACE = WarningKind(
    "tls-off-in-place", Stage.UPDATE, "A live cache turns TLS off.",
    "Every client that connects with TLS (rediss://) is dropped at once, and the "
    "endpoints change: TLS and plaintext clusters use different DNS record formats.",
    "Move every client to plaintext first, or keep TLS on.",
    "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/enable-python-best-practices.html",
)
EXPORT_CHANGES = WarningKind(
    "export-changes", Stage.UPDATE, "An exported Output changes value or goes away.",
    "CloudFormation refuses to update or delete an export while another stack imports "
    "it, so the stack update fails until the importing stacks stop using it.",
    "Update or remove the imports first, or deploy knowing which stacks import it "
    "(aws cloudformation list-imports --export-name ...).",
    "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-cfn-stack-exports.html",
)

VPC_CHANGE = ErrorKind(
    "vpc-change", Stage.UPDATE, "A live cache moves to another VPC (network.vpc_id).",
    "The security groups are replaced in the new VPC (their VpcId is create-only) and the "
    "cache is asked to use them and the new VPC's subnets, but its nodes stay in the old "
    "VPC: the update fails half-applied. It is no replacement, so --allow-replacement "
    "does not help.",
    "Keep vpc_id and subnet_ids, or create the cache in the new VPC as a new stack "
    "(restored from a snapshot).",
    "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/"
    "aws-resource-ec2-securitygroup.html",
)
SHARDS_WITH_OTHER_CHANGES = ErrorKind(
    "shards-with-other-changes", Stage.UPDATE,
    "The shard count changes in the same version as other cache settings.",
    "Online resharding is an operation of its own (ModifyReplicationGroupShardConfiguration), "
    "and a failed resharding rolls back everything CloudFormation changed with it.",
    "Publish the shard count alone, deploy it, then the other changes.",
    _MODIFY_RG_SHARDS,
)
SHARD_SCALE_IN_ALARMS = WarningKind(
    "shard-scale-in-alarms", Stage.UPDATE,
    "Fewer shards: ElastiCache chooses which node groups go.",
    "Alarms and the dashboard watch member ids <rg>-0001-001 ... numbered from 1; unless "
    "the removed node groups are the highest-numbered ones, they watch nodes that are "
    "gone and miss ones that stay.",
    "After deploying, list the node group ids (aws elasticache "
    "describe-replication-groups) and compare them with the alarms (docs/deploying.md).",
    _MODIFY_RG_SHARDS,
)

SHARDS_NEED_CLUSTER_MODE = ErrorKind(
    "shards-need-cluster-mode", Stage.RULES, "More than one shard without cluster mode.",
    "Without cluster mode a replication group has exactly one shard (NumNodeGroups: \"for "
    "cluster mode disabled either omit this parameter or set it to 1\").",
    "Remove cluster_mode: false, or set shards: 1.",
    _EC + "Replication.Redis-RedisCluster.html",
)
CLUSTER_MODE_NEEDS_FAILOVER = ErrorKind(
    "cluster-mode-needs-failover", Stage.RULES, "Cluster mode with automatic failover off.",
    "CreateReplicationGroup: AutomaticFailoverEnabled must be enabled for cluster mode "
    "enabled replication groups.",
    "Remove automatic_failover: false.",
    "https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/"
    "API_CreateReplicationGroup.html",
)
SERVERLESS_CONFLICT = ErrorKind(
    "serverless-conflict", Stage.RULES,
    "A node-based setting (node type, port, topology, parameters, windows, logs, ...) "
    "beside `serverless`.",
    "AWS::ElastiCache::ServerlessCache has no such property: ElastiCache chooses nodes, "
    "port, configuration and maintenance itself, so the setting would be ignored.",
    "Remove the key, or remove `serverless` to build a replication group.", _CFN_SLS,
)
SERVERLESS_ENCRYPTION = ErrorKind(
    "serverless-encryption", Stage.RULES,
    "Encryption in transit or at rest turned off on a serverless cache.",
    "Serverless caches always encrypt in transit (TLS) and at rest; `false` cannot be "
    "honoured (at-rest-encryption.html: \"always enabled on a serverless cache\").",
    "Remove the key (or set it true); clients must connect with TLS.", _SERVERLESS,
)
SERVERLESS_ENGINE_VERSION = ErrorKind(
    "serverless-engine-version", Stage.RULES,
    "engine_version with `serverless` is not a major version serverless offers.",
    "A serverless cache takes a major version (MajorEngineVersion) and gets minor versions "
    "applied by ElastiCache; a minor version would be accepted and ignored.",
    "Write the major version: redis 7; valkey 7, 8 or 9.",
    _EC + "supported-engine-versions.html",
)
SERVERLESS_VALUE_REFUSED = ErrorKind(
    "serverless-value-refused", Stage.RULES,
    "A value ServerlessCache refuses: a cache name (`<name>-<environment>`) over 40 "
    "characters, or a description with `<` or `>`.",
    "ServerlessCacheName has at most 40 characters and Description none of `<` `>`; the "
    "create would fail at deploy time.",
    "Shorten name or environment, or drop the angle brackets from the description.",
    "https://github.com/open-constructs/aws-cdk-library/blob/main/src/aws-elasticache/"
    "serverless-cache.ts",
)
DERIVED_NAME_INVALID = ErrorKind(
    "derived-name-invalid", Stage.RULES,
    "A name cachec derives from the spec breaks the limit AWS puts on it: a user or "
    "user-group id (`<name>-<environment>`, `<name>-<environment>-default`, "
    "`<name>-<environment>-<user>`) over 40 characters.",
    "ElastiCache user and user-group ids have 1-40 characters, start with a letter and hold "
    "no `--` and no trailing hyphen; CloudFormation would fail the deploy half-way. Log "
    "group (512), alarm (255) and dashboard (255) names are checked at their longest stack "
    "name (128) and region.",
    "Shorten name or environment (or the user's name).",
    "https://github.com/open-constructs/aws-cdk-library/blob/main/src/aws-elasticache/user.ts",
)
SERVERLESS_LIMITS = ErrorKind(
    "serverless-limits", Stage.RULES, "A serverless minimum above its maximum.",
    "ElastiCache refuses usage limits whose minimum exceeds the maximum.",
    "Lower the min_* value or raise the max_* value.", _CFN_SLS,
)
ALARM_NOT_FOR_SHAPE = ErrorKind(
    "alarm-not-for-shape", Stage.RULES,
    "An alarm whose metric this shape does not publish (node alarms on serverless, or "
    "serverless alarms on nodes).",
    "Serverless caches publish no CPUUtilization, EngineCPUUtilization, "
    "DatabaseMemoryUsagePercentage or ReplicationLag; nodes publish no ECPU, storage or "
    "ThrottledCmds: the alarm would never have data.",
    "Remove the key; see monitoring.alarms in the spec reference for each shape's alarms.",
    _EC + "serverless-metrics-events-redis.html",
)
SERVERLESS_ALARM_NEEDS_LIMIT = ErrorKind(
    "serverless-alarm-needs-limit", Stage.RULES,
    "An ecpu or data_storage alarm without the serverless maximum it is a % of.",
    "Those thresholds are a percentage of max_ecpu_per_second or max_data_storage_gb; "
    "without the maximum there is nothing to compare with.",
    "Set the maximum under `serverless`, or turn the alarm off (false).", _CFN_SLS,
)
TOO_MANY_CACHE_NODES = ErrorKind(
    "too-many-cache-nodes", Stage.RULES, "More nodes than ElastiCache allows in one cluster.",
    "A cluster holds at most 500 nodes (shards x (1 + replicas)), even with a raised quota.",
    "Use fewer shards or fewer replicas per shard.",
    _EC + "Shards.html",
)
NODES_OVER_DEFAULT_QUOTA = WarningKind(
    "nodes-over-default-quota", Stage.RULES,
    "More nodes than ElastiCache's default quota of 90 per cluster.",
    "The quota can be raised to 500, but until it is the create or update fails.",
    "Request the increase (Service Quotas, ElastiCache, \"Nodes per cluster\") in every "
    "target account and region first.",
    _EC + "quota-limits.html",
)
TEMPLATE_TOO_LARGE = ErrorKind(
    "template-too-large", Stage.BUILD, "The template is larger than CloudFormation accepts.",
    "CloudFormation takes template bodies of at most 1 MB, even from S3; large clusters "
    "reach it through one alarm query per node and metric.",
    "Turn alarms or the dashboard off under monitoring, or use fewer nodes.",
    "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html",
)
CLUSTER_MODE_SWITCH = ErrorKind(
    "cluster-mode-switch", Stage.UPDATE, "A live cache turns cluster mode on or off.",
    "ElastiCache turns cluster mode on only through a compatible step while clients move to "
    "the configuration endpoint, and never off again.",
    "Create the clustered cache as a new stack (restore it from a snapshot), or keep the "
    "published mode.",
    _EC + "modify-cluster-mode.html",
)

OVERRIDE_VALUE_REFUSED = ErrorKind(
    "override-value-refused", Stage.BUILD,
    "A per-region override is a value its Parameter refuses.",
    "CloudFormation checks each stack instance's values against the Parameter's "
    "AllowedValues, AllowedPattern, MinValue/MaxValue and type, and the template's Rules, "
    "and fails that instance at deploy time.",
    "Use a value within the Parameter's constraints (the message says which).",
    "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/"
    "parameters-section-structure.html",
)

KINDS: tuple[Kind, ...] = (
    FILE_NOT_FOUND, FILE_UNREADABLE, NOT_A_REGULAR_FILE, FILE_TOO_LARGE, INVALID_UTF8,
    EMPTY_SPEC, ROOT_NOT_MAPPING, SEVERAL_DOCUMENTS, YAML_SYNTAX, YAML_TAB, YAML_TAG,
    YAML_MERGE_KEY, DUPLICATE_KEY, INVALID_KEY, NON_FINITE_NUMBER, NUMBER_TOO_LONG,
    INVALID_SCALAR, CONTROL_CHARACTER, INVALID_CHARACTER, TOO_DEEP, TOO_MANY_NODES,
    UNKNOWN_KEY, MISSING_KEY, UNSUPPORTED_FORMAT, INVALID_TYPE, INVALID_VALUE, INVALID_FORMAT,
    OUT_OF_RANGE,
    DUPLICATE_ITEM, TOO_FEW_ITEMS, TOO_MANY_ITEMS, TOO_LONG, TOO_SHORT,
    DYNAMIC_REFERENCE, SCHEMA,
    ENGINE_VERSION_UNSUPPORTED, ENGINE_VERSION_MISMATCH, TRANSIT_MODE_NEEDS_TLS,
    TRANSIT_MODE_UNSUPPORTED, UNKNOWN_NODE_TYPE, PREVIOUS_GENERATION_NODE,
    DATA_TIERING_REQUIRED, DATA_TIERING_NODE_TYPE, DATA_TIERING_EVICTION_POLICY,
    DATA_TIERING_ENGINE, BURSTABLE_IN_PRODUCTION, MULTI_AZ_NEEDS_REPLICAS,
    FAILOVER_NEEDS_REPLICAS, MULTI_AZ_NEEDS_FAILOVER, MULTI_AZ_NEEDS_TWO_SUBNETS,
    PRODUCTION_WITHOUT_REPLICAS, AUTH_NEEDS_TLS, IAM_AUTH_ENGINE_VERSION, RBAC_NEEDS_USERS,
    USERS_WITHOUT_RBAC, DUPLICATE_USER, RESERVED_USER_NAME, INVALID_ACCESS_STRING,
    TRANSIT_PREFERRED_WITH_AUTH,
    KMS_KEY_NEEDS_ENCRYPTION, KMS_ALIAS, ENCRYPTION_AT_REST_OFF, ENCRYPTION_IN_TRANSIT_OFF,
    AUTH_OFF, INVALID_CIDR, OPEN_TO_INTERNET, CIDR_HOST_BITS, PUBLIC_CIDR,
    IPV6_CIDR_ON_IPV4_CACHE, IPV4_CIDR_ON_IPV6_CACHE, NETWORK_TYPE_ENGINE_VERSION,
    NETWORK_TYPE_NODE_TYPE, IP_DISCOVERY_MISMATCH, SECURITY_GROUP_RULE_QUOTA,
    SNAPSHOT_WINDOW_TOO_SHORT, MAINTENANCE_WINDOW_LENGTH, WINDOWS_OVERLAP,
    SNAPSHOT_WINDOW_UNUSED, INVALID_REDIS_PARAMETER, LOG_TYPE_UNSUPPORTED, LOG_SETTINGS_UNUSED,
    UNREACHABLE_THRESHOLD, ALWAYS_FIRING_THRESHOLD, ENGINE_CPU_UNWATCHED,
    REPLICATION_LAG_NEEDS_REPLICAS, MONITORING_DISABLED, TOPIC_CONFLICT,
    EVICTIONS_NEVER_HAPPEN, ALARMS_WITHOUT_NOTIFICATIONS, NOTIFICATIONS_WITHOUT_ALARMS,
    STACKSET_TARGETS, OVERRIDE_REGION_NOT_TARGETED, STACKSET_EXPORTS_UNPREDICTABLE,
    STACKSET_PARTITIONS, STACKSET_NO_ORGANIZATIONS, CALL_AS_NEEDS_ORGANIZATIONS,
    EXPOSE_NOT_APPLICABLE,
    DUPLICATE_STACK, STACK_OWNED, WORKER_DIED, TEMPLATE_NEEDS_S3, OVERRIDE_UNKNOWN_PARAMETER,
    STACKSET_VALUES_NOT_PER_TARGET, OVERRIDE_VALUE_REFUSED,
    NODE_TYPE_NOT_IN_REGION, CFN_LINT_ERROR, CFN_LINT_WARNING,
    REPLACES_CACHE, FIRST_REPLICA_WITH_FAILOVER, LAST_REPLICA_WITH_FAILOVER, TLS_NOT_IN_PLACE,
    TLS_NEEDS_PREFERRED, ENGINE_DOWNGRADE, NODE_TYPE_DOWNSIZE, AUTH_SWITCH_REPLACES,
    FINAL_SNAPSHOT_OFF, TLS_OFF_IN_PLACE, EXPORT_CHANGES, VPC_CHANGE, SHARDS_WITH_OTHER_CHANGES,
    SHARD_SCALE_IN_ALARMS, ENGINE_SWITCH_WITH_USER_GROUP, USER_GROUP_ENGINE_WITHOUT_USER_GROUP,
    VALKEY_USER_GROUP_ON_REDIS,
    SHARDS_NEED_CLUSTER_MODE, CLUSTER_MODE_NEEDS_FAILOVER, TOO_MANY_CACHE_NODES,
    NODES_OVER_DEFAULT_QUOTA, TEMPLATE_TOO_LARGE, CLUSTER_MODE_SWITCH,
    SERVERLESS_CONFLICT, SERVERLESS_ENCRYPTION, SERVERLESS_ENGINE_VERSION, SERVERLESS_LIMITS,
    SERVERLESS_VALUE_REFUSED, DERIVED_NAME_INVALID,
    ALARM_NOT_FOR_SHAPE, SERVERLESS_ALARM_NEEDS_LIMIT,
)

C = TypeVar("C", bound=Callable[..., Any])


@dataclass(frozen=True)
class Rule(Generic[C]):
    """A check and the kinds it reports, as registered in an explicit tuple
    (rules.RULES, update_paths.RULES); a test holds the list to the body."""

    check: C
    kinds: tuple[Kind, ...]

    @property
    def name(self) -> str:
        """`topology.multi_az_needs_replicas`: module and function."""
        return f"{self.check.__module__.rsplit('.', 1)[-1]}.{self.check.__name__}"


def cfn_lint_kind(rule_id: str) -> str:
    """The kind a cfn-lint finding is reported under: `cfn-lint-E3001`
    (CFN_LINT_ERROR / CFN_LINT_WARNING describe the family)."""
    return f"cfn-lint-{rule_id}"
