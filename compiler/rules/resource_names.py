"""The names the template gives AWS resources fit AWS's limits.

User and user-group ids and the serverless cache's name are built from
`name` and `environment` (and a user's own name); a spec whose name passed
its own pattern could still make `<stack>-default` longer than the 40
characters ElastiCache takes, and the deploy failed half-way. The names come
from compiler/vocabulary/resource_names.py, the module the synthesizers build them with.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator

from ..catalog import alarms as catalog
from ..diagnostics import Diagnostic, Path, error
from ..input.model import DEFAULT_USER_NAME, Spec
from ..input.schema import spec_schema
from ..kinds import ErrorKind, Stage
from ..vocabulary import names, resource_names
from ..vocabulary.resource_names import Limit


@functools.cache
def _longest_region() -> int:
    regions: list[str] = spec_schema()["definitions"]["region"]["enum"]
    return max(len(r) for r in regions)


def _ids(spec: Spec) -> Iterator[tuple[str, Limit, Path]]:
    """Every ElastiCache id the template holds, with the spec key whose
    length decides it (`name`: with `environment`, the stack name)."""
    stack = spec.stack_name
    if spec.security.user_group:
        yield resource_names.user_group_id(stack), resource_names.USER_GROUP_ID, ("name",)
        yield (resource_names.default_user_id(stack, DEFAULT_USER_NAME),
               resource_names.USER_ID, ("name",))
        if spec.security.auth == "iam":
            yield resource_names.iam_user_id(stack), resource_names.USER_ID, ("name",)
        for index, user in enumerate(spec.security.users):
            yield (resource_names.rbac_user_id(stack, user.name), resource_names.USER_ID,
                   ("security", "users", index, "name"))


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


def derived_ids_fit(spec: Spec) -> Iterator[Diagnostic]:
    """One error per spec key: the worst of the ids it makes too long."""
    reported: set[Path] = set()
    for name, limit, path in sorted(_ids(spec), key=lambda i: -len(i[0])):
        found = resource_names.problems(name, limit)
        if not found or path in reported:
            continue
        reported.add(path)
        culprit = ("`name` and `environment`" if path == ("name",) else "this user name")
        yield error(
            DERIVED_NAME_INVALID, path,
            f"the {limit.what} {name!r}, made from {culprit}, {' and '.join(found)}: shorten "
            f"{'name or environment' if path == ('name',) else 'it'}",
        )


def _deploy_time_names(spec: Spec) -> Iterator[tuple[str, Limit, Path]]:
    """Names built from the stack name and region at deploy time."""
    for log_type in spec.logs.created_types:
        yield resource_names.log_group_name(log_type), resource_names.LOG_GROUP_NAME, ("logs",)
    suffixes = resource_names.alarm_suffixes(names.MAX_ALARM_PARTS)
    for alarm in spec.monitoring.alarms:
        kind = catalog.BY_KEY[alarm.key]
        for suffix in suffixes:
            yield (resource_names.alarm_name(kind.key, suffix), resource_names.ALARM_NAME,
                   ("monitoring", "alarms", alarm.key))
    if spec.monitoring.dashboard:
        yield resource_names.dashboard_name(), resource_names.DASHBOARD_NAME, (
            "monitoring", "dashboard")


def deploy_time_names_fit(spec: Spec) -> Iterator[Diagnostic]:
    """Log group, alarm and dashboard names, at their longest: a 128-character
    stack name and the longest region. No spec key lengthens them today; this
    keeps a change of their form from outgrowing the limits unnoticed."""
    for name, limit, path in _deploy_time_names(spec):
        length = resource_names.longest(name, _longest_region())
        found = resource_names.problems(name, limit, length)
        if found:
            yield error(
                DERIVED_NAME_INVALID, path,
                f"the {limit.what} {name!r}, with the longest stack name and region, "
                f"{' and '.join(found)}",
            )
