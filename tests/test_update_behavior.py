"""The create-only table: generated from cfn-lint's schemas, reviewed where conditional."""

from __future__ import annotations

import pytest

from compiler.catalog import create_only
from compiler.catalog import update_behavior as ub
from compiler.change.changes import classify, references


def test_committed_table_matches_installed_cfn_lint() -> None:
    """Fails when cfn-lint's bundled schemas change: review what moved (a
    property that became create-only now replaces resources), then run
    `python -m compiler.catalog.create_only` and commit the new file."""
    assert create_only.table() == create_only.generate()


def test_every_conditional_case_is_reviewed() -> None:
    """A conditionally create-only property needs a hand-written decision."""
    for resource_type, entry in create_only.table()["types"].items():
        for prop in entry["conditionalCreateOnly"]:
            assert (resource_type, prop) in ub.CONDITIONAL, (resource_type, prop)


def test_runtime_does_not_import_cfn_lint() -> None:
    import subprocess
    import sys

    code = (
        "import sys; from compiler.catalog import create_only; "
        "create_only.create_only('AWS::ElastiCache::ReplicationGroup'); "
        "print('cfnlint' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"


def test_references() -> None:
    value = {"Fn::Sub": "${ReplicationGroup}-001 ${AWS::StackName} ${Secret.Arn}"}
    assert references(value) == {"ReplicationGroup", "Secret"}
    assert references([{"Ref": "A"}, {"Fn::GetAtt": ["B", "GroupId"]}]) == {"A", "B"}


def _template(subnet_group_name: str | None, description: str = "d") -> dict[str, object]:
    subnet_props: dict[str, object] = {"Description": description, "SubnetIds": ["s"]}
    if subnet_group_name:
        subnet_props["CacheSubnetGroupName"] = subnet_group_name
    return {
        "Resources": {
            "SubnetGroup": {"Type": "AWS::ElastiCache::SubnetGroup", "Properties": subnet_props},
            "ReplicationGroup": {
                "Type": "AWS::ElastiCache::ReplicationGroup",
                "Properties": {"CacheSubnetGroupName": {"Ref": "SubnetGroup"}},
            },
            "Alarm": {
                "Type": "AWS::CloudWatch::Alarm",
                "Properties": {"Metrics": [{"Fn::Sub": "${ReplicationGroup}-001"}]},
            },
        }
    }


def test_replacement_cascades_through_references() -> None:
    changes = classify(_template("old-name"), _template("new-name"))
    actions = {(c.resource, c.template_path[-1]): c.action for c in changes}
    assert actions == {
        ("SubnetGroup", "CacheSubnetGroupName"): ub.REPLACEMENT,
        ("ReplicationGroup", "CacheSubnetGroupName"): ub.REPLACEMENT,
        ("Alarm", "Metrics"): ub.NO_INTERRUPTION,
    }


def test_generated_name_left_unset_does_not_replace() -> None:
    changes = classify(_template(None, "a"), _template(None, "b"))
    assert [(c.resource, c.action) for c in changes] == [("SubnetGroup", ub.NO_INTERRUPTION)]


def test_an_unreviewed_conditional_case_is_a_replacement(monkeypatch: pytest.MonkeyPatch) -> None:
    """When a cfn-lint upgrade makes a property conditionally create-only before
    anyone has read when it replaces, diff must assume it does: saying
    "in place" could let a build delete the cache's data."""
    monkeypatch.delitem(ub.CONDITIONAL, (ub.REPLICATION_GROUP, "AuthToken"))
    behavior = ub.property_update(ub.REPLICATION_GROUP, "AuthToken", None, "t" * 16, {})
    assert behavior == ub.Behavior(ub.REPLACEMENT, "conditionally create-only (not reviewed)")


def _without(template: dict[str, object], name: str) -> dict[str, object]:
    resources = template["Resources"]
    assert isinstance(resources, dict)
    return {"Resources": {k: v for k, v in resources.items() if k != name}}


def test_removing_the_cache_empties_it() -> None:
    """Deleting the replication group loses its data as surely as replacing it;
    deleting another resource does not."""
    before = _template("name")
    (removed,) = classify(before, _without(before, "ReplicationGroup"))
    assert (removed.resource, removed.action) == ("ReplicationGroup", ub.REMOVE)
    assert removed.empties_cache
    (alarm,) = classify(before, _without(before, "Alarm"))
    assert (alarm.resource, alarm.action, alarm.empties_cache) == ("Alarm", ub.REMOVE, False)


def test_resharding_is_online_only_when_the_update_policy_says_true() -> None:
    """CFN-RG (NumNodeGroups, NodeGroupConfiguration): in place with
    UpdatePolicy UseOnlineResharding: true, a replacement without it or with false."""
    def shards(policy: dict[str, object]) -> str:
        resource = {"UpdatePolicy": policy}
        return ub.property_update(ub.REPLICATION_GROUP, "NumNodeGroups", 2, 3, resource).action

    assert shards({"UseOnlineResharding": True}) == ub.SOME_INTERRUPTION
    assert shards({"UseOnlineResharding": False}) == ub.REPLACEMENT
    assert shards({}) == ub.REPLACEMENT
    # The reason diff prints beside the action ("replacement (...): path").
    assert ub.property_update(ub.REPLICATION_GROUP, "NumNodeGroups", 2, 3, {}) == ub.Behavior(
        ub.REPLACEMENT, "shards change without UpdatePolicy UseOnlineResharding")


def _with_parameter(parameter: dict[str, object] | None, groups: object) -> dict[str, object]:
    template: dict[str, object] = {"Resources": {"ClientGroup": {
        "Type": "AWS::EC2::SecurityGroupIngress",
        "Properties": {"GroupId": "sg-cache", "SourceSecurityGroupId": groups}}}}
    if parameter is not None:
        template["Parameters"] = {"Groups": parameter}
    return template


def test_a_value_moved_into_a_list_parameter_is_no_change() -> None:
    """A literal list that becomes a Ref to a list Parameter whose Default
    (comma-separated, as CloudFormation takes it) is that list deploys the
    same value, for List<...> and CommaDelimitedList Parameters alike."""
    before = _with_parameter(None, ["sg-1", "sg-2"])
    for kind in ("List<AWS::EC2::SecurityGroup::Id>", "CommaDelimitedList"):
        after = _with_parameter({"Type": kind, "Default": "sg-1,sg-2"}, {"Ref": "Groups"})
        changed = {c.resource for c in classify(before, after)}
        assert changed == {"Groups"}, kind  # the new Parameter itself, not the ingress rule


def test_a_removed_parameter_is_a_change() -> None:
    """A Parameter that leaves the template leaves vN.parameters.json too."""
    before = _with_parameter({"Type": "String", "Default": "sg-1"}, "sg-1")
    (change,) = classify(before, _with_parameter(None, "sg-1"))
    assert (change.resource, change.resource_type, change.before, change.after) == (
        "Groups", "Parameter", "sg-1", None)


def test_an_auth_token_changed_is_rotated_in_and_one_added_or_removed_replaces() -> None:
    """CFN-RG AuthToken, "Update requires: Some interruptions" for a new token;
    adding or removing one is the conditionally create-only case
    (cloudformation-coverage-roadmap #2356). Found by the first mutation run:
    no test asserted either branch."""
    def token(before: object, after: object) -> ub.Behavior:
        return ub.property_update(ub.REPLICATION_GROUP, "AuthToken", before, after, {})

    assert token("old-token-value-1", "new-token-value-2") == ub.Behavior(
        ub.SOME_INTERRUPTION, "a new AUTH token is rotated in")
    for before, after in (("old-token-value-1", None), (None, "new-token-value-2")):
        assert token(before, after).action == ub.REPLACEMENT, (before, after)


def test_the_shard_layout_follows_the_resharding_policy_too() -> None:
    """NodeGroupConfiguration changes with the shard count: the same decision."""
    online = {"UpdatePolicy": {"UseOnlineResharding": True}}
    assert ub.property_update(ub.REPLICATION_GROUP, "NodeGroupConfiguration", [1], [1, 2],
                              online).action == ub.SOME_INTERRUPTION
    assert ub.property_update(ub.REPLICATION_GROUP, "NodeGroupConfiguration", [1], [1, 2],
                              {}).action == ub.REPLACEMENT


def test_a_subscription_moved_to_another_region_is_a_new_subscription() -> None:
    assert ub.property_update("AWS::SNS::Subscription", "Region", "us-east-1", "eu-west-1",
                              {}) == ub.Behavior(ub.REPLACEMENT,
                                                 "subscription moves to another region")


@pytest.mark.parametrize(("resource_type", "prop", "action"), [
    # Issue 19's keys: re-encrypting a secret or a topic happens in place; a
    # rotation schedule moved to another secret is a new schedule.
    ("AWS::SecretsManager::Secret", "KmsKeyId", ub.NO_INTERRUPTION),
    ("AWS::SNS::Topic", "KmsMasterKeyId", ub.NO_INTERRUPTION),
    ("AWS::SecretsManager::RotationSchedule", "RotationLambdaARN", ub.NO_INTERRUPTION),
    ("AWS::SecretsManager::RotationSchedule", "RotationRules", ub.NO_INTERRUPTION),
    ("AWS::SecretsManager::RotationSchedule", "SecretId", ub.REPLACEMENT),
])
def test_customer_keys_and_rotation_update_as_the_schemas_say(
    resource_type: str, prop: str, action: str
) -> None:
    assert ub.property_update(resource_type, prop, "a", "b", {}).action == action


def test_preferred_zones_of_an_existing_shard_changed_replace_the_cache() -> None:
    """topology.availability_zones in cluster mode: a new shard with its zones
    reshards online; zones added, removed, or changed on a shard that exists
    are the safe reading, replacement."""
    online = {"UpdatePolicy": {"UseOnlineResharding": True}}
    one = {"NodeGroupId": "0001", "PrimaryAvailabilityZone": "us-east-1a", "ReplicaCount": 0}
    two = {"NodeGroupId": "0002", "PrimaryAvailabilityZone": "us-east-1b", "ReplicaCount": 0}
    moved = {**one, "PrimaryAvailabilityZone": "us-east-1c"}

    def decide(before: object, after: object) -> str:
        return ub.property_update(ub.REPLICATION_GROUP, "NodeGroupConfiguration", before, after,
                                  online).action

    assert decide([one], [one, two]) == ub.SOME_INTERRUPTION
    assert decide([one, two], [one]) == ub.SOME_INTERRUPTION
    assert decide([one], [moved]) == ub.REPLACEMENT
    assert decide(None, [one]) == ub.REPLACEMENT
    assert decide([one], None) == ub.REPLACEMENT
    # the cause a diff prints beside the replacement
    assert ub.property_update(ub.REPLICATION_GROUP, "NodeGroupConfiguration", None, [one],
                              online).cause == (
        "preferred zones added or removed (conditionally create-only)")
