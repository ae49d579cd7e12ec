"""The engine catalog: AWS's versions come from cfn-lint's data; cachec's rules map them."""

from __future__ import annotations

import json
import subprocess
import sys
from importlib import resources

import pytest

from compiler.catalog import engines, parameters


def cfn_lint_versions() -> dict[str, set[str]]:
    """Read independently of the catalog, through cfn-lint's own package resources."""
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


def test_aws_versions_are_cfn_lints() -> None:
    known = cfn_lint_versions()
    assert {e: set(v) for e, v in engines.aws_versions().items()} == {
        e: known[e] for e in engines.ENGINES
    }


def test_every_valkey_and_every_redis_from_6_is_built() -> None:
    known = cfn_lint_versions()
    assert set(engines.versions_of("valkey")) == known["valkey"]
    assert set(engines.versions_of("redis")) == {
        v for v in known["redis"] if int(v.split(".")[0]) >= 6
    }


def test_valkey_9_1_is_accepted() -> None:
    """Review found 9.1 refused though AWS and cfn-lint list it."""
    info = engines.lookup("valkey", "9.1")
    assert info is not None and info.family == "valkey9"


def test_old_redis_is_listed_by_aws_but_not_built() -> None:
    assert "5.0.6" in engines.aws_versions()["redis"]
    assert engines.lookup("redis", "5.0.6") is None
    assert engines.lookup("redis", "7.9") is None  # not a version AWS lists


@pytest.mark.parametrize(
    ("engine", "version", "family", "mode", "logs"),
    [
        ("redis", "6.0", "redis6.x", False, {"slow-log"}),
        ("redis", "6.2", "redis6.x", False, {"slow-log", "engine-log"}),
        ("redis", "7.0", "redis7", True, {"slow-log", "engine-log"}),
        ("redis", "7.1", "redis7", True, {"slow-log", "engine-log"}),
        ("valkey", "7.2", "valkey7", True, {"slow-log", "engine-log"}),
        ("valkey", "8.2", "valkey8", True, {"slow-log", "engine-log"}),
        ("valkey", "9.0", "valkey9", True, {"slow-log", "engine-log"}),
    ],
)
def test_features_follow_from_the_version(
    engine: str, version: str, family: str, mode: bool, logs: set[str]
) -> None:
    info = engines.lookup(engine, version)
    assert info is not None
    assert (info.family, info.transit_encryption_mode, set(info.log_types)) == (
        family, mode, logs
    )


def test_every_family_is_a_parameter_family() -> None:
    assert {v.family for v in engines.versions()} == set(parameters.FAMILIES)


def test_defaults_are_the_newest_aws_lists() -> None:
    """Pinned so a cfn-lint upgrade never changes a published template; this
    fails the day cfn-lint lists a newer version, to move the default on purpose."""
    for engine in engines.ENGINES:
        assert engines.default_version(engine) == engines.versions_of(engine)[-1]


def test_catalog_does_not_import_cfn_lint() -> None:
    """Importing cfn-lint costs ~0.3 s; `compile --no-lint` must not pay it for a list."""
    code = (
        "import sys; from compiler.catalog import engines; engines.versions(); "
        "assert 'cfnlint' not in sys.modules, 'cfnlint imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
