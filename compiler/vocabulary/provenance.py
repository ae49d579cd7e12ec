"""Which spec key each part of a template came from, as the synthesizers record it.

A synthesizer says, where it sets a property, the spec path its value came
from (`synthesize/provenance.py`); the record travels with the build as data
(`pipeline.Result.sources`: plain tuples, so it pickles to `build --jobs`
workers) and cfn-lint findings and `cachec diff` changes read it to speak in
the key the user wrote. A part no spec key produces (a fixed secure default,
the provenance metadata) is recorded as `NO_SPEC_KEY`, explicitly.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

TemplatePath = tuple[str, ...]
SpecPath = tuple[str | int, ...]

# Recorded for what no spec key produces: reported against the whole spec.
NO_SPEC_KEY: Final[SpecPath] = ()


@dataclass(frozen=True)
class SpecSources:
    """Template path -> the spec path its value came from. A path not recorded
    takes the record of its longest recorded prefix (a resource recorded whole
    answers for each of its properties)."""

    entries: tuple[tuple[TemplatePath, SpecPath], ...] = ()

    @classmethod
    def of(cls, record: Mapping[TemplatePath, SpecPath]) -> SpecSources:
        return cls(tuple(record.items()))

    def to_json(self) -> list[list[list[str | int]]]:
        """`[[template path, spec path], ...]`: kept in the local store beside a
        template reused without synthesis (store/reuse.py)."""
        return [[list(template_path), list(spec_path)] for template_path, spec_path in self.entries]

    @classmethod
    def from_json(cls, value: Any) -> SpecSources:
        """What to_json wrote, else TypeError."""
        if not isinstance(value, list):
            raise TypeError("not a provenance record")
        entries = []
        for entry in value:
            if not (isinstance(entry, list) and len(entry) == 2
                    and all(isinstance(part, list) for part in entry)
                    and all(isinstance(p, str) for p in entry[0])
                    and all(isinstance(p, str | int) for p in entry[1])):
                raise TypeError("not a provenance record entry")
            entries.append((tuple(entry[0]), tuple(entry[1])))
        return cls(tuple(entries))

    def spec_path_of(self, template_path: TemplatePath) -> SpecPath | None:
        """The recorded spec path, or None when nothing recorded covers `template_path`."""
        table = self._table
        for end in range(len(template_path), 0, -1):
            found = table.get(template_path[:end])
            if found is not None:
                return found
        return None

    @functools.cached_property
    def _table(self) -> dict[TemplatePath, SpecPath]:
        return dict(self.entries)
