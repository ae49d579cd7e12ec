"""Unchanged specs are not synthesized again: their published template is reused.

A spec whose digest, compiler and output format match its store's latest
version compiles to that version's template. The manifest's "compiler" names
a release, not the code (an edited checkout still says "cachec 0.1.0"), so
the user cache also records, per (spec digest, format, fingerprint of the
compiler's code and of the libraries that shape its output), what that spec
compiled to: the rendered file's SHA-256 and the template as JSON (parsing
the YAML back costs more than synthesizing it) and the synthesizers' record of
which spec key each part came from. The published file is
reused only when that SHA-256 is the one the manifest records for the latest
version (read_latest checks the file against it: reuse reads the manifest
and that one file; the build reads and verifies the whole store once, under
its lock) and the cached template's content digest is the one it records.
A format-1 manifest records no hashes: nothing is reused until a build has
recorded them. Otherwise the spec is synthesized as
usual and the result recorded for the next build.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import COMPILER, local_store
from ..template.lint import cfn_lint_version
from ..template.render import content_digest
from ..vocabulary.names import METADATA_KEY
from ..vocabulary.provenance import SpecSources
from . import publish

_FORMAT = 2  # bumped when an entry's layout changes


@functools.cache
def code_fingerprint() -> str:
    """Every file of the compiler package and the versions of what it builds with."""
    from importlib.metadata import version  # ~10 ms: only builds look it up

    package = Path(__file__).parent.parent  # compiler/, not only the store
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*")):
        if path.suffix in (".py", ".json") and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(package)).encode() + b"\0")
            digest.update(path.read_bytes() + b"\0")
    # troposphere and PyYAML shape the rendered bytes; cfn-lint's data feeds the catalog.
    for name in ("troposphere", "PyYAML", "awacs"):
        digest.update(f"{name}={version(name)}\0".encode())
    digest.update(f"cfn-lint={cfn_lint_version()}".encode())
    return digest.hexdigest()


@dataclass(frozen=True)
class Reused:
    text: str
    template: dict[str, Any]
    content_digest: str
    sources: SpecSources


@dataclass(frozen=True)
class Published:
    """The version stores under `out`, consulted before synthesizing."""

    out: str
    fmt: str

    def _key(self, spec_digest: str) -> str:
        parts = [_FORMAT, spec_digest, self.fmt, code_fingerprint()]
        return hashlib.sha256(json.dumps(parts).encode()).hexdigest()

    def reuse(self, stack: str, spec_digest: str) -> Reused | None:
        """The latest published template, when this spec rendered to it before."""
        entry = local_store.read(local_store.folder(), _SECTION, self._key(spec_digest), _entry)
        if entry is None:
            return None
        # Only the manifest and the latest template: the build reads and
        # verifies the whole store once, under its lock.
        try:
            found = publish.read_latest(os.path.join(self.out, stack), stack)
        except publish.PublishError:
            return None  # the build reports it, under the store's lock
        if found is None:
            return None
        latest, text = found
        if (
            latest["spec_digest"] != spec_digest
            or latest["compiler"] != COMPILER
            or not latest["file"].endswith(f".{self.fmt}")
            or latest["files"][latest["file"]] != entry.sha256
        ):
            return None
        if content_digest(entry.content) != latest["template_digest"]:
            return None
        return Reused(text, entry.content, latest["template_digest"], entry.sources)

    def remember(
        self, spec_digest: str, text: str, template: dict[str, Any], sources: SpecSources
    ) -> None:
        entry = {"template": publish.sha256(text.encode()), "content": template,
                 "sources": sources.to_json()}
        local_store.write(local_store.folder(), _SECTION, self._key(spec_digest), entry)


_SECTION = "templates"
_SHA256 = re.compile(r"sha256:[0-9a-f]{64}")  # publish.sha256()


@dataclass(frozen=True)
class _Entry:
    sha256: str  # of the rendered template file
    content: dict[str, Any]  # the template, as JSON
    sources: SpecSources


def _entry(value: Any) -> _Entry:
    """A cache entry exactly of the shape remember() writes (else TypeError)."""
    if not (isinstance(value, dict) and set(value) == {"template", "content", "sources"}
            and isinstance(value["template"], str) and _SHA256.fullmatch(value["template"])
            and isinstance(value["content"], dict)):
        raise TypeError("not a reuse entry")
    # What content_digest() reads of it, so that it only ever answers "no match".
    metadata = value["content"].get("Metadata", {})
    if not (isinstance(metadata, dict) and isinstance(metadata.get(METADATA_KEY, {}), dict)):
        raise TypeError("not a template's Metadata")
    return _Entry(value["template"], value["content"], SpecSources.from_json(value["sources"]))
