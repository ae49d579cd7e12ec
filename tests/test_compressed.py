"""A compiled spec's output is held compressed; every use sees the same text and bytes."""

from compiler.api import compile_text
from compiler.compressed import Compressed


def test_text_comes_back_whole_and_size_counts_utf8_bytes() -> None:
    text = "Description: Cache für Bestellungen — 注文\n" * 50
    held = Compressed.of(text)
    assert held.text() == text
    assert held.raw() == text.encode()
    assert held.size == len(text.encode()) > len(text)
    assert len(held.data) < held.size


def test_the_inline_limit_counts_bytes_not_characters() -> None:
    """CloudFormation's 51,200-byte limit is on bytes: 10 tags of 200 'é' make
    a template of ~39,000 characters but ~59,000 bytes."""
    tags = "".join(f"  Tag{i}: {'é' * 200}\n" for i in range(10))
    result = compile_text(f"cachec: 1\nname: orders\nenvironment: dev\ntags:\n{tags}", "s.yaml",
                          lint=False)
    assert result.text is not None and result.body is not None
    assert len(result.text) < 51_200 < result.body.size == len(result.text.encode())
    assert [d.kind for d in result.diagnostics] == ["template-needs-s3"]
