"""The names cachec gives AWS resources (physical names, not logical ids)
and the limits AWS puts on each: the synthesizers write these names, and
rules/resource_names.py checks them against their limits before synthesis,
from the same functions. Imports nothing of ours.

Names built from `${AWS::StackName}` or `${AWS::Region}` are known only at
deploy time; they are checked at their longest: a stack name of
STACK_NAME_MAX characters and the longest region code the schema knows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# CreateStack: "A stack name ... must start with an alphabetic character and
# can't be longer than 128 characters."
# https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_CreateStack.html
STACK_NAME_MAX = 128
STACK_NAME = "${AWS::StackName}"
REGION = "${AWS::Region}"


@dataclass(frozen=True)
class Limit:
    """What AWS accepts for one kind of name. `id_form`: starts with a
    letter, no two hyphens in a row, no hyphen at the end (ElastiCache ids)."""

    what: str
    max_length: int
    source: str
    id_form: bool = False


# 1-40 characters, starting with a letter, no `--`, no trailing hyphen: the
# API reference states no maximum; the provider schemas (cfn-lint 1.x,
# AWS::ElastiCache::User UserId and UserGroup UserGroupId) only the pattern
# [a-z][a-z0-9\-]*; peers enforce 40: aws-cdk alpha user-group.ts,
# open-constructs/aws-cdk-library src/aws-elasticache/user.ts and
# user-group.ts, tedilabs/terraform-aws-db user-group variables.
USER_ID = Limit(
    "ElastiCache user id", 40,
    "https://github.com/open-constructs/aws-cdk-library/blob/main/src/aws-elasticache/user.ts",
    id_form=True,
)
USER_GROUP_ID = Limit(
    "ElastiCache user group id", 40,
    "https://github.com/open-constructs/aws-cdk-library/blob/main/src/aws-elasticache/"
    "user-group.ts",
    id_form=True,
)
# "can have up to 40 characters" (open-constructs/aws-cdk-library,
# src/aws-elasticache/serverless-cache.ts); AWS's API reference states none.
SERVERLESS_CACHE_NAME = Limit(
    "ServerlessCacheName", 40,
    "https://github.com/open-constructs/aws-cdk-library/blob/main/src/aws-elasticache/"
    "serverless-cache.ts",
)
# AWS::Logs::LogGroup LogGroupName maxLength 512 (provider schema; CreateLogGroup:
# "Log group names can be between 1 and 512 characters long").
LOG_GROUP_NAME = Limit(
    "log group name", 512,
    "https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html",
)
# AWS::CloudWatch::Alarm AlarmName maxLength 255 (provider schema; PutMetricAlarm).
ALARM_NAME = Limit(
    "alarm name", 255,
    "https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html",
)
# PutDashboard: "The name must be between 1 and 255 characters."
DASHBOARD_NAME = Limit(
    "dashboard name", 255,
    "https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutDashboard.html",
)


def user_group_id(stack: str) -> str:
    return stack


def default_user_id(stack: str, default_user: str) -> str:
    """The disabled `default` user every group holds (synthesize/users.py)."""
    return f"{stack}-{default_user}"


def iam_user_id(stack: str) -> str:
    """auth: iam: user id and user name are one, and lower case (auth-iam.html)."""
    return stack


def rbac_user_id(stack: str, user: str) -> str:
    return f"{stack}-{user}"


def serverless_cache_name(stack: str) -> str:
    return stack


# The serverless cache's final snapshot: `<cache name>-final-<8 hex>`
# (synthesize/serverless.py). DeleteServerlessCache states no limit on
# FinalSnapshotName, and the provider schema none either; the cache name's
# own limit keeps it at 55 characters.
FINAL_SNAPSHOT_INFIX = "final"

# ElastiCache log delivery through CloudWatch's vended logs: see synthesize/logs.py.
LOG_GROUP_PREFIX = "/aws/vendedlogs/elasticache"


def log_group_name(log_type: str) -> str:
    """An Fn::Sub string; the stack name keeps two stacks' groups apart."""
    return f"{LOG_GROUP_PREFIX}/{STACK_NAME}/{log_type}"


def alarm_name(key: str, suffix: str = "") -> str:
    """An Fn::Sub string: `<stack>-<metric key>[-part01|-cluster]`."""
    return f"{STACK_NAME}-{key.replace('_', '-')}{suffix}"


def alarm_suffixes(parts: int) -> tuple[str, ...]:
    """The suffixes a metric's alarms take: none, or one per part and `-cluster`."""
    return ("",) if parts <= 1 else (*(f"-part{n:02d}" for n in range(1, parts + 1)), "-cluster")


def dashboard_name() -> str:
    """An Fn::Sub string: `<stack>-<region>-cache`.

    "All dashboards in your account are global, not region-specific", and
    PutDashboard with an existing name "modifies that dashboard, replacing
    its current contents" (API_PutDashboard). The same stack name deployed
    in two regions of one account (one template rolled out region by region)
    would share one dashboard, each stack overwriting the other's, and
    deleting either stack would delete it. The region in the name keeps
    them apart."""
    return f"{STACK_NAME}-{REGION}-cache"


def longest(name: str, region_max: int) -> int:
    """The length of `name` (an Fn::Sub string) with the longest stack name
    and region it can be deployed with."""
    return len(name.replace(STACK_NAME, "s" * STACK_NAME_MAX).replace(REGION, "r" * region_max))


_DOUBLE_HYPHEN = re.compile("--")


def problems(name: str, limit: Limit, length: int | None = None) -> list[str]:
    """What `limit` refuses in `name` (`length`: its length at deploy time)."""
    found = []
    size = len(name) if length is None else length
    if size > limit.max_length:
        found.append(f"is {size} characters, over the limit of {limit.max_length}")
    if limit.id_form:
        if not name[:1].isalpha():
            found.append("does not start with a letter")
        if _DOUBLE_HYPHEN.search(name):
            found.append("holds two hyphens in a row")
        if name.endswith("-"):
            found.append("ends with a hyphen")
    return found
