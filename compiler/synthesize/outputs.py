"""Outputs, named by the contract; exported as ${AWS::StackName}-<Name> (or
<export_prefix>-<Name>) on request."""

from __future__ import annotations

from troposphere import Export, GetAtt, Join, Output, Ref, Sub, Template

from ..catalog import alarms as catalog
from ..input.model import LOG_GROUP, Alarm, Spec
from ..vocabulary import names
from . import alarms, auth, global_datastore, users
from .logs import LOG_GROUPS
from .provenance import NO_SPEC_KEY, came_from
from .variants import OutputRow, Shape

# Outputs whose value changes on an in-place update. CloudFormation refuses to
# update an exported value while another stack imports it ("Cannot update
# export ... as it is in use by ..."), so exporting these would block the
# update: the parameter group is a new one on a major-version upgrade (its
# name is generated), and the lists change when an alarm or log is toggled.
# https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-cfn-stack-exports.html
NOT_EXPORTED = frozenset({
    names.PARAMETER_GROUP_NAME,
    names.SUMMARY,
    names.ALARM_NAMES,
    names.ALARM_ARNS,
    names.LOG_GROUP_NAMES,
})


_AUTH_SUMMARY = {
    "token": "AUTH token",
    "iam": "IAM authentication",
    "rbac": "RBAC with {users} user(s)",
    "none": "no auth",
}


_ALARMS = ("monitoring", "alarms")


def _user_rows(spec: Spec) -> list[OutputRow]:
    """What applications need to log in: the group, user names, secrets, policy."""
    sec = spec.security
    if not sec.user_group:
        return []
    if sec.user_group_id:
        # An existing group: its users live where it is managed.
        return [(names.USER_GROUP_ID, "RBAC user group attached to the cache (existing)",
                 sec.user_group_id, ("security", "user_group_id"))]
    rows: list[OutputRow] = [
        (names.USER_GROUP_ID, "RBAC user group attached to the cache", Ref(names.USER_GROUP),
         users.AUTH),
    ]
    if sec.auth == "iam":
        rows.append((names.IAM_USER_NAME, "User name for IAM authentication (AUTH/HELLO with "
                     "a SigV4 token)", spec.stack_name, users.AUTH))
    for user in sec.users:
        rows.append((names.user_name_output(user.name), f"User name of {user.name}",
                     users.user_id(spec, user), users.USERS))
        if not user.iam:
            rows.append((names.user_secret_arn_output(user.name),
                         f"Secret holding {user.name}'s user name and password",
                         Ref(names.user_secret(user.name)), users.USERS))
    if users.iam_users(spec):
        rows.append((names.CONNECT_POLICY_ARN, "Managed policy granting elasticache:Connect "
                     "to this cache's IAM users: attach it to application roles",
                     Ref(names.CONNECT_POLICY), users.AUTH))
    return rows


def _log_group_names(spec: Spec) -> list[object]:
    """The created groups (Ref), then existing ones by name; Firehose streams
    are no log groups."""
    names_: list[object] = []
    for log_type, destination in spec.logs.destinations:
        if destination.created:
            names_.append(Ref(LOG_GROUPS[log_type]))
        elif destination.kind == LOG_GROUP and destination.name not in names_:
            names_.append(destination.name)
    return names_


def summary(spec: Spec, shape: Shape) -> str:
    """One line an operator can read in the console's Outputs tab."""
    sec = spec.security
    parts = [
        f"{spec.engine} {spec.engine_version}",
        shape.capacity,
        "Multi-AZ" if shape.multi_az else "single-AZ",
        "TLS" if sec.encryption_in_transit else "no TLS",
        _AUTH_SUMMARY[sec.auth].format(users=len(sec.users)),
        "encrypted at rest" if sec.encryption_at_rest else "unencrypted at rest",
        f"backups {spec.backups.retention_days} d" if spec.backups.retention_days
        else "no backups",
    ]
    if spec.monitoring.alarms:
        watched = ", ".join(_alarm_summary(a) for a in spec.monitoring.alarms)
        scope = "alarms on every node" if shape.members else "alarms"
        parts.append(f"{scope}: {watched}")
    if spec.logs.types:
        parts.append(f"logs: {', '.join(spec.logs.types)}")
    if spec.stack.expose:
        parts.append(f"defaults of the Parameters for {', '.join(spec.stack.expose)}")
    return ", ".join(parts)


def _alarm_summary(alarm: Alarm) -> str:
    """`cpu > 80`, plus what CloudWatch really compares when that differs."""
    text = f"{alarm.key} > {alarm.threshold:g}"
    if alarm.divisor > 1:
        return f"{text} (engine; host CPU > {alarm.value:g} on {alarm.divisor} vCPUs)"
    if alarm.metric == catalog.DATA_TIERED_MEMORY_METRIC:
        return f"{text} (memory + SSD capacity)"
    return text


def add_outputs(template: Template, spec: Spec, shape: Shape, alarm_ids: list[str],
                secondary: bool = False) -> None:
    """`secondary`: a global datastore's secondary region, whose AUTH secret
    and DNS name are the primary's."""
    rows: list[OutputRow] = shape.endpoint_outputs()
    if spec.global_datastore is not None and not secondary:
        rows.append(global_datastore.global_id_output())
    if spec.network.create_security_group:  # else neither group exists
        rows += [
            (names.SECURITY_GROUP_ID, "Security group of the cache nodes",
             GetAtt(names.SECURITY_GROUP, "GroupId"), NO_SPEC_KEY),
            (names.CLIENT_SECURITY_GROUP_ID, "Attach to applications that use the cache",
             GetAtt(names.CLIENT_SECURITY_GROUP, "GroupId"), NO_SPEC_KEY),
        ]
    rows += shape.group_outputs()
    if spec.security.auth_token and not secondary:
        rows.append((names.AUTH_SECRET_ARN, "Secrets Manager secret holding the AUTH token",
                     auth.secret_arn(), users.AUTH))
        rows.append((names.AUTH_SECRET_READ_POLICY_ARN, "Managed policy granting "
                     "secretsmanager:GetSecretValue on the AUTH token's secret: attach it to "
                     "application roles", Ref(names.AUTH_SECRET_READ_POLICY), users.AUTH))
    rows += _user_rows(spec)
    if alarm_ids:
        rows += [
            (names.ALARM_NAMES, "CloudWatch alarms watching "
             f"{'every node' if shape.members else 'the cache'} (comma-separated)",
             Join(",", [Ref(a) for a in alarm_ids]), _ALARMS),
            (names.ALARM_ARNS, "ARNs of the alarms (comma-separated)",
             Join(",", [GetAtt(a, "Arn") for a in alarm_ids]), _ALARMS),
        ]
        if spec.monitoring.create_topic:
            rows.append((names.ALARM_TOPIC_ARN, "SNS topic the alarms notify",
                         Ref(names.ALARM_TOPIC), alarms.TOPIC))
    log_groups = _log_group_names(spec)
    if log_groups:
        rows.append((names.LOG_GROUP_NAMES, "Log groups receiving the engine's logs "
                     "(comma-separated)", Join(",", log_groups), ("logs",)))
    if spec.dns is not None and not secondary:
        rows.append((names.DNS_NAME, "DNS name of the cache (a CNAME to the endpoint; with "
                     "TLS, clients that verify host names verify the endpoint's name)",
                     Ref(names.DNS_RECORD), ("dns", "name")))
    if spec.monitoring.dashboard:
        rows.append((names.DASHBOARD_NAME, "CloudWatch dashboard of the cache",
                     Ref(names.DASHBOARD), ("monitoring", "dashboard")))
    # A sentence about every key at once: no one of them.
    rows.append((names.SUMMARY, "What this stack deploys", summary(spec, shape), NO_SPEC_KEY))

    for name, description, value, spec_path in rows:
        output = Output(name, Description=description, Value=value)
        came_from(template, spec_path, "Outputs", name)
        if spec.stack.exports and name not in NOT_EXPORTED:
            output.Export = export_name(spec, name)
            came_from(template, ("stack", "exports"), "Outputs", name, "Export")
        template.add_output(output)


def export_name(spec: Spec, output: str) -> Export:
    """StackSets name instance stacks StackSet-<set>-<uuid>, so importers
    cannot predict ${AWS::StackName}: a fixed prefix serves them. Export names
    are unique per account and region, which is where one instance lives.
    https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-cfn-stack-exports.html"""
    if spec.stack.export_prefix:
        return Export(f"{spec.stack.export_prefix}-{output}")
    return Export(Sub(f"${{AWS::StackName}}-{output}"))
