"""`cachec explain KIND`: every kind has an explanation, examples come from
the bad-spec corpus, and an unknown kind is a usage error with close matches."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_bad_specs import load_expectations

from compiler import explain
from compiler.cli import main
from compiler.registry import KINDS

ROOT = Path(__file__).parent.parent
CORPUS = ROOT / "tests" / "bad_specs"
EXAMPLES = ROOT / "compiler" / explain.EXAMPLES_FILE


def _printable(text: str) -> bool:
    """A case a reader can copy: no control characters, tabs or BOM."""
    return all(ch == "\n" or (ch.isprintable() and ch != "\ufeff") for ch in text)


def corpus_examples() -> dict[str, str]:
    """kind -> the smallest corpus case reporting only that kind, without its
    `# expect:` lines (the `# why:` line stays: it says what is wrong)."""
    found: dict[str, str] = {}
    for case in sorted(CORPUS.glob("*.yaml")):
        try:
            text = case.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        kinds = {e.kind for e in load_expectations(case)}
        if len(kinds) != 1 or not _printable(text):
            continue
        (kind,) = kinds
        body = "".join(line for line in text.splitlines(keepends=True)
                       if not line.startswith("# expect:"))
        if kind not in found or len(body) < len(found[kind]):
            found[kind] = body
    return dict(sorted(found.items()))


def test_examples_are_the_corpus_cases(update_golden: bool) -> None:
    expected = corpus_examples()
    if update_golden:
        EXAMPLES.write_text(json.dumps(expected, indent=1, ensure_ascii=False) + "\n",
                            encoding="utf-8")
    assert json.loads(EXAMPLES.read_text(encoding="utf-8")) == expected, (
        "run pytest tests/test_explain.py --update-golden"
    )
    # Most error kinds have one; a kind no spec text triggers has none.
    assert len(expected) >= 80


@pytest.mark.parametrize("kind", [k.id for k in KINDS])
def test_every_kind_is_explained(kind: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", kind]) == 0
    out = capsys.readouterr().out
    found = explain.find(kind)
    assert out.startswith(f"{kind} ({found.severity.value}; ")
    assert "Why:" in out and "Fix:" in out
    if found.source:
        assert f"Source:  {found.source}" in out
    assert ("Example:" in out) == (kind in explain.examples())
    if kind not in explain.examples():
        assert "Seen in:" in out


def test_the_example_is_a_spec_refused_with_that_kind(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(explain.examples()["multi-az-needs-replicas"], encoding="utf-8")
    assert main(["validate", str(spec)]) == 1
    assert "[multi-az-needs-replicas]" in capsys.readouterr().err
    assert main(["explain", "multi-az-needs-replicas"]) == 0
    out = capsys.readouterr().out
    assert "    topology:\n      replicas: 0\n      multi_az: true\n" in out


def test_a_cfn_lint_rule_id_is_explained_by_its_family(
    capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["explain", "cfn-lint-E3001"]) == 0
    assert capsys.readouterr().out.startswith("cfn-lint-E<rule> (error; ")
    assert main(["explain", "cfn-lint-W1011"]) == 0
    assert capsys.readouterr().out.startswith("cfn-lint-W<rule> (warning; ")


def test_an_unknown_kind_is_a_usage_error_with_close_matches(
    capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["explain", "multi-az-needs-replica"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        "cachec explain: error: no diagnostic kind 'multi-az-needs-replica'; did you mean "
        "multi-az-needs-replicas or replication-lag-needs-replicas or "
        "multi-az-needs-failover?\n"
    )
    assert main(["explain", "zzz"]) == 2
    assert "cachec schema --format rules` lists every kind" in capsys.readouterr().err
