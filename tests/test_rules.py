"""Semantic rules not covered by the bad-spec corpus: warnings and edge cases."""

from __future__ import annotations

from typing import Any

import pytest

from compiler.api import compile_text
from compiler.rules.windows import maintenance_interval, snapshot_interval


def kinds(text: str) -> list[tuple[str, str]]:
    result = compile_text("cachec: 1\nname: t1\n" + text, "t.yaml", lint=False)
    return sorted((d.severity.value, d.kind) for d in result.diagnostics)


def diagnostics(text: str) -> list[Any]:
    return list(compile_text("cachec: 1\nname: t1\n" + text, "t.yaml", lint=False).diagnostics)


_KEY = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
_FUNCTION = "arn:aws:lambda:us-east-1:111122223333:function:rotate"


def test_defaults_are_clean_outside_production() -> None:
    assert kinds("environment: dev\n") == []


def test_production_warnings() -> None:
    assert kinds("environment: production\n") == [
        ("warning", "alarms-without-notifications"),
        ("warning", "burstable-in-production"),
        ("warning", "logs-without-key"),
        ("warning", "production-without-replicas"),
    ]
    assert kinds(
        "environment: production\nnode_type: cache.r7g.large\ntopology: {replicas: 1}\n"
        "monitoring: {create_topic: true}\nlogs: {kms_key_id: " + _KEY + "}\n"
    ) == []


@pytest.mark.parametrize("node_type", ["cache.m3.medium", "cache.t2.micro", "cache.r3.large"])
def test_previous_generation_is_an_error(node_type: str) -> None:
    assert kinds(f"environment: dev\nnode_type: {node_type}\n") == [
        ("error", "previous-generation-node")
    ]


@pytest.mark.parametrize(("node_type", "said"), [
    # a size of the chosen family, never a look-alike of another family
    ("cache.r7g.larg", "unknown node type 'cache.r7g.larg' (did you mean 'cache.r7g.large'?); "
     "cache.r7g comes in sizes large, xlarge, 2xlarge, 4xlarge, 8xlarge, 12xlarge, 16xlarge"),
    ("cache.t4g.hugee", "unknown node type 'cache.t4g.hugee'; cache.t4g comes in sizes micro, "
     "small, medium"),
    # a family that does not exist: the nearest current family, with the size asked for
    ("cache.r7x.large", "unknown node type 'cache.r7x.large' (did you mean 'cache.r7g.large'?); "
     "current families: c7gn, c8gn, m4, m5, m6g, m7g, m8g, r4, r5, r6g, r6gd, r7g, r8g, t3, t4g"),
    ("cache.zzz.large", "unknown node type 'cache.zzz.large'; current families: c7gn, c8gn, m4, "
     "m5, m6g, m7g, m8g, r4, r5, r6g, r6gd, r7g, r8g, t3, t4g"),
])
def test_an_unknown_node_type_names_the_nearest_and_what_exists(node_type: str, said: str) -> None:
    [found] = diagnostics(f"environment: dev\nnode_type: {node_type}\n")
    assert (found.kind, found.message) == ("unknown-node-type", said)


def test_current_burstable_is_fine() -> None:
    assert kinds("environment: dev\nnode_type: cache.t3.small\n") == []


def test_public_cidr_is_a_warning() -> None:
    assert kinds("environment: dev\nnetwork: {allowed_cidr_blocks: [8.8.8.0/24]}\n") == [
        ("warning", "public-cidr")
    ]


def test_insecure_choices_warn() -> None:
    found = kinds(
        "environment: dev\nsecurity: {encryption_at_rest: false, encryption_in_transit: false,"
        " auth: none}\n"
    )
    assert found == [
        ("warning", "auth-off"),
        ("warning", "encryption-at-rest-off"),
        ("warning", "encryption-in-transit-off"),
    ]


def test_no_backups_means_no_window_checks() -> None:
    # A 30-minute window overlapping maintenance would be two errors; without
    # snapshots it is only a setting with no effect.
    assert kinds(
        "environment: dev\nbackups: {retention_days: 0, window: '05:00-05:30'}\n"
        "maintenance_window: sun:05:00-sun:06:00\n"
    ) == [("warning", "snapshot-window-unused")]


def test_settings_without_effect_warn() -> None:
    assert kinds(
        "environment: dev\nlogs: {slow_log: false, retention_days: 7, format: text}\n"
    ) == [("warning", "log-settings-unused"), ("warning", "log-settings-unused")]
    assert kinds(
        "environment: dev\nmonitoring:\n  create_topic: true\n  alarms: {cpu: false, "
        "memory: false, connections: false}\n"
    ) == [("warning", "notifications-without-alarms")]


def test_yaml_booleans_become_parameter_words() -> None:
    result = compile_text(
        "cachec: 1\nname: t1\nenvironment: dev\nredis_parameters: {activedefrag: yes}\n",
        "t.yaml", lint=False,
    )
    assert result.spec is not None
    assert result.spec.deployment.redis_parameters == (("activedefrag", "yes"),)


@pytest.mark.parametrize(
    ("window", "expected"),
    [("03:00-04:00", (180, 240)), ("23:30-00:30", (1410, 1470)), ("00:00-23:59", (0, 1439))],
)
def test_snapshot_interval(window: str, expected: tuple[int, int]) -> None:
    assert snapshot_interval(window) == expected


@pytest.mark.parametrize(
    ("window", "expected"),
    [
        ("mon:00:00-mon:01:00", (0, 60)),
        ("sun:23:00-mon:01:00", (6 * 1440 + 1380, 7 * 1440 + 60)),
    ],
)
def test_maintenance_interval(window: str, expected: tuple[int, int]) -> None:
    assert maintenance_interval(window) == expected


@pytest.mark.parametrize(
    ("snapshot", "maintenance", "overlap"),
    [
        ("03:00-04:00", "sun:05:00-sun:06:00", False),
        ("05:30-06:30", "sun:05:00-sun:06:00", True),
        ("04:00-05:00", "sun:05:00-sun:06:00", False),  # touching is not overlapping
        ("06:00-07:00", "sun:05:00-sun:06:00", False),  # nor touching from the other side
        ("23:30-00:30", "mon:00:00-mon:01:00", True),  # snapshot crosses midnight
        ("00:00-01:00", "sun:23:30-mon:00:30", True),  # maintenance wraps the week
    ],
)
def test_window_overlap(snapshot: str, maintenance: str, overlap: bool) -> None:
    found = kinds(
        f"environment: dev\nbackups: {{window: '{snapshot}'}}\nmaintenance_window: {maintenance}\n"
    )
    assert (("error", "windows-overlap") in found) is overlap


def test_evictions_under_noeviction_warns() -> None:
    assert kinds(
        "environment: dev\nredis_parameters: {maxmemory-policy: noeviction}\n"
        "monitoring: {alarms: {evictions: 10}}\n"
    ) == [("warning", "evictions-never-happen")]


def test_window_length_errors_say_how_long_the_window_is() -> None:
    [snapshot] = diagnostics("environment: dev\nbackups: {window: '03:00-03:30'}\n")
    assert snapshot.message == (
        "the snapshot window 03:00-03:30 lasts 30 minutes; ElastiCache needs at least 60"
    )
    # no automatic snapshots: a day-long maintenance window overlaps every snapshot window
    no_backups = "environment: dev\nbackups: {retention_days: 0}\n"
    [maintenance] = diagnostics(no_backups + "maintenance_window: sun:05:00-mon:05:01\n")
    assert maintenance.message == (
        "the maintenance window sun:05:00-mon:05:01 lasts 1441 minutes; ElastiCache needs "
        "60 minutes to 24 hours"
    )


def test_a_maintenance_window_of_exactly_24_hours_is_accepted() -> None:
    no_backups = "environment: dev\nbackups: {retention_days: 0}\n"
    assert kinds(no_backups + "maintenance_window: sun:05:00-mon:05:00\n") == []


def test_evictions_warning_points_at_the_alarm_and_says_what_to_watch() -> None:
    [found] = diagnostics(
        "environment: dev\nredis_parameters: {maxmemory-policy: noeviction}\n"
        "monitoring: {alarms: {evictions: 10}}\n"
    )
    assert found.path == ("monitoring", "alarms", "evictions")
    assert found.message == ("maxmemory-policy is noeviction, so Evictions stays 0 (writes "
                             "fail with OOM instead); the memory alarm is the one that warns "
                             "you")


@pytest.mark.parametrize("text", [
    # another policy evicts, so the alarm can fire
    "redis_parameters: {maxmemory-policy: allkeys-lru}\nmonitoring: {alarms: {evictions: 10}}\n",
    # noeviction without an evictions alarm: nothing to warn about
    "redis_parameters: {maxmemory-policy: noeviction}\nmonitoring: {alarms: {evictions: false}}\n",
    "redis_parameters: {maxmemory-policy: noeviction}\n",
])
def test_evictions_warning_needs_both_noeviction_and_the_alarm(text: str) -> None:
    assert ("warning", "evictions-never-happen") not in kinds("environment: dev\n" + text)


def test_huge_template_warns_about_s3() -> None:
    tags = "".join(f"  Tag{i}: {'x' * 200}\n" for i in range(40))
    found = kinds(
        "environment: dev\ntopology: {replicas: 5}\nmonitoring: {dashboard: true}\n"
        f"tags:\n{tags}"
    )
    assert ("warning", "template-needs-s3") in found


def test_kms_alias_warns_but_key_arn_does_not() -> None:
    assert kinds("environment: dev\nsecurity: {kms_key_id: alias/cache}\n") == [
        ("warning", "kms-alias")
    ]
    arn = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    assert kinds(f"environment: dev\nsecurity: {{kms_key_id: '{arn}'}}\n") == []


def test_cpu_reachability_is_checked_on_the_engine_threshold() -> None:
    # t3.micro has 2 vCPUs: cpu 100 would alarm at host 50 %, which host CPU
    # can cross, but the engine thread it stands for never exceeds 100 %.
    assert kinds("environment: dev\nmonitoring: {alarms: {cpu: 100}}\n") == [
        ("error", "unreachable-threshold")
    ]
    assert kinds("environment: dev\nmonitoring: {alarms: {cpu: 99.5}}\n") == []


def test_engine_cpu_off_on_a_large_node_warns_when_cpu_stands_in() -> None:
    large = "environment: dev\nnode_type: cache.r7g.xlarge\nmonitoring: {alarms: "
    assert kinds(large + "{cpu: 80, engine_cpu: false}}\n") == [
        ("warning", "engine-cpu-unwatched")
    ]
    assert kinds(large + "{cpu: 80}}\n") == []
    assert kinds(large + "{engine_cpu: false}}\n") == []  # no CPU alarm at all: a choice
    # On 2 vCPUs the cpu alarm is scaled to the engine's share: it does watch the engine.
    assert kinds("environment: dev\nmonitoring: {alarms: {engine_cpu: false}}\n") == []


def test_cluster_beyond_the_default_node_quota_warns() -> None:
    # 16 shards x 6 nodes = 96 > 90, AWS's default "nodes per cluster" quota.
    assert kinds("environment: dev\ntopology: {shards: 16, replicas: 5}\n") == [
        ("warning", "nodes-over-default-quota"), ("warning", "template-needs-s3")
    ]
    assert kinds("environment: dev\ntopology: {shards: 15, replicas: 5}\n") == [
        ("warning", "template-needs-s3")
    ]


def test_cluster_mode_defaults() -> None:
    """shards > 1 turns cluster mode on; cluster mode turns failover on, even
    without replicas (AWS requires it); one shard may be clustered too."""
    from compiler.input.normalize import normalize

    def topology(**keys: object) -> object:
        data = {"cachec": 1, "name": "t1", "environment": "dev", "topology": keys}
        return normalize(data).deployment.topology

    three = topology(shards=3)
    assert (three.cluster_mode, three.automatic_failover, three.multi_az) == (True, True, False)
    one = topology(cluster_mode=True)
    assert (one.cluster_mode, one.shards, one.automatic_failover) == (True, 1, True)
    assert not topology(replicas=1).cluster_mode
    assert kinds("environment: dev\ntopology: {shards: 3}\n") == []


def test_serverless_defaults_are_clean() -> None:
    """A bare serverless block: iam auth, TLS, no node warnings, no log settings."""
    assert kinds("environment: dev\nserverless: {}\n") == []


def test_a_node_setting_on_a_serverless_cache_is_named_with_both_ways_out() -> None:
    text = ("cachec: 1\nname: t1\nenvironment: dev\n"
            "network: {subnet_group_name: shared}\nserverless: {}\n")
    said = [d.message for d in compile_text(text, "t.yaml", lint=False).diagnostics
            if d.kind == "serverless-conflict"]
    assert len(said) == 1, said
    assert said[0].startswith("network.subnet_group_name does not apply to a serverless cache")
    assert said[0].endswith("remove it, or remove `serverless` to build a replication group")


def test_serverless_values_at_their_limits_are_accepted() -> None:
    """ServerlessCacheName of exactly 40 characters, a description free of < and >
    (any other character), and each minimum equal to its maximum all deploy."""
    text = ("cachec: 1\nname: " + "c" * 32 + "\nenvironment: staging\n"
            "description: 'Orders: XL cache, 100% [safe] & \"quoted\"'\n"
            "security: {auth: none}\n"
            "serverless: {min_ecpu_per_second: 5000, max_ecpu_per_second: 5000,\n"
            "             min_data_storage_gb: 10, max_data_storage_gb: 10}\n")
    result = compile_text(text, "t.yaml", lint=False)
    assert [d.kind for d in result.diagnostics if d.is_error] == []
    assert result.template is not None
    (cache,) = [r for r in result.template["Resources"].values()
                if r["Type"] == "AWS::ElastiCache::ServerlessCache"]
    assert len(cache["Properties"]["ServerlessCacheName"]) == 40


@pytest.mark.parametrize(("text", "path"), [
    ("backups: {retention_days: 0, window: '03:00-04:00'}\n", ("backups", "window")),
    ("backups: {retention_days: 0}\nserverless: {daily_snapshot_time: '04:00'}\n",
     ("serverless", "daily_snapshot_time")),
], ids=["node-based", "serverless"])
def test_a_snapshot_window_without_snapshots_is_named_where_it_is_written(
    text: str, path: tuple[str, ...]
) -> None:
    (found,) = [d for d in diagnostics("environment: dev\n" + text)
                if d.kind == "snapshot-window-unused"]
    assert (found.path, found.message) == (path, "retention_days is 0 (no automatic "
                                           "snapshots), so the snapshot window has no effect")


def test_a_topic_with_every_alarm_off_is_said_to_be_left_out() -> None:
    # The alarms a dev cache without replicas has on by default, turned off.
    found = [(d.path, d.message) for d in diagnostics(
        "environment: dev\nmonitoring:\n"
        "  alarm_topic_arn: arn:aws:sns:us-east-1:111122223333:ops\n"
        "  alarms: {cpu: false, memory: false, connections: false}\n")
        if d.kind == "notifications-without-alarms"]
    assert found == [(("monitoring", "alarm_topic_arn"), "every alarm is turned off, so "
                      "alarm_topic_arn has nothing to notify about and is left out of the "
                      "template")]


_DNS_STACKSET = """environment: dev
dns: {zone_id: Z0123456789ABCDEFGHIJ, name: orders-cache.example.box}
stack:
  stackset:
    regions: [us-east-1, eu-west-1]
    accounts: ["111122223333"]
    parameter_overrides:
      eu-west-1: {OVERRIDE}
"""


@pytest.mark.parametrize(("override", "shared"), [
    ("{DnsZoneId: Z9876543210ZYXWVUTSRQ}", False),
    ("{DnsRecordName: orders-cache.eu-west-1.example.box}", False),
    # Route 53 names ignore case and the root's trailing dot: the same record.
    ("{DnsRecordName: Orders-Cache.Example.BOX.}", True),
], ids=["own-zone", "own-name", "same-name-written-otherwise"])
def test_a_dns_record_is_shared_only_by_regions_of_one_zone_and_name(
    override: str, shared: bool
) -> None:
    found = kinds(_DNS_STACKSET.replace("{OVERRIDE}", override))
    assert (("error", "dns-record-shared") in found) == shared, found


def test_serverless_snapshot_time_without_backups_warns() -> None:
    assert kinds(
        "environment: dev\nbackups: {retention_days: 0}\n"
        "serverless: {daily_snapshot_time: '04:00'}\n"
    ) == [("warning", "snapshot-window-unused")]


# --- names derived from the spec (rules/resource_names.py) ---------------------------


def _errors(text: str) -> list[tuple[str, tuple[object, ...]]]:
    result = compile_text(text, "t.yaml", lint=False)
    return [(d.kind, d.path) for d in result.diagnostics if d.is_error]


def _ids_in(template: dict[str, object]) -> list[str]:
    resources = template["Resources"]
    assert isinstance(resources, dict)
    ids = {"AWS::ElastiCache::User": "UserId", "AWS::ElastiCache::UserGroup": "UserGroupId"}
    return [r["Properties"][ids[r["Type"]]] for r in resources.values() if r["Type"] in ids]


@pytest.mark.parametrize(("name", "environment", "auth"), [
    ("abcdefghijklmnopqrstuvwxyz-abcd", "e", "rbac"),  # 31 + 1 + 1 + "-default" = 41
    ("abcdefghijklmnopqrstuvwxyz-abcde", "production-eu-w1", "iam"),  # 49, all three ids
])
def test_user_ids_one_over_the_limit_are_refused_at_name(
    name: str, environment: str, auth: str
) -> None:
    users = "  users: [{name: app, access: 'on ~* +@all', password: iam}]\n"
    text = f"cachec: 1\nname: {name}\nenvironment: {environment}\nsecurity:\n  auth: {auth}\n"
    assert _errors(text + (users if auth == "rbac" else "")) == [
        ("derived-name-invalid", ("name",))
    ]


def test_ids_at_the_limit_pass_and_are_the_ids_the_template_holds() -> None:
    """The rule checks the names synthesis writes: 40 characters pass."""
    name = "abcdefghijklmnopqrstuvw-abcdef"  # 30 + "-d" + "-default" = 40
    text = (f"cachec: 1\nname: {name}\nenvironment: d\nsecurity:\n  auth: rbac\n"
            "  users: [{name: ab, access: 'on ~* +@all', password: iam}]\n")
    result = compile_text(text, "t.yaml", lint=False)
    assert result.ok, result.diagnostics
    assert result.template is not None
    assert sorted(map(len, _ids_in(result.template))) == [32, 35, 40]


def test_deploy_time_names_are_checked_at_their_longest(monkeypatch: pytest.MonkeyPatch) -> None:
    """A dashboard named with the region (`<stack>-<region>-...`) fits 255 at
    a 128-character stack name and the longest region; a longer form would not."""
    from compiler.vocabulary import resource_names

    text = "cachec: 1\nname: orders\nenvironment: dev\nmonitoring: {dashboard: true}\n"
    monkeypatch.setattr(resource_names, "dashboard_name",
                        lambda: "${AWS::StackName}-${AWS::Region}-cache")
    assert _errors(text) == []
    monkeypatch.setattr(resource_names, "dashboard_name",
                        lambda: "${AWS::StackName}-${AWS::Region}-" + "x" * 120)
    assert _errors(text) == [("derived-name-invalid", ("monitoring", "dashboard"))]
    (said,) = [d.message for d in compile_text(text, "t.yaml", lint=False).diagnostics
               if d.is_error]
    # 128 (stack) + 1 + 15 (the longest region, us-isof-south-1) + 1 + 120
    assert said == ("the dashboard name '${AWS::StackName}-${AWS::Region}-" + "x" * 120
                    + "', with the longest stack name and region, is 265 characters, over "
                    "the limit of 255")


def test_a_log_group_name_too_long_is_said_at_logs(monkeypatch: pytest.MonkeyPatch) -> None:
    from compiler.vocabulary import resource_names

    monkeypatch.setattr(resource_names, "log_group_name",
                        lambda log_type: "/cachec/" + log_type + "/" + "x" * 600)
    text = ("cachec: 1\nname: orders\nenvironment: dev\n"
            "logs: {slow_log: true, engine_log: true}\n")
    assert _errors(text) == [("derived-name-invalid", ("logs",))] * 2


def test_each_alarm_name_is_checked_with_every_suffix_at_its_alarm(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An alarm split over several metric-math alarms takes a suffix per part:
    each name is checked with it, and a name too long is said at its alarm."""
    from compiler.vocabulary import resource_names

    monkeypatch.setattr(resource_names, "alarm_name", lambda key, suffix: (
        "${AWS::StackName}-" + key + ("x" * 200 if suffix else "")))
    text = "cachec: 1\nname: orders\nenvironment: dev\n"
    result = compile_text(text, "t.yaml", lint=False)
    assert result.spec is not None and len(result.spec.monitoring.alarms) >= 3
    assert set(_errors(text)) == {("derived-name-invalid", ("monitoring", "alarms", a.key))
                                  for a in result.spec.monitoring.alarms}


def test_every_derived_name_in_the_goldens_fits() -> None:
    """Synthesis and the rule agree: no golden holds an id the rule would refuse."""
    from pathlib import Path

    from compiler.vocabulary import resource_names

    for spec in sorted((Path(__file__).parent / "golden").glob("*/spec.yaml")):
        result = compile_text(spec.read_text(encoding="utf-8"), str(spec), lint=False)
        assert result.template is not None, spec
        for found in _ids_in(result.template):
            assert not resource_names.problems(found, resource_names.USER_ID), (spec, found)


def _access_errors(access: str) -> list[tuple[str, str]]:
    return kinds(f"environment: dev\nengine: valkey\nsecurity:\n  auth: rbac\n"
                 f"  users: [{{name: app, access: '{access}', password: iam}}]\n")


@pytest.mark.parametrize(
    "rule", [">secret123", "<secret123", "#" + "a" * 64, "!" + "a" * 64,
             "nopass", "resetpass", "reset", "RESETPASS"],
)
def test_an_access_string_may_not_touch_passwords(rule: str) -> None:
    """ElastiCache manages the users' passwords: "You can't specify passwords
    in an access string" and "You can't use the reset command"
    (https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Clusters.RBAC.html).
    resetpass and reset clear the password (valkey.io/topics/acl), nopass drops it."""
    assert _access_errors(f"on {rule} ~* +@all") == [("error", "invalid-access-string")]


def test_an_access_string_without_password_rules_passes() -> None:
    assert _access_errors("on ~* +@all -@dangerous") == []


def test_minor_version_upgrades_are_on_unless_the_spec_turns_them_off() -> None:
    """AutoMinorVersionUpgrade follows auto_minor_version_upgrade (default
    true); false warns in any environment: Security Hub ElastiCache.2 and
    AWS Config flag the cache wherever it runs."""
    def upgrade(text: str) -> object:
        result = compile_text("cachec: 1\nname: t1\nenvironment: dev\n" + text, "t.yaml",
                              lint=False)
        assert result.template is not None
        return result.template["Resources"]["ReplicationGroup"]["Properties"][
            "AutoMinorVersionUpgrade"]

    assert upgrade("") is True and kinds("environment: dev\n") == []
    assert upgrade("auto_minor_version_upgrade: false\n") is False
    assert kinds("environment: dev\nauto_minor_version_upgrade: false\n") == [
        ("warning", "minor-upgrades-off")
    ]
    assert kinds("environment: dev\nauto_minor_version_upgrade: true\n") == []


def test_production_logs_without_a_key_warn() -> None:
    """checkov CKV_AWS_158 / Control Tower CT.CLOUDWATCH.PR.3: in production,
    delivered logs without logs.kms_key_id warn; without logs, or with a key,
    or outside production, nothing."""
    prod = "environment: production\nnode_type: cache.r7g.large\ntopology: {replicas: 1}\n" \
        "monitoring: {create_topic: true}\n"
    assert kinds(prod) == [("warning", "logs-without-key")]
    assert kinds(prod + "logs: {slow_log: false}\n") == []
    assert kinds(prod + "logs: {kms_key_id: " + _KEY + "}\n") == []
    assert kinds("environment: staging\n") == []
    # Only the groups cachec creates: an existing group or a Firehose stream
    # is keyed where it is managed.
    assert kinds(prod + "logs: {slow_log: {firehose: s}}\n") == []
    assert kinds(prod + "logs: {slow_log: {log_group: shared}, engine_log: true}\n") == [
        ("warning", "logs-without-key")]


def test_secrets_key_needs_a_secret_and_a_customer_key() -> None:
    assert kinds("environment: dev\nsecurity: {secrets_kms_key_id: alias/creds}\n") == []
    for auth in ("iam", "rbac\n  users: [{name: app, access: 'on ~* +@all'}]"):
        assert kinds(
            f"environment: dev\nsecurity:\n  secrets_kms_key_id: alias/creds\n  auth: {auth}\n"
        ) == []
    assert kinds(
        "environment: dev\nsecurity: {secrets_kms_key_id: alias/creds, auth: none}\n"
    ) == [("error", "secrets-key-unused"), ("warning", "auth-off")]
    for managed in ("alias/aws/secretsmanager",
                    "arn:aws:kms:us-east-1:111122223333:alias/aws/secretsmanager"):
        assert kinds(f"environment: dev\nsecurity: {{secrets_kms_key_id: '{managed}'}}\n") == [
            ("error", "aws-managed-key")
        ]


def test_the_topic_key_is_customer_managed() -> None:
    def topic(key: str) -> list[tuple[str, str]]:
        return kinds(f"environment: dev\nmonitoring: {{create_topic: {{kms_key_id: '{key}'}}}}\n")

    assert topic("alias/alarms") == []
    assert topic(_KEY) == []
    assert topic("alias/aws/sns") == [("error", "aws-managed-key")]
    assert topic("arn:aws:kms:eu-west-1:111122223333:alias/aws/sns") == [
        ("error", "aws-managed-key")
    ]


@pytest.mark.parametrize(("security", "expected"), [
    ("auth: token", []),
    ("auth: rbac\n  users: [{name: app, access: 'on ~* +@all'}]", []),
    ("auth: rbac\n  users: [{name: app, access: 'on ~* +@all', password: iam}]",
     [("error", "rotation-nothing-to-rotate")]),
    ("auth: iam", [("error", "rotation-nothing-to-rotate")]),
    ("auth: none", [("error", "rotation-nothing-to-rotate"), ("warning", "auth-off")]),
])
def test_rotation_needs_a_rotatable_secret(security: str, expected: list[object]) -> None:
    text = f"environment: dev\nsecurity:\n  {security}\n  rotation: {{function_arn: {_FUNCTION}}}\n"
    assert kinds(text) == expected


@pytest.mark.parametrize(("schedule", "ok"), [
    ("rate(4 hours)", True), ("rate(3 hours)", False), ("rate(1 days)", True),
    ("rate(1000 days)", True), ("rate(1001 days)", False), ("cron(0 4 ? * SUN *)", True),
])
def test_rotation_schedule_range(schedule: str, ok: bool) -> None:
    text = (f"environment: dev\nsecurity:\n  rotation: {{function_arn: {_FUNCTION}, "
            f"schedule: '{schedule}'}}\n")
    assert kinds(text) == ([] if ok else [("error", "rotation-schedule-range")])


def test_rotation_schedules_the_token_and_generated_passwords_only() -> None:
    """One RotationSchedule per rotatable secret: never the default user's,
    never an IAM user; each waits for the schedule and for its target."""
    def resources(security: str) -> dict[str, dict[str, object]]:
        result = compile_text(
            "cachec: 1\nname: t1\nenvironment: dev\nsecurity:\n  " + security
            + f"\n  rotation: {{function_arn: {_FUNCTION}}}\n", "t.yaml", lint=False)
        assert result.template is not None
        return {k: v for k, v in result.template["Resources"].items()
                if v["Type"] == "AWS::SecretsManager::RotationSchedule"}

    token = resources("auth: token")
    assert list(token) == ["AuthSecretRotation"]
    assert token["AuthSecretRotation"]["DependsOn"] == ["ReplicationGroup"]
    assert token["AuthSecretRotation"]["Properties"]["RotateImmediatelyOnUpdate"] is False
    rbac = resources("auth: rbac\n  users: [{name: app, access: 'on ~* +@all'}, "
                     "{name: bot, access: 'on ~* +@all', password: iam}]")
    assert list(rbac) == ["UserAppSecretRotation"]
    assert rbac["UserAppSecretRotation"]["DependsOn"] == ["UserApp"]


def _template(text: str) -> dict[str, Any]:
    result = compile_text("cachec: 1\nname: t1\nenvironment: dev\n" + text, "t.yaml", lint=False)
    assert result.template is not None, result.diagnostics
    return result.template


def test_more_security_groups_than_an_interface_takes_by_default_warn() -> None:
    """Five per network interface under the default VPC quota, cachec's own
    group counted; without it, five existing ones are fine."""
    four = "[sg-00000001, sg-00000002, sg-00000003, sg-00000004]"
    five = "[sg-00000001, sg-00000002, sg-00000003, sg-00000004, sg-00000005]"
    assert kinds(f"environment: dev\nnetwork: {{security_group_ids: {four}}}\n") == []
    (found,) = diagnostics(f"environment: dev\nnetwork: {{security_group_ids: {five}}}\n")
    assert (found.kind, found.path, found.message) == (
        "security-groups-per-interface", ("network", "security_group_ids"),
        "the cache gets 6 security groups (with the one cachec creates); an interface "
        "takes 5 under the default VPC quota (16 when raised)")
    six = five.replace("]", ", sg-00000006]")
    (found,) = diagnostics("environment: dev\nnetwork: {create_security_group: false, "
                           f"security_group_ids: {six}}}\n")
    assert found.message == ("the cache gets 6 security groups; an interface takes 5 under "
                             "the default VPC quota (16 when raised)")
    assert kinds("environment: dev\nnetwork: {create_security_group: false, "
                 f"security_group_ids: {five}}}\n") == []


def test_log_group_settings_warn_when_every_log_goes_to_an_existing_destination() -> None:
    existing = "logs: {slow_log: {log_group: shared}, retention_days: 7}\n"
    assert kinds("environment: dev\n" + existing) == [("warning", "log-settings-unused")]
    # format acts on every destination; retention on a created group
    assert kinds("environment: dev\nlogs: {slow_log: {firehose: s}, format: text}\n") == []
    assert kinds("environment: dev\nlogs: {slow_log: {firehose: s}, engine_log: true, "
                 "retention_days: 7}\n") == []


def test_an_existing_user_group_means_rbac_without_users_or_a_connect_policy() -> None:
    template = _template("security: {user_group_id: platform-users}\n")
    resources = template["Resources"]
    assert resources["ReplicationGroup"]["Properties"]["UserGroupIds"] == ["platform-users"]
    assert "AuthToken" not in resources["ReplicationGroup"]["Properties"]
    assert not {"UserGroup", "DefaultUser", "ConnectPolicy", "AuthSecret"} & set(resources)
    assert template["Outputs"]["UserGroupId"]["Value"] == "platform-users"
    iam = _template("security: {auth: iam, user_group_id: platform-users}\n")
    assert not {"IamUser", "ConnectPolicy", "ConnectPolicyArn"} & {
        *iam["Resources"], *iam["Outputs"]}
    assert kinds("environment: dev\nsecurity: {auth: none, user_group_id: g1}\n") == [
        ("error", "user-group-needs-rbac"), ("warning", "auth-off")]


def test_existing_parameter_groups_of_ones_own_are_taken_as_written() -> None:
    """Only AWS's default groups name their family; a custom name is not checked."""
    assert kinds("environment: dev\nparameter_group_name: team-redis7\n") == []
    template = _template("parameter_group_name: team-redis7\n")
    assert "ParameterGroup" not in template["Resources"]
    props = template["Resources"]["ReplicationGroup"]["Properties"]
    assert props["CacheParameterGroupName"] == "team-redis7"
    assert kinds("environment: dev\nengine: valkey\nengine_version: '8.0'\n"
                 "parameter_group_name: default.valkey8\n") == []


@pytest.mark.parametrize(("written", "topology", "suggested"), [
    ("default.redis7", "topology: {shards: 2}\n", "use default.redis7.cluster.on"),
    ("default.redis7.cluster.on", "", "use default.redis7"),
])
def test_a_mismatched_default_parameter_group_names_the_one_to_use(
    written: str, topology: str, suggested: str
) -> None:
    """AWS's default groups: default.<family>, with cluster mode .cluster.on
    (ParameterGroups.Engine.html)."""
    text = (f"cachec: 1\nname: orders\nenvironment: dev\nengine: redis\n"
            f"engine_version: '7.1'\nparameter_group_name: {written}\n{topology}")
    said = [d.message for d in compile_text(text, "s.yaml", lint=False).diagnostics
            if d.kind == "parameter-group-mismatch"]
    assert len(said) == 1 and said[0].endswith(suggested), said


def test_availability_zones_follow_the_shape() -> None:
    props = _template("topology: {replicas: 1, multi_az: false, "
                      "availability_zones: [us-east-1a, us-east-1a]}\n"
                      )["Resources"]["ReplicationGroup"]["Properties"]
    assert props["PreferredCacheClusterAZs"] == ["us-east-1a", "us-east-1a"]
    # one shard in cluster mode: a list per shard, without ReplicasPerNodeGroup
    props = _template("topology: {cluster_mode: true, replicas: 0, "
                      "availability_zones: [[us-east-1b]]}\n"
                      )["Resources"]["ReplicationGroup"]["Properties"]
    assert props["NodeGroupConfiguration"] == [
        {"NodeGroupId": "0001", "PrimaryAvailabilityZone": "us-east-1b", "ReplicaCount": 0}]
    assert "ReplicasPerNodeGroup" not in props and "PreferredCacheClusterAZs" not in props
    assert kinds("environment: dev\ntopology: {replicas: 1, availability_zones: "
                 "[[us-east-1a, us-east-1b]]}\n") == [("error", "availability-zones-mismatch")]
    assert kinds("environment: dev\ntopology: {replicas: 1, availability_zones: "
                 "[us-east-1a, us-east-1b]}\nstack: {expose: [replicas]}\n") == [
        ("error", "availability-zones-mismatch")]
    # a StackSet in the zones' own Region only is fine
    assert "availability-zones-region" not in {
        kind for _, kind in kinds("environment: dev\ntopology: {replicas: 1, availability_zones: "
                                  "[eu-west-1a, eu-west-1b]}\nstack: {stackset: {regions: "
                                  "[eu-west-1], accounts: ['111111111111']}}\n")}
