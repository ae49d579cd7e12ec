"""The load stage's file handling: what is not a regular file is refused, never waited on."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from compiler.input.load import load, read_text

ROOT = Path(__file__).parent.parent


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_fifo_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    fifo = tmp_path / "spec.yaml"
    os.mkfifo(fifo)
    # In a child process with a timeout: reading a FIFO with no writer blocks
    # forever, and a test that hangs is worse than one that fails.
    done = subprocess.run(
        [sys.executable, "-m", "compiler", "validate", str(fifo)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert done.stderr == (
        f"{fifo}:1:1: error: $: the spec path is a named pipe (FIFO); give the path of a "
        "spec file (.yaml) [not-a-regular-file]\n"
    )


@pytest.mark.parametrize(
    ("path", "what"), [(os.devnull, "a character device"), (".", "a directory")]
)
def test_devices_and_directories_are_refused(path: str, what: str) -> None:
    text, (diagnostic,) = read_text(path)
    assert text is None
    assert diagnostic.kind == "not-a-regular-file"
    assert what in diagnostic.message


def test_regular_file_is_read(tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text("cachec: 1\n", encoding="utf-8")
    assert read_text(str(spec)) == ("cachec: 1\n", [])


@pytest.mark.parametrize("word", ["yes", "Yes", "YES", "no", "No", "on", "On", "OFF", "y", "n"])
def test_yaml_1_1_booleans_are_text_as_in_yaml_1_2(word: str) -> None:
    """Editors and check-jsonschema read specs as YAML 1.2, where only true and
    false are booleans: `description: on` is the text "on" there, and here."""
    loaded, diagnostics = load(f"description: {word}\nflag: {word.upper()}\n")
    assert diagnostics == []
    assert loaded is not None
    assert loaded.data == {"description": word, "flag": word.upper()}


@pytest.mark.parametrize("word", ["true", "True", "TRUE", "false", "False", "FALSE"])
def test_yaml_1_2_booleans_stay_booleans(word: str) -> None:
    loaded, _ = load(f"flag: {word}\n")
    assert loaded is not None
    assert loaded.data == {"flag": word.lower() == "true"}


def test_the_global_safe_loader_still_reads_yaml_1_1() -> None:
    """Our resolver table is a subclass's own: nothing registered on SafeLoader."""
    import yaml

    load("flag: yes\n")
    assert yaml.safe_load("flag: yes") == {"flag": True}


@pytest.mark.parametrize(("text", "value"), [("1e3", 1000.0), ("1.5E-3", 0.0015), ("2.", 2.0)])
def test_yaml_1_2_floats_need_no_sign_in_the_exponent(text: str, value: float) -> None:
    loaded, diagnostics = load(f"x: {text}\n")
    assert diagnostics == [] and loaded is not None
    assert loaded.data == {"x": value}


def test_a_float_out_of_range_is_called_a_number_out_of_range() -> None:
    _, (diagnostic,) = load("x: 1.0e400\n")
    assert diagnostic.kind == "non-finite-number"
    assert diagnostic.message == (
        "'1.0e400' is a number out of range (larger than any float); write an ordinary number"
    )
