"""`cachec explain KIND`: one diagnostic kind, told from the registry.

What a kind is (why it exists, the fix, the AWS source) is the registry's
(kinds.py, registry.KINDS): the text `cachec explain` prints is the one
docs/rules.md shows. The example is a spec cachec refuses with that kind:
the smallest case of the bad-spec corpus (tests/bad_specs/) that reports
it, copied into `explain-examples.json` beside this module, which a test
keeps equal to the corpus (`pytest tests/test_explain.py --update-golden`
rewrites it). Kinds no spec text alone triggers (a missing file, a dead
worker, an update between two versions, a warning) have no example there;
their explanation says where the pair of specs that shows one lives.
"""

from __future__ import annotations

import difflib
import json
import re
import textwrap
from functools import cache
from importlib import resources

from .kinds import STAGE_TITLES, Kind, Stage
from .registry import KINDS, RULES

EXAMPLES_FILE = "explain-examples.json"

# `cfn-lint-E3001`: a family kind, told by the family's entry.
_CFN_LINT_FINDING = re.compile(r"^cfn-lint-(?P<letter>[EW])\d+$")

# Where a kind without a spec example is shown, by stage.
_SHOWN_IN = {
    Stage.UPDATE: "`cachec diff` between two versions of a spec (docs/rules.md lists the "
    "update paths; each is a before/after pair in the repository's tests/diffs/)",
    Stage.LINT: "`cachec build` and `cachec compile`, which run cfn-lint on the template",
    Stage.BUILD: "`cachec build`, on the files and folders it reads and writes",
    Stage.LOAD: "any command that reads the spec file",
}


class UnknownKind(Exception):
    """No kind has this id; `suggestions` are the closest ids."""

    def __init__(self, name: str, suggestions: list[str]) -> None:
        super().__init__(name)
        self.name = name
        self.suggestions = suggestions


def kind_ids() -> list[str]:
    return [k.id for k in KINDS]


def find(name: str) -> Kind:
    """The kind with this id (case-insensitive; a cfn-lint rule id names its family)."""
    wanted = name.strip().lower()
    finding = _CFN_LINT_FINDING.match(name.strip())
    if finding:
        wanted = f"cfn-lint-{finding['letter'].lower()}<rule>"
    for kind in KINDS:
        if kind.id.lower() == wanted:
            return kind
    raise UnknownKind(name, difflib.get_close_matches(wanted, kind_ids(), n=3, cutoff=0.6))


@cache
def examples() -> dict[str, str]:
    """kind id -> the text of a spec cachec refuses with it."""
    text = resources.files(__package__).joinpath(EXAMPLES_FILE).read_text(encoding="utf-8")
    found: dict[str, str] = json.loads(text)
    return found


def _reporters(kind: Kind) -> list[str]:
    return [rule.name for rule in RULES if kind in rule.kinds]


def _wrapped(label: str, text: str) -> list[str]:
    return textwrap.wrap(text, width=88, initial_indent=f"{label:<9}",
                         subsequent_indent=" " * 9, break_on_hyphens=False,
                         break_long_words=False)


def explain(kind: Kind) -> str:
    """The text `cachec explain` prints for a kind."""
    lines = [f"{kind.id} ({kind.severity.value}; {STAGE_TITLES[kind.stage]})", ""]
    lines += [*textwrap.wrap(kind.summary, width=88), ""]
    lines += _wrapped("Why:", kind.rationale)
    lines += _wrapped("Fix:", kind.fix)
    if kind.source:
        lines.append(f"{'Source:':<9}{kind.source}")
    reporters = _reporters(kind)
    if reporters:
        lines.append(f"{'Rule:':<9}{', '.join(reporters)}")
    lines.append("")
    example = examples().get(kind.id)
    if example is not None:
        lines.append(f"Example: a spec cachec refuses with {kind.id} "
                     f"(`cachec validate` prints the line and column):")
        lines.append("")
        lines += ["    " + line if line else "" for line in example.splitlines()]
    else:
        where = _SHOWN_IN.get(kind.stage, "`cachec validate` or `cachec build`")
        lines += _wrapped("Seen in:", f"{where}.")
    return "\n".join(lines) + "\n"
