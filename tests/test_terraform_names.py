"""Specs written by people who know the Terraform modules: every input name of
cloudposse/terraform-aws-elasticache-redis and terraform-aws-modules/
terraform-aws-elasticache gets the cachec key (or the refusal) in the
unknown-key message, and docs/migrating.md is generated from the same table."""

from __future__ import annotations

from pathlib import Path

import pytest

from compiler.api import compile_text
from compiler.input import terraform_names
from compiler.input.schema import spec_schema, subschema

ROOT = Path(__file__).parent.parent

# Keys agreed for issue 19 (/work/prompts/keys19.md) that other branches add;
# until they are merged here the table may point at them.
def _declared(path: str) -> bool:
    try:
        subschema(*path.split("."))
    except KeyError:
        return False
    return True


def _section_without(name: str) -> tuple[str, ...]:
    """Where in a spec `name` is an unknown key: the top level, or a section
    that does not declare it (the top level declares `port`, `tags`, ...)."""
    for section in ((), ("backups",), ("security",)):
        node = subschema(*section) if section else spec_schema()
        if name not in node.get("properties", {}):
            return section
    raise AssertionError(f"{name} is declared everywhere")


@pytest.mark.parametrize("entry", terraform_names.BY_NAME.values(), ids=lambda e: e.name)
def test_a_terraform_name_gets_the_cachec_key(entry: terraform_names.Input) -> None:
    section = _section_without(entry.name)
    indent = "  " * len(section)
    text = "cachec: 1\nname: t1\nenvironment: dev\n"
    text += "".join(f"{'  ' * depth}{key}:\n" for depth, key in enumerate(section))
    text += f"{indent}{entry.name}: x\n"
    result = compile_text(text, "t.yaml", lint=False)
    unknown = [d for d in result.diagnostics if d.kind == "unknown-key"]
    assert [d.path for d in unknown] == [(*section, entry.name)]
    if entry.cachec is None:
        assert f"cachec does not take: {entry.note}" in unknown[0].message
    else:
        assert unknown[0].message.endswith(f"in cachec: {entry.cachec})")


@pytest.mark.parametrize("entry", terraform_names.BY_NAME.values(), ids=lambda e: e.name)
def test_the_cachec_key_exists(entry: terraform_names.Input) -> None:
    if entry.cachec is not None:
        assert _declared(entry.cachec), entry.cachec
    else:
        assert entry.note, "a refusal says why"


def test_both_modules_map_a_shared_name_alike() -> None:
    seen: dict[str, str | None] = {}
    for inputs in terraform_names.MODULES.values():
        names = [i.name for i in inputs]
        assert len(names) == len(set(names))
        for entry in inputs:
            assert seen.setdefault(entry.name, entry.cachec) == entry.cachec, entry.name


def test_the_names_the_issue_lists_are_suggested() -> None:
    """Issue 19's examples, with where each belongs."""
    expected = {
        "security_groups": "network.allowed_security_group_ids",
        "multi_az_enabled": "topology.multi_az",
        "at_rest_encryption_enabled": "security.encryption_at_rest",
        "snapshot_retention_limit": "backups.retention_days",
    }
    for name, path in expected.items():
        assert terraform_names.hint(name).endswith(f"in cachec: {path})")
    assert terraform_names.hint("no_such_input") == ""


def test_a_misspelling_still_gets_did_you_mean() -> None:
    result = compile_text("cachec: 1\nname: t1\nenvironment: dev\nnode_tpye: x\n", "t.yaml",
                          lint=False)
    assert "did you mean 'node_type'?" in result.diagnostics[0].message


def test_migrating_md_is_current() -> None:
    assert (ROOT / "docs" / "migrating.md").read_text(encoding="utf-8") == (
        terraform_names.render()
    ), "python -m compiler.input.terraform_names > docs/migrating.md"
