"""How the template is deployed: StackSet targets and overrides, exposed settings."""

from __future__ import annotations

from collections.abc import Iterator

from ..catalog.partitions import WITHOUT_ORGANIZATIONS_STACKSETS, partition_of
from ..diagnostics import Diagnostic, error, warning
from ..input.model import Spec
from ..kinds import STACKSETS_GUIDE, ErrorKind, Stage, WarningKind

_STACKSET = ("stack", "stackset")


STACKSET_TARGETS = ErrorKind(
    "stackset-targets", Stage.RULES,
    "stack.stackset names neither or both of accounts and organizational_units.",
    "A StackSet is either self-managed (accounts) or service-managed (organizational "
    "units); its permission model and its CreateStackInstances targets follow from which.",
    "Give accounts (self-managed) or organizational_units (service-managed), not both.",
    STACKSETS_GUIDE + "stacksets-concepts.html",
)


def stackset_targets(spec: Spec) -> Iterator[Diagnostic]:
    """Accounts mean SELF_MANAGED, OUs SERVICE_MANAGED: exactly one of them.
    https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/stacksets-concepts.html"""
    stackset = spec.stack.stackset
    if stackset is not None and bool(stackset.accounts) == bool(stackset.organizational_units):
        which = "both accounts and" if stackset.accounts else "neither accounts nor"
        yield error(
            STACKSET_TARGETS,
            _STACKSET,
            f"names {which} organizational_units; give accounts for a "
            "self-managed StackSet or organizational_units for a service-managed one",
        )


STACKSET_PARTITIONS = ErrorKind(
    "stackset-partitions", Stage.RULES,
    "stack.stackset.regions span more than one AWS partition.",
    "A StackSet is administered from one account with credentials of one partition "
    "(aws, aws-cn, aws-us-gov, the isolated ones); it cannot reach regions of another. "
    "The partition of each region comes from botocore's partition data.",
    "Keep the regions of one partition in this spec and deploy the others from a spec "
    "of their own (another name or environment).",
    STACKSETS_GUIDE + "stacksets-concepts.html",
)
STACKSET_NO_ORGANIZATIONS = ErrorKind(
    "stackset-no-organizations", Stage.RULES,
    "A service-managed StackSet targets regions where StackSets has no AWS Organizations "
    "trusted access.",
    "Service-managed permissions need trusted access between StackSets and Organizations, "
    "which cannot be turned on in the China regions: the StackSet cannot be created.",
    "Target accounts (a self-managed StackSet with its own administration and execution "
    "roles) instead of organizational_units.",
    STACKSETS_GUIDE + "stacksets-prereqs.html",
)


def stackset_in_one_partition(spec: Spec) -> Iterator[Diagnostic]:
    """A StackSet is administered from one account, and "the StackSet's
    administrator account or organization's management account must have the
    same Region enabled as the target account"
    (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/stacksets-opt-in-regions.html):
    an account exists in one partition, so its regions cannot span aws,
    aws-cn, aws-us-gov and the isolated partitions (ELASTICACHE.md, "Found in
    review": a StackSet stays within one partition)."""
    stackset = spec.stack.stackset
    if stackset is None:
        return
    partitions: dict[str, list[str]] = {}
    for region in stackset.regions:
        partitions.setdefault(partition_of(region) or "an unknown partition", []).append(region)
    if len(partitions) > 1:
        spread = "; ".join(f"{', '.join(regions)} in {partition}"
                           for partition, regions in partitions.items())
        yield error(
            STACKSET_PARTITIONS,
            (*_STACKSET, "regions"),
            f"spans {len(partitions)} partitions ({spread}); a StackSet deploys within one "
            "partition: write one spec (name or environment apart) per partition",
        )
    if stackset.service_managed:
        for partition, regions in partitions.items():
            if partition in WITHOUT_ORGANIZATIONS_STACKSETS:
                yield error(
                    STACKSET_NO_ORGANIZATIONS,
                    (*_STACKSET, "organizational_units"),
                    f"{', '.join(regions)} ({partition}) has no service-managed StackSets "
                    "(StackSets cannot be given trusted access to AWS Organizations there); "
                    "target accounts instead (a self-managed StackSet)",
                )


CALL_AS_NEEDS_ORGANIZATIONS = ErrorKind(
    "call-as-needs-organizations", Stage.RULES,
    "stack.stackset.call_as is delegated_admin on a self-managed StackSet.",
    "CallAs DELEGATED_ADMIN lets a member account act on the management account's "
    "service-managed StackSets; a self-managed StackSet belongs to the account that runs "
    "its commands.",
    "Remove call_as, or target organizational_units (service-managed).",
    "https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/"
    "API_CreateStackSet.html",
)


def call_as_needs_service_managed(spec: Spec) -> Iterator[Diagnostic]:
    """CallAs DELEGATED_ADMIN acts on the management account's service-managed
    StackSets; a self-managed StackSet belongs to the account that runs it.
    https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_CreateStackSet.html"""
    stackset = spec.stack.stackset
    if stackset is not None and stackset.call_as != "self" and not stackset.service_managed:
        yield error(
            CALL_AS_NEEDS_ORGANIZATIONS,
            (*_STACKSET, "call_as"),
            "delegated_admin applies to service-managed StackSets (organizational_units); "
            "a self-managed StackSet (accounts) is run by its own administrator account: "
            "remove call_as",
        )


OVERRIDE_REGION_NOT_TARGETED = ErrorKind(
    "override-region-not-targeted", Stage.RULES,
    "parameter_overrides names a region the StackSet does not deploy to.",
    "Overrides apply to stack instances; a region without instances gets none, so the "
    "values would silently do nothing (often a typo or a region dropped from regions).",
    "Add the region to stack.stackset.regions or remove its overrides.",
    "https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/"
    "API_CreateStackInstances.html",
)


def overrides_target_regions(spec: Spec) -> Iterator[Diagnostic]:
    stackset = spec.stack.stackset
    if stackset is None:
        return
    for region, _ in stackset.parameter_overrides:
        if region not in stackset.regions:
            yield error(
                OVERRIDE_REGION_NOT_TARGETED,
                (*_STACKSET, "parameter_overrides", region),
                f"{region} is not in stack.stackset.regions ({', '.join(stackset.regions)}); "
                "add it there or remove its overrides",
            )


STACKSET_EXPORTS_UNPREDICTABLE = WarningKind(
    "stackset-exports-unpredictable", Stage.RULES,
    "A StackSet exports Outputs under ${AWS::StackName}, a name StackSets chooses.",
    "StackSets name instance stacks StackSet-<name>-<id>, so no other stack can know the "
    "export names to import.",
    "Set stack.export_prefix: exports are then named <prefix>-<Output> in every instance.",
    STACKSETS_GUIDE + "using-cfn-stack-exports.html",
)


def stackset_exports_have_a_prefix(spec: Spec) -> Iterator[Diagnostic]:
    """Instance stacks are named StackSet-<name>-<id>: ${AWS::StackName} exports
    cannot be imported by a name another stack knows."""
    if spec.stack.stackset is not None and spec.stack.exports and not spec.stack.export_prefix:
        yield warning(
            STACKSET_EXPORTS_UNPREDICTABLE,
            ("stack", "exports"),
            "StackSets name the instance stacks, so exports named ${AWS::StackName}-<Output> "
            "cannot be imported by a known name; set stack.export_prefix",
        )


EXPOSE_NOT_APPLICABLE = ErrorKind(
    "expose-not-applicable", Stage.RULES,
    "stack.expose names a setting this spec cannot expose.",
    "A Parameter that nothing uses cannot change anything (an alarm that is off has no "
    "threshold), and cfn-lint warns about unused Parameters. In cluster mode replicas "
    "count per shard (ReplicasPerNodeGroup), and the alarms watch node ids that cachec "
    "derives from the spec's replica count, so they stay literal.",
    "Turn the setting on, or change it in the spec, and remove it from stack.expose.",
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
                EXPOSE_NOT_APPLICABLE,
                ("stack", "expose", index),
                f"{field} cannot be exposed on a serverless cache (stack.expose covers "
                "node-based caches); remove it from stack.expose and change it in the spec",
            )
            continue
        if field == "replicas" and rg.topology.cluster_mode:
            yield error(
                EXPOSE_NOT_APPLICABLE,
                ("stack", "expose", index),
                "replicas cannot be exposed in cluster mode (cachec would have to watch "
                "every shard's possible replicas); remove it from stack.expose and change "
                "topology.replicas in the spec",
            )
        key = field.rpartition(".")[2]
        if field.startswith("monitoring.alarms.") and not spec.monitoring.watches(key):
            yield error(
                EXPOSE_NOT_APPLICABLE,
                ("stack", "expose", index),
                f"the {key} alarm is off (or monitoring is disabled), so it has no "
                "threshold to expose; turn it on or remove it from stack.expose",
            )
