"""Encryption and authentication."""

from __future__ import annotations

from collections.abc import Iterator

from .. import kinds
from ..diagnostics import Diagnostic, error, warning
from ..model import Spec


def auth_token_needs_tls(spec: Spec) -> Iterator[Diagnostic]:
    # ElastiCache refuses an AUTH token on a group without in-transit encryption:
    # the token would cross the network in plain text.
    if spec.security.auth_token and not spec.security.encryption_in_transit:
        # encryption_in_transit defaults to true, so it was turned off explicitly:
        # point there.
        yield error(
            kinds.AUTH_NEEDS_TLS,
            ("security", "encryption_in_transit"),
            "auth: token needs encryption_in_transit: true (the token would otherwise "
            "travel in plain text); set auth: none or turn TLS on",
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
            kinds.TRANSIT_PREFERRED_WITH_AUTH,
            ("security", "transit_encryption_mode"),
            f"AWS refuses transit_encryption_mode: preferred together with auth: {sec.auth}; "
            "use required (the default) with the token, or migrate a live cache to TLS with "
            "auth: none (preferred, then required); adding a token to a live cache later "
            "may replace it: cachec diff says so before anything is published",
        )


def kms_key_needs_encryption_at_rest(spec: Spec) -> Iterator[Diagnostic]:
    if spec.security.kms_key_id and not spec.security.encryption_at_rest:
        yield error(
            kinds.KMS_KEY_NEEDS_ENCRYPTION,
            ("security", "kms_key_id"),
            "kms_key_id is only used with encryption_at_rest: true",
        )


def kms_alias_is_fragile(spec: Spec) -> Iterator[Diagnostic]:
    """ElastiCache resolves an alias to its key at creation and reports the key
    ARN from then on; KmsKeyId is create-only, so the day someone writes the
    key ARN (or repoints the alias) the cluster is replaced. Seen in the wild:
    terraform-provider-aws issue 25713."""
    key = spec.security.kms_key_id or ""
    if key.startswith("alias/") or ":alias/" in key:
        yield warning(
            kinds.KMS_ALIAS,
            ("security", "kms_key_id"),
            "an alias is resolved to its key once, at creation; KmsKeyId cannot change "
            "without replacing the cluster, so prefer the key ARN",
        )


def insecure_choices(spec: Spec) -> Iterator[Diagnostic]:
    sec = spec.security
    if not sec.encryption_at_rest:
        yield warning(
            kinds.ENCRYPTION_AT_REST_OFF,
            ("security", "encryption_at_rest"),
            "data and backups are stored unencrypted; turning it on later replaces the "
            "cluster",
        )
    if not sec.encryption_in_transit:
        yield warning(
            kinds.ENCRYPTION_IN_TRANSIT_OFF,
            ("security", "encryption_in_transit"),
            "clients talk to the cache in plain text",
        )
    if sec.auth == "none":
        yield warning(
            kinds.AUTH_OFF,
            ("security", "auth"),
            "any client that reaches the port can read, write and FLUSHALL",
        )
