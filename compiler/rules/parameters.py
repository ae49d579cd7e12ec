"""Parameter group overrides, checked against the family's known parameters."""

from __future__ import annotations

from collections.abc import Iterator

from ..catalog import parameters
from ..diagnostics import Diagnostic, error
from ..input.model import ReplicationGroup, Spec
from ..kinds import EC_GUIDE, ErrorKind, Stage

INVALID_REDIS_PARAMETER = ErrorKind(
    "invalid-redis-parameter", Stage.RULES,
    "An unknown engine parameter, or a value it does not accept.",
    "CloudFormation would fail the parameter group at deploy time.",
    "Use a parameter and value of the engine's family, as the message says.",
    EC_GUIDE + "ParameterGroups.Engine.html",
)


def redis_parameters_known(spec: Spec, rg: ReplicationGroup) -> Iterator[Diagnostic]:
    info = spec.version_info
    if info is None:
        return  # engine-version-mismatch already says why there is no family
    for name, value in rg.redis_parameters:
        message = parameters.check(name, value, info.family)
        if message is not None:
            unknown = name not in parameters.PARAMETERS
            yield error(
                INVALID_REDIS_PARAMETER, ("redis_parameters", name), message, on_key=unknown
            )
