"""Two templates -> every change, classified as CloudFormation will perform it.

Pure: takes the previously published template and the new one (plain dicts)
and returns `Change` values. A property is classified from the provider
schemas' create-only table and the reviewed conditional cases
(catalog/update_behavior.py). Replacement cascades: a property that refers
(Ref, Fn::GetAtt, Fn::Sub) to a replaced resource gets a new value at deploy
time even though its text is unchanged, so it is classified too; replacing
the subnet group therefore replaces the replication group
(CacheSubnetGroupName is create-only). A Parameter whose Default changed
reaches the resources that Ref it the same way (deployers pass the new
vN.parameters.json). A literal that becomes a Ref to a Parameter whose Default
is that literal (an account-specific value moved into a Parameter) deploys the
same value: no change.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import Any

from ..catalog import update_behavior as ub
from ..diagnostics import Path
from ..template.parameters import parameter_defaults
from ..vocabulary import names
from ..vocabulary.provenance import SpecSources
from .unrecorded import table_spec_path_of

TemplatePath = tuple[str, ...]
SpecPathOf = Callable[[TemplatePath], Path]
OUTPUT = "Output"  # Change.resource_type of an Output
_SUB_NAME = re.compile(r"\$\{([A-Za-z0-9]+)(?:\.[A-Za-z0-9.]+)?\}")


@dataclass(frozen=True)
class Change:
    """One difference between the published template and the new one.

    before/after: the template values (None when absent). cause: why it has
    this action ("create-only", "ReplicationGroup is replaced", ...).
    """

    resource: str  # logical id, or the Parameter name
    resource_type: str  # resource type, or "Parameter"
    template_path: TemplatePath
    spec_path: Path
    before: Any
    after: Any
    action: str
    cause: str

    @property
    def cascaded(self) -> bool:
        """Changed only because something it refers to is replaced."""
        return bool(self.before == self.after)

    @property
    def empties_cache(self) -> bool:
        return self.resource_type in ub.CACHE_TYPES and self.action in (
            ub.REPLACEMENT, ub.REMOVE
        )


def references(value: Any) -> set[str]:
    """Logical ids and Parameter names a value refers to."""
    found: set[str] = set()
    if isinstance(value, list):
        for item in value:
            found |= references(item)
    elif isinstance(value, dict):
        if set(value) == {"Ref"} and isinstance(value["Ref"], str):
            found.add(value["Ref"])
        elif set(value) == {"Fn::GetAtt"}:
            target = value["Fn::GetAtt"]
            name = target[0] if isinstance(target, list) else str(target).split(".")[0]
            found.add(str(name))
        elif set(value) == {"Fn::Sub"}:
            body = value["Fn::Sub"]
            text, variables = (body[0], body[1]) if isinstance(body, list) else (body, {})
            found |= {n for n in _SUB_NAME.findall(str(text)) if n not in variables}
            found |= references(variables)
        else:
            for item in value.values():
                found |= references(item)
    return found


def resolved(value: Any, defaults: dict[str, Any]) -> Any:
    """`value` with each Ref to a defaulted Parameter replaced by its Default."""
    if isinstance(value, list):
        return [resolved(item, defaults) for item in value]
    if isinstance(value, dict):
        if set(value) == {"Ref"} and value["Ref"] in defaults:
            return defaults[value["Ref"]]
        return {key: resolved(item, defaults) for key, item in value.items()}
    return value


def _changed_parameters(
    before: dict[str, Any], after: dict[str, Any], source: SpecPathOf
) -> dict[str, Change]:
    old, new = before.get("Parameters", {}), after.get("Parameters", {})
    changed = {}
    for name in [*new, *(n for n in old if n not in new)]:
        was, now = old.get(name, {}).get("Default"), new.get(name, {}).get("Default")
        if was != now:
            path = ("Parameters", name, "Default")
            changed[name] = Change(
                name, "Parameter", path, source(path), was, now,
                ub.NO_INTERRUPTION, "new Parameter value in vN.parameters.json",
            )
    return changed


def _output_changes(
    before: dict[str, Any],
    after: dict[str, Any],
    dirty: dict[str, tuple[str, Path]],
    source: SpecPathOf,
) -> list[Change]:
    """Outputs added, removed, or whose value (or export) changes. An Output
    changes no resource, but an exported one another stack imports blocks the
    update ("Cannot update export ... as it is in use by ..."), so diff must
    show it. A value that refers to a replaced resource changes too."""
    old, new = before.get("Outputs", {}), after.get("Outputs", {})
    changes = []
    for name in [*new, *(n for n in old if n not in new)]:
        was, now = old.get(name), new.get(name)
        if name == names.SUMMARY and was is not None and now is not None:
            continue  # a sentence about the spec: it changes with everything, says nothing new
        path = ("Outputs", name, "Value")
        if was is None or now is None:
            action, cause = (ub.ADD, "new Output") if was is None else (ub.REMOVE, "Output removed")
            changes.append(Change(name, OUTPUT, path, source(path),
                                  (was or {}).get("Value"), (now or {}).get("Value"),
                                  action, cause))
            continue
        moved = sorted(references(now.get("Value")) & set(dirty))
        if was.get("Value") != now.get("Value") or moved:
            cause = dirty[moved[0]][0] if moved and was == now else "new value"
            changes.append(Change(name, OUTPUT, path, source(path), was.get("Value"),
                                  now.get("Value"), ub.NO_INTERRUPTION, cause))
        if was.get("Export") != now.get("Export"):
            export = ("Outputs", name, "Export")
            changes.append(Change(name, OUTPUT, export, source(export),
                                  was.get("Export"), now.get("Export"), ub.NO_INTERRUPTION,
                                  "export changed"))
    return changes


def _leaves(
    path: TemplatePath, before: Any, after: Any
) -> Iterator[tuple[TemplatePath, Any, Any]]:
    """Differences below a property: plain mappings (ParameterGroup
    Properties) are opened key by key; lists and intrinsics compare whole."""
    plain = (
        isinstance(before, dict) and isinstance(after, dict)
        and not any(k == "Ref" or k.startswith("Fn::") for k in (*before, *after))
    )
    if plain:
        for key in [*after, *(k for k in before if k not in after)]:
            yield from _leaves((*path, key), before.get(key), after.get(key))
    elif isinstance(before, list) and isinstance(after, list) and len(before) == len(after):
        # Same number of entries (ingress rules): name the entry that changed.
        for index, (b, a) in enumerate(zip(before, after, strict=True)):
            yield from _leaves((*path, str(index)), b, a)
    elif before != after:
        yield path, before, after


@dataclass(frozen=True)
class _Resource:
    name: str
    type: str
    before: dict[str, Any]
    after: dict[str, Any]
    defaults: tuple[dict[str, Any], dict[str, Any]] = ({}, {})  # Parameter Defaults, old/new
    source: SpecPathOf = table_spec_path_of

    def property_changes(self, dirty: dict[str, tuple[str, Path]]) -> Iterator[Change]:
        """Changed properties; `dirty` maps a replaced resource or changed
        Parameter to why it changes and the spec key behind that."""
        old, new = self.before.get("Properties", {}), self.after.get("Properties", {})
        base = ("Resources", self.name, "Properties")
        for prop in [*new, *(p for p in old if p not in new)]:
            was, now = old.get(prop), new.get(prop)
            behavior = ub.property_update(self.type, prop, was, now, self.after)
            deployed = resolved(was, self.defaults[0]), resolved(now, self.defaults[1])
            if was != now and deployed[0] == deployed[1]:
                continue  # written differently, deploys the same value
            if was == now and deployed[0] != deployed[1]:
                # A Ref to a Parameter whose Default changed: the deployed
                # value changes, classified as if it were written here.
                behavior = ub.property_update(self.type, prop, *deployed, self.after)
                for path, b, a in _leaves((*base, prop), *deployed):
                    yield self._change(path, b, a, behavior.action, behavior.cause)
                continue
            if was != now:
                for path, b, a in _leaves((*base, prop), was, now):
                    yield self._change(path, b, a, behavior.action, behavior.cause)
                continue
            moved = sorted(references(now) & set(dirty))
            if moved:
                cause, origin = dirty[moved[0]]
                change = self._change((*base, prop), was, now, behavior.action, cause)
                # Said in the spec key that set the cascade off: the property's
                # own key did not change (a new VPC, not the port, replaces the
                # client group's egress rule).
                yield replace(change, spec_path=origin) if origin else change

    def attribute_changes(self) -> Iterator[Change]:
        for attribute in ub.ATTRIBUTES:
            was, now = self.before.get(attribute), self.after.get(attribute)
            if was != now:
                path = ("Resources", self.name, attribute)
                yield self._change(path, was, now, ub.NO_INTERRUPTION, "resource attribute")

    def _change(
        self, path: TemplatePath, before: Any, after: Any, action: str, cause: str
    ) -> Change:
        return Change(
            self.name, self.type, path, self.source(path), before, after, action, cause
        )


def _resource_changes(pair: _Resource, dirty: dict[str, tuple[str, Path]]) -> list[Change]:
    if pair.before.get("Type") != pair.after.get("Type"):
        path = ("Resources", pair.name, "Type")
        return [pair._change(path, pair.before.get("Type"), pair.type, ub.REPLACEMENT,
                             "resource type changed")]
    return [*pair.property_changes(dirty), *pair.attribute_changes()]


def classify(
    before: dict[str, Any],
    after: dict[str, Any],
    sources: SpecSources | None = None,
    published_sources: SpecSources | None = None,
) -> list[Change]:
    """Every change from `before` to `after`, in the new template's order
    (removed resources last), each with the action CloudFormation takes.
    `sources`: what the synthesizers recorded when they made `after`;
    `published_sources`: what they recorded when they made `before`, where
    the caller has it."""
    old, new = before.get("Resources", {}), after.get("Resources", {})
    source = _reader(after, sources, published_sources)
    parameters = _changed_parameters(before, after, source)
    pairs = [
        _Resource(name, str(new[name].get("Type")), old[name], new[name],
                  (parameter_defaults(before), parameter_defaults(after)), source)
        for name in new if name in old
    ]
    dirty = {
        name: (f"Parameter {name} changes", change.spec_path)
        for name, change in parameters.items()
    }
    # Replacement cascades through references until nothing new is replaced.
    while True:
        per_resource = {p.name: _resource_changes(p, dirty) for p in pairs}
        replaced = {
            name: (f"{name} is replaced", _origin(changes))
            for name, changes in per_resource.items()
            if any(c.action == ub.REPLACEMENT for c in changes) and name not in dirty
        }
        if not replaced:
            break
        dirty |= replaced

    # A Parameter whose Default reaches a property through a Ref is reported
    # there, with the deployed values; the others stand on their own.
    shown = {n for n in parameters if not _referenced_by_property(n, pairs)}
    changes: list[Change] = [c for n, c in parameters.items() if n in shown]
    for name, resource in new.items():
        if name not in old:
            path = ("Resources", name)
            changes.append(Change(name, str(resource.get("Type")), path,
                                  source(path), None, resource.get("Type"),
                                  ub.ADD, "new resource"))
        else:
            changes += per_resource[name]
    for name, resource in old.items():
        if name not in new:
            path = ("Resources", name)
            changes.append(Change(name, str(resource.get("Type")), path,
                                  source(path), resource.get("Type"), None,
                                  ub.REMOVE, "resource deleted"))
    return changes + _output_changes(before, after, dirty, source)


def _reader(
    after: dict[str, Any], sources: SpecSources | None, published_sources: SpecSources | None
) -> SpecPathOf:
    """What this build made, its record answers for; what only the published
    template holds (a removed property, resource or Output) was made by an
    earlier build, so that build's record answers (this build's, whose
    resource-wide entry would cover a removed property, is not asked). A
    template nobody holds a record of (published before records were kept,
    printed by get-template) is read by the frozen table (change/unrecorded)."""
    def source(path: TemplatePath) -> Path:
        record = sources if _made(after, path) else published_sources
        found = record.spec_path_of(path) if record is not None else None
        return table_spec_path_of(path) if found is None else found
    return source


def _made(template: dict[str, Any], path: TemplatePath) -> bool:
    # Section, name, then Properties and the property (or an attribute, Value, Default).
    node: Any = template
    for key in path[:4]:
        if not isinstance(node, dict) or key not in node:
            return False
        node = node[key]
    return True


def _referenced_by_property(name: str, pairs: list[_Resource]) -> bool:
    """Some resource in both templates has a property that is exactly a Ref to `name`
    on both sides (resolved by `resolved`)."""
    ref = {"Ref": name}
    return any(
        p.before.get("Properties", {}).get(prop) == ref == value
        for p in pairs for prop, value in p.after.get("Properties", {}).items()
    )


def _origin(changes: list[Change]) -> Path:
    """The spec key behind a resource's replacement."""
    keys = [c.spec_path for c in changes if c.action == ub.REPLACEMENT and c.spec_path]
    return keys[0] if keys else ()


def replaced_resources(changes: list[Change]) -> list[str]:
    return sorted({c.resource for c in changes if c.action == ub.REPLACEMENT})
