"""Our engine table against the EngineVersion enum cfn-lint bundles."""

from __future__ import annotations

import json
from importlib import resources

from compiler.catalog import engines, parameters


def cfn_lint_versions() -> dict[str, set[str]]:
    path = resources.files("cfnlint") / (
        "data/schemas/extensions/aws_elasticache_cachecluster/engine_version.json"
    )
    data = json.loads(path.read_text())
    found: dict[str, set[str]] = {}
    for branch in data["allOf"]:
        engine = branch["if"]["properties"]["Engine"].get("const")
        if engine:
            found[engine] = set(branch["then"]["properties"]["EngineVersion"]["enum"])
    return found


def test_every_version_is_one_aws_accepts() -> None:
    known = cfn_lint_versions()
    for version in engines.VERSIONS:
        assert version.version in known[version.engine], version


def test_every_family_is_a_parameter_family() -> None:
    assert {v.family for v in engines.VERSIONS} == set(parameters.FAMILIES)


def test_default_is_the_newest() -> None:
    assert engines.default_version("redis") == "7.1"
    assert engines.default_version("valkey") == "9.0"
