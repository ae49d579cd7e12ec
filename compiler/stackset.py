"""StackSet deployment files: the API requests of one version, and its commands.

`v<N>.stackset.json` holds the requests, in the shapes of the CloudFormation
API (botocore's service model checks them in the suite):

    {"CreateStackSet": {...}, "CreateStackInstances": [{...}, ...],
     "UpdateStackSet": {...}, "UpdateStackInstances": [{...}, ...]}

TemplateBody is left out (the template is the version's own file, passed as
`--template-body file://v<N>.yaml`). ParameterOverrides apply to every region
of one request, so regions are grouped by identical overrides: one
CreateStackInstances (and UpdateStackInstances) request per group, in the
order of `regions`. ManagedExecution queues the second request behind the
first instead of refusing it (OperationInProgressException).
https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_CreateStackInstances.html
https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_ManagedExecution.html

`v<N>.DEPLOY.md` spells the same requests as `aws cloudformation` commands.
Pure: no I/O (publish.py writes both files).
"""

from __future__ import annotations

import dataclasses
import json
import re
import shlex
from typing import Any

from . import changes, kinds
from .compressed import Compressed
from .diagnostics import Diagnostic, error, warning
from .lint import Finding, Linter, LintJob, to_diagnostics
from .model import Spec, StackSet
from .render import INLINE_TEMPLATE_LIMIT
from .synthesize import names
from .synthesize.tags import tag_pairs
from .validate import true_end

# https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_StackSetOperationPreferences.html
_CONCURRENCY = {"sequential": "SEQUENTIAL", "parallel": "PARALLEL"}


def _count_or_percentage(name: str, value: int | str) -> dict[str, int]:
    """`2` -> {NameCount: 2}; `"25%"` -> {NamePercentage: 25} (the API takes one, not both)."""
    if isinstance(value, str):
        return {f"{name}Percentage": int(value.rstrip("%"))}
    return {f"{name}Count": value}


def operation_preferences(stackset: StackSet, regions: tuple[str, ...]) -> dict[str, Any]:
    return {
        "RegionConcurrencyType": _CONCURRENCY[stackset.region_concurrency],
        "RegionOrder": list(regions),
        **_count_or_percentage("FailureTolerance", stackset.failure_tolerance),
        **_count_or_percentage("MaxConcurrent", stackset.max_concurrent),
    }


def capabilities(template: dict[str, Any]) -> list[str]:
    """CAPABILITY_IAM when the template creates IAM resources (CreateStackSet
    refuses them otherwise); NAMED_IAM when one of them is given a name.
    https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_CreateStackSet.html"""
    iam = [r for r in template.get("Resources", {}).values()
           if str(r.get("Type", "")).startswith("AWS::IAM::")]
    if not iam:
        return []
    named = any(k.endswith("Name") for r in iam for k in r.get("Properties", {}))
    return ["CAPABILITY_NAMED_IAM" if named else "CAPABILITY_IAM"]


def _region_groups(stackset: StackSet) -> list[tuple[tuple[str, ...], dict[str, str]]]:
    """Runs of consecutive regions with identical overrides, in `regions` order.

    One stack-instances operation takes one set of overrides. Grouping only
    neighbours keeps the declared rollout order across operations (grouping
    every region with the same overrides would deploy a later region first)."""
    groups: list[tuple[list[str], dict[str, str]]] = []
    for region in stackset.regions:
        overrides = stackset.overrides(region)
        if groups and groups[-1][1] == overrides:
            groups[-1][0].append(region)
        else:
            groups.append(([region], overrides))
    return [(tuple(regions), overrides) for regions, overrides in groups]


def _targets(stackset: StackSet) -> dict[str, Any]:
    if stackset.service_managed:
        return {"DeploymentTargets": {"OrganizationalUnitIds": list(stackset.organizational_units)}}
    return {"Accounts": list(stackset.accounts)}


def _pairs(values: dict[str, str], key: str = "Parameter") -> list[dict[str, str]]:
    return [{f"{key}Key": k, f"{key}Value": v} for k, v in values.items()]


def requests(spec: Spec, template: dict[str, Any], defaults: dict[str, str]) -> dict[str, Any]:
    """The four requests; `defaults`: the template's Parameter Defaults.

    The StackSet names every template Parameter: instances can override only
    the Parameters the StackSet specifies (UpdateStackInstances). One without
    a Default gets an empty value there, to be overridden per region
    (stackset-values-not-per-target says which lack one)."""
    defaults = {name: defaults.get(name, "") for name in template.get("Parameters", {})}
    stackset = spec.stack.stackset
    assert stackset is not None
    name = spec.stack_name
    common: dict[str, Any] = {
        "StackSetName": name,
        "Description": template.get("Description", ""),
        "Parameters": _pairs(defaults),
        "Capabilities": capabilities(template),
        "Tags": [{"Key": k, "Value": v} for k, v in sorted(tag_pairs(spec).items())],
    }
    create: dict[str, Any] = dict(common)
    if stackset.service_managed:
        # Retain on removal: moving an account out of the OU must not delete
        # its cache (and its data) as a side effect of an Organizations change.
        create["PermissionModel"] = "SERVICE_MANAGED"
        create["AutoDeployment"] = {"Enabled": True, "RetainStacksOnAccountRemoval": True}
    else:
        # Roles by their default names: AWSCloudFormationStackSetAdministrationRole
        # (this account) assumes AWSCloudFormationStackSetExecutionRole (targets).
        create["PermissionModel"] = "SELF_MANAGED"
    create["ManagedExecution"] = {"Active": True}
    instances = [
        {
            "StackSetName": name,
            **_targets(stackset),
            "Regions": list(regions),
            "ParameterOverrides": _pairs(overrides),
            "OperationPreferences": operation_preferences(stackset, regions),
        }
        for regions, overrides in _region_groups(stackset)
    ]
    update = {**common, "OperationPreferences": operation_preferences(stackset, stackset.regions)}
    return {
        "CreateStackSet": create,
        "CreateStackInstances": instances,
        "UpdateStackSet": update,
        # Every group, its overrides exactly as this version has them: an empty
        # list sets a region's instances back to the StackSet's values.
        "UpdateStackInstances": instances,
    }


def _option(key: str) -> str:
    """StackSetName -> --stack-set-name, AdministrationRoleARN -> --administration-role-arn."""
    return "--" + re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "-", key.replace("ARN", "Arn")).lower()


def _command(
    operation: str, request: dict[str, Any], template_file: str | None, template_url: str = ""
) -> str:
    """One request as an `aws cloudformation` command: scalars and string
    lists as plain arguments, structures as JSON (the CLI takes both)."""
    verb = re.sub(r"(?<=[a-z])(?=[A-Z])", "-", operation).lower()
    lines = [f"aws cloudformation {verb}"]
    for key, value in request.items():
        if value in ([], {}, "") and key != "ParameterOverrides":
            continue  # (no overrides is "[]": omitted, update-stack-instances keeps them)
        if key == "Description":
            continue  # passed with the template's own words below
        if isinstance(value, str):
            lines.append(f"{_option(key)} {shlex.quote(value)}")
        elif isinstance(value, list) and value and all(isinstance(v, str) for v in value):
            lines.append(f"{_option(key)} {' '.join(shlex.quote(v) for v in value)}")
        else:
            lines.append(f"{_option(key)} {shlex.quote(json.dumps(value, separators=(',', ':')))}")
        if key == "StackSetName" and template_file is not None:
            lines.append(f"--template-url {template_url}" if template_url
                         else f"--template-body file://{template_file}")
            if request.get("Description"):
                lines.append(f"--description {shlex.quote(request['Description'])}")
    return " \\\n  ".join(lines)


def deploy_guide(
    spec: Spec, version: int, template_file: str, reqs: dict[str, Any], template_bytes: int = 0
) -> str:
    """v<N>.DEPLOY.md: the exact commands for this version, run from the stack folder.
    A template over CloudFormation's 51,200-byte inline limit goes through S3
    (`--template-url`), after an `aws s3 cp` to a bucket the reader names."""
    stackset = spec.stack.stackset
    assert stackset is not None
    model = "service-managed (AWS Organizations)" if stackset.service_managed else "self-managed"
    where = (f"organizational units {', '.join(stackset.organizational_units)}"
             if stackset.service_managed else f"accounts {', '.join(stackset.accounts)}")
    fence = "```"
    create_instances = "\n\n".join(_command("CreateStackInstances", r, None)
                                   for r in reqs["CreateStackInstances"])
    update_instances = "\n\n".join(_command("UpdateStackInstances", r, None)
                                   for r in reqs["UpdateStackInstances"])
    url, upload = "", ""
    if template_bytes > INLINE_TEMPLATE_LIMIT:
        key = f"{spec.stack_name}/{template_file}"
        url = f"https://$BUCKET.s3.amazonaws.com/{key}"
        upload = (f"# {template_bytes:,} bytes: over the {INLINE_TEMPLATE_LIMIT:,}-byte inline "
                  "limit, so through S3 (set BUCKET to a bucket StackSets can read)\n"
                  f"aws s3 cp {template_file} s3://$BUCKET/{key}\n\n")
    return f"""<!-- generated by cachec from the spec: do not edit -->
# {spec.stack_name} v{version}: deploying with StackSets

A {model} StackSet `{spec.stack_name}` to {where}, in {', '.join(stackset.regions)}
({stackset.region_concurrency}, in this order). Run the commands from this folder
with credentials of the StackSet administrator account{
    " (the management account or a delegated administrator: add `--call-as DELEGATED_ADMIN`)"
    if stackset.service_managed else ""}. The requests are in `v{version}.stackset.json`;
see docs/deploying.md (StackSets) for the roles these commands need.

## First deployment

Each create-stack-instances command below is one StackSet operation, for a run
of regions in the order above. StackSets queues an operation behind the running
one and starts it even when that one failed: run one command at a time, and the
next only after `aws cloudformation describe-stack-set-operation` reports the
previous one `SUCCEEDED`, so a bad version stops at the first region it breaks.

{fence}sh
{upload}{_command("CreateStackSet", reqs["CreateStackSet"], template_file, url)}

{create_instances}
{fence}

## Updating to v{version} (the StackSet exists)

Rolls out region by region in the order above; instances keep their parameter
overrides through update-stack-set. The commands after it set each region's
overrides to this version's (an empty list: back to the StackSet's values).

{fence}sh
{upload}{_command("UpdateStackSet", reqs["UpdateStackSet"], template_file, url)}

{update_instances}
{fence}

## Watching and stopping a rollout

{fence}sh
aws cloudformation list-stack-set-operations --stack-set-name {spec.stack_name}
aws cloudformation list-stack-set-operation-results --stack-set-name {spec.stack_name} \\
  --operation-id OPERATION_ID
aws cloudformation stop-stack-set-operation --stack-set-name {spec.stack_name} \\
  --operation-id OPERATION_ID
{fence}

Stopping cancels the stack instances not yet started and lets those in progress
finish; the regions after them are not touched.
"""


# Parameters whose values exist in one account and region only. KMS aliases
# are names, not ids: alias/cache can exist in every account and region.
_LOCAL = (names.VPC_ID, names.SUBNET_IDS, names.ALLOWED_SECURITY_GROUP_IDS, names.KMS_KEY_ID,
          names.LOG_KMS_KEY_ID, names.RESTORE_SNAPSHOT_NAME, names.RESTORE_SNAPSHOT_ARNS)


def _refusals(name: str, value: str, param: dict[str, Any], template: dict[str, Any]) -> list[str]:
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
    if name == names.REPLICAS and names.REPLICAS_RULE in template.get("Rules", {}) and (
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


def check(spec: Spec, template: dict[str, Any]) -> list[Diagnostic]:
    """Overrides name the template's Parameters; local values have a value per region."""
    stackset = spec.stack.stackset
    if stackset is None:
        return []
    parameters = template.get("Parameters", {})
    found = [
        error(
            kinds.OVERRIDE_UNKNOWN_PARAMETER,
            (*_OVERRIDES, region, name),
            f"the template has no Parameter {name}; it has {', '.join(parameters)}",
        )
        for region, values in stackset.parameter_overrides
        for name, _ in values
        if name not in parameters
    ]
    found += [
        error(kinds.OVERRIDE_VALUE_REFUSED, (*_OVERRIDES, region, name), problem)
        for region, values in stackset.parameter_overrides
        for name, value in values
        if name in parameters
        for problem in _refusals(name, value, parameters[name], template)
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
                kinds.STACKSET_VALUES_NOT_PER_TARGET,
                (*_OVERRIDES,),
                f"{name} has no value for {', '.join(regions)} "
                + ("(and no Default)" if "Default" not in param
                   else "(its Default is the spec's value, from one account and region)")
                + f"; add {name} to parameter_overrides of those regions",
            ))
    return found


_OVERRIDES = ("stack", "stackset", "parameter_overrides")


def lint_overrides(
    spec: Spec, body: Compressed, template: dict[str, Any], linter: Linter, seen: list[Finding]
) -> list[Diagnostic]:
    """Each group of regions linted with its concrete values (Defaults plus its
    overrides), where cfn-lint can check them: an override outside a
    Parameter's AllowedValues or pattern, or of the wrong type, is an error at
    the override. Findings the plain lint already reported are not repeated."""
    stackset = spec.stack.stackset
    if stackset is None:
        return []
    known = {(f.rule_id, f.template_path, f.message) for f in seen}
    found: list[Diagnostic] = []
    for regions, overrides in _region_groups(stackset):
        if not overrides:
            continue
        values = {**changes.parameter_defaults(template), **_typed(template, overrides)}
        for finding in linter.lint_job(LintJob(body, regions, values)):
            # Parameters without any value are the stackset-values-not-per-target
            # warning's (they may be given at create time), not an error here.
            missing = finding.template_path == ("Parameters",)
            if missing or (finding.rule_id, finding.template_path, finding.message) in known:
                continue
            known.add((finding.rule_id, finding.template_path, finding.message))
            found += _at_override(finding, overrides, regions)
    return found


def _typed(template: dict[str, Any], overrides: dict[str, str]) -> dict[str, Any]:
    """List-typed Parameters' overrides as lists, as CloudFormation splits them."""
    return changes.parameter_defaults(
        {"Parameters": {
            name: {**template.get("Parameters", {}).get(name, {}), "Default": value}
            for name, value in overrides.items()
        }}
    )


def _at_override(
    finding: Finding, overrides: dict[str, str], regions: tuple[str, ...]
) -> list[Diagnostic]:
    """A finding about an overridden Parameter is reported at the override."""
    diagnostics = to_diagnostics([finding])
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
