"""A global datastore's deploy order, appended to the version's DEPLOY.md.

The primary's stack first: its GlobalReplicationGroup exists once the stack
is complete, and its id (AWS-prefixed) is the stack's Output. Then each
secondary region's stack, created with that id in its Parameter
GlobalReplicationGroupId. Removing a secondary is two steps: disassociate it
from the global datastore, then delete its stack (a member cannot be deleted
while it belongs to one). Failover promotes a secondary by hand: ElastiCache
"doesn't support autofailover from one AWS Region to another".

Sources:
- Prerequisites and limitations, and "Promoting the secondary cluster to
  primary": https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Redis-Global-Datastores-Getting-Started.html,
  https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Redis-Global-Datastores-Console.html
- The CLI: describe-global-replication-groups (--show-member-info),
  failover-global-replication-group (--primary-region,
  --primary-replication-group-id), disassociate-global-replication-group
  (--replication-group-id, --replication-group-region),
  https://docs.aws.amazon.com/cli/latest/reference/elasticache/
"""

from __future__ import annotations

import shlex
from collections.abc import Sequence
from dataclasses import dataclass

from ..input.model import GlobalDatastore, Spec
from ..vocabulary import names

# The deployer's values of a secondary's stack (its VPC, subnets, the global
# datastore's id): never written by cachec, like deploy_guide.LOCAL_PARAMETERS.
LOCAL_PARAMETERS = "parameters.{region}.local.json"


@dataclass(frozen=True)
class Secondary:
    """What the guide says about one secondary region's template."""

    region: str
    template_file: str  # v<N>.<region>.yaml
    prefix: str  # v<N>.<region>: its deployment files' stem
    required: tuple[str, ...]  # Parameters without a Default: the deployer's file
    capabilities: tuple[str, ...]


def _lines(verb: str, *options: str) -> str:
    return " \\\n  ".join([verb, *(o for o in options if o)])


def _output(region: str, stack: str, output: str) -> str:
    # Output names are letters only: the JMESPath literal needs no escaping.
    query = f"Stacks[0].Outputs[?OutputKey=='{output}'].OutputValue"
    return _lines("aws cloudformation describe-stacks", f"--region {region}",
                  f"--stack-name {shlex.quote(stack)}", f'--query "{query}"',
                  "--output text")


def _status(region: str) -> str:
    return _lines("aws elasticache describe-global-replication-groups", f"--region {region}",
                  '--global-replication-group-id "$GLOBAL_ID"', "--show-member-info")


def _updating(version: int, primary: str, updates: str) -> str:
    """Updates exist from the second version on."""
    if version == 1:
        return ""
    fence = "```"
    return f"""
## Global datastore: updating to v{version}

Update the primary's stack first (above, in {primary}), then each secondary's,
through its change set. Node type, engine version and shard count are the
global datastore's: when this version changes one, scale the global datastore
first (`aws elasticache modify-global-replication-group --region {primary}
--global-replication-group-id "$GLOBAL_ID" --apply-immediately --cache-node-type
...`, or `--engine-version ...`), wait until it is `available`, then update the
stacks, which then change nothing on the caches (`cachec diff` warns:
`global-datastore-scaling`).

{fence}sh
{updates}
{fence}
"""


def section(spec: Spec, gds: GlobalDatastore, version: int,
            secondaries: Sequence[Secondary]) -> str:
    """The `## Global datastore` sections of the version's DEPLOY.md."""
    stack = spec.stack_name
    fence = "```"
    primary = gds.primary_region
    stack_arg = f"--stack-name {shlex.quote(stack)}"
    status = _status(primary)
    creates = []
    for s in secondaries:
        values = LOCAL_PARAMETERS.format(region=s.region)
        capability = f"--capabilities {' '.join(s.capabilities)}" if s.capabilities else ""
        creates.append(f"""### {s.region}

`{s.template_file}`. Its Parameters without a Default are this region's own
({', '.join(f'`{n}`' for n in s.required)}): put them in `{values}`
(`{names.GLOBAL_REPLICATION_GROUP_ID}` is the `$GLOBAL_ID` above; cachec never
writes this file). Its other files are `{s.prefix}.parameters.json`,
`{s.prefix}.update-parameters.json` and `{s.prefix}.stack-policy.json`.

{fence}sh
{_lines("aws cloudformation create-stack", f"--region {s.region}", stack_arg,
        f"--template-body file://{s.template_file}", f"--parameters file://{values}",
        capability, f"--stack-policy-body file://{s.prefix}.stack-policy.json",
        "--enable-termination-protection")}
aws cloudformation wait stack-create-complete --region {s.region} {stack_arg}
{status}
{fence}

The last command lists the member in {s.region} with `"Role": "SECONDARY"` and
`"Status": "associated"` once it replicates.
""")
    updates = "" if version == 1 else "\n".join(
        _lines("aws cloudformation create-change-set", f"--region {s.region}", stack_arg,
               f"--change-set-name cachec-v{version}",
               f"--template-body file://{s.template_file}",
               f"--parameters file://{s.prefix}.update-parameters.json",
               f"--capabilities {' '.join(s.capabilities)}" if s.capabilities else "")
        + f"\naws cloudformation wait change-set-create-complete --region {s.region} "
        f"{stack_arg} --change-set-name cachec-v{version}"
        + f"\naws cloudformation describe-change-set --region {s.region} {stack_arg} "
        f"--change-set-name cachec-v{version}"
        + f"\naws cloudformation execute-change-set --region {s.region} {stack_arg} "
        f"--change-set-name cachec-v{version}"
        + f"\naws cloudformation wait stack-update-complete --region {s.region} {stack_arg}"
        for s in secondaries
    )
    first = secondaries[0].region
    remove = secondaries[-1].region
    return f"""## Global datastore: the deploy order

This cache is the primary of a global datastore: the sections above deploy the
primary's stack. Run them in **{primary}** (`export AWS_DEFAULT_REGION={primary}`
first). Then each secondary region gets its own stack, named `{stack}` too
(stack names are per region), from its own template, in this order. A secondary
can only join once the global datastore exists, and its id, which ElastiCache
prefixes, is known only from the primary's stack.

### The global datastore's id

Once the primary's stack is complete, read the id and check that the global
datastore is `available` with its primary member `associated`:

{fence}sh
{_output(primary, stack, names.GLOBAL_REPLICATION_GROUP_ID)}
export GLOBAL_ID=...   # the value printed above
{status}
{fence}

{"".join(creates)}{_updating(version, primary, updates)}
## Global datastore: failover to another region

ElastiCache does not fail over between regions by itself. To make a secondary
the primary (for example {first}), promote it by its replication group id, the
secondary stack's Output `{names.REPLICATION_GROUP_ID}`. The commands go to the
region being promoted: they work while {primary} is unreachable.

{fence}sh
{_output(first, stack, names.REPLICATION_GROUP_ID)}
{_lines("aws elasticache failover-global-replication-group", f"--region {first}",
        '--global-replication-group-id "$GLOBAL_ID"', f"--primary-region {first}",
        '--primary-replication-group-id "$SECONDARY_ID"')}
{_status(first)}
{fence}

(`export SECONDARY_ID=...`, the value the first command prints.) The templates
still describe {primary} as the primary: fail back the same way, naming
{primary} and the primary stack's `{names.REPLICATION_GROUP_ID}`, before the
next update of any of these stacks.

## Global datastore: removing a secondary region

A member of a global datastore cannot be deleted: disassociate it first (it
then runs on as a standalone cache in its region), wait until the global
datastore no longer lists it, then delete its stack (for example {remove}):

{fence}sh
{_output(remove, stack, names.REPLICATION_GROUP_ID)}
{_lines("aws elasticache disassociate-global-replication-group", f"--region {primary}",
        '--global-replication-group-id "$GLOBAL_ID"', '--replication-group-id "$SECONDARY_ID"',
        f"--replication-group-region {remove}")}
{status}
aws cloudformation update-termination-protection --region {remove} {stack_arg} \\
  --no-enable-termination-protection
aws cloudformation delete-stack --region {remove} {stack_arg}
aws cloudformation wait stack-delete-complete --region {remove} {stack_arg}
{fence}

Then remove the region from `global_datastore.secondary_regions` and build. To
end the global datastore, remove every secondary this way first, then remove
`global_datastore` from the spec: the next version deletes the
`{names.GLOBAL_REPLICATION_GROUP}` from the primary's stack and keeps its cache.
"""
