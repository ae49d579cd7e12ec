"""How the template is deployed: StackSet targets and overrides, exposed settings."""

from __future__ import annotations

from collections.abc import Iterator

from .. import kinds
from ..diagnostics import Diagnostic, error, warning
from ..model import Spec

_STACKSET = ("stack", "stackset")


def stackset_targets(spec: Spec) -> Iterator[Diagnostic]:
    """Accounts mean SELF_MANAGED, OUs SERVICE_MANAGED: exactly one of them.
    https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/stacksets-concepts.html"""
    stackset = spec.stack.stackset
    if stackset is not None and bool(stackset.accounts) == bool(stackset.organizational_units):
        which = "both" if stackset.accounts else "neither"
        yield error(
            kinds.STACKSET_TARGETS,
            _STACKSET,
            f"names {which} of accounts and organizational_units; give accounts for a "
            "self-managed StackSet or organizational_units for a service-managed one",
        )


def overrides_target_regions(spec: Spec) -> Iterator[Diagnostic]:
    stackset = spec.stack.stackset
    if stackset is None:
        return
    for region, _ in stackset.parameter_overrides:
        if region not in stackset.regions:
            yield error(
                kinds.OVERRIDE_REGION_NOT_TARGETED,
                (*_STACKSET, "parameter_overrides", region),
                f"{region} is not in stack.stackset.regions ({', '.join(stackset.regions)}); "
                "add it there or remove its overrides",
            )


def stackset_exports_have_a_prefix(spec: Spec) -> Iterator[Diagnostic]:
    """Instance stacks are named StackSet-<name>-<id>: ${AWS::StackName} exports
    cannot be imported by a name another stack knows."""
    if spec.stack.stackset is not None and spec.stack.exports and not spec.stack.export_prefix:
        yield warning(
            kinds.STACKSET_EXPORTS_UNPREDICTABLE,
            ("stack", "exports"),
            "StackSets name the instance stacks, so exports named ${AWS::StackName}-<Output> "
            "cannot be imported by a known name; set stack.export_prefix",
        )


def exposed_settings_exist(spec: Spec) -> Iterator[Diagnostic]:
    """An alarm threshold is only a Parameter when the alarm is on; replicas
    only without cluster mode (there they are ReplicasPerNodeGroup, and the
    alarms' HasNode<k> Conditions and NodeCounts cover one shard's ids only)."""
    rg = spec.replication_group
    for index, field in enumerate(spec.stack.expose):
        if rg is None:
            # The serverless synthesizer writes its limits and alarms literally.
            yield error(
                kinds.EXPOSE_NOT_APPLICABLE,
                ("stack", "expose", index),
                f"{field} cannot be exposed on a serverless cache (stack.expose covers "
                "node-based caches); remove it from stack.expose and change it in the spec",
            )
            continue
        if field == "replicas" and rg.topology.cluster_mode:
            yield error(
                kinds.EXPOSE_NOT_APPLICABLE,
                ("stack", "expose", index),
                "replicas cannot be exposed in cluster mode (cachec would have to watch "
                "every shard's possible replicas); remove it from stack.expose and change "
                "topology.replicas in the spec",
            )
        key = field.rpartition(".")[2]
        if field.startswith("monitoring.alarms.") and not spec.monitoring.watches(key):
            yield error(
                kinds.EXPOSE_NOT_APPLICABLE,
                ("stack", "expose", index),
                f"the {key} alarm is off (or monitoring is disabled), so it has no "
                "threshold to expose; turn it on or remove it from stack.expose",
            )
