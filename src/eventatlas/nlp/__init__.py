"""eventatlas.nlp: the one spaCy pass shared by the NLP-using stages."""
