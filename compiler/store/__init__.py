"""The version store: published versions, their manifest, verification,
locking and transactions (publish), and the reuse of an unchanged spec's
latest template (reuse)."""
