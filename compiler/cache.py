"""The user cache folder: what cachec computed before and can reuse.

Entries are small JSON files. Nothing in the cache is ever trusted for
correctness beyond its key: a missing, unreadable or corrupt entry is a miss
(and is replaced), a cache that cannot be written only makes cachec slower.
"""

from __future__ import annotations

import json
import os
from typing import Any

CACHE_ENV = "CACHEC_CACHE_DIR"


def folder() -> str:
    """$CACHEC_CACHE_DIR, else the XDG user cache folder: ~/.cache/cachec."""
    explicit = os.environ.get(CACHE_ENV)
    if explicit:
        return explicit
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "cachec")


def read(path: str) -> Any:
    """The entry's JSON value, or None when it is missing or corrupt."""
    try:
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
    except (OSError, ValueError):
        return None


def write(path: str, value: Any) -> None:
    """Atomically: a reader sees the old entry or the new one, never half of one."""
    import tempfile  # (with random and shutil) only when a cache entry is written

    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(value, handle)
            os.replace(temp, path)
        except BaseException:
            os.unlink(temp)
            raise
    except OSError:
        pass
