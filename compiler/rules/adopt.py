"""`adopt: true`: the first version imports a running cache (docs/adopting.md).

CloudFormation's IMPORT change set takes existing resources only: it creates
nothing ("Import operations don't allow new resource creations";
https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/resource-import.html),
and the template imported must hold the cache's identifier literally (the
primaryIdentifier of the resource type: ReplicationGroupId,
ServerlessCacheName). So every property of the cache must be known at import:
no reference to a subnet group, parameter group, security group, user group,
secret or log group the stack would create, and no restore field (create-only:
the running cache was not restored from what the spec names). The stack's
other resources (alarms, log groups, the dashboard...) come with the next
update, beside the imported cache.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..catalog import engines
from ..diagnostics import Diagnostic, error
from ..input.model import Serverless, Spec
from ..kinds import ErrorKind, Stage

_IMPORT_GUIDE = "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/resource-import.html"

ADOPT_NEEDS_EXISTING = ErrorKind(
    "adopt-needs-existing", Stage.RULES,
    "adopt: true with a cache that would use something the stack creates, or without the "
    "cache's identifier.",
    "An IMPORT change set creates nothing: a cache property that refers to a resource the "
    "stack creates (or a restore field, or a generated id) cannot be imported, and once "
    "changed on the first update it would modify or replace the running cache.",
    "Name the resources the running cache uses (`cachec import` writes them: "
    "replication_group_id, network.subnet_group_name, network.security_group_ids with "
    "create_security_group: false, parameter_group_name, security.user_group_id); add "
    "what cachec creates in a later version.", _IMPORT_GUIDE,
)

_ADOPT = ("adopt",)


def adopted_cache_uses_what_exists(spec: Spec) -> Iterator[Diagnostic]:
    if not spec.adopt:
        return
    rg = spec.replication_group
    net, sec = spec.network, spec.security

    def refuse(path: tuple[str, ...], message: str) -> Diagnostic:
        return error(ADOPT_NEEDS_EXISTING, path if spec.sets(*path) else _ADOPT,
                     message)

    if rg is not None:
        if rg.replication_group_id is None:
            yield refuse(("replication_group_id",), "the import identifies the replication "
                         "group by its id: set replication_group_id to the running group's id")
        if net.creates_subnet_group:
            yield refuse(("network", "subnet_ids"), "the cache would move to a subnet group the "
                         "stack creates (CacheSubnetGroupName is create-only): name its subnet "
                         "group in network.subnet_group_name")
        if rg.parameter_group_name is None:
            yield refuse(("redis_parameters",), "the cache would take a parameter group the "
                         "stack creates: name its group in parameter_group_name (move to "
                         "redis_parameters in a later version)")
    if net.create_security_group:
        yield refuse(("network", "create_security_group"), "the cache would be attached to a "
                     "security group the stack creates: list its groups in "
                     "network.security_group_ids with create_security_group: false")
    if sec.auth_token:
        yield refuse(("security", "auth"), "the stack would set a new AUTH token from a secret "
                     "it creates; the running cache's token is not known to CloudFormation. "
                     "Adopt the cache with a user group (security.user_group_id) instead")
    if sec.user_group and sec.user_group_id is None:
        yield refuse(("security", "users"), "the cache would take a user group the stack "
                     "creates: name its user group in security.user_group_id")
    for log_type, destination in spec.logs.destinations:
        if destination.created:
            key = "slow_log" if log_type == engines.SLOW_LOG else "engine_log"
            yield refuse(("logs", key), f"the {log_type} would go to a log group the stack "
                         "creates: name the running cache's destination "
                         f"(logs.{key}.log_group or .firehose), or false, and add cachec's "
                         "log group in a later version")
    if spec.backups.restore_snapshot_name or spec.backups.restore_s3_arns:
        yield refuse(("backups", "restore_from"), "a restore field is create-only and the "
                     "running cache was not created from it: remove backups.restore_from")
    if isinstance(spec.deployment, Serverless) and spec.deployment.restore_from:
        yield refuse(("serverless", "restore_from"), "a restore field is create-only and the "
                     "running cache was not created from it: remove serverless.restore_from")
    if spec.stack.stackset is not None:
        yield refuse(("stack", "stackset"), "a StackSet cannot import a running cache through "
                     "an IMPORT change set: adopt it into a stack")
    if spec.global_datastore is not None:
        yield refuse(("global_datastore",), "cachec adopts one replication group into one "
                     "stack, not a global datastore and its secondary regions: adopt the "
                     "primary's group without global_datastore")
