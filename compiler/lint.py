"""Stage 6: cfn-lint, in process.

cfn-lint costs ~0.4 s to import and load its rules, so it is imported
lazily (`cachec compile --no-lint`-style paths never pay for it) and its
rules are loaded once per process, for every template and region set. A
template linted before is not linted again: its findings come from the lint
cache, without importing cfn-lint at all.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import gc
import hashlib
import importlib.util
import json
import os
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, TypeAlias

from . import cache, kinds
from .catalog import cfn_lint_data
from .compressed import Compressed
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


Values: TypeAlias = Mapping[str, str | list[str]]


@dataclass(frozen=True)
class LintJob:
    """One lint: a template's text (`body`: the compiled Result's own
    compressed text, shared by the spec's plain and override-group lints),
    the regions it is deployed in, and (a StackSet region group's
    deployment) the concrete Parameter values; None: the Parameters' Defaults."""

    body: Compressed
    regions: tuple[str, ...] = DEFAULT_REGIONS
    values: Values | None = None

    @classmethod
    def of(cls, text: str, regions: tuple[str, ...] = DEFAULT_REGIONS,
           values: Values | None = None) -> LintJob:
        return cls(Compressed.of(text), regions, values)


# Bumped when the cache's entry layout changes: old entries then miss.
_CACHE_FORMAT = 1


@functools.cache
def cfn_lint_version() -> str:
    """Read from the installed distribution's metadata: importing cfn-lint costs ~0.3 s."""
    from importlib.metadata import version

    return version("cfn-lint")


class LintCache:
    """Findings of templates linted before, one entry per key under
    `folder`/lint (the user cache folder when None, looked up at each use).

    The key is everything a finding depends on: the template's bytes, the
    cfn-lint version, the regions and the lint settings.
    """

    def __init__(self, folder: str | None = None) -> None:
        self._folder = folder

    def _path(self, key: str) -> str:
        return os.path.join(self._folder or cache.folder(), "lint", key + ".json")

    @staticmethod
    def key(text: str, regions: tuple[str, ...], settings: tuple[str, ...]) -> str:
        parts = [_CACHE_FORMAT, hashlib.sha256(text.encode()).hexdigest(), cfn_lint_version(),
                 list(regions), list(settings)]
        return hashlib.sha256(json.dumps(parts).encode()).hexdigest()

    def get(self, key: str) -> list[Finding] | None:
        entries = cache.read(self._path(key))
        try:
            return [
                Finding(e["rule_id"], e["message"], e["line"], e["column"],
                        tuple(e["template_path"]))
                for e in entries
            ]
        except (TypeError, KeyError):
            return None

    def put(self, key: str, findings: list[Finding]) -> None:
        cache.write(self._path(key), [dataclasses.asdict(f) for f in findings])


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """No garbage collection while cfn-lint imports and loads its rules: all of
    it survives, so the ~300 collections it would trigger find nothing."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _pycosat_absent() -> None:
    """sympy, cfn-lint's solver for template Conditions, looks for the optional
    pycosat package on every satisfiability check (~130 per template, each a
    failed search of sys.path when it is not installed: ~4 % of a lint).
    When it is not installed, record that once, as Python records a module
    known to be absent (None in sys.modules): the import then fails at once."""
    if importlib.util.find_spec("pycosat") is None:
        sys.modules.setdefault("pycosat", None)  # type: ignore[arg-type]  # the documented marker


class Linter:
    """cfn-lint's rules, loaded on first use and reused for every template.

    One rule set serves every region set: cfn-lint's rules do not depend on
    the regions, only a run's configuration does (one per region set, and
    one per LintJob with Parameter values: a StackSet region group's, where
    cfn-lint checks each value against its Parameter's type, AllowedValues
    and AllowedPattern and resolves Refs to it). Loading the rules once
    instead of once per region set saves ~0.3 s and ~100 MiB per StackSet
    region set in a batch.

    `informational` adds cfn-lint's I-rules (e.g. I3011, stateful resources
    without explicit DeletionPolicy); builds leave them out, the suite does not.
    `cache`: findings of templates linted before (none: always lint).
    """

    def __init__(self, *, informational: bool = False, cache: LintCache | None = None) -> None:
        self._loaded: Any = None
        self._configs: dict[tuple[str, ...], Any] = {}
        self._include = ["I"] if informational else []
        self._cache = cache

    def _rules(self) -> Any:
        if self._loaded is None:
            _pycosat_absent()
            with _collector_paused():
                from cfnlint.config import ConfigMixIn
                from cfnlint.runner import Runner

                self._loaded = Runner(ConfigMixIn(include_checks=self._include)).rules
            # cfn-lint's modules, schemas and rules (~200k objects) live as long as
            # the process: out of the collector's sight, later collections do
            # not walk them again and again (~150 ms of one cold build).
            gc.freeze()
        return self._loaded

    def _config(self, regions: tuple[str, ...], values: Values | None = None) -> Any:
        """The run configuration for `regions` (kept per region set), or with
        the Parameter values of one deployment (made each time)."""
        from cfnlint.config import ConfigMixIn

        if values is not None:
            return ConfigMixIn(regions=list(regions), include_checks=self._include,
                               parameters=[dict(values)])
        if regions not in self._configs:
            self._configs[regions] = ConfigMixIn(regions=list(regions),
                                                 include_checks=self._include)
        return self._configs[regions]


    def lint(self, text: str, regions: tuple[str, ...] = DEFAULT_REGIONS) -> list[Finding]:
        return self.lint_job(LintJob.of(text, regions))

    def lint_job(self, job: LintJob) -> list[Finding]:
        """The job's findings: from the cache, or a run."""
        if self._cache is None:
            return self._lint(job)
        key = self._key(job)
        findings = self._cache.get(key)
        if findings is None:
            findings = self._lint(job)
            self._cache.put(key, findings)
        return findings

    def _key(self, job: LintJob) -> str:
        """The cache key: with a job's Parameter values in it, an unchanged
        StackSet spec's build --check imports no cfn-lint either."""
        settings = tuple(self._include)
        if job.values is not None:
            settings += ("values=" + json.dumps(job.values, sort_keys=True),)
        return LintCache.key(job.body.text(), job.regions, settings)

    def _lint(self, job: LintJob) -> list[Finding]:
        from cfnlint.decode.decode import decode_str
        from cfnlint.runner.template.runner import run_template_by_data

        template, matches = decode_str(job.body.text())
        if matches or template is None:
            return _findings(matches)
        # One run per region, not one run over all of them: cfn-lint resolves
        # each Fn::Sub/Fn::If value across the run's regions together, which
        # grows far faster than the region count (measured on specs/dev.yaml:
        # 1 region 0.2 s, 4 regions 1.3 s, 8 regions 10 s, all 46 over 10
        # minutes), while a run per region costs the same each. Findings
        # depend on their region only, so the union is the same findings.
        found: dict[Finding, None] = {}
        for region in job.regions:
            config = self._config((region,), job.values)
            for finding in _findings(run_template_by_data(template, config, self._rules())):
                found.setdefault(finding)
        return sorted(found, key=_finding_order)


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
    return sorted(findings, key=_finding_order)


def _finding_order(f: Finding) -> tuple[int, int, str, str]:
    return (f.line, f.column, f.rule_id, f.message)


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
        _SHARED = Linter(cache=LintCache())
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
