"""The local store: the user's folder (CACHEC_CACHE_DIR) of what cachec
computed before and can reuse (lint findings, templates of unchanged specs).

Entries are small JSON files under `<root>/<section>/<key>.json`. An entry
only ever saves time; it never decides a verdict. So anything odd about one
is a miss, never an error and never a wait:

- the root or the section folder not owned by this user, or writable by
  its group or by others (another user could plant entries there: cachec
  neither reads nor writes such a folder);
- an entry that is not a regular file owned by this user (a FIFO would
  block the read, a link to /dev/zero never ends, a symbolic link points
  anywhere: the entry is opened with O_NOFOLLOW | O_NONBLOCK and checked
  with fstat before a byte is read);
- more than MAX_BYTES, not UTF-8 JSON, JSON nested deeper than MAX_DEPTH
  (200,000 nested arrays: the decoder's RecursionError is a miss too), or
  JSON of another shape than the caller's `shape` accepts.

cachec creates the folders private (0700) whatever the umask, and writes
each entry atomically (0600, then renamed into place). A cache that cannot
be written only makes cachec slower.
"""

from __future__ import annotations

import json
import os
import re
import stat
from collections.abc import Callable
from typing import Any, TypeVar

CACHE_ENV = "CACHEC_CACHE_DIR"

# The largest entry is a template as JSON (reuse.py): CloudFormation takes
# templates of up to 1 MB from S3, a little more as JSON.
MAX_BYTES = 4 * 1024 * 1024
# cachec's templates nest ~10 deep (Resources > X > Properties > Fn::Join > ...).
MAX_DEPTH = 64

T = TypeVar("T")

_SHARED_WRITE = stat.S_IWGRP | stat.S_IWOTH
_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"')
_OPEN_FLAGS = (os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
               | getattr(os, "O_CLOEXEC", 0))


def folder() -> str:
    """$CACHEC_CACHE_DIR, else the XDG user cache folder: ~/.cache/cachec."""
    explicit = os.environ.get(CACHE_ENV)
    if explicit:
        return explicit
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "cachec")


def _private(path: str) -> bool:
    """A folder of this user's that no one else can write to."""
    try:
        info = os.stat(path)
    except OSError:
        return False
    return (stat.S_ISDIR(info.st_mode) and info.st_uid == os.geteuid()
            and not info.st_mode & _SHARED_WRITE)


def _trusted(root: str, section: str) -> bool:
    return _private(root) and _private(os.path.join(root, section))


def read(root: str, section: str, key: str, shape: Callable[[Any], T]) -> T | None:
    """`shape(value)` of the entry's JSON value, or None (a miss) when the
    entry is missing, untrusted, too large, too deep or of another shape
    (`shape` raising TypeError, KeyError or ValueError)."""
    if not _trusted(root, section):
        return None
    raw = _read_bytes(os.path.join(root, section, key + ".json"))
    if raw is None:
        return None
    try:
        # The decoder raises RecursionError past the interpreter's recursion
        # limit; the depth is measured once the text is known to be JSON.
        value = json.loads(raw)
        return shape(value) if depth(raw) <= MAX_DEPTH else None
    except (ValueError, TypeError, KeyError, RecursionError):
        return None


def _read_bytes(path: str) -> bytes | None:
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError:  # missing, a symbolic link (ELOOP), unreadable
        return None
    try:
        info = os.fstat(fd)
        if (not stat.S_ISREG(info.st_mode) or info.st_uid != os.geteuid()
                or info.st_size > MAX_BYTES):
            return None
        # The size may grow after fstat: read at most one byte past the cap.
        chunks, size = [], 0
        while chunk := os.read(fd, MAX_BYTES + 1 - size):
            chunks.append(chunk)
            size += len(chunk)
            if size > MAX_BYTES:
                return None
        return b"".join(chunks)
    except OSError:
        return None
    finally:
        os.close(fd)


def depth(raw: bytes) -> int:
    """How deep the arrays and objects of a well-formed JSON document nest (0
    for a scalar); past MAX_DEPTH, MAX_DEPTH + 1. Its strings, which may hold
    brackets, go first (in well-formed JSON every string ends: one linear
    pass), then everything but the brackets; each round then takes out the
    innermost pairs. ~0.1 ms for a template's 14 KB (a counting loop in
    Python: ~0.4 ms)."""
    nest = _STRING.sub(b"", raw).translate(_AS_PARENTHESES, delete=_NOT_BRACKETS)
    rounds = 0
    while nest and rounds <= MAX_DEPTH:
        inner = nest.replace(b"()", b"")
        if inner == nest:  # unbalanced: not JSON
            return MAX_DEPTH + 1
        nest, rounds = inner, rounds + 1
    return rounds


_AS_PARENTHESES = bytes.maketrans(b"[{]}", b"(())")
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[{]}")


def _make_private(path: str) -> bool:
    """Create the folder 0700 (the umask could widen a plain makedirs), or
    find an existing one private."""
    try:
        os.makedirs(path, mode=0o700)
        os.chmod(path, 0o700)  # makedirs' mode is masked by the umask (0o277 would leave 0500)
    except FileExistsError:
        pass
    except OSError:
        return False
    return _private(path)


def write(root: str, section: str, key: str, value: Any) -> None:
    """Atomically: a reader sees the old entry or the new one, never half of one.
    Nothing is written into a folder that is not private."""
    import tempfile  # (with random and shutil) only when a cache entry is written

    target = os.path.join(root, section)
    if not (_make_private(root) and _make_private(target)):
        return
    try:
        fd, temp = tempfile.mkstemp(dir=target, prefix=".", suffix=".tmp")  # mode 0600
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(value, handle)
            os.replace(temp, os.path.join(target, key + ".json"))
        except BaseException:
            os.unlink(temp)
            raise
    except OSError:
        pass
