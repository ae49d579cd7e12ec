"""Stage 7: versioned files and the manifest. The only module that writes.

Layout: DIR/<name>-<environment>/v<N>.<yaml|json>, v<N>.parameters.json,
v<N>.config.json and versions.json. A published version is never
overwritten (files are linked into place, which fails if the name exists);
the manifest is replaced atomically, last, so a crash never leaves a
manifest naming a file that is not there.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from dataclasses import dataclass
from typing import Any

from .api import COMPILER, Result
from .synthesize.tags import tag_pairs

MANIFEST = "versions.json"
_VERSION_FILE = re.compile(r"^v(\d+)\.")


@dataclass(frozen=True)
class Plan:
    """What publishing one result would do. `files` is empty when up to date."""

    folder: str
    version: int
    files: dict[str, str]  # file name -> content
    manifest: dict[str, Any]

    @property
    def up_to_date(self) -> bool:
        return not self.files


class PublishError(Exception):
    """The output folder cannot be read or written; the message says why."""


def _read_manifest(folder: str, stack: str) -> dict[str, Any]:
    path = os.path.join(folder, MANIFEST)
    try:
        with open(path, encoding="utf-8") as handle:
            manifest: Any = json.load(handle)
    except FileNotFoundError:
        return {"stack": stack, "versions": []}
    except (OSError, ValueError) as exc:
        raise PublishError(f"{path}: cannot read manifest: {exc}") from exc
    versions = manifest.get("versions") if isinstance(manifest, dict) else None
    if not isinstance(versions, list) or not all(
        isinstance(v, dict) and type(v.get("version")) is int for v in versions
    ):
        raise PublishError(f"{path}: not a cachec manifest (edited by hand?)")
    return dict(manifest)


def _highest_file_version(folder: str) -> int:
    try:
        names = os.listdir(folder)
    except FileNotFoundError:
        return 0
    found = [int(m.group(1)) for n in names if (m := _VERSION_FILE.match(n))]
    return max(found, default=0)


def deployment_files(result: Result, version: int) -> dict[str, str]:
    """Parameter files for `aws cloudformation deploy/create-stack` and CodePipeline."""
    assert result.template is not None and result.spec is not None
    defaults = {
        name: str(param["Default"])
        for name, param in result.template.get("Parameters", {}).items()
        if "Default" in param
    }
    parameters = [{"ParameterKey": k, "ParameterValue": v} for k, v in defaults.items()]
    config = {"Parameters": defaults, "Tags": tag_pairs(result.spec)}
    return {
        f"v{version}.parameters.json": json.dumps(parameters, indent=2) + "\n",
        f"v{version}.config.json": json.dumps(config, indent=2) + "\n",
    }


def plan(result: Result, out_dir: str, fmt: str) -> Plan:
    assert result.spec is not None and result.text is not None
    folder = os.path.join(out_dir, result.spec.stack_name)
    manifest = _read_manifest(folder, result.spec.stack_name)
    versions = manifest["versions"]
    latest = versions[-1] if versions else None
    if (
        latest is not None
        and latest.get("template_digest") == result.content_digest
        and str(latest.get("file", "")).endswith(f".{fmt}")
    ):
        return Plan(folder, int(latest["version"]), {}, manifest)

    number = max([v["version"] for v in versions] + [_highest_file_version(folder)]) + 1
    template_file = f"v{number}.{fmt}"
    files = {template_file: result.text, **deployment_files(result, number)}
    entry = {
        "version": number,
        "file": template_file,
        "spec_digest": result.spec_digest,
        "template_digest": result.content_digest,
        "compiler": COMPILER,
    }
    new_manifest = {**manifest, "stack": result.spec.stack_name, "versions": [*versions, entry]}
    return Plan(folder, number, files, new_manifest)


def _write_temp(folder: str, content: str) -> str:
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".cachec-", suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(content)
        handle.flush()
        os.fsync(handle.fileno())
    return tmp


def execute(plan: Plan) -> list[str]:
    """Write a plan's files; returns the paths written."""
    if plan.up_to_date:
        return []
    written = []
    try:
        os.makedirs(plan.folder, exist_ok=True)
        for name, content in plan.files.items():
            final = os.path.join(plan.folder, name)
            tmp = _write_temp(plan.folder, content)
            try:
                os.link(tmp, final)  # fails if `final` exists: never overwrite
            finally:
                os.unlink(tmp)
            written.append(final)
        manifest_text = json.dumps(plan.manifest, indent=2) + "\n"
        tmp = _write_temp(plan.folder, manifest_text)
        os.replace(tmp, os.path.join(plan.folder, MANIFEST))
    except FileExistsError as exc:
        raise PublishError(f"{exc.filename}: already published; refusing to overwrite") from exc
    except OSError as exc:
        raise PublishError(f"{exc.filename or plan.folder}: cannot write: {exc.strerror}") from exc
    return written
