"""Where an event happened: the trigger's own place, never a hyphenated seat, the story's current
town before a country, and nowhere for a statement without a place of its own."""

from __future__ import annotations

from typing import Any

from eventatlas.events.locate import locate, seat
from eventatlas.records import Place


def _place(text: str, name: str, feature: str, nth: int = 0) -> Place:
    start = -1
    for _ in range(nth + 1):
        start = text.index(name, start + 1)
    return Place(name, start, start + len(name), 1, 35.0, 37.0, "SY", feature)


def _trigger(doc: Any, word: str) -> Any:
    return next(t for t in doc if t.text == word)


def test_tied_place_and_near_cue(nlp: Any) -> None:
    text = "Jets struck villages north of Manbij on Monday."
    doc = nlp(text)
    place, precision = locate(
        next(doc.sents), _trigger(doc, "struck"), [_place(text, "Manbij", "city")]
    )
    assert place is not None
    assert place.name == "Manbij"
    assert precision == 2


def test_hyphenated_seat_is_never_the_location(nlp: Any) -> None:
    text = "A US-led coalition bombed Raqqa."
    doc = nlp(text)
    us, raqqa = _place(text, "US", "country"), _place(text, "Raqqa", "city")
    assert seat(doc, us)
    assert not seat(doc, raqqa)
    place, _ = locate(next(doc.sents), _trigger(doc, "bombed"), [us, raqqa])
    assert place == raqqa


def test_current_place_is_the_latest_town_and_statements_have_none(nlp: Any) -> None:
    text = "Shelling hit Douma in Syria. The shells killed two children."
    doc = nlp(text)
    sents = list(doc.sents)
    places = [_place(text, "Douma", "city"), _place(text, "Syria", "country")]
    place, precision = locate(sents[1], _trigger(doc, "killed"), places)
    assert place is not None
    assert (place.name, precision) == ("Douma", 1)
    assert locate(sents[1], _trigger(doc, "killed"), places, verbal=True) == (None, None)
