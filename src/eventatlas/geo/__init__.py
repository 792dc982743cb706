"""eventatlas.geo: toponyms found in text and resolved against an embedded gazetteer."""
