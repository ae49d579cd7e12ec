"""The inputs of the two Terraform modules platform teams move from, and the
cachec key that does the same (or why cachec refuses the input).

One table serves two readers: `validate` names the cachec key when a spec
uses a Terraform input's name (`multi_az_enabled` -> `topology.multi_az`), and
docs/migrating.md is generated from it:

    python -m compiler.input.terraform_names > docs/migrating.md

Sources, every `variable` block of:
- cloudposse/terraform-aws-elasticache-redis at 911c1b1 (2026-06-15):
  variables.tf, security_group_inputs.tf, variables-deprecated.tf, and the
  null-label context.tf;
- terraform-aws-modules/terraform-aws-elasticache at 3e17c95 (2025-10-21):
  variables.tf;
- the earlier releases' names specs still carry: cloudposse's variables.tf at
  018ef5f (`security_groups`, ingress sources; `automatic_failover`) and
  terraform-aws-modules' at 0ce5de6 (`number_cache_clusters`,
  `replication_group_description`).
"""

from __future__ import annotations

from dataclasses import dataclass

CLOUDPOSSE = "cloudposse/terraform-aws-elasticache-redis"
TAM = "terraform-aws-modules/terraform-aws-elasticache"
EARLIER = "inputs of earlier releases (renamed since)"


@dataclass(frozen=True)
class Input:
    name: str
    cachec: str | None  # the spec key (dotted path), None: refused
    note: str  # how the value carries over, or why cachec refuses it


def _i(name: str, cachec: str | None, note: str = "") -> Input:
    return Input(name, cachec, note)


# Reasons shared by several inputs.
_TF_ONLY = "Terraform lifecycle or timeout setting: CloudFormation has its own"
_NAMED = ("cachec generates names from name and environment (explicit names collide "
          "when two stacks share an account and region)")
_NO_APPLY = ("AWS::ElastiCache::ReplicationGroup has no ApplyImmediately property: "
             "CloudFormation applies a change when the stack updates")
_TOKEN = ("a literal token would sit in the template or the state: cachec generates it "
          "into Secrets Manager (security.auth: token)")
_STRATEGY = ("CloudFormation has no AuthTokenUpdateStrategy property; rotate with "
             "security.rotation (ROTATE then SET: docs/customer-keys.md)")
_GLOBAL = ("global datastores span regions (AWS::ElastiCache::GlobalReplicationGroup): "
           "cachec compiles one regional cache per spec")
_FAMILY = "cachec derives the parameter group family from engine and engine_version"
_DESCRIBED = "cachec writes the description (`cachec <name>-<environment> ...`)"
_NO_EGRESS = ("cachec's security groups allow no egress (a client group must not widen "
              "its members' egress)")
_SWITCH = "a module switch: a spec always describes one cache to create"

MODULES: dict[str, tuple[Input, ...]] = {
    CLOUDPOSSE: (
        _i("vpc_id", "network.vpc_id"),
        _i("subnets", "network.subnet_ids"),
        _i("elasticache_subnet_group_name", "network.subnet_group_name"),
        _i("network_type", "network.network_type"),
        _i("maintenance_window", "maintenance_window"),
        _i("cluster_size", "topology.replicas", "replicas = cluster_size - 1"),
        _i("port", "port"),
        _i("instance_type", "node_type"),
        _i("family", None, _FAMILY),
        _i("parameter", "redis_parameters", "a mapping name: value instead of a list"),
        _i("engine", "engine", "redis or valkey"),
        _i("engine_version", "engine_version"),
        _i("at_rest_encryption_enabled", "security.encryption_at_rest", "default true"),
        _i("transit_encryption_enabled", "security.encryption_in_transit", "default true"),
        _i("transit_encryption_mode", "security.transit_encryption_mode"),
        _i("notification_topic_arn", "monitoring.event_topic_arn"),
        _i("alarm_cpu_threshold_percent", "monitoring.alarms.cpu"),
        _i("alarm_memory_threshold_bytes", "monitoring.alarms.memory",
           "a percentage (DatabaseMemoryUsagePercentage), not bytes"),
        _i("alarm_actions", "monitoring.alarm_actions"),
        _i("ok_actions", "monitoring.ok_actions"),
        _i("apply_immediately", None, _NO_APPLY),
        _i("data_tiering_enabled", "topology.data_tiering"),
        _i("automatic_failover_enabled", "topology.automatic_failover"),
        _i("multi_az_enabled", "topology.multi_az"),
        _i("availability_zones", "topology.availability_zones"),
        _i("zone_id", "dns.zone_id"),
        _i("dns_subdomain", "dns.name", "the whole record name"),
        _i("auth_token", None, _TOKEN),
        _i("auth_token_update_strategy", None, _STRATEGY),
        _i("kms_key_id", "security.kms_key_id"),
        _i("replication_group_id", "replication_group_id"),
        _i("snapshot_arns", "backups.restore_from", "a list of S3 .rdb ARNs"),
        _i("snapshot_name", "backups.restore_from", "a snapshot name"),
        _i("snapshot_window", "backups.window"),
        _i("snapshot_retention_limit", "backups.retention_days"),
        _i("final_snapshot_identifier", "backups.final_snapshot",
           "DeletionPolicy Snapshot: CloudFormation names the final snapshot"),
        _i("cluster_mode_enabled", "topology.cluster_mode"),
        _i("cluster_mode_replicas_per_node_group", "topology.replicas"),
        _i("cluster_mode_num_node_groups", "topology.shards"),
        _i("cloudwatch_metric_alarms_enabled", "monitoring.enabled", "default true"),
        _i("create_parameter_group", "parameter_group_name",
           "naming an existing group is create_parameter_group = false"),
        _i("parameter_group_description", None, _DESCRIBED),
        _i("parameter_group_name", "parameter_group_name"),
        _i("log_delivery_configuration", "logs",
           "logs.slow_log / logs.engine_log, logs.format; CloudWatch Logs or Firehose"),
        _i("description", "description"),
        _i("user_group_ids", "security.user_group_id", "one user group"),
        _i("auto_minor_version_upgrade", "auto_minor_version_upgrade"),
        _i("serverless_enabled", "serverless", "a `serverless:` block"),
        _i("serverless_major_engine_version", "engine_version",
           "the major version on a serverless cache"),
        _i("serverless_snapshot_time", "serverless.daily_snapshot_time"),
        _i("serverless_user_group_id", "security.user_group_id"),
        _i("serverless_cache_usage_limits", "serverless",
           "serverless.max_data_storage_gb, max_ecpu_per_second and the minimums"),
        _i("serverless_snapshot_arns_to_restore", "serverless.restore_from"),
        _i("global_replication_group_id", None, _GLOBAL),
        # security_group_inputs.tf
        _i("create_security_group", "network.create_security_group"),
        _i("associated_security_group_ids", "network.security_group_ids"),
        _i("allowed_security_group_ids", "network.allowed_security_group_ids"),
        _i("security_group_name", None, _NAMED),
        _i("security_group_description", None,
           _DESCRIBED + "; GroupDescription is create-only, a change replaces the group"),
        _i("security_group_create_before_destroy", None, _TF_ONLY),
        _i("security_group_create_timeout", None, _TF_ONLY),
        _i("security_group_delete_timeout", None, _TF_ONLY),
        _i("allow_all_egress", None, _NO_EGRESS),
        _i("additional_security_group_rules", None,
           "ingress comes from allowed_security_group_ids and allowed_cidr_blocks only; "
           "attach groups with other rules through network.security_group_ids"),
        _i("target_security_group_id", "network.security_group_ids",
           "with network.create_security_group: false"),
        _i("preserve_security_group_id", None, _TF_ONLY),
        _i("revoke_rules_on_delete", None, _TF_ONLY),
        _i("inline_rules_enabled", None, "cachec decides where each rule is written"),
        # variables-deprecated.tf
        _i("use_existing_security_groups", "network.create_security_group"),
        _i("existing_security_groups", "network.security_group_ids"),
        _i("allowed_security_groups", "network.allowed_security_group_ids"),
        _i("allowed_cidr_blocks", "network.allowed_cidr_blocks"),
        _i("egress_cidr_blocks", None, _NO_EGRESS),
        # context.tf (cloudposse/terraform-null-label)
        _i("context", None, "null-label naming: " + _NAMED),
        _i("enabled", None, _SWITCH),
        _i("namespace", None, "null-label naming: " + _NAMED),
        _i("tenant", None, "null-label naming: " + _NAMED),
        _i("environment", "environment"),
        _i("stage", "environment", "cachec's one environment label"),
        _i("name", "name"),
        _i("delimiter", None, "null-label naming: " + _NAMED),
        _i("attributes", None, "null-label naming: " + _NAMED),
        _i("labels_as_tags", None, "cachec tags every resource with cachec:name and "
           "cachec:environment"),
        _i("tags", "tags"),
        _i("additional_tag_map", None, "use tags"),
        _i("label_order", None, "null-label naming: " + _NAMED),
        _i("regex_replace_chars", None, "null-label naming: " + _NAMED),
        _i("id_length_limit", None, "null-label naming: " + _NAMED),
        _i("label_key_case", None, "null-label naming: " + _NAMED),
        _i("label_value_case", None, "null-label naming: " + _NAMED),
        _i("descriptor_formats", None, "null-label naming: " + _NAMED),
    ),
    TAM: (
        _i("create", None, _SWITCH),
        _i("tags", "tags"),
        _i("create_cluster", None,
           "cachec creates replication groups, never a lone AWS::ElastiCache::CacheCluster: "
           "a one-node group takes replicas later without replacement"),
        _i("apply_immediately", None, _NO_APPLY),
        _i("auto_minor_version_upgrade", "auto_minor_version_upgrade"),
        _i("automatic_failover_enabled", "topology.automatic_failover"),
        _i("availability_zone", "topology.availability_zones", "a one-entry list"),
        _i("az_mode", None, "Memcached only; cachec compiles Redis OSS and Valkey caches"),
        _i("cluster_id", "replication_group_id"),
        _i("engine", "engine", "redis or valkey (memcached is refused)"),
        _i("engine_version", "engine_version"),
        _i("final_snapshot_identifier", "backups.final_snapshot",
           "DeletionPolicy Snapshot: CloudFormation names the final snapshot"),
        _i("ip_discovery", "network.ip_discovery"),
        _i("log_delivery_configuration", "logs",
           "logs.slow_log / logs.engine_log, logs.format; CloudWatch Logs or Firehose"),
        _i("maintenance_window", "maintenance_window"),
        _i("network_type", "network.network_type"),
        _i("node_type", "node_type"),
        _i("notification_topic_arn", "monitoring.event_topic_arn"),
        _i("num_cache_nodes", "topology.replicas",
           "a Redis CacheCluster has one node: replicas 0"),
        _i("outpost_mode", None, "AWS Outposts are not supported"),
        _i("port", "port"),
        _i("preferred_availability_zones", "topology.availability_zones"),
        _i("preferred_outpost_arn", None, "AWS Outposts are not supported"),
        _i("security_group_ids", "network.security_group_ids"),
        _i("snapshot_arns", "backups.restore_from", "a list of S3 .rdb ARNs"),
        _i("snapshot_name", "backups.restore_from", "a snapshot name"),
        _i("snapshot_retention_limit", "backups.retention_days"),
        _i("snapshot_window", "backups.window"),
        _i("transit_encryption_enabled", "security.encryption_in_transit", "default true"),
        _i("transit_encryption_mode", "security.transit_encryption_mode"),
        _i("timeouts", None, _TF_ONLY),
        _i("create_replication_group", None, _SWITCH),
        _i("auth_token", None, _TOKEN),
        _i("auth_token_update_strategy", None, _STRATEGY),
        _i("at_rest_encryption_enabled", "security.encryption_at_rest", "default true"),
        _i("data_tiering_enabled", "topology.data_tiering"),
        _i("description", "description"),
        _i("global_replication_group_id", None, _GLOBAL),
        _i("global_replication_group_id_suffix", None, _GLOBAL),
        _i("kms_key_arn", "security.kms_key_id"),
        _i("multi_az_enabled", "topology.multi_az"),
        _i("num_cache_clusters", "topology.replicas", "replicas = num_cache_clusters - 1"),
        _i("num_node_groups", "topology.shards"),
        _i("preferred_cache_cluster_azs", "topology.availability_zones"),
        _i("replicas_per_node_group", "topology.replicas"),
        _i("cluster_mode", "topology.cluster_mode",
           "enabled / disabled; `compatible` (a migration step) is refused"),
        _i("replication_group_id", "replication_group_id"),
        _i("security_group_names", None,
           "cache security groups exist only outside a VPC (EC2-Classic, retired)"),
        _i("user_group_ids", "security.user_group_id", "one user group"),
        _i("cluster_mode_enabled", "topology.cluster_mode"),
        _i("create_primary_global_replication_group", None, _GLOBAL),
        _i("create_secondary_global_replication_group", None, _GLOBAL),
        _i("create_parameter_group", "parameter_group_name",
           "naming an existing group is create_parameter_group = false"),
        _i("parameter_group_description", None, _DESCRIBED),
        _i("parameter_group_family", None, _FAMILY),
        _i("parameter_group_name", "parameter_group_name"),
        _i("parameters", "redis_parameters", "a mapping name: value instead of a list"),
        _i("create_subnet_group", "network.subnet_group_name",
           "naming an existing group is create_subnet_group = false"),
        _i("subnet_group_name", "network.subnet_group_name"),
        _i("subnet_group_description", None, _DESCRIBED),
        _i("subnet_ids", "network.subnet_ids"),
        _i("create_security_group", "network.create_security_group"),
        _i("security_group_name", None, _NAMED),
        _i("security_group_use_name_prefix", None, _NAMED),
        _i("security_group_description", None,
           _DESCRIBED + "; GroupDescription is create-only, a change replaces the group"),
        _i("vpc_id", "network.vpc_id"),
        _i("security_group_rules", None,
           "ingress comes from network.allowed_security_group_ids and allowed_cidr_blocks "
           "only, and there is no egress"),
        _i("security_group_tags", None, "tags go on every taggable resource: use tags"),
    ),
    EARLIER: (
        _i("security_groups", "network.allowed_security_group_ids",
           "cloudposse: the groups whose members may connect"),
        _i("automatic_failover", "topology.automatic_failover", "cloudposse"),
        _i("number_cache_clusters", "topology.replicas",
           "terraform-aws-modules: replicas = number_cache_clusters - 1"),
        _i("replication_group_description", "description", "terraform-aws-modules"),
    ),
}


def _by_name() -> dict[str, Input]:
    """Each Terraform name once: both modules map a shared name the same way
    (a test holds them to it), so the first module's entry speaks for both."""
    found: dict[str, Input] = {}
    for inputs in MODULES.values():
        for entry in inputs:
            found.setdefault(entry.name, entry)
    return found


BY_NAME = _by_name()


def hint(key: str) -> str:
    """What to write instead of a Terraform input's name, for the unknown-key
    message; empty when `key` is no Terraform input's name."""
    entry = BY_NAME.get(key)
    if entry is None:
        return ""
    if entry.cachec is None:
        return f" (a Terraform module input cachec does not take: {entry.note})"
    return f" (a Terraform module input; in cachec: {entry.cachec})"


def render() -> str:
    lines = [
        "<!-- generated by `python -m compiler.input.terraform_names`: do not edit -->",
        "# Migrating from the Terraform modules",
        "",
        "Every input of the two Terraform modules platform teams most often use for",
        "ElastiCache, with the cachec key that does the same, or why cachec refuses it.",
        "`cachec validate` names the cachec key when a spec uses one of these names.",
        "",
    ]
    for module, inputs in MODULES.items():
        mapped = sum(1 for i in inputs if i.cachec)
        lines += [
            f"## {module}",
            "",
            f"{len(inputs)} inputs: {mapped} with a cachec key, {len(inputs) - mapped} refused.",
            "",
            "| Terraform input | cachec key | note |",
            "|---|---|---|",
        ]
        lines += [
            f"| `{i.name}` | {f'`{i.cachec}`' if i.cachec else 'refused'} | {i.note} |"
            for i in inputs
        ]
        lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    print(render(), end="")
