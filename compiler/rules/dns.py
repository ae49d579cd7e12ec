"""The Route 53 record of `dns`: where it can be created."""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Diagnostic, error
from ..input.model import Spec
from ..kinds import ErrorKind, Stage
from ..vocabulary import names

# A hosted zone holds one CNAME per name ("you can't create a CNAME record
# that has the same name as another record", and CloudFormation's create of
# an existing record fails: ChangeResourceRecordSets CREATE "returns an error
# if a resource record set with the same name and type already exists",
# https://docs.aws.amazon.com/Route53/latest/APIReference/API_ChangeResourceRecordSets.html).
# A private zone can be associated with VPCs of several regions, and a public
# zone is global: StackSet instances in two regions with the same zone and
# name would create the same record twice.
DNS_RECORD_SHARED = ErrorKind(
    "dns-record-shared", Stage.RULES,
    "A StackSet would create the same Route 53 record (zone and name) in several regions.",
    "A hosted zone holds one record of a name and type; the second region's create fails "
    "with the record already existing, and deleting one stack would delete the other's "
    "record.",
    "Override DnsRecordName (or DnsZoneId) per region under "
    "stack.stackset.parameter_overrides, e.g. orders-cache.eu-west-1.example.com.",
    "https://docs.aws.amazon.com/Route53/latest/APIReference/API_ChangeResourceRecordSets.html",
)


def one_record_per_region(spec: Spec) -> Iterator[Diagnostic]:
    stackset = spec.stack.stackset
    if spec.dns is None or stackset is None:
        return
    records: dict[tuple[str, str], list[str]] = {}
    for region in stackset.regions:
        overrides = stackset.overrides(region)
        record = (overrides.get(names.DNS_ZONE_ID, spec.dns.zone_id),
                  overrides.get(names.DNS_RECORD_NAME, spec.dns.name).rstrip(".").lower())
        records.setdefault(record, []).append(region)
    for (zone, name), regions in records.items():
        if len(regions) > 1:
            yield error(
                DNS_RECORD_SHARED, ("dns", "name"),
                f"the StackSet would create {name} in zone {zone} in {', '.join(regions)}; "
                "a zone holds one record of a name: override "
                f"{names.DNS_RECORD_NAME} (or {names.DNS_ZONE_ID}) per region under "
                "stack.stackset.parameter_overrides",
            )
