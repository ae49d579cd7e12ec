"""Plain-stack deployment files: the Parameter values of one version, and its commands.

Every template Parameter is one of three kinds, and a deploy treats each its own way:

- **spec-fixed**: its Default is a value the spec gives (`network.vpc_id`,
  `monitoring.alarm_topic_arn`, ...). Every deploy sets it: the spec is the
  source of truth, so a console edit of it is reverted.
- **exposed** (`stack.expose`): its Default is the spec's value, but a deployer
  may change it (the console, a scale-down). A create takes the Default; an
  update keeps the deployed value.
- **open**: the spec leaves it to the deployer: no Default (`VpcId` without
  `network.vpc_id`), or the empty Default of a key the spec leaves unset
  (`AlarmTopicName`). An update keeps the deployed value.

An exposed or open Parameter whose Default changed in this version (the
spec changed it, or the Parameter is new) is set like a spec-fixed one: the
spec's change is what this version deploys, and a Parameter the previous
version lacked has no previous value to keep ("Cannot specify usePreviousValue
as true for a parameter key not in the previous template", rackerlabs/ebs_snapper#56).

Two files, because CreateStack refuses UsePreviousValue ("Cannot specify
UsePreviousValue on Parameters when ChangeSetType is CREATE",
mapbox/cfn-config#182) and an update that leaves a Parameter out sets it back
to its Default ("If you don't specify a key and value for a particular
parameter, CloudFormation uses the default value",
https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_Parameter.html):

- `v<N>.parameters.json`: the values this version sets (spec-fixed and changed
  ones), `[{"ParameterKey", "ParameterValue"}]`. Good for create-stack (what it
  leaves out takes its Default, the spec's value) and for `aws cloudformation
  deploy` (which keeps the deployed value of what it leaves out).
- `v<N>.update-parameters.json`: the same values, plus `UsePreviousValue: true`
  for every other Parameter: complete, for create-change-set and update-stack.

Open Parameters without a Default need a value at creation, which differs per
account: it goes in `parameters.local.json`, a file the deployer owns beside
the versions (never a version file: a per-account value must not make a new
version), and the create command reads that file instead.

Pure: no I/O (publish.py writes the files).
"""

from __future__ import annotations

import json
import shlex
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..catalog import update_behavior as ub
from ..input.model import Spec
from ..template.render import INLINE_TEMPLATE_LIMIT
from ..vocabulary import names
from .stackset import capabilities

FIXED, EXPOSED, OPEN = "spec-fixed", "exposed", "open"
LOCAL_PARAMETERS = "parameters.local.json"  # the deployer's own values, beside the versions

# Overrides the stack policy for one update only, so that a version built with
# --allow-replacement can replace the cache; the stack's own policy stays.
# https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/protect-stack-resources.html
ALLOW_ALL_DURING_UPDATE = {
    "Statement": [{"Effect": "Allow", "Action": "Update:*", "Principal": "*", "Resource": "*"}]
}


def exposed_parameters(spec: Spec) -> set[str]:
    """The Parameters `stack.expose` made of spec fields."""
    found = {name for field, name in names.EXPOSED.items() if spec.stack.exposes(field)}
    found |= {names.alarm_threshold(a.key) for a in spec.monitoring.alarms
              if spec.stack.exposes(names.exposed_threshold(a.key))}
    return found


def kinds_of(spec: Spec, template: Mapping[str, Any]) -> dict[str, str]:
    """Each template Parameter's kind, in the template's order."""
    shown = exposed_parameters(spec)
    return {
        name: EXPOSED if name in shown
        else OPEN if param.get("Default", "") == "" else FIXED
        for name, param in template.get("Parameters", {}).items()
    }


def changed_parameters(template: Mapping[str, Any],
                       before: Mapping[str, Any] | None) -> set[str]:
    """Parameters this version adds or gives another Default than the previous
    version's template Parameters (`before`; None: the first version)."""
    if before is None:
        return set()
    return {
        name for name, param in template.get("Parameters", {}).items()
        if name not in before or before[name].get("Default") != param.get("Default")
    }


@dataclass(frozen=True)
class Values:
    """What one version's deploys pass for the template's Parameters."""

    kinds: dict[str, str]  # name -> FIXED / EXPOSED / OPEN, template order
    set: dict[str, str]  # name -> the value every deploy of this version passes
    required: tuple[str, ...]  # open, no Default: the deployer gives them at creation

    @property
    def create(self) -> list[dict[str, Any]]:
        return [{"ParameterKey": k, "ParameterValue": v} for k, v in self.set.items()]

    @property
    def update(self) -> list[dict[str, Any]]:
        return [
            {"ParameterKey": k, "ParameterValue": self.set[k]} if k in self.set
            else {"ParameterKey": k, "UsePreviousValue": True}
            for k in self.kinds
        ]


def values(spec: Spec, template: Mapping[str, Any],
           before: Mapping[str, Any] | None = None) -> Values:
    """`before`: the previous version's template Parameters (None: the first version)."""
    kinds = kinds_of(spec, template)
    changed = changed_parameters(template, before)
    parameters = template.get("Parameters", {})
    chosen = {
        name: str(parameters[name]["Default"])
        for name, kind in kinds.items()
        if "Default" in parameters[name] and (kind == FIXED or name in changed)
    }
    required = tuple(n for n, kind in kinds.items()
                     if kind == OPEN and "Default" not in parameters[n])
    return Values(kinds, chosen, required)


def replaces_cache(template: Mapping[str, Any], changes: Sequence[Mapping[str, Any]]) -> bool:
    """Whether this version replaces or deletes the cache (the guard let it
    through with --allow-replacement): the stack policy then refuses it."""
    caches = {lid for lid, r in template.get("Resources", {}).items()
              if r.get("Type") in ub.CACHE_TYPES}
    return any(
        str(c.get("template_path", "")).split(".")[:2] in [["Resources", lid] for lid in caches]
        and c.get("action") in (ub.REPLACEMENT, ub.REMOVE)
        for c in changes
    )


def _lines(verb: str, *options: str) -> str:
    return " \\\n  ".join([f"aws cloudformation {verb}", *(o for o in options if o)])


def guide(
    spec: Spec,
    template: Mapping[str, Any],
    version: int,
    template_file: str,
    template_bytes: int,
    changes: Sequence[Mapping[str, Any]] = (),
    before: Mapping[str, Any] | None = None,
) -> str:
    """v<N>.DEPLOY.md: the exact commands for this version, run from the stack folder.
    `changes`: the version's change records; `before`: as values()."""
    stack = spec.stack_name
    vals = values(spec, template, before)
    caps = capabilities(dict(template))
    fence = "```"
    prefix = f"v{version}"
    change_set = f"cachec-{prefix}"
    capability = f"--capabilities {' '.join(caps)}" if caps else ""
    source, upload = f"--template-body file://{template_file}", ""
    if template_bytes > INLINE_TEMPLATE_LIMIT:
        key = f"{stack}/{template_file}"
        source = f"--template-url https://$BUCKET.s3.amazonaws.com/{key}"
        upload = (f"# {template_bytes:,} bytes: over the {INLINE_TEMPLATE_LIMIT:,}-byte inline "
                  "limit, so through S3 (set BUCKET to a bucket you can write)\n"
                  f"aws s3 cp {template_file} s3://$BUCKET/{key}\n")
    create_values = LOCAL_PARAMETERS if vals.required else f"{prefix}.parameters.json"
    stack_arg = f"--stack-name {shlex.quote(stack)}"
    named = f"{stack_arg} --change-set-name {change_set}"
    create = _lines(
        "create-stack", stack_arg, source, f"--parameters file://{create_values}", capability,
        f"--stack-policy-body file://{prefix}.stack-policy.json",
        "--enable-termination-protection",
    )
    review = [
        _lines("create-change-set", named, source,
               f"--parameters file://{prefix}.update-parameters.json", capability),
        f"aws cloudformation wait change-set-create-complete {named}",
        f"aws cloudformation describe-change-set {named}",
    ]
    capabilities_text = (
        f"The template creates IAM resources: every create and update passes "
        f"`--capabilities {' '.join(caps)}`." if caps
        else "The template creates no IAM resources: no `--capabilities` needed."
    )
    sections = [
        f"""<!-- generated by cachec from the spec: do not edit -->
# {stack} {prefix}: deploying the stack

The CloudFormation stack `{stack}`, from `{template_file}`. Run the commands from this
folder with credentials of the account and in the region the stack goes to.
{capabilities_text}

{_parameter_table(vals, prefix)}
""",
    ]
    if vals.required:
        example = {name: "..." for name in vals.required}
        sections.append(f"""## Values only you know

The spec leaves {', '.join(f'`{n}`' for n in vals.required)} open and they have no
Default: the stack needs them at creation, and they differ per account. Put them
in `{LOCAL_PARAMETERS}` in this folder (the create command reads it; every other
Parameter takes its Default there, the spec's value). It is yours: cachec never
writes, hashes or publishes it, so a per-account value never makes a new version.
List-typed values are comma-separated:

{fence}json
{json.dumps([{"ParameterKey": k, "ParameterValue": v} for k, v in example.items()],
            indent=2)}
{fence}

Updates keep the deployed values (`UsePreviousValue`): the file is read only here.
""")
    sections.append(f"""## First deployment

The stack is created with its stack policy (it refuses any update that replaces
or deletes the cache) and termination protection on.

{fence}sh
{upload}{create}
aws cloudformation wait stack-create-complete {stack_arg}
{fence}
""")
    if version == 1:
        pass  # the first version: nothing deployed to update from
    elif replaces_cache(template, changes):
        sections.append(f"""## Updating to {prefix}: this version REPLACES THE CACHE

It was published with `cachec build --allow-replacement`: the new cache starts
empty (with `backups.final_snapshot` the old one is snapshotted first). The stack
policy refuses the replacement, so a change set cannot deploy it: review the
change set, then run `update-stack` with a policy that allows it for this update
only (the stack policy stays in force afterwards).

{fence}sh
{upload}{review[0]}
{review[1]}
{review[2]}
aws cloudformation delete-change-set {named}
{_lines("update-stack", stack_arg, source,
        f"--parameters file://{prefix}.update-parameters.json", capability,
        "--stack-policy-during-update-body "
        + shlex.quote(json.dumps(ALLOW_ALL_DURING_UPDATE, separators=(',', ':'))))}
aws cloudformation wait stack-update-complete {stack_arg}
{fence}
""")
    else:
        sections.append(f"""## Updating to {prefix} (the stack runs v{version - 1})

Through a change set: create it, review what CloudFormation will do (look for
`"Replacement": "True"`), then execute it.

{fence}sh
{upload}{review[0]}
{review[1]}
{review[2]}
aws cloudformation execute-change-set {named}
aws cloudformation wait stack-update-complete {stack_arg}
{fence}
""")
    sections.append(f"""## A stack created without these protections

{fence}sh
aws cloudformation set-stack-policy {stack_arg} \\
  --stack-policy-body file://{prefix}.stack-policy.json
aws cloudformation update-termination-protection {stack_arg} \\
  --enable-termination-protection
{fence}
""")
    return "\n".join(sections)


def _parameter_table(vals: Values, prefix: str) -> str:
    if not vals.kinds:
        return "The template has no Parameters."
    rows = []
    for name, kind in vals.kinds.items():
        if name in vals.set:
            shown = json.dumps(vals.set[name])
            how = f"`{shown}` on every deploy" if kind == FIXED else (
                f"`{shown}`: new or changed in {prefix}, set on create and update")
        elif name in vals.required:
            how = f"yours, in `{LOCAL_PARAMETERS}`, at creation; updates keep it"
        else:
            how = "its Default at creation; updates keep the deployed value"
        rows.append(f"| `{name}` | {kind} | {how} |")
    return "\n".join([
        f"`{prefix}.parameters.json` sets the spec's values; `{prefix}.update-parameters.json`"
        " adds `UsePreviousValue` for the others, so an update never resets what a deployer "
        "chose:",
        "",
        "| Parameter | kind | value |",
        "|---|---|---|",
        *rows,
    ])
