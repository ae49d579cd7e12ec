"""The IAM policy a role needs to deploy any template cachec writes.

Generated, not typed: every resource type cachec emits carries, in its
CloudFormation resource provider schema (bundled with cfn-lint), the exact
permissions its create, read, update and delete handlers call. Those lists
are per type; what a property makes the handler (or CloudFormation) call
besides is missing from them, so PROPERTY_ACTIONS adds it, each entry with
its source. Their union is `docs/deploy-role-policy.json`:

    python -m compiler.deploy.deploy_policy > docs/deploy-role-policy.json

The suite checks the file is current and, for every golden and published
template, that `required_actions` of the resource types and properties it
holds is granted. Not part of the compile pipeline: it imports cfn-lint.
"""

from __future__ import annotations

import json
from typing import Any

from awacs.aws import Action, Allow, Condition, PolicyDocument, Statement, StringEquals

from ..vocabulary.names import RESOURCE_TYPES

_HANDLERS = ("create", "read", "update", "delete")

# What the stack operations themselves need: `aws cloudformation deploy`
# (change sets), the console, and set-stack-policy for the stack policy.
STACK_ACTIONS: tuple[str, ...] = (
    "cloudformation:CreateChangeSet",
    "cloudformation:CreateStack",
    "cloudformation:DeleteChangeSet",
    "cloudformation:DeleteStack",
    "cloudformation:DescribeChangeSet",
    "cloudformation:DescribeStackEvents",
    "cloudformation:DescribeStackResources",
    "cloudformation:DescribeStacks",
    "cloudformation:ExecuteChangeSet",
    "cloudformation:GetTemplate",
    "cloudformation:GetTemplateSummary",
    "cloudformation:ListStackResources",
    "cloudformation:SetStackPolicy",
    "cloudformation:UpdateStack",
    "cloudformation:ValidateTemplate",
)

# Actions a property makes necessary beyond its type's handler lists:
# (resource type, property) -> actions. The property's presence in a
# template's resource is what requires them.
PROPERTY_ACTIONS: dict[tuple[str, str], tuple[str, ...]] = {
    # Deleting a serverless cache with a final snapshot: "CreateServerlessCacheSnapshot
    # permission is required to create a final snapshot. Without this permission,
    # the API call will fail with an Access Denied exception"
    # (https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_DeleteServerlessCache.html).
    # The ServerlessCache delete handler lists only DeleteServerlessCache,
    # DescribeServerlessCaches and ListTagsForResource.
    ("AWS::ElastiCache::ServerlessCache", "FinalSnapshotName"): (
        "elasticache:CreateServerlessCacheSnapshot",
    ),
    # ElastiCache's log delivery writes the log group's resource policy on the
    # first delivery ("Permissions to publish logs to CloudWatch Logs",
    # https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Logging-destinations.html).
    ("AWS::ElastiCache::ReplicationGroup", "LogDeliveryConfigurations"): (
        "logs:DescribeLogGroups",
        "logs:DescribeResourcePolicies",
        "logs:PutResourcePolicy",
    ),
    # CloudFormation resolves `{{resolve:secretsmanager:...}}` (the AUTH token,
    # an RBAC user's password) with the deploying principal's permissions
    # (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/dynamic-references-secretsmanager.html).
    ("AWS::ElastiCache::ReplicationGroup", "AuthToken"): ("secretsmanager:GetSecretValue",),
    ("AWS::ElastiCache::User", "AuthenticationMode"): ("secretsmanager:GetSecretValue",),
    # A secret under a customer managed key: Secrets Manager encrypts the
    # generated value with kms:GenerateDataKey and reads it back (for the
    # dynamic references above) with kms:Decrypt, both on behalf of the
    # caller ("To use a customer managed key ... kms:GenerateDataKey,
    # kms:Decrypt", https://docs.aws.amazon.com/secretsmanager/latest/userguide/security-encryption.html).
    # The key policy must grant them too (docs/customer-keys.md).
    ("AWS::SecretsManager::Secret", "KmsKeyId"): ("kms:Decrypt", "kms:GenerateDataKey"),
}

# The first cache in an account creates ElastiCache's service-linked role
# (https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/using-service-linked-roles.html),
# log delivery the CloudWatch Logs one; nothing else may be created.
SERVICE_LINKED_ROLES: tuple[str, ...] = ("delivery.logs.amazonaws.com", "elasticache.amazonaws.com")

# Handler permissions that are not IAM actions at all (the LogGroup schema
# lists an S3 REST operation name); left out.
NOT_ACTIONS = frozenset({"s3:REST.PUT.OBJECT"})

# The ManagedPolicy handlers attach the policy to the Roles, Users and Groups
# the template names; cachec's ConnectPolicy names none (application teams
# attach it themselves), and iam:Attach*Policy on "*" would let the deployer
# grant itself any managed policy. Detaching stays: deleting the stack
# detaches the policy from the roles that use it.
NEVER_ATTACHES = frozenset({
    "iam:AttachGroupPolicy", "iam:AttachRolePolicy", "iam:AttachUserPolicy",
})

# Handler permissions too strong for Resource "*", narrowed to what cachec's
# templates can need. IAM: the handlers list role actions for features cachec
# never sets (SNS delivery-status roles, ElastiCache's own role), and
# iam:PassRole / iam:PutRolePolicy on any role would let the deployer escalate.
# S3: only the .rdb objects a spec restores from (backups.restore_from).
NARROWED: dict[str, tuple[str, ...]] = {
    "iam:CreateServiceLinkedRole": ("*",),
    "iam:GetRole": ("arn:*:iam::*:role/aws-service-role/*",),
    "iam:PassRole": ("arn:*:iam::*:role/aws-service-role/*",),
    "iam:PutRolePolicy": ("arn:*:iam::*:role/aws-service-role/*",),
    "s3:GetObject": ("arn:*:s3:::*/*.rdb",),
}


def handler_actions(resource_types: tuple[str, ...] | set[str] = RESOURCE_TYPES) -> set[str]:
    from cfnlint.schema import PROVIDER_SCHEMA_MANAGER

    found: set[str] = set()
    for resource_type in resource_types:
        schema = PROVIDER_SCHEMA_MANAGER.get_resource_schema("us-east-1", resource_type).schema
        handlers = schema["handlers"]
        for handler in _HANDLERS:  # not every type has all four (TopicPolicy: no read)
            found.update(handlers.get(handler, {}).get("permissions", ()))
    return found


def required_actions(resources: dict[str, Any]) -> set[str]:
    """What deploying, updating and deleting these template Resources calls:
    their types' handler permissions and what their properties add, less what
    the policy never grants (NOT_ACTIONS, NEVER_ATTACHES)."""
    types = {resource["Type"] for resource in resources.values()}
    needed = handler_actions(types)
    for resource in resources.values():
        for prop in resource.get("Properties", {}):
            needed.update(PROPERTY_ACTIONS.get((resource["Type"], prop), ()))
    return needed - NOT_ACTIONS - NEVER_ATTACHES


def _property_actions() -> set[str]:
    return {a for (rtype, _), actions in PROPERTY_ACTIONS.items() if rtype in RESOURCE_TYPES
            for a in actions}


def _actions(names: set[str] | tuple[str, ...]) -> list[Action]:
    return [Action(*name.split(":", 1)) for name in sorted(names)]


def policy() -> dict[str, Any]:
    everything = (handler_actions() | _property_actions()) - NOT_ACTIONS - NEVER_ATTACHES
    narrowed = sorted(everything & set(NARROWED))
    document = PolicyDocument(
        Version="2012-10-17",
        Statement=[
            Statement(
                Sid="StackOperations", Effect=Allow, Action=_actions(STACK_ACTIONS),
                Resource=["*"],
            ),
            Statement(
                Sid="ResourcesOfCachecTemplates",
                Effect=Allow,
                Action=_actions(everything - set(NARROWED)),
                Resource=["*"],
            ),
            Statement(
                Sid="ServiceLinkedRoles",
                Effect=Allow,
                Action=_actions(("iam:CreateServiceLinkedRole",)),
                Resource=["*"],
                Condition=Condition(
                    StringEquals("iam:AWSServiceName", list(SERVICE_LINKED_ROLES))
                ),
            ),
            *(
                Statement(
                    Sid=f"Narrowed{name.split(':')[1]}",
                    Effect=Allow,
                    Action=_actions((name,)),
                    Resource=list(NARROWED[name]),
                )
                for name in narrowed
                if name != "iam:CreateServiceLinkedRole"
            ),
        ],
    )
    result: dict[str, Any] = json.loads(document.to_json())
    return result


def render() -> str:
    return json.dumps(policy(), indent=2) + "\n"


if __name__ == "__main__":
    print(render(), end="")
