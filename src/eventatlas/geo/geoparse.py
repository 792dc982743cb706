"""The geoparser's entry points: text (or a parsed Doc) in, places out.

``geoparse(text, nlp, gazetteer)`` parses with spaCy and geoparses; pipelines that already ran
spaCy once call ``geoparse_doc(doc, gazetteer)``. Each returned :class:`Place` carries the name
and its character offsets into the text; geonameid/lat/lon/country/feature are null when the
resolver abstained (a name it could not place never empties the rest). ``geo_precision`` gives
ACLED's geo-precision code for a place and the cue word that introduced it.
"""

from __future__ import annotations

import logging
from typing import Any

from eventatlas.geo.protocols import GazetteerLike
from eventatlas.geo.recognise import recognise
from eventatlas.geo.resolve import resolve
from eventatlas.geo.rules import GeoRules, geo_rules
from eventatlas.records import Place

log = logging.getLogger(__name__)

_PRECISION_BY_FEATURE = {
    "city": 1,
    "village": 1,
    "admin2": 2,
    "site": 2,
    "road": 2,
    "admin1": 3,
    "region": 3,
    "country": 3,
    "water": 3,
}


def geoparse(text: str, nlp: Any, gazetteer: GazetteerLike) -> list[Place]:
    """The places named in ``text``; ``nlp`` is a loaded ``spacy.Language``."""
    return geoparse_doc(nlp(text), gazetteer)


def geoparse_doc(doc: Any, gazetteer: GazetteerLike, rules: GeoRules | None = None) -> list[Place]:
    """The places named in a parsed ``spacy.tokens.Doc``, in text order."""
    rules = rules or geo_rules()
    recognition = recognise(doc, gazetteer, rules)
    places = resolve(recognition, gazetteer, rules)
    log.debug(
        "geoparsed %d mentions, %d resolved",
        len(places),
        sum(p.geonameid is not None or p.lat is not None for p in places),
    )
    return places


def geo_precision(
    place: Place, cue: str | None = None, rules: GeoRules | None = None
) -> int | None:
    """ACLED geo-precision: 1 the town itself, 2 near a town or a small area, 3 a region or country.

    ``cue`` is the word or phrase that introduced the place ("near", "outskirts of", "province");
    a cue meaning "near" turns a town into precision 2. None when the place is unresolved.
    """
    if place.lat is None and place.geonameid is None:
        return None
    base = _PRECISION_BY_FEATURE.get(place.feature or "", 1)
    if cue:
        rules = rules or geo_rules()
        words = tuple(cue.lower().split())
        found = rules.left_cues.get(words) or rules.right_cues.get(words)
        if found is not None and found.precision is not None:
            return max(base, found.precision)
    return base
