"""Event extraction: who did what to whom, where, when, according to whom."""
