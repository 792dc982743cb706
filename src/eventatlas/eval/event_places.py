"""Score where extracted events happened against the real places gold (``training/places_gold``).

Each gold article's text goes through the product's own per-document step
(:func:`eventatlas.pipeline.process_doc`, publication date from the text's dateline). A predicted
event belongs to a gold sentence when its evidence (quote offsets) lies inside the sentence span,
or its trigger does (where the pipeline cut the sentence otherwise).
Over the gold event locations whose sentence got an event (each paired with a distinct event of
its sentence, the best-matching first; the sentence's first event when they run out):

* **location**: for gold precision 1 and 2, the predicted place within 25 km of the gold point;
  for precision 3, the predicted place in the gold's country (and the same admin1 when the gold
  is an admin1) and itself at precision 3. A gold "no place" is right when the event has none.
* **precision**: the event's ``geo_precision`` equals the gold's (None for no place).
* **both**: location and precision right.
* **coverage**: the share of gold event locations whose sentence got an event.

The same is reported for a baseline: the resolved place nearest the trigger in the event's
sentence, at its feature's precision (what a reader without the guidelines would pick).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from eventatlas.eval.geo import km
from eventatlas.eval.places_gold import (
    GoldEventLocation,
    PlacesGoldArticle,
    _annotations,
    load_places_gold,
)
from eventatlas.records import EventMention, Place

if TYPE_CHECKING:
    from eventatlas.pipeline import ProcessResources

log = logging.getLogger(__name__)

NEAR_KM = 25.0  # a town-level (precision 1 or 2) location is right within this distance
ADMIN1_KM = 50.0  # two admin1 points this close are the same admin1 (centroids differ by source)


@dataclass(frozen=True)
class PlaceScores:
    """One system's event locations against the gold."""

    scored: int  # gold event locations whose sentence has an event
    location: float
    precision: float
    both: float
    no_place: int  # of ``scored``, gold locations with no place
    no_place_right: float  # of those, events with no location


@dataclass(frozen=True)
class EventPlacesReport:
    corpus: str
    split: str
    articles: int
    gold_locations: int
    covered: int
    coverage: float
    product: PlaceScores
    baseline: PlaceScores

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class GoldPlace:
    """A gold event location with the country of its toponym (ISO alpha-2; None for a sea or a
    region across borders, or with no place)."""

    location: GoldEventLocation
    country: str | None


@dataclass(frozen=True)
class Guess:
    """One system's answer for one event: its place and geo-precision."""

    place: Place | None
    precision: int | None


def evaluate_event_places(
    root: Path, res: ProcessResources, split: str = "dev"
) -> EventPlacesReport:
    """Run the configured pipeline over the ``split`` articles of the places gold at ``root``
    and score the events' locations (and the nearest-place baseline's)."""
    from eventatlas.ingest.dates import date_from_text
    from eventatlas.pipeline import process_doc
    from eventatlas.records import ArticleInfo

    gold = load_places_gold(root, split)
    countries = _countries(root)
    docs = res.nlp.pipe([g.article.text for g in gold], batch_size=16)
    golds, product, baseline = [], [], []
    for g, doc in zip(gold, docs, strict=True):
        text = g.article.text
        info = ArticleInfo(g.article.id, date_from_text(text), g.outlet)
        result = process_doc(doc, info, res)
        golds.append(_gold_places(g, countries.get(g.article.id, [])))
        product.append([(e, Guess(e.location, e.geo_precision)) for e in result.events])
        baseline.append([(e, nearest_guess(e, result.places)) for e in result.events])
        log.debug("%s: %d events", g.article.id, len(result.events))
    return score_event_places(str(root), split, golds, product, baseline)


def score_event_places(
    corpus: str,
    split: str,
    gold: Sequence[Sequence[GoldPlace]],
    product: Sequence[Sequence[tuple[EventMention, Guess]]],
    baseline: Sequence[Sequence[tuple[EventMention, Guess]]],
) -> EventPlacesReport:
    """Score per-article gold locations against per-article (event, guess) pairs."""
    total = sum(len(g) for g in gold)
    covered = sum(
        1 for g, events in zip(gold, product, strict=True) for p in g if _in_sentence(p, events)
    )
    return EventPlacesReport(
        corpus, split, len(gold), total, covered, _share(covered, total),
        _scores(gold, product), _scores(gold, baseline),
    )  # fmt: skip


def nearest_guess(event: EventMention, places: Sequence[Place]) -> Guess:
    """The baseline: the resolved place of the event's sentence nearest its trigger."""
    from eventatlas.geo.geoparse import geo_precision

    at = _trigger_at(event)
    inside = [
        p for p in places if p.lat is not None and event.start <= p.start and p.end <= event.end
    ]
    pick = min(inside, key=lambda p: abs(p.start - at), default=None)
    return Guess(pick, None if pick is None else geo_precision(pick))


def _scores(
    gold: Sequence[Sequence[GoldPlace]], guesses: Sequence[Sequence[tuple[EventMention, Guess]]]
) -> PlaceScores:
    loc, prec, both, none, none_right = [], [], [], 0, 0
    for places, events in zip(gold, guesses, strict=True):
        for g, guess in _pairs(places, events):
            right = location_right(g, guess)
            same = guess.precision == g.location.precision
            loc.append(right)
            prec.append(same)
            both.append(right and same)
            if g.location.name is None:
                none += 1
                none_right += guess.place is None
    n = len(loc)
    return PlaceScores(
        n, _share(sum(loc), n), _share(sum(prec), n), _share(sum(both), n), none,
        _share(none_right, none),
    )  # fmt: skip


def _pairs(
    gold: Sequence[GoldPlace], events: Sequence[tuple[EventMention, Guess]]
) -> list[tuple[GoldPlace, Guess]]:
    """Each gold location with a distinct event of its sentence (the best match first)."""
    out = []
    used: set[int] = set()
    for g in gold:
        mine = [(i, guess) for i, (e, guess) in enumerate(events) if _inside(g, e)]
        if not mine:
            continue
        free = [(i, guess) for i, guess in mine if i not in used] or mine[:1]
        i, guess = max(free, key=lambda pair: _match(g, pair[1]))
        used.add(i)
        out.append((g, guess))
    return out


def _match(g: GoldPlace, guess: Guess) -> tuple[bool, bool]:
    return location_right(g, guess), guess.precision == g.location.precision


def location_right(g: GoldPlace, guess: Guess) -> bool:
    """Whether ``guess`` puts the event where the gold does (see the module docstring)."""
    from eventatlas.geo.normalise import name_key

    gold, place = g.location, guess.place
    if gold.name is None:
        return place is None
    if place is None:
        return False
    if gold.lat is None or gold.lon is None:  # a place named from context ("the capital")
        return name_key(place.name) == name_key(gold.name)
    close = (
        place.lat is not None
        and place.lon is not None
        and km(place.lat, place.lon, gold.lat, gold.lon)
    )
    if gold.precision != 3:
        return close is not False and close <= NEAR_KM
    if guess.precision != 3:
        return False
    if gold.feature == "admin1":
        same = close is not False and close <= ADMIN1_KM
        return place.feature == "admin1" and (same or name_key(place.name) == name_key(gold.name))
    if g.country is None:
        return close is not False and close <= NEAR_KM
    return place.country == g.country


def _inside(g: GoldPlace, event: EventMention) -> bool:
    """The event's evidence lies inside the gold sentence, or (the pipeline's sentence cut
    otherwise: a dateline joined to the lede) at least its trigger does."""
    start, end = g.location.sentence
    return (start <= event.start and event.end <= end) or start <= _trigger_at(event) < end


def _trigger_at(event: EventMention) -> int:
    return event.start + max(event.quote.find(event.trigger), 0)


def _in_sentence(g: GoldPlace, events: Sequence[tuple[EventMention, Guess]]) -> bool:
    return any(_inside(g, e) for e, _ in events)


def _gold_places(article: PlacesGoldArticle, countries: Sequence[str | None]) -> list[GoldPlace]:
    out = []
    for loc in article.event_locations:
        i = loc.toponym
        out.append(GoldPlace(loc, countries[i] if i is not None and i < len(countries) else None))
    return out


def _countries(root: Path) -> dict[str, list[str | None]]:
    """Each article's toponym countries, from the record the loader takes."""
    return {
        aid: [t.get("country") for t in rec["toponyms"]]
        for aid, rec in _annotations(root / "annotations").items()
    }


def _share(n: int, d: int) -> float:
    return round(n / d, 3) if d else 0.0


def format_event_places_report(r: EventPlacesReport) -> str:
    def row(label: str, s: PlaceScores) -> str:
        return (
            f"  {label:<9} location {s.location:.3f}  precision {s.precision:.3f}  both "
            f"{s.both:.3f}  (no place: {s.no_place_right:.3f} of {s.no_place})"
        )

    return "\n".join([
        f"Event locations on {r.corpus} ({r.split}): {r.articles} articles, "
        f"{r.gold_locations} gold event locations, {r.covered} in a sentence with an event "
        f"(coverage {r.coverage:.3f}); scored {r.product.scored}",
        row("product", r.product),
        row("baseline", r.baseline),
    ])  # fmt: skip
