"""eventatlas.ingest."""
