"""The lint stage: findings become located diagnostics; cfn-lint loads lazily, once."""

from __future__ import annotations

import subprocess
import sys

from compiler.diagnostics import Severity
from compiler.lint import (
    Finding,
    Linter,
    to_diagnostics,
    unoffered_node_type,
)
from compiler.sources import spec_path_of

BROKEN = """\
AWSTemplateFormatVersion: '2010-09-09'
Resources:
  ReplicationGroup:
    Type: AWS::ElastiCache::ReplicationGroup
    Properties:
      ReplicationGroupDescription: x
      Port: not-a-port
"""


def test_lint_errors_name_the_template_path_and_the_spec_key(linter: Linter) -> None:
    findings = linter.lint(BROKEN)
    errors = [f for f in findings if f.is_error]
    assert errors, findings
    port = next(f for f in errors if f.template_path[-1:] == ("Port",))
    (diagnostic,) = [d for d in to_diagnostics([port])]
    assert diagnostic.severity is Severity.ERROR
    assert diagnostic.path == ("port",)
    assert diagnostic.kind == f"cfn-lint-{port.rule_id}"
    assert "Resources.ReplicationGroup.Properties.Port (template line 7)" in diagnostic.message


def test_unknown_template_paths_fall_back_to_the_root() -> None:
    assert spec_path_of(("Resources", "Dashboard", "Properties")) == ()
    assert spec_path_of(
        ("Resources", "ParameterGroup", "Properties", "Properties", "timeout")
    ) == ("redis_parameters",)


def test_informational_findings_are_dropped() -> None:
    info = Finding("I3011", "x", 1, 1, ())
    assert to_diagnostics([info]) == []


def test_compiling_without_lint_never_imports_cfn_lint() -> None:
    code = (
        "import sys\n"
        "from compiler.api import compile_file\n"
        "r = compile_file('specs/prod.yaml', lint=False)\n"
        "assert r.ok, r.diagnostics\n"
        "assert not [m for m in sys.modules if m.startswith('cfnlint')], 'cfnlint imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=__file__.rsplit("/tests/", 1)[0])


def test_one_runner_serves_many_templates() -> None:
    linter = Linter()
    linter.lint(BROKEN)
    first = linter._runners[("us-east-1",)]
    linter.lint(BROKEN)
    assert linter._runners == {("us-east-1",): first}


def test_node_type_offered_per_region() -> None:
    assert unoffered_node_type("cache.r7g.large", ("us-east-1", "eu-west-1")) == []
    # r6gd (data tiering) is offered in few regions; af-south-1 is not one of them.
    (missing,) = unoffered_node_type("cache.r6gd.xlarge", ("us-east-1", "af-south-1"))
    assert missing.kind == "node-type-not-in-region" and missing.path == ("node_type",)
    assert "af-south-1" in missing.message and "us-east-1" not in missing.message
    # Previous generations get their own warning, not this error.
    assert unoffered_node_type("cache.m3.medium", ("us-east-1",)) == []
