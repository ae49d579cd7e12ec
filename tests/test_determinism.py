"""Same spec + same compiler => byte-identical template; the input is never mutated."""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from pathlib import Path

import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st

from compiler.api import compile_text
from compiler.input.load import load
from compiler.input.normalize import normalize
from compiler.synthesize import Provenance, synthesize

ROOT = Path(__file__).parent.parent
PROD = (ROOT / "specs" / "prod.yaml").read_text()


def test_same_bytes_twice() -> None:
    first = compile_text(PROD, "prod.yaml", lint=False)
    second = compile_text(PROD, "prod.yaml", lint=False)
    assert first.text is not None and first.text == second.text
    assert first.content_digest == second.content_digest


def test_formatting_and_comments_do_not_change_the_template() -> None:
    data = yaml.safe_load(PROD)
    reformatted = yaml.safe_dump(data, sort_keys=True, default_flow_style=True)
    a = compile_text(PROD, "a.yaml", lint=False)
    b = compile_text(reformatted, "b.yaml", lint=False)
    assert a.text == b.text and a.spec_digest == b.spec_digest


def test_input_is_not_mutated() -> None:
    loaded, _ = load(PROD)
    assert loaded is not None
    before = copy.deepcopy(loaded.data)
    spec = normalize(loaded.data)
    synthesize(spec, Provenance("test", "sha256:0"))
    assert loaded.data == before


@settings(max_examples=60, deadline=None)
@example(replicas=1, engine="valkey", node="cache.t4g.small", tls=True, auth="token",
         retention=7, port=6379, tags={"Build": "0e0"})  # a string YAML 1.1 leaves bare
@given(
    replicas=st.integers(0, 5),
    engine=st.sampled_from(["redis", "valkey"]),
    node=st.sampled_from(["cache.t4g.small", "cache.r7g.large", "cache.m5.xlarge"]),
    tls=st.booleans(),
    auth=st.sampled_from(["token", "none"]),
    retention=st.integers(0, 35),
    port=st.integers(1024, 65535),
    tags=st.dictionaries(st.from_regex(r"[A-Za-z][A-Za-z0-9]{0,8}", fullmatch=True),
                         st.from_regex(r"[a-z0-9]{0,8}", fullmatch=True), max_size=4),
)
def test_any_valid_spec_compiles_deterministically(
    replicas: int, engine: str, node: str, tls: bool, auth: str, retention: int,
    port: int, tags: dict[str, str],
) -> None:
    data = {
        "cachec": 1, "name": "prop", "environment": "dev", "engine": engine,
        "node_type": node, "port": port, "topology": {"replicas": replicas},
        "security": {"encryption_in_transit": tls, "auth": auth},
        "backups": {"retention_days": retention}, "tags": tags,
    }
    # JSON is YAML 1.2, as cachec reads specs: every string quoted. PyYAML
    # writes YAML 1.1 and leaves a string such as 0e0 bare, which YAML 1.2
    # (and cachec) reads as a number.
    text = json.dumps(data)
    first = compile_text(text, "p.yaml", lint=False)
    if auth == "token" and not tls:
        assert [d.kind for d in first.diagnostics if d.is_error] == ["auth-needs-tls"]
        return
    assert first.ok, first.diagnostics
    assert first.text == compile_text(text, "p.yaml", lint=False).text
    rg = yaml.safe_load(first.text)["Resources"]["ReplicationGroup"]["Properties"]
    assert rg["NumCacheClusters"] == replicas + 1
    assert rg["Port"] == port
    assert rg["MultiAZEnabled"] is (replicas >= 1)
    assert ("SnapshotWindow" in rg) is (retention > 0)


def test_same_bytes_across_processes_and_hash_seeds() -> None:
    """Set and dict iteration must never leak into the output."""
    outputs = set()
    for seed in ("0", "1", "4242"):
        run = subprocess.run(
            [sys.executable, "-m", "compiler", "compile", "--no-lint", "specs/prod.yaml"],
            capture_output=True, text=True, check=True, cwd=ROOT,
            env={**os.environ, "PYTHONHASHSEED": seed},
        )
        outputs.add(run.stdout)
    assert len(outputs) == 1
