"""Reviewed suppressions: the spec's `accept` key.

A spec may accept a warning it has decided to live with, naming the kind and
the reason (`accept: {burstable-in-production: "dev-sized pilot"}`). An
accepted warning is still reported, marked with its reason, in every output
format, and does not fail `--strict` (checkov's `--skip-check` and
cfn-lint's `ignore_checks` hide what they skip; a reviewer should see it).
Errors are what AWS or CloudFormation refuses, or what cachec cannot build:
they are never accepted. An accepted kind that is not a warning, or that no
longer fires, is said, so the list does not outlive its reasons.

The kinds are defined beside the code that reports them on every floor up
to the build; this module knows their severity and stage from a table
generated from the registry (kind_table.json, by rules_reference.kind_table).
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable, Iterator, Sequence
from importlib import resources

from ..diagnostics import Diagnostic, did_you_mean, error, quoted, warning
from ..input.model import Spec
from ..kinds import ErrorKind, Severity, Stage, WarningKind

# cfn-lint findings are reported as `cfn-lint-<rule id>` (kinds.cfn_lint_kind):
# W rules are warnings, E rules errors, I rules never reported.
_CFN_LINT = re.compile(r"^cfn-lint-([EIW])[0-9]+$")

ACCEPT_ERROR = ErrorKind(
    "accept-error", Stage.RULES, "`accept` names an error kind.",
    "Errors are what AWS or CloudFormation would refuse, or what cachec cannot build: "
    "accepting one cannot make the cache deployable, so it is never allowed.",
    "Fix the error the kind reports, and remove the kind from accept.",
)
ACCEPT_UNKNOWN = WarningKind(
    "accept-unknown-kind", Stage.RULES, "`accept` names a kind cachec does not report.",
    "A kind misspelt, or one a newer or older cachec reports, accepts nothing: the warning "
    "it was meant for still fails --strict.",
    "Copy the kind from the warning's `[kind]`, or from docs/rules.md.",
)
ACCEPT_UNUSED = WarningKind(
    "accept-unused", Stage.RULES, "`accept` names a warning that did not fire.",
    "An acceptance whose warning no longer fires would silently accept it again the day it "
    "comes back, with a reason nobody reviewed for the new case.",
    "Remove the kind from accept.",
)


KIND_TABLE_FILE = "kind_table.json"


@functools.cache
def kind_table() -> dict[str, tuple[Severity, Stage]]:
    """Every registered kind's severity and stage, by id."""
    text = resources.files(__package__).joinpath(KIND_TABLE_FILE).read_text(encoding="utf-8")
    return {kind: (Severity(severity), Stage(stage))
            for kind, (severity, stage) in json.loads(text).items()}


def _severity(kind: str) -> Severity | None:
    lint = _CFN_LINT.match(kind)
    if lint:
        return Severity.WARNING if lint.group(1) == "W" else Severity.ERROR
    found = kind_table().get(kind)
    return None if found is None else found[0]


def _stage(kind: str) -> Stage:
    return Stage.LINT if _CFN_LINT.match(kind) else kind_table()[kind][1]


def accepted_kinds_exist(spec: Spec) -> Iterator[Diagnostic]:
    """Every accepted kind is a warning cachec reports."""
    for kind, _ in spec.accept:
        path = ("accept", kind)
        severity = _severity(kind)
        if severity is Severity.ERROR:
            yield error(ACCEPT_ERROR, path, f"{quoted(kind)} is an error: errors can never be "
                        "accepted; fix what it reports and remove it from accept", on_key=True)
        elif severity is None:
            warnings = [k for k, (s, _) in kind_table().items() if s is Severity.WARNING]
            yield warning(ACCEPT_UNKNOWN, path, f"cachec reports no kind {quoted(kind)}"
                          f"{did_you_mean(kind, warnings)}: it accepts nothing", on_key=True)


def accepting(diagnostics: Iterable[Diagnostic], spec: Spec | None) -> list[Diagnostic]:
    """The warnings of a kind the spec accepts, marked with its reason."""
    reasons = dict(spec.accept) if spec is not None else {}
    return [
        d if d.is_error or d.kind not in reasons or d.accepted is not None
        else Diagnostic(d.kind, d.severity, d.path, d.message, d.on_key, d.mark, reasons[d.kind])
        for d in diagnostics
    ]


def unused(
    spec: Spec, diagnostics: Sequence[Diagnostic], stages: Iterable[Stage]
) -> list[Diagnostic]:
    """Accepted warnings of these stages (the ones that ran to the end) that
    did not fire."""
    ran = frozenset(stages)
    fired = {d.kind for d in diagnostics}
    return [
        warning(ACCEPT_UNUSED, ("accept", kind), f"{quoted(kind)} did not fire: remove it "
                "from accept, so it is reviewed again if it comes back", on_key=True)
        for kind, _ in spec.accept
        if _severity(kind) is Severity.WARNING and _stage(kind) in ran and kind not in fired
    ]
