"""eventatlas.store."""
