"""An upper bound on the size of a spec's template, from the spec alone.

`cachec validate` judges a spec without making its template where it can:
every check but the size checks needs only the spec (the StackSet overrides
read the Parameters as data, template/declared.py). The size checks need
the template's size: `template-needs-s3` above CloudFormation's 51,200-byte
inline limit, `template-too-large` above 1 MB. `size_bound(spec)` is a
number of bytes the YAML template cannot exceed, so a spec whose bound is at
most the inline limit triggers neither, and validate skips synthesis (and
troposphere) for it; any other spec is synthesized and measured as before.
The bound only makes validate faster: it never decides a verdict.

The template grows along a few dimensions, each a term below: the alarms'
metric queries (one per alarm and node), the alarm resources (one per alarm,
or per slice of 10 nodes and a composite), the dashboard's lines (per node),
the shards, users, ingress sources and extra alarm topics; the tags,
written on every taggable resource; the spec's own text (names, ARNs,
descriptions, engine parameters), which the template repeats; the
Parameters (template/declared.py, measured as data). Each term's bytes per
unit are above the largest real cost measured, and the constant above
everything else the template holds. tests/test_size_bound.py holds the
bound to real templates: every golden, the 500-node extremes, and specs
grown along every dimension (hypothesis, steered to the tightest ratio of
size to bound); a template that outgrows its bound fails there, not in a
user's verdict.
"""

from __future__ import annotations

import dataclasses
import json
import math
from typing import Any

from ..input.model import ReplicationGroup, Spec
from .declared import MAX_REPLICAS, declared

# A metric-math alarm references at most 10 metrics (CloudWatch quotas,
# https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch_limits.html;
# synthesize/alarms.MAX_METRICS_PER_ALARM): larger groups get one alarm per
# slice of 10 nodes and a composite alarm over the slices.
_METRICS_PER_ALARM = 10

# Bytes per unit of each dimension, each above the largest real cost seen
# (tests/test_size_bound.py holds them there); BASE: everything else.
BASE = 10_000
PER_QUERY = 480  # one metric query: one alarm on one node (alarm Metrics)
SINGLE_ALARM = 2_100  # an alarm over at most 10 nodes: description, actions
COMPOSITE_ALARM = 2_300  # the composite over an alarm's slices
PER_SLICE = 600  # a slice's alarm, and its ALARM() in the composite's rule
PER_EXTRA_TOPIC = 250  # one extra alarm topic, in each notifying alarm's actions
DASHBOARD = 4_000
PER_DASHBOARD_NODE = 1_000  # one node's line in every graph of the dashboard
PER_SHARD = 150
PER_USER = 1_500  # a user, its secret, its Outputs
USER_ID_REPEATS = 6  # `<name>-<environment>-` in each user's ids and names
PER_INGRESS = 250  # one ingress source (security group or CIDR block) or attached group
PER_TAG = 32  # one tag's fixed text (`- Key: `, `Value: `, indentation) on one resource
TAGGED_BESIDES_ALARMS = 12  # taggable resources other than alarms and users
TAGGED_PER_USER = 2  # a user and its secret
TEXT_REPEATS = 4  # how often the template repeats the spec's text, at most
PARAMETER_TEXT = 3  # the Parameters' YAML (and console labels) per byte of their JSON


def text_weight(text: str) -> int:
    """Bytes a string can take in the YAML template: UTF-8, in quotes, with
    a quote or backslash escaped (doubled) at worst. The schema refuses
    control characters in free text; YAML keeps other characters as they
    are (render.py: allow_unicode)."""
    return len(text.encode("utf-8")) + 2 + sum(text.count(c) for c in "'\"\\")


_LINE = 10


def _spec_text(value: Any) -> int:
    """The weight of every string the model holds (tags, accepted warnings
    and the set of keys written apart)."""
    if isinstance(value, str):  # and its line: indentation, key or dash
        return text_weight(value) + _LINE
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return sum(
            _spec_text(getattr(value, f.name)) for f in dataclasses.fields(value)
            if f.name not in ("tags", "accept", "explicit")
        )
    if isinstance(value, tuple | list | frozenset | set):
        return sum(_spec_text(v) for v in value)
    if isinstance(value, dict):
        return sum(_spec_text(k) + _spec_text(v) for k, v in value.items())
    return 0


@dataclasses.dataclass(frozen=True)
class Dimensions:
    """What the template's size grows with, counted from the spec."""

    queries: int
    alarms: int
    slices: int  # of each alarm's nodes: 1, or one per 10 nodes
    alarm_resources: int
    dashboard: bool
    dashboard_nodes: int
    shards: int
    users: int
    user_prefix: int  # the weight of `<name>-<environment>-`
    ingress: int
    extra_topics: int
    tags: int  # tags on one resource
    tag_text: int  # their text's weight on one resource
    tagged: int  # taggable resources, at most
    text: int
    parameter_text: int


def _nodes(rg: ReplicationGroup | None, spec: Spec) -> int:
    """Every node the alarms and the dashboard watch: with exposed replicas,
    every node the group can have (synthesize/replication_group.members)."""
    if rg is None:
        return 0
    topo = rg.topology
    replicas = MAX_REPLICAS if spec.stack.exposes("replicas") else topo.replicas
    return topo.shards * (replicas + 1)


def dimensions(spec: Spec) -> Dimensions:
    rg = spec.replication_group
    nodes = _nodes(rg, spec)
    alarms = len(spec.monitoring.alarms)
    slices = max(1, math.ceil(nodes / _METRICS_PER_ALARM))
    alarm_resources = alarms * (1 if slices == 1 else slices + 1)
    net = spec.network
    tags = spec.stack_tags
    users = len(spec.security.users)
    return Dimensions(
        queries=alarms * nodes,
        alarms=alarms,
        slices=slices,
        alarm_resources=alarm_resources,
        dashboard=spec.monitoring.dashboard,
        dashboard_nodes=nodes if spec.monitoring.dashboard else 0,
        shards=rg.topology.shards if rg is not None else 0,
        users=users,
        user_prefix=text_weight(f"{spec.name}-{spec.environment}-"),
        ingress=(len(net.allowed_security_group_ids) + len(net.cidrs(4)) + len(net.cidrs(6))
                 + len(net.security_group_ids)),
        extra_topics=sum(len(arns) for _, arns in spec.monitoring.extra_actions),
        tags=len(tags) + 1,  # and Name, on the security groups
        tag_text=sum(text_weight(k) + text_weight(v) for k, v in tags.items()),
        tagged=TAGGED_BESIDES_ALARMS + alarm_resources + TAGGED_PER_USER * users,
        text=_spec_text(spec),
        parameter_text=sum(
            len(json.dumps([p.name, p.as_dict()], ensure_ascii=False).encode("utf-8"))
            for p in declared(spec).parameters
        ),
    )


def size_bound(spec: Spec) -> int:
    """Bytes the spec's YAML template cannot exceed."""
    d = dimensions(spec)
    return (
        BASE
        + PER_QUERY * d.queries
        + d.alarms * (SINGLE_ALARM if d.slices == 1 else COMPOSITE_ALARM + PER_SLICE * d.slices)
        + PER_EXTRA_TOPIC * d.extra_topics * d.alarms
        + (DASHBOARD if d.dashboard else 0) + PER_DASHBOARD_NODE * d.dashboard_nodes
        + PER_SHARD * d.shards
        + d.users * (PER_USER + USER_ID_REPEATS * d.user_prefix)
        + PER_INGRESS * d.ingress
        + (PER_TAG * d.tags + d.tag_text) * d.tagged
        + TEXT_REPEATS * d.text
        + PARAMETER_TEXT * d.parameter_text
    )
