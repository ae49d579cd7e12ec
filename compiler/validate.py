"""Stage 2a: JSON Schema validation, turned into precise diagnostics.

jsonschema's own messages quote regexes and Python reprs at the user; every
error kind is translated here into a sentence about the spec, with a
did-you-mean hint for misspelt keys and values.
"""

from __future__ import annotations

import difflib
import functools
from typing import Any

from jsonschema import Draft7Validator
from jsonschema.exceptions import ValidationError

from . import schema as s
from .diagnostics import Diagnostic, Path, error

# Regexes are for machines; these are what the user reads instead.
_PATTERN_HELP = {
    s.NAME_PATTERN: "2-32 lower-case letters, digits and hyphens, starting with a letter "
    "and not ending with a hyphen",
    s.ENVIRONMENT_PATTERN: "1-16 lower-case letters, digits and hyphens, starting with a letter",
    s.NODE_TYPE_PATTERN: "a node type such as cache.r6g.large",
    s.SNAPSHOT_WINDOW_PATTERN: "a daily UTC window hh:mm-hh:mm, e.g. 03:00-04:00",
    s.MAINTENANCE_WINDOW_PATTERN: "a weekly UTC window ddd:hh:mm-ddd:hh:mm with days "
    "mon..sun, e.g. sun:05:00-sun:06:00",
    s.VPC_ID_PATTERN: "a VPC id: vpc- and 8 or 17 hex digits",
    s.SUBNET_ID_PATTERN: "a subnet id: subnet- and 8 or 17 hex digits",
    s.SECURITY_GROUP_ID_PATTERN: "a security group id: sg- and 8 or 17 hex digits",
    s.KMS_KEY_PATTERN: "a KMS key id, key ARN, alias/<name> or alias ARN",
    s.TAG_KEY_PATTERN: "1-128 letters, digits, spaces and _ . : / = + - @, not starting "
    "with aws: (reserved by AWS) or cachec: (set by cachec)",
    s.TAG_VALUE_PATTERN: "up to 256 letters, digits, spaces and _ . : / = + - @",
    s.SNAPSHOT_NAME_PATTERN: "a snapshot name: letters, digits and hyphens, starting with "
    "a letter",
    s.S3_RDB_ARN_PATTERN: "an S3 object ARN ending in .rdb, e.g. "
    "arn:aws:s3:::my-bucket/orders.rdb",
    r"^[a-z][a-z0-9-]*$": "a parameter name such as maxmemory-policy",
    s.SNS_TOPIC_ARN_PATTERN: "an SNS topic ARN, e.g. arn:aws:sns:us-east-1:111122223333:ops",
    s.KMS_KEY_ARN_PATTERN: "a KMS key ARN, arn:aws:kms:<region>:<account>:key/<id> (CloudWatch "
    "Logs takes no aliases)",
    s.EMAIL_PATTERN: "an e-mail address",
    r"^[^\x00-\x1f\x7f]*$": "text without control characters or line breaks",
}

_JSON_TYPES = {
    "string": "a string",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "object": "a mapping",
    "array": "a list",
    "null": "null",
}


@functools.cache
def _validator() -> Draft7Validator:
    return Draft7Validator(s.build_schema())


def did_you_mean(word: str, choices: list[str] | tuple[str, ...]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def check_schema(data: Any) -> list[Diagnostic]:
    """Every schema violation in `data`, as diagnostics with spec paths."""
    diagnostics: list[Diagnostic] = []
    for err in _validator().iter_errors(data):
        diagnostics.extend(_translate(err))
    # A value of the wrong type also fails its enum/pattern/range; saying
    # "must be a string" once is clearer than three errors for one value.
    mistyped = {d.path for d in diagnostics if d.kind == "invalid-type"}
    return [
        d for d in diagnostics
        if d.kind == "invalid-type" or d.on_key or d.path not in mistyped
    ]


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return f"boolean {str(value).lower()}"
    if isinstance(value, int):
        return f"number {value}"
    if isinstance(value, float):
        return f"number {value!r}"
    if value is None:
        return "nothing (null)"
    if isinstance(value, str):
        return f"string {value!r}"
    if isinstance(value, list):
        return "a list"
    return "a mapping"


def _types(expected: str | list[str]) -> str:
    names = [expected] if isinstance(expected, str) else expected
    return " or ".join(_JSON_TYPES.get(n, n) for n in names)


def _translate(err: ValidationError) -> list[Diagnostic]:
    path: Path = tuple(err.absolute_path)
    kind = err.validator
    # jsonschema's stubs type these as "maybe unset"; for errors that
    # iter_errors yields they are always set.
    value: Any = err.instance
    expected: Any = err.validator_value
    sub_schema: Any = err.schema
    if kind == "additionalProperties":
        known = sorted(sub_schema.get("properties", {}))
        return [
            error(
                "unknown-key",
                (*path, key),
                f"unknown key {key!r}{did_you_mean(key, known)}",
                on_key=True,
            )
            for key in sorted(set(value) - set(known))
        ]
    if kind == "required":
        missing = expected
        names = [k for k in missing if k not in value]
        return [
            error("missing-key", (*path, name), f"required key {name!r} is missing")
            for name in names
        ]
    if kind == "type":
        message = f"must be {_types(expected)}, got {_describe(value)}"
        if isinstance(value, bool) and "string" in str(expected):
            message += "; YAML reads unquoted yes/no/on/off/true/false as booleans, so quote it"
        elif isinstance(value, float | int) and expected == "string":
            message += f"; quote it (\"{value}\") so YAML keeps it as text"
        elif value is None:
            message = f"needs a value ({_types(expected)})"
        return [error("invalid-type", path, message)]
    if kind in ("enum", "const"):
        choices = expected if kind == "enum" else [expected]
        listed = ", ".join(str(c) for c in choices)
        hint = did_you_mean(value, [str(c) for c in choices]) if isinstance(value, str) else ""
        if path == ("cachec",):
            return [
                error(
                    "unsupported-format",
                    path,
                    f"spec format version must be 1, got {_describe(value)}; this cachec "
                    "reads format 1",
                )
            ]
        message = f"must be one of {listed}; got {_describe(value)}{hint}"
        return [error("invalid-value", path, message)]
    if "propertyNames" in err.schema_path:
        # jsonschema checks each key as an instance of its own, at the
        # mapping's path; point at the key the user wrote instead.
        help_text = _PATTERN_HELP.get(str(expected), "a valid name")
        return [
            error("invalid-key", (*path, str(value)), f"key {value!r} is not {help_text}",
                  on_key=True)
        ]
    if kind == "pattern":
        help_text = _PATTERN_HELP.get(expected, f"match {expected}")
        return [error("invalid-format", path, f"{value!r} is not {help_text}")]
    if kind in ("minimum", "maximum"):
        word = "at least" if kind == "minimum" else "at most"
        return [
            error("out-of-range", path, f"must be {word} {expected}, got {value}")
        ]
    if kind == "uniqueItems":
        seen: dict[str, int] = {}
        found = []
        for index, item in enumerate(value):
            first = seen.setdefault(repr(item), index)
            if first != index:
                found.append(
                    error("duplicate-item", (*path, index),
                          f"repeats {item!r} (already item {first})")
                )
        return found
    if kind == "minItems":
        return [error("too-few-items", path, f"needs at least {expected} item(s)")]
    if kind == "maxProperties":
        return [
            error("too-many-items", path, f"has {len(value)} entries; at most "
                  f"{expected} are allowed")
        ]
    if kind == "maxLength":
        return [
            error("too-long", path, f"is {len(value)} characters; at most "
                  f"{expected} are allowed")
        ]
    if kind == "oneOf" and err.context:
        typed = [e for e in err.context if e.validator != "type"]
        if typed:
            # The value has the type of one branch and is wrong inside it:
            # report from there (e.g. a bad e-mail inside create_topic).
            deepest = max(typed, key=lambda e: len(e.absolute_path))
            branch = deepest.relative_schema_path[0]
            return [
                d for e in typed if e.relative_schema_path[0] == branch for d in _translate(e)
            ]
        if path[-1:] == ("restore_from",):
            return [
                error(
                    "invalid-type",
                    path,
                    "must be a snapshot name or a list of S3 .rdb object ARNs "
                    "(arn:aws:s3:::bucket/key.rdb)",
                )
            ]
        types = [str(e.validator_value) for e in err.context]
        return [error("invalid-type", path, f"must be {_types(types)}, got {_describe(value)}")]
    return [error("schema", path, err.message)]
