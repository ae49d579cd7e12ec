"""What a version carries, as the store takes it: data, made by the deploy stage.

The store does not know what a deployment file means: it verifies, locks,
writes and records whatever files a version hands it. `deploy/version_files`
produces them from a build's result and the store's history.

A version carries one template today. A global datastore (one template per
region) or an import change set would carry several, each with its own
deployment files: `templates` is a tuple so that they can, though the
manifest (format 2) records the first template's file, digest and
capabilities only, and a manifest entry lists the files of `v<N>.<ext>`
names: a second template needs the manifest to learn it first.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ..compressed import Compressed


@dataclass(frozen=True)
class TemplateFiles:
    """One template of a version and the files that deploy it."""

    file: str  # the template's file name, v<N>.yaml or v<N>.json
    body: Compressed  # the template file's bytes
    content_digest: str  # the manifest's "template_digest" (leaves the compiler out)
    # What create-stack, create-change-set and update-stack need (DEPLOY.md passes it).
    capabilities: tuple[str, ...]
    deployment: Mapping[str, Compressed]  # its deployment files: name -> bytes
    # "": the version's main template; else the part's name ("import", a region):
    # its file is v<N>.<part>.<ext>, and so are its deployment files.
    part: str = ""

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

    @property
    def template(self) -> TemplateFiles:
        """The template the manifest entry records ("file", "template_digest")."""
        return self.templates[0]

    def files(self) -> dict[str, Compressed]:
        """Every file of the version, name -> bytes, each template's in turn."""
        return {name: content for t in self.templates for name, content in t.files().items()}
