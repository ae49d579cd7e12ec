"""`cachec diff` and the replacement guard of `build`: the published version vs. this build.

`review(result, store)` is the library entry point: it takes the latest
published template from the verified store (publish.Store), classifies every
change (changes.py), runs the update-path rules (update_paths.py) and, for
`build`, the guard: a change that replaces or deletes the cache is an error
unless replacement is allowed. Rendering (text, JSON) is pure; cli prints.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from . import COMPILER
from .catalog import update_behavior as ub
from .change.changes import OUTPUT, Change, classify, replaced_resources
from .change.deployed import Deployed, with_parameter_values
from .change.spec_values import spec_value_of
from .change.update_paths import cache_state, check
from .deploy import adopting, stackset
from .deploy.version_files import published_provenance, published_stackset
from .diagnostics import (
    NO_MARKS,
    Diagnostic,
    Marks,
    error,
    format_diagnostic,
    format_path,
    sort_key,
    warning,
)
from .input.model import Spec
from .kinds import CFN_REPLICATION_GROUP, ErrorKind, Stage, WarningKind
from .store.publish import Store, read_template
from .template.render import content_digest
from .vocabulary import names
from .vocabulary.provenance import SpecSources

# What to do instead, for create-only properties users change by mistake.
_HINTS = {
    "SnapshotName": "restore_from acts only at creation: keep the published value (removing "
    "it replaces the cache too)",
    "SnapshotArns": "restore_from acts only at creation: keep the published value (removing "
    "it replaces the cache too)",
}


class Built(Protocol):
    """What review reads of a compiled spec (api.Result is one): diff depends
    on this shape, not on the pipeline that produces it."""

    @property
    def filename(self) -> str: ...

    @property
    def spec(self) -> Spec | None: ...

    @property
    def template(self) -> dict[str, Any] | None: ...

    @property
    def spec_digest(self) -> str | None: ...

    @property
    def marks(self) -> Marks: ...

    @property
    def content_digest(self) -> str | None: ...

    @property
    def sources(self) -> SpecSources | None: ...

    @property
    def parts(self) -> Sequence[BuiltPart]: ...


class BuiltPart(Protocol):
    """A further template of the build (pipeline.Part): a global datastore's
    secondary region, compared with the same part of the latest version."""

    @property
    def name(self) -> str: ...

    @property
    def template(self) -> dict[str, Any]: ...

    @property
    def sources(self) -> SpecSources: ...


@dataclass(frozen=True)
class PartReview:
    """One part's changes against the same part of the compared version."""

    name: str
    published: bool  # the compared version had this part (else: all new)
    changes: tuple[Change, ...]
    template: dict[str, Any] = field(compare=False)  # the new part ({} when dropped)


@dataclass(frozen=True)
class Review:
    """One spec's build compared with its latest published version."""

    filename: str
    stack: str
    published: int | None  # version compared against; None: nothing published
    changes: tuple[Change, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()
    marks: Marks = field(default=NO_MARKS, compare=False)
    # The spec changed though the template's resources did not (stack.stackset
    # targets, say): build still publishes a new version, with new deployment files.
    spec_changed: bool = False
    # With stack.stackset: what the new version does to the stack instances of
    # the published StackSet (stackset.InstanceChanges.describe); None otherwise.
    instances: tuple[str, ...] | None = None
    # The published version's template Parameters (None: nothing published): which
    # Parameters this version adds or gives a new Default (deploy_guide.values).
    parameters_before: dict[str, Any] | None = field(default=None, compare=False)
    # `diff --deployed FILE`: compared with the deployed template in FILE, not
    # with the latest published version; `published` is then the version the
    # deployed template is (by its content digest), None when it is none.
    deployed: DeployedFrom | None = None
    # The build's further templates (a global datastore's secondary regions),
    # each compared with the same part of the published version, then the
    # published parts this build no longer makes (every resource removed).
    parts: tuple[PartReview, ...] = ()

    @property
    def empties_cache(self) -> bool:
        return any(c.empties_cache for c in self.changes) or any(
            c.empties_cache for p in self.parts for c in p.changes)


# How to accept a replacement the guard refuses, as the refusal says it.
BUILD_OVERRIDE = "build --allow-replacement publishes it anyway"
DEPLOYED_OVERRIDE = ("against the deployed stack; diff --deployed --allow-replacement reports it "
                     "without failing")


@dataclass(frozen=True)
class DeployedFrom:
    """Where a review's deployed template came from, and what it is."""

    file: str
    source: str  # change.deployed: GET_TEMPLATE, DESCRIBE_STACK_SET or TEMPLATE
    template_digest: str  # content_digest: what the manifest records as template_digest
    stackset: str | None = None  # describe-stack-set: the StackSet's name


def compare(
    published: dict[str, Any] | None,
    template: dict[str, Any],
    *,
    allow_replacement: bool,
    sources: SpecSources | None = None,
    published_sources: SpecSources | None = None,
    override: str = BUILD_OVERRIDE,
) -> tuple[list[Change], list[Diagnostic]]:
    """Pure core: classified changes and the update-path findings; with
    `allow_replacement` False, every change that empties the cache is an error
    (`override`: how to accept it anyway, said in the error).
    `sources`: the spec keys recorded when `template` was synthesized;
    `published_sources`: those recorded when `published` was, where known."""
    changes = classify(published or {}, template, sources, published_sources)
    replaced = any(c.empties_cache for c in changes)
    diagnostics = (
        check(published, template, cache_replaced=replaced) if published is not None else []
    )
    if published is not None:
        diagnostics += _export_warnings(published, template, changes)
    if published is not None and not allow_replacement:
        diagnostics += [_refusal(c, template, override) for c in _cache_emptying(changes)]
    return changes, diagnostics


# Outputs whose value changes when TLS is turned on or off although their
# text does not: "TLS-enabled clusters use a different format of DNS records
# than TLS-disabled clusters"
# (https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/enable-python-best-practices.html).
_ENDPOINT_OUTPUTS = (
    names.PRIMARY_ENDPOINT, names.READER_ENDPOINT, names.CONNECTION_STRING,
    names.CLIENT_ENDPOINT,
)


EXPORT_CHANGES = WarningKind(
    "export-changes", Stage.UPDATE, "An exported Output changes value or goes away.",
    "CloudFormation refuses to update or delete an export while another stack imports "
    "it, so the stack update fails until the importing stacks stop using it.",
    "Update or remove the imports first, or deploy knowing which stacks import it "
    "(aws cloudformation list-imports --export-name ...).",
    "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-cfn-stack-exports.html",
)


def _export_warnings(
    published: dict[str, Any], template: dict[str, Any], changes: list[Change]
) -> list[Diagnostic]:
    """One warning naming every exported Output whose value changes or that goes away."""
    exported = [
        name for name, output in published.get("Outputs", {}).items() if "Export" in output
    ]
    moved = {c.resource for c in changes if c.resource_type == OUTPUT and c.action != ub.ADD}
    old, new = cache_state(published), cache_state(template)
    if old is not None and new is not None and old.tls != new.tls:
        moved |= set(_ENDPOINT_OUTPUTS)
    changing = [name for name in exported if name in moved]
    if not changing:
        return []
    # One warning for all of them: they have one cause and one remedy.
    what = (f"Output {changing[0]} is exported and its value changes (or it goes away)"
            if len(changing) == 1 else
            f"Outputs {', '.join(changing)} are exported and their values change (or they "
            "go away)")
    return [
        warning(
            EXPORT_CHANGES,
            ("stack", "exports"),
            f"{what}: CloudFormation refuses the update while another stack imports "
            f"{'it' if len(changing) == 1 else 'one'}; list them with aws cloudformation "
            "list-imports --export-name <export name> and update the importing stacks first",
        )
    ]


def _cache_emptying(changes: list[Change]) -> list[Change]:
    """The changes that replace or delete the cache; a change only carried by
    a replaced resource it refers to counts when nothing else explains it."""
    emptying = [c for c in changes if c.empties_cache]
    direct = [c for c in emptying if not c.cascaded]
    return direct or emptying


REPLACES_CACHE = ErrorKind(
    "replaces-cache", Stage.UPDATE, "The change replaces (empties) the cache.",
    "Create-only properties (engine, encryption at rest, KMS key, ...) make CloudFormation "
    "build a new, empty cache and delete the old one.",
    "Revert the change, or accept the replacement with build --allow-replacement.",
    CFN_REPLICATION_GROUP,
)


def _refusal(change: Change, template: dict[str, Any], override: str) -> Diagnostic:
    return error(
        REPLACES_CACHE,
        change.spec_path,
        f"{describe(change, template, with_key=False)}; {override}",
    )


def review(result: Built, store: Store, *, allow_replacement: bool = True) -> Review:
    """The result against the latest version in its (verified) store. Raises
    PublishError when that version's template cannot be read."""
    template = result.template
    assert template is not None
    latest = store.latest
    published = None
    if latest is not None and _same(latest, result):
        published = template  # the same template: no need to read and parse it
    elif latest is not None:
        published = read_template(store, latest["file"])  # checked against its SHA-256
    changes, diagnostics = compare(
        published, template, allow_replacement=allow_replacement, sources=result.sources,
        published_sources=published_provenance(store, latest) if latest else None,
    )
    parts, part_diagnostics = _review_parts(result, store, allow_replacement)
    return Review(
        result.filename, store.stack, latest["version"] if latest else None,
        tuple(changes), (*diagnostics, *part_diagnostics), result.marks,
        spec_changed=latest is not None and latest.get("spec_digest") != result.spec_digest,
        instances=_instance_changes(result, store),
        parameters_before=None if published is None else dict(published.get("Parameters", {})),
        parts=parts,
    )


def _review_parts(
    result: Built, store: Store, allow_replacement: bool
) -> tuple[tuple[PartReview, ...], list[Diagnostic]]:
    """Each part against the latest version's part of the same name. An
    adopted cache's import part is no stack of its own but the same stack's
    first step (deploy/adopting): no later version carries it, and its cache
    is the main template's."""
    latest = store.latest
    parts = [p for p in (latest or {}).get("templates", ()) if p["part"] != adopting.PART]
    published = {p["part"]: read_template(store, p["file"])  # checked against its SHA-256
                 for p in parts}
    records = {p["part"]: record for p in parts
               if latest and (record := published_provenance(store, latest, p["part"]))}
    return compare_parts(published, result.parts, allow_replacement=allow_replacement,
                         published_sources=records)


def compare_parts(
    published: Mapping[str, dict[str, Any]], parts: Sequence[BuiltPart], *,
    allow_replacement: bool, published_sources: Mapping[str, SpecSources] | None = None,
) -> tuple[tuple[PartReview, ...], list[Diagnostic]]:
    """Pure core of the parts' review: each part against the published part of
    the same name. A new part is all additions, a part the build drops is all
    removals (its cache too, which the guard refuses like any other). Each
    finding names its part. `published_sources`: the published parts'
    records, where they have one."""
    made = {part.name: part for part in parts}
    reviews, diagnostics = [], []
    for name in [*made, *(n for n in published if n not in made)]:
        part = made.get(name)
        template = part.template if part is not None else {}
        before = published.get(name)
        changes, found = compare(
            before, template, allow_replacement=allow_replacement,
            sources=part.sources if part is not None else None,
            published_sources=(published_sources or {}).get(name),
        )
        reviews.append(PartReview(name, before is not None, tuple(changes), template))
        # A dropped part's findings are about the region the spec no longer lists.
        diagnostics += [dataclasses.replace(
            d, message=f"in {name}'s template: {d.message}",
            path=d.path if part is not None else ("global_datastore", "secondary_regions"))
            for d in found]
    return tuple(reviews), diagnostics


def review_deployed(
    result: Built, deployed: Deployed, store: Store, *, allow_replacement: bool
) -> Review:
    """The result against the deployed template read from FILE: every change
    classified as `review` classifies it, the guard applied unless
    `allow_replacement`, and the published version the deployed template is
    named by its content digest (the manifest's template_digest)."""
    template, found = result.template, deployed.template
    assert template is not None and found is not None
    digest = content_digest(found)
    version = next((v["version"] for v in reversed(store.versions)
                    if v.get("template_digest") == digest), None)
    entry = next((v for v in store.versions if v["version"] == version), None)
    changes, diagnostics = compare(
        with_parameter_values(deployed), template, allow_replacement=allow_replacement,
        sources=result.sources, override=DEPLOYED_OVERRIDE,
        published_sources=published_provenance(store, entry) if entry else None,
    )
    return Review(
        result.filename, store.stack, version, tuple(changes), tuple(diagnostics), result.marks,
        deployed=DeployedFrom(deployed.filename, deployed.source, digest, deployed.stackset_name),
    )


def _instance_changes(result: Built, store: Store) -> tuple[str, ...] | None:
    if result.spec is None or result.spec.stack.stackset is None or store.latest is None:
        return None
    delta = stackset.changes_since(result.spec, published_stackset(store))
    # No StackSet files published yet: the next version creates every instance.
    return tuple(delta.describe()) if delta is not None else (
        "create the StackSet and every stack instance (no version has StackSet files yet)",
    )


def _same(latest: dict[str, Any], result: Built) -> bool:
    """The published template is the new one: its content digest (which leaves
    the compiler out) and its compiler are the same."""
    return bool(
        latest["template_digest"] == result.content_digest and latest["compiler"] == COMPILER
    )


# --- rendering ---


def show(value: Any) -> str:
    """A template value as a reader writes it: 6379, true, !Ref SubnetGroup."""
    return _shorten(*_written(value))


def show_pair(before: Any, after: Any) -> tuple[str, str]:
    """`before` and `after` as `show` writes them, except that two long values
    which differ are cut around their first difference (the common prefix and
    suffix elided), so that what changes is what the line shows."""
    (old, limit), (new, _) = _written(before), _written(after)
    if old == new or (len(old) <= limit and len(new) <= limit):
        return _shorten(old, limit), _shorten(new, limit)
    prefix = _common_prefix(old, new)
    suffix = _common_prefix(old[prefix:][::-1], new[prefix:][::-1])
    start = max(0, prefix - _CONTEXT)
    return _around(old, start, len(old) - suffix, limit), _around(
        new, start, len(new) - suffix, limit
    )


# Characters of common text kept before a difference, as a landmark.
_CONTEXT = 16


def _common_prefix(one: str, other: str) -> int:
    length = 0
    for a, b in zip(one, other, strict=False):
        if a != b:
            break
        length += 1
    return length


def _around(text: str, start: int, end: int, limit: int) -> str:
    """text[start:end] and a little after it, with "..." where text is cut."""
    stop = min(len(text), max(end, start) + _CONTEXT)
    cut = text[start:stop]
    cut = ("..." if start > 0 else "") + cut
    if len(cut) > limit:
        return cut[: limit - 3] + "..."
    return cut + ("..." if stop < len(text) else "")


def _written(value: Any) -> tuple[str, int]:
    """The whole text of a value and the length it is cut to on a line."""
    if value is None:
        return "(unset)", 120
    if value == "":
        return '""', 120  # an empty Default, not nothing
    if isinstance(value, bool):
        return ("true" if value else "false"), 120
    if isinstance(value, dict) and len(value) == 1:
        ((key, inner),) = value.items()
        if key == "Ref":
            return f"!Ref {inner}", 120
        if key == "Fn::GetAtt" and isinstance(inner, list):
            return f"!GetAtt {'.'.join(map(str, inner))}", 120
        if key == "Fn::Sub" and isinstance(inner, str):
            return f"!Sub '{inner}'", 120
    if isinstance(value, dict | list):
        return json.dumps(value, separators=(",", ":"), sort_keys=True), 60
    # Long enough for a key ARN, short enough for a line.
    return str(value), 120


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _snapshot_phrase(template: dict[str, Any], resource: str) -> str:
    cache = template.get("Resources", {}).get(resource, {})
    # A serverless cache snapshots through its FinalSnapshotName property
    # (DeletionPolicy Snapshot does not exist for it; synthesize/serverless.py).
    if cache.get("UpdateReplacePolicy") == "Snapshot" or "FinalSnapshotName" in cache.get(
        "Properties", {}
    ):
        return "the old one is snapshotted first (backups.final_snapshot)"
    return "the old one is deleted without a snapshot (backups.final_snapshot: false)"


def _name_phrase(change: Change, template: dict[str, Any]) -> str:
    """A serverless cache has a fixed name (ServerlessCacheName), and
    CloudFormation creates the replacement before deleting the old one, so the
    update fails unless the name changes too ("you can't perform updates that
    require replacement of this resource" for custom-named resources,
    https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-name.html)."""
    props = template.get("Resources", {}).get(change.resource, {}).get("Properties", {})
    if "ServerlessCacheName" not in props or change.template_path[-1] == "ServerlessCacheName":
        return ""
    return ("; CloudFormation cannot replace a named cache in place: change `name` or "
            "`environment` in the same update (a new ServerlessCacheName)")


def effect(change: Change, template: dict[str, Any], replaced: frozenset[str] = frozenset()) -> str:
    """What deploying the change does, in a reader's words (`replaced`: the
    resources this version replaces)."""
    if change.empties_cache:
        if change.action == ub.REMOVE:
            # The deleted resource's own DeletionPolicy (FinalSnapshotName on a
            # serverless cache) in the published version decides, not the new spec.
            return (f"deletes the cache ({change.resource} leaves the template); the published "
                    "version's DeletionPolicy decides whether a final snapshot is taken")
        hint = _HINTS.get(change.template_path[-1])
        restored = hint is not None and change.after is not None
        new = ("a new cluster holding that snapshot's data, not the current data"
               if restored else "a new, empty cluster")
        return (f"replaces the cache: {new}; "
                f"{_snapshot_phrase(template, change.resource)}"
                + (f"; {hint}" if hint else "") + _name_phrase(change, template))
    if change.template_path[-1] == "CacheParameterGroupFamily":
        return (f"a new parameter group ({change.after}) is created and the cache switched to "
                "it; the old group is deleted after the update")
    if change.resource in replaced and change.action in (ub.NO_INTERRUPTION,
                                                         ub.SOME_INTERRUPTION):
        return f"set on the new {change.resource}"
    return {
        ub.REPLACEMENT: f"replaces {change.resource}: a new one is created, then the old one "
                        "deleted",
        ub.SOME_INTERRUPTION: "updated in place, with some interruption",
        ub.NO_INTERRUPTION: "updated in place, no interruption",
        ub.ADD: f"adds {change.resource} ({change.resource_type})",
        ub.REMOVE: f"deletes {change.resource} ({change.resource_type})",
    }[change.action]


def describe(
    change: Change,
    template: dict[str, Any],
    *,
    with_key: bool = True,
    replaced: frozenset[str] = frozenset(),
) -> str:
    """`port 6379 -> 6380: replaces the cache: ...` - spec key first."""
    key = format_path(change.spec_path) if change.spec_path else ".".join(
        change.template_path
    )
    if change.action in (ub.ADD, ub.REMOVE) or change.cascaded:
        text = effect(change, template, replaced)
        text += f" (because {change.cause})" if change.cascaded else ""
        return f"{key}: {text}" if with_key else text
    before, after = show_pair(spec_value_of(change.template_path, change.before),
                              spec_value_of(change.template_path, change.after))
    values = f"{before} -> {after}: {effect(change, template, replaced)}"
    return f"{key} {values}" if with_key else values


def _deployed_summary(report: Review, deployed: DeployedFrom) -> str:
    count = len(report.changes)
    what = "no changes" if count == 0 else _count(count, "change")
    tail = ", replaces the cache" if report.empties_cache else ""
    which = ("matches no published version" if report.published is None
             else f"published v{report.published}")
    by = f" by StackSet {deployed.stackset}" if deployed.stackset else ""
    return (f"{report.filename}: {report.stack} as deployed{by} ({deployed.file}: {which}) "
            f"-> this build: {what}{tail}")


def _summary(report: Review) -> str:
    if report.deployed is not None:
        return _deployed_summary(report, report.deployed)
    if report.published is None:
        resources, outputs = _created(report)
        return (f"{report.filename}: {report.stack}: nothing published yet; this build "
                f"creates {_count(len(resources), 'resource')} and "
                f"{_count(len(outputs), 'Output')}")
    count = len(report.changes) + sum(len(p.changes) for p in report.parts)
    what = "no changes" if count == 0 else _count(count, "change")
    if count == 0 and report.spec_changed:
        what = ("no template changes, but the spec changed: build publishes a new version "
                "(its deployment files, such as stack.stackset's, follow the spec)")
    tail = ", replaces the cache" if report.empties_cache else ""
    return f"{report.filename}: {report.stack} v{report.published} -> this build: {what}{tail}"


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'s' if number != 1 else ''}"


def _created(report: Review) -> tuple[list[str], list[str]]:
    """A first version's resources and Outputs, by name, in template order."""
    added = [c for c in report.changes if c.action == ub.ADD]
    return ([c.resource for c in added if c.resource_type != OUTPUT],
            [c.resource for c in added if c.resource_type == OUTPUT])


def render_text(report: Review, template: dict[str, Any]) -> str:
    lines = [_summary(report)]
    if report.published is None and report.deployed is None:
        resources, outputs = _created(report)
        lines += [f"  resources: {', '.join(resources)}", f"  Outputs: {', '.join(outputs)}"]
    else:
        lines += _change_lines(report.changes, template, "  ")
    for part in report.parts:
        lines += _part_lines(part)
    lines += [f"  stack instances: {line}" for line in report.instances or ()]
    ordered = sorted(report.diagnostics, key=lambda d: sort_key(d, report.marks))
    lines += [format_diagnostic(d, report.filename, report.marks) for d in ordered]
    return "\n".join(lines) + "\n"


def _change_lines(changes: Sequence[Change], template: dict[str, Any], indent: str) -> list[str]:
    """One line per effect in spec terms (worst first), then the template
    paths behind it; changes only carried by a replaced resource they refer
    to are listed together at the end."""
    lines = []
    replaced = frozenset(replaced_resources(list(changes)))
    described: dict[tuple[str, str, str], list[str]] = {}
    carried: dict[tuple[str, str], list[str]] = {}
    for c in sorted(changes, key=lambda c: -ub.ACTIONS.index(c.action)):
        if c.cascaded and c.action != ub.REPLACEMENT:
            where = ".".join(c.template_path[1:2] + c.template_path[3:])
            carried.setdefault((c.cause, c.action), []).append(where)
            continue
        key = (describe(c, template, replaced=replaced), c.action, c.cause)
        described.setdefault(key, []).append(".".join(c.template_path))
    for (text, action, cause), paths in described.items():
        lines.append(f"{indent}{text}")
        lines.append(f"{indent}    {action} ({cause}): {', '.join(paths)}")
    for (cause, action), paths in carried.items():
        lines.append(f"{indent}because {cause} ({action}): {', '.join(paths)}")
    return lines


def _part_lines(part: PartReview) -> list[str]:
    """A part's changes, under a line naming it."""
    if not part.template:
        return [f"  {part.name}: the build no longer makes this template: "
                f"{_count(len(part.changes), 'change')}, every resource removed (disassociate "
                "the region from the global datastore first: the version's DEPLOY.md)"]
    if not part.published:
        created = [c.resource for c in part.changes
                   if c.action == ub.ADD and c.resource_type != OUTPUT]
        return [f"  {part.name}: a new template: creates "
                f"{_count(len(created), 'resource')}"]
    what = "no changes" if not part.changes else _count(len(part.changes), "change")
    return [f"  {part.name}: {what}", *_change_lines(part.changes, part.template, "    ")]


def change_record(change: Change) -> dict[str, Any]:
    """A change as the manifest and `diff --format json` record it."""
    return {
        "path": format_path(change.spec_path) if change.spec_path else None,
        "template_path": ".".join(change.template_path),
        "before": change.before,
        "after": change.after,
        "action": change.action,
        "cause": change.cause,
    }


def render_json(report: Review) -> dict[str, Any]:
    ordered = sorted(report.diagnostics, key=lambda d: sort_key(d, report.marks))
    instances = {} if report.instances is None else {"stack_instances": list(report.instances)}
    deployed = {} if report.deployed is None else {"deployed": {
        "file": report.deployed.file,
        "source": report.deployed.source,
        "stackset": report.deployed.stackset,
        "template_digest": report.deployed.template_digest,
        "published_version": report.published,
    }}
    return {
        "file": report.filename,
        "stack": report.stack,
        "published_version": report.published,
        "replaces_cache": report.empties_cache,
        "spec_changed": report.spec_changed,
        **deployed,
        "changes": [change_record(c) for c in report.changes],
        **({"parts": [{"part": p.name, "published": p.published,
                       "changes": [change_record(c) for c in p.changes]}
                      for p in report.parts]} if report.parts else {}),
        **instances,
        "diagnostics": [
            {
                "kind": d.kind,
                "severity": d.severity.value,
                "path": format_path(d.path),
                "message": d.message,
                "line": report.marks.find(d.path, on_key=d.on_key).line,
                "column": report.marks.find(d.path, on_key=d.on_key).column,
            }
            for d in ordered
        ],
    }


def records(report: Review) -> list[dict[str, Any]]:
    """The `changes` a new version's manifest entry records: none for the first
    version, which changes nothing that was deployed."""
    if report.published is None:
        return []
    return [change_record(c) for c in report.changes]
