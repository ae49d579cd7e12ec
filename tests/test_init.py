"""`cachec init`: every preset is a spec that validates and builds as written,
an existing file is never overwritten, and the schema line resolves."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
import yaml

from compiler import cli, starters
from compiler.input.schema import schema_bytes


def test_the_cli_offers_the_presets_there_are() -> None:
    assert cli.PRESETS == starters.PRESETS
    assert cli.DEFAULT_INIT_PATH == starters.DEFAULT_PATH
    shipped = Path(starters.__file__).parent / "starter_specs"
    assert sorted(p.stem for p in shipped.glob("*.yaml")) == sorted(starters.PRESETS)


@pytest.mark.parametrize("preset", starters.PRESETS)
def test_every_preset_validates_and_builds(
    preset: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    assert cli.main(["init", "--preset", preset, "orders.yaml"]) == 0
    assert capsys.readouterr().out.startswith(f"wrote orders.yaml (preset {preset})\n")
    assert cli.main(["validate", "orders.yaml"]) == 0
    assert capsys.readouterr().err.count("error:") == 0
    # Built and linted by cfn-lint in every region the spec targets.
    assert cli.main(["build", "--jobs", "1", "orders.yaml"]) == 0, capsys.readouterr().err
    assert list((tmp_path / "templates").glob("orders-*/v1.yaml"))


@pytest.mark.parametrize("preset", starters.PRESETS)
def test_the_schema_line_resolves_to_the_schema(preset: str, tmp_path: Path) -> None:
    """The first line names a file that a YAML language server resolves
    against the spec's folder; it is the installed schema, and the starter
    passes it (what the editor shows)."""
    spec = tmp_path / "specs" / "orders.yaml"
    spec.parent.mkdir()
    written = starters.init(spec, preset)
    first = spec.read_text(encoding="utf-8").splitlines()[0]
    match = re.fullmatch(r"# yaml-language-server: \$schema=(\S+)", first)
    assert match, first
    target = (spec.parent / match[1]).resolve()
    assert target == written.schema.resolve() and written.schema_written
    assert target.read_bytes() == schema_bytes()
    schema = json.loads(target.read_text(encoding="utf-8"))
    jsonschema.Draft7Validator(schema).validate(yaml.safe_load(spec.read_text("utf-8")))


def test_an_existing_spec_is_never_overwritten(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = tmp_path / "cache.yaml"
    spec.write_text("mine\n", encoding="utf-8")
    assert cli.main(["init", str(spec)]) == 1
    assert spec.read_text(encoding="utf-8") == "mine\n"
    assert capsys.readouterr().err == (
        f"cachec init: error: {spec} exists: cachec init never overwrites a file; "
        "choose another path\n"
    )
    assert not (tmp_path / starters.SCHEMA_FILE).exists()


def test_an_existing_schema_copy_is_kept_and_a_stale_one_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    schema = tmp_path / starters.SCHEMA_FILE
    schema.write_text("{}\n", encoding="utf-8")
    assert cli.main(["init", str(tmp_path / "a.yaml")]) == 0
    assert schema.read_text(encoding="utf-8") == "{}\n"
    assert f"refresh it with: cachec schema > {schema}" in capsys.readouterr().err
    schema.write_bytes(schema_bytes())
    assert cli.main(["init", str(tmp_path / "b.yaml")]) == 0
    captured = capsys.readouterr()
    assert captured.err == "" and "wrote" not in captured.out.splitlines()[1]


def test_the_name_comes_from_the_file_or_the_option(tmp_path: Path) -> None:
    starters.init(tmp_path / "sessions.yaml", "dev")
    assert "\nname: sessions " in (tmp_path / "sessions.yaml").read_text(encoding="utf-8")
    starters.init(tmp_path / "Not_A_Name.yaml", "dev")
    assert "\nname: my-cache " in (tmp_path / "Not_A_Name.yaml").read_text(encoding="utf-8")
    starters.init(tmp_path / "x.yaml", "dev", "carts")
    assert "\nname: carts " in (tmp_path / "x.yaml").read_text(encoding="utf-8")
    with pytest.raises(starters.InitError):
        starters.init(tmp_path / "y.yaml", "dev", "Bad_Name")
    assert not (tmp_path / "y.yaml").exists()
