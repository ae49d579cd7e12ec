"""The files a version carries, made as data for the store to write.

`version_files(result, number, template_file, history)` is the one function
that says what a version of a spec holds: its template and the deployment
files beside it (parameters, CodePipeline configuration, stack policy,
StackSet requests, DEPLOY.md). `build` calls it for a new version;
`build --check` and `diff` call it for the latest version and compare every
file with what the store holds (publish.differences). What a version's files
take from the versions before it (`History`) is read from the verified
store value, which holds those files' bytes since it was read under the lock:
nothing here reads a file.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from ..catalog import update_behavior
from ..compressed import Compressed
from ..input.model import Spec
from ..store.publish import PublishError, Store, read_template
from ..store.version import TemplateFiles, VersionFiles
from ..vocabulary.provenance import SpecSources
from . import adopting, deploy_guide, global_guide, stackset


class Compiled(Protocol):
    """What a version's files read of a compiled spec (pipeline.Result is one)."""

    @property
    def spec(self) -> Spec | None: ...

    @property
    def template(self) -> dict[str, Any] | None: ...

    @property
    def body(self) -> Compressed | None: ...

    @property
    def spec_digest(self) -> str | None: ...

    @property
    def content_digest(self) -> str | None: ...

    @property
    def sources(self) -> SpecSources | None: ...

    @property
    def parts(self) -> Sequence[Part]: ...


class Part(Protocol):
    """A further template of the result (pipeline.Part): a global datastore's
    secondary region."""

    @property
    def name(self) -> str: ...

    @property
    def template(self) -> dict[str, Any]: ...

    @property
    def body(self) -> Compressed: ...

    @property
    def content_digest(self) -> str: ...

    @property
    def sources(self) -> SpecSources: ...


@dataclass(frozen=True)
class History:
    """What a version's files take from the versions before it."""

    # The StackSet files of the newest earlier version that has them: the
    # StackSet this version updates (cachec never deletes one).
    stackset: stackset.Published | None = None
    changes: Sequence[Mapping[str, Any]] = ()  # the version's change records
    parameters_before: Mapping[str, Any] | None = None  # the previous version's Parameters
    # Each part's Parameters in the previous version, by part name (absent: new part).
    part_parameters_before: Mapping[str, Mapping[str, Any]] = dataclasses.field(
        default_factory=dict)


def version_files(
    result: Compiled, number: int, template_file: str, history: History = History()
) -> VersionFiles:
    """Every file this compiler writes for version `number` of the result."""
    assert result.body is not None and result.spec_digest is not None
    assert result.content_digest is not None
    deploying = deployment_files(result, number, template_file, history.stackset,
                                 history.changes, history.parameters_before,
                                 history.part_parameters_before)
    if result.sources is not None:
        # DEPLOY.md stays last: the file `build`'s "wrote" line ends with, the one to open.
        guide = deploying.pop(f"v{number}.DEPLOY.md")
        deploying[provenance_file(number)] = provenance_text(result.sources)
        deploying[f"v{number}.DEPLOY.md"] = guide
    template = TemplateFiles(
        template_file, result.body, result.content_digest,
        tuple(stackset.capabilities(result.template or {})),
        {name: Compressed.of(text) for name, text in deploying.items()},
    )
    return VersionFiles(number, result.spec_digest,
                        (template, *_parts(result, number, template_file, history)))


def _parts(result: Compiled, number: int, template_file: str,
           history: History = History()) -> tuple[TemplateFiles, ...]:
    """The templates version `number` carries beside its main one: a global
    datastore's secondary regions, in deploy order, and an adopted cache's
    first version's import part (deploy/adopting)."""
    parts = tuple(
        TemplateFiles(
            part_file(number, part.name, template_file), part.body, part.content_digest,
            tuple(stackset.capabilities(part.template)),
            {name: Compressed.of(text) for name, text in part_deployment_files(
                result, part, number, history.part_parameters_before.get(part.name)).items()},
            part.name,
        )
        for part in result.parts
    )
    if result.spec is not None and result.spec.adopt and number == 1:
        return (*parts, adopting.import_files(result.template or {}, number, template_file))
    return parts


def part_digests(result: Compiled, number: int) -> dict[str, str]:
    """Part name -> content digest of the parts version `number` of the result
    carries: an unchanged spec's latest version is unchanged with them too."""
    return {p.part: p.content_digest for p in _parts(result, number, f"v{number}.yaml")}


def part_file(number: int, part: str, template_file: str) -> str:
    """v<N>.<part>.<yaml|json>: in the format of the main template."""
    return f"v{number}.{part}.{template_file.rsplit('.', 1)[1]}"


def part_deployment_files(result: Compiled, part: Part, version: int,
                          before: Mapping[str, Any] | None) -> dict[str, str]:
    """A part's own parameters, update parameters and stack policy (its
    commands are in the version's DEPLOY.md: the order of the parts matters)."""
    assert result.spec is not None
    template = part.template
    values = deploy_guide.values(result.spec, template, before)
    policy = stack_policy(template)
    defaults = {name: str(param["Default"])
                for name, param in template.get("Parameters", {}).items() if "Default" in param}
    config = {"Parameters": defaults, "Tags": result.spec.stack_tags, "StackPolicy": policy}
    stem = f"v{version}.{part.name}"
    return {
        f"{stem}.parameters.json": _json(values.create),
        f"{stem}.config.json": _json(config),
        f"{stem}.stack-policy.json": _json(policy),
        f"{stem}.update-parameters.json": _json(values.update),
        provenance_file(version, part.name): provenance_text(part.sources),
    }


def provenance_file(number: int, part: str = "") -> str:
    """The version's record of which spec key made each part of its template
    (of its part `part`'s template): what `cachec diff` reads for the parts a
    later build no longer makes."""
    return f"v{number}.{part}.provenance.json" if part else f"v{number}.provenance.json"


def provenance_text(sources: SpecSources) -> str:
    """One `[template path, spec path]` entry a line, in the order synthesized,
    so that a record's change reads line by line in version control."""
    lines = ",\n".join(f"  {json.dumps(entry, ensure_ascii=False)}" for entry in sources.to_json())
    return f"[\n{lines}\n]\n"


def published_provenance(store: Store, entry: Mapping[str, Any],
                         part: str = "") -> SpecSources | None:
    """The record a published version carries (for its part `part`); None for
    a version published before versions carried one (its removed parts are
    read by the frozen table, change/unrecorded)."""
    name = provenance_file(entry["version"], part)
    if name not in entry["files"]:
        return None
    try:
        return SpecSources.from_json(json.loads(store.read_text(name)))
    except (ValueError, TypeError) as exc:
        raise PublishError([f"{store.folder}/{name}: not a provenance record ({exc})"]) from exc


def next_history(store: Store, changes: Sequence[Mapping[str, Any]],
                 parameters_before: Mapping[str, Any] | None) -> History:
    """What a new version takes from the store: `changes` and `parameters_before`
    come from the review of the build against the latest version."""
    return History(published_stackset(store), changes, parameters_before,
                   part_parameters_of(store, len(store.versions)))


def rebuilt_latest(result: Compiled, store: Store) -> VersionFiles:
    """The latest version's files as this compiler builds them from `result`,
    with what they took from the versions before it when it was published:
    the StackSet it updated, its change records, the previous Parameters."""
    latest = store.latest
    assert latest is not None
    number = latest["version"]
    history = History(published_stackset(store, below=number), latest["changes"],
                      parameters_of(store, number - 1), part_parameters_of(store, number - 1))
    return version_files(result, number, latest["file"], history)


def published_stackset(store: Store, below: int | None = None) -> stackset.Published | None:
    """The StackSet files of the newest version (older than `below`, if given)
    that has them (the StackSet a new version updates: cachec never deletes
    one), or None."""
    for entry in reversed(store.versions):
        if below is not None and entry["version"] >= below:
            continue
        name = f"v{entry['version']}.stackset.json"
        if name in entry["files"]:
            try:
                return stackset.Published(entry["version"], json.loads(store.read_text(name)))
            except ValueError as exc:
                raise PublishError([f"{store.folder}/{name}: not JSON ({exc})"]) from exc
    return None


def parameters_of(store: Store, number: int) -> dict[str, Any] | None:
    """Version `number`'s template Parameters; None before the first version."""
    if number < 1:
        return None
    entry = store.versions[number - 1]
    return dict(read_template(store, entry["file"]).get("Parameters", {}))


def part_parameters_of(store: Store, number: int) -> dict[str, dict[str, Any]]:
    """Each part's template Parameters in version `number` (none before the first)."""
    if number < 1:
        return {}
    entry = store.versions[number - 1]
    return {
        part["part"]: dict(read_template(store, part["file"]).get("Parameters", {}))
        for part in entry.get("templates", ())
    }


def stack_policy(template: dict[str, Any]) -> dict[str, Any]:
    """Deny replacing or deleting the cache (the replication group or the
    serverless cache, whichever the template has); allow every other update.

    Syntax: https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/protect-stack-resources.html
    (an explicit Deny wins over the Allow; Principal must be "*"; once a stack
    has a policy, anything not allowed is denied, hence the Allow of Update:*).
    """
    return {
        "Statement": [
            {
                "Effect": "Deny",
                "Action": ["Update:Replace", "Update:Delete"],
                "Principal": "*",
                "Resource": f"LogicalResourceId/{_cache_id(template)}",
            },
            {"Effect": "Allow", "Action": "Update:*", "Principal": "*", "Resource": "*"},
        ]
    }


def _cache_id(template: dict[str, Any]) -> str:
    caches = [
        logical_id for logical_id, resource in template.get("Resources", {}).items()
        if resource.get("Type") in update_behavior.CACHE_TYPES
    ]
    assert len(caches) == 1, "every template has exactly one cache"
    return str(caches[0])


def deployment_files(
    result: Compiled, version: int, template_file: str,
    previous: stackset.Published | None = None,
    changes: Sequence[Mapping[str, Any]] = (), before: Mapping[str, Any] | None = None,
    parts_before: Mapping[str, Mapping[str, Any]] | None = None,
) -> dict[str, str]:
    """Files for `aws cloudformation create-stack/create-change-set/set-stack-policy`,
    CodePipeline and, with stack.stackset, StackSets (a version's own files: never
    overwritten). `previous`: the StackSet files the new version updates from
    (published_stackset); `changes`: the version's change records; `before`: the
    previous version's template Parameters (None for the first version)."""
    template = result.template
    assert template is not None and result.spec is not None
    defaults = {
        name: str(param["Default"])
        for name, param in template.get("Parameters", {}).items()
        if "Default" in param
    }
    # CodePipeline template configuration: Parameters, Tags, StackPolicy
    # https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/continuous-delivery-codepipeline-cfn-artifacts.html
    config: dict[str, Any] = {"Parameters": defaults, "Tags": result.spec.stack_tags}
    # StackSets take no stack policy (CreateStackSet and UpdateStackSet have no
    # such parameter), so a StackSet spec gets neither the file nor config.json's
    # StackPolicy, which would promise a protection no deploy of it applies.
    # https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_CreateStackSet.html
    policy = stack_policy(template) if result.spec.stack.stackset is None else None
    if policy is not None:
        config["StackPolicy"] = policy
    values = deploy_guide.values(result.spec, template, before)
    adopted = result.spec.adopt and version == 1
    files = {
        f"v{version}.parameters.json": _json(values.create),
        f"v{version}.config.json": _json(config),
    }
    if policy is not None:
        files[f"v{version}.stack-policy.json"] = _json(policy)
    size = result.body.size if result.body else 0
    if result.spec.stack.stackset is not None:
        requests = stackset.requests(result.spec, template, defaults, previous)
        files[f"v{version}.stackset.json"] = _json(requests)
        files[f"v{version}.DEPLOY.md"] = stackset.deploy_guide(
            result.spec, version, template_file, requests, size,
        )
    else:
        files[f"v{version}.update-parameters.json"] = _json(values.update)
        guide = (
            adopting.guide(result.spec, template, template_file) if adopted
            else deploy_guide.guide(
                result.spec, template, version, template_file, size, changes, before,
            )
        )
        files[f"v{version}.DEPLOY.md"] = guide + _global_guide(
            result, version, template_file, parts_before or {})
    return files


def _global_guide(result: Compiled, version: int, template_file: str,
                  parts_before: Mapping[str, Mapping[str, Any]]) -> str:
    """The global datastore's deploy order, after the primary's own guide."""
    spec = result.spec
    assert spec is not None
    if spec.global_datastore is None:
        return ""
    secondaries = []
    for part in result.parts:
        template = part.template
        values = deploy_guide.values(spec, template, parts_before.get(part.name))
        secondaries.append(global_guide.Secondary(
            part.name, part_file(version, part.name, template_file),
            f"v{version}.{part.name}", values.required,
            tuple(stackset.capabilities(template)),
        ))
    return "\n" + global_guide.section(spec, spec.global_datastore, version, secondaries)


def _json(value: Any) -> str:
    return json.dumps(value, indent=2) + "\n"
