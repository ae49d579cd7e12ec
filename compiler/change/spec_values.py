"""How a template value reads in the spec, where the two differ.

`cachec diff` shows a change's values as the user wrote them: a replication
group's `NumCacheClusters: 3` is `replicas: 2` in the spec. Keyed by template
path; a value not listed reads as it is.
"""

from __future__ import annotations

from typing import Any

from ..vocabulary import names

_RG = ("Resources", names.REPLICATION_GROUP, "Properties")


# Template values that read differently in the spec, by template path.
def _auth(value: Any) -> str:
    # Without a token the spec says none, iam or rbac; UserGroupIds tells which kind.
    return "no token" if value is None else "token"


def _user_groups(value: Any) -> Any:
    return "user group (iam or rbac)" if value else value


def _final_snapshot(value: Any) -> Any:
    return {"Snapshot": True, "Delete": False}.get(value, value)


_SPEC_VALUES: dict[tuple[str, ...], Any] = {
    (*_RG, "NumCacheClusters"): lambda n: n - 1 if isinstance(n, int) else n,
    (*_RG, "AuthToken"): _auth,
    (*_RG, "UserGroupIds"): _user_groups,
    ("Resources", names.REPLICATION_GROUP, "DeletionPolicy"): _final_snapshot,
    ("Resources", names.REPLICATION_GROUP, "UpdateReplacePolicy"): _final_snapshot,
}


def spec_value_of(template_path: tuple[str, ...], value: Any) -> Any:
    """`NumCacheClusters: 3` reads `replicas: 2` in the spec."""
    convert = _SPEC_VALUES.get(template_path)
    return convert(value) if convert is not None else value
