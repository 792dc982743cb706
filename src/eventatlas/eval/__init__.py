"""eventatlas.eval."""
