"""Diagnostics as data.

Every stage reports problems as `Diagnostic` values carrying the *spec path*
they are about. Line and column are looked up once, at the end, from the
loader's marks (`locate`), so stages never deal with text positions.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .kinds import ErrorKind, Severity, WarningKind

PathPart = str | int
Path = tuple[PathPart, ...]

_PLAIN_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*\Z")
# Characters no spec value or key may hold. Published into a template they
# break names and descriptions, or make text read other than it is; printed
# in a diagnostic they could drive the user's terminal:
# - controls (Cc: C0, DEL, C1; tab and line breaks included), the line and
#   paragraph separators (Zl, Zp), lone surrogates (Cs: no characters at all,
#   not writable as UTF-8);
# - every format character (Cf): zero-width spaces and joiners, bidirectional
#   overrides ("Trojan Source", CVE-2021-42574), soft hyphen, Arabic letter
#   mark, tag characters U+E0000-E007F, musical formatting U+1D173-1D17A ...
#   taken from unicodedata, so a new Unicode version's additions are refused
#   too;
# - the rest of Unicode's Default_Ignorable_Code_Point set, which renderers
#   draw as nothing (DerivedCoreProperties.txt,
#   https://www.unicode.org/Public/UCD/latest/ucd/DerivedCoreProperties.txt):
#   combining grapheme joiner, Hangul fillers (a tag key `Team\u3164` looks
#   like `Team`), Khmer inherent vowels, variation selectors;
# - U+2800 BRAILLE PATTERN BLANK: not default-ignorable, but drawn as an
#   empty cell in every font and used for the same trick (names that look
#   empty or identical); a cache spec holds no braille text.
_REFUSED_CATEGORIES = frozenset(("Cc", "Cf", "Cs", "Zl", "Zp"))
_INVISIBLE_RANGES = (
    (0x034F, 0x034F),  # COMBINING GRAPHEME JOINER
    (0x115F, 0x1160),  # HANGUL CHOSEONG / JUNGSEONG FILLER
    (0x17B4, 0x17B5),  # KHMER VOWEL INHERENT AQ / AA
    (0x180B, 0x180F),  # MONGOLIAN FREE VARIATION SELECTORS (U+180E is Cf)
    (0x2800, 0x2800),  # BRAILLE PATTERN BLANK (see above)
    (0x3164, 0x3164),  # HANGUL FILLER
    (0xFE00, 0xFE0F),  # VARIATION SELECTOR-1..16
    (0xFFA0, 0xFFA0),  # HALFWIDTH HANGUL FILLER
    (0xFFF0, 0xFFF8),  # unassigned, default-ignorable
    (0xE0000, 0xE0FFF),  # tags, VARIATION SELECTOR-17..256, reserved ignorables
)


def refused_character(char: str) -> bool:
    """Whether `char` may not appear in a spec key or value (see above)."""
    import unicodedata

    if unicodedata.category(char) in _REFUSED_CATEGORIES:
        return True
    code = ord(char)
    return any(low <= code <= high for low, high in _INVISIBLE_RANGES)


_ASCII_CONTROL = re.compile("[\x00-\x1f\x7f]")


def first_refused_character(text: str) -> int | None:
    """Index of the first refused character in `text`, or None. ASCII text
    (nearly every spec string) is checked by a single regex."""
    if text.isascii():
        found = _ASCII_CONTROL.search(text)
        return None if found is None else found.start()
    return next((i for i, char in enumerate(text) if refused_character(char)), None)


def _escape_refused(text: str) -> str:
    """`text` with each refused character written as `\\uXXXX` (or `\\UXXXXXXXX`)."""
    if first_refused_character(text) is None:
        return text
    return "".join(_escaped(c) if refused_character(c) else c for c in text)


def _escaped(char: str) -> str:
    code = ord(char)
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


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

    kind:     stable id of a registered kind (compiler/registry.py), e.g.
              ``multi-az-needs-replicas``; tests assert it.
    path:     spec path the problem is about, ``()`` for the whole document.
    on_key:   point at the key itself rather than its value (unknown keys).
    mark:     an explicit position, for problems found before paths exist
              (YAML syntax errors).
    accepted: the reason the spec gives for accepting this warning (its
              `accept` key), or None; an accepted warning is still reported,
              and does not fail `--strict`.
    """

    kind: str
    severity: Severity
    path: Path
    message: str
    on_key: bool = False
    mark: Mark | None = None
    accepted: str | None = None

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    @property
    def fails_strict(self) -> bool:
        """An error, or a warning the spec does not accept."""
        return self.is_error or self.accepted is None


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


_SHORT_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t", "\\": "\\\\"}


def printable(text: str) -> str:
    """`text` safe to print on one line of a terminal or a log: a file name
    holding a line break could forge a `FILE:LINE:COL: error:` line, one
    holding ESC drive the terminal. Refused characters are escaped as Python
    writes them (\\n, \\x1b, \\u202e; a byte that was not UTF-8 as \\xNN, from
    its surrogate escape); a backslash is doubled only in text that needs
    escaping, so ordinary names, Windows paths included, print unchanged."""
    if first_refused_character(text) is None:
        return text
    return "".join(_printable(c) if c == "\\" or refused_character(c) else c for c in text)


def _printable(char: str) -> str:
    code = ord(char)
    if char in _SHORT_ESCAPES:
        return _SHORT_ESCAPES[char]
    if 0xDC80 <= code <= 0xDCFF:  # os.fsdecode's escape of an undecodable byte
        return f"\\x{code - 0xDC00:02x}"
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


# Keys and values quoted in a message or path are cut to this many
# characters: a 500 KB unknown key made a 500,000-character line.
QUOTED_LIMIT = 60


def quoted(value: object) -> str:
    """`repr(value)` for a message, a long string cut with its length said:
    `'kkkk…' (500,000 characters)`."""
    if isinstance(value, str) and len(value) > QUOTED_LIMIT:
        return f"{value[:QUOTED_LIMIT]!r}… ({len(value):,} characters)"
    return repr(value)


def _cut(key: str) -> str:
    return key if len(key) <= QUOTED_LIMIT else f"{key[:QUOTED_LIMIT]}…"


def format_path(path: Path) -> str:
    """`topology.replicas`, `network.subnet_ids[1]`, `tags["a.b"]`; `$` for the root."""
    if not path:
        return "$"
    out: list[str] = []
    for part in path:
        if isinstance(part, int):
            out.append(f"[{part}]")
        elif _PLAIN_KEY.match(part) and len(part) <= QUOTED_LIMIT:
            out.append(f".{part}" if out else part)
        else:
            escaped = _escape_refused(_cut(part).replace("\\", "\\\\").replace('"', '\\"'))
            out.append(f'["{escaped}"]')
    return "".join(out)


def format_diagnostic(diagnostic: Diagnostic, filename: str, marks: Marks) -> str:
    """`FILE:LINE:COL: error: path: message [kind]` — the contract's format;
    an accepted warning ends with `(accepted: <reason>)`."""
    mark = diagnostic.mark or marks.find(diagnostic.path, on_key=diagnostic.on_key)
    accepted = "" if diagnostic.accepted is None else (
        f" (accepted: {printable(diagnostic.accepted)})"
    )
    return (
        f"{printable(filename)}:{mark.line}:{mark.column}: {diagnostic.severity.value}: "
        f"{format_path(diagnostic.path)}: {printable(diagnostic.message)} [{diagnostic.kind}]"
        f"{accepted}"
    )


def sort_key(diagnostic: Diagnostic, marks: Marks) -> tuple[int, int, bool, str, str]:
    """Report in text order, so the output reads top to bottom like the file;
    at one spot, errors before warnings."""
    mark = diagnostic.mark or marks.find(diagnostic.path, on_key=diagnostic.on_key)
    return (mark.line, mark.column, not diagnostic.is_error, diagnostic.kind, diagnostic.message)
