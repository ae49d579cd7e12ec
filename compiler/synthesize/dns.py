"""`dns`: a Route 53 CNAME record to the endpoint clients use.

Applications that connect to the record's name keep working when the cache is
replaced (a new endpoint name): CloudFormation updates the record to the new
endpoint in the same stack update, and resolvers follow within the TTL.

Provider schema (cfn-lint PROVIDER_SCHEMA_MANAGER, us-east-1,
AWS::Route53::RecordSet): createOnly HostedZoneId and HostedZoneName; TTL a
string; ResourceRecords required unless AliasTarget. A CNAME, not an alias:
Route 53 aliases point only at AWS resources it knows (load balancers,
CloudFront, S3 websites, ...; "Values for alias records",
https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resource-record-sets-values-alias.html),
and ElastiCache endpoints are not among them.
"""

from __future__ import annotations

from troposphere import Ref, Template, route53

from ..input.model import Spec
from ..vocabulary import names
from .provenance import add_resource

_DNS = ("dns",)


def add_dns_record(template: Template, spec: Spec, endpoint: object) -> None:
    dns = spec.dns
    if dns is None:
        return
    add_resource(
        template,
        route53.RecordSetType(
            names.DNS_RECORD,
            HostedZoneId=Ref(names.DNS_ZONE_ID),
            Name=Ref(names.DNS_RECORD_NAME),
            Type="CNAME",
            TTL=str(dns.ttl),
            ResourceRecords=[endpoint],
            Comment=f"cachec {spec.stack_name}: the cache's endpoint"[:256],
        ),
        _DNS,
        {
            "HostedZoneId": (*_DNS, "zone_id"),
            "Name": (*_DNS, "name"),
            "TTL": (*_DNS, "ttl"),
            "ResourceRecords": _DNS,
            "Comment": _DNS,
            "Type": _DNS,
        },
    )
