"""Change: what differs between the latest published template and the new
one (changes) and the update rules AWS enforces beyond the schemas
(update_paths). `cachec diff` (compiler/diff.py) reads the store and stands
above it; this package reads no store."""
