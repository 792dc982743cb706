"""eventatlas.cli."""
