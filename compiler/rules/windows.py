"""Snapshot and maintenance windows: well-formed lengths, no overlap.

ElastiCache rejects a snapshot window shorter than 60 minutes, a maintenance
window outside 60 minutes..24 hours, and the two overlapping
(https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/backups-automatic.html).
"""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Diagnostic, error, warning
from ..input.model import ReplicationGroup, Spec
from ..kinds import EC_GUIDE, MODIFY_REPLICATION_GROUP, ErrorKind, Stage, WarningKind

_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_DAY_MINUTES = 24 * 60
_WEEK_MINUTES = 7 * _DAY_MINUTES

Interval = tuple[int, int]  # [start, end) in minutes; end may pass the period's end


def _minutes(hhmm: str) -> int:
    hours, minutes = hhmm.split(":")
    return int(hours) * 60 + int(minutes)


def snapshot_interval(window: str) -> Interval:
    start, end = (_minutes(t) for t in window.split("-"))
    return start, end if end > start else end + _DAY_MINUTES


def maintenance_interval(window: str) -> Interval:
    start, end = (
        _DAYS.index(part[:3]) * _DAY_MINUTES + _minutes(part[4:])
        for part in window.split("-")
    )
    return start, end if end > start else end + _WEEK_MINUTES


def _overlaps(a: Interval, b: Interval, period: int) -> bool:
    """Do two intervals on a circle of `period` minutes overlap?"""
    return any(
        a[0] + shift < b[1] and b[0] < a[1] + shift for shift in (-period, 0, period)
    )


SNAPSHOT_WINDOW_TOO_SHORT = ErrorKind(
    "snapshot-window-too-short", Stage.RULES, "The snapshot window is shorter than 60 minutes.",
    "ElastiCache needs a snapshot window of at least 60 minutes.",
    "Widen backups.window to an hour or more.", EC_GUIDE + "backups-automatic.html",
)
MAINTENANCE_WINDOW_LENGTH = ErrorKind(
    "maintenance-window-length", Stage.RULES,
    "The maintenance window is not 60 minutes to 24 hours.",
    "ElastiCache accepts maintenance windows of 60 minutes to 24 hours.",
    "Adjust maintenance_window.", MODIFY_REPLICATION_GROUP,
)


def window_lengths(spec: Spec, rg: ReplicationGroup) -> Iterator[Diagnostic]:
    start, end = snapshot_interval(spec.backups.window)
    if spec.backups.retention_days and end - start < 60:
        yield error(
            SNAPSHOT_WINDOW_TOO_SHORT,
            ("backups", "window"),
            f"the snapshot window {spec.backups.window} lasts {end - start} minutes; "
            "ElastiCache needs at least 60",
        )
    start, end = maintenance_interval(rg.maintenance_window)
    if not 60 <= end - start <= _DAY_MINUTES:
        yield error(
            MAINTENANCE_WINDOW_LENGTH,
            ("maintenance_window",),
            f"the maintenance window {rg.maintenance_window} lasts {end - start} "
            "minutes; ElastiCache needs 60 minutes to 24 hours",
        )


WINDOWS_OVERLAP = ErrorKind(
    "windows-overlap", Stage.RULES, "The snapshot window overlaps the maintenance window.",
    "ElastiCache rejects overlapping windows.", "Move one of the windows.",
    EC_GUIDE + "backups-automatic.html",
)


def windows_do_not_overlap(spec: Spec, rg: ReplicationGroup) -> Iterator[Diagnostic]:
    if not spec.backups.retention_days:
        return  # no automatic snapshots, no snapshot window
    snap = snapshot_interval(spec.backups.window)
    maint = maintenance_interval(rg.maintenance_window)
    daily = [(snap[0] + d * _DAY_MINUTES, snap[1] + d * _DAY_MINUTES) for d in range(7)]
    if any(_overlaps(day, maint, _WEEK_MINUTES) for day in daily):
        yield error(
            WINDOWS_OVERLAP,
            ("backups", "window"),
            f"the daily snapshot window {spec.backups.window} overlaps the maintenance "
            f"window {rg.maintenance_window}; ElastiCache rejects overlapping windows",
        )


SNAPSHOT_WINDOW_UNUSED = WarningKind(
    "snapshot-window-unused", Stage.RULES, "A snapshot window with automatic snapshots off.",
    "With retention_days: 0 the window has no effect, which is rarely what its author meant.",
    "Set retention_days or remove the window.", EC_GUIDE + "backups-automatic.html",
)


def snapshot_window_used(spec: Spec) -> Iterator[Diagnostic]:
    # backups.window, or its serverless counterpart serverless.daily_snapshot_time.
    for path in (("backups", "window"), ("serverless", "daily_snapshot_time")):
        if not spec.backups.retention_days and spec.sets(*path):
            yield warning(
                SNAPSHOT_WINDOW_UNUSED,
                path,
                "retention_days is 0 (no automatic snapshots), so the snapshot window has no "
                "effect",
            )
