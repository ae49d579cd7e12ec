"""What a diagnostic kind is: its severity, its stage and its metadata.

A kind is a stable id users grep for and tests assert. Each one declares its
severity, the stage that reports it, a one-line summary, why it matters (to
AWS or to the user), what to do, and the AWS page (or a peer tool's issue)
that says so; cfn-lint's rule classes (id, description, source URL) are the
model. Each kind is defined beside the code that reports it (a rule's
module, the loader, lint, the update paths...) and listed once in
registry.KINDS, from which `docs/rules.md` is generated (`cachec schema
--format rules`). Code refers to kinds as typed constants, never as
strings: `error()` takes an `ErrorKind`, `warning()` a `WarningKind`, so a
warning reported as an error fails mypy.

Message text stays at the call site: it carries the values.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar, Generic, TypeVar


class Severity(enum.Enum):
    ERROR = "error"
    WARNING = "warning"


class Stage(enum.Enum):
    """Where in the pipeline a kind is reported (the order of docs/rules.md)."""

    LOAD = "load"
    SCHEMA = "schema"
    RULES = "rules"
    BUILD = "build"
    LINT = "lint"
    UPDATE = "update"
    IMPORT = "import"


STAGE_TITLES = {
    Stage.LOAD: "Reading the spec file (YAML)",
    Stage.SCHEMA: "Checking the spec against its JSON Schema",
    Stage.RULES: "Semantic rules (what AWS would refuse or what hurts in production)",
    Stage.BUILD: "Building and publishing templates",
    Stage.LINT: "cfn-lint on the generated template",
    Stage.UPDATE: "Update paths (`cachec diff`, `cachec build` against the last version)",
    Stage.IMPORT: "Adopting a running cache (`cachec import`)",
}


@dataclass(frozen=True)
class Kind:
    """One diagnostic kind. `source` may be empty where the rule is cachec's
    own (file handling, the schema's shape); the rationale then says why."""

    severity: ClassVar[Severity]
    id: str
    stage: Stage
    summary: str
    rationale: str
    fix: str
    source: str = ""


@dataclass(frozen=True)
class ErrorKind(Kind):
    severity: ClassVar[Severity] = Severity.ERROR


@dataclass(frozen=True)
class WarningKind(Kind):
    severity: ClassVar[Severity] = Severity.WARNING


# Pages cited by the kinds of several modules.
EC_GUIDE = "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/"
CFN_REPLICATION_GROUP = (
    "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/"
    "aws-resource-elasticache-replicationgroup.html"
)
MODIFY_REPLICATION_GROUP = (
    "https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/"
    "API_ModifyReplicationGroup.html"
)
TERRAFORM_25077 = "https://github.com/hashicorp/terraform/issues/25077"
RBAC_GUIDE = EC_GUIDE + "Clusters.RBAC.html"
STACKSETS_GUIDE = "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/"


C = TypeVar("C", bound=Callable[..., Any])


@dataclass(frozen=True)
class Rule(Generic[C]):
    """A check and the kinds it reports, as registered in an explicit tuple
    (rules.RULES, update_paths.RULES); a test holds the list to the body."""

    check: C
    kinds: tuple[Kind, ...]

    @property
    def name(self) -> str:
        """`topology.multi_az_needs_replicas`: module and function."""
        return f"{self.check.__module__.rsplit('.', 1)[-1]}.{self.check.__name__}"


def cfn_lint_kind(rule_id: str) -> str:
    """The kind a cfn-lint finding is reported under: `cfn-lint-E3001`
    (CFN_LINT_ERROR / CFN_LINT_WARNING describe the family)."""
    return f"cfn-lint-{rule_id}"
