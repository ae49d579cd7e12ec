"""The bad-input corpus: every spec in tests/bad_specs/ must be refused precisely.

Each `<case>.yaml` starts with comment lines

    # expect: <kind> <path> <line>:<col>     (one per expected error)
    # why: what the user did wrong            (optional)

and `build` must print exactly those errors (no more), exit 1, write nothing
and never show a traceback. The `<case>.stderr` beside it pins the whole stderr
text, warnings and wording included, with `{file}` standing for the spec's
path: a message is what the user reads, so changing one is a reviewed diff.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from compiler.cli import main

CORPUS = Path(__file__).parent / "bad_specs"
_EXPECT = re.compile(r"^# expect: (?P<kind>\S+) (?P<path>\S.*) (?P<line>\d+):(?P<col>\d+)$")


@dataclass(frozen=True)
class Expectation:
    kind: str
    path: str
    line: int
    col: int

    def matches(self, printed: str, filename: str) -> bool:
        prefix = f"{filename}:{self.line}:{self.col}: error: {self.path}: "
        return printed.startswith(prefix) and printed.endswith(f" [{self.kind}]")


def load_expectations(spec: Path) -> list[Expectation]:
    """The `# expect:` lines of the spec's leading comment block; at least one."""
    # Bytes, decoded leniently: the invalid-UTF-8 case is a spec too.
    text = spec.read_bytes().decode("utf-8", errors="replace")
    expectations = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        if line.startswith("# expect:"):
            match = _EXPECT.match(line)
            if match is None:
                raise ValueError(f"{spec.name}: malformed expectation {line!r}")
            expectations.append(
                Expectation(match["kind"], match["path"], int(match["line"]), int(match["col"]))
            )
    if not expectations:
        raise ValueError(f"{spec.name}: no '# expect: <kind> <path> <line>:<col>' line")
    return expectations


def _cases() -> list[object]:
    # Parsing here, at collection time, makes a case without expectations
    # break the whole run instead of passing vacuously.
    return [
        pytest.param(spec, load_expectations(spec), id=spec.stem)
        for spec in sorted(CORPUS.glob("*.yaml"))
    ]


def _build(spec: Path, out: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["build", str(spec), "--out", str(out), "--no-lint"])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize(("spec", "expected"), _cases())
def test_bad_spec_is_refused(
    spec: Path,
    expected: list[Expectation],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = tmp_path / "out"
    code, stdout, stderr = _build(spec, out, capsys)

    assert code == 1, stderr
    assert "Traceback" not in stdout + stderr
    assert "internal error" not in stderr
    errors = [line for line in stderr.splitlines() if ": error: " in line]
    unmatched = list(errors)
    for expectation in expected:
        hit = next((e for e in unmatched if expectation.matches(e, str(spec))), None)
        assert hit is not None, f"not reported: {expectation}\nstderr:\n{stderr}"
        unmatched.remove(hit)
    assert len(errors) == len(expected), f"unexpected errors: {unmatched}"
    assert not out.exists(), "a refused spec must write nothing"

    pinned = spec.with_suffix(".stderr").read_text(encoding="utf-8")
    assert stderr == pinned.replace("{file}", str(spec))


def test_corpus_is_complete() -> None:
    specs = {p.stem for p in CORPUS.glob("*.yaml")}
    assert len(specs) >= 35
    pinned = {p.stem for p in CORPUS.glob("*.stderr")}
    assert pinned == specs, (f"specs without a .stderr: {sorted(specs - pinned)}; "
                             f".stderr files without a spec: {sorted(pinned - specs)}")


def test_case_without_expectations_is_rejected(tmp_path: Path) -> None:
    spec = tmp_path / "forgot.yaml"
    spec.write_text("# why: forgot the expectation\ncachec: 2\n", encoding="utf-8")
    with pytest.raises(ValueError, match="no '# expect:"):
        load_expectations(spec)


def test_malformed_expectation_is_rejected(tmp_path: Path) -> None:
    spec = tmp_path / "typo.yaml"
    spec.write_text("# expect: unsupported-format cachec line 3\ncachec: 2\n", encoding="utf-8")
    with pytest.raises(ValueError, match="malformed expectation"):
        load_expectations(spec)


# A file with no text at all cannot carry `# expect:` comments, so it lives here.
@pytest.mark.parametrize("content", [b"", b"\n  \n\n"], ids=["zero-bytes", "blank-lines"])
def test_empty_file_is_refused(
    content: bytes, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = tmp_path / "empty.yaml"
    spec.write_bytes(content)
    out = tmp_path / "out"
    code, _, stderr = _build(spec, out, capsys)
    assert code == 1
    assert stderr.splitlines()[0] == f"{spec}:1:1: error: $: spec is empty [empty-spec]"
    assert not out.exists()
