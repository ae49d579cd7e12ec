"""What a version carries, as the store takes it: data, made by the deploy stage.

The store does not know what a deployment file means: it verifies, locks,
writes and records whatever files a version hands it. `deploy/version_files`
produces them from a build's result and the store's history.

A version carries one template, its main one (`v<N>.yaml`), and may carry
more, each a *part* with a name (a global datastore's secondary regions, an
import change set's template): `v<N>.<part>.yaml`, with deployment files
`v<N>.<part>.<ext>`. The manifest records every part (publish.plan).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from ..compressed import Compressed

# A part's name sits between the version and the extension of its files
# (v3.eu-west-1.yaml, v3.import.resources-to-import.json): lower case, so
# that it never reads as DEPLOY.md, and never the first word of a file
# extension, so that a name splits one way only.
PART = re.compile(r"[a-z0-9][a-z0-9-]*")
RESERVED_PARTS = frozenset({"yaml", "json", "parameters", "update-parameters", "config",
                            "stack-policy", "stackset", "resources-to-import"})


@dataclass(frozen=True)
class TemplateFiles:
    """One template of a version and the files that deploy it."""

    file: str  # the template's file name, v<N>.yaml or v<N>.json
    body: Compressed  # the template file's bytes
    content_digest: str  # the manifest's "template_digest" (leaves the compiler out)
    # What create-stack, create-change-set and update-stack need (DEPLOY.md passes it).
    capabilities: tuple[str, ...]
    deployment: Mapping[str, Compressed]  # its deployment files: name -> bytes
    part: str = ""  # "" for the version's main template, else the part's name (PART)

    def files(self) -> dict[str, Compressed]:
        """The template first, then its deployment files, in the order written."""
        return {self.file: self.body, **self.deployment}


@dataclass(frozen=True)
class VersionFiles:
    """Everything one version of a stack carries."""

    number: int
    spec_digest: str
    templates: tuple[TemplateFiles, ...]

    def __post_init__(self) -> None:
        assert self.templates, "a version carries at least one template"
        assert self.templates[0].part == "", "the main template comes first"
        parts = [t.part for t in self.templates[1:]]
        assert len(set(parts)) == len(parts), f"parts named twice: {parts}"
        assert all(PART.fullmatch(p) and p not in RESERVED_PARTS for p in parts), parts
        for t in self.templates:
            stem = f"v{self.number}." + (f"{t.part}." if t.part else "")
            assert all(name.startswith(stem) for name in t.files()), (stem, list(t.files()))

    @property
    def template(self) -> TemplateFiles:
        """The main template: the manifest entry's "file", "template_digest"."""
        return self.templates[0]

    @property
    def parts(self) -> tuple[TemplateFiles, ...]:
        """The templates beside the main one: the manifest entry's "templates"."""
        return self.templates[1:]

    def files(self) -> dict[str, Compressed]:
        """Every file of the version, name -> bytes, each template's in turn."""
        return {name: content for t in self.templates for name, content in t.files().items()}
