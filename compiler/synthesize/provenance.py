"""Recording, where a synthesizer sets a value, the spec path it came from.

Synthesizers add resources through `add_resource` and name, beside the
properties they set, the spec key each came from; the record
(`vocabulary/provenance.SpecSources`) leaves synthesis with the template and
is what lint findings and diff changes are reported against.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

from troposphere import AWSObject, Parameter, Template

from ..vocabulary.provenance import NO_SPEC_KEY, SpecPath, SpecSources, TemplatePath

__all__ = [
    "NO_SPEC_KEY", "SourcedTemplate", "SpecPath", "add_parameter", "add_resource", "came_from",
]

R = TypeVar("R", bound=AWSObject)


class SourcedTemplate(Template):  # type: ignore[misc]  # troposphere is untyped
    """A troposphere Template that keeps where each recorded part came from."""

    def __init__(self) -> None:
        super().__init__()
        self._sources: dict[TemplatePath, SpecPath] = {}

    def record(self, template_path: TemplatePath, spec_path: SpecPath) -> None:
        self._sources[template_path] = spec_path

    def spec_sources(self) -> SpecSources:
        return SpecSources.of(self._sources)


def came_from(template: Template, spec_path: SpecPath, *template_path: str) -> None:
    """`template_path` (and what lies under it) came from `spec_path`."""
    assert isinstance(template, SourcedTemplate), "synthesize() builds a SourcedTemplate"
    template.record(template_path, spec_path)


def add_resource(
    template: Template,
    resource: R,
    whole: SpecPath,
    sources: Mapping[str, SpecPath] | None = None,
) -> R:
    """Add `resource`, which exists because of `whole` (NO_SPEC_KEY: of no
    one key); `sources` names, for the properties and attributes whose value
    comes from another key, that key (a name the resource does not set this
    time is passed over: one table serves every variant of the resource)."""
    logical_id = resource.title
    came_from(template, whole, "Resources", logical_id)
    for key, spec_path in (sources or {}).items():
        if key in resource.properties:
            came_from(template, spec_path, "Resources", logical_id, "Properties", key)
        elif key in resource.resource:
            came_from(template, spec_path, "Resources", logical_id, key)
    template.add_resource(resource)
    return resource


def add_parameter(template: Template, parameter: Parameter, spec_path: SpecPath) -> Parameter:
    """Add `parameter`, which holds (or exists for) the value of `spec_path`."""
    came_from(template, spec_path, "Parameters", parameter.title)
    template.add_parameter(parameter)
    return parameter
