"""A CloudWatch dashboard: every alarm metric and the usual health graphs, per node.

The body is built as data and rendered with sorted keys, so it is
deterministic; node ids go in through Fn::Sub, like the alarms' (same
member-id function).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from troposphere import Ref, Sub, Template, cloudwatch

from ..catalog import alarms as catalog
from ..input.model import Alarm, ReplicationGroup, Spec
from ..vocabulary import names, resource_names
from . import exposed
from .members import member_id_text
from .provenance import add_resource
from .tags import tags

WIDTH, HEIGHT, COLUMNS = 12, 6, 2

# Graphs shown beside the alarm metrics: (title, metric, stat).
EXTRA_GRAPHS: tuple[tuple[str, str, str], ...] = (
    ("Cache hit rate (%)", "CacheHitRate", "Average"),
    ("Network bytes in", "NetworkBytesIn", "Sum"),
    ("Network bytes out", "NetworkBytesOut", "Sum"),
)


def _widget(index: int, title: str, metric: str, stat: str, lines: list[list[Any]],
            alarm: Alarm | None, threshold: Any) -> dict[str, Any]:
    properties: dict[str, Any] = {
        "title": title,
        "region": "${AWS::Region}",
        "period": catalog.PERIOD_SECONDS,
        "stat": stat,
        "view": "timeSeries",
        "metrics": lines,
    }
    if alarm is not None:
        # The line sits where CloudWatch compares, which for a scaled cpu
        # alarm is the host threshold, not the spec's engine threshold.
        label = "alarm" if alarm.divisor == 1 else (
            f"alarm: engine {alarm.threshold:g}% / {alarm.divisor} vCPUs"
        )
        properties["annotations"] = {"horizontal": [{"label": label, "value": threshold}]}
    return {
        "type": "metric",
        "x": (index % COLUMNS) * WIDTH,
        "y": (index // COLUMNS) * HEIGHT,
        "width": WIDTH,
        "height": HEIGHT,
        "properties": properties,
    }


def _node_lines(metric: str, suffixes: tuple[str, ...]) -> list[list[Any]]:
    return [
        [catalog.NAMESPACE, metric, "CacheClusterId", member_id_text(suffix), {"label": suffix}]
        for suffix in suffixes
    ]


def _body(spec: Spec, graphs: list[tuple[str, str, str, Alarm | None]],
          lines: Callable[[str], list[list[Any]]]) -> str:
    graphs = graphs + [(title, metric, stat, None) for title, metric, stat in EXTRA_GRAPHS]
    widgets = [
        _widget(i, title, metric, stat, lines(metric), alarm, _threshold(spec, alarm))
        for i, (title, metric, stat, alarm) in enumerate(graphs)
    ]
    body = json.dumps({"widgets": widgets}, sort_keys=True, separators=(",", ":"))
    # An exposed threshold goes in through Fn::Sub as a bare number: unquote it.
    return re.sub(r'"(\$\{[A-Za-z0-9]+Threshold\})"', r"\1", body)


def _threshold(spec: Spec, alarm: Alarm | None) -> Any:
    """The line's value: the threshold CloudWatch compares, or its Parameter."""
    if alarm is None:
        return None
    value = exposed.threshold(spec, alarm)
    return f"${{{value.data['Ref']}}}" if isinstance(value, Ref) else value


def dashboard_body(spec: Spec, rg: ReplicationGroup, suffixes: tuple[str, ...]) -> str:
    topology = rg.topology
    enabled = {a.key: a for a in spec.monitoring.alarms}
    graphs: list[tuple[str, str, str, Alarm | None]] = []
    for kind in catalog.ALARMS:
        if kind.key not in catalog.NODE_ALARMS:
            continue
        if kind.key == "replication_lag" and not topology.replicas:
            continue  # no replica, no metric
        metric = catalog.metric(kind, data_tiering=topology.data_tiering)
        graphs.append((f"{metric} ({kind.unit})", metric, kind.statistic, enabled.get(kind.key)))
    return _body(spec, graphs, lambda metric: _node_lines(metric, suffixes))


def serverless_dashboard_body(spec: Spec) -> str:
    """The serverless metrics, one line each (per cache, not per node). Limit
    alarms are a % of a limit: their line sits at the compared value."""
    enabled = {a.key: a for a in spec.monitoring.alarms}
    graphs: list[tuple[str, str, str, Alarm | None]] = [
        (f"{kind.metric} ({kind.statistic})", kind.metric, kind.statistic, enabled.get(kind.key))
        for kind in catalog.ALARMS
        if kind.key in catalog.SERVERLESS_ALARMS
    ]
    name = f"${{{names.SERVERLESS_CACHE}}}"
    return _body(spec, graphs, lambda metric: [
        [catalog.NAMESPACE, metric, catalog.SERVERLESS_DIMENSION, name]
    ])


def _add(template: Template, spec: Spec, body: str) -> None:
    add_resource(
        template,
        cloudwatch.Dashboard(
            names.DASHBOARD,
            DashboardName=Sub(resource_names.dashboard_name()),
            DashboardBody=Sub(body),
            # Taggable like the alarms (the provider schema of
            # AWS::CloudWatch::Dashboard bundled with cfn-lint: Tags, taggable,
            # tagUpdatable: adding them updates in place).
            Tags=tags(spec),
        ),
        ("monitoring", "dashboard"),
        {"Tags": ("tags",)},
    )


def add_dashboard(
    template: Template, spec: Spec, rg: ReplicationGroup, suffixes: tuple[str, ...]
) -> None:
    _add(template, spec, dashboard_body(spec, rg, suffixes))


def add_serverless_dashboard(template: Template, spec: Spec) -> None:
    _add(template, spec, serverless_dashboard_body(spec))
