"""Issue 19's inputs of engineer C: ElastiCache event notifications, alarm
targets per state, a serverless cache restored from snapshots, a Route 53
record. The goldens (event-topic, alarm-actions, serverless-restore,
dns-primary, dns-cluster), bad specs and diff pairs hold the templates; here
the rules' edge cases and the update classification."""

from __future__ import annotations

from typing import Any

from compiler.api import compile_text
from compiler.catalog import update_behavior as ub

_ARN = "arn:aws:sns:us-east-1:111122223333:"
_SNAPSHOT = "arn:aws:elasticache:{}:111122223333:serverlesscachesnapshot:orders-1"


def _compiled(text: str) -> tuple[dict[str, Any] | None, list[tuple[str, str]]]:
    result = compile_text("cachec: 1\nname: t1\n" + text, "t.yaml", lint=False)
    return result.template, sorted((d.severity.value, d.kind) for d in result.diagnostics)


def _kinds(text: str, *only: str) -> list[tuple[str, str]]:
    return [k for k in _compiled(text)[1] if not only or k[1] in only]


def _stackset(overrides: str = "") -> str:
    return ("stack:\n  stackset:\n    regions: [us-east-1, eu-west-1]\n"
            "    accounts: ['111122223333']\n" + overrides)


def test_alarm_actions_alone_notify_a_production_cache() -> None:
    """alarm_actions is somebody to page: no alarms-without-notifications; OK
    and insufficient-data topics alone page nobody when an alarm fires."""
    prod = "environment: production\n"
    assert ("warning", "alarms-without-notifications") not in _kinds(
        prod + f"monitoring: {{alarm_actions: ['{_ARN}pager']}}\n")
    assert ("warning", "alarms-without-notifications") in _kinds(
        prod + f"monitoring: {{ok_actions: ['{_ARN}info']}}\n")


def test_each_state_gets_the_main_topic_and_its_own_list() -> None:
    template, found = _compiled(
        "environment: dev\nmonitoring:\n  create_topic: true\n"
        f"  alarm_actions: ['{_ARN}pager', 'arn:aws:sns:eu-west-1:444455556666:central']\n"
    )
    assert template is not None and found == []
    alarm = template["Resources"]["MemoryAlarm"]["Properties"]
    assert alarm["OKActions"] == alarm["InsufficientDataActions"] == [{"Ref": "AlarmTopic"}]
    # Built in the deploy region (CloudWatch notifies only topics of the alarm's
    # region), the accounts in a Parameter: no literal account in the template.
    def extra(index: int) -> dict[str, Any]:
        return {"Fn::Sub": ["arn:${AWS::Partition}:sns:${AWS::Region}:${Topic}",
                            {"Topic": {"Fn::Select": [index, {"Ref": "AlarmActionTopics"}]}}]}

    assert alarm["AlarmActions"] == [{"Ref": "AlarmTopic"}, extra(0), extra(1)]
    assert template["Parameters"]["AlarmActionTopics"]["Default"] == (
        "111122223333:pager,444455556666:central")


def test_a_topic_twice_in_one_list_is_refused() -> None:
    """Two ARNs that differ only in region are one topic in the deploy region."""
    twice = (f"environment: dev\nmonitoring:\n  ok_actions: ['{_ARN}info', "
             "'arn:aws:sns:eu-west-1:111122223333:info']\n")
    assert _kinds(twice) == [("error", "duplicate-alarm-action")]
    # One name in two accounts is two topics (rules.monitoring._account_and_name).
    apart = (f"environment: dev\nmonitoring:\n  ok_actions: ['{_ARN}info', "
             "'arn:aws:sns:us-east-1:444455556666:info']\n")
    assert _kinds(apart) == []
    # The same topic in two states' lists is what the lists are for.
    both = (f"environment: dev\nmonitoring:\n  ok_actions: ['{_ARN}info']\n"
            f"  insufficient_data_actions: ['{_ARN}info']\n")
    assert _kinds(both) == []


def test_the_event_topic_is_the_stacks_own_accounts() -> None:
    """ElastiCache publishes only to its owner's topics: the account is the stack's."""
    template, found = _compiled(
        "environment: dev\nmonitoring:\n  enabled: false\n"
        "  event_topic_arn: arn:aws:sns:eu-west-1:444455556666:events\n"
    )
    assert template is not None and found == []  # events are not alarms: works without them
    props = template["Resources"]["ReplicationGroup"]["Properties"]
    assert props["NotificationTopicArn"] == {
        "Fn::Sub": "arn:${AWS::Partition}:sns:${AWS::Region}:${AWS::AccountId}:"
        "${EventTopicName}"
    }
    assert template["Parameters"]["EventTopicName"]["Default"] == "events"


def test_snapshots_must_be_in_every_stackset_region() -> None:
    spec = ("environment: dev\nserverless:\n  restore_from:\n"
            f"    - {_SNAPSHOT.format('us-east-1')}\n")
    kind = "restore-snapshot-region"
    assert _kinds(spec + _stackset(), kind) == [("error", kind)]
    override = ("    parameter_overrides:\n      eu-west-1:\n        SnapshotArnsToRestore: "
                f"{_SNAPSHOT.format('eu-west-1')}\n")
    assert _kinds(spec + _stackset(override), kind) == []
    two_regions = spec + f"    - {_SNAPSHOT.format('eu-west-1').replace('-1', '-2', 1)}\n"
    assert _kinds(two_regions, kind) == [("error", kind)]
    assert _kinds(spec, kind) == []  # one stack: deployed where its snapshot is


def test_the_record_points_at_the_endpoint_of_each_shape() -> None:
    dns = "dns: {zone_id: Z0123456789ABCDEFGHIJ, name: c.example.com}\n"
    endpoints = {
        "": "PrimaryEndPoint.Address",
        "topology: {shards: 2, replicas: 1}\n": "ConfigurationEndPoint.Address",
    }
    for shape, attribute in endpoints.items():
        template, _ = _compiled("environment: dev\n" + shape + dns)
        assert template is not None
        record = template["Resources"]["DnsRecord"]["Properties"]
        assert record["ResourceRecords"] == [{"Fn::GetAtt": ["ReplicationGroup", attribute]}]
        assert record["Type"] == "CNAME" and record["TTL"] == "60"
        assert template["Outputs"]["DnsName"]["Value"] == {"Ref": "DnsRecord"}
    template, _ = _compiled("environment: dev\nserverless: {}\n" + dns)
    assert template is not None
    assert template["Resources"]["DnsRecord"]["Properties"]["ResourceRecords"] == [
        {"Fn::GetAtt": ["ServerlessCache", "Endpoint.Address"]}
    ]


def test_one_record_per_zone_and_name_across_stackset_regions() -> None:
    spec = "environment: dev\ndns: {zone_id: Z0123456789ABCDEFGHIJ, name: c.example.com}\n"
    kind = "dns-record-shared"
    assert _kinds(spec + _stackset(), kind) == [("error", kind)]
    per_region = ("    parameter_overrides:\n      eu-west-1:\n"
                  "        DnsRecordName: c.eu-west-1.example.com\n")
    assert _kinds(spec + _stackset(per_region), kind) == []
    # A trailing dot or capitals name the same record.
    same = "    parameter_overrides:\n      eu-west-1:\n        DnsRecordName: C.example.com.\n"
    assert _kinds(spec + _stackset(same), kind) == [("error", kind)]


def test_update_classification_of_the_new_properties() -> None:
    rg, sls, record = ub.REPLICATION_GROUP, ub.SERVERLESS_CACHE, "AWS::Route53::RecordSet"
    assert ub.property_update(rg, "NotificationTopicArn", "a", "b", {}).action == (
        ub.NO_INTERRUPTION)
    assert ub.property_update(sls, "SnapshotArnsToRestore", None, ["a"], {}).action == (
        ub.REPLACEMENT)
    assert ub.property_update(record, "Name", "a.example.com", "b.example.com", {}).action == (
        ub.REPLACEMENT)
    assert ub.property_update(record, "HostedZoneId", "Z1", "Z2", {}).action == ub.REPLACEMENT
    assert ub.property_update(record, "TTL", "60", "300", {}).action == ub.NO_INTERRUPTION
