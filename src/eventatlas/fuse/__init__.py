"""Fusion: event mentions from many articles joined into real-world events."""
