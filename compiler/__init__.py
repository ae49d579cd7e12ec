"""cachec: compile an ElastiCache spec into a CloudFormation template."""

__version__ = "0.3.0"
# Who wrote a template: in its provenance metadata and in each manifest entry.
COMPILER = f"cachec {__version__}"

# Template output formats, shared by the CLI and the renderer.
FORMATS = ("yaml", "json")
