"""StackSet deployment files: the API requests of one version, and its commands.

`v<N>.stackset.json` holds the requests, in the shapes of the CloudFormation
API (botocore's service model checks them in the suite):

    {"CreateStackSet": {...}, "CreateStackInstances": [{...}, ...],
     "Update": {"FromVersion": K, "DeleteStackInstances": [...],
                "UpdateStackSet": {...}, "UpdateStackInstances": [...],
                "CreateStackInstances": [...]}}

The first two deploy this version from nothing, every stack instance of it;
they are also the record of which instances a version has, from which the
next version computes its "Update" (absent on a StackSet's first version):
the instances the spec dropped are deleted (their stacks retained), the
StackSet updated, the regions whose overrides changed updated, and the
instances the spec added created. UpdateStackInstances works only where
instances exist, and its ParameterOverrides replace the overrides of every
instance it lists, so it is sent only where they changed.
https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_UpdateStackInstances.html

TemplateBody is left out (the template is the version's own file, passed as
`--template-body file://v<N>.yaml`). ParameterOverrides apply to every region
of one request, so regions are grouped by identical overrides: one
stack-instances request per group. ManagedExecution queues each request
behind the running one instead of refusing it (OperationInProgressException)
and runs them one after another, never at once ("If there are already
running or queued operations, StackSets queues all incoming operations even
if they are non-conflicting").
https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_CreateStackInstances.html
https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_ManagedExecution.html

`v<N>.DEPLOY.md` spells the same requests as `aws cloudformation` commands.
Pure: no I/O (publish.py reads the previous version and writes both files).
"""

from __future__ import annotations

import dataclasses
import json
import re
import shlex
import textwrap
from collections.abc import Callable, Sequence
from typing import Any

from ..input.model import Spec, StackSet
from ..template.render import INLINE_TEMPLATE_LIMIT

# https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_StackSetOperationPreferences.html
_CONCURRENCY = {"sequential": "SEQUENTIAL", "parallel": "PARALLEL"}
# https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_CreateStackSet.html
_CALL_AS = {"self": "SELF", "delegated_admin": "DELEGATED_ADMIN"}
_ACCOUNT = re.compile(r"^[0-9]{12}$")


def _count_or_percentage(name: str, value: int | str) -> dict[str, int]:
    """`2` -> {NameCount: 2}; `"25%"` -> {NamePercentage: 25} (the API takes one, not both)."""
    if isinstance(value, str):
        return {f"{name}Percentage": int(value.rstrip("%"))}
    return {f"{name}Count": value}


def operation_preferences(stackset: StackSet, regions: Sequence[str]) -> dict[str, Any]:
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


@dataclasses.dataclass(frozen=True)
class Instances:
    """The stack instances of one version: every target (account or OU) in every
    region, with each region's parameter overrides."""

    targets: tuple[str, ...]
    regions: tuple[str, ...]
    overrides: dict[str, dict[str, str]]  # region -> Parameter -> value

    @classmethod
    def of(cls, stackset: StackSet) -> Instances:
        return cls(stackset.organizational_units or stackset.accounts, stackset.regions,
                   {region: stackset.overrides(region) for region in stackset.regions})

    @classmethod
    def published(cls, requests: dict[str, Any]) -> Instances:
        """The instances a published v<N>.stackset.json deploys: its top-level
        CreateStackInstances list all of them (in every cachec version)."""
        targets: list[str] = []
        regions: list[str] = []
        overrides: dict[str, dict[str, str]] = {}
        for request in requests.get("CreateStackInstances", []):
            ous = request.get("DeploymentTargets", {}).get("OrganizationalUnitIds", [])
            targets += [t for t in request.get("Accounts", ous) if t not in targets]
            for region in request["Regions"]:
                regions.append(region)
                overrides[region] = {p["ParameterKey"]: p["ParameterValue"]
                                     for p in request.get("ParameterOverrides", [])}
        return cls(tuple(targets), tuple(regions), overrides)


@dataclasses.dataclass(frozen=True)
class Published:
    """The StackSet files of the version a new one updates from."""

    version: int
    requests: dict[str, Any]


@dataclasses.dataclass(frozen=True)
class InstanceChanges:
    """What a version changes in the stack instances of the one before it."""

    delete: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]  # (targets, regions)
    update: tuple[str, ...]  # regions whose overrides change, for the targets kept
    create: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]
    before: Instances
    after: Instances

    @property
    def kept_targets(self) -> tuple[str, ...]:
        return tuple(t for t in self.after.targets if t in self.before.targets)

    def describe(self) -> list[str]:
        """One line per change, as `cachec diff` and DEPLOY.md say it."""
        lines = [f"create stack instances: {', '.join(t)} in {', '.join(r)}"
                 for t, r in self.create]
        lines += [
            f"set parameter overrides in {region}: "
            + _override_summary(self.before.overrides.get(region, {}),
                                self.after.overrides.get(region, {}))
            for region in self.update
        ]
        lines += [f"delete stack instances (their stacks and caches are retained): "
                  f"{', '.join(t)} in {', '.join(r)}" for t, r in self.delete]
        return lines


def _override_summary(before: dict[str, str], after: dict[str, str]) -> str:
    parts = [f"{k} {before[k]!r} -> {after[k]!r}" if k in before else f"{k} = {after[k]!r}"
             for k in sorted(after) if before.get(k) != after[k]]
    parts += [f"{k} back to the StackSet's value" for k in sorted(before) if k not in after]
    return "; ".join(parts)


def instance_changes(before: Instances, after: Instances) -> InstanceChanges:
    """Instances the spec dropped, kept ones whose overrides change, and new ones.

    An instance is a (target, region) pair: one goes when its target or its
    region goes, and comes when its target or its region is new."""
    kept_regions = tuple(r for r in after.regions if r in before.regions)
    gone_targets = tuple(t for t in before.targets if t not in after.targets)
    new_targets = tuple(t for t in after.targets if t not in before.targets)
    gone_regions = tuple(r for r in before.regions if r not in after.regions)
    new_regions = tuple(r for r in after.regions if r not in before.regions)
    kept_targets = tuple(t for t in after.targets if t in before.targets)

    def pairs(
        *products: tuple[tuple[str, ...], tuple[str, ...]]
    ) -> tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]:
        return tuple((t, r) for t, r in products if t and r)

    return InstanceChanges(
        delete=pairs((before.targets, gone_regions), (gone_targets, kept_regions)),
        update=tuple(r for r in kept_regions if kept_targets
                     and before.overrides.get(r, {}) != after.overrides.get(r, {})),
        create=pairs((after.targets, new_regions), (new_targets, kept_regions)),
        before=before,
        after=after,
    )


def changes_since(spec: Spec, previous: Published | None) -> InstanceChanges | None:
    """The instance changes of this spec's StackSet since `previous`; None for
    a StackSet's first version (or a spec without one)."""
    if spec.stack.stackset is None or previous is None:
        return None
    return instance_changes(Instances.published(previous.requests),
                            Instances.of(spec.stack.stackset))


def _targets(targets: Sequence[str]) -> dict[str, Any]:
    """Accounts (self-managed) or OUs (service-managed), told apart by their form."""
    if all(_ACCOUNT.match(t) for t in targets):
        return {"Accounts": list(targets)}
    return {"DeploymentTargets": {"OrganizationalUnitIds": list(targets)}}


def _call_as(stackset: StackSet) -> dict[str, str]:
    """Service-managed requests say who sends them: the management account
    (SELF) or a delegated administrator (DELEGATED_ADMIN); self-managed ones
    need not (SELF is the default, the only value they take).
    https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_CreateStackInstances.html"""
    return {"CallAs": _CALL_AS[stackset.call_as]} if stackset.service_managed else {}


def _pairs(values: dict[str, str], key: str = "Parameter") -> list[dict[str, str]]:
    return [{f"{key}Key": k, f"{key}Value": v} for k, v in values.items()]


def _instances(
    name: str, stackset: StackSet, targets: Sequence[str], regions: Sequence[str],
    overrides: list[dict[str, Any]] | None = None, *, retain: bool = False,
) -> dict[str, Any]:
    request: dict[str, Any] = {"StackSetName": name, **_targets(targets), "Regions": list(regions)}
    if overrides is not None:
        request["ParameterOverrides"] = overrides
    request["OperationPreferences"] = operation_preferences(stackset, regions)
    if retain:
        # DeleteStackInstances requires RetainStacks. Retained: the instance's
        # stack leaves the StackSet but keeps running, so dropping a region or
        # an account from the spec never deletes a cache and its data; delete
        # the stack in that account when it is no longer needed.
        # https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_DeleteStackInstances.html
        request["RetainStacks"] = True
    return {**request, **_call_as(stackset)}


def _override_update(before: dict[str, str], after: dict[str, str]) -> list[dict[str, Any]]:
    """UpdateStackInstances' ParameterOverrides replace the overrides of every
    instance listed: a changed value is sent, an unchanged one as
    UsePreviousValue (which keeps a value set by hand for one account too), and
    one the spec dropped is left out (back to the StackSet's value).
    https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_UpdateStackInstances.html"""
    return [{"ParameterKey": k, "UsePreviousValue": True} if before.get(k) == v
            else {"ParameterKey": k, "ParameterValue": v} for k, v in sorted(after.items())]


def requests(
    spec: Spec, template: dict[str, Any], defaults: dict[str, str],
    previous: Published | None = None,
) -> dict[str, Any]:
    """The requests of this version; `defaults`: the template's Parameter
    Defaults; `previous`: the StackSet files of the version this one updates.

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
        "Tags": [{"Key": k, "Value": v} for k, v in sorted(spec.stack_tags.items())],
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
    targets = stackset.organizational_units or stackset.accounts
    found: dict[str, Any] = {
        "CreateStackSet": {**create, **_call_as(stackset)},
        "CreateStackInstances": [
            _instances(name, stackset, targets, regions, _pairs(overrides))
            for regions, overrides in stackset.region_groups()
        ],
    }
    delta = changes_since(spec, previous)
    if delta is not None and previous is not None:
        found["Update"] = {"FromVersion": previous.version,
                           **_update(spec, stackset, common, delta)}
    return found


def _update(
    spec: Spec, stackset: StackSet, common: dict[str, Any], delta: InstanceChanges
) -> dict[str, Any]:
    """In the order to run them: delete first (an instance about to go is not
    updated: the new template was not linted in its region), then the StackSet
    (a Parameter the template adds must be in the StackSet before an instance
    can override it), then the overrides that changed, then the new instances."""
    name = spec.stack_name
    before, after = delta.before.overrides, delta.after.overrides
    update_groups = stackset.grouped(delta.update, lambda r: json.dumps(
        _override_update(before.get(r, {}), after.get(r, {}))))
    create_groups = [
        (targets, group) for targets, regions in delta.create
        for group, _ in stackset.grouped(regions,
                                         lambda r: tuple(sorted(after.get(r, {}).items())))
    ]
    return {
        "DeleteStackInstances": [
            _instances(name, stackset, targets, regions, retain=True)
            for targets, regions in delta.delete
        ],
        "UpdateStackSet": {
            **common,
            "OperationPreferences": operation_preferences(stackset, stackset.regions),
            **_call_as(stackset),
        },
        "UpdateStackInstances": [
            _instances(name, stackset, delta.kept_targets, regions,
                       _override_update(before.get(regions[0], {}), after.get(regions[0], {})))
            for regions, _ in update_groups
        ],
        "CreateStackInstances": [
            _instances(name, stackset, targets, regions, _pairs(after.get(regions[0], {})))
            for targets, regions in create_groups
        ],
    }


def _option(key: str) -> str:
    """StackSetName -> --stack-set-name, AdministrationRoleARN -> --administration-role-arn."""
    return "--" + re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "-", key.replace("ARN", "Arn")).lower()


def _command(
    operation: str, request: dict[str, Any], template_file: str | None, template_url: str = ""
) -> str:
    """One request as an `aws cloudformation` command: scalars and string
    lists as plain arguments, booleans as --flag / --no-flag, structures as
    JSON (AWS CLI v1 and v2 take all of these alike)."""
    verb = re.sub(r"(?<=[a-z])(?=[A-Z])", "-", operation).lower()
    lines = [f"aws cloudformation {verb}"]
    for key, value in request.items():
        if value in ([], {}, "") and key != "ParameterOverrides":
            continue  # (no overrides is "[]": omitted, update-stack-instances keeps them)
        if key == "Description":
            continue  # passed with the template's own words below
        if isinstance(value, bool):
            lines.append(_option(key) if value else "--no-" + _option(key)[2:])
        elif isinstance(value, str):
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


def _operations_note(stackset: StackSet, count: int) -> str:
    """What runs at once and what waits, for `count` stack-instances commands."""
    return textwrap.fill(_operations(stackset, count), 80, break_on_hyphens=False,
                         break_long_words=False)


def _operations(stackset: StackSet, count: int) -> str:
    if stackset.region_concurrency == "parallel":
        return (
            "`region_concurrency: parallel`: the regions of one command deploy at once. "
            + ("" if count <= 1 else
               f"Regions with different parameter overrides need one command each ({count} "
               "here), and StackSets runs its operations one after another (it queues an "
               "operation behind a running one, even one on other instances): the commands "
               "below take one round each. ")
            + "Run each after the previous one's `aws cloudformation "
            "describe-stack-set-operation` reports `SUCCEEDED`: a queued operation starts "
            "even when the one before it failed."
        )
    return (
        "Each command is one StackSet operation, over its regions one after another in "
        "the order above. StackSets queues an operation behind the running one and starts "
        "it even when that one failed: run one command at a time, the next only after "
        "`aws cloudformation describe-stack-set-operation` reports the previous one "
        "`SUCCEEDED`, so a bad version stops at the first region it breaks."
    )


def deploy_guide(
    spec: Spec, version: int, template_file: str, reqs: dict[str, Any], template_bytes: int = 0
) -> str:
    """v<N>.DEPLOY.md: the exact commands for this version, run from the stack folder.
    A template over CloudFormation's 51,200-byte inline limit goes through S3
    (`--template-url`), after an `aws s3 cp` to a bucket the reader names."""
    stackset = spec.stack.stackset
    assert stackset is not None
    name = spec.stack_name
    fence = "```"
    url, upload = "", ""
    if template_bytes > INLINE_TEMPLATE_LIMIT:
        key = f"{name}/{template_file}"
        url = f"https://$BUCKET.s3.amazonaws.com/{key}"
        upload = (f"# {template_bytes:,} bytes: over the {INLINE_TEMPLATE_LIMIT:,}-byte inline "
                  "limit, so through S3 (set BUCKET to a bucket StackSets can read)\n"
                  f"aws s3 cp {template_file} s3://$BUCKET/{key}\n\n")

    def block(operations: list[tuple[str, dict[str, Any]]]) -> str:
        # Each block sends the template once (CreateStackSet or UpdateStackSet),
        # so each starts with its upload when it goes through S3.
        commands = "\n\n".join(
            _command(op, request, template_file if op.endswith("StackSet") else None, url)
            for op, request in operations
        )
        return f"{fence}sh\n{upload}{commands}\n{fence}"

    call_as = _call_as(stackset).get("CallAs")
    suffix = f" --call-as {call_as}" if call_as else ""
    sections = [_introduction(spec, version), "## First deployment (no StackSet "
                f"`{name}` yet)", _operations_note(stackset, len(reqs["CreateStackInstances"])),
                block([("CreateStackSet", reqs["CreateStackSet"])]
                      + [("CreateStackInstances", r) for r in reqs["CreateStackInstances"]])]
    update = reqs.get("Update")
    if update is not None:
        sections += _update_section(spec, update, block)
    sections += [
        "## Watching and stopping a rollout",
        f"""{fence}sh
aws cloudformation list-stack-set-operations --stack-set-name {name}{suffix}
aws cloudformation describe-stack-set-operation --stack-set-name {name} \\
  --operation-id OPERATION_ID{suffix}
aws cloudformation list-stack-set-operation-results --stack-set-name {name} \\
  --operation-id OPERATION_ID{suffix}
aws cloudformation stop-stack-set-operation --stack-set-name {name} \\
  --operation-id OPERATION_ID{suffix}
{fence}""",
        "Stopping cancels the stack instances not yet started and lets those in progress\n"
        "finish; the regions after them are not touched.",
    ]
    return "\n\n".join(sections) + "\n"


def _introduction(spec: Spec, version: int) -> str:
    stackset = spec.stack.stackset
    assert stackset is not None
    if stackset.service_managed:
        model = "service-managed (AWS Organizations)"
        where = f"the accounts of organizational units {', '.join(stackset.organizational_units)}"
        who = ("a delegated administrator account for StackSets (the commands say "
               "`--call-as DELEGATED_ADMIN`)" if stackset.call_as == "delegated_admin"
               else "the organization's management account (`--call-as SELF`)")
        management = (
            "\n\nStackSets never deploys to the organization's management account, even\n"
            "when it is in a targeted OU or the OU is the root: deploy a cache there with\n"
            "a plain stack."
        )
    else:
        model, where = "self-managed", f"accounts {', '.join(stackset.accounts)}"
        who, management = "the StackSet administrator account", ""
    order = ("regions in parallel" if stackset.region_concurrency == "parallel"
             else "one region after another, in this order")
    return f"""<!-- generated by cachec from the spec: do not edit -->
# {spec.stack_name} v{version}: deploying with StackSets

A {model} StackSet `{spec.stack_name}` to {where}, in {', '.join(stackset.regions)}
({order}). Run the commands from this folder
with credentials of {who}. The requests are in `v{version}.stackset.json`;
see docs/deploying.md (StackSets) for the roles these commands need.{management}

StackSets take no stack policy: what keeps the cache is its `DeletionPolicy` and
`UpdateReplacePolicy` (a final snapshot, `backups.final_snapshot`), `cachec build`
refusing a version that replaces it, and stack instances deleted with
`--retain-stacks` (their stacks and caches stay in the accounts)."""


def _update_section(
    spec: Spec, update: dict[str, Any],
    block: Callable[[list[tuple[str, dict[str, Any]]]], str],
) -> list[str]:
    stackset = spec.stack.stackset
    assert stackset is not None
    listed = [("DeleteStackInstances", r) for r in update["DeleteStackInstances"]]
    listed += [("UpdateStackSet", update["UpdateStackSet"])]
    listed += [("UpdateStackInstances", r) for r in update["UpdateStackInstances"]]
    listed += [("CreateStackInstances", r) for r in update["CreateStackInstances"]]
    return [
        f"## Updating from v{update['FromVersion']} (the StackSet runs v{update['FromVersion']})",
        "What this version changes in the stack instances of v"
        f"{update['FromVersion']}:\n\n" + _instance_lines(update),
        textwrap.fill("The commands, in this order: instances the spec dropped are deleted first, "
        "keeping their stacks (`--retain-stacks`: the stack and its cache stay in the "
        "account, outside the StackSet; delete it there once it is no longer needed); "
        "update-stack-set then rolls the template out to every remaining instance, "
        "keeping each one's parameter overrides; update-stack-instances sets the "
        "overrides that changed (values set by hand for one account are kept for the "
        "Parameters sent as `UsePreviousValue`, and reset for the others of that region); "
        "create-stack-instances adds the new instances.", 80, break_on_hyphens=False,
                      break_long_words=False),
        _operations_note(stackset, len(listed) - 1),
        block(listed),
    ]


def _instance_lines(update: dict[str, Any]) -> str:
    """The Update's requests in words (from the requests themselves)."""
    def targets(request: dict[str, Any]) -> str:
        ous = request.get("DeploymentTargets", {}).get("OrganizationalUnitIds", [])
        return ", ".join(request.get("Accounts", ous))

    lines = [f"- delete (stacks retained): {targets(r)} in {', '.join(r['Regions'])}"
             for r in update["DeleteStackInstances"]]
    lines += [f"- set parameter overrides: {targets(r)} in {', '.join(r['Regions'])}"
              for r in update["UpdateStackInstances"]]
    lines += [f"- create: {targets(r)} in {', '.join(r['Regions'])}"
              for r in update["CreateStackInstances"]]
    return "\n".join(lines or ["- none: the template and the StackSet's values only"])
