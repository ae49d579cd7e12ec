"""Stage 6: cfn-lint, in process.

cfn-lint costs ~0.4 s to import and load its rules, so it is imported
lazily (`cachec compile --no-lint`-style paths never pay for it) and one
Runner per region set is shared for the whole process: building many specs
loads the rules once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from . import kinds
from .catalog import cfn_lint_data
from .diagnostics import Diagnostic, error
from .sources import spec_path_of

DEFAULT_REGIONS: tuple[str, ...] = ("us-east-1",)

@dataclass(frozen=True)
class Finding:
    rule_id: str
    message: str
    line: int
    column: int
    template_path: tuple[str, ...]

    @property
    def is_error(self) -> bool:
        return self.rule_id.startswith("E")

    @property
    def is_warning(self) -> bool:
        return self.rule_id.startswith("W")


class Linter:
    """cfn-lint Runners, created on first use and reused for every template.

    `informational` adds cfn-lint's I-rules (e.g. I3011, stateful resources
    without explicit DeletionPolicy); builds leave them out, the suite does not.
    """

    def __init__(self, *, informational: bool = False) -> None:
        self._runners: dict[tuple[str, ...], Any] = {}
        self._include = ["I"] if informational else []

    def _runner(self, regions: tuple[str, ...]) -> Any:
        if regions not in self._runners:
            from cfnlint.config import ConfigMixIn
            from cfnlint.runner import Runner

            self._runners[regions] = Runner(
                ConfigMixIn(regions=list(regions), include_checks=self._include)
            )
        return self._runners[regions]

    def lint(self, text: str, regions: tuple[str, ...] = DEFAULT_REGIONS) -> list[Finding]:
        from cfnlint.decode.decode import decode_str

        template, matches = decode_str(text)
        if not matches and template is not None:
            matches = list(self._runner(regions).validate_template(template))
        return _findings(matches)

    def lint_values(
        self, text: str, regions: tuple[str, ...], values: dict[str, str | list[str]]
    ) -> list[Finding]:
        """The template deployed with concrete Parameter values (a StackSet
        region's): cfn-lint checks each value against its Parameter's type,
        AllowedValues and AllowedPattern (E2900) and resolves Refs to it.
        The region set's loaded rules serve; only the configuration is new."""
        from cfnlint.config import ConfigMixIn
        from cfnlint.decode.decode import decode_str
        from cfnlint.runner.template.runner import run_template_by_data

        template, matches = decode_str(text)
        if not matches and template is not None:
            config = ConfigMixIn(
                regions=list(regions), include_checks=self._include, parameters=[values]
            )
            matches = list(run_template_by_data(template, config, self._runner(regions).rules))
        return _findings(matches)


def _findings(matches: Any) -> list[Finding]:
    findings = [
        Finding(
            rule_id=m.rule.id,
            message=m.message,
            line=m.linenumber,
            column=m.columnnumber,
            template_path=tuple(str(p) for p in (getattr(m, "path", None) or ())),
        )
        for m in matches
    ]
    return sorted(findings, key=lambda f: (f.line, f.column, f.rule_id, f.message))


def unoffered_node_type(node_type: str, regions: tuple[str, ...]) -> list[Diagnostic]:
    """cfn-lint checks CacheNodeType per region on CacheCluster only, not on
    ReplicationGroup; its per-region data (from the AWS API) serves us too.
    Previous-generation types are left to the previous-generation warning."""
    from .catalog import node_types

    node = node_types.lookup(node_type)
    if node is None or not node.current_generation:
        return []
    data = offered_node_types()
    missing = [
        r for r in regions if isinstance(data.get(r), dict) and node_type not in data[r]["enum"]
    ]
    if not missing:
        return []
    return [
        error(
            kinds.NODE_TYPE_NOT_IN_REGION,
            ("node_type",),
            f"{node_type} is not offered in {', '.join(missing)}; choose a node type "
            "every target region offers",
        )
    ]


_NODE_TYPE_ENUM = "schemas/extensions/aws_elasticache_cachecluster/cachenodetype_enum.json"


def offered_node_types() -> dict[str, Any]:
    """cfn-lint's per-region node-type data (read once per process, without
    importing cfn-lint)."""
    data: dict[str, Any] = cfn_lint_data.read(_NODE_TYPE_ENUM)
    return data


_SHARED: Linter | None = None


def shared_linter() -> Linter:
    global _SHARED
    if _SHARED is None:
        _SHARED = Linter()
    return _SHARED




def to_diagnostics(findings: list[Finding]) -> list[Diagnostic]:
    """Lint errors fail the build; warnings are shown; informational ones are not."""
    diagnostics = []
    for f in findings:
        if not (f.is_error or f.is_warning):
            continue
        path = ".".join(f.template_path)
        where = f"{path} (template line {f.line})" if path else f"template line {f.line}"
        source = spec_path_of(f.template_path)
        # Honest about findings no spec key produced: they are reported at the
        # top of the spec, and the message says the problem is cachec's output.
        origin = "" if source else " (no spec key produces this part of the template)"
        family = kinds.CFN_LINT_ERROR if f.is_error else kinds.CFN_LINT_WARNING
        diagnostics.append(
            Diagnostic(
                kind=kinds.cfn_lint_kind(f.rule_id),
                severity=family.severity,
                path=source,
                message=f"generated template fails cfn-lint {f.rule_id} at {where}{origin}: "
                f"{f.message}",
            )
        )
    return diagnostics
