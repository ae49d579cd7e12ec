"""Stage 1: spec text -> plain data + the position of every key and value.

PyYAML's composer gives us a node graph with marks; we build the plain data
ourselves instead of using its constructor because the constructor silently
keeps the last of two duplicate keys (a classic data-loss trap), expands
aliases without bound, and forgets positions. Nothing is registered on
`yaml.SafeLoader`: a loader *instance* is used and thrown away.
"""

from __future__ import annotations

import math
import os
import re
import stat
from dataclasses import dataclass
from typing import Any

import yaml

from ..diagnostics import Diagnostic, Mark, Marks, Path, error, first_refused_character, quoted
from ..kinds import ErrorKind, Stage

# A spec is a few dozen lines. These bounds stop hostile inputs (alias
# "billion laughs", pathological nesting, huge files) long before they cost
# memory or time, and no honest spec comes near them.
MAX_BYTES = 1024 * 1024
MAX_NODES = 20_000
MAX_DEPTH = 64

# The longest number any spec key needs is a few digits (ports, thresholds).
# Python refuses to convert integers beyond 4,300 digits (ValueError, the
# CVE-2020-10735 guard) and a huge integer cannot even be printed in a message,
# so long numbers are refused before they are converted.
MAX_NUMBER_LENGTH = 100

# YAML 1.1 line breaks: PyYAML's marks count lines by these.
_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")

_TAG = "tag:yaml.org,2002:"
_SCALAR_TAGS = {f"{_TAG}{t}" for t in ("str", "int", "float", "bool", "null", "timestamp")}
_NUMBER_TAGS = {f"{_TAG}int", f"{_TAG}float"}
# What an explicitly tagged scalar (`!!int abc`) failed to be, for the message.
_TAG_MEANING = {
    f"{_TAG}int": "a whole number",
    f"{_TAG}float": "a number",
    f"{_TAG}bool": "a boolean (true or false)",
}
_CHARACTER_NAMES = {
    "\n": "a line break",
    "\r": "a carriage return",
    "\t": "a tab",
    "\u2028": "a line separator",
    "\u2029": "a paragraph separator",
}


# YAML 1.2 (the core schema editors' language servers and check-jsonschema
# read specs with, https://yaml.org/spec/1.2.2/#1032-tag-resolution) knows
# two booleans, true and false, in three spellings each. PyYAML resolves
# YAML 1.1's yes/no/on/off as booleans too: `multi_az: yes` passed here and
# failed in the editor, `description: on` failed here and passed there.
_BOOL_TAG = f"{_TAG}bool"
_YAML12_BOOL = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
# Its floats need no sign in the exponent: PyYAML's YAML 1.1 pattern read
# 1.0e400 and 1e3 as text, so a number too large for a float was "a string".
# Whole numbers (no dot, no exponent) stay with the int resolver, which
# PyYAML tries after this one.
_FLOAT_TAG = f"{_TAG}float"
_YAML12_FLOAT = re.compile(
    r"^(?:[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)(?:[eE][-+]?[0-9]+)?"
    r"|[-+]?[0-9]+[eE][-+]?[0-9]+"
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
)
_YAML12 = {_BOOL_TAG: _YAML12_BOOL, _FLOAT_TAG: _YAML12_FLOAT}


class _Yaml12Resolver(yaml.resolver.Resolver):
    """PyYAML's resolver with YAML 1.2's booleans and floats. A subclass with
    its own table: the resolvers of yaml.SafeLoader itself are left alone."""

    yaml_implicit_resolvers = {  # noqa: RUF012 (a table, as on PyYAML's Resolver)
        first: [(tag, _YAML12.get(tag, regexp)) for tag, regexp in resolvers]
        for first, resolvers in yaml.resolver.Resolver.yaml_implicit_resolvers.items()
    }


class _Yaml12Loader(yaml.SafeLoader):
    yaml_implicit_resolvers = _Yaml12Resolver.yaml_implicit_resolvers


_RESOLVER = _Yaml12Resolver()


def resolve_plain(text: str) -> str:
    """The tag `text` resolves to when written without quotes in a spec."""
    tag: str = _RESOLVER.resolve(yaml.ScalarNode, text, (True, False))  # type: ignore[no-untyped-call]
    return tag


def _character_name(char: str) -> str:
    import unicodedata

    if char in _CHARACTER_NAMES:
        return _CHARACTER_NAMES[char]
    category = unicodedata.category(char)
    if category == "Cs":
        return "a lone surrogate, which is not a character"
    if category == "Cc":
        return "the control character"
    name = unicodedata.name(char, "")
    described = f" {name}" if name else ""
    return f"the invisible character{described}"


@dataclass(frozen=True)
class Loaded:
    data: Any
    marks: Marks


class _LoadError(Exception):
    def __init__(self, kind: ErrorKind, message: str, mark: Mark, path: Path = ()) -> None:
        super().__init__(message)
        self.diagnostic = error(kind, path, message, mark=mark)


def _mark(yaml_mark: Any) -> Mark:
    if yaml_mark is None:
        return Mark(1, 1)
    return Mark(yaml_mark.line + 1, yaml_mark.column + 1)


FILE_NOT_FOUND = ErrorKind(
    "file-not-found", Stage.LOAD, "The spec file does not exist.",
    "Nothing can be built without the spec.", "Check the path.",
)
FILE_UNREADABLE = ErrorKind(
    "file-unreadable", Stage.LOAD, "The spec file cannot be read (permissions, a directory).",
    "The operating system refused to open the file.", "Fix the path or its permissions.",
)


def read_text(filename: str) -> tuple[str | None, list[Diagnostic]]:
    """Read a spec file as UTF-8. The only file I/O the compiler does besides publish."""
    at = Mark(1, 1)
    try:
        raw = _read_regular_file(filename)
    except _LoadError as exc:
        return None, [exc.diagnostic]
    except FileNotFoundError:
        return None, [_file_error(FILE_NOT_FOUND, "no such file", at)]
    except OSError as exc:
        return None, [_file_error(FILE_UNREADABLE, f"cannot read file: {exc.strerror}", at)]
    return decode(raw)


# Anything but a regular file is refused by name: reading a FIFO blocks until
# a writer comes (forever, in CI), a device never ends, a directory has no text.
_FILE_TYPES = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


def _read_regular_file(filename: str) -> bytes:
    _require_regular(os.stat(filename).st_mode)
    # O_NONBLOCK: should the path become a FIFO between stat and open, the
    # open returns at once instead of waiting for a writer, and the fstat on
    # the open descriptor refuses it. Regular files ignore the flag.
    fd = os.open(filename, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as handle:
        _require_regular(os.fstat(fd).st_mode)
        return handle.read(MAX_BYTES + 1)


NOT_A_REGULAR_FILE = ErrorKind(
    "not-a-regular-file", Stage.LOAD, "The spec path is a FIFO, device or socket.",
    "Reading one could block forever or never end; a spec is a file in a repository.",
    "Pass a regular file.",
)


def _require_regular(mode: int) -> None:
    if stat.S_ISREG(mode):
        return
    what = next((name for test, name in _FILE_TYPES if test(mode)), "not a regular file")
    raise _LoadError(
        NOT_A_REGULAR_FILE,
        f"the spec path is {what}; give the path of a spec file (.yaml)",
        Mark(1, 1),
    )


FILE_TOO_LARGE = ErrorKind(
    "file-too-large", Stage.LOAD, "The spec file is larger than any spec needs.",
    "A size cap keeps a wrong path (a log, a dump) from being parsed at length.",
    "Pass the spec file; a spec is a few kilobytes.",
)
_YAML = "https://yaml.org/spec/1.2.2/"
INVALID_UTF8 = ErrorKind(
    "invalid-utf8", Stage.LOAD, "The spec file is not UTF-8 text.",
    "YAML and CloudFormation templates are UTF-8; other encodings garble names and tags.",
    "Save the file as UTF-8.", _YAML + "#52-character-encodings",
)


def decode(raw: bytes) -> tuple[str | None, list[Diagnostic]]:
    if len(raw) > MAX_BYTES:
        message = f"spec is larger than {MAX_BYTES // 1024} KiB; a cache spec is a few dozen lines"
        return None, [_file_error(FILE_TOO_LARGE, message, Mark(1, 1))]
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        message = f"invalid UTF-8 (byte 0x{raw[exc.start]:02x}); save the spec as UTF-8"
        return None, [_file_error(INVALID_UTF8, message, Mark(line, column))]


def _file_error(kind: ErrorKind, message: str, mark: Mark) -> Diagnostic:
    return error(kind, (), message, mark=mark)


EMPTY_SPEC = ErrorKind(
    "empty-spec", Stage.LOAD, "The spec file holds no document.",
    "An empty spec is almost always a wrong path or a truncated file.", "Write the spec.",
)
ROOT_NOT_MAPPING = ErrorKind(
    "root-not-mapping", Stage.LOAD, "The document is not a mapping of keys.",
    "Every spec key lives under the top-level mapping.",
    "Start the file with `name:`, `environment:` and the other keys.",
)
YAML_SYNTAX = ErrorKind(
    "yaml-syntax", Stage.LOAD, "The text is not valid YAML.",
    "Nothing can be checked until the file parses; the message points at the likely cause.",
    "Fix the YAML at the reported line and column.", _YAML,
)
TOO_DEEP = ErrorKind(
    "too-deep", Stage.LOAD, "The document is nested deeper than any spec.",
    "Deep nesting is a sign of a wrong file and would exhaust the parser's recursion.",
    "Pass the spec file.",
)


def load(text: str) -> tuple[Loaded | None, list[Diagnostic]]:
    """Parse one YAML document into plain dicts/lists/scalars plus marks."""
    if not text.strip() or all(
        not line.strip() or line.lstrip().startswith("#") for line in text.splitlines()
    ):
        return None, [_file_error(EMPTY_SPEC, "spec is empty", Mark(1, 1))]
    try:
        loader = _Yaml12Loader(text)
    except yaml.reader.ReaderError as exc:  # control characters are refused up front
        return None, [_reader_error(text, exc)]
    try:
        node = loader.get_single_node()
        if node is None or (
            isinstance(node, yaml.ScalarNode) and node.tag == f"{_TAG}null" and not node.value
        ):  # nothing but "---"
            return None, [_file_error(EMPTY_SPEC, "spec is empty", Mark(1, 1))]
        if not isinstance(node, yaml.MappingNode):
            raise _LoadError(
                ROOT_NOT_MAPPING,
                "the spec must be a mapping of keys (cachec: 1, name: ...), "
                f"not a {_describe(node)}",
                _mark(node.start_mark),
            )
        builder = _Builder(loader)
        data = builder.build(node, (), 0)
        if builder.errors:
            return None, builder.errors
    except _LoadError as exc:
        return None, [exc.diagnostic]
    except yaml.MarkedYAMLError as exc:
        return None, [_syntax_error(text, exc)]
    except yaml.reader.ReaderError as exc:
        return None, [_reader_error(text, exc)]
    except yaml.YAMLError as exc:  # errors without a mark (e.g. reader errors)
        return None, [_file_error(YAML_SYNTAX, str(exc).strip(), Mark(1, 1))]
    except RecursionError:
        message = "spec is nested too deeply"
        return None, [_file_error(TOO_DEEP, message, Mark(1, 1))]
    finally:
        loader.dispose()
    return Loaded(data, Marks(values=builder.values, keys=builder.keys)), []


_UNCLOSED = {
    "flow sequence": "the '[' list",
    "flow mapping": "the '{' mapping",
    "quoted scalar": "the quoted string",
}


INVALID_CHARACTER = ErrorKind(
    "invalid-character", Stage.LOAD, "The file holds a character YAML does not allow.",
    "YAML restricts the printable character set; a stray byte usually means a copy-paste "
    "accident.",
    "Delete the character at the reported position.", _YAML + "#51-character-set",
)


def _reader_error(text: str, exc: yaml.reader.ReaderError) -> Diagnostic:
    # Counted with YAML's line breaks (\r, NEL, U+2028 ... too), as PyYAML's own marks are.
    before = yaml_lines(text[: exc.position])
    mark = Mark(len(before), len(before[-1]) + 1)
    char = exc.character if isinstance(exc.character, str) else chr(exc.character)
    message = f"control character U+{ord(char):04X} is not allowed in YAML text"
    return _file_error(INVALID_CHARACTER, message, mark)


def yaml_lines(text: str) -> list[str]:
    """The text's lines as PyYAML numbers them in its marks."""
    return _LINE_BREAK.split(text)


def _missing_colon(text: str, exc: yaml.MarkedYAMLError) -> Diagnostic | None:
    """`name orders` (no colon) makes PyYAML complain on the *next* line: the
    words run on into the following key. Point at the line that lacks it."""
    if exc.problem_mark is None:
        return None
    lines = yaml_lines(text)
    suspect: int | None
    if exc.context == "while scanning a simple key" and exc.context_mark is not None:
        # "could not find expected ':'": the context mark is where the key began.
        suspect = exc.context_mark.line
    elif exc.problem in _RAN_ON:
        # A plain scalar ran on into a `key:` of the same mapping: the suspect
        # is the previous content line at the same indentation.
        suspect = _previous_content_line(lines, exc.problem_mark.line)
        if suspect is None or _indent(lines[suspect]) != _indent(lines[exc.problem_mark.line]):
            return None
    else:
        return None
    line = lines[suspect]
    words = line.split("#", 1)[0].split()
    if not words or ":" in line or words[0].startswith(("-", "[", "{", "?", "'", '"')):
        return None
    before = _previous_content_line(lines, suspect)
    if before is not None and _indent(lines[before]) == _indent(line) and (
        lines[before].lstrip().startswith("-")
    ):
        return None  # a list item that lost its "- ", not a key that lost its colon
    return _file_error(
        YAML_SYNTAX,
        f"invalid YAML: missing ':' after the key {words[0]!r}? A mapping line reads "
        "`key: value`",
        Mark(suspect + 1, _indent(line) + 1),
    )


# Parser problems that mean a plain scalar swallowed the next line's key.
_RAN_ON = (
    "mapping values are not allowed here",
    "expected <block end>, but found '<block mapping start>'",
)


def _previous_content_line(lines: list[str], index: int) -> int | None:
    for before in range(index - 1, -1, -1):
        stripped = lines[before].strip()
        if stripped and not stripped.startswith("#"):
            return before
    return None


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


# YAML limits a key written without `?` to 1024 characters
# (https://yaml.org/spec/1.2.2/#rule-ns-s-implicit-yaml-key); past that PyYAML
# reports the end of the key, which for a 500 KB key is column 500,001.
MAX_IMPLICIT_KEY = 1024


def _key_too_long(exc: yaml.MarkedYAMLError) -> Diagnostic | None:
    start, end = exc.context_mark, exc.problem_mark
    if exc.context != "while scanning a simple key" or start is None or end is None:
        return None
    if end.line != start.line or end.column - start.column <= MAX_IMPLICIT_KEY:
        return None
    return _file_error(
        YAML_SYNTAX,
        f"a key of more than {MAX_IMPLICIT_KEY} characters: YAML allows no longer keys, and "
        "no spec key comes near it",
        _mark(start),
    )


SEVERAL_DOCUMENTS = ErrorKind(
    "several-documents", Stage.LOAD, "The file holds more than one YAML document (`---`).",
    "One spec describes one cache; silently taking the first document would drop the rest.",
    "Put each cache in its own spec file.", _YAML + "#92-streams",
)
YAML_TAB = ErrorKind(
    "yaml-tab", Stage.LOAD, "A tab is used for indentation.",
    "YAML forbids tabs in indentation, and editors show them at differing widths.",
    "Indent with spaces.", _YAML + "#61-indentation-spaces",
)


def _syntax_error(text: str, exc: yaml.MarkedYAMLError) -> Diagnostic:
    key_too_long = _key_too_long(exc)
    if key_too_long is not None:
        return key_too_long
    missing_colon = _missing_colon(text, exc)
    if missing_colon is not None:
        return missing_colon
    problem = exc.problem or "invalid YAML"
    mark = _mark(exc.problem_mark or exc.context_mark)
    opened = _mark(exc.context_mark) if exc.context_mark is not None else None
    at_end = "end of stream" in problem or "stream end" in problem
    unclosed = next((w for c, w in _UNCLOSED.items() if c in (exc.context or "")), None)
    if at_end and unclosed and opened is not None:
        # The parser gives up at the end of the file; the unclosed bracket or
        # quote is where the user has to look.
        return _file_error(
            YAML_SYNTAX, f"invalid YAML: {unclosed} opened here is never closed", opened
        )
    if "expected a single document" in (exc.context or "") or "but found another document" in (
        problem
    ):
        return _file_error(
            SEVERAL_DOCUMENTS,
            "a spec file holds exactly one YAML document; remove the '---' separator "
            "or split it into one file per cache",
            mark,
        )
    if "'\\t'" in problem or "\t" in problem:
        return _file_error(
            YAML_TAB,
            "tab character; YAML indents and separates values with spaces only",
            mark,
        )
    if unclosed and opened is not None:
        return _file_error(
            YAML_SYNTAX,
            f"invalid YAML: {problem}; {unclosed} opened at line {opened.line}, column "
            f"{opened.column} is still open",
            mark,
        )
    context = f"{exc.context}: " if exc.context else ""
    return _file_error(YAML_SYNTAX, f"invalid YAML: {context}{problem}", mark)


def _describe(node: yaml.Node) -> str:
    if isinstance(node, yaml.SequenceNode):
        return "list"
    if isinstance(node, yaml.ScalarNode):
        return "single value"
    return "mapping"


YAML_TAG = ErrorKind(
    "yaml-tag", Stage.LOAD, "A YAML tag such as `!Ref` or `!!python/object` is used.",
    "A spec is plain data: CloudFormation intrinsics belong in the template cachec writes, "
    "and application tags are a known attack surface of YAML loaders.",
    "Write the plain value.", _YAML + "#24-tags",
)
YAML_MERGE_KEY = ErrorKind(
    "yaml-merge-key", Stage.LOAD, "A YAML merge key (`<<`) is used.",
    "Merge keys are not part of YAML 1.2 and hide which value a key really has.",
    "Write the keys out.", "https://yaml.org/type/merge.html",
)
DUPLICATE_KEY = ErrorKind(
    "duplicate-key", Stage.LOAD, "A key appears twice in one mapping.",
    "YAML requires unique keys; most loaders silently keep the last value, so half the "
    "spec would be ignored.",
    "Keep one of the two.", _YAML + "#3211-nodes",
)
INVALID_KEY = ErrorKind(
    "invalid-key", Stage.LOAD, "A key is not text, or not a name the spec allows there.",
    "Keys become CloudFormation names, tags and parameter names, which are strings with "
    "their own character rules.",
    "Write the key as plain text in the form the message names.",
)
NON_FINITE_NUMBER = ErrorKind(
    "non-finite-number", Stage.LOAD, "A number is NaN or infinite.",
    "NaN and infinity are not JSON, so no template can carry them, and no threshold or size "
    "means them.",
    "Write an ordinary number.",
)
NUMBER_TOO_LONG = ErrorKind(
    "number-too-long", Stage.LOAD,
    "A number is written with more digits than any spec value needs.",
    "Converting huge digit strings is slow (Python limits int conversion for this reason) "
    "and no ElastiCache setting needs them.",
    "Write the intended number.",
    "https://docs.python.org/3/library/stdtypes.html#integer-string-conversion-length-limitation",
)
INVALID_SCALAR = ErrorKind(
    "invalid-scalar", Stage.LOAD, "A value does not match its explicit tag (`!!int abc`).",
    "The tag demands a type the text cannot be read as.", "Remove the tag or fix the value.",
    _YAML + "#103-core-schema",
)
CONTROL_CHARACTER = ErrorKind(
    "control-character", Stage.LOAD,
    "A key or value holds a control character, a line break or an invisible character "
    "(any Unicode format character, a filler such as U+3164, a variation selector).",
    "Published into a template it breaks names and descriptions, or makes two names that "
    "look identical (`Team` and `Team` + U+3164); printed in a diagnostic it could drive the "
    "user's terminal.",
    "Write single-line text of visible characters; for a block scalar, put the value on the "
    "key's line.",
    "https://www.unicode.org/reports/tr44/#Default_Ignorable_Code_Point",
)
TOO_MANY_NODES = ErrorKind(
    "too-many-nodes", Stage.LOAD, "The document expands to more values than any spec holds.",
    "Aliases can expand a small file into billions of values (the 'billion laughs' attack).",
    "Write the values out without aliases.",
)


class _Builder:
    """Walks the composed node graph, recording marks and enforcing limits."""

    def __init__(self, loader: _Yaml12Loader) -> None:
        self._loader = loader
        self._count = 0
        self.values: dict[Path, Mark] = {}
        self.keys: dict[Path, Mark] = {}
        # Duplicate keys do not stop the walk: every one in the file is reported.
        self.errors: list[Diagnostic] = []

    def build(self, node: yaml.Node, path: Path, depth: int) -> Any:
        self._count += 1
        if self._count > MAX_NODES:
            raise _LoadError(
                TOO_MANY_NODES,
                f"spec expands to more than {MAX_NODES} values (alias expansion?)",
                _mark(node.start_mark),
                path,
            )
        if depth > MAX_DEPTH:
            raise _LoadError(
                TOO_DEEP, "spec is nested too deeply", _mark(node.start_mark), path
            )
        # An alias is the same node object again: its first mark wins, so
        # errors point at the anchor's text, which is where the value is written.
        self.values.setdefault(path, _mark(node.start_mark))
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path, depth)
        if isinstance(node, yaml.SequenceNode):
            self._check_tag(node, f"{_TAG}seq", path)
            return [self.build(item, (*path, i), depth + 1) for i, item in enumerate(node.value)]
        assert isinstance(node, yaml.ScalarNode)
        return self._scalar(node, path)

    def _check_tag(self, node: yaml.Node, expected: str, path: Path) -> None:
        if node.tag != expected:
            raise _LoadError(
                YAML_TAG,
                f"unsupported YAML tag {node.tag!r}; specs use plain YAML values "
                "(CloudFormation intrinsics such as !Ref are generated by cachec)",
                _mark(node.start_mark),
                path,
            )

    def _mapping(self, node: yaml.MappingNode, path: Path, depth: int) -> dict[str, Any]:
        self._check_tag(node, f"{_TAG}map", path)
        result: dict[str, Any] = {}
        first_seen: dict[str, Mark] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise _LoadError(
                    INVALID_KEY,
                    "mapping keys must be plain names, not lists or mappings",
                    _mark(key_node.start_mark),
                    path,
                )
            if key_node.tag == f"{_TAG}merge":
                raise _LoadError(
                    YAML_MERGE_KEY,
                    "YAML merge keys (<<) are not supported; write the keys out",
                    _mark(key_node.start_mark),
                    path,
                )
            # The key's source text, not its YAML 1.1 reading: `on:` or `1:`
            # stay the names the user wrote instead of becoming True or 1.
            key = str(key_node.value)
            key_mark = _mark(key_node.start_mark)
            self._check_text(key, (*path, key), key_mark, on_key=True)
            if key in first_seen:
                self._refuse(
                    DUPLICATE_KEY,
                    (*path, key),
                    f"duplicate key {quoted(key)} (first defined at line "
                    f"{first_seen[key].line}); YAML would silently keep only the last one",
                    key_mark,
                )
                continue
            first_seen[key] = key_mark
            child = (*path, key)
            self.keys[child] = key_mark
            result[key] = self.build(value_node, child, depth + 1)
        return result

    def _scalar(self, node: yaml.ScalarNode, path: Path) -> Any:
        if node.tag not in _SCALAR_TAGS:
            self._check_tag(node, f"{_TAG}str", path)
        mark = _mark(node.start_mark)
        if node.tag == f"{_TAG}timestamp":
            # Dates are only ever names here (snapshot names); keep the text.
            value: Any = node.value
        else:
            value = self._construct(node, path, mark)
        if isinstance(value, float) and not math.isfinite(value):
            # NaN and infinity are not JSON, and no threshold or size means them.
            what = (
                "is not a number" if math.isnan(value)
                else "is infinite" if node.value.lstrip("+-").startswith(".")
                else "is a number out of range (larger than any float)"
            )
            self._refuse(
                NON_FINITE_NUMBER, path, f"{node.value!r} {what}; write an ordinary number",
                mark,
            )
            return None
        if isinstance(value, str):
            self._check_text(value, path, mark)
        return value

    def _construct(self, node: yaml.ScalarNode, path: Path, mark: Mark) -> Any:
        if node.tag in _NUMBER_TAGS:
            length = len(node.value)
            if length > MAX_NUMBER_LENGTH:
                message = (
                    f"a number written with {length} characters; no spec value needs "
                    f"more than {MAX_NUMBER_LENGTH}"
                )
                self._refuse(NUMBER_TOO_LONG, path, message, mark)
                return None
        if node.tag == _BOOL_TAG and not _YAML12_BOOL.match(node.value):
            # Only an explicit tag gets here (`!!bool yes`): plain yes is text.
            message = (
                f"{quoted(node.value)} is not a boolean in YAML 1.2, which editors and "
                "check-jsonschema read specs with; write true or false"
            )
            self._refuse(INVALID_SCALAR, path, message, mark)
            return None
        # The scalar constructors, called directly rather than through
        # construct_object, whose recursion guard would stay set for a node that
        # failed and turn the next alias to it into "unconstructable recursive node".
        constructor = yaml.SafeLoader.yaml_constructors[node.tag]
        try:
            return constructor(self._loader, node)
        except (ValueError, KeyError):  # an explicit tag on text it cannot read: !!int abc
            meaning = _TAG_MEANING.get(node.tag, node.tag)
            tag = node.tag.removeprefix(_TAG)
            message = f"{quoted(node.value)} is not {meaning}, as its tag !!{tag} demands"
            self._refuse(INVALID_SCALAR, path, message, mark)
            return None

    def _check_text(self, text: str, path: Path, mark: Mark, *, on_key: bool = False) -> None:
        index = first_refused_character(text)
        if index is None:
            return
        char = text[index]
        message = (
            f"contains {_character_name(char)} (U+{ord(char):04X}); spec values are "
            "single-line text without invisible characters"
        )
        if char == "\n" and index == len(text) - 1:
            message += (
                " (a block scalar, | or >, keeps its last line break: write the value on "
                "the key's line)"
            )
        self._refuse(CONTROL_CHARACTER, path, message, mark, on_key=on_key)

    def _refuse(
        self, kind: ErrorKind, path: Path, message: str, mark: Mark, *, on_key: bool = False
    ) -> None:
        self.errors.append(
            error(kind, path, message, on_key=on_key, mark=mark)
        )
