"""Log delivery the engine version can do."""

from __future__ import annotations

from collections.abc import Iterator

from ..catalog import engines
from ..diagnostics import Diagnostic, error, warning
from ..input.model import Spec
from ..kinds import EC_GUIDE, ErrorKind, Stage, WarningKind

_KEYS = {engines.SLOW_LOG: "slow_log", engines.ENGINE_LOG: "engine_log"}


LOG_TYPE_UNSUPPORTED = ErrorKind(
    "log-type-unsupported", Stage.RULES, "A log the engine version cannot deliver.",
    "Slow logs need Redis OSS 6.0 or later and engine logs 6.2 or later (or Valkey).",
    "Raise engine_version or turn the log off.", EC_GUIDE + "Log_Delivery.html",
)


def log_types_supported(spec: Spec) -> Iterator[Diagnostic]:
    info = spec.version_info
    if info is None:
        return
    for log_type in spec.logs.types:
        if log_type not in info.log_types:
            needs = engines.first_version_with_log(info.engine, log_type)
            yield error(
                LOG_TYPE_UNSUPPORTED,
                ("logs", _KEYS[log_type]),
                f"{info.label} cannot deliver the {log_type}; it needs {info.engine} {needs} "
                "or later, or Valkey",
            )


LOG_SETTINGS_UNUSED = WarningKind(
    "log-settings-unused", Stage.RULES,
    "Log settings with both logs off, or group settings without a created group.",
    "They have no effect, which is rarely what their author meant.",
    "Turn a log on or remove the settings.", EC_GUIDE + "Log_Delivery.html",
)


def log_settings_used(spec: Spec) -> Iterator[Diagnostic]:
    if not spec.logs.types:
        for key in ("retention_days", "format", "kms_key_id"):
            if spec.sets("logs", key):
                yield warning(
                    LOG_SETTINGS_UNUSED,
                    ("logs", key),
                    f"slow_log and engine_log are both off, so {key} has no effect",
                )
        return
    if spec.logs.created_types:
        return
    # Retention and encryption are the created groups' properties: an existing
    # group or stream keeps its own.
    for key in ("retention_days", "kms_key_id"):
        if spec.sets("logs", key):
            yield warning(
                LOG_SETTINGS_UNUSED,
                ("logs", key),
                f"both logs go to existing destinations, and {key} acts only on log groups "
                "cachec creates; set it where the destination is managed",
            )
