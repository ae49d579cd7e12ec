"""Which AWS partition a region is in, from botocore's partition data.

A StackSet lives in one partition (aws, aws-cn, aws-us-gov, the isolated
aws-iso* ones): its instances are deployed with the administrator's
credentials, which exist in one partition only. The table is generated,
never hand-edited, from the `regionRegex` and `regions` of botocore's
`botocore/data/partitions.json` (the data the SDKs resolve endpoints with),
committed as partitions.json so that cachec does not depend on botocore at
run time. tests/test_stackset.py regenerates it from the installed botocore
and fails on any difference: review it, then run
`python -m compiler.catalog.partitions` to rewrite it.
"""

from __future__ import annotations

import functools
import json
import os
import re
from typing import Any

DATA_FILE = "partitions.json"

# Trusted access between StackSets and AWS Organizations (service-managed
# permissions) cannot be turned on in the China regions: "Currently, you
# can't enable trusted access with AWS Organizations for CloudFormation
# StackSets in the China (Beijing) and China (Ningxia) Regions."
# https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/stacksets-prereqs.html
# (Unconfirmed for the isolated partitions: no public page says either way.)
WITHOUT_ORGANIZATIONS_STACKSETS = ("aws-cn",)


def generate() -> dict[str, Any]:
    """The table as the installed botocore's partitions.json says (imports botocore)."""
    import botocore  # type: ignore[import-untyped]  # (a test extra, not a dependency)

    path = os.path.join(os.path.dirname(botocore.__file__), "data", "partitions.json")
    with open(path, encoding="utf-8") as handle:
        data = json.load(handle)
    return {
        "source": f"botocore {botocore.__version__} botocore/data/partitions.json",
        "partitions": [
            {
                "id": p["id"],
                "regionRegex": p["regionRegex"],
                # "aws-global" and the like are endpoints, not regions
                "regions": sorted(r for r in p["regions"] if re.match(p["regionRegex"], r)),
            }
            for p in data["partitions"]
        ],
    }


def render(table: dict[str, Any]) -> str:
    return json.dumps(table, indent=2) + "\n"


@functools.cache
def _table() -> dict[str, Any]:
    with open(os.path.join(os.path.dirname(__file__), DATA_FILE), encoding="utf-8") as handle:
        table: dict[str, Any] = json.load(handle)
    return table


def partition_of(region: str) -> str | None:
    """`eu-west-1` -> `aws`, `cn-north-1` -> `aws-cn`; None for a region the data
    does not know. A listed region wins over a pattern (as in the SDKs)."""
    partitions = _table()["partitions"]
    for partition in partitions:
        if region in partition["regions"]:
            return str(partition["id"])
    for partition in partitions:
        if re.match(partition["regionRegex"], region):
            return str(partition["id"])
    return None


if __name__ == "__main__":
    with open(os.path.join(os.path.dirname(__file__), DATA_FILE), "w", encoding="utf-8") as out:
        out.write(render(generate()))
