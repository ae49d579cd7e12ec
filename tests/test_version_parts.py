"""A version carrying several templates (a global datastore's regions, an
import change set's template): the store records, verifies, holds and
compares every part, and reads today's one-template manifests unchanged."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from compiler.compressed import Compressed
from compiler.store import publish
from compiler.store.version import TemplateFiles, VersionFiles

STACK = "orders-prod"
OWNER = ("orders", "prod")
SPEC_DIGEST = "sha256:" + "1" * 64


def _digest(text: str) -> str:
    return publish.sha256(text.encode())


def _template(number: int, part: str = "", body: str = "Resources: {}\n",
              capabilities: tuple[str, ...] = ()) -> TemplateFiles:
    stem = f"v{number}." + (f"{part}." if part else "")
    return TemplateFiles(
        f"{stem}yaml", Compressed.of(body), _digest(body), capabilities,
        {f"{stem}parameters.json": Compressed.of("[]\n")}, part,
    )


def _version(number: int, *parts: TemplateFiles, main: str = "Resources: {}\n") -> VersionFiles:
    return VersionFiles(number, SPEC_DIGEST, (_template(number, body=main), *parts))


def _publish(out: Path, version: VersionFiles) -> publish.Store:
    with publish.Session(str(out), [STACK], write=True) as session:
        store = session.stores()[STACK]
        session.commit([publish.plan(store, OWNER, version)])
    with publish.Session(str(out), [STACK], write=False) as session:
        return session.stores()[STACK]


def _manifest(out: Path) -> dict[str, Any]:
    return dict(json.loads((out / STACK / publish.MANIFEST).read_text()))


def test_every_part_is_written_recorded_and_held(tmp_path: Path) -> None:
    region = _template(1, "eu-west-1", "Resources: {Secondary: {}}\n", ("CAPABILITY_IAM",))
    store = _publish(tmp_path, _version(1, region, _template(1, "import")))
    entry = _manifest(tmp_path)["versions"][0]
    assert entry["file"] == "v1.yaml"
    assert entry["templates"] == [
        {"part": "eu-west-1", "file": "v1.eu-west-1.yaml",
         "template_digest": _digest("Resources: {Secondary: {}}\n"),
         "capabilities": ["CAPABILITY_IAM"]},
        {"part": "import", "file": "v1.import.yaml",
         "template_digest": _digest("Resources: {}\n"), "capabilities": []},
    ]
    assert set(entry["files"]) == {
        "v1.yaml", "v1.parameters.json", "v1.eu-west-1.yaml", "v1.eu-west-1.parameters.json",
        "v1.import.yaml", "v1.import.parameters.json"}
    # A build reads the parts of the latest version back without reading the folder again.
    assert {"v1.eu-west-1.yaml", "v1.import.yaml"} <= set(store.held)
    assert publish.read_template(store, "v1.eu-west-1.yaml") == {"Resources": {"Secondary": {}}}
    assert publish.template_files(entry) == ["v1.yaml", "v1.eu-west-1.yaml", "v1.import.yaml"]


def test_a_one_template_version_records_no_parts(tmp_path: Path) -> None:
    _publish(tmp_path, _version(1))
    assert "templates" not in _manifest(tmp_path)["versions"][0]


def test_an_edited_part_is_named(tmp_path: Path) -> None:
    _publish(tmp_path, _version(1, _template(1, "eu-west-1")))
    (tmp_path / STACK / "v1.eu-west-1.yaml").write_text("Resources: {Edited: {}}\n")
    with pytest.raises(publish.PublishError) as caught, \
            publish.Session(str(tmp_path), [STACK], write=False) as session:
        session.stores()
    assert "v1.eu-west-1.yaml: published file was changed" in str(caught.value)


def test_a_version_is_unchanged_only_with_the_same_parts(tmp_path: Path) -> None:
    store = _publish(tmp_path, _version(1, _template(1, "eu-west-1")))
    main = _digest("Resources: {}\n")
    assert publish.unchanged(store, main, "yaml", {"eu-west-1": main})
    assert not publish.unchanged(store, main, "yaml")  # the part went
    assert not publish.unchanged(store, main, "yaml", {"eu-west-1": _digest("x")})
    assert not publish.unchanged(store, main, "yaml", {"eu-west-1": main, "us-west-2": main})


def test_a_rebuild_with_another_part_is_a_difference(tmp_path: Path) -> None:
    store = _publish(tmp_path, _version(1, _template(1, "eu-west-1")))
    same = _version(1, _template(1, "eu-west-1"))
    assert publish.differences(store, same) == ([], [])
    changed = _version(1, _template(1, "eu-west-1", "Resources: {Other: {}}\n"))
    problems, _ = publish.differences(store, changed)
    assert any(".templates is not what this build" in p for p in problems), problems
    assert any("v1.eu-west-1.yaml: not what" in p for p in problems), problems
    problems, _ = publish.differences(store, _version(1))
    assert any(".templates is not what this build" in p for p in problems), problems


@pytest.mark.parametrize(("edit", "expected"), [
    (lambda e: e["templates"][0].update(part="parameters"), "templates[0].part is 'parameters'"),
    (lambda e: e["templates"][0].update(part="EU"), "templates[0].part is 'EU', expected "
     "lower-case letters, digits and hyphens, not a file extension's word"),
    # a bad part does not hide the problems of the next one
    (lambda e: e["templates"].insert(0, {**e["templates"][0], "part": "EU"})
     or e["templates"][1].update(file="v1.x.yaml"), "templates[1].file is 'v1.x.yaml'"),
    (lambda e: e["templates"][0].pop("template_digest"),
     "templates[0].template_digest is missing, expected \"sha256:\" and 64 hex digits"),
    (lambda e: e["templates"].append(dict(e["templates"][0])), "'eu-west-1' is named twice"),
    (lambda e: e["templates"][0].update(file="v1.us-west-2.yaml"),
     "templates[0].file is 'v1.us-west-2.yaml', expected v1.eu-west-1.yaml"),
    (lambda e: e["templates"][0].update(template_digest="x"), "templates[0].template_digest"),
    (lambda e: e["templates"][0].update(capabilities=["ALL"]), "templates[0].capabilities is "
     "['ALL'], expected a list of CAPABILITY_IAM, CAPABILITY_NAMED_IAM, CAPABILITY_AUTO_EXPAND"),
    (lambda e: e["templates"][0].update(extra=1), "templates[0].extra is not a manifest key"),
    (lambda e: e.update(templates=[]), "templates is [], expected a list of objects"),
    (lambda e: e["files"].pop("v1.eu-west-1.yaml"), "does not list the template "
     "v1.eu-west-1.yaml"),
    (lambda e: e["files"].update({"v1.us-west-2.yaml": e["files"]["v1.yaml"]}),
     "['v1.us-west-2.yaml'] is not a file of version 1"),
])
def test_a_malformed_part_is_a_clear_error(tmp_path: Path, edit: Any, expected: str) -> None:
    _publish(tmp_path, _version(1, _template(1, "eu-west-1")))
    manifest = _manifest(tmp_path)
    edit(manifest["versions"][0])
    (tmp_path / STACK / publish.MANIFEST).write_text(json.dumps(manifest))
    with pytest.raises(publish.PublishError) as caught, \
            publish.Session(str(tmp_path), [STACK], write=False) as session:
        session.stores()
    assert expected in str(caught.value)


@pytest.mark.parametrize("part", ["", "stackset", "provenance", "Import", "-x", "a.b"])
def test_a_part_needs_a_name_that_splits_one_way(part: str) -> None:
    bad = TemplateFiles(f"v1.{part}.yaml", Compressed.of("{}"), _digest("{}"), (), {}, part)
    with pytest.raises(AssertionError):
        VersionFiles(1, SPEC_DIGEST, (_template(1), bad))


def test_a_part_files_carry_its_name() -> None:
    stray = TemplateFiles("v1.eu-west-1.yaml", Compressed.of("{}"), _digest("{}"), (),
                          {"v1.parameters.json": Compressed.of("[]")}, "eu-west-1")
    with pytest.raises(AssertionError):
        VersionFiles(1, SPEC_DIGEST, (_template(1), stray))


def test_reuse_never_vouches_for_a_version_with_parts(tmp_path: Path) -> None:
    """Reuse renders a main template only; a version with parts compiles again."""
    from compiler.store import reuse
    text = "Resources: {}\n"
    alone = _publish(tmp_path / "alone", _version(1))
    assert reuse.vouched(alone, SPEC_DIGEST, text, _digest(text))
    with_part = _publish(tmp_path / "parts", _version(1, _template(1, "eu-west-1")))
    assert not reuse.vouched(with_part, SPEC_DIGEST, text, _digest(text))
