"""Encryption and authentication."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..diagnostics import Diagnostic, error, warning
from ..input.model import DEFAULT_USER_NAME, Spec
from ..kinds import CFN_REPLICATION_GROUP, EC_GUIDE, RBAC_GUIDE, ErrorKind, Stage, WarningKind
from ..vocabulary import names

AUTH_NEEDS_TLS = ErrorKind(
    "auth-needs-tls", Stage.RULES, "auth: token, iam or rbac with encryption_in_transit: false.",
    "AWS accepts an AUTH token or a user group only with in-transit encryption (\"User group "
    "based access control requires encryption-in-transit to be enabled on the replication "
    "group\", hashicorp/terraform-provider-aws#42966); without it tokens and passwords would "
    "travel in plain text.",
    "Turn TLS on, or set auth: none.", EC_GUIDE + "auth.html",
)


def auth_needs_tls(spec: Spec) -> Iterator[Diagnostic]:
    # ElastiCache refuses an AUTH token, and a user group, on a group without
    # in-transit encryption: tokens and passwords would cross the network in
    # plain text ("User group based access control requires encryption-in-transit
    # to be enabled", hashicorp/terraform-provider-aws#42966; IAM: "IAM
    # authentication requires TLS", AWS's auth-to-iam-migration.html).
    if spec.security.auth != "none" and not spec.security.encryption_in_transit:
        # encryption_in_transit defaults to true, so it was turned off explicitly:
        # point there.
        yield error(
            AUTH_NEEDS_TLS,
            ("security", "encryption_in_transit"),
            f"auth: {spec.security.auth} needs encryption_in_transit: true (credentials "
            "would otherwise travel in plain text); set auth: none or turn TLS on",
        )


IAM_AUTH_ENGINE_VERSION = ErrorKind(
    "iam-auth-engine-version", Stage.RULES,
    "IAM authentication on Redis OSS older than 7.0.",
    "ElastiCache accepts IAM authentication tokens from Redis OSS 7.0 and on every Valkey "
    "version.",
    "Use engine_version 7.0 or later, or Valkey; or authenticate with passwords "
    "(password: generated).", EC_GUIDE + "auth-iam.html",
)


def iam_auth_engine_version(spec: Spec) -> Iterator[Diagnostic]:
    info = spec.version_info
    if info is None or info.iam_auth:
        return  # unknown versions are engine_version_known's to report
    sec = spec.security
    if sec.auth == "iam":
        yield error(
            IAM_AUTH_ENGINE_VERSION, ("security", "auth"),
            f"IAM authentication needs Redis OSS 7.0 or later or Valkey, not {info.label}",
        )
    for index, user in enumerate(sec.users):
        if user.iam:
            yield error(
                IAM_AUTH_ENGINE_VERSION, ("security", "users", index, "password"),
                f"password: iam needs Redis OSS 7.0 or later or Valkey, not {info.label}; "
                "use password: generated",
            )


RBAC_NEEDS_USERS = ErrorKind(
    "rbac-needs-users", Stage.RULES, "auth: rbac without security.users.",
    "The user group would hold only the disabled default user: no client could connect.",
    "List the users under security.users, or use auth: iam for one IAM user.",
    EC_GUIDE + "Clusters.RBAC.html",
)
USERS_WITHOUT_RBAC = ErrorKind(
    "users-without-rbac", Stage.RULES, "security.users with auth other than rbac.",
    "Users are members of an RBAC user group, which exists only with auth: rbac; an AUTH token "
    "and user groups are mutually exclusive on a replication group.",
    "Set auth: rbac, or remove security.users.", CFN_REPLICATION_GROUP,
)


def users_match_auth(spec: Spec) -> Iterator[Diagnostic]:
    sec = spec.security
    if sec.auth == "rbac" and not sec.users and not sec.user_group_id:
        yield error(
            RBAC_NEEDS_USERS, ("security", "auth"),
            "auth: rbac needs at least one user under security.users (the default user "
            "is off)",
        )
    if sec.auth != "rbac" and sec.users:
        yield error(
            USERS_WITHOUT_RBAC, ("security", "users"),
            f"users belong to an RBAC user group, which auth: {sec.auth} does not create; "
            "set auth: rbac or remove users",
        )


USER_GROUP_ENGINE_WITHOUT_USER_GROUP = ErrorKind(
    "user-group-engine-without-user-group", Stage.RULES,
    "security.user_group_engine without a user group.",
    "Only auth: iam and auth: rbac create a user group; the key would be ignored.",
    "Remove user_group_engine, or set auth: iam or rbac.", RBAC_GUIDE,
)
VALKEY_USER_GROUP_ON_REDIS = ErrorKind(
    "valkey-user-group-on-redis", Stage.RULES,
    "A valkey user group on a Redis OSS cache.",
    "A Redis OSS cache accepts only user groups of engine redis; a Valkey cache accepts both.",
    "Remove user_group_engine (it follows the engine), or set it to redis.", RBAC_GUIDE,
)


def user_group_engine(spec: Spec) -> Iterator[Diagnostic]:
    """"When using RBAC with Redis OSS clusters, only user groups with engine
    REDIS can be used"; Valkey clusters take both
    (https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Clusters.RBAC.html)."""
    sec = spec.security
    path = ("security", "user_group_engine")
    if sec.user_group_engine is not None and not sec.user_group:
        yield error(
            USER_GROUP_ENGINE_WITHOUT_USER_GROUP, path,
            f"auth: {sec.auth} creates no user group; remove user_group_engine, or set "
            "auth: iam or rbac",
        )
    elif sec.user_group_engine == "valkey" and spec.engine == "redis":
        yield error(
            VALKEY_USER_GROUP_ON_REDIS, path,
            "a Redis OSS cache accepts only user groups of engine redis; remove "
            "user_group_engine (it follows engine), or set it to redis",
        )


def _user_ids(name: str) -> tuple[str, ...]:
    """The logical ids (resources and Outputs) one RBAC user brings."""
    return (names.user(name), names.user_secret(name), names.user_name_output(name),
            names.user_secret_arn_output(name))


def _fixed_ids() -> frozenset[str]:
    """Every fixed logical id, Parameter, Output and Condition name cachec writes."""
    return frozenset(
        value for key, value in vars(names).items()
        if key.isupper() and isinstance(value, str)
    )


DUPLICATE_USER = ErrorKind(
    "duplicate-user", Stage.RULES,
    "Two users with the same name, or with names that become the same template name.",
    "User ids are unique per account and Region, a user group lists each user once, and "
    "each user's logical ids (UserApp1, UserApp1Secret, ...) must be unique in the "
    "template: app-1 and app1 collide, and so does a user named group with UserGroup.",
    "Give every user its own name.", EC_GUIDE + "Clusters.RBAC.html",
)
RESERVED_USER_NAME = ErrorKind(
    "reserved-user-name", Stage.RULES, "A user named default.",
    "Every user group must contain a user named default; cachec creates it, switched off, "
    "so that a client without credentials gets nothing.",
    "Choose another name; grant access through a named user.", EC_GUIDE + "Clusters.RBAC.html",
)


def user_names(spec: Spec) -> Iterator[Diagnostic]:
    """Names are unique, not the reserved default, and map to logical ids no
    other user or resource has: `app-1` and `app1` both become UserApp1, and
    `group` would be UserGroup, the user group itself."""
    seen: set[str] = set()
    taken = {logical_id: "cachec" for logical_id in _fixed_ids()}
    for index, user in enumerate(spec.security.users):
        path = ("security", "users", index, "name")
        clash = next((taken[i] for i in _user_ids(user.name) if i in taken), None)
        if user.name == DEFAULT_USER_NAME:
            yield error(
                RESERVED_USER_NAME, path,
                "default is the user cachec creates switched off; choose another name",
            )
        elif user.name in seen:
            yield error(DUPLICATE_USER, path, f"a user named {user.name} is listed twice")
        elif clash is not None:
            other = ("a resource cachec creates" if clash == "cachec"
                     else f"user {clash} (names differing only in hyphens collide)")
            yield error(
                DUPLICATE_USER, path,
                f"{user.name} becomes the template name {names.user(user.name)}, which "
                f"{other} already has; rename it",
            )
        seen.add(user.name)
        taken.update(dict.fromkeys(_user_ids(user.name), user.name))


# ElastiCache manages passwords, so an access string may not set or clear them
# ("You can't specify passwords in an access string", "You can't use the reset
# command", Clusters.RBAC.html). Rules are space-separated (valkey.io/topics/acl).
_PASSWORD_RULE = re.compile(r"^(>|<|#|!)")
_FORBIDDEN_RULES = frozenset({"nopass", "resetpass", "reset"})


INVALID_ACCESS_STRING = ErrorKind(
    "invalid-access-string", Stage.RULES,
    "An access string ElastiCache refuses or that leaves the user off.",
    "ElastiCache manages passwords itself, so an access string cannot set one (`>`, `<`, `#`, "
    "`nopass`, `resetpass`) or use `reset`; without `on` the user is created off and cannot "
    "connect.",
    "Start the access string with on and leave passwords to password: generated or iam.",
    EC_GUIDE + "Clusters.RBAC.html",
)


def access_strings(spec: Spec) -> Iterator[Diagnostic]:
    for index, user in enumerate(spec.security.users):
        path = ("security", "users", index, "access")
        rules = user.access.split()
        bad = [r for r in rules if _PASSWORD_RULE.match(r) or r.lower() in _FORBIDDEN_RULES]
        if bad:
            yield error(
                INVALID_ACCESS_STRING, path,
                f"{bad[0]!r} sets or clears a password, which ElastiCache manages; remove it",
            )
        elif "on" not in (r.lower() for r in rules):
            # Neither on nor off: ElastiCache creates the user off (Clusters.RBAC.html).
            yield error(
                INVALID_ACCESS_STRING, path,
                "the access string does not switch the user on, so it could never connect; "
                "start it with on",
            )


TRANSIT_PREFERRED_WITH_AUTH = ErrorKind(
    "transit-preferred-with-auth", Stage.RULES,
    "transit_encryption_mode: preferred together with auth.",
    "AWS refuses the combination: \"Transit encryption preferred is not supported with redis "
    "access control\" (cloudposse/terraform-aws-elasticache-redis#239).",
    "Use required (the default) with access control; migrate a live cache to TLS with "
    "auth: none (preferred, then required).",
    EC_GUIDE + "in-transit-encryption-enable-existing.html",
)


def transit_preferred_without_access_control(spec: Spec) -> Iterator[Diagnostic]:
    """ElastiCache refuses TransitEncryptionMode `preferred` on a group with
    access control: "Transit encryption preferred is not supported with redis
    access control" (cloudposse/terraform-aws-elasticache-redis#239). Adding
    a token to a live cache afterwards is classified as a replacement by
    `cachec diff` until AWS documents an in-place path (update_behavior.py)."""
    sec = spec.security
    if sec.transit_encryption_mode == "preferred" and sec.auth != "none":
        yield error(
            TRANSIT_PREFERRED_WITH_AUTH,
            ("security", "transit_encryption_mode"),
            f"AWS refuses transit_encryption_mode: preferred together with auth: {sec.auth}; "
            f"use required (the default) with auth: {sec.auth}, or migrate a live cache to TLS "
            "with auth: none (preferred, then required); adding access control to a live "
            "cache later may replace it: cachec diff says so before anything is published",
        )


KMS_KEY_NEEDS_ENCRYPTION = ErrorKind(
    "kms-key-needs-encryption", Stage.RULES, "kms_key_id without encryption_at_rest.",
    "The key is used only to encrypt data at rest; without it the setting does nothing.",
    "Set encryption_at_rest: true or remove kms_key_id.", EC_GUIDE + "at-rest-encryption.html",
)


def kms_key_needs_encryption_at_rest(spec: Spec) -> Iterator[Diagnostic]:
    if spec.security.kms_key_id and not spec.security.encryption_at_rest:
        yield error(
            KMS_KEY_NEEDS_ENCRYPTION,
            ("security", "kms_key_id"),
            "kms_key_id is only used with encryption_at_rest: true",
        )


KMS_ALIAS = WarningKind(
    "kms-alias", Stage.RULES, "kms_key_id names a KMS alias.",
    "The alias is resolved to its key once, at creation, and KmsKeyId cannot change without "
    "replacing the cluster, so re-pointing the alias later changes nothing.",
    "Use the key ARN.", CFN_REPLICATION_GROUP,
)


def kms_alias_is_fragile(spec: Spec) -> Iterator[Diagnostic]:
    """ElastiCache resolves an alias to its key at creation and reports the key
    ARN from then on; KmsKeyId is create-only, so the day someone writes the
    key ARN (or repoints the alias) the cluster is replaced. Seen in the wild:
    terraform-provider-aws issue 25713."""
    key = spec.security.kms_key_id or ""
    if key.startswith("alias/") or ":alias/" in key:
        yield warning(
            KMS_ALIAS,
            ("security", "kms_key_id"),
            "an alias is resolved to its key once, at creation; KmsKeyId cannot change "
            "without replacing the cluster, so prefer the key ARN"
            if spec.global_datastore is None else
            # A key ARN is one region's (rules.global_datastore.kms_key_by_alias).
            "an alias is resolved to its key once, at creation; KmsKeyId cannot change "
            "without replacing the cluster, so never edit this value, and keep the alias "
            "pointing at its key in every region of the global datastore",
        )


ENCRYPTION_AT_REST_OFF = WarningKind(
    "encryption-at-rest-off", Stage.RULES, "Encryption at rest is turned off.",
    "Data and backups are stored unencrypted; turning it on later replaces the cluster.",
    "Remove encryption_at_rest: false.", EC_GUIDE + "at-rest-encryption.html",
)
ENCRYPTION_IN_TRANSIT_OFF = WarningKind(
    "encryption-in-transit-off", Stage.RULES, "Encryption in transit is turned off.",
    "Clients talk to the cache in plain text.",
    "Remove encryption_in_transit: false.", EC_GUIDE + "in-transit-encryption.html",
)
AUTH_OFF = WarningKind(
    "auth-off", Stage.RULES, "auth: none.",
    "Any client that reaches the port can read, write and FLUSHALL.",
    "Use auth: token.", EC_GUIDE + "auth.html",
)


def insecure_choices(spec: Spec) -> Iterator[Diagnostic]:
    sec = spec.security
    if not sec.encryption_at_rest:
        yield warning(
            ENCRYPTION_AT_REST_OFF,
            ("security", "encryption_at_rest"),
            "data and backups are stored unencrypted; turning it on later replaces the "
            "cluster",
        )
    if not sec.encryption_in_transit:
        yield warning(
            ENCRYPTION_IN_TRANSIT_OFF,
            ("security", "encryption_in_transit"),
            "clients talk to the cache in plain text",
        )
    if sec.auth == "none":
        yield warning(
            AUTH_OFF,
            ("security", "auth"),
            "any client that reaches the port can read, write and FLUSHALL",
        )
