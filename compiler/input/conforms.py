"""Does a spec conform to the schema? A yes/no answer, without jsonschema.

Most specs a build sees are valid, and for them validation only has to say
so. jsonschema answers with every error located and explained, which is what
an invalid spec needs, but importing it (and `referencing`, `attrs`, `rpds`,
its meta-schemas) costs a `cachec compile` more than building the template.
So `validate.check_schema` asks this module first and imports jsonschema
only when the answer is no.

The schema is turned once per process into nested closures that implement
draft-07 exactly as jsonschema's Draft7Validator does with cachec's two
changes (validate.py): a pattern's `$` is the end of the text, and an
integer is an int as written (6379.0 is not one). A keyword this module does
not implement makes the whole schema "cannot say" (None), and the caller
falls back to jsonschema: never a wrong yes. tests/test_conforms.py holds
this module to jsonschema's verdict on generated, mutated and hand-written
specs.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping
from typing import Any

Check = Callable[[Any], bool]

# Keywords that validate nothing (annotations, and `format`, which jsonschema
# only checks when given a format checker: validate.py gives none).
_ANNOTATIONS = frozenset({
    "$comment", "$id", "$schema", "default", "definitions", "description", "examples",
    "format", "patternErrorMessage", "readOnly", "title", "writeOnly",
})


class Unsupported(Exception):
    """A schema keyword this module does not implement."""


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


# Draft-07's types with cachec's integer (validate._is_integer).
_TYPES: dict[str, Check] = {
    "array": lambda v: isinstance(v, list),
    "boolean": lambda v: isinstance(v, bool),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "null": lambda v: v is None,
    "number": _is_number,
    "object": lambda v: isinstance(v, dict),
    "string": lambda v: isinstance(v, str),
}


def _equal(one: Any, two: Any) -> bool:
    """JSON equality as jsonschema's `enum`, `const` and `uniqueItems` use it:
    true is not 1, 1 is 1.0, containers compare item by item."""
    if one is two:
        return True
    if isinstance(one, str) or isinstance(two, str):
        return bool(one == two)
    if isinstance(one, list) and isinstance(two, list):
        return len(one) == len(two) and all(map(_equal, one, two))
    if isinstance(one, dict) and isinstance(two, dict):
        return one.keys() == two.keys() and all(_equal(one[k], two[k]) for k in one)
    if isinstance(one, bool) or isinstance(two, bool):
        return type(one) is type(two) and one == two
    return bool(one == two)


class _Compiler:
    def __init__(self, root: Mapping[str, Any], pattern: Callable[[str], re.Pattern[str]]):
        self._root = root
        self._pattern = pattern
        self._refs: dict[str, Check] = {}

    def compile(self, schema: Any) -> Check:
        if schema is True:
            return lambda _: True
        if schema is False:
            return lambda _: False
        if not isinstance(schema, dict):
            raise Unsupported(f"schema {schema!r}")
        if "$ref" in schema:  # draft-07: a reference's siblings are ignored
            return self._ref(schema["$ref"])
        compiled = [self._keyword(k, v, schema) for k, v in schema.items() if k not in _ANNOTATIONS]
        checks = [c for c in compiled if c is not None]
        return lambda value: all(check(value) for check in checks)

    def _ref(self, ref: str) -> Check:
        """Local references only; compiled once, tied late so recursion works."""
        if ref not in self._refs:
            prefix = "#/definitions/"
            if not ref.startswith(prefix):
                raise Unsupported(f"$ref {ref}")
            target = self._root.get("definitions", {}).get(ref.removeprefix(prefix))
            if target is None:
                raise Unsupported(f"$ref {ref}")
            slot: list[Check] = []
            self._refs[ref] = lambda value: slot[0](value)
            slot.append(self.compile(target))
        return self._refs[ref]

    def _keyword(self, key: str, arg: Any, schema: dict[str, Any]) -> Check | None:
        match key:
            case "type":
                names = [arg] if isinstance(arg, str) else arg
                if not set(names) <= _TYPES.keys():
                    raise Unsupported(f"type {arg}")
                types = [_TYPES[t] for t in names]
                return lambda v: any(t(v) for t in types)
            case "enum":
                return lambda v: any(_equal(v, e) for e in arg)
            case "const":
                return lambda v: _equal(v, arg)
            case "pattern":
                regex = self._pattern(arg)
                return lambda v: not isinstance(v, str) or regex.search(v) is not None
            case "minLength":
                return lambda v: not isinstance(v, str) or len(v) >= arg
            case "maxLength":
                return lambda v: not isinstance(v, str) or len(v) <= arg
            case "minimum":
                return lambda v: not _is_number(v) or v >= arg
            case "maximum":
                return lambda v: not _is_number(v) or v <= arg
            case "exclusiveMinimum":
                return lambda v: not _is_number(v) or v > arg
            case "exclusiveMaximum":
                return lambda v: not _is_number(v) or v < arg
            case "required":
                return lambda v: not isinstance(v, dict) or all(k in v for k in arg)
            case "minProperties":
                return lambda v: not isinstance(v, dict) or len(v) >= arg
            case "maxProperties":
                return lambda v: not isinstance(v, dict) or len(v) <= arg
            case "properties":
                props = {k: self.compile(s) for k, s in arg.items()}
                return lambda v: not isinstance(v, dict) or all(
                    props[k](v[k]) for k in props if k in v
                )
            case "additionalProperties":
                if "patternProperties" in schema:
                    raise Unsupported("additionalProperties beside patternProperties")
                known = frozenset(schema.get("properties", {}))
                extra = self.compile(arg)
                return lambda v: not isinstance(v, dict) or all(
                    extra(v[k]) for k in v if k not in known
                )
            case "propertyNames":
                name = self.compile(arg)
                return lambda v: not isinstance(v, dict) or all(name(k) for k in v)
            case "items":
                if not isinstance(arg, dict | bool):
                    raise Unsupported("items as a list of schemas")
                item = self.compile(arg)
                return lambda v: not isinstance(v, list) or all(item(i) for i in v)
            case "minItems":
                return lambda v: not isinstance(v, list) or len(v) >= arg
            case "maxItems":
                return lambda v: not isinstance(v, list) or len(v) <= arg
            case "uniqueItems":
                if not arg:
                    return None
                return lambda v: not isinstance(v, list) or not any(
                    _equal(a, b) for i, a in enumerate(v) for b in v[i + 1:]
                )
            case "contains":
                member = self.compile(arg)
                return lambda v: not isinstance(v, list) or any(member(i) for i in v)
            case "allOf":
                parts = [self.compile(s) for s in arg]
                return lambda v: all(p(v) for p in parts)
            case "anyOf":
                parts = [self.compile(s) for s in arg]
                return lambda v: any(p(v) for p in parts)
            case "oneOf":
                parts = [self.compile(s) for s in arg]
                return lambda v: sum(1 for p in parts if p(v)) == 1
            case "not":
                negated = self.compile(arg)
                return lambda v: not negated(v)
            case "if":
                condition = self.compile(arg)
                then = self.compile(schema.get("then", True))
                otherwise = self.compile(schema.get("else", True))
                return lambda v: then(v) if condition(v) else otherwise(v)
            case "then" | "else":
                return None  # part of "if" (without an "if", draft-07 ignores them)
        raise Unsupported(key)


@functools.cache
def _checker(pattern: Callable[[str], re.Pattern[str]]) -> Check | None:
    from .schema import spec_schema

    schema = spec_schema()
    try:
        return _Compiler(schema, pattern).compile(schema)
    except Unsupported:
        return None


def conforms(data: Any, pattern: Callable[[str], re.Pattern[str]]) -> bool | None:
    """True when `data` is valid under the spec schema, False when it is not,
    None when the schema uses a keyword this module cannot check. `pattern`
    compiles a schema pattern as validation means it (validate._compiled)."""
    check = _checker(pattern)
    return None if check is None else check(data)
