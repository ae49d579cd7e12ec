"""Change: what differs between the latest published template and the new
one (changes, with each change's spec key read from the synthesizers'
records, or for a template without one from the frozen table in
unrecorded, and its values as the spec reads them: spec_values) and the
update rules AWS enforces beyond the schemas (update_paths). `cachec diff`
(compiler/diff.py) reads the store and stands above it; this package reads
no store."""
