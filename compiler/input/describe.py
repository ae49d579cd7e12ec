"""What the AWS CLI printed about a running cache, read for `cachec import`.

Each FILE is the JSON output of one `aws elasticache` command (the shapes of
botocore's ElastiCache model, service-2.json: the output shape of each
operation):

- `describe-replication-groups` -> {"ReplicationGroups": [ReplicationGroup]}
- `describe-cache-clusters --show-cache-node-info` -> {"CacheClusters": [CacheCluster]}
- `describe-cache-parameters` -> {"Parameters": [Parameter], "CacheNodeTypeSpecificParameters": ...}
- `describe-serverless-caches` -> {"ServerlessCaches": [ServerlessCache]}
- `describe-user-groups` -> {"UserGroups": [UserGroup]}
- `describe-users` -> {"Users": [User]}

Which command printed a file is told by its top-level key. cachec never
calls AWS: reading is credential-free. Every problem is a located
diagnostic on the FILE (line and column of the JSON value it is about).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import yaml

from ..diagnostics import NO_MARKS, Diagnostic, Mark, Marks, Path, error
from ..kinds import ErrorKind, Stage
from .load import read_text

_CLI_GUIDE = "https://docs.aws.amazon.com/cli/latest/reference/elasticache/"

# The top-level key of each command's output, and the command.
COMMANDS = {
    "ReplicationGroups": "describe-replication-groups",
    "CacheClusters": "describe-cache-clusters --show-cache-node-info",
    "Parameters": "describe-cache-parameters",
    "ServerlessCaches": "describe-serverless-caches",
    "UserGroups": "describe-user-groups",
    "Users": "describe-users",
}

IMPORT_UNREADABLE = ErrorKind(
    "import-unreadable", Stage.IMPORT,
    "A `cachec import` input file cannot be read or is not JSON.",
    "cachec reads what the AWS CLI printed; a file it cannot parse tells it nothing.",
    "Save the command's output unedited with the CLI's default JSON output "
    "(`--output json`) and pass its path.", _CLI_GUIDE,
)
IMPORT_NOT_DESCRIBE_OUTPUT = ErrorKind(
    "import-not-describe-output", Stage.IMPORT,
    "A `cachec import` input file is not the output of a describe command cachec reads.",
    "Each file must be the output of one of describe-replication-groups, "
    "describe-cache-clusters, describe-cache-parameters, describe-serverless-caches, "
    "describe-user-groups or describe-users, with the shape botocore's model gives it.",
    "Run the commands docs/adopting.md lists and pass their outputs.", _CLI_GUIDE,
)


@dataclass(frozen=True)
class Output:
    """One file: which command printed it, what it holds, where each value sits."""

    filename: str
    key: str  # the top-level key: ReplicationGroups, CacheClusters, ...
    data: dict[str, Any]
    marks: Marks = field(default=NO_MARKS, compare=False)

    @property
    def items(self) -> list[Any]:
        value = self.data.get(self.key)
        return value if isinstance(value, list) else []


@dataclass(frozen=True)
class Located:
    """A diagnostic about one input file, with the positions to print it."""

    filename: str
    diagnostic: Diagnostic
    marks: Marks = field(default=NO_MARKS, compare=False)


def read(filename: str) -> tuple[Output | None, list[Located]]:
    text, problems = read_text(filename)
    if text is None:
        return None, [Located(filename, _retyped(d)) for d in problems]
    try:
        data = json.loads(text)
    except ValueError as exc:
        line, column = getattr(exc, "lineno", 1), getattr(exc, "colno", 1)
        message = getattr(exc, "msg", str(exc))
        return None, [Located(filename, error(
            IMPORT_UNREADABLE, (), f"not JSON: {message}", mark=Mark(line, column)))]
    marks = _marks(text)
    keys = [k for k in COMMANDS if isinstance(data, dict) and k in data]
    if len(keys) != 1 or not isinstance(data[keys[0]], list):
        found = ", ".join(sorted(data)) if isinstance(data, dict) else type(data).__name__
        return None, [Located(filename, error(
            IMPORT_NOT_DESCRIBE_OUTPUT, (),
            f"not the output of one describe command cachec reads (found {found or 'nothing'}; "
            f"expected one of {', '.join(COMMANDS)})", mark=Mark(1, 1)), marks)]
    return Output(filename, keys[0], data, marks), []


def _retyped(diagnostic: Diagnostic) -> Diagnostic:
    """The loader's file problems (missing, unreadable, not UTF-8) under this command's kind."""
    return error(IMPORT_UNREADABLE, (), diagnostic.message, mark=diagnostic.mark or Mark(1, 1))


def _marks(text: str) -> Marks:
    """Line and column of every value, by path: JSON is YAML, whose composer keeps them.
    Text YAML cannot compose (a tab in JSON indentation) is read without positions."""
    try:
        root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        return NO_MARKS
    values: dict[Path, Mark] = {}
    keys: dict[Path, Mark] = {}
    stack: list[tuple[Path, yaml.Node]] = [((), root)] if root is not None else []
    while stack:
        path, node = stack.pop()
        values[path] = Mark(node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                child = (*path, str(key.value))
                keys[child] = Mark(key.start_mark.line + 1, key.start_mark.column + 1)
                stack.append((child, value))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(((*path, i), item) for i, item in enumerate(node.value))
    return Marks(values, keys)
