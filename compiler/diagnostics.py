"""Diagnostics as data.

Every stage reports problems as `Diagnostic` values carrying the *spec path*
they are about. Line and column are looked up once, at the end, from the
loader's marks (`locate`), so stages never deal with text positions.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .kinds import ErrorKind, WarningKind

PathPart = str | int
Path = tuple[PathPart, ...]

_PLAIN_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*\Z")
# Characters no spec string may hold: C0 controls (tab and line breaks
# included), DEL, C1 controls, and the Unicode line and paragraph separators.
# Published into a template they break names and descriptions; printed in a
# diagnostic they could drive the user's terminal.
# Characters no spec value may hold: C0/C1 controls, line and paragraph
# separators, invisible formatting characters that make text read other than
# it is (zero-width spaces and joiners, bidirectional overrides such as U+202E:
# "Trojan Source", CVE-2021-42574, a byte-order mark inside text), and lone
# surrogates, which are no characters at all and cannot be written as UTF-8.
CONTROL_CHARACTER = re.compile(
    "[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ud800-\udfff]"
)


class Severity(enum.Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Mark:
    """Where a node sits in the spec text (1-based line and column)."""

    line: int
    column: int


@dataclass(frozen=True)
class Marks:
    """Positions of every key and value of a loaded document, by spec path."""

    values: Mapping[Path, Mark]
    keys: Mapping[Path, Mark]

    def find(self, path: Path, *, on_key: bool = False) -> Mark:
        """The mark of `path`, or of its nearest ancestor that exists.

        A missing key (e.g. a required one) is reported where its parent
        mapping starts, which is where the user has to add it.
        """
        table = self.keys if on_key else self.values
        if path in table:
            return table[path]
        for end in range(len(path), -1, -1):
            prefix = path[:end]
            if prefix in self.values:
                return self.values[prefix]
        return Mark(1, 1)


NO_MARKS = Marks(values={}, keys={})


@dataclass(frozen=True)
class Diagnostic:
    """One problem found in a spec or a template.

    kind:     stable id of a registered kind (compiler/kinds.py), e.g.
              ``multi-az-needs-replicas``; tests assert it.
    path:     spec path the problem is about, ``()`` for the whole document.
    on_key:   point at the key itself rather than its value (unknown keys).
    mark:     an explicit position, for problems found before paths exist
              (YAML syntax errors).
    """

    kind: str
    severity: Severity
    path: Path
    message: str
    on_key: bool = False
    mark: Mark | None = None

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR


def error(
    kind: ErrorKind, path: Path, message: str, *, on_key: bool = False, mark: Mark | None = None
) -> Diagnostic:
    """A diagnostic of a registered error kind (the type keeps warnings out)."""
    return Diagnostic(kind.id, kind.severity, path, message, on_key=on_key, mark=mark)


def warning(kind: WarningKind, path: Path, message: str, *, on_key: bool = False) -> Diagnostic:
    return Diagnostic(kind.id, kind.severity, path, message, on_key=on_key)


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """` (did you mean 'x'?)` for the closest choice, or nothing."""
    import difflib  # only for a spec with errors: not on every run's import path

    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    return any(d.is_error for d in diagnostics)


def format_path(path: Path) -> str:
    """`topology.replicas`, `network.subnet_ids[1]`, `tags["a.b"]`; `$` for the root."""
    if not path:
        return "$"
    out: list[str] = []
    for part in path:
        if isinstance(part, int):
            out.append(f"[{part}]")
        elif _PLAIN_KEY.match(part):
            out.append(f".{part}" if out else part)
        else:
            escaped = CONTROL_CHARACTER.sub(
                _escape, part.replace("\\", "\\\\").replace('"', '\\"')
            )
            out.append(f'["{escaped}"]')
    return "".join(out)


def _escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def format_diagnostic(diagnostic: Diagnostic, filename: str, marks: Marks) -> str:
    """`FILE:LINE:COL: error: path: message [kind]` — the contract's format."""
    mark = diagnostic.mark or marks.find(diagnostic.path, on_key=diagnostic.on_key)
    return (
        f"{filename}:{mark.line}:{mark.column}: {diagnostic.severity.value}: "
        f"{format_path(diagnostic.path)}: {diagnostic.message} [{diagnostic.kind}]"
    )


def sort_key(diagnostic: Diagnostic, marks: Marks) -> tuple[int, int, bool, str, str]:
    """Report in text order, so the output reads top to bottom like the file;
    at one spot, errors before warnings."""
    mark = diagnostic.mark or marks.find(diagnostic.path, on_key=diagnostic.on_key)
    return (mark.line, mark.column, not diagnostic.is_error, diagnostic.kind, diagnostic.message)
