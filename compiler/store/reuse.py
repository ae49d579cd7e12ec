"""Unchanged specs are not synthesized again: their published template is reused.

The local store records, per (spec digest, output format, fingerprint of the
compiler's code and of the libraries that shape its output), what that spec
compiled to: the rendered file's SHA-256, the template as JSON (parsing the
YAML back costs more than synthesizing it) and the synthesizers' record of
which spec key each part came from. Compiling an unchanged spec renders the
recorded template again (a few milliseconds, no troposphere) and keeps it
only when the text has the recorded SHA-256; compiling reads no version
store. The build then reads each version store once, under its lock, and
keeps a reuse only where the store vouches for it (`vouched`): the latest
version is this spec's, published by this compiler ("cachec 0.3.0" names a
release, not the code: the fingerprint says the code) in this format, with
this file's SHA-256 and this template digest. Where it does not (a manifest
changed meanwhile, another compiler's version, a format-1 manifest that
records no hashes), the spec is compiled again without reuse, under the
lock. So the local store only ever saves time: a reused template is one the
store already publishes. Otherwise the spec is synthesized as usual and the
result recorded for the next build.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import COMPILER, local_store
from ..template.lint import cfn_lint_version
from ..template.render import content_digest, render
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
class Remembered:
    """The templates this compiler made before, in the local store,
    consulted before synthesizing."""

    fmt: str

    def _key(self, spec_digest: str) -> str:
        parts = [_FORMAT, spec_digest, self.fmt, code_fingerprint()]
        return hashlib.sha256(json.dumps(parts).encode()).hexdigest()

    def reuse(self, spec_digest: str) -> Reused | None:
        """What this spec rendered to before, rendered again from the record;
        the build keeps it only where the version store vouches for it."""
        entry = local_store.read(local_store.folder(), _SECTION, self._key(spec_digest), _entry)
        if entry is None:
            return None
        text = render(entry.content, self.fmt)
        if publish.sha256(text.encode()) != entry.sha256:
            return None
        return Reused(text, entry.content, content_digest(entry.content), entry.sources)

    def remember(
        self, spec_digest: str, text: str, template: dict[str, Any], sources: SpecSources
    ) -> None:
        entry = {"template": publish.sha256(text.encode()), "content": template,
                 "sources": sources.to_json()}
        local_store.write(local_store.folder(), _SECTION, self._key(spec_digest), entry)


def vouched(store: publish.Store, spec_digest: str, text: str, digest: str) -> bool:
    """The store, as read under the build's lock, publishes this template as
    its latest version: for this spec, by this compiler, in this format."""
    latest = store.latest
    if store.legacy or latest is None:
        return False  # a format-1 manifest records no hashes to match
    return bool(
        latest["spec_digest"] == spec_digest
        and latest["compiler"] == COMPILER
        # The same bytes as the latest template file: the same format too.
        and latest["files"].get(latest["file"]) == publish.sha256(text.encode())
        and latest["template_digest"] == digest
        # Reuse remembers a main template only: a version with parts (other
        # regions, an import template) is compiled again.
        and "templates" not in latest
    )


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
