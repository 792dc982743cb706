"""eventatlas.out."""
