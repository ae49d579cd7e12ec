"""Customer managed keys where cachec's defaults use AWS's: the alarm topic,
the generated secrets, the log groups."""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Diagnostic, error, warning
from ..input.model import Spec
from ..kinds import ErrorKind, Stage, WarningKind

_TOPIC_KEY = ("monitoring", "create_topic", "kms_key_id")
_SECRETS_KEY = ("security", "secrets_kms_key_id")


def aws_managed(key: str) -> bool:
    """An alias of an AWS managed key: `alias/aws/<service>` or its ARN
    (https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#aws-managed-key:
    "aliases of AWS managed keys have the form aws/<service-name>")."""
    return key.startswith("alias/aws/") or ":alias/aws/" in key


AWS_MANAGED_KEY = ErrorKind(
    "aws-managed-key", Stage.RULES, "A customer managed key setting names an AWS managed key.",
    "An AWS managed key's policy admits only its own service: CloudWatch cannot publish "
    "alarms to a topic under alias/aws/sns, and alias/aws/secretsmanager is what Secrets "
    "Manager uses when no key is given.",
    "Name a customer managed key whose policy admits the service (docs/customer-keys.md), or "
    "remove the setting.",
    "https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html"
    "#compatibility-with-aws-services",
)


def customer_managed_keys(spec: Spec) -> Iterator[Diagnostic]:
    topic_key = spec.monitoring.topic_kms_key_id
    if topic_key and aws_managed(topic_key):
        # "Enable compatibility between event sources from AWS services and
        # encrypted topics": the publishing service (cloudwatch.amazonaws.com)
        # needs kms:Decrypt and kms:GenerateDataKey* in the key's policy, and an
        # AWS managed key's policy cannot be edited.
        yield error(
            AWS_MANAGED_KEY,
            _TOPIC_KEY,
            "CloudWatch cannot publish alarms to a topic under an AWS managed key (its key "
            "policy cannot admit cloudwatch.amazonaws.com): name a customer managed key",
        )
    secrets_key = spec.security.secrets_kms_key_id
    if secrets_key and aws_managed(secrets_key):
        # Secrets Manager's default is its AWS managed key aws/secretsmanager;
        # another service's AWS managed key admits only that service
        # (https://docs.aws.amazon.com/secretsmanager/latest/userguide/security-encryption.html).
        yield error(
            AWS_MANAGED_KEY,
            _SECRETS_KEY,
            "an AWS managed key is not a customer managed key: without secrets_kms_key_id "
            "Secrets Manager already uses aws/secretsmanager, and another service's key "
            "admits only that service",
        )


# checkov CKV_AWS_158, "Ensure that CloudWatch Log Group is encrypted by KMS"
# (bridgecrewio/checkov, checkov/cloudformation/checks/resource/aws/
# CloudWatchLogGroupKMSKey.py: KmsKeyId on AWS::Logs::LogGroup); AWS Control
# Tower proactive control CT.CLOUDWATCH.PR.3, "Require an Amazon CloudWatch
# Logs log group to be encrypted at rest with an AWS KMS key"
# (https://docs.aws.amazon.com/controltower/latest/controlreference/cloudwatch-rules.html).
LOGS_WITHOUT_KEY = WarningKind(
    "logs-without-key", Stage.RULES,
    "A production cache delivers logs to log groups without a customer managed key.",
    "The slow and engine logs hold key names and command arguments; checkov (CKV_AWS_158) "
    "and Control Tower's proactive control CT.CLOUDWATCH.PR.3 require a KMS key on every "
    "log group, and a Control Tower hook refuses the stack.",
    "Set logs.kms_key_id to a key whose policy admits logs.<region>.amazonaws.com.",
    "https://docs.aws.amazon.com/controltower/latest/controlreference/cloudwatch-rules.html",
)


def production_logs_have_a_key(spec: Spec) -> Iterator[Diagnostic]:
    logs = spec.logs
    # Only the groups the template creates: logs.kms_key_id acts on those
    # alone; an existing group or a Firehose stream is keyed where it is managed.
    created = logs.created_types
    if spec.is_production and created and not logs.kms_key_id:
        several = len(created) > 1
        yield warning(
            LOGS_WITHOUT_KEY,
            ("logs",),
            f"the {' and '.join(created)} log group{'s' if several else ''} of this production "
            f"cache {'have' if several else 'has'} no KMS key: checkov CKV_AWS_158 and Control "
            "Tower CT.CLOUDWATCH.PR.3 flag it; set logs.kms_key_id",
        )
