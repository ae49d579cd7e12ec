"""cachec: compile an ElastiCache spec into a CloudFormation template."""

__version__ = "0.1.0"

# Template output formats, shared by the CLI and the renderer.
FORMATS = ("yaml", "json")
