"""CloudWatch alarms: one per metric, over every member node.

Each alarm is a metric-math alarm: one query per member node on the
CacheClusterId dimension and `MAX([...])` over them. Why not one alarm per
node: CloudWatch bills per alarm metric, so the cost is about the same, but
an incident (memory climbing on the primary and its replicas at once) pages
once instead of N times, the alarm count stays small, and the alarm stays
meaningful across failovers, when primary and replica swap roles. The
dashboard shows which node it is. A group without cluster mode has at most
six nodes, well inside CloudWatch's limit on metrics per math alarm.
"""

from __future__ import annotations

from typing import Any

from awacs import sns as sns_actions
from awacs.aws import Allow, ArnLike, Condition, PolicyDocument, Principal, Statement, StringEquals
from troposphere import (
    Equals,
    If,
    Not,
    NoValue,
    Parameter,
    Ref,
    Sub,
    Template,
    cloudwatch,
    sns,
)

from ..catalog import alarms as catalog
from ..model import Alarm, Spec
from ..schema import SNS_TOPIC_ARN_PATTERN
from . import names
from .members import member_id, spec_member_suffixes
from .tags import tags

# The spec's topic-ARN rule, or empty (= no notifications).
_TOPIC_ARN_PATTERN = f"^(|{SNS_TOPIC_ARN_PATTERN.removeprefix('^').removesuffix('$')})$"


def add_notifications(template: Template, spec: Spec) -> Any:
    """The alarm actions: a topic the stack creates, or the AlarmTopicArn Parameter.

    The Parameter's empty default means "no actions" through a Condition;
    the Condition only ever touches alarm actions, never security settings.
    """
    mon = spec.monitoring
    if mon.create_topic:
        template.add_resource(
            sns.Topic(
                names.ALARM_TOPIC,
                DisplayName=f"cachec {spec.stack_name} alarms",
                # Not encrypted: CloudWatch cannot publish to a topic encrypted
                # with the AWS managed key (its key policy does not admit the
                # CloudWatch service), and alarm texts hold no secrets.
                Tags=tags(spec),
            )
        )
        template.add_resource(
            sns.TopicPolicy(
                names.ALARM_TOPIC_POLICY,
                Topics=[Ref(names.ALARM_TOPIC)],
                PolicyDocument=PolicyDocument(
                    Version="2012-10-17",
                    Statement=[
                        Statement(
                            Sid="CloudWatchAlarmsOfThisAccount",
                            Effect=Allow,
                            Principal=Principal("Service", "cloudwatch.amazonaws.com"),
                            Action=[sns_actions.Publish],
                            Resource=[Ref(names.ALARM_TOPIC)],
                            # Confused-deputy protection: only this account's alarms.
                            Condition=Condition(
                                [
                                    StringEquals("aws:SourceAccount", Ref("AWS::AccountId")),
                                    ArnLike(
                                        "aws:SourceArn",
                                        Sub(
                                            "arn:${AWS::Partition}:cloudwatch:${AWS::Region}:"
                                            "${AWS::AccountId}:alarm:*"
                                        ),
                                    ),
                                ]
                            ),
                        )
                    ],
                ),
            )
        )
        if mon.topic_email:
            template.add_resource(
                sns.SubscriptionResource(
                    names.ALARM_EMAIL_SUBSCRIPTION,
                    TopicArn=Ref(names.ALARM_TOPIC),
                    Protocol="email",
                    Endpoint=mon.topic_email,
                )
            )
        return [Ref(names.ALARM_TOPIC)]

    template.add_parameter(
        Parameter(
            names.ALARM_TOPIC_ARN,
            Type="String",
            Default=mon.alarm_topic_arn or "",
            AllowedPattern=_TOPIC_ARN_PATTERN,
            ConstraintDescription="an SNS topic ARN, or empty for no notifications",
            Description="SNS topic for alarm, OK and insufficient-data notifications; "
            "empty: the alarms notify nobody.",
        )
    )
    template.add_condition(
        names.HAS_ALARM_TOPIC, Not(Equals(Ref(names.ALARM_TOPIC_ARN), ""))
    )
    return If(names.HAS_ALARM_TOPIC, [Ref(names.ALARM_TOPIC_ARN)], NoValue)


def _queries(kind: catalog.AlarmKind, suffixes: tuple[str, ...]) -> list[Any]:
    queries = [
        cloudwatch.MetricDataQuery(
            Id=f"node{suffix.replace('-', '_')}",
            Label=suffix,
            MetricStat=cloudwatch.MetricStat(
                Metric=cloudwatch.Metric(
                    Namespace=catalog.NAMESPACE,
                    MetricName=kind.metric,
                    Dimensions=[
                        cloudwatch.MetricDimension(Name="CacheClusterId", Value=member_id(suffix))
                    ],
                ),
                Period=catalog.PERIOD_SECONDS,
                Stat=kind.statistic,
            ),
            ReturnData=False,
        )
        for suffix in suffixes
    ]
    ids = ",".join(q.Id for q in queries)
    queries.append(
        cloudwatch.MetricDataQuery(
            Id="highest",
            Expression=f"MAX([{ids}])",
            Label=f"{kind.metric}, highest node",
            ReturnData=True,
        )
    )
    return queries


def alarm_description(kind: catalog.AlarmKind, alarm: Alarm, nodes: int) -> str:
    scope = "the node" if nodes == 1 else f"any of the {nodes} nodes"
    minutes = catalog.EVALUATION_PERIODS * catalog.PERIOD_SECONDS // 60
    return (
        f"{kind.describe(alarm.threshold)} on {scope} for {minutes} minutes. "
        f"{kind.runbook}"
    )


def add_alarms(template: Template, spec: Spec, actions: Any) -> list[str]:
    """One alarm per enabled metric; returns their logical ids."""
    suffixes = spec_member_suffixes(spec)
    created = []
    for alarm in spec.monitoring.alarms:
        kind = catalog.BY_KEY[alarm.key]
        template.add_resource(
            cloudwatch.Alarm(
                kind.logical_id,
                # Prefixed with the stack name: two stacks (environments,
                # StackSet instances) in one account and region never collide.
                AlarmName=Sub(f"${{AWS::StackName}}-{kind.key.replace('_', '-')}"),
                AlarmDescription=alarm_description(kind, alarm, len(suffixes)),
                ComparisonOperator="GreaterThanThreshold",
                Threshold=alarm.value,
                EvaluationPeriods=catalog.EVALUATION_PERIODS,
                DatapointsToAlarm=catalog.DATAPOINTS_TO_ALARM,
                TreatMissingData=kind.treat_missing_data,
                Metrics=_queries(kind, suffixes),
                AlarmActions=actions,
                OKActions=actions,
                InsufficientDataActions=actions,
                Tags=tags(spec),
            )
        )
        created.append(kind.logical_id)
    return created
