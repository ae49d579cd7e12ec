"""Golden diffs: tests/diffs/<case>/before.yaml -> after.yaml, as `build` would judge it.

Both specs are compiled at test time (the published template is the one
before.yaml builds today, optionally patched by before.patch.yaml to stand
for what an older compiler published), so synthesis changes elsewhere do not
stale the inputs. expected.txt and expected.json are compared byte for byte;
`pytest --update-golden` rewrites them: review the diff.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from compiler import diff
from compiler.api import compile_text
from compiler.vocabulary.provenance import SpecSources

DIFFS = Path(__file__).parent / "diffs"
CASES = sorted(p.name for p in DIFFS.iterdir() if (p / "after.yaml").is_file())


def _merge(base: dict[str, Any], patch: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in patch.items():
        inner = merged.get(key)
        if isinstance(value, dict) and isinstance(inner, dict):
            merged[key] = _merge(inner, value)
        else:
            merged[key] = value
    return merged


def _published_parts(folder: Path) -> tuple[dict[str, dict[str, Any]], dict[str, SpecSources]]:
    """The parts (a global datastore's secondary regions) before.yaml builds,
    and their records."""
    spec = folder / "before.yaml"
    result = compile_text(spec.read_text(encoding="utf-8"), "before.yaml", lint=False)
    return ({part.name: yaml.safe_load(part.text) for part in result.parts},
            {part.name: part.sources for part in result.parts})


def _published(folder: Path) -> tuple[dict[str, Any], SpecSources | None]:
    """The published template and the record of the build that made it (None
    when before.patch.yaml stands for what an older compiler published: the
    versions published before records were kept have none)."""
    spec = folder / "before.yaml"
    result = compile_text(spec.read_text(encoding="utf-8"), "before.yaml", lint=False)
    assert result.ok and result.text is not None, result.diagnostics
    template: dict[str, Any] = yaml.safe_load(result.text)
    patch = folder / "before.patch.yaml"
    if patch.is_file():
        template = _merge(template, yaml.safe_load(patch.read_text(encoding="utf-8")))
        return template, None
    return template, result.sources


def review(case: str, *, published_record: bool = True) -> tuple[diff.Review, dict[str, Any]]:
    """`published_record` False: the published version kept no record (one
    published before records were kept), so what it alone holds is read by
    the frozen table."""
    folder = DIFFS / case
    after = compile_text((folder / "after.yaml").read_text(encoding="utf-8"), "after.yaml",
                         lint=False)
    assert after.ok and after.template is not None and after.spec is not None, after.diagnostics
    published, published_sources = _published(folder)
    changes, diagnostics = diff.compare(
        published, after.template, allow_replacement=False, sources=after.sources,
        published_sources=published_sources if published_record else None,
    )
    published_parts, part_records = _published_parts(folder)
    parts, part_diagnostics = diff.compare_parts(
        # Parts came with records: no version has parts and no record.
        published_parts, after.parts, allow_replacement=False, published_sources=part_records,
    )
    # before.yaml and after.yaml always differ: the spec changed.
    report = diff.Review("after.yaml", after.spec.stack_name, 1, tuple(changes),
                         (*diagnostics, *part_diagnostics), after.marks, spec_changed=True,
                         parts=parts)
    return report, after.template


def _rendered(case: str, *, published_record: bool = True) -> dict[str, str]:
    report, template = review(case, published_record=published_record)
    return {
        "expected.txt": diff.render_text(report, template),
        "expected.json": json.dumps(diff.render_json(report), indent=2, ensure_ascii=False)
        + "\n",
    }


def test_every_listed_case_exists() -> None:
    assert {
        "port", "kms-key", "at-rest-encryption", "subnet-group-rename", "restore-source",
        "node-type-up", "node-type-down", "replicas-1-to-2", "replicas-0-to-1",
        "replicas-1-to-0", "tls-on-one-step", "tls-on-preferred", "tls-on-redis62",
        "redis71-to-valkey80", "valkey80-to-valkey72", "auth-token-to-none",
    } <= set(CASES)


@pytest.mark.parametrize("case", CASES)
def test_golden_diff(case: str, update_golden: bool) -> None:
    for name, text in _rendered(case).items():
        expected = DIFFS / case / name
        if update_golden:
            expected.write_text(text, encoding="utf-8")
        assert expected.is_file(), f"{expected} missing: run pytest --update-golden, review it"
        assert text == expected.read_text(encoding="utf-8"), f"{case}/{name}"


@pytest.mark.parametrize("case", CASES)
def test_a_version_published_without_a_record_diffs_the_same(case: str) -> None:
    """Every version published before records were kept (templates/ v1-v5,
    every user's store) has none: what only it holds is read by the frozen
    table (compiler/change/unrecorded.py), and the review reads as it did."""
    for name, text in _rendered(case, published_record=False).items():
        assert text == (DIFFS / case / name).read_text(encoding="utf-8"), f"{case}/{name}"


def _kinds(case: str) -> set[str]:
    report, _ = review(case)
    return {d.kind for d in report.diagnostics}


@pytest.mark.parametrize(
    ("case", "kinds", "empties"),
    [
        ("port", {"replaces-cache"}, True),
        ("kms-key", {"replaces-cache"}, True),
        ("at-rest-encryption", {"replaces-cache"}, True),
        ("subnet-group-rename", {"replaces-cache"}, True),
        ("restore-source", {"replaces-cache"}, True),
        ("node-type-up", set(), False),
        ("node-type-down", {"node-type-downsize"}, False),
        ("replicas-1-to-2", set(), False),
        ("replicas-0-to-1", {"first-replica-with-failover"}, False),
        ("replicas-0-to-1-step-1", set(), False),
        ("replicas-0-to-1-step-2", set(), False),
        ("replicas-1-to-0", {"last-replica-with-failover"}, False),
        ("replicas-1-to-0-step-1", set(), False),
        ("replicas-1-to-0-step-2", set(), False),
        ("tls-on-one-step", {"tls-needs-preferred"}, False),
        ("tls-on-preferred", set(), False),
        ("tls-preferred-to-required", set(), False),
        ("tls-on-redis62", {"tls-not-in-place"}, False),
        ("redis71-to-valkey80", set(), False),
        ("valkey80-to-valkey72", {"engine-downgrade"}, False),
        ("auth-token-to-none", {"replaces-cache", "auth-switch-replaces"}, True),
        ("auth-token-to-iam", {"replaces-cache", "auth-switch-replaces"}, True),
        # Users come and go inside the user group: the cache stays.
        ("auth-iam-to-rbac", set(), False),
        # A new cluster is created with TLS: no in-place path to follow.
        ("port-and-tls-on", {"replaces-cache"}, True),
        ("final-snapshot-off", {"final-snapshot-off"}, False),
        ("tls-off", {"tls-off-in-place"}, False),
        # The endpoints change DNS format with TLS: exported ones block the update.
        ("exported-endpoints-tls-on", {"export-changes"}, False),
        # Another VPC: the security groups are replaced, the cache cannot follow.
        ("vpc-change", {"vpc-change"}, False),
        # Serverless: new subnets replace the cache, so the guard stops it.
        ("serverless-vpc-change", {"replaces-cache"}, True),
        # Serverless, the VPC alone (its subnets kept): in place, and it cannot follow.
        ("serverless-vpc-only", {"vpc-change"}, False),
        # Serverless <-> nodes: a new cache, and the way to authenticate changes with it.
        ("serverless-iam-to-token", {"replaces-cache", "auth-switch-replaces"}, True),
        ("token-to-serverless-iam", {"replaces-cache", "auth-switch-replaces"}, True),
        # A replacement says whether a final snapshot is taken; a serverless
        # cache's new name is what lets CloudFormation replace it.
        ("port-without-final-snapshot", {"replaces-cache"}, True),
        ("serverless-name-changed", {"replaces-cache"}, True),
        # What else changes on a replaced cache is set on the new one.
        ("port-and-retention", {"replaces-cache"}, True),
        ("serverless-valkey-to-redis", {"engine-downgrade"}, False),
        ("serverless-major-downgrade", {"engine-downgrade"}, False),
        ("shards-2-to-3", set(), False),
        ("shards-and-node-type", {"shards-with-other-changes"}, False),
        ("shards-3-to-2", {"shard-scale-in-alarms"}, False),
        # The user group would turn valkey while the cache is still Redis OSS.
        ("redis-to-valkey-iam", {"engine-switch-with-user-group"}, False),
        ("redis-to-valkey-iam-step-1", set(), False),
        ("redis-to-valkey-iam-step-2", set(), False),
        # A global datastore: every region's template is compared with its own.
        ("global-maintenance-window", set(), False),
        ("global-kms-key", {"replaces-cache"}, True),
        ("global-secondary-dropped", {"replaces-cache"}, True),
        ("global-secondary-added", set(), False),
        # The global datastore scales every member: the primary's template alone cannot.
        ("global-node-type-up", {"global-datastore-scaling"}, False),
    ],
)
def test_case_verdicts(case: str, kinds: set[str], empties: bool) -> None:
    """The goldens' verdicts, pinned independently of their wording."""
    report, _ = review(case)
    assert {d.kind for d in report.diagnostics} == kinds
    assert report.empties_cache is empties


def test_new_family_replaces_only_the_parameter_group() -> None:
    report, _ = review("redis71-to-valkey80")
    replaced = {c.resource for c in report.changes if c.action == "replacement"}
    assert replaced == {"ParameterGroup"}
    family = next(c for c in report.changes if c.template_path[-1] == "CacheParameterGroupFamily")
    assert (family.before, family.after) == ("redis7", "valkey8")


def test_long_values_show_where_they_differ() -> None:
    """Two long values cut at the same length looked identical; the line shows
    the part around the first difference instead."""
    before = "CPUUtilization above 40% on any of the 4 nodes for 5 minutes. " + "x" * 200
    after = before.replace("4 nodes", "6 nodes")
    old, new = diff.show_pair(before, after)
    assert old != new
    assert old == "...% on any of the 4 nodes for 5 min..."
    assert new == "...% on any of the 6 nodes for 5 min..."
    # Short values, and equal ones, are written whole as before.
    assert diff.show_pair(6379, 6380) == ("6379", "6380")
    assert diff.show_pair(before, before) == (diff.show(before), diff.show(before))


def test_exported_outputs_share_one_warning() -> None:
    report, _ = review("exported-endpoints-tls-on")
    (warning,) = [d for d in report.diagnostics if d.kind == "export-changes"]
    assert warning.message.startswith(
        "Outputs PrimaryEndpoint, ReaderEndpoint, ClientEndpoint, ConnectionString are exported"
    )


def _exporting(tls: bool, **outputs: Any) -> dict[str, Any]:
    """A replication group and its Outputs, each exported unless its name says so."""
    return {
        "Resources": {"ReplicationGroup": {
            "Type": "AWS::ElastiCache::ReplicationGroup",
            "Properties": {"TransitEncryptionEnabled": tls}}},
        "Outputs": {name: {"Value": value} if name.startswith("Unexported") else
                    {"Value": value, "Export": {"Name": f"orders-{name}"}}
                    for name, value in outputs.items()},
    }


_ENDPOINT = {"Fn::GetAtt": ["ReplicationGroup", "PrimaryEndPoint.Address"]}


@pytest.mark.parametrize("tls", [False, True], ids=["tls-kept", "tls-on"])
def test_exported_outputs_that_change_or_go_away_are_named_and_only_they(tls: bool) -> None:
    """An export another stack imports blocks the update when its value
    changes or it goes away: an exported Output whose Value changes, one
    removed, and (with TLS turned on) the endpoints, whose DNS names change
    although their text does not. One kept, one added and one not exported
    say nothing.
    https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-cfn-stack-exports.html"""
    before = _exporting(False, PrimaryEndpoint=_ENDPOINT, SecurityGroupId={"Ref": "Old"},
                        Removed={"Ref": "Old"}, Kept={"Ref": "ReplicationGroup"},
                        UnexportedChanged={"Ref": "Old"})
    after = _exporting(tls, PrimaryEndpoint=_ENDPOINT, SecurityGroupId={"Ref": "New"},
                       Kept={"Ref": "ReplicationGroup"}, UnexportedChanged={"Ref": "New"},
                       Added={"Ref": "New"})
    _, diagnostics = diff.compare(before, after, allow_replacement=True)
    (warning,) = [d for d in diagnostics if d.kind == "export-changes"]
    named = "PrimaryEndpoint, SecurityGroupId, Removed" if tls else "SecurityGroupId, Removed"
    assert warning.message.startswith(f"Outputs {named} are exported and their values change")
    assert warning.path == ("stack", "exports")
    assert warning.message.endswith(
        ": CloudFormation refuses the update while another stack imports one; list them "
        "with aws cloudformation list-imports --export-name <export name> and update the "
        "importing stacks first")


def test_one_exported_output_that_changes_is_said_in_the_singular() -> None:
    before = _exporting(False, SecurityGroupId={"Ref": "Old"}, Kept={"Ref": "ReplicationGroup"})
    after = _exporting(False, SecurityGroupId={"Ref": "New"}, Kept={"Ref": "ReplicationGroup"})
    _, diagnostics = diff.compare(before, after, allow_replacement=True)
    assert [d.message for d in diagnostics if d.kind == "export-changes"] == [
        "Output SecurityGroupId is exported and its value changes (or it goes away): "
        "CloudFormation refuses the update while another stack imports it; list them with "
        "aws cloudformation list-imports --export-name <export name> and update the importing "
        "stacks first"]


def _cache(port: int, subnet_group_name: str) -> dict[str, Any]:
    return {"Resources": {
        "SubnetGroup": {"Type": "AWS::ElastiCache::SubnetGroup",
                        "Properties": {"CacheSubnetGroupName": subnet_group_name,
                                       "Description": "d", "SubnetIds": ["s"]}},
        "ReplicationGroup": {"Type": "AWS::ElastiCache::ReplicationGroup",
                             "Properties": {"Port": port,
                                            "CacheSubnetGroupName": {"Ref": "SubnetGroup"}}},
    }}


def _refused(before: dict[str, Any], after: dict[str, Any]) -> list[tuple[str, str]]:
    _, diagnostics = diff.compare(before, after, allow_replacement=False)
    return [(d.kind, ".".join(map(str, d.path))) for d in diagnostics]


def test_the_guard_names_what_the_user_changed_not_what_follows_from_it() -> None:
    """A new port replaces the cache directly; a renamed subnet group replaces
    it only through the Ref (a cascade). With both, the guard names the port
    alone: the cascade is what the port change also does, not a second
    reason. With only the cascade, it is the reason and is named."""
    published = _cache(6379, "a")
    assert _refused(published, _cache(6380, "b")) == [("replaces-cache", "port")]
    assert _refused(published, _cache(6379, "b")) == [("replaces-cache", "network.subnet_ids")]
    assert _refused(published, _cache(6379, "a")) == []


def test_a_cascade_is_named_by_the_key_that_replaces_its_target() -> None:
    """The DNS record follows the cache, which the new port replaces; the new
    node type, listed before the port in the cache's properties, is set on
    the new cache but replaces nothing, so it is not what moves the record."""
    base = (
        "cachec: 1\nname: orders\nenvironment: staging\ntopology: {replicas: 1}\n"
        "dns: {zone_id: Z0123456789ABCDEFGHIJ, name: orders-cache.staging.example.com}\n"
    )
    before = compile_text(base + "node_type: cache.r7g.large\n", "b.yaml", lint=False)
    after = compile_text(base + "node_type: cache.r7g.xlarge\nport: 6380\n", "a.yaml", lint=False)
    assert before.template is not None and after.template is not None
    changes, _ = diff.compare(before.template, after.template, allow_replacement=True,
                              sources=after.sources, published_sources=before.sources)
    cache = [c.spec_path for c in changes if c.resource == "ReplicationGroup"]
    assert cache.index(("node_type",)) < cache.index(("port",))  # the order this test needs
    [record] = [c for c in changes if c.resource == "DnsRecord"]
    assert (record.cause, record.spec_path) == ("ReplicationGroup is replaced", ("port",))


def test_the_guard_refuses_removing_the_cache() -> None:
    published = _cache(6379, "a")
    removed = {"Resources": {"SubnetGroup": published["Resources"]["SubnetGroup"]}}
    (refusal,) = diff.compare(published, removed, allow_replacement=False)[1]
    assert refusal.kind == "replaces-cache"
    assert "deletes the cache (ReplicationGroup leaves the template)" in refusal.message


@pytest.mark.parametrize("value, whole", [
    ("a" * 120, "a" * 120),
    ({"Ref": "R" * 115}, "!Ref " + "R" * 115),
    ({"Fn::GetAtt": ["R" * 108, "Arn"]}, "!GetAtt " + "R" * 108 + ".Arn"),
    ({"Fn::Sub": "s" * 113}, "!Sub '" + "s" * 113 + "'"),
])
def test_a_value_of_exactly_a_line_is_whole_and_one_more_character_is_cut(
    value: Any, whole: str
) -> None:
    """120 characters are written whole; at 121 the line ends in "..." after 117."""
    assert len(whole) == 120 and diff.show(value) == whole
    longer = json.loads(json.dumps(value).replace("R" * 10, "R" * 11, 1).replace(
        "a" * 10, "a" * 11, 1).replace("s" * 10, "s" * 11, 1))
    longer_whole = whole.replace("R" * 10, "R" * 11, 1).replace("a" * 10, "a" * 11, 1).replace(
        "s" * 10, "s" * 11, 1)
    assert len(longer_whole) == 121
    assert diff.show(longer) == longer_whole[:117] + "..."


def test_an_empty_value_is_written_as_two_quotes() -> None:
    assert diff.show("") == '""'
    assert diff.show_pair("", "x") == ('""', "x")


def test_long_values_are_cut_only_where_they_are_cut() -> None:
    """A difference near the start keeps the start without "..."; one near the
    end keeps the end without "..."; a cut of exactly a line is not cut again."""
    tail = "-" * 130
    assert diff.show_pair("a" + tail, "b" + tail) == ("a" + "-" * 16 + "...",
                                                      "b" + "-" * 16 + "...")
    # The difference 17 characters in: 16 of common text before it, after "...".
    head = "h" * 17
    assert diff.show_pair(head + "a" + tail, head + "b" + tail) == (
        "..." + "h" * 16 + "a" + "-" * 16 + "...", "..." + "h" * 16 + "b" + "-" * 16 + "...")
    assert diff.show_pair(tail + "a", tail + "b") == ("..." + "-" * 16 + "a",
                                                       "..." + "-" * 16 + "b")
    # One short value and one long one: the long one is cut around the difference.
    assert diff.show_pair("a" * 10, "a" * 10 + "b" * 150) == (
        "a" * 10, "a" * 10 + "b" * 107 + "...")
    # Both exactly a line long: written whole, even where they differ far in.
    assert diff.show_pair("a" * 120, "b" * 120) == ("a" * 120, "b" * 120)
    assert diff.show_pair("h" * 119 + "a", "h" * 119 + "b") == ("h" * 119 + "a",
                                                               "h" * 119 + "b")
    # A short value against a long one differing far in: both cut around it.
    assert diff.show_pair("h" * 50, "h" * 50 + "b" * 150) == (
        "..." + "h" * 16, "..." + "h" * 16 + "b" * 98 + "...")
    # 104 different characters then 17 common: the cut is exactly 120 characters
    # (the difference and 16 after it), shown whole with "..." for the last one.
    old, new = "a" * 104 + "z" * 17, "b" * 104 + "z" * 17
    assert diff.show_pair(old, new) == (old[:120] + "...", new[:120] + "...")


def test_a_change_no_spec_key_makes_is_named_by_its_template_path() -> None:
    after = _cache(6379, "a")
    after["Resources"]["Extra"] = {"Type": "AWS::SNS::Topic", "Properties": {}}
    (change,) = diff.compare(_cache(6379, "a"), after, allow_replacement=False)[0]
    assert change.spec_path == ()
    assert diff.describe(change, after) == "Resources.Extra: adds Extra (AWS::SNS::Topic)"


def test_a_replacement_no_spec_key_makes_is_reviewed_like_any_other() -> None:
    """A deployed template edited by hand: a resource cachec does not write
    is replaced (a new TopicName); nothing in the spec caused it."""
    before, after = _cache(6379, "a"), _cache(6379, "a")
    before["Resources"]["Extra"] = {"Type": "AWS::SNS::Topic", "Properties": {"TopicName": "a"}}
    after["Resources"]["Extra"] = {"Type": "AWS::SNS::Topic", "Properties": {"TopicName": "b"}}
    (change,), _ = diff.compare(before, after, allow_replacement=False)
    assert (change.resource, change.action, change.spec_path) == ("Extra", "replacement", ())


def test_each_region_of_a_global_datastore_says_its_own_findings() -> None:
    """A change that replaces the cache in every secondary region (a new KMS
    key) is refused once per region, each finding naming its region's template."""
    text = (Path(__file__).parent / "golden" / "global-valkey-three-regions"
            / "spec.yaml").read_text()
    before = compile_text(text, "catalog.yaml", lint=False)
    after = compile_text(text.replace("kms_key_id: alias/cache", "kms_key_id: alias/cache-v2"),
                         "catalog.yaml", lint=False)
    assert after.ok, after.diagnostics
    published = {part.name: yaml.safe_load(part.text) for part in before.parts}
    _, diagnostics = diff.compare_parts(published, after.parts, allow_replacement=False)
    assert sorted((d.kind, d.message.split(":", 1)[0]) for d in diagnostics) == [
        ("replaces-cache", "in ap-southeast-2's template"),
        ("replaces-cache", "in us-east-1's template"),
    ]


def test_a_property_written_differently_hides_no_change_after_it() -> None:
    """Port written as a Ref to a Parameter before and as its value now
    deploys the same, so it is no change; the node type after it still is."""
    def template(port: Any, node_type: str) -> dict[str, Any]:
        return {
            "Parameters": {"CachePort": {"Type": "Number", "Default": 6379}},
            "Resources": {"ReplicationGroup": {
                "Type": "AWS::ElastiCache::ReplicationGroup",
                "Properties": {"Port": port, "CacheNodeType": node_type}}},
        }

    changes, _ = diff.compare(template({"Ref": "CachePort"}, "cache.r7g.large"),
                              template(6379, "cache.r7g.xlarge"), allow_replacement=True)
    assert [(c.template_path[-1], c.before, c.after) for c in changes] == [
        ("CacheNodeType", "cache.r7g.large", "cache.r7g.xlarge")]


def test_a_cascade_no_spec_key_set_off_keeps_its_own_key() -> None:
    """A hand-made topic replaced (no spec key made it) moves the cache's
    NotificationTopicArn that refers to it: that change is said as its own
    key, there being no key that set it off."""
    before, after = _cache(6379, "a"), _cache(6379, "a")
    for template, topic in ((before, "a"), (after, "b")):
        template["Resources"]["Extra"] = {"Type": "AWS::SNS::Topic",
                                          "Properties": {"TopicName": topic}}
        template["Resources"]["ReplicationGroup"]["Properties"]["NotificationTopicArn"] = {
            "Ref": "Extra"}
    changes, _ = diff.compare(before, after, allow_replacement=True)
    moved = next(c for c in changes if c.resource == "ReplicationGroup")
    assert (moved.template_path[-1], moved.cause, moved.spec_path) == (
        "NotificationTopicArn", "Extra is replaced", ("monitoring", "event_topic_arn"))


def test_a_resource_whose_type_changes_is_replaced_at_its_type() -> None:
    before, after = _cache(6379, "a"), _cache(6379, "a")
    before["Resources"]["Extra"] = {"Type": "AWS::SNS::Topic", "Properties": {}}
    after["Resources"]["Extra"] = {"Type": "AWS::SQS::Queue", "Properties": {}}
    (change,), _ = diff.compare(before, after, allow_replacement=True)
    assert (change.template_path, change.before, change.after, change.action, change.cause) == (
        ("Resources", "Extra", "Type"), "AWS::SNS::Topic", "AWS::SQS::Queue", "replacement",
        "resource type changed")
