"""CloudWatch alarms: one per metric, over every member node.

Each alarm is a metric-math alarm: one query per member node on the
CacheClusterId dimension and `MAX([...])` over them. Why not one alarm per
node: CloudWatch bills per alarm metric, so the cost is about the same, but
an incident (memory climbing on the primary and its replicas at once) pages
once instead of N times, the alarm count stays small, and the alarm stays
meaningful across failovers, when primary and replica swap roles. The
dashboard shows which node it is.

A metric-math alarm may reference at most 10 metrics (CloudWatch quotas,
https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch_limits.html).
Up to 10 nodes (every group without cluster mode: at most 6) that is one
alarm per metric. A cluster of up to 500 nodes (the ElastiCache maximum,
rules.topology.MAX_NODES) gets, per metric, one math alarm per 10 nodes
without actions and one AWS::CloudWatch::CompositeAlarm over them that
notifies: still one page per incident, under the metric's stable logical id.
A composite rule may name at most 100 alarms (PutCompositeAlarm,
https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutCompositeAlarm.html):
500 nodes need 50. Resource budget at 500 nodes: 51 per metric, 306 for all
six metrics, inside CloudFormation's 500 resources per template.

Not chosen: per-node alarms (3,000 resources at 500 nodes x 6 metrics) and a
Metrics Insights query alarm per metric (one resource whatever the size, but
its WHERE clause would have to select this group's nodes by CacheClusterId
prefix, and no operator for that could be confirmed from AWS's query
syntax page; `=` on one id is all the sources here show).
"""

from __future__ import annotations

from typing import Any

from awacs import sns as sns_actions
from awacs.aws import (
    Allow,
    ArnLike,
    Bool,
    Condition,
    Deny,
    PolicyDocument,
    Principal,
    Statement,
    StringEquals,
)
from troposphere import (
    Equals,
    If,
    Not,
    NoValue,
    Ref,
    Select,
    Sub,
    Template,
    cloudwatch,
    sns,
)

from ..catalog import alarms as catalog
from ..catalog import node_types
from ..input.model import Alarm, ReplicationGroup, Spec
from ..template.declared import extra_topic_tails
from ..vocabulary import names, resource_names
from . import exposed
from .members import member_id
from .provenance import add_resource, came_from
from .tags import tags

TOPIC = ("monitoring", "create_topic")
_TOPIC_ARN = ("monitoring", "alarm_topic_arn")
_TAGS = {"Tags": ("tags",)}


def _alarm_key(key: str) -> tuple[str, ...]:
    return ("monitoring", "alarms", key)


# The alarm properties fed by monitoring.alarm_actions, ok_actions and
# insufficient_data_actions (Monitoring.extra_actions), in that order.
_STATE_PROPERTIES = ("AlarmActions", "OKActions", "InsufficientDataActions")


def add_notifications(template: Template, spec: Spec) -> dict[str, Any]:
    """The alarm actions of every state: the main topic (below) for all three,
    then the state's own extra topics (monitoring.alarm_actions, ok_actions,
    insufficient_data_actions).

    Each extra topic's ARN is built like the main one's, in the partition and
    region the stack is deployed to, with the account and name of the spec's
    ARN: CloudWatch notifies only topics in the alarm's region, and another
    account's topic is allowed when its policy admits cloudwatch.amazonaws.com
    (see the main topic below). PutMetricAlarm and PutCompositeAlarm take at
    most 5 actions per state ("Array Members: Maximum number of 5 items",
    https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html):
    the schema allows 4 extra topics, the fifth slot is the main topic's.
    """
    main = _add_main_topic(template, spec)
    notify: dict[str, Any] = {}
    for prop, (key, arns) in zip(_STATE_PROPERTIES, spec.monitoring.extra_actions, strict=True):
        if not arns:
            notify[prop] = main
            continue
        extras = _add_extra_topics(template, key, arns)
        if isinstance(main, list):  # the stack's own topic
            notify[prop] = [*main, *extras]
        else:
            # The AlarmTopicName Parameter may be empty: its slot drops out of
            # the list (an Fn::If to AWS::NoValue inside a list removes the item).
            notify[prop] = [If(names.HAS_ALARM_TOPIC, _main_topic_arn(), NoValue), *extras]
    return notify


def _add_extra_topics(template: Template, key: str, arns: tuple[str, ...]) -> list[Sub]:
    """One list's topics: a CommaDelimitedList Parameter of `<account>:<name>`
    (accounts differ per deployment and stay out of the template's literals,
    like the main topic's), each item's ARN built in the deploy region. Plain
    CloudFormation cannot loop over a list: one Fn::Select per position, so
    the spec fixes the count."""
    parameter = names.EXTRA_TOPICS[key]
    # The Parameter itself is declared with the others (template/declared.py).
    tails = extra_topic_tails(arns)
    return [
        Sub("arn:${AWS::Partition}:sns:${AWS::Region}:${Topic}",
            Topic=Select(index, Ref(parameter)))
        for index in range(len(tails))
    ]


# Where each alarm's actions come from: the main topic and the state's own
# list, so the `monitoring` section as a whole.
_ACTION_SOURCES = {prop: ("monitoring",) for prop in _STATE_PROPERTIES}


def _add_main_topic(template: Template, spec: Spec) -> Any:
    """The main topic: one the stack creates, or the AlarmTopicName Parameter.

    An existing topic is named, not given by ARN: the template builds the ARN
    in the stack's own partition and region (CloudWatch refuses actions in
    another region), in the AlarmTopicAccount Parameter's account or the
    stack's. The empty name means "no actions" through a Condition; the
    Conditions only ever touch alarm actions, never security settings.
    """
    mon = spec.monitoring
    if mon.create_topic:
        add_resource(
            template,
            sns.Topic(
                names.ALARM_TOPIC,
                DisplayName=f"cachec {spec.stack_name} alarms",
                # Unencrypted unless the spec names a customer managed key:
                # CloudWatch cannot publish to a topic encrypted with the AWS
                # managed key alias/aws/sns (its key policy does not admit the
                # CloudWatch service; "Enable compatibility between event sources
                # from AWS services and encrypted topics",
                # https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services),
                # and alarm texts hold no secrets. rules.monitoring refuses
                # alias/aws/sns; the customer key's policy is the deployer's
                # (docs/customer-keys.md).
                **(
                    {"KmsMasterKeyId": Ref(names.ALARM_TOPIC_KMS_KEY_ID)}
                    if mon.topic_kms_key_id else {}
                ),
                Tags=tags(spec),
            ),
            TOPIC,
            {**_TAGS, "KmsMasterKeyId": (*TOPIC, "kms_key_id")},
        )
        add_resource(
            template,
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
                            # Confused-deputy protection: without aws:SourceAccount,
                            # any account's alarm could publish to this topic through
                            # the CloudWatch service principal ("The confused deputy
                            # problem", https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html;
                            # SNS: https://docs.aws.amazon.com/sns/latest/dg/sns-access-policy-use-cases.html).
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
                        ),
                        # Nothing publishes over plain HTTP: AWS's statement from
                        # "Enforce encryption of data in transit"
                        # (https://docs.aws.amazon.com/sns/latest/dg/sns-security-best-practices.html#enforce-encryption-data-in-transit),
                        # the form cdk-nag AwsSolutions-SNS3 looks for on an
                        # unencrypted topic (cdklabs/cdk-nag,
                        # src/rules/sns/SNSTopicSSLPublishOnly.ts: Deny,
                        # sns:Publish, Principal "*", Bool aws:SecureTransport false).
                        Statement(
                            Sid="PublishOnlyOverTls",
                            Effect=Deny,
                            Principal=Principal("*"),
                            Action=[sns_actions.Publish],
                            Resource=[Ref(names.ALARM_TOPIC)],
                            Condition=Condition(Bool("aws:SecureTransport", "false")),
                        ),
                    ],
                ),
            ),
            TOPIC,
        )
        if mon.topic_email:
            add_resource(
                template,
                sns.SubscriptionResource(
                    names.ALARM_EMAIL_SUBSCRIPTION,
                    TopicArn=Ref(names.ALARM_TOPIC),
                    Protocol="email",
                    Endpoint=mon.topic_email,
                ),
                TOPIC,
                {"Endpoint": (*TOPIC, "email")},
            )
        return [Ref(names.ALARM_TOPIC)]

    # AlarmTopicName and AlarmTopicAccount are declared with the other
    # Parameters (template/declared.py); the Conditions read them.
    template.add_condition(
        names.HAS_ALARM_TOPIC, Not(Equals(Ref(names.ALARM_TOPIC_NAME), ""))
    )
    template.add_condition(
        names.ALARM_TOPIC_IN_STACK_ACCOUNT, Equals(Ref(names.ALARM_TOPIC_ACCOUNT), "")
    )
    for name in (names.HAS_ALARM_TOPIC, names.ALARM_TOPIC_IN_STACK_ACCOUNT):
        came_from(template, _TOPIC_ARN, "Conditions", name)
    # Region and partition always come from the stack, so CloudWatch's
    # "Invalid region us-east-1 specified. Only eu-west-1 is supported"
    # (alarm actions must be in the alarm's region; cds-snc/notification-terraform
    # PR #128) cannot happen in any region a StackSet deploys to. Template
    # Rules could not prevent it: their functions (Fn::Equals, Fn::Contains,
    # Fn::EachMemberIn, ...) compare whole values and cannot take an ARN apart
    # (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/
    # intrinsic-function-reference-rules.html).
    # The account may differ: alarms can notify another account's topic when
    # its topic policy admits cloudwatch.amazonaws.com (the central-topic setup
    # of aws-samples/amazon-cloudwatch-auto-alarms, CloudWatchAutoAlarms-SNS.yaml).
    return If(names.HAS_ALARM_TOPIC, [_main_topic_arn()], NoValue)


def _main_topic_arn() -> If:
    return If(
        names.ALARM_TOPIC_IN_STACK_ACCOUNT,
        _topic_arn("AWS::AccountId"),
        _topic_arn(names.ALARM_TOPIC_ACCOUNT),
    )


def _topic_arn(account: str) -> Sub:
    return Sub(
        f"arn:${{AWS::Partition}}:sns:${{AWS::Region}}:${{{account}}}:"
        f"${{{names.ALARM_TOPIC_NAME}}}"
    )


# CloudWatch quotas (module docstring): metrics per metric-math alarm.
MAX_METRICS_PER_ALARM = 10


def node_query(suffix: str, metric: str, statistic: str) -> cloudwatch.MetricDataQuery:
    """One node's metric, not returned: ElastiCache publishes per node
    (dimension CacheClusterId), and an alarm takes the highest of its nodes."""
    return cloudwatch.MetricDataQuery(
        Id=f"node{suffix.replace('-', '_')}",
        Label=suffix,
        MetricStat=cloudwatch.MetricStat(
            Metric=cloudwatch.Metric(
                Namespace=catalog.NAMESPACE,
                MetricName=metric,
                Dimensions=[
                    cloudwatch.MetricDimension(Name="CacheClusterId", Value=member_id(suffix))
                ],
            ),
            Period=catalog.PERIOD_SECONDS,
            Stat=statistic,
        ),
        ReturnData=False,
    )


def _queries(
    kind: catalog.AlarmKind, alarm: Alarm, suffixes: tuple[str, ...], exposed_replicas: bool
) -> list[Any]:
    """One query per node, then the highest. With exposed replicas, nodes
    beyond the first are queried only where they exist (HasNode<k>), and the
    expression names exactly those."""
    queries: list[Any] = [node_query(suffix, alarm.metric, kind.statistic) for suffix in suffixes]
    ids = [q.Id for q in queries]
    expression: Any = f"MAX([{','.join(ids)}])"
    if exposed_replicas:
        queries[1:] = [If(names.has_node(k), q, NoValue) for k, q in enumerate(queries[1:], 2)]
        expression = "MAX([node001])"
        for k in range(2, len(ids) + 1):
            expression = If(names.has_node(k), f"MAX([{','.join(ids[:k])}])", expression)
    queries.append(
        cloudwatch.MetricDataQuery(
            Id="highest",
            Expression=expression,
            Label=f"{alarm.metric}, highest node",
            ReturnData=True,
        )
    )
    return queries


def _why(kind: catalog.AlarmKind, alarm: Alarm, vcpus: int | None) -> str:
    """What the metric and threshold mean on this cache, when that needs saying."""
    if alarm.key == "cpu" and vcpus is not None and vcpus <= catalog.SMALL_NODE_MAX_VCPUS:
        # Both sides of the scaling go into the text, so whoever reads the
        # alarm sees the spec's number and the one CloudWatch compares.
        return (
            f"That is the engine thread above {kind.amount(alarm.threshold)} of its core "
            f"(spec: cpu {alarm.threshold:g}): the engine is single-threaded, so on this "
            f"{vcpus}-vCPU node a saturated engine shows {100 / vcpus:g}% host CPU, and AWS "
            f"alarms at engine threshold / vCPUs ({alarm.threshold:g} / {vcpus} = "
            f"{alarm.value:g}%). "
        )
    if alarm.key == "cpu":
        return (
            "Whole-host CPU (engine, I/O threads, OS), unscaled: on nodes with 4 or more "
            "vCPUs host CPU does not show the engine thread, which engine_cpu "
            "(EngineCPUUtilization) watches. "
        )
    if alarm.metric == catalog.DATA_TIERED_MEMORY_METRIC:
        return (
            "Data-tiered node: memory plus SSD. DRAM fills by design here (values move to "
            "SSD), so DatabaseMemoryUsagePercentage sits near 100% and is not alarmed on. "
        )
    return ""


def alarm_description(kind: catalog.AlarmKind, alarm: Alarm, rg: ReplicationGroup,
                      vcpus: int | None) -> str:
    nodes = rg.topology.node_count
    scope = "the node" if nodes == 1 else f"any of the {nodes} nodes"
    minutes = catalog.EVALUATION_PERIODS * catalog.PERIOD_SECONDS // 60
    shape = catalog.Shape(cluster_mode=rg.topology.cluster_mode,
                          replicas=rg.topology.replicas > 0)
    return (
        f"{alarm.metric} ({kind.statistic}) above {kind.amount(alarm.value)} on {scope} "
        f"for {minutes} minutes. {_why(kind, alarm, vcpus)}{kind.runbook_for(shape)}"
    )


def parts(suffixes: tuple[str, ...]) -> list[tuple[str, ...]]:
    """The member nodes in slices one metric-math alarm can watch."""
    step = MAX_METRICS_PER_ALARM
    sliced = [suffixes[i:i + step] for i in range(0, len(suffixes), step)]
    assert len(sliced) <= names.MAX_ALARM_PARTS, "rules.topology refuses more than 500 nodes"
    return sliced


def _alarm_name(kind: catalog.AlarmKind, suffix: str = "") -> Sub:
    # Prefixed with the stack name: two stacks (environments, StackSet
    # instances) in one account and region never collide. AlarmName is
    # create-only: every alarm id has a name of its own, so none is reused.
    return Sub(resource_names.alarm_name(kind.key, suffix))


def _metric_alarm(
    spec: Spec, kind: catalog.AlarmKind, alarm: Alarm, suffixes: tuple[str, ...],
    logical_id: str, name: Sub, description: str, notify: dict[str, Any],
) -> cloudwatch.Alarm:
    # Keyword order is the rendered order: kept as it was before large clusters.
    return cloudwatch.Alarm(
        logical_id,
        AlarmName=name,
        AlarmDescription=description,
        ComparisonOperator="GreaterThanThreshold",
        Threshold=exposed.threshold(spec, alarm),
        EvaluationPeriods=catalog.EVALUATION_PERIODS,
        DatapointsToAlarm=catalog.DATAPOINTS_TO_ALARM,
        TreatMissingData=kind.treat_missing_data,
        Metrics=_queries(kind, alarm, suffixes, spec.stack.exposes("replicas")),
        **notify,
        Tags=tags(spec),
    )


def add_alarms(
    template: Template, spec: Spec, rg: ReplicationGroup, suffixes: tuple[str, ...],
    notify: dict[str, Any],
) -> list[str]:
    """One alarm per enabled metric over the member nodes `suffixes`, notifying
    `notify` (add_notifications); returns their logical ids."""
    node = node_types.lookup(rg.node_type)
    vcpus = node.vcpus if node else None
    slices = parts(suffixes)
    sources = {**_TAGS, **_ACTION_SOURCES}
    for alarm in spec.monitoring.alarms:
        kind = catalog.BY_KEY[alarm.key]
        # The spec's nodes: with exposed replicas, `suffixes` are every node
        # the group can have.
        description = alarm_description(kind, alarm, rg, vcpus)
        if len(slices) == 1:
            add_resource(template, _metric_alarm(
                spec, kind, alarm, suffixes, names.ALARMS[kind.key], _alarm_name(kind),
                description, notify,
            ), _alarm_key(kind.key), sources)
            continue
        for number, part in enumerate(slices, start=1):
            add_resource(
                template,
                # No actions: the composite below notifies, once per incident.
                _metric_alarm(
                    spec, kind, alarm, part, names.alarm_part(kind.key, number),
                    _alarm_name(kind, resource_names.alarm_suffixes(len(slices))[number - 1]),
                    f"Part {number} of {len(slices)} of {names.alarm_composite(kind.key)}: "
                    f"nodes {part[0]} to {part[-1]}.",
                    {},
                ),
                _alarm_key(kind.key),
                _TAGS,
            )
        rule = " OR ".join(
            f'ALARM("${{{names.alarm_part(kind.key, n)}}}")' for n in range(1, len(slices) + 1)
        )
        add_resource(
            template,
            cloudwatch.CompositeAlarm(
                names.alarm_composite(kind.key),
                AlarmName=_alarm_name(kind, resource_names.alarm_suffixes(len(slices))[-1]),
                AlarmDescription=description[:1024],
                AlarmRule=Sub(rule),
                Tags=tags(spec),
                **notify,
            ),
            _alarm_key(kind.key),
            sources,
        )
    notifying = names.ALARMS if len(slices) == 1 else {
        key: names.alarm_composite(key) for key in names.ALARMS
    }
    return [notifying[a.key] for a in spec.monitoring.alarms]


def add_serverless_alarms(template: Template, spec: Spec, notify: dict[str, Any]) -> list[str]:
    """One plain metric alarm per enabled metric: a serverless cache publishes
    its metrics per cache (dimension catalog.SERVERLESS_DIMENSION = its name),
    so there are no members to combine."""
    sources = {**_TAGS, **_ACTION_SOURCES}
    for alarm in spec.monitoring.alarms:
        kind = catalog.BY_KEY[alarm.key]
        minutes = catalog.EVALUATION_PERIODS * catalog.PERIOD_SECONDS // 60
        limit = f" ({kind.amount(alarm.threshold)} of the limit)" if alarm.scale != 1 else ""
        add_resource(
            template,
            cloudwatch.Alarm(
                names.ALARMS[kind.key],
                AlarmName=_alarm_name(kind),
                AlarmDescription=(
                    f"{alarm.metric} ({kind.statistic}, 1-minute periods) above {alarm.value:g}"
                    f"{limit} for {minutes} minutes. "
                    f"{kind.runbook_for(catalog.Shape(serverless=True))}"
                ),
                Namespace=catalog.NAMESPACE,
                MetricName=alarm.metric,
                Dimensions=[
                    cloudwatch.MetricDimension(
                        Name=catalog.SERVERLESS_DIMENSION, Value=Ref(names.SERVERLESS_CACHE)
                    )
                ],
                Statistic=kind.statistic,
                Period=catalog.PERIOD_SECONDS,
                ComparisonOperator="GreaterThanThreshold",
                Threshold=alarm.value,
                EvaluationPeriods=catalog.EVALUATION_PERIODS,
                DatapointsToAlarm=catalog.DATAPOINTS_TO_ALARM,
                TreatMissingData=kind.treat_missing_data,
                **notify,
                Tags=tags(spec),
            ),
            _alarm_key(kind.key),
            sources,
        )
    return [names.ALARMS[a.key] for a in spec.monitoring.alarms]
