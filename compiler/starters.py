"""`cachec init`: a commented starter spec, and the schema an editor reads.

The presets are spec files in `starter_specs/` (package data), each a
complete spec that validates as written (a test builds every one). The
spec's first line points a YAML language server at the JSON Schema:
`# yaml-language-server: $schema=./cachec-spec-v1.schema.json`, a copy of
the installed cachec's schema written beside the spec. A relative path
works in any editor and any checkout (no network, no path into a virtual
environment that moves), and the copy matches the cachec that builds the
spec; `cachec schema > <folder>/cachec-spec-v1.schema.json` refreshes it
after an upgrade. An existing file is never overwritten.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from .input.schema import schema_bytes

PRESETS = ("dev", "production", "cluster", "serverless", "iam", "stackset")
SCHEMA_FILE = "cachec-spec-v1.schema.json"
SCHEMA_LINE = f"# yaml-language-server: $schema=./{SCHEMA_FILE}\n"
DEFAULT_PATH = "cache.yaml"
DEFAULT_NAME = "my-cache"
# The schema's `name` pattern (cachec-spec-v1.schema.json).
_NAME = re.compile(r"^[a-z][a-z0-9-]{0,30}[a-z0-9]$")
_PLACEHOLDER = "__NAME__"


class InitError(Exception):
    """Nothing was written; the message says why."""


@dataclass(frozen=True)
class Written:
    spec: Path
    schema: Path
    schema_written: bool  # False: an identical copy was there already
    schema_differs: bool  # an older or newer copy is there: left as it is


def preset_text(preset: str, name: str) -> str:
    """The starter spec of a preset, named `name`, with the schema line first."""
    body = resources.files(__package__).joinpath("starter_specs", f"{preset}.yaml")
    return SCHEMA_LINE + body.read_text(encoding="utf-8").replace(_PLACEHOLDER, name)


def name_for(path: Path, given: str | None) -> str:
    """--name, else the file's stem when it is a valid name, else my-cache."""
    if given is not None:
        if not _NAME.match(given):
            raise InitError(f"--name {given!r}: 2 to 32 lower-case letters, digits and "
                            "hyphens, starting with a letter and not ending with a hyphen")
        return given
    return path.stem if _NAME.match(path.stem) else DEFAULT_NAME


def _create(path: Path, data: bytes) -> None:
    """Write a new file; never replace one (O_EXCL: not even one created meanwhile)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    with os.fdopen(fd, "wb") as out:
        out.write(data)


def init(path: Path, preset: str, name: str | None = None) -> Written:
    if path.exists() or path.is_symlink():
        raise InitError(f"{path} exists: cachec init never overwrites a file; "
                        "choose another path")
    if not path.parent.is_dir():
        raise InitError(f"{path.parent} is not a folder: create it first")
    text = preset_text(preset, name_for(path, name))
    schema = path.parent / SCHEMA_FILE
    wanted = schema_bytes()
    try:
        _create(path, text.encode("utf-8"))
    except FileExistsError as exc:
        raise InitError(f"{path} exists: cachec init never overwrites a file") from exc
    if not schema.exists():
        _create(schema, wanted)
        return Written(path, schema, schema_written=True, schema_differs=False)
    differs = not schema.is_file() or schema.read_bytes() != wanted
    return Written(path, schema, schema_written=False, schema_differs=differs)
