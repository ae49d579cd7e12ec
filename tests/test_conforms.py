"""conforms.py says yes exactly when jsonschema finds no error.

A wrong yes would let an invalid spec past validation; a wrong no would only
cost the jsonschema import, but it would mean the fast path is not the one
taken. The oracle is validate.py's own jsonschema validator (the one that
explains errors). Inputs: every spec in the repository (goldens, bad specs,
examples), and the goldens mutated at any depth with values drawn from the
schema itself (enum members, examples, each bound and one past it, strings
at and past their lengths, repeated list items) and values of every JSON type.
"""

from __future__ import annotations

import copy
import functools
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compiler.input import conforms as conforms_module
from compiler.input.conforms import Unsupported, conforms
from compiler.input.load import load
from compiler.input.schema import resolve, spec_schema
from compiler.input.validate import _compiled, _validator

ROOT = Path(__file__).parent.parent
SPEC_FILES = sorted(
    [*ROOT.glob("tests/golden/*/spec.yaml"), *ROOT.glob("tests/bad_specs/*.yaml"),
     *ROOT.glob("specs/*.yaml"), *ROOT.glob("tests/diffs/*/*.yaml")]
)
LOADED = {
    path: loaded.data
    for path in SPEC_FILES
    if (loaded := load(path.read_text(encoding="utf-8", errors="replace"))[0]) is not None
}
GOLDEN = [yaml.safe_load(p.read_text()) for p in sorted(ROOT.glob("tests/golden/*/spec.yaml"))]


def jsonschema_accepts(data: Any) -> bool:
    return next(iter(_validator().iter_errors(data)), None) is None


def agree(data: Any) -> None:
    assert conforms(data, _compiled) is jsonschema_accepts(data), data


def test_the_shipped_schema_is_checked_without_jsonschema() -> None:
    """Every keyword the schema uses is one conforms.py implements: the fast
    path is taken for every valid spec, not silently skipped."""
    assert conforms(GOLDEN[0], _compiled) is True


@pytest.mark.parametrize("path", sorted(LOADED), ids=lambda p: str(p.relative_to(ROOT)))
def test_agrees_on_every_spec_in_the_repository(path: Path) -> None:
    agree(LOADED[path])


def subschemas(schema: Any) -> list[dict[str, Any]]:
    """The schema and every schema it is made of at the same place."""
    if not isinstance(schema, dict):
        return []
    schema = resolve(schema)
    found = [schema]
    for key in ("allOf", "anyOf", "oneOf"):
        for part in schema.get(key, []):
            found += subschemas(part)
    for key in ("then", "else", "if"):
        found += subschemas(schema.get(key))
    return found


def at(schema: Any, step: Any) -> list[dict[str, Any]]:
    """The schemas that apply one step (a key or an index) further in."""
    found = []
    for part in subschemas(schema):
        if isinstance(step, str):
            target = part.get("properties", {}).get(step, part.get("additionalProperties"))
        else:
            target = part.get("items")
        found += subschemas(target)
    return found


GENERIC = [None, True, False, 0, -1, 1, 1.5, 6379.0, 2**40, "", "x", "x\n", [], {}, ["x"],
           {"x": 1}]


@functools.cache
def candidates(schemas_key: str) -> list[Any]:
    """Values aimed at the keywords of the schemas at one place."""
    values: list[Any] = list(GENERIC)
    for schema in yaml.safe_load(schemas_key):
        values += schema.get("enum", []) + schema.get("examples", [])
        if "default" in schema:
            values.append(schema["default"])
        for bound in ("minimum", "maximum"):
            if bound in schema:
                values += [schema[bound], schema[bound] - 1, schema[bound] + 1]
        for bound in ("minLength", "maxLength"):
            if bound in schema:
                values += ["a" * max(0, schema[bound] + d) for d in (-1, 0, 1)]
        for bound in ("minItems", "maxItems"):
            if bound in schema:
                item = (schema.get("items", {}).get("examples") or ["a"])[0]
                values += [[item] * max(0, schema[bound] + d) for d in (-1, 0, 1)]
        examples = schema.get("examples", [])
        if schema.get("uniqueItems") and examples and isinstance(examples[0], list):
            values.append(examples[0] + examples[0][:1])
        for key in schema.get("required", []):
            values.append({key: None})
    return values


def schemas_at(path: tuple[Any, ...]) -> list[dict[str, Any]]:
    schemas: list[dict[str, Any]] = subschemas(spec_schema())
    for step in path:
        schemas = [s for schema in schemas for s in at(schema, step)]
    return schemas


def value_for(path: tuple[Any, ...]) -> st.SearchStrategy[Any]:
    """A value aimed at the schema at `path`: a candidate, or strings its
    patterns match (lists of them around the list's length bounds)."""
    schemas = schemas_at(path)
    drawn: list[st.SearchStrategy[Any]] = [
        st.sampled_from(candidates(yaml.safe_dump(schemas))).map(copy.deepcopy)
    ]
    for schema in schemas:
        if "pattern" in schema:
            drawn.append(st.from_regex(schema["pattern"], fullmatch=True))
        items = resolve(schema.get("items", {}))
        if "pattern" in items:
            drawn.append(st.lists(
                st.from_regex(items["pattern"], fullmatch=True),
                min_size=max(0, schema.get("minItems", 0) - 1),
                max_size=schema.get("maxItems", 3) + 1,
                unique=True,
            ))
    return st.one_of(drawn)


def places(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(data, dict):
        for key, value in data.items():
            found += places(value, (*prefix, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += places(value, (*prefix, index))
    return found


def parent_of(data: Any, path: tuple[Any, ...]) -> Any:
    for step in path[:-1]:
        data = data[step]
    return data


def length_bounds(path: tuple[Any, ...]) -> list[int]:
    """Each length bound of the list at `path`, and one either side of it."""
    bounds = [b for schema in schemas_at(path) for key in ("minItems", "maxItems")
              if (b := schema.get(key)) is not None]
    return [b + d for b in bounds for d in (-1, 0, 1) if b + d >= 0]


def resized(items: list[Any], size: int) -> list[Any]:
    """The list's own items, repeated or cut to `size`."""
    return [copy.deepcopy(items[i % len(items)]) for i in range(size)]


@st.composite
def mutated(draw: st.DrawFn) -> Any:
    data = copy.deepcopy(draw(st.sampled_from(GOLDEN)))
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(places(data)[1:] or [()]))
        if not path:
            continue
        parent = parent_of(data, path)
        action = draw(st.sampled_from(["replace", "delete", "add", "resize"]))
        target = parent[path[-1]]
        if action == "resize" and isinstance(target, list) and target:
            parent[path[-1]] = resized(target, draw(st.sampled_from([0, 1, 2,
                                                                     *length_bounds(path)])))
        elif action == "delete" and isinstance(parent, dict):
            del parent[path[-1]]
        elif action == "add" and isinstance(parent, dict):
            schemas = [s for schema in subschemas(spec_schema()) for s in _walk(schema, path[:-1])]
            known = sorted({k for s in schemas for k in s.get("properties", {})} | {"bogus"})
            key = draw(st.sampled_from(known))
            parent[key] = draw(value_for((*path[:-1], key)))
        else:
            parent[path[-1]] = draw(value_for(path))
    return data


def _walk(schema: dict[str, Any], path: tuple[Any, ...]) -> list[dict[str, Any]]:
    schemas = [schema]
    for step in path:
        schemas = [s for part in schemas for s in at(part, step)]
    return [s for part in schemas for s in subschemas(part)]


@settings(max_examples=600, deadline=None, suppress_health_check=list(HealthCheck))
@given(mutated())
def test_agrees_on_mutated_specs(data: Any) -> None:
    agree(data)


@pytest.mark.parametrize(
    ("schema", "accepted", "refused"),
    [
        ({"type": "integer"}, [1, -3], [1.0, True, "1", None]),
        ({"enum": [1, "a"]}, [1, 1.0, "a"], [True, "1", 2]),
        ({"const": False}, [False], [0, None]),
        ({"pattern": "^a$"}, ["a", 1], ["a\n", "ba"]),
        ({"uniqueItems": True}, [[1, True], [[1], [2]]], [[1, 1.0], [{"a": 1}, {"a": 1}]]),
        ({"oneOf": [{"type": "integer"}, {"minimum": 0}]}, [-1, 0.5], [3]),
        ({"if": {"type": "string"}, "then": {"minLength": 2}, "else": {"type": "integer"}},
         ["ab", 3], ["a", 1.5]),
        ({"additionalProperties": False, "properties": {"a": {}}}, [{"a": 1}], [{"b": 1}]),
        ({"properties": {"a": {"$ref": "#/definitions/n"}}, "definitions": {"n": {"type": "null"}}},
         [{"a": None}], [{"a": 0}]),
        ({"$ref": "#/definitions/n", "type": "string", "definitions": {"n": {}}}, [1], []),
    ],
)
def test_keywords_as_draft_07_defines_them(
    schema: dict[str, Any], accepted: list[Any], refused: list[Any]
) -> None:
    check = conforms_module._Compiler(schema, _compiled).compile(schema)
    assert [check(v) for v in accepted] == [True] * len(accepted)
    assert [check(v) for v in refused] == [False] * len(refused)


def test_a_keyword_it_does_not_implement_means_cannot_say() -> None:
    with pytest.raises(Unsupported):
        conforms_module._Compiler({}, _compiled).compile({"multipleOf": 2})


def test_agrees_on_every_list_of_every_golden_at_its_length_bounds() -> None:
    """Lists resized to each bound and one past it (a random walk rarely
    lands on the one list with maxItems, security.users)."""
    checked = 0
    for golden in GOLDEN:
        for path in places(golden)[1:]:
            items = parent_of(golden, path)[path[-1]]
            if not isinstance(items, list) or not items:
                continue
            for size in {0, 1, 2, *length_bounds(path)}:
                data = copy.deepcopy(golden)
                parent_of(data, path)[path[-1]] = resized(items, size)
                agree(data)
                checked += 1
    assert checked > 100
