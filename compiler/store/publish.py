"""Stage 7: the version store. The only module that writes.

Layout of DIR/<name>-<environment>/: v<N>.<yaml|json>, v<N>.parameters.json,
v<N>.config.json, v<N>.stack-policy.json, v<N>.provenance.json (since 0.3.0),
with stack.stackset v<N>.stackset.json and v<N>.DEPLOY.md, the files of a version's parts
(v<N>.<part>.<ext>: templates beside the main one), and versions.json, the
manifest, which records the SHA-256 of every file of every version. The manifest is
the commit point: a version exists when versions.json lists it, and every
file it lists is verified before a build relies on the store. The store
makes none of the files: the deploy stage (deploy/version_files) makes a
version's files as data (version.VersionFiles) and hands them here; the store
verifies, locks, writes and records.

One writer at a time: a `Session` holds an OS lock (flock) on each stack
folder from reading its manifest to committing it. All or nothing: every
file of every stack is staged under a temporary name first (fsynced), then
linked to its final name (a link fails if the name exists: a published file
is never overwritten), then each manifest is replaced, last. A failure undoes
everything, so every folder is left as it was. A crash leaves at most
temporary files and final names that are hard links of them; the next build
removes both, and says so, and never adopts them. Manifests are replaced one
by one, so a batch's journal (a temporary file in each of its folders) lets
the next build or check say which stacks a killed batch left behind.

A store is trusted only as far as it can be rebuilt: when a spec's template
is its latest version's, differences() compares every file of that version
with what this compiler makes for it (versions.json's hashes alone pass a
file edited together with its hash).

Nothing here prints: results and notices are returned for cli.py to print.
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import json
import os
import re
import stat
import tempfile
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, NoReturn

import yaml

from .. import COMPILER
from ..catalog import update_behavior
from ..compressed import Compressed
from ..vocabulary import names
from .version import PART, RESERVED_PARTS, TemplateFiles, VersionFiles

MANIFEST = "versions.json"
MANIFEST_FORMAT = 2  # 1 (no "format" key): no file hashes, written by cachec 0.1.0
TEMP_PREFIX, TEMP_SUFFIX = ".cachec-", ".tmp"
_JOURNAL_KEY = "cachec-batch"  # a temporary file listing a batch's stacks and new versions
LOCK_WAIT = 60.0  # seconds a build waits for another build of the same stack
_POLL = 0.02
_VERSION_FILE = re.compile(r"^v(\d+)\.")
_DIGEST = re.compile(r"sha256:[0-9a-f]{64}")  # fullmatch: "$" would admit a trailing newline
_DIGEST_TEXT = '"sha256:" and 64 hex digits'
# https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_CreateStack.html
_CAPABILITIES = ("CAPABILITY_IAM", "CAPABILITY_NAMED_IAM", "CAPABILITY_AUTO_EXPAND")
# versions.json keeps what changed in each version bounded: a 500-shard
# cluster's change records ~25 KiB a version, and a manifest is read whole
# (MAX_FILE_BYTES) by every build. A version records its first
# MAX_CHANGES_RECORDED changes, worst first; only the latest
# VERSIONS_WITH_CHANGES versions keep their records, older ones a count
# ("changes_omitted": how many were left out of "changes").
MAX_CHANGES_RECORDED = 50
_CACHE_PATHS = tuple(f"Resources.{lid}." for lid in (names.REPLICATION_GROUP,
                                                     names.SERVERLESS_CACHE))
# libyaml's loader when present: a published template is ~30 KB per spec.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
VERSIONS_WITH_CHANGES = 10
_EXTENSIONS = ("yaml", "json", "parameters.json", "update-parameters.json", "config.json",
               "stack-policy.json", "stackset.json", "DEPLOY.md", "resources-to-import.json",
               "provenance.json")


_RECORD_SUFFIX = ".provenance.json"  # deploy/version_files.provenance_file

Owner = tuple[str, str]  # a spec's name and environment


class PublishError(Exception):
    """The store cannot be read, trusted or written; each line says what and why."""

    def __init__(self, problems: Sequence[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = list(problems)


# CloudFormation takes templates of at most 1 MB from S3; nothing cachec
# publishes comes near this bound on what it reads back.
MAX_FILE_BYTES = 8 * 1024 * 1024


class FileSystem:
    """Every file-system call publish makes, in one place, so that tests can
    fail (or crash at) each of them in turn."""

    def listdir(self, path: str) -> list[str]:
        return os.listdir(path)

    def lstat(self, path: str) -> os.stat_result:
        return os.lstat(path)

    def read_bytes(self, path: str) -> bytes:
        """A published file or manifest: a plain file of bounded size. Symbolic
        links, FIFOs and devices are refused before anything is read (a link to
        /dev/zero would otherwise be read until memory runs out)."""
        try:
            fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                raise OSError(errno.ELOOP, "a symbolic link, not a plain file", path) from exc
            raise
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            os.close(fd)
            # Checked before fdopen, which refuses a directory with an error
            # naming the descriptor ("5: cannot read ...") instead of the path.
            if stat.S_ISDIR(mode):
                raise OSError(errno.EISDIR, "a directory, not a file", path)
            raise OSError(errno.EINVAL, "not a plain file (a link, pipe or device?)", path)
        with os.fdopen(fd, "rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
        if len(data) > MAX_FILE_BYTES:
            raise OSError(errno.EFBIG, f"larger than {MAX_FILE_BYTES // 1024**2} MiB, more than "
                          "any file cachec publishes", path)
        return data

    def mkdir(self, path: str) -> None:
        os.mkdir(path)

    def rmdir(self, path: str) -> None:
        os.rmdir(path)

    def open_folder(self, path: str) -> int:
        return os.open(path, os.O_RDONLY | os.O_DIRECTORY)

    def try_lock(self, fd: int, exclusive: bool) -> bool:
        """False when another process holds a conflicting lock."""
        try:
            fcntl.flock(fd, (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def create_temp(self, folder: str) -> tuple[int, str]:
        return tempfile.mkstemp(dir=folder, prefix=TEMP_PREFIX, suffix=TEMP_SUFFIX)

    def write(self, fd: int, data: memoryview) -> int:
        return os.write(fd, data)

    def fchmod(self, fd: int, mode: int) -> None:
        os.fchmod(fd, mode)

    def fsync(self, fd: int) -> None:
        os.fsync(fd)

    def link(self, source: str, target: str) -> None:
        os.link(source, target)

    def replace(self, source: str, target: str) -> None:
        os.replace(source, target)

    def unlink(self, path: str) -> None:
        os.unlink(path)


fs = FileSystem()


def sha256(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def _fail(path: str, exc: OSError, doing: str) -> PublishError:
    return PublishError([f"{exc.filename or path}: cannot {doing}: {exc.strerror or exc}"])


def _json(value: Any) -> str:
    return json.dumps(value, indent=2) + "\n"


# --- the manifest --------------------------------------------------------------------


def _check_entry(entry: Any, number: int, legacy: bool) -> list[str]:
    """What is wrong with versions[number - 1]; empty when nothing is."""
    where = f"versions[{number - 1}]"
    if not isinstance(entry, dict):
        return [f"{where} is not an object"]
    if type(entry.get("version")) is not int or entry["version"] != number:
        return [f"{where}.version is {entry.get('version')!r}, expected {number}: versions "
                "are numbered 1, 2, 3... in order, without gaps"]
    digest = (lambda v: isinstance(v, str) and _DIGEST.fullmatch(v) is not None, _DIGEST_TEXT)
    checks: dict[str, tuple[Callable[[Any], bool], str]] = {
        "file": (lambda v: isinstance(v, str) and re.fullmatch(rf"v{number}\.(yaml|json)", v)
                 is not None, f"v{number}.yaml or v{number}.json"),
        "spec_digest": digest,
        "template_digest": digest,
        "compiler": (lambda v: isinstance(v, str), "a string"),
    }
    if not legacy:
        checks["files"] = (lambda v: isinstance(v, dict), "an object: file name -> SHA-256")
        checks["changes"] = (lambda v: isinstance(v, list)
                             and all(isinstance(c, dict) for c in v), "a list of objects")
        if "changes_omitted" in entry:  # only where changes were left out
            checks["changes_omitted"] = (lambda v: type(v) is int and v > 0,
                                         "a whole number of at least 1")
    # Optional: versions published before cachec recorded them have none.
    optional: dict[str, tuple[Callable[[Any], bool], str]] = {
        "capabilities": (_is_capabilities, f"a list of {', '.join(_CAPABILITIES)}"),
        # A version's templates beside its main one (a global datastore's
        # secondary regions, an import change set's template)
        "templates": (lambda v: isinstance(v, list) and len(v) > 0
                      and all(isinstance(t, dict) for t in v), "a list of objects"),
    }
    problems = [
        f"{where}.{key} is {repr(entry[key]) if key in entry else 'missing'}, expected {expected}"
        for key, (ok, expected) in checks.items() if key not in entry or not ok(entry[key])
    ]
    problems += [f"{where}.{key} is {entry[key]!r}, expected {expected}"
                 for key, (ok, expected) in optional.items()
                 if key in entry and not ok(entry[key])]
    problems += [f"{where}.{key} is not a manifest key" for key in entry
                 if key not in checks and key not in optional and key != "version"]
    if not problems and "templates" in entry:
        problems += _check_parts(entry["templates"], number, f"{where}.templates")
    if not problems and not legacy:
        templates = [entry["file"], *(t["file"] for t in entry.get("templates", ()))]
        parts = [t["part"] for t in entry.get("templates", ())]
        problems += _check_files(entry["files"], number, templates, parts, f"{where}.files")
    return problems


def _fullmatch(pattern: re.Pattern[str]) -> Callable[[Any], bool]:
    return lambda value: isinstance(value, str) and pattern.fullmatch(value) is not None


def _is_capabilities(value: Any) -> bool:
    return isinstance(value, list) and all(c in _CAPABILITIES for c in value)


def _check_parts(parts: list[dict[str, Any]], number: int, where: str) -> list[str]:
    """What is wrong with an entry's "templates": each one part's template."""
    problems, seen = [], set()
    for i, part in enumerate(parts):
        here = f"{where}[{i}]"
        name = part.get("part")
        if not (isinstance(name, str) and PART.fullmatch(name) and name not in RESERVED_PARTS):
            problems.append(f"{here}.part is {name!r}, expected lower-case letters, digits and "
                            "hyphens, not a file extension's word")
            continue
        if name in seen:
            problems.append(f"{here}.part {name!r} is named twice")
        seen.add(name)
        file = re.compile(rf"v{number}\.{re.escape(name)}\.(yaml|json)")
        checks: dict[str, tuple[Callable[[Any], bool], str]] = {
            "file": (_fullmatch(file), f"v{number}.{name}.yaml or v{number}.{name}.json"),
            "template_digest": (_fullmatch(_DIGEST), _DIGEST_TEXT),
            "capabilities": (_is_capabilities, f"a list of {', '.join(_CAPABILITIES)}"),
        }
        problems += [
            f"{here}.{key} is {repr(part[key]) if key in part else 'missing'}, expected {text}"
            for key, (ok, text) in checks.items() if key not in part or not ok(part[key])
        ]
        problems += [f"{here}.{key} is not a manifest key" for key in part
                     if key not in checks and key != "part"]
    return problems


def _check_files(files: dict[Any, Any], number: int, templates: Sequence[str],
                 parts: Sequence[str], where: str) -> list[str]:
    stems = "|".join(re.escape(f"{part}.") for part in parts)
    own = re.compile(rf"v{number}\.({stems})?({'|'.join(map(re.escape, _EXTENSIONS))})")
    problems = [f"{where} does not list the template {template}"
                for template in templates if template not in files]
    for name, digest in files.items():
        if not own.fullmatch(name):
            problems.append(f"{where}[{name!r}] is not a file of version {number}")
        elif not isinstance(digest, str) or not _DIGEST.fullmatch(digest):
            problems.append(f"{where}[{name!r}] is {digest!r}, expected {_DIGEST_TEXT}")
    return problems


def _parse_manifest(path: str, stack: str) -> tuple[list[dict[str, Any]], bool, Owner | None]:
    """The manifest's versions, whether it is format 1 (no hashes), and the
    spec's (name, environment) that owns the stack, when it records them."""
    try:
        data: Any = json.loads(fs.read_bytes(path))
    except FileNotFoundError:
        return [], False, None
    except OSError as exc:
        raise _fail(path, exc, "read the manifest") from exc
    except ValueError as exc:
        raise PublishError([f"{path}: not a cachec manifest (not JSON: {exc})"]) from exc
    except RecursionError as exc:
        raise PublishError([f"{path}: not a cachec manifest (nested too deeply)"]) from exc
    if not isinstance(data, dict) or not isinstance(data.get("versions"), list):
        _broken(path, ['no "versions" list'])
    legacy = "format" not in data
    problems = [f"{key!r} is not a manifest key" for key in data
                if key not in ("format", "stack", "owner", "versions")]
    owner = data.get("owner")
    if "owner" in data and not (
        isinstance(owner, dict) and sorted(owner) == ["environment", "name"]
        and all(isinstance(v, str) for v in owner.values())
    ):
        problems.append(f"owner is {owner!r}, expected {{\"name\": ..., \"environment\": ...}}")
    if not legacy and data["format"] != MANIFEST_FORMAT:
        problems.append(f"format {data['format']!r} is not one this cachec reads "
                        f"({MANIFEST_FORMAT})")
    if data.get("stack") != stack:
        problems.append(f"stack is {data.get('stack')!r}, but the folder is {stack}")
    for number, entry in enumerate(data["versions"], start=1):
        problems += _check_entry(entry, number, legacy)
    if problems:
        _broken(path, problems)
    return list(data["versions"]), legacy, (owner["name"], owner["environment"]) if owner else None


def _broken(path: str, problems: list[str]) -> NoReturn:
    raise PublishError(
        [f"{path}: not a valid cachec manifest (edited by hand?): {p}" for p in problems]
    )


# --- reading and verifying a store ---------------------------------------------------


@dataclass(frozen=True)
class Store:
    """One stack folder as read, verified, under the session's lock.

    The store is read once per build: reading verifies every file, and keeps
    the bytes of those a build reads back (`held`, see _read_back), so that
    the review, the owner check and the deploy stage's history read what was
    verified, not the folder again."""

    folder: str
    stack: str
    versions: tuple[dict[str, Any], ...]  # manifest entries; files hashed when legacy
    legacy: bool = False  # format-1 manifest: hashes were computed now, not recorded
    leftovers: tuple[str, ...] = ()  # names an interrupted build left; removed by recover()
    # An interrupted build's journal: every stack its batch published, with its new version
    batch: tuple[tuple[str, int], ...] = ()
    # The (name, environment) of the spec that publishes here, as versions.json records it
    recorded_owner: Owner | None = None
    # name -> bytes, as verified, of the files a build reads back (_read_back)
    held: Mapping[str, Compressed] = field(default_factory=dict, compare=False, repr=False)

    def owner(self) -> Owner | None:
        """Who publishes here: as versions.json records it, else as the latest
        version's config.json tags it (cachec:name, cachec:environment)."""
        latest = self.latest
        if self.recorded_owner is not None or latest is None:
            return self.recorded_owner
        config = f"v{latest['version']}.config.json"
        if config not in latest["files"]:
            return None
        try:
            tags = json.loads(self.read_text(config)).get("Tags", {})
        except (ValueError, AttributeError):
            return None
        if not isinstance(tags, dict):  # edited by hand: no owner (never a traceback)
            return None
        name, environment = tags.get("cachec:name"), tags.get("cachec:environment")
        if isinstance(name, str) and isinstance(environment, str):
            return name, environment
        return None

    @property
    def latest(self) -> dict[str, Any] | None:
        return self.versions[-1] if self.versions else None

    def read_text(self, name: str) -> str:
        """A published file's text, verified against the manifest: as it was
        read with the store when it holds it, else read now."""
        if name in self.held:
            return self.held[name].text()
        files = {n: h for v in self.versions for n, h in v["files"].items()}
        path = os.path.join(self.folder, name)
        try:
            data = fs.read_bytes(path)
        except OSError as exc:
            raise _fail(path, exc, "read a published file") from exc
        if sha256(data) != files[name]:
            raise PublishError([_tampered(path)])
        return data.decode("utf-8")


def _tampered(path: str) -> str:
    return (f"{path}: published file was changed (its SHA-256 is not the one versions.json "
            "records); restore it from version control: a published version is never rewritten")


def read_store(folder: str, stack: str) -> Store:
    """The manifest, validated, with every file of every version verified."""
    versions, legacy, owner = _parse_manifest(os.path.join(folder, MANIFEST), stack)
    try:
        listing = fs.listdir(folder)
    except FileNotFoundError:
        listing = []
    except OSError as exc:
        raise _fail(folder, exc, "list the stack folder") from exc
    keep, held = _read_back(versions), dict[str, Compressed]()
    problems: list[str] = []
    if legacy:  # hashed as they are: verifying them again would read them twice
        versions = [_hash_legacy(folder, entry, listing, keep, held) for entry in versions]
    else:
        problems += [p for v in versions for p in _verify(folder, v["files"], keep, held)]
    committed = {name for v in versions for name in v["files"]}
    leftovers, strays = _uncommitted(folder, listing, committed)
    problems += [
        f"{os.path.join(folder, n)}: not a version in {MANIFEST} and not left by a cachec "
        "build; move it out of the folder (cachec neither adopts nor deletes it)"
        for n in strays
    ]
    if problems:
        raise PublishError(problems)
    batch = next(filter(None, (_journal(folder, n) for n in leftovers)), ())
    return Store(folder, stack, tuple(versions), legacy, tuple(leftovers), batch, owner, held)


def _read_back(versions: Sequence[Mapping[str, Any]]) -> set[str]:
    """The files a build reads after verifying them: the templates of the
    latest two versions (the review reads the latest; build --check rebuilds
    the latest from the Parameters of the one before), the latest
    config.json (the owner, where versions.json records none) and
    provenance.json (the diff reads what the latest version alone holds by
    it), and the two newest StackSet requests (the StackSet a new version
    updates, and the one the latest version updated)."""
    if not versions:
        return set()
    latest = versions[-1]
    names = {file for entry in versions[-2:] for file in template_files(entry)}
    names.add(f"v{latest['version']}.config.json")
    if (record := f"v{latest['version']}.provenance.json") in latest.get("files", ()):
        names.add(record)
    stacksets = [name for entry in reversed(versions)
                 if (name := f"v{entry['version']}.stackset.json") in entry.get("files", ())]
    return names | set(stacksets[:2])


def _journal(folder: str, name: str) -> tuple[tuple[str, int], ...]:
    """The batch a leftover journal lists; () for any other leftover."""
    if not name.startswith(TEMP_PREFIX):
        return ()
    try:
        data: Any = json.loads(fs.read_bytes(os.path.join(folder, name)))
    except (OSError, ValueError, RecursionError):
        return ()
    batch = data.get(_JOURNAL_KEY) if isinstance(data, dict) else None
    if not isinstance(batch, list) or not all(
        isinstance(e, dict) and isinstance(e.get("stack"), str)
        and type(e.get("version")) is int for e in batch
    ):
        return ()
    return tuple((e["stack"], e["version"]) for e in batch)


def half_published(stores: Mapping[str, Store], out_dir: str) -> list[str]:
    """One line per interrupted batch some of whose stacks committed their new
    version and some did not: the stores' own journals say which."""
    lines = []
    for batch in sorted({s.batch for s in stores.values() if s.batch}):
        published = {stack: _published_count(stores, out_dir, stack) for stack, _ in batch}
        done = [f"{stack} v{version}" for stack, version in batch
                if published[stack] >= version]
        undone = [f"{stack} (at v{published[stack]}, not v{version})" for stack, version
                  in batch if published[stack] < version]
        if done and undone:
            lines.append(
                f"{out_dir}: an interrupted build left a batch half-published: "
                f"{', '.join(done)} committed; {', '.join(undone)} did not. `cachec build` "
                "of the same specs publishes the rest (and removes what it left)"
            )
    return lines


def _published_count(stores: Mapping[str, Store], out_dir: str, stack: str) -> int:
    """How many versions a stack's manifest lists (a stack outside this build:
    its manifest read as it is, without its lock: this only words a message)."""
    if stack in stores:
        return len(stores[stack].versions)
    try:
        data: Any = json.loads(fs.read_bytes(os.path.join(out_dir, stack, MANIFEST)))
        return len(data["versions"])
    except (OSError, ValueError, RecursionError, TypeError, KeyError):
        return 0


def _verify(folder: str, files: Mapping[str, str], keep: set[str],
            held: dict[str, Compressed]) -> list[str]:
    """Each file that is missing or not what the manifest records; the bytes
    of those in `keep` go in `held`."""
    problems = []
    for name, expected in files.items():
        path = os.path.join(folder, name)
        try:
            data = fs.read_bytes(path)
            actual = sha256(data)
        except FileNotFoundError:
            problems.append(f"{path}: published file is missing; restore it from version "
                            "control: a published version is never re-published")
            continue
        except OSError as exc:
            raise _fail(path, exc, "read a published file") from exc
        if actual != expected:
            problems.append(_tampered(path))
        elif name in keep:
            held[name] = Compressed.of_bytes(data)
    return problems


def _hash_legacy(folder: str, entry: dict[str, Any], listing: list[str], keep: set[str],
                 held: dict[str, Compressed]) -> dict[str, Any]:
    """A format-1 entry with the hashes of its files as they are now (see
    README); the bytes of those in `keep` go in `held`."""
    number = entry["version"]
    own = {entry["file"]} | {f"v{number}.{ext}" for ext in ("parameters.json", "config.json")}
    files = {}
    for name in sorted(own & set(listing) | {entry["file"]}):
        path = os.path.join(folder, name)
        try:
            data = fs.read_bytes(path)
        except FileNotFoundError:
            raise PublishError([f"{path}: published file is missing; restore it from "
                                "version control"]) from None
        except OSError as exc:
            raise _fail(path, exc, "read a published file") from exc
        files[name] = sha256(data)
        if name in keep:
            held[name] = Compressed.of_bytes(data)
    keys = ("version", "file", "files", "spec_digest", "template_digest", "compiler", "changes")
    upgraded = {**entry, "files": files, "changes": []}
    return {key: upgraded[key] for key in keys}


def _uncommitted(folder: str, listing: Iterable[str], committed: set[str]
                 ) -> tuple[list[str], list[str]]:
    """(leftovers of an interrupted build, version files nobody can vouch for).

    A final name is only ever created as a hard link of one of our temporary
    files, and the temporary files are removed only after the manifest
    commits (or after the final names are unlinked again). So a version file
    the manifest does not list is ours exactly when it shares its inode with
    a temporary file still there.
    """
    named = [n for n in listing if n.startswith(TEMP_PREFIX) and n.endswith(TEMP_SUFFIX)]
    # Only plain files can be ours: anything else with a temporary name (a
    # folder, a link) is a stray, refused alike by build and build --check.
    temps = sorted(n for n in named if _inode(folder, n) is not None)
    inodes = {_inode(folder, n) for n in temps}
    leftovers: list[str] = []
    strays = sorted(set(named) - set(temps))
    for name in sorted(listing):
        if not _VERSION_FILE.match(name) or name in committed:
            continue
        (leftovers if _inode(folder, name) in inodes else strays).append(name)
    return leftovers + temps, strays


def _inode(folder: str, name: str) -> tuple[int, int] | None:
    try:
        info = fs.lstat(os.path.join(folder, name))
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise _fail(os.path.join(folder, name), exc, "inspect") from exc
    return (info.st_dev, info.st_ino) if stat.S_ISREG(info.st_mode) else None


# --- planning ------------------------------------------------------------------------


@dataclass(frozen=True)
class Plan:
    """What publishing one version (or none) into its store does."""

    store: Store
    version: int  # the new version, or the latest when `files` is empty
    # file name -> content (compressed: a build plans every stack before it
    # writes any); empty when the template is unchanged
    files: dict[str, Compressed]
    manifest: dict[str, Any]  # the manifest to commit

    @property
    def folder(self) -> str:
        return self.store.folder

    @property
    def writes(self) -> bool:
        """Whether committing changes the store (a new version, or recording the
        hashes of a format-1 manifest)."""
        return bool(self.files) or self.store.legacy


def template_files(entry: Mapping[str, Any]) -> list[str]:
    """A manifest entry's templates: the main one first, then its parts'."""
    return [entry["file"], *(part["file"] for part in entry.get("templates", ()))]


def unchanged(store: Store, content_digest: str | None, fmt: str,
              parts: Mapping[str, str] | None = None) -> bool:
    """Whether the store's latest version is this template in this format,
    with these parts (part name -> content digest): a build then publishes
    nothing new (plan() with no version)."""
    latest = store.latest
    recorded = {p["part"]: p["template_digest"] for p in (latest or {}).get("templates", ())}
    return (latest is not None and latest["template_digest"] == content_digest
            and latest["file"].endswith(f".{fmt}") and recorded == dict(parts or {}))


def plan(
    store: Store, owner: Owner, version: VersionFiles | None = None,
    changes: Sequence[Mapping[str, Any]] = (),
) -> Plan:
    """Publishing `version` (the next one, as the deploy stage made it) into
    the store; None when the latest version stays the latest (unchanged()).
    `owner`: the spec's (name, environment); `changes`: what changed since the
    latest version and how CloudFormation applies it, recorded in the new
    version's manifest entry."""
    versions = list(store.versions)
    if version is None:
        assert store.latest is not None, "a first version is always new"
        return Plan(store, store.latest["version"], {}, _manifest(store.stack, owner, versions))
    number = len(versions) + 1
    assert version.number == number, f"the next version of {store.stack} is v{number}"
    files = version.files()
    entry = {
        "version": number,
        "file": version.template.file,
        "files": {name: sha256(content.raw()) for name, content in files.items()},
        "spec_digest": version.spec_digest,
        "template_digest": version.template.content_digest,
        "compiler": COMPILER,
        **_bounded(list(changes), 0),
        "capabilities": list(version.template.capabilities),
    }
    if version.parts:
        entry["templates"] = [_part_entry(part) for part in version.parts]
    # The new entry and the VERSIONS_WITH_CHANGES - 1 before it keep their records.
    cut = max(0, len(versions) - (VERSIONS_WITH_CHANGES - 1))
    history = [*map(_trimmed, versions[:cut]), *versions[cut:], entry]
    return Plan(store, number, files, _manifest(store.stack, owner, history))


def _part_entry(part: TemplateFiles) -> dict[str, Any]:
    return {"part": part.part, "file": part.file, "template_digest": part.content_digest,
            "capabilities": list(part.capabilities)}


def _bounded(changes: list[Mapping[str, Any]], omitted: int,
             limit: int = MAX_CHANGES_RECORDED) -> dict[str, Any]:
    """An entry's "changes" (at most `limit`, those that replace or delete
    first) and, when some are left out, "changes_omitted"."""
    if len(changes) > limit:
        order = update_behavior.ACTIONS
        # The cache's own changes first among the worst: its DEPLOY.md reads
        # from the recorded changes whether the version replaces the cache,
        # and a rebuild of the version (differences) must read the same.
        worst = sorted(changes, key=lambda c: (
            -order.index(c["action"]) if c.get("action") in order else 0,
            not str(c.get("template_path", "")).startswith(_CACHE_PATHS)))
        omitted, changes = omitted + len(changes) - limit, worst[:limit]
    return {"changes": [dict(c) for c in changes],
            **({"changes_omitted": omitted} if omitted else {})}


def _trimmed(entry: dict[str, Any]) -> dict[str, Any]:
    """An older version's entry with its changes counted, not listed."""
    counted = _bounded(entry.get("changes", []), entry.get("changes_omitted", 0), limit=0)
    return {**{k: v for k, v in entry.items() if k not in ("changes", "changes_omitted")},
            **counted}


def read_template(store: Store, name: str) -> dict[str, Any]:
    """A published template (YAML or JSON: JSON is YAML), checked against its
    recorded SHA-256. Raises PublishError when it is no template."""
    text = store.read_text(name)
    try:
        template = yaml.load(text, Loader=_LOADER)
    except yaml.YAMLError as exc:
        raise PublishError([f"{store.folder}/{name}: not a template ({exc})"]) from exc
    if not isinstance(template, dict):
        raise PublishError([f"{store.folder}/{name}: not a template (not a mapping)"])
    return template


def differences(store: Store, rebuilt: VersionFiles) -> tuple[list[str], list[str]]:
    """(problems, notes): each file of the latest version that is not what
    this compiler builds for it (`rebuilt`, by deploy/version_files from the
    spec), and each digest of its manifest entry that is not the rebuild's;
    notes name the files this compiler writes that the version has not (an
    older cachec published it).

    The store's verification only shows that files and versions.json agree:
    a file edited together with its SHA-256 passes it. Call this when the
    spec's template is the latest version's (unchanged()) and that version's
    compiler is this one (else it wrote other bytes)."""
    latest = store.latest
    assert latest is not None
    number, recorded = latest["version"], latest["files"]
    assert rebuilt.number == number
    expected = {name: sha256(content.raw()) for name, content in rebuilt.files().items()}
    where = f"{os.path.join(store.folder, MANIFEST)}: versions[{number - 1}]"
    ours: list[tuple[str, Any]] = [("spec_digest", rebuilt.spec_digest),
                                   ("template_digest", rebuilt.template.content_digest)]
    if "capabilities" in latest:  # versions before cachec recorded them have none
        ours.append(("capabilities", list(rebuilt.template.capabilities)))
    if "templates" in latest or rebuilt.parts:
        ours.append(("templates", [_part_entry(part) for part in rebuilt.parts]))
    problems = [
        f"{where}.{key} is not what this build of the spec gives (edited by hand?); restore "
        f"{MANIFEST} from version control"
        for key, value in ours if latest.get(key) != value
    ]
    problems += [
        f"{os.path.join(store.folder, name)}: not what {COMPILER} builds for v{number} of this "
        f"spec (edited by hand, with its SHA-256 in {MANIFEST}?); restore it and the manifest "
        "from version control"
        for name in sorted(recorded) if expected.get(name) != recorded[name]
    ]
    # A version published before versions carried their provenance record
    # lacks it by design (the diff reads it by the frozen table instead):
    # no note, which would only ask for a new version nothing else changes.
    notes = [
        f"{os.path.join(store.folder, name)}: not published with v{number} (an older cachec "
        "did not write it); the next version has it"
        for name in sorted(expected.keys() - recorded.keys())
        if not name.endswith(_RECORD_SUFFIX)
    ]
    return problems, notes


def unadoptable(store: Store, *, rebuilt: bool) -> list[str]:
    """Why a format-1 manifest (no hashes) cannot be adopted; empty when it can.

    Hashing its files as they are would vouch for whatever was planted
    beside it, so a build records hashes only for files this compiler
    rebuilds byte for byte (differences()): the latest version's, when the
    spec builds it (`rebuilt`) with this compiler. Older versions' specs
    are gone: a manifest that lists them is adopted by hand."""
    latest = store.latest
    if latest is None:
        return []
    why = []
    if len(store.versions) > 1:
        why.append(f"v1..v{len(store.versions) - 1} cannot be rebuilt (their specs are not "
                   "at hand)")
    if not rebuilt:
        why.append(f"the spec no longer builds v{latest['version']} (it changed since)")
    elif latest["compiler"] != COMPILER:
        why.append(f"v{latest['version']} was built by {latest['compiler']}, not {COMPILER}")
    if not why:
        return []
    return [
        f"{os.path.join(store.folder, MANIFEST)}: written by an older cachec, with no file "
        f"hashes, and {'; '.join(why)}: cachec records hashes only for files it rebuilds byte "
        "for byte, never for files as it finds them. To adopt it by hand, check every file "
        "against version control, then in versions.json add \"format\": 2 and, to each "
        "version, \"files\" (each file's name -> \"sha256:\" and its `sha256sum`) and "
        "\"changes\": []"
    ]


def _manifest(stack: str, owner: Owner, versions: list[dict[str, Any]]) -> dict[str, Any]:
    # The owner: stack names join name and environment with a hyphen, so two
    # pairs can name one stack (orders-prod + dev, orders + prod-dev).
    name, environment = owner
    return {"format": MANIFEST_FORMAT, "stack": stack,
            "owner": {"name": name, "environment": environment}, "versions": versions}


# --- the session: lock, read, recover, commit ---------------------------------------


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


@dataclass
class _Staged:
    """What commit() has done so far, so that a failure can undo it."""

    temps: list[str] = field(default_factory=list)
    linked: list[str] = field(default_factory=list)
    committed: list[tuple[str, str | None]] = field(default_factory=list)  # manifest, backup


class Session:
    """Holds the lock of each stack folder from reading its store to committing it.

        with Session(out_dir, stacks, write=True) as session:
            stores = session.stores()            # verified, or PublishError
            notices = session.recover(stores.values())
            plans = [plan(stores[stack], owner, files, changes) ...]  # files: VersionFiles
            written = session.commit(plans)      # all or nothing

    `write=False` (build --check, diff) creates nothing and takes shared locks
    on the folders that exist, so it never sees a build half-way; it neither
    recovers nor commits. `on_wait(folder)` is called once when a lock is
    taken by another build; after LOCK_WAIT seconds it gives up.
    """

    def __init__(
        self,
        out_dir: str,
        stacks: Iterable[str],
        *,
        write: bool,
        on_wait: Callable[[str], None] | None = None,
    ) -> None:
        self.out_dir = out_dir
        self.stacks = sorted(set(stacks))  # one global order: no deadlock between builds
        self.write = write
        self.on_wait = on_wait
        self._locks: dict[str, int] = {}
        self._created: list[str] = []
        self._committed = False

    def folder(self, stack: str) -> str:
        return os.path.join(self.out_dir, stack)

    def __enter__(self) -> Session:
        deadline = time.monotonic() + LOCK_WAIT
        try:
            for stack in self.stacks:
                fd = self._lock(self.folder(stack), deadline)
                if fd is not None:
                    self._locks[stack] = fd
        except BaseException as exc:
            self.__exit__(type(exc), exc, exc.__traceback__)
            raise
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        # A session that commits nothing (a spec refused under the lock, --strict)
        # leaves no empty stack folder behind either.
        if (kind is None and not self._committed) or (
            kind is not None and issubclass(kind, (Exception, KeyboardInterrupt))
        ):
            self._remove_created_folders()
        self._release()

    def _release(self) -> None:
        for fd in self._locks.values():
            os.close(fd)  # closing releases the flock
        self._locks.clear()

    def _lock(self, folder: str, deadline: float) -> int | None:
        waited = False
        while True:
            try:
                fd = fs.open_folder(folder)
            except FileNotFoundError:
                if not self.write:
                    return None
                self._make_folder(folder)
                continue
            except OSError as exc:
                raise _fail(folder, exc, "open the stack folder") from exc
            while not self._try_lock(folder, fd):
                if time.monotonic() > deadline:
                    os.close(fd)
                    raise PublishError([f"{folder}: another build still holds it after "
                                        f"{LOCK_WAIT:g} s; try again when it has finished"])
                if not waited and self.on_wait is not None:
                    self.on_wait(folder)
                waited = True
                time.sleep(_POLL)
            if self._still_there(folder, fd):
                return fd
            os.close(fd)  # a failed build removed the folder it had created: start over

    def _try_lock(self, folder: str, fd: int) -> bool:
        try:
            return fs.try_lock(fd, self.write)
        except OSError as exc:
            os.close(fd)
            raise _fail(folder, exc, "lock the stack folder") from exc

    @staticmethod
    def _still_there(folder: str, fd: int) -> bool:
        try:
            now = os.stat(folder)
        except FileNotFoundError:
            return False
        held = os.fstat(fd)
        return (now.st_dev, now.st_ino) == (held.st_dev, held.st_ino)

    def _make_folder(self, folder: str) -> None:
        missing = []
        path = os.path.abspath(folder)
        while not os.path.isdir(path):
            missing.append(path)
            path = os.path.dirname(path)
        for path in reversed(missing):
            try:
                fs.mkdir(path)
            except FileExistsError:
                continue  # another build made it: theirs to remove
            except OSError as exc:
                raise _fail(path, exc, "create the folder") from exc
            self._created.append(path)

    def _remove_created_folders(self) -> None:
        for path in reversed(self._created):
            try:
                fs.rmdir(path)
            except OSError:
                break  # not empty (another build wrote there) or not removable: keep it
        self._created.clear()

    def stores(self) -> dict[str, Store]:
        """Every stack's store, verified; all problems of all stores in one error."""
        stores, problems = {}, []
        for stack in self.stacks:
            try:
                stores[stack] = read_store(self.folder(stack), stack)
            except PublishError as exc:
                problems += exc.problems
        if problems:
            raise PublishError(problems)
        return stores

    def recover(self, stores: Iterable[Store]) -> list[str]:
        """Remove what interrupted builds left; one notice per file."""
        assert self.write
        notices = []
        for store in stores:
            for name in store.leftovers:  # final names first, then their temporary files
                path = os.path.join(store.folder, name)
                try:
                    fs.unlink(path)
                except FileNotFoundError:
                    continue
                except OSError as exc:
                    raise _fail(path, exc, "remove a leftover of an interrupted build") from exc
                notices.append(f"{path}: removed, left uncommitted by an interrupted build")
            if store.leftovers:
                self._sync(store.stack)
        return notices

    def _sync(self, stack: str) -> None:
        try:
            fs.fsync(self._locks[stack])
        except OSError as exc:
            raise _fail(self.folder(stack), exc, "sync the folder") from exc

    def commit(self, plans: Sequence[Plan]) -> dict[str, list[str]]:
        """Publish every plan or none: stage all, link all, then replace each
        manifest. Returns the paths written per folder."""
        assert self.write
        todo = [p for p in plans if p.writes]
        staged = _Staged()
        # Manifests are replaced one by one: a build killed between two leaves
        # its batch half-published. Each folder holds the batch's journal until
        # every manifest is replaced, so the next build or check can say so.
        journal = _json({_JOURNAL_KEY: [{"stack": p.store.stack, "version": p.version}
                                        for p in todo if p.files]}).encode()
        try:
            temps = [self._stage(p, staged, journal if len(todo) > 1 else None) for p in todo]
            for p, named in zip(todo, temps, strict=True):
                for name, temp in named.items():
                    if name != MANIFEST:
                        self._link(temp, os.path.join(p.folder, name), staged)
                self._sync(p.store.stack)
            for p, named in zip(todo, temps, strict=True):
                self._commit_manifest(p, named[MANIFEST], staged)
        except (Exception, KeyboardInterrupt):
            self._undo(staged)
            raise
        self._discard(staged.temps)
        self._committed = True
        return {p.folder: [os.path.join(p.folder, n) for n in p.files] for p in todo}

    def _stage(self, plan: Plan, staged: _Staged, journal: bytes | None) -> dict[str, str]:
        if journal is not None:
            self._write_temp(plan.folder, journal, staged)
        named = {name: self._write_temp(plan.folder, content.raw(), staged)
                 for name, content in plan.files.items()}
        named[MANIFEST] = self._write_temp(plan.folder, _json(plan.manifest).encode(), staged)
        self._sync(plan.store.stack)
        return named

    def _write_temp(self, folder: str, content: bytes, staged: _Staged) -> str:
        try:
            fd, temp = fs.create_temp(folder)
        except OSError as exc:
            raise _fail(folder, exc, "write") from exc
        staged.temps.append(temp)
        try:
            fs.fchmod(fd, 0o666 & ~_umask())  # mkstemp makes 0600; published files take the umask
            data = memoryview(content)
            while data:
                data = data[fs.write(fd, data):]
            fs.fsync(fd)
        except OSError as exc:
            raise _fail(temp, exc, "write") from exc
        finally:
            os.close(fd)
        return temp

    def _link(self, temp: str, final: str, staged: _Staged) -> None:
        try:
            fs.link(temp, final)  # fails if `final` exists: never overwrite
        except FileExistsError as exc:
            raise PublishError([f"{final}: already exists; refusing to overwrite"]) from exc
        except OSError as exc:
            raise _fail(final, exc, "write") from exc
        staged.linked.append(final)

    def _commit_manifest(self, plan: Plan, temp: str, staged: _Staged) -> None:
        manifest = os.path.join(plan.folder, MANIFEST)
        backup: str | None = None
        try:
            try:  # the old manifest is kept until every stack has committed, to undo with
                name = self._backup_name(plan.folder, staged)
                fs.link(manifest, name)
                staged.temps.append(name)
                backup = name
            except FileNotFoundError:
                pass  # a new stack: undone by removing the manifest
            fs.replace(temp, manifest)
        except OSError as exc:
            raise _fail(manifest, exc, "write") from exc
        staged.temps.remove(temp)
        staged.committed.append((manifest, backup))
        self._sync(plan.store.stack)

    @staticmethod
    def _backup_name(folder: str, staged: _Staged) -> str:
        # A name like mkstemp's, without creating the file: os.link creates it.
        return os.path.join(folder, f"{TEMP_PREFIX}{len(staged.temps)}-{os.getpid()}"
                                    f"-{time.monotonic_ns()}{TEMP_SUFFIX}")

    def _undo(self, staged: _Staged) -> None:
        """Put every folder back as it was; best effort (the next build removes
        whatever this cannot, and says so)."""
        for manifest, backup in reversed(staged.committed):
            try:
                if backup is None:
                    fs.unlink(manifest)
                else:
                    fs.replace(backup, manifest)
                    staged.temps.remove(backup)
            except OSError:
                return  # keep the temporary files: they mark the versions as ours
        self._discard(staged.linked)
        self._discard(staged.temps)

    @staticmethod
    def _discard(paths: Iterable[str]) -> None:
        for path in paths:
            try:
                fs.unlink(path)
            except FileNotFoundError:
                continue
            except OSError:
                return  # stop: a final name must not outlive its temporary file
