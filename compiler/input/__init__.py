"""Spec in: the YAML text read with the position of every node (load), held
to its JSON Schema (schema, conforms, validate), then made the typed model
with every default explicit (normalize, model). The schema reference page
is generated here too (reference)."""
