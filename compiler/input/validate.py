"""Stage 2a: JSON Schema validation, turned into precise diagnostics.

jsonschema's own messages quote regexes and Python reprs at the user; every
error kind is translated here into a sentence about the spec, with a
did-you-mean hint for misspelt keys and values.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..diagnostics import Diagnostic, Path, did_you_mean, error, quoted
from ..kinds import CFN_REPLICATION_GROUP, ErrorKind, Stage
from .conforms import conforms
from .load import INVALID_KEY, resolve_plain
from .schema import spec_schema
from .terraform_names import hint as terraform_hint

# jsonschema (with referencing, attrs, rpds and its meta-schemas) costs more
# to import than building a template: it is imported only for a spec that
# conforms.py finds invalid, to say where and why.
if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError
    from jsonschema.protocols import Validator

_JSON_TYPES = {
    "string": "a string",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "object": "a mapping",
    "array": "a list",
    "null": "null",
}


def true_end(pattern: str) -> str:
    """`pattern` with every `$` anchor made `\\Z`.

    The schema's patterns are ECMA-262 regexes (editors apply them), where `$`
    is the end of the text. Python's `$` also matches before a final line
    break, so `^[a-z]+$` accepted "dev\\n". Escaped dollars and dollars in a
    character class are literal characters and stay as they are.
    """
    out: list[str] = []
    escaped = in_class = False
    for char in pattern:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "$":
            char = r"\Z"
        out.append(char)
    return "".join(out)


@functools.cache
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(true_end(pattern))


def _pattern(
    validator: Validator, pattern: str, instance: Any, schema: dict[str, Any]
) -> Iterator[ValidationError]:
    """Draft-07 `pattern`, with the end anchor meaning what it means in the schema."""
    from jsonschema.exceptions import ValidationError

    if validator.is_type(instance, "string") and _compiled(pattern).search(instance) is None:
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


def _is_integer(_: Any, instance: Any) -> bool:
    """A whole number as the user wrote it: draft-07 counts 6379.0 as an integer,
    but it would reach the template as 6379.0, and CloudFormation's integer
    properties (Port, SnapshotRetentionLimit, RetentionInDays) take integers."""
    return isinstance(instance, int) and not isinstance(instance, bool)


@functools.cache
def _validator() -> Validator:
    from jsonschema import Draft7Validator, validators

    # `extend` carries no type hints; what it returns is a Validator class.
    spec_validator: type[Validator] = validators.extend(  # type: ignore[no-untyped-call]
        Draft7Validator,
        {"pattern": _pattern},
        type_checker=Draft7Validator.TYPE_CHECKER.redefine("integer", _is_integer),
    )
    return spec_validator(spec_schema())


_SCHEMA_WHY = (
    "The spec format is a JSON Schema (schemas/cachec-spec-v1.schema.json); a value it "
    "does not allow would otherwise reach CloudFormation, which fails the deploy late or, "
    "worse, accepts a setting the author did not mean."
)
INVALID_TYPE = ErrorKind(
    "invalid-type", Stage.SCHEMA, "A value has the wrong type (text for a number, ...).",
    _SCHEMA_WHY, "Write a value of the type named in the message.",
)


def check_schema(data: Any) -> list[Diagnostic]:
    """Every schema violation in `data`, as diagnostics with spec paths."""
    references = list(dynamic_references(data, ()))
    if conforms(data, _compiled):
        return references
    diagnostics: list[Diagnostic] = []
    for err in _validator().iter_errors(data):
        diagnostics.extend(_translate(err))
    # A value of the wrong type also fails its enum/pattern/range; saying
    # "must be a string" once is clearer than three errors for one value.
    # Likewise a dynamic reference is the one thing to fix where it is written.
    mistyped = {d.path for d in diagnostics if d.kind == INVALID_TYPE.id}
    referenced = {(d.path, d.on_key) for d in references}
    return references + [
        d for d in diagnostics
        if (d.kind == INVALID_TYPE.id or d.on_key or d.path not in mistyped)
        and (d.path, d.on_key) not in referenced
    ]


# CloudFormation resolves `{{resolve:ssm:...}}`, `{{resolve:ssm-secure:...}}`
# and `{{resolve:secretsmanager:...}}` anywhere in a template's property values
# at deploy time
# (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/dynamic-references.html).
# Matched without regard to case or spacing, for any service name: no spec
# string has a reason to look like one.
_DYNAMIC_REFERENCE = re.compile(r"\{\{\s*resolve\s*:", re.IGNORECASE)


def dynamic_references(data: Any, path: Path) -> Iterator[Diagnostic]:
    """Every spec key and string value holding a CloudFormation dynamic reference.

    Spec text reaches the template verbatim (the description, tags), where
    CloudFormation would replace the reference with a parameter or secret
    and publish it in a description or tag that anyone can read."""
    if isinstance(data, dict):
        for key, value in data.items():
            if _DYNAMIC_REFERENCE.search(key):
                yield _dynamic_reference((*path, key), on_key=True)
            yield from dynamic_references(value, (*path, key))
    elif isinstance(data, list):
        for index, item in enumerate(data):
            yield from dynamic_references(item, (*path, index))
    elif isinstance(data, str) and _DYNAMIC_REFERENCE.search(data):
        yield _dynamic_reference(path, on_key=False)


DYNAMIC_REFERENCE = ErrorKind(
    "dynamic-reference", Stage.SCHEMA,
    "A value holds a CloudFormation dynamic reference ({{resolve:...}}).",
    "CloudFormation would resolve it at deploy time and show the secret or parameter in the "
    "stack.",
    "Write the text itself.",
    "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/dynamic-references.html",
)


def _dynamic_reference(path: Path, *, on_key: bool) -> Diagnostic:
    return error(
        DYNAMIC_REFERENCE,
        path,
        "contains a CloudFormation dynamic reference ({{resolve:...}}); CloudFormation "
        "would replace it at deploy time with the parameter or secret it names and show "
        "the value in the stack; write the text itself",
        on_key=on_key,
    )


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
        return f"string {quoted(value)}"
    if isinstance(value, list):
        return "a list"
    return "a mapping"


def _types(expected: str | list[str]) -> str:
    names = [expected] if isinstance(expected, str) else expected
    return " or ".join(_JSON_TYPES.get(n, n) for n in names)


@dataclass(frozen=True)
class _Error:
    """One jsonschema error, with the fields typed as they always are when
    iter_errors yields it (the stubs say "maybe unset")."""

    path: Path
    value: Any
    expected: Any
    schema: Any
    source: ValidationError


Translator = Callable[[_Error], list[Diagnostic]]


UNKNOWN_KEY = ErrorKind(
    "unknown-key", Stage.SCHEMA, "A key the spec format does not have (did-you-mean included).",
    "A misspelt key would otherwise be ignored and its default used silently.",
    "Use the suggested key, or see docs/spec-reference.md.",
)


def _unknown_keys(e: _Error) -> list[Diagnostic]:
    known = sorted(e.schema.get("properties", {}))
    # A Terraform module input's name (multi_az_enabled) gets the cachec key
    # that does the same (topology.multi_az), which no spelling match finds.
    return [
        error(
            UNKNOWN_KEY, (*e.path, key),
            f"unknown key {quoted(key)}{terraform_hint(key) or did_you_mean(key, known)}",
            on_key=True,
        )
        for key in sorted(set(e.value) - set(known))
    ]


MISSING_KEY = ErrorKind(
    "missing-key", Stage.SCHEMA, "A required key is missing.", _SCHEMA_WHY,
    "Add the key where the message points.",
)
SCHEMA = ErrorKind(
    "schema", Stage.SCHEMA, "A schema keyword without a dedicated message (a safety net).",
    "Unreachable by design: test_schema checks that every keyword the schema uses has a "
    "translator. If it appears, the message is jsonschema's own.",
    "Fix the value; please also report the message as a cachec bug.",
)


def _missing_keys(e: _Error) -> list[Diagnostic]:
    # jsonschema yields one `required` error per missing key, each carrying the
    # whole list: answer only for the key this error is about, or a spec that
    # lacks n keys would report each of them n times.
    name = next(
        (n for n in e.expected if n not in e.value and e.source.message.startswith(repr(n))),
        None,
    )
    if name is None:
        return [error(SCHEMA, e.path, e.source.message)]
    return [error(MISSING_KEY, (*e.path, name), f"required key {name!r} is missing")]


def _wrong_type(e: _Error) -> list[Diagnostic]:
    if e.value is None:
        return [error(INVALID_TYPE, e.path, f"needs a value ({_types(e.expected)})")]
    message = f"must be {_types(e.expected)}, got {_describe(e.value)}"
    if isinstance(e.value, bool) and "string" in str(e.expected):
        message += "; YAML reads unquoted true and false as booleans, so quote it"
    elif isinstance(e.value, str) and e.value.lower() in _YAML11_BOOLEANS and "boolean" in (
        _expected(e.expected)
    ):
        message += (
            f"; {e.value} is text in YAML 1.2, which cachec, editors and check-jsonschema "
            "read (only YAML 1.1 took yes/no/on/off for booleans): write true or false"
        )
    elif isinstance(e.value, float | int) and e.expected == "string":
        message += f"; quote it (\"{e.value}\") so YAML keeps it as text"
    elif isinstance(e.value, str) and _reads_unquoted_as(e.value) & _expected(e.expected):
        message += (
            "; write true or false, without quotes"
            if _reads_unquoted_as(e.value) == {"boolean"}
            else "; remove the quotes so YAML reads it as a number"
        )
    return [error(INVALID_TYPE, e.path, message)]


# YAML 1.1's other spellings of true and false (https://yaml.org/type/bool.html).
_YAML11_BOOLEANS = frozenset(("y", "yes", "n", "no", "on", "off"))


def _expected(expected: str | list[str]) -> set[str]:
    return {expected} if isinstance(expected, str) else set(expected)


def _reads_unquoted_as(text: str) -> set[str]:
    """The JSON types `text` would have had without quotes (port: "6379")."""
    tag = resolve_plain(text)
    if tag == "tag:yaml.org,2002:bool":
        return {"boolean"}
    if tag == "tag:yaml.org,2002:int":
        return {"integer", "number"}
    if tag == "tag:yaml.org,2002:float" and text.lstrip("+-").lower() not in (".nan", ".inf"):
        return {"number"}
    return set()


UNSUPPORTED_FORMAT = ErrorKind(
    "unsupported-format", Stage.SCHEMA, "The spec's `cachec:` format version is not 1.",
    "A spec written for another format version means other keys and defaults; reading it as "
    "version 1 would build something else.",
    "Write `cachec: 1`, or use the cachec release that reads that version.",
)
INVALID_VALUE = ErrorKind(
    "invalid-value", Stage.SCHEMA, "A value is not one of the allowed choices.", _SCHEMA_WHY,
    "Use one of the values listed in the message.",
)


def _not_allowed(e: _Error) -> list[Diagnostic]:
    if e.path == ("cachec",):
        return [
            error(
                UNSUPPORTED_FORMAT,
                e.path,
                f"spec format version must be 1, got {_describe(e.value)}; this cachec "
                "reads format 1",
            )
        ]
    choices = [str(c) for c in (e.expected if e.source.validator == "enum" else [e.expected])]
    hint = did_you_mean(e.value, choices) if isinstance(e.value, str) else ""
    message = f"must be one of {', '.join(choices)}; got {_describe(e.value)}{hint}"
    return [error(INVALID_VALUE, e.path, message)]


INVALID_FORMAT = ErrorKind(
    "invalid-format", Stage.SCHEMA,
    "A text value does not have the required form (ARN, id, window).",
    "AWS validates these forms at deploy time, minutes later and far from the spec line.",
    "Write the value in the form shown in the message.",
)


def _bad_format(e: _Error) -> list[Diagnostic]:
    # Regexes are for machines: the schema says beside each pattern what the user
    # reads instead (`patternErrorMessage`, which YAML editors show too; a test
    # checks that every pattern has one).
    help_text = e.schema.get("patternErrorMessage", f"match {e.expected}")
    if "propertyNames" in e.source.schema_path:
        # jsonschema checks each key as an instance of its own, at the
        # mapping's path; point at the key the user wrote instead.
        key = str(e.value)
        return [error(INVALID_KEY, (*e.path, key), f"key {quoted(key)} is not {help_text}",
                      on_key=True)]
    return [error(INVALID_FORMAT, e.path, f"{quoted(e.value)} is not {help_text}")]


OUT_OF_RANGE = ErrorKind(
    "out-of-range", Stage.SCHEMA, "A number is below the minimum or above the maximum.",
    "The limits are AWS's (replicas per group, retention days, ports) or keep alarms "
    "meaningful.",
    "Use a number within the range in the message.", CFN_REPLICATION_GROUP,
)


def _out_of_range(e: _Error) -> list[Diagnostic]:
    word = "at least" if e.source.validator == "minimum" else "at most"
    return [error(OUT_OF_RANGE, e.path, f"must be {word} {e.expected}, got {e.value}")]


DUPLICATE_ITEM = ErrorKind(
    "duplicate-item", Stage.SCHEMA, "A list holds the same item twice.",
    "Duplicate subnets, groups or CIDR blocks are refused by AWS or create duplicate rules.",
    "Remove the repeated item.",
)


def _repeated_items(e: _Error) -> list[Diagnostic]:
    seen: dict[str, int] = {}
    found = []
    for index, item in enumerate(e.value):
        first = seen.setdefault(repr(item), index)
        if first != index:
            message = f"repeats {quoted(item)} (already item {first})"
            found.append(error(DUPLICATE_ITEM, (*e.path, index), message))
    return found


TOO_FEW_ITEMS = ErrorKind(
    "too-few-items", Stage.SCHEMA, "A list is shorter than required.", _SCHEMA_WHY,
    "Add items up to the minimum in the message.",
)


def _too_few(e: _Error) -> list[Diagnostic]:
    return [error(TOO_FEW_ITEMS, e.path, f"needs at least {e.expected} item(s)")]


def _too_few_keys(e: _Error) -> list[Diagnostic]:
    # A mapping that must name something (logs.slow_log: {log_group: ...}).
    return [error(TOO_FEW_ITEMS, e.path, f"needs at least {e.expected} key(s)")]


TOO_MANY_ITEMS = ErrorKind(
    "too-many-items", Stage.SCHEMA, "A list is longer than allowed.", _SCHEMA_WHY,
    "Remove items down to the maximum in the message.",
)


def _too_many(e: _Error) -> list[Diagnostic]:
    return [error(TOO_MANY_ITEMS, e.path,
                  f"has {len(e.value)} entries; at most {e.expected} are allowed")]


TOO_LONG = ErrorKind(
    "too-long", Stage.SCHEMA, "A text value is longer than allowed.",
    "Names become AWS resource ids with length limits (a replication group id is at most "
    "40 characters).",
    "Shorten the value.", CFN_REPLICATION_GROUP,
)


def _too_long(e: _Error) -> list[Diagnostic]:
    return [error(TOO_LONG, e.path,
                  f"is {len(e.value)} characters; at most {e.expected} are allowed")]


TOO_SHORT = ErrorKind(
    "too-short", Stage.SCHEMA, "A text value is shorter than allowed (usually: empty).",
    "An empty CIDR block, id or name has no meaning for AWS and fails at deploy time.",
    "Write the value, or remove the list entry.",
)


def _too_short(e: _Error) -> list[Diagnostic]:
    return [error(TOO_SHORT, e.path,
                  f"needs at least {e.expected} character(s), got {len(e.value)}")]


def _no_alternative(e: _Error) -> list[Diagnostic]:
    context = e.source.context or []
    typed = [c for c in context if c.validator != "type"]
    if typed:
        # The value has the type of one alternative and is wrong inside it:
        # report from there (e.g. a bad e-mail inside create_topic).
        branch = max(typed, key=lambda c: len(c.absolute_path)).relative_schema_path[0]
        return [d for c in typed if c.relative_schema_path[0] == branch for d in _translate(c)]
    if e.path[-1:] == ("restore_from",):
        message = ("must be a snapshot name or a list of S3 .rdb object ARNs "
                   "(arn:aws:s3:::bucket/key.rdb)")
    else:
        types = [str(c.validator_value) for c in context]
        message = f"must be {_types(types)}, got {_describe(e.value)}"
    return [error(INVALID_TYPE, e.path, message)]


# One translator per JSON Schema keyword the spec schema uses.
_TRANSLATORS: dict[str, Translator] = {
    "additionalProperties": _unknown_keys,
    "required": _missing_keys,
    "type": _wrong_type,
    "enum": _not_allowed,
    "const": _not_allowed,
    "pattern": _bad_format,
    "minimum": _out_of_range,
    "maximum": _out_of_range,
    "uniqueItems": _repeated_items,
    "minItems": _too_few,
    "minProperties": _too_few_keys,
    "maxProperties": _too_many,
    "maxItems": _too_many,
    "maxLength": _too_long,
    "minLength": _too_short,
    "oneOf": _no_alternative,
}


def _translate(err: ValidationError) -> list[Diagnostic]:
    e = _Error(tuple(err.absolute_path), err.instance, err.validator_value, err.schema, err)
    translator = _TRANSLATORS.get(str(err.validator))
    if translator is None:  # a keyword the schema gained without a translator
        return [error(SCHEMA, e.path, err.message)]
    return translator(e)
