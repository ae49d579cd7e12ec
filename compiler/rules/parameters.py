"""Parameter group overrides, checked against the family's known parameters."""

from __future__ import annotations

from collections.abc import Iterator

from .. import kinds
from ..catalog import parameters
from ..diagnostics import Diagnostic, error
from ..input.model import ReplicationGroup, Spec


def redis_parameters_known(spec: Spec, rg: ReplicationGroup) -> Iterator[Diagnostic]:
    info = spec.version_info
    if info is None:
        return  # engine-version-mismatch already says why there is no family
    for name, value in rg.redis_parameters:
        message = parameters.check(name, value, info.family)
        if message is not None:
            unknown = name not in parameters.PARAMETERS
            yield error(
                kinds.INVALID_REDIS_PARAMETER, ("redis_parameters", name), message, on_key=unknown
            )
