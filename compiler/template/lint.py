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

from .. import kinds, local_store
from ..catalog import cfn_lint_data
from ..catalog.regions import DEFAULT_REGIONS, offered_node_types
from ..compressed import Compressed
from ..diagnostics import Diagnostic, error
from ..kinds import ErrorKind, Stage, WarningKind
from ..vocabulary.provenance import NO_SPEC_KEY, SpecSources


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


# Bumped when the cache's entry layout, or how cachec configures cfn-lint
# beyond the settings in the key (see _manual_args), changes: old entries then miss.
_CACHE_FORMAT = 2


@functools.cache
def cfn_lint_version() -> str:
    """Read from the installed distribution's metadata: importing cfn-lint costs ~0.3 s."""
    from importlib.metadata import version

    return version("cfn-lint")


def _finding(entry: Any) -> Finding:
    """A cache entry's finding, exactly of the shape put() writes (else KeyError/TypeError)."""
    if not isinstance(entry, dict) or set(entry) != _FINDING_FIELDS:
        raise TypeError("not a finding")
    path = entry["template_path"]
    if not (isinstance(entry["rule_id"], str) and isinstance(entry["message"], str)
            and type(entry["line"]) is int and type(entry["column"]) is int
            and isinstance(path, list) and all(isinstance(p, str) for p in path)):
        raise TypeError("not a finding")
    return Finding(entry["rule_id"], entry["message"], entry["line"], entry["column"],
                   tuple(path))


_FINDING_FIELDS = {f.name for f in dataclasses.fields(Finding)}


def _findings_entry(value: Any) -> list[Finding]:
    if not isinstance(value, list):
        raise TypeError("not a list of findings")
    return [_finding(entry) for entry in value]


class LintCache:
    """Findings of templates linted before, one entry per key under
    `folder`/lint (the user cache folder when None, looked up at each use).

    The key is everything a finding depends on: the template's bytes, the
    cfn-lint version (which fixes its rules and, see _import_cfn_lint, the
    resource schemas it reads) and every setting cachec passes cfn-lint
    (_manual_args: regions, checks, Parameter values). Nothing else decides
    a finding: cfn-lint reads no configuration file of the user's or the
    working folder's (_NO_CONFIG_FILE) and no schemas from the user's home.
    """

    def __init__(self, folder: str | None = None) -> None:
        self._folder = folder

    def _root(self) -> str:
        return self._folder or local_store.folder()

    @staticmethod
    def key(text: str, settings: Mapping[str, Any]) -> str:
        parts = [_CACHE_FORMAT, hashlib.sha256(text.encode()).hexdigest(), cfn_lint_version(),
                 settings]
        return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()

    def get(self, key: str) -> list[Finding] | None:
        return local_store.read(self._root(), "lint", key, _findings_entry)

    def put(self, key: str, findings: list[Finding]) -> None:
        local_store.write(self._root(), "lint", key, [dataclasses.asdict(f) for f in findings])


def _manual_args(include: list[str], regions: tuple[str, ...] | None = None,
                 values: Values | None = None) -> dict[str, Any]:
    """Every setting of a cfn-lint run, as cfn-lint's ManualArgs: the run's
    configuration is made from it and its cache key holds it."""
    args: dict[str, Any] = {"include_checks": list(include)}
    if regions is not None:
        args["regions"] = list(regions)
    if values is not None:
        args["parameters"] = [dict(values)]
    return args


# cfn-lint reads .cfnlintrc from the home and the working folder unless told
# which configuration file to read (cfnlint/config.py, ConfigFileArgs:
# _find_config, and --config-file). Such a file can ignore checks (a build
# gone green for one user would be cached green for all) and append rules:
# Python modules cfn-lint imports (a checkout from a fork would run its
# code). cachec's verdict is cfn-lint's own rules with cachec's settings, so
# every run reads the empty configuration: the null device, which is no
# regular file, so cfn-lint reads nothing (ConfigFileArgs._read_config).
_NO_CONFIG_FILE = ["--config-file", os.devnull]


def _configuration(args: Mapping[str, Any]) -> Any:
    from cfnlint.config import ConfigMixIn

    return ConfigMixIn(_NO_CONFIG_FILE, **args)


# Where cfn-lint's get_cache_dir() looks on each platform (cfnlint/helpers.py).
_CFN_LINT_CACHE_HOME = {"win32": "LOCALAPPDATA", "darwin": "HOME"}.get(sys.platform,
                                                                      "XDG_CACHE_HOME")


def _import_cfn_lint() -> None:
    """Import cfn-lint so that it reads the resource schemas it ships.

    At import, cfn-lint chooses its schemas (cfnlint/schema/manager.py,
    ProviderSchemaManager._resolve_schema_dirs): its bundled ones, or those
    `cfn-lint --update-specs` downloaded into the user's cache folder
    (~/.cache/aws/cfn-lint/schemas) when they are newer. A download would
    decide findings that the lint cache key (the cfn-lint version) does not
    name, and could be planted by whoever shares the home; and looking for
    it in a home this user cannot read (`sudo -u ci` keeping HOME=/root)
    raises PermissionError from pathlib. So, during the import only, cfn-lint's
    cache folder is one that does not exist: it takes its bundled schemas."""
    if "cfnlint.schema.manager" in sys.modules:
        return
    absent = os.path.join(cfn_lint_data.package_dir(), "data", "no-user-schemas")
    saved = os.environ.get(_CFN_LINT_CACHE_HOME)
    os.environ[_CFN_LINT_CACHE_HOME] = absent
    try:
        import cfnlint.schema.manager  # noqa: F401
    finally:
        if saved is None:
            del os.environ[_CFN_LINT_CACHE_HOME]
        else:
            os.environ[_CFN_LINT_CACHE_HOME] = saved


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
                _import_cfn_lint()
                from cfnlint.runner import Runner

                self._loaded = Runner(_configuration(_manual_args(self._include))).rules
            # cfn-lint's modules, schemas and rules (~200k objects) live as long as
            # the process: out of the collector's sight, later collections do
            # not walk them again and again (~150 ms of one cold build).
            gc.freeze()
        return self._loaded

    def _config(self, regions: tuple[str, ...], values: Values | None = None) -> Any:
        """The run configuration for `regions` (kept per region set), or with
        the Parameter values of one deployment (made each time)."""
        if values is not None:
            return _configuration(_manual_args(self._include, regions, values))
        if regions not in self._configs:
            self._configs[regions] = _configuration(_manual_args(self._include, regions))
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
        return LintCache.key(job.body.text(), _manual_args(self._include, job.regions, job.values))

    def _lint(self, job: LintJob) -> list[Finding]:
        _import_cfn_lint()
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


NODE_TYPE_NOT_IN_REGION = ErrorKind(
    "node-type-not-in-region", Stage.LINT, "The node type is not offered in a target region.",
    "cfn-lint does not check replication-group node types per region, so the deploy would "
    "be the first to say so.",
    "Choose a node type every target region offers.",
    "https://github.com/aws-cloudformation/cfn-lint/tree/main/src/cfnlint/data/schemas/"
    "extensions/aws_elasticache_cachecluster",
)


def unoffered_node_type(node_type: str, regions: tuple[str, ...]) -> list[Diagnostic]:
    """cfn-lint checks CacheNodeType per region on CacheCluster only, not on
    ReplicationGroup; its per-region data (from the AWS API) serves us too.
    Previous-generation types are left to the previous-generation warning."""
    from ..catalog import node_types

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
            NODE_TYPE_NOT_IN_REGION,
            ("node_type",),
            f"{node_type} is not offered in {', '.join(missing)}; choose a node type "
            "every target region offers",
        )
    ]


_SHARED: Linter | None = None


def shared_linter() -> Linter:
    global _SHARED
    if _SHARED is None:
        _SHARED = Linter(cache=LintCache())
    return _SHARED


CFN_LINT_ERROR = ErrorKind(
    "cfn-lint-E<rule>", Stage.LINT, "The generated template fails a cfn-lint error rule (E...).",
    "A template cfn-lint rejects is a cachec bug or a value no spec check caught; it is "
    "never published.",
    "Change the spec key the message points at; if it points at the top of the spec, report "
    "a cachec bug.",
    "https://github.com/aws-cloudformation/cfn-lint/blob/main/docs/rules.md",
)
CFN_LINT_WARNING = WarningKind(
    "cfn-lint-W<rule>", Stage.LINT,
    "The generated template triggers a cfn-lint warning rule (W...).",
    "cfn-lint warnings flag templates that deploy but are likely wrong.",
    "Change the spec key the message points at, or report a cachec bug.",
    "https://github.com/aws-cloudformation/cfn-lint/blob/main/docs/rules.md",
)


def to_diagnostics(findings: list[Finding], sources: SpecSources) -> list[Diagnostic]:
    """Lint errors fail the build; warnings are shown; informational ones are
    not. `sources`: the spec keys the synthesizers recorded when they made the
    linted template; a finding on what no record covers (a whole section, the
    template itself) is reported at the top of the spec."""
    diagnostics = []
    for f in findings:
        if not (f.is_error or f.is_warning):
            continue
        path = ".".join(f.template_path)
        where = f"{path} (template line {f.line})" if path else f"template line {f.line}"
        recorded = sources.spec_path_of(f.template_path)
        source = NO_SPEC_KEY if recorded is None else recorded
        # Honest about findings no spec key produced: they are reported at the
        # top of the spec, and the message says the problem is cachec's output.
        origin = "" if source else " (no spec key produces this part of the template)"
        family = CFN_LINT_ERROR if f.is_error else CFN_LINT_WARNING
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
