"""The template a stack (or a StackSet) runs, read from what the AWS CLI printed.

`cachec diff SPEC --deployed FILE` compares what the spec builds now with
what is deployed, not with the latest published version. FILE is one of:

- `aws cloudformation get-template --stack-name NAME` output: `{"TemplateBody":
  ..., "StagesAvailable": [...]}`. TemplateBody is a string in the API
  (botocore's service-2.json, shape TemplateBody), but botocore decodes it when
  it is JSON (handlers.py, `json_decode_template_body` on
  `after-call.cloudformation.GetTemplate`), so the CLI prints a JSON template
  as an object and a YAML template as a string;
- `aws cloudformation describe-stack-set --stack-set-name NAME` output:
  `{"StackSet": {"StackSetName", "TemplateBody" (always a string: no handler
  decodes it), "Parameters": [{"ParameterKey", "ParameterValue"}], ...}}`;
- the bare template, JSON or YAML, CloudFormation's short-form tags (`!Ref`,
  `!GetAtt`, `!Sub`, ...) included.

Reading is credential-free: cachec never calls AWS. Every problem is a
located diagnostic on FILE; a problem inside a TemplateBody string is
reported at the TemplateBody, with the line and column inside it.
"""

from __future__ import annotations

import json
import os
import stat
from dataclasses import dataclass, field, replace
from typing import Any

import yaml

from ..diagnostics import NO_MARKS, Diagnostic, Mark, Marks, Path, error, quoted, warning
from ..kinds import ErrorKind, Stage, WarningKind

GET_TEMPLATE, DESCRIBE_STACK_SET, TEMPLATE = "get-template", "describe-stack-set", "template"

# get-template's output of a 1 MB template (CloudFormation's largest, from S3)
# written as one JSON string with every quote and line break escaped, with room.
MAX_BYTES = 4 * 1024 * 1024
# A 1 MB template holds some 100,000 values; ten times that is no template.
MAX_NODES = 1_000_000

_CFN_GUIDE = "https://docs.aws.amazon.com/AWSCloudFormation/latest/"
_GET_TEMPLATE = _CFN_GUIDE + "APIReference/API_GetTemplate.html"

DEPLOYED_UNREADABLE = ErrorKind(
    "deployed-unreadable", Stage.UPDATE,
    "The --deployed file cannot be read (missing, not a regular file, too large, not UTF-8).",
    "Nothing can be compared without the deployed template.",
    "Save the output of aws cloudformation get-template (or describe-stack-set) to a file "
    "and pass its path.", _GET_TEMPLATE,
)
DEPLOYED_NOT_A_TEMPLATE = ErrorKind(
    "deployed-not-a-template", Stage.UPDATE,
    "The --deployed file is not JSON or YAML, or holds no CloudFormation template.",
    "cachec compares templates: the file must be what get-template or describe-stack-set "
    "printed, or a template with a Resources section.",
    "Pass the output of aws cloudformation get-template --stack-name NAME (or of "
    "describe-stack-set), unedited.", _GET_TEMPLATE,
)
DEPLOYED_OTHER_CACHE = ErrorKind(
    "deployed-other-cache", Stage.UPDATE,
    "The --deployed template or StackSet belongs to another cache than the spec's.",
    "Its cachec:name and cachec:environment tags (or its StackSet name) name another "
    "name-environment pair: comparing would show the other cache's replacement.",
    "Pass the template of the stack the spec deploys (name-environment), or the right spec.",
)
DEPLOYED_NOT_CACHEC = WarningKind(
    "deployed-not-cachec", Stage.UPDATE,
    "The --deployed template was not built by cachec (no Metadata.cachec).",
    "It cannot be a published version, nor be checked to belong to the spec's cache; it is "
    "compared as it is.",
    "Check that the stack is the spec's; adopting a cache cachec did not create is issue 21's "
    "`cachec import`.",
)

# CloudFormation's YAML short forms: `!Ref x` is {"Ref": x}, `!Condition x`
# is {"Condition": x}, every other `!Name v` is {"Fn::Name": v}
# (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference.html).
_SHORT_FORMS = {
    "!Ref": "Ref", "!Condition": "Condition",
    **{f"!{name}": f"Fn::{name}" for name in (
        "Base64", "Cidr", "FindInMap", "GetAtt", "GetAZs", "ImportValue", "Join", "Select",
        "Split", "Sub", "Transform", "And", "Equals", "If", "Not", "Or", "Length",
        "ToJsonString", "ForEach",
    )},
}
_STANDARD = "tag:yaml.org,2002:"
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_SCALARS = frozenset(_STANDARD + name for name in ("str", "int", "float", "bool", "null"))


@dataclass(frozen=True)
class Deployed:
    """A deployed template as read from FILE, or why it could not be."""

    filename: str
    template: dict[str, Any] | None = None
    source: str = TEMPLATE  # GET_TEMPLATE, DESCRIBE_STACK_SET or TEMPLATE
    # describe-stack-set: the StackSet's name and the Parameter values it passes
    stackset_name: str | None = None
    parameters: dict[str, str] = field(default_factory=dict)
    diagnostics: tuple[Diagnostic, ...] = ()
    marks: Marks = field(default=NO_MARKS, compare=False)
    body: Path = ()  # where the template sits in FILE: (), ("TemplateBody",), ...

    @property
    def ok(self) -> bool:
        return not any(d.is_error for d in self.diagnostics)

    def adding(self, diagnostics: list[Diagnostic]) -> Deployed:
        return replace(self, diagnostics=(*self.diagnostics, *diagnostics))


class _Refused(Exception):
    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


def _refuse(kind: ErrorKind, path: Path, message: str, mark: Mark | None = None) -> _Refused:
    return _Refused(error(kind, path, message, mark=mark))


def read(filename: str) -> Deployed:
    """FILE -> the deployed template (or the diagnostics that say why not)."""
    try:
        text = _text(filename)
        data, marks = _parse(text, (), None)
        return _unwrapped(filename, data, marks)
    except _Refused as exc:
        return Deployed(filename, diagnostics=(exc.diagnostic,))


def _text(filename: str) -> str:
    at = Mark(1, 1)
    try:
        mode = os.stat(filename).st_mode
        if not stat.S_ISREG(mode):
            raise _refuse(DEPLOYED_UNREADABLE, (), "not a regular file", at)
        with open(filename, "rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise _refuse(DEPLOYED_UNREADABLE, (), "no such file", at) from None
    except OSError as exc:
        raise _refuse(DEPLOYED_UNREADABLE, (), f"cannot read file: {exc.strerror}", at) from None
    if len(raw) > MAX_BYTES:
        raise _refuse(DEPLOYED_UNREADABLE, (), f"larger than {MAX_BYTES // 1024 // 1024} MiB; "
                      "CloudFormation templates are at most 1 MB", at)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise _refuse(DEPLOYED_UNREADABLE, (), "not UTF-8 text (the AWS CLI prints UTF-8)",
                      Mark(line, column)) from None


def _parse(text: str, base: Path, inside: Mark | None) -> tuple[Any, Marks]:
    """JSON or YAML text -> data and marks. `inside`: the text is a string
    value of FILE at this mark (a TemplateBody): problems are reported there."""
    if not text.strip():
        raise _refuse(DEPLOYED_NOT_A_TEMPLATE, base, "empty: no template", inside or Mark(1, 1))
    try:
        builder = _Builder(base)
        return builder.load(text), Marks(values=builder.values, keys=builder.keys)
    except _Located as exc:  # read, and refused (a duplicate key, an unknown tag)
        problem, mark = exc.args[0], exc.mark
    except (yaml.YAMLError, RecursionError) as exc:
        problem, mark = _yaml_problem(exc)
        # Not YAML: JSON YAML cannot read (tabs for indentation) is still JSON.
        try:
            return json.loads(text), NO_MARKS
        except (ValueError, RecursionError) as json_exc:
            if text.lstrip().startswith(("{", "[")) and isinstance(
                    json_exc, json.JSONDecodeError):
                problem = f"invalid JSON: {json_exc.msg}"
                mark = Mark(json_exc.lineno, json_exc.colno)
    if inside is None:
        raise _refuse(DEPLOYED_NOT_A_TEMPLATE, base, problem, mark)
    raise _refuse(DEPLOYED_NOT_A_TEMPLATE, base,
                  f"at line {mark.line}, column {mark.column} of the template text: {problem}",
                  inside)


def _yaml_problem(exc: BaseException) -> tuple[str, Mark]:
    if isinstance(exc, RecursionError):
        return "nested too deeply", Mark(1, 1)
    mark = getattr(exc, "problem_mark", None)
    where = Mark(mark.line + 1, mark.column + 1) if mark is not None else Mark(1, 1)
    problem = getattr(exc, "problem", None) or str(exc).strip()
    return f"neither JSON nor YAML: {problem}", where


class _Located(Exception):
    def __init__(self, message: str, mark: Mark) -> None:
        super().__init__(message)
        self.mark = mark


def _mark(yaml_mark: Any) -> Mark:
    return Mark(yaml_mark.line + 1, yaml_mark.column + 1)


class _Builder:
    """YAML (JSON included) -> plain data, CloudFormation's short forms
    expanded, each value's and key's mark recorded by its path."""

    def __init__(self, base: Path) -> None:
        self.base = base
        self.values: dict[Path, Mark] = {}
        self.keys: dict[Path, Mark] = {}
        self._loader: yaml.SafeLoader | yaml.CSafeLoader | None = None

    def load(self, text: str) -> Any:
        # An instance: no tag registered on the class. libyaml's composer is
        # ~10x faster on a large template; the marks are the same.
        loader = _LOADER(text)
        self._loader = loader
        try:
            node = loader.get_single_node()
            if node is None:
                raise _Located("empty: no template", Mark(1, 1))
            if _expanded_size(node, {}) > MAX_NODES:
                # Aliases can expand a small file into billions of values: counted
                # on the node graph (each node once), before anything is built.
                raise _Located(f"expands to more than {MAX_NODES:,} values (YAML aliases?)",
                               _mark(node.start_mark))
            return self._build(node, self.base)
        finally:
            loader.dispose()

    def _build(self, node: yaml.Node, path: Path) -> Any:
        self.values.setdefault(path, _mark(node.start_mark))
        short = _SHORT_FORMS.get(node.tag)
        if node.tag.startswith("!") and short is None:
            raise _Located(f"unknown tag {node.tag}: CloudFormation's short forms are "
                           f"{', '.join(sorted(_SHORT_FORMS))}", _mark(node.start_mark))
        value = self._plain(node, path)
        if short is None:
            return value
        if short == "Fn::GetAtt" and isinstance(value, str):
            # `!GetAtt Resource.Attribute.Part`: the logical id, then the rest.
            name, _, attribute = value.partition(".")
            value = [name, attribute]
        return {short: value}

    def _plain(self, node: yaml.Node, path: Path) -> Any:
        if isinstance(node, yaml.MappingNode):
            found: dict[str, Any] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    raise _Located("a key is a list or a mapping", _mark(key_node.start_mark))
                key = str(key_node.value)
                if key in found:
                    raise _Located(f"duplicate key {quoted(key)}: the template is ambiguous",
                                   _mark(key_node.start_mark))
                self.keys[(*path, key)] = _mark(key_node.start_mark)
                found[key] = self._build(value_node, (*path, key))
            return found
        if isinstance(node, yaml.SequenceNode):
            return [self._build(item, (*path, i)) for i, item in enumerate(node.value)]
        assert isinstance(node, yaml.ScalarNode) and self._loader is not None
        if node.tag.startswith("!") or node.tag == _STANDARD + "timestamp":
            return node.value  # a short form's argument; a date-like name stays text
        if node.tag not in _SCALARS:
            # !!binary, !!python/...: no template value is one.
            raise _Located(f"unsupported tag {node.tag}", _mark(node.start_mark))
        return self._loader.construct_object(node, deep=True)


def _expanded_size(node: yaml.Node, sizes: dict[int, int]) -> int:
    """How many values `node` stands for once its aliases are expanded."""
    known = sizes.get(id(node))
    if known is not None:
        return known
    sizes[id(node)] = MAX_NODES + 1  # a node inside itself (a recursive alias) never ends
    children: list[yaml.Node] = []
    if isinstance(node, yaml.MappingNode):
        children = [part for pair in node.value for part in pair]
    elif isinstance(node, yaml.SequenceNode):
        children = list(node.value)
    size = 1
    for child in children:
        size += _expanded_size(child, sizes)
        if size > MAX_NODES:
            break
    sizes[id(node)] = size
    return size


def _unwrapped(filename: str, data: Any, marks: Marks) -> Deployed:
    """Which of the three shapes FILE is, and the template inside it."""
    if not isinstance(data, dict):
        raise _refuse(DEPLOYED_NOT_A_TEMPLATE, (), "not a mapping: expected the output of aws "
                      "cloudformation get-template, describe-stack-set, or a template",
                      marks.find(()))
    if "TemplateBody" in data:
        template = _body(data["TemplateBody"], ("TemplateBody",), marks)
        found = Deployed(filename, template, GET_TEMPLATE, marks=marks, body=("TemplateBody",))
    elif isinstance(data.get("StackSet"), dict):
        stackset = data["StackSet"]
        where: Path = ("StackSet", "TemplateBody")
        if "TemplateBody" not in stackset:
            raise _refuse(DEPLOYED_NOT_A_TEMPLATE, ("StackSet",),
                          "no TemplateBody: describe-stack-set output holds the template there",
                          marks.find(("StackSet",)))
        template = _body(stackset["TemplateBody"], where, marks)
        found = Deployed(filename, template, DESCRIBE_STACK_SET,
                         stackset_name=_text_value(stackset.get("StackSetName")),
                         parameters=_stackset_parameters(stackset.get("Parameters", []), marks),
                         marks=marks, body=where)
    elif "Resources" in data:
        found = Deployed(filename, data, TEMPLATE, marks=marks)
    else:
        hint = (" (describe-stacks output holds no template: run get-template)"
                if "Stacks" in data else "")
        raise _refuse(DEPLOYED_NOT_A_TEMPLATE, (),
                      "neither get-template output (TemplateBody), describe-stack-set output "
                      f"(StackSet.TemplateBody) nor a template (Resources){hint}",
                      marks.find(()))
    assert found.template is not None
    _check_template(found.template, found.body, marks)
    return found if _built_by_cachec(found.template) else found.adding([warning(
        DEPLOYED_NOT_CACHEC, (*found.body, "Metadata"),
        "no Metadata.cachec: not a template cachec built; compared as it is, and it can be no "
        "published version")])


def _text_value(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _body(value: Any, path: Path, marks: Marks) -> dict[str, Any]:
    """A TemplateBody: an object (JSON decoded by botocore) or a JSON/YAML string."""
    if isinstance(value, str):
        inner, _ = _parse(value, path, marks.find(path))
        value = inner
    if not isinstance(value, dict):
        raise _refuse(DEPLOYED_NOT_A_TEMPLATE, path,
                      "TemplateBody is not a template (a mapping with Resources)", marks.find(path))
    return value


def _stackset_parameters(value: Any, marks: Marks) -> dict[str, str]:
    path: Path = ("StackSet", "Parameters")
    if not isinstance(value, list):
        raise _refuse(DEPLOYED_NOT_A_TEMPLATE, path, "Parameters is not a list",
                      marks.find(path))
    found = {}
    for index, entry in enumerate(value):
        key = entry.get("ParameterKey") if isinstance(entry, dict) else None
        if not isinstance(key, str) or not isinstance(entry.get("ParameterValue", ""), str):
            raise _refuse(DEPLOYED_NOT_A_TEMPLATE, (*path, index),
                          "expected {\"ParameterKey\": ..., \"ParameterValue\": ...}",
                          marks.find((*path, index)))
        found[key] = entry.get("ParameterValue", "")
    return found


def _check_template(template: dict[str, Any], base: Path, marks: Marks) -> None:
    """What the comparison reads must have the shape CloudFormation requires
    (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/template-anatomy.html):
    Resources is required and not empty, each resource has a Type."""
    resources = template.get("Resources")
    where = (*base, "Resources")
    if not isinstance(resources, dict) or not resources:
        what = ("no Resources section" if resources is None
                else "Resources is empty or not a mapping")
        raise _refuse(DEPLOYED_NOT_A_TEMPLATE, where if resources is not None else base,
                      f"{what}: every CloudFormation template declares its resources there",
                      marks.find(where))
    for name, resource in resources.items():
        path = (*where, name)
        if not isinstance(resource, dict) or not isinstance(resource.get("Type"), str):
            raise _refuse(DEPLOYED_NOT_A_TEMPLATE, path, "a resource without a Type",
                          marks.find(path))
        if not isinstance(resource.get("Properties", {}), dict):
            raise _refuse(DEPLOYED_NOT_A_TEMPLATE, (*path, "Properties"),
                          "Properties is not a mapping", marks.find((*path, "Properties")))
    for name, resource in resources.items():
        if resource["Type"] in _TYPED_PROPERTIES:
            _check_types(resource, (*where, name), marks)
    _check_intrinsics(template, base, marks)
    for section in ("Parameters", "Outputs", "Metadata"):
        value = template.get(section, {})
        path = (*base, section)
        if not isinstance(value, dict) or (section != "Metadata" and not all(
                isinstance(v, dict) for v in value.values())):
            raise _refuse(DEPLOYED_NOT_A_TEMPLATE, path,
                          f"{section} is not a mapping of mappings", marks.find(path))


# The cache's properties the update paths read as values, with the JSON type
# the CloudFormation resource schemas give them (cfn-lint's copies, schemas/
# resources: AWS::ElastiCache::ReplicationGroup EngineVersion string,
# NumCacheClusters, NumNodeGroups, ReplicasPerNodeGroup integer, Tags array;
# AWS::ElastiCache::ServerlessCache MajorEngineVersion string, Tags array).
# A template cachec wrote has them so; one edited by hand may not
# (`EngineVersion: 7.1` unquoted is a YAML number).
_TYPED_PROPERTIES: dict[str, dict[str, tuple[type, str]]] = {
    "AWS::ElastiCache::ReplicationGroup": {
        "EngineVersion": (str, "a string"), "NumCacheClusters": (int, "an integer"),
        "NumNodeGroups": (int, "an integer"), "ReplicasPerNodeGroup": (int, "an integer"),
        "Tags": (list, "a list"),
    },
    "AWS::ElastiCache::ServerlessCache": {
        "MajorEngineVersion": (str, "a string"), "Tags": (list, "a list"),
    },
}


def _check_types(resource: dict[str, Any], path: Path, marks: Marks) -> None:
    for prop, (expected, words) in _TYPED_PROPERTIES[resource["Type"]].items():
        properties = resource.get("Properties", {})
        value = properties.get(prop)
        if prop not in properties or _intrinsic(value):
            continue
        if not isinstance(value, expected) or isinstance(value, bool):
            where = (*path, "Properties", prop)
            hint = " (quote it in YAML)" if expected is str else ""
            raise _refuse(DEPLOYED_NOT_A_TEMPLATE, where,
                          f"{quoted(value)} is not {words}, the type {resource['Type']}'s "
                          f"resource schema gives {prop}{hint}", marks.find(where))


def _intrinsic(value: Any) -> bool:
    return isinstance(value, dict) and len(value) == 1 and next(iter(value)) in _FUNCTIONS


_FUNCTIONS = frozenset(_SHORT_FORMS.values())


def _check_intrinsics(value: Any, path: Path, marks: Marks) -> None:
    """The references the comparison follows have CloudFormation's shapes
    (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference.html):
    Ref names a string, Fn::GetAtt is "Name.Attribute" or [name, attribute],
    Fn::Sub is a string or [string, {variables}]."""
    if isinstance(value, list):
        for index, item in enumerate(value):
            _check_intrinsics(item, (*path, index), marks)
        return
    if not isinstance(value, dict):
        return
    if len(value) == 1:
        ((key, argument),) = value.items()
        if not _well_formed(key, argument):
            where = (*path, key)
            raise _refuse(DEPLOYED_NOT_A_TEMPLATE, where,
                          f"{key} takes {_SHAPES[key]}, not {quoted(argument)}",
                          marks.find(where))
    for key, item in value.items():
        _check_intrinsics(item, (*path, key), marks)


_SHAPES = {
    "Ref": "a logical id or Parameter name",
    "Fn::GetAtt": '"Name.Attribute" or [name, attribute]',
    "Fn::Sub": "a string or [string, {variables}]",
}


def _well_formed(key: str, argument: Any) -> bool:
    if key == "Ref":
        return isinstance(argument, str)
    if key == "Fn::GetAtt":
        return isinstance(argument, str) or (
            isinstance(argument, list) and len(argument) == 2
            and isinstance(argument[0], str))
    if key == "Fn::Sub":
        return isinstance(argument, str) or (
            isinstance(argument, list) and len(argument) == 2
            and isinstance(argument[0], str) and isinstance(argument[1], dict))
    return True


def _built_by_cachec(template: dict[str, Any]) -> bool:
    return isinstance(template.get("Metadata", {}).get("cachec"), dict)


def owner(template: dict[str, Any]) -> tuple[str, str] | None:
    """The (name, environment) the template's cachec tags name (every
    taggable resource carries them: input/model.py stack_tags)."""
    for resource in template.get("Resources", {}).values():
        tags = resource.get("Properties", {}).get("Tags")
        if isinstance(tags, list):
            pairs = {t.get("Key"): t.get("Value") for t in tags
                     if isinstance(t, dict) and isinstance(t.get("Key"), str)}
            name, environment = pairs.get("cachec:name"), pairs.get("cachec:environment")
            if isinstance(name, str) and isinstance(environment, str):
                return name, environment
    return None


def check_owner(deployed: Deployed, name: str, environment: str, stack: str) -> Deployed:
    """An error when FILE is the template (or StackSet) of another cache."""
    assert deployed.template is not None
    found = []
    tagged = owner(deployed.template)
    if tagged is not None and tagged != (name, environment):
        found.append(error(
            DEPLOYED_OTHER_CACHE, (*deployed.body, "Resources"),
            f"the template's resources are tagged cachec:name {tagged[0]!r}, "
            f"cachec:environment {tagged[1]!r}: another cache than the spec's ({name!r}, "
            f"{environment!r}); pass the template of stack {stack}"))
    if deployed.stackset_name is not None and deployed.stackset_name != stack:
        found.append(error(
            DEPLOYED_OTHER_CACHE, ("StackSet", "StackSetName"),
            f"StackSet {deployed.stackset_name!r} is not the spec's: cachec names it {stack}"))
    return deployed.adding(found)


def with_parameter_values(deployed: Deployed) -> dict[str, Any]:
    """The template as the StackSet deploys it: each Parameter's Default is
    the value the StackSet passes (describe-stack-set's Parameters), which is
    what the new version's StackSet request is compared with."""
    template = deployed.template
    assert template is not None
    if not deployed.parameters:
        return template
    parameters = {
        name: ({**declared, "Default": deployed.parameters[name]}
               if _passed(deployed.parameters.get(name), declared) else declared)
        for name, declared in template.get("Parameters", {}).items()
    }
    return {**template, "Parameters": parameters}


def _passed(value: str | None, declared: dict[str, Any]) -> bool:
    """A value the StackSet passes. An empty one for a Parameter without a
    Default is cachec's placeholder, overridden per region
    (deploy/stackset.requests), not a value."""
    return value is not None and (value != "" or "Default" in declared)
