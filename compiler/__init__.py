"""cachec: compile an ElastiCache spec into a CloudFormation template."""

__version__ = "0.1.0"
