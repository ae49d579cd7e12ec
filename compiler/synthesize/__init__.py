"""Stage 4: the typed model -> a troposphere Template.

One module per resource family; this one only decides the order, which is
the order resources appear in the rendered template.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..input.model import Spec
from ..template.declared import declared
from ..vocabulary import names
from . import alarms, auth, dns, exposed, logs, network, outputs, parameters, rotation, users
from .provenance import NO_SPEC_KEY, SourcedTemplate, came_from
from .variants import shape_of


@dataclass(frozen=True)
class Provenance:
    compiler_version: str
    spec_digest: str


def synthesize(spec: Spec, provenance: Provenance) -> SourcedTemplate:
    """The template, with the record of which spec key each part came from
    (`template.spec_sources()`)."""
    shape = shape_of(spec)
    template = SourcedTemplate()
    template.set_version("2010-09-09")
    came_from(template, NO_SPEC_KEY, "AWSTemplateFormatVersion")
    template.set_description(
        f"cachec {spec.stack_name}: {spec.description}; "
        f"{spec.engine} {spec.engine_version} on {shape.runs_on}"[:1024]
    )
    came_from(template, ("description",), "Description")
    # Every Parameter at once, from the one list the override checks read too.
    declarations = declared(spec)
    parameters.add_parameters(template, declarations)
    exposed.add_replica_lookups(template, spec, declarations)
    network.add_security_groups(template, spec, shape.ports)
    shape.add_groups(template)
    if spec.security.auth_token:
        auth.add_auth_secret(template, spec)
        auth.add_secret_read_policy(template, spec)
    if spec.security.user_group and not spec.security.user_group_id:
        users.add_user_group(template, spec)
    logs.add_log_groups(template, spec)
    shape.add_cache(template)
    dns.add_dns_record(template, spec, shape.client_endpoint())
    if spec.security.user_group:
        users.add_connect_policy(template, spec, shape.arn())
    rotation.add_rotation_schedules(template, spec)
    alarm_ids: list[str] = []
    if spec.monitoring.alarms:
        actions = alarms.add_notifications(template, spec)
        alarm_ids = shape.add_alarms(template, actions)
    if spec.monitoring.dashboard:
        shape.add_dashboard(template)
    outputs.add_outputs(template, spec, shape, alarm_ids)
    # The console's grouping of Parameters and cachec's provenance: no one key.
    came_from(template, NO_SPEC_KEY, "Metadata")
    template.set_metadata(
        {
            "AWS::CloudFormation::Interface": parameters.interface_metadata(template),
            names.METADATA_KEY: {
                "compiler": provenance.compiler_version,
                "spec_format": spec.format,
                "spec_digest": provenance.spec_digest,
            },
        }
    )
    return template
