"""The compiler's version moves whenever its output does.

A template's provenance names the compiler (`Metadata.cachec.compiler`) and
every manifest entry records it, so two compilers that write different
templates must not share a version number. The goldens are the output: a
fingerprint of every expected file is recorded with the version that wrote
it (tests/data/output-fingerprint.json). Output that changes under the same
version fails here until the version is bumped and CHANGELOG.md says what
changed; `pytest --update-golden` then records the new pair.
"""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
from pathlib import Path

from compiler import __version__

ROOT = Path(__file__).parent.parent
RECORD = ROOT / "tests" / "data" / "output-fingerprint.json"
# Every expected output: templates and StackSet files (golden), diff reports (diffs).
OUTPUTS = ("tests/golden/*/expected.*", "tests/diffs/*/expected.*")
# What a build prints is not what it writes: a warning's wording moves no version.
PRINTED = ".warnings"


def fingerprint() -> str:
    digest = hashlib.sha256()
    files = sorted(p for pattern in OUTPUTS for p in ROOT.glob(pattern) if p.suffix != PRINTED)
    for path in files:
        digest.update(path.relative_to(ROOT).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return f"sha256:{digest.hexdigest()}"


def test_output_changes_come_with_a_new_version(update_golden: bool) -> None:
    now = {"version": __version__, "outputs": fingerprint()}
    recorded = json.loads(RECORD.read_text(encoding="utf-8"))
    if recorded["outputs"] != now["outputs"]:
        # Checked before recording: `make golden` cannot record new output
        # under the number of the old.
        assert recorded["version"] != __version__, (
            f"the goldens changed under cachec {__version__}: bump compiler.__version__, "
            "say what changed in CHANGELOG.md, then run `make golden`"
        )
    if update_golden:
        RECORD.write_text(json.dumps(now, indent=2) + "\n", encoding="utf-8")
        return
    assert recorded == now, "record the new output: `make golden` (review its diff)"


def test_the_version_has_one_source_and_a_changelog_entry() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert "version" not in project and "version" in project["dynamic"]
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    headings = re.findall(r"^## (\d+\.\d+\.\d+)\b", changelog, flags=re.MULTILINE)
    assert headings and headings[0] == __version__, (
        f"CHANGELOG.md's newest entry is {headings[:1]}, the compiler is {__version__}"
    )
