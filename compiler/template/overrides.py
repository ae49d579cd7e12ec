"""A StackSet's parameter overrides against the template they deploy.

Each region's overrides are values for the template's Parameters: they must
name one (`check_overrides`), be values CloudFormation accepts for it, and
pass cfn-lint with the template (`lint_overrides`, each group of regions
linted with its concrete values). The pipeline runs both in the template
stage, once the template is made; the StackSet requests that carry the
overrides (deploy/stackset) only package them.
"""

from __future__ import annotations

import dataclasses
import re
from typing import TYPE_CHECKING, Any

from ..compressed import Compressed
from ..diagnostics import Diagnostic, error, warning
from ..input.model import Spec
from ..input.validate import true_end
from ..kinds import STACKSETS_GUIDE, ErrorKind, Stage, WarningKind
from ..vocabulary import names
from ..vocabulary.provenance import SpecSources
from .declared import Declarations
from .parameters import parameter_defaults

if TYPE_CHECKING:
    from .lint import Finding, Linter

# Parameters whose values exist in one account and region only. KMS aliases
# are names, not ids: alias/cache can exist in every account and region (so can a
# subnet group name, ExistingSubnetGroupName).
_LOCAL = (names.VPC_ID, names.SUBNET_IDS, names.ALLOWED_SECURITY_GROUP_IDS,
          names.EXISTING_SECURITY_GROUP_IDS, names.KMS_KEY_ID, names.LOG_KMS_KEY_ID,
          names.CREDENTIALS_KMS_KEY_ID, names.ALARM_TOPIC_KMS_KEY_ID,
          names.ROTATION_FUNCTION_ARN, names.RESTORE_SNAPSHOT_NAME, names.RESTORE_SNAPSHOT_ARNS)


def _refusals(name: str, value: str, param: dict[str, Any], rules: tuple[str, ...]) -> list[str]:
    """What CloudFormation would say of this value for this Parameter: type,
    AllowedValues, AllowedPattern (each item of a list), MinValue/MaxValue, and
    the one template Rule cachec writes on a Parameter (replicas >= 1)."""
    kind = str(param.get("Type", "String"))
    items = [v.strip() for v in value.split(",")] if kind.startswith(("List<", "Comma")) else [
        value
    ]
    problems = []
    allowed = param.get("AllowedValues")
    if allowed is not None and value not in [str(a) for a in allowed]:
        problems.append(f"{value!r} is not one of {name}'s allowed values: "
                        f"{', '.join(map(str, allowed))}")
    pattern = param.get("AllowedPattern")
    bad = [i for i in items if pattern and re.search(true_end(pattern), i) is None]
    if bad:
        problems.append(f"{bad[0]!r} does not match {name}'s AllowedPattern")
    if kind == "Number":
        try:
            number = float(value)
        except ValueError:
            return [f"{value!r} is not a number ({name} is a Number)"]
        if "MinValue" in param and number < float(param["MinValue"]):
            problems.append(f"{value} is below {name}'s MinValue {param['MinValue']}")
        if "MaxValue" in param and number > float(param["MaxValue"]):
            problems.append(f"{value} is above {name}'s MaxValue {param['MaxValue']}")
    if name == names.REPLICAS and names.REPLICAS_RULE in rules and (
        value == "0"
    ):
        problems.append("0 replicas breaks the template's rule ReplicasNeeded: this cache was "
                        "checked with replicas (Multi-AZ, failover, replication-lag alarm)")
    return problems


def _region_of(value: Any) -> str | None:
    """The region of an ARN (`arn:aws:kms:us-east-1:...`), None for anything
    else (ids, names, S3 ARNs, which name no region)."""
    parts = str(value).split(":")
    return parts[3] or None if len(parts) > 3 and parts[0] == "arn" else None


OVERRIDE_UNKNOWN_PARAMETER = ErrorKind(
    "override-unknown-parameter", Stage.BUILD,
    "parameter_overrides names a Parameter the template does not have.",
    "CloudFormation refuses overrides of Parameters the template does not declare, and "
    "the template's Parameters depend on the spec (a KmsKeyId only with a kms_key_id).",
    "Use one of the Parameters the message lists, or set the spec key that adds it.",
    "https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/"
    "API_CreateStackInstances.html",
)
STACKSET_VALUES_NOT_PER_TARGET = WarningKind(
    "stackset-values-not-per-target", Stage.BUILD,
    "Account- or region-specific Parameters have no value of their own in some StackSet "
    "regions.",
    "VPC, subnet, security group ids, KMS keys and snapshots exist in one account and "
    "region: the spec's value as Default is wrong in the others (and a Parameter without "
    "a Default fails the instance), so each region needs its own value.",
    "Add the Parameters to stack.stackset.parameter_overrides for the regions named, or "
    "pass them when creating the instances (--parameter-overrides).",
    STACKSETS_GUIDE + "stackinstances-override.html",
)
OVERRIDE_VALUE_REFUSED = ErrorKind(
    "override-value-refused", Stage.BUILD,
    "A per-region override is a value its Parameter refuses.",
    "CloudFormation checks each stack instance's values against the Parameter's "
    "AllowedValues, AllowedPattern, MinValue/MaxValue and type, and the template's Rules, "
    "and fails that instance at deploy time.",
    "Use a value within the Parameter's constraints (the message says which).",
    "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/"
    "parameters-section-structure.html",
)


def check_overrides(spec: Spec, declarations: Declarations) -> list[Diagnostic]:
    """Overrides name the template's Parameters; local values have a value per
    region. Decided from the Parameters as data (template/declared.py), which
    synthesis writes: no template needed, so `cachec validate` runs it
    without synthesizing."""
    stackset = spec.stack.stackset
    if stackset is None:
        return []
    parameters = declarations.section()
    found = [
        error(
            OVERRIDE_UNKNOWN_PARAMETER,
            (*_OVERRIDES, region, name),
            f"the template has no Parameter {name}; it has {', '.join(parameters)}",
        )
        for region, values in stackset.parameter_overrides
        for name, _ in values
        if name not in parameters
    ]
    found += [
        error(OVERRIDE_VALUE_REFUSED, (*_OVERRIDES, region, name), problem)
        for region, values in stackset.parameter_overrides
        for name, value in values
        if name in parameters
        for problem in _refusals(name, value, parameters[name], declarations.rules)
    ]
    many = len(stackset.regions) > 1 or len(stackset.accounts) > 1 or stackset.service_managed
    for name in _LOCAL:
        param = parameters.get(name)
        if param is None or str(param.get("Default", "")).startswith("alias/"):
            continue
        if "Default" in param and not many and _region_of(param["Default"]) in (
            None, stackset.regions[0]
        ):
            continue  # one account in one region: the spec's value is right there
        regions = [r for r in stackset.regions if name not in stackset.overrides(r)]
        if regions:
            found.append(warning(
                STACKSET_VALUES_NOT_PER_TARGET,
                (*_OVERRIDES,),
                f"{name} has no value for {', '.join(regions)} "
                + ("(and no Default)" if "Default" not in param
                   else "(its Default is the spec's value, from one account and region)")
                + f"; add {name} to parameter_overrides of those regions",
            ))
    return found


_OVERRIDES = ("stack", "stackset", "parameter_overrides")


def lint_overrides(
    spec: Spec,
    body: Compressed,
    template: dict[str, Any],
    linter: Linter,
    seen: list[Finding],
    sources: SpecSources,
) -> list[Diagnostic]:
    """Each group of regions linted with its concrete values (Defaults plus its
    overrides), where cfn-lint can check them: an override outside a
    Parameter's AllowedValues or pattern, or of the wrong type, is an error at
    the override. Findings the plain lint already reported are not repeated."""
    from .lint import LintJob  # late: check_overrides (validate) lints nothing

    stackset = spec.stack.stackset
    if stackset is None:
        return []
    known = {(f.rule_id, f.template_path, f.message) for f in seen}
    found: list[Diagnostic] = []
    for regions, overrides in stackset.region_groups():
        if not overrides:
            continue
        values = {**parameter_defaults(template), **_typed(template, overrides)}
        for finding in linter.lint_job(LintJob(body, regions, values)):
            # Parameters without any value are the stackset-values-not-per-target
            # warning's (they may be given at create time), not an error here.
            missing = finding.template_path == ("Parameters",)
            if missing or (finding.rule_id, finding.template_path, finding.message) in known:
                continue
            known.add((finding.rule_id, finding.template_path, finding.message))
            found += _at_override(finding, overrides, regions, sources)
    return found


def _typed(template: dict[str, Any], overrides: dict[str, str]) -> dict[str, Any]:
    """List-typed Parameters' overrides as lists, as CloudFormation splits them."""
    return parameter_defaults(
        {"Parameters": {
            name: {**template.get("Parameters", {}).get(name, {}), "Default": value}
            for name, value in overrides.items()
        }}
    )


def _at_override(
    finding: Finding, overrides: dict[str, str], regions: tuple[str, ...], sources: SpecSources
) -> list[Diagnostic]:
    """A finding about an overridden Parameter is reported at the override;
    another at the key the synthesizers recorded (`sources`)."""
    from .lint import to_diagnostics

    diagnostics = to_diagnostics([finding], sources)
    path = finding.template_path
    name = path[1] if len(path) > 1 and path[0] == "Parameters" else None
    if name is None or name not in overrides:
        return diagnostics
    return [
        dataclasses.replace(
            d,
            path=(*_OVERRIDES, regions[0], name),
            message=f"the value for {', '.join(regions)} fails cfn-lint {finding.rule_id}: "
            f"{finding.message}",
        )
        for d in diagnostics
    ]
