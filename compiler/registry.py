"""The one registry of diagnostic kinds, and of the rules that report them.

Each kind is defined beside the code that reports it (a rule's module, the
loader, the schema check, lint, the update paths, the pipeline, the build);
KINDS lists every one, in the order docs/rules.md shows them within each
stage (`cachec schema --format rules`). A semantic rule brings its kinds:
it is registered once, in rules.RULES, and KINDS takes its kinds from there;
the kinds no semantic rule reports are listed here. RULES lists every
registered rule, the semantic rules' and the update paths' alike. A test
holds KINDS to the kinds defined in the code, their ids and names unique.
"""

from __future__ import annotations

from typing import Any

from . import api, diff, pipeline, rules
from .change import deployed, update_paths
from .input import adoption, describe, load, validate
from .kinds import Kind, Rule
from .rules import acceptance
from .template import lint, overrides


def _listed(*entries: Kind | Rule[Any]) -> tuple[Kind, ...]:
    """Each kind once, in the order it first appears: a kind stands for
    itself, a rule for the kinds it reports (two rules may report one kind)."""
    found: dict[Kind, None] = {}
    for entry in entries:
        found.update(dict.fromkeys(entry.kinds if isinstance(entry, Rule) else (entry,)))
    return tuple(found)


# The kinds no semantic rule reports, and the rules that bring theirs. The
# page shows the kinds stage by stage, each stage's in the order below. The
# update paths' kinds are listed one by one: diff's export-changes stands
# among them on the page.
KINDS: tuple[Kind, ...] = _listed(
    load.FILE_NOT_FOUND, load.FILE_UNREADABLE, load.NOT_A_REGULAR_FILE, load.FILE_TOO_LARGE,
    load.INVALID_UTF8, load.EMPTY_SPEC, load.ROOT_NOT_MAPPING, load.SEVERAL_DOCUMENTS,
    load.YAML_SYNTAX, load.YAML_TAB, load.YAML_TAG, load.YAML_MERGE_KEY, load.DUPLICATE_KEY,
    load.INVALID_KEY, load.NON_FINITE_NUMBER, load.NUMBER_TOO_LONG, load.INVALID_SCALAR,
    load.CONTROL_CHARACTER, load.INVALID_CHARACTER, load.TOO_DEEP, load.TOO_MANY_NODES,
    validate.UNKNOWN_KEY, validate.MISSING_KEY, validate.UNSUPPORTED_FORMAT,
    validate.INVALID_TYPE, validate.INVALID_VALUE, validate.INVALID_FORMAT,
    validate.OUT_OF_RANGE, validate.DUPLICATE_ITEM, validate.TOO_FEW_ITEMS,
    validate.TOO_MANY_ITEMS, validate.TOO_LONG, validate.TOO_SHORT, validate.DYNAMIC_REFERENCE,
    validate.SCHEMA,
    *rules.RULES,
    api.DUPLICATE_STACK, api.STACK_OWNED, pipeline.WORKER_DIED,
    pipeline.TEMPLATE_NEEDS_S3, overrides.OVERRIDE_UNKNOWN_PARAMETER,
    overrides.STACKSET_VALUES_NOT_PER_TARGET, overrides.OVERRIDE_VALUE_REFUSED,
    lint.NODE_TYPE_NOT_IN_REGION, lint.CFN_LINT_ERROR, lint.CFN_LINT_WARNING,
    diff.REPLACES_CACHE, update_paths.FIRST_REPLICA_WITH_FAILOVER,
    update_paths.LAST_REPLICA_WITH_FAILOVER, update_paths.TLS_NOT_IN_PLACE,
    update_paths.TLS_NEEDS_PREFERRED, update_paths.ENGINE_DOWNGRADE,
    update_paths.NODE_TYPE_DOWNSIZE, update_paths.AUTH_SWITCH_REPLACES,
    update_paths.FINAL_SNAPSHOT_OFF, update_paths.TLS_OFF_IN_PLACE, diff.EXPORT_CHANGES,
    deployed.DEPLOYED_UNREADABLE, deployed.DEPLOYED_NOT_A_TEMPLATE, deployed.DEPLOYED_OTHER_CACHE,
    deployed.DEPLOYED_NOT_CACHEC,
    update_paths.VPC_CHANGE, update_paths.SHARDS_WITH_OTHER_CHANGES,
    update_paths.SHARD_SCALE_IN_ALARMS, update_paths.ENGINE_SWITCH_WITH_USER_GROUP,
    pipeline.TEMPLATE_TOO_LARGE, update_paths.CLUSTER_MODE_SWITCH,
    update_paths.REPLACEMENT_WITH_FIXED_ID, update_paths.GLOBAL_DATASTORE_SCALING,
    acceptance.ACCEPT_UNUSED,
    describe.IMPORT_UNREADABLE, describe.IMPORT_NOT_DESCRIBE_OUTPUT,
    adoption.IMPORT_MISSING_INPUT, adoption.IMPORT_AMBIGUOUS, adoption.IMPORT_NOT_ADOPTABLE,
    adoption.IMPORT_NOT_CARRIED,
)

RULES: tuple[Rule[Any], ...] = (
    *rules.RULES, *update_paths.IN_PLACE_RULES, *update_paths.RULES,
    *update_paths.REPLACEMENT_RULES,
)
