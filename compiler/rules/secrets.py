"""The generated secrets: their customer managed key and their rotation."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..diagnostics import Diagnostic, error
from ..input.model import Spec
from ..kinds import ErrorKind, Stage

_SECURITY = ("security",)
_SM_GUIDE = "https://docs.aws.amazon.com/secretsmanager/latest/userguide/"

SECRETS_KEY_UNUSED = ErrorKind(
    "secrets-key-unused", Stage.RULES, "secrets_kms_key_id with auth: none.",
    "Without an AUTH token or a user group the template creates no secret, so the key "
    "would encrypt nothing.",
    "Remove secrets_kms_key_id, or choose auth: token, iam or rbac.",
    _SM_GUIDE + "security-encryption.html",
)


def secrets_key_used(spec: Spec) -> Iterator[Diagnostic]:
    sec = spec.security
    if sec.secrets_kms_key_id and not sec.creates_secrets:
        yield error(
            SECRETS_KEY_UNUSED,
            (*_SECURITY, "secrets_kms_key_id"),
            f"with auth: {sec.auth} the template creates no secret for this key to encrypt",
        )


ROTATION_NOTHING_TO_ROTATE = ErrorKind(
    "rotation-nothing-to-rotate", Stage.RULES,
    "security.rotation without an AUTH token or an RBAC user with a generated password.",
    "Rotation acts on the AUTH token and the RBAC users' generated passwords; IAM users have "
    "no password, and the disabled default user's password is never rotated (nobody signs "
    "in as it).",
    "Remove security.rotation, or use auth: token, or auth: rbac with a user whose password "
    "is generated.",
    "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/User-Secrets-Manager.html",
)


def rotation_has_secrets(spec: Spec) -> Iterator[Diagnostic]:
    sec = spec.security
    if sec.rotation is not None and not sec.rotates_anything:
        what = ("IAM users have no password, and the disabled default user's password is "
                "never rotated") if sec.user_group else "there is no AUTH token and no user"
        yield error(
            ROTATION_NOTHING_TO_ROTATE,
            (*_SECURITY, "rotation"),
            f"with auth: {sec.auth} there is no secret to rotate ({what})",
        )


# "You can rotate a secret as often as every four hours" (RotationRulesType,
# ScheduleExpression); AutomaticallyAfterDays takes 1 to 1000 days, the same
# bound cachec applies to rate(N days)
# (https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_RotationRulesType.html).
MIN_HOURS = 4
MAX_DAYS = 1000
_RATE = re.compile(r"rate\((\d+) (hours|days)\)")

ROTATION_SCHEDULE_RANGE = ErrorKind(
    "rotation-schedule-range", Stage.RULES, "A rotation rate Secrets Manager refuses.",
    f"Secrets Manager rotates at most every {MIN_HOURS} hours and schedules at most "
    f"{MAX_DAYS} days apart.",
    f"Use rate(N hours) with N >= {MIN_HOURS}, or rate(N days) with N <= {MAX_DAYS}.",
    "https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_RotationRulesType.html",
)


def rotation_schedule_in_range(spec: Spec) -> Iterator[Diagnostic]:
    rotation = spec.security.rotation
    match = _RATE.fullmatch(rotation.schedule) if rotation else None
    if match is None:
        return  # cron(...): Secrets Manager checks its fields at deploy time
    count, unit = int(match.group(1)), match.group(2)
    if (unit == "hours" and count < MIN_HOURS) or (unit == "days" and count > MAX_DAYS):
        yield error(
            ROTATION_SCHEDULE_RANGE,
            (*_SECURITY, "rotation", "schedule"),
            f"Secrets Manager rotates at most every {MIN_HOURS} hours and at most "
            f"{MAX_DAYS} days apart; {count} {unit} is outside that",
        )
