"""security.rotation: a RotationSchedule for each secret a rotation function may change.

Which secrets: the AUTH token, and the generated password of every RBAC user;
never the disabled default user's (nobody signs in as it, and a user group
needs it unchanged), and no IAM user (no password).

Facts (AWS::SecretsManager::RotationSchedule provider schema in cfn-lint;
https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotate-secrets_schedule.html):
- RotationLambdaARN names an existing function; RotationRules.ScheduleExpression
  takes `rate(...)` or `cron(...)`.
- RotateImmediatelyOnUpdate defaults to true: Secrets Manager would rotate as
  soon as the schedule is created. cachec sets false, so the first rotation
  waits for the schedule and never races the cache's own creation.
- Each schedule DependsOn the resource its function modifies (the replication
  group for the AUTH token, the user for a password): the function must find
  it, and a stack deletion removes the schedule before it.
"""

from __future__ import annotations

from troposphere import Ref, Template, secretsmanager

from ..input.model import Spec
from ..vocabulary import names
from .provenance import SpecPath, add_resource

ROTATION = ("security", "rotation")
USERS = ("security", "users")
_SOURCES = {
    "RotationLambdaARN": (*ROTATION, "function_arn"),
    "RotationRules": (*ROTATION, "schedule"),
}


def rotated_secrets(spec: Spec) -> list[tuple[str, str, SpecPath]]:
    """(secret, the resource its rotation modifies) logical ids, in template
    order, with the key the schedule is recorded under: an RBAC user's, like
    every resource of the user (`User<Name>...`), under the users list."""
    sec = spec.security
    found: list[tuple[str, str, SpecPath]] = []
    if sec.auth_token:
        found.append((names.AUTH_SECRET, names.REPLICATION_GROUP, ROTATION))
    found += [(names.user_secret(u.name), names.user(u.name), USERS) for u in sec.password_users]
    return found


def add_rotation_schedules(template: Template, spec: Spec) -> None:
    rotation = spec.security.rotation
    if rotation is None:
        return
    for secret, target, whole in rotated_secrets(spec):
        add_resource(
            template,
            secretsmanager.RotationSchedule(
                names.rotation(secret),
                DependsOn=[target],
                SecretId=Ref(secret),
                RotationLambdaARN=Ref(names.ROTATION_FUNCTION_ARN),
                RotationRules=secretsmanager.RotationRules(ScheduleExpression=rotation.schedule),
                RotateImmediatelyOnUpdate=False,
            ),
            whole,
            _SOURCES,
        )
