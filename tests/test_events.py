"""Event extraction on sentences we wrote: type, actors, place, date, attribution, status."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from eventatlas.events.extract import extract_doc, load_event_resources
from eventatlas.geo.geoparse import geoparse_doc
from eventatlas.records import ArticleInfo, EventMention
from eventatlas.settings import Settings
from tests.geo_memory import MemoryGazetteer

PUB = dt.date(2021, 6, 3)  # a Thursday


@pytest.fixture(scope="module")
def res() -> Any:
    return load_event_resources(Settings())


def events(nlp: Any, res: Any, text: str) -> list[EventMention]:
    doc = nlp(text)
    places = geoparse_doc(doc, MemoryGazetteer())
    return extract_doc(doc, ArticleInfo("a1", PUB, "Reuters"), places, res)


def main(nlp: Any, res: Any, text: str) -> EventMention:
    found = events(nlp, res, text)
    assert found, text
    return found[0]


def test_blocking_a_patrol_is_coercion_claimed_by_the_ministry(nlp: Any, res: Any) -> None:
    e = main(nlp, res, "Russian military police blocked an American convoy on Tuesday, "
                       "the Russian defence ministry said.")  # fmt: skip
    assert e.type == "COERCE"
    assert "RUS" in {a.country for a in e.actors}
    assert "USA" in {a.country for a in e.recipients}
    assert e.status == "claimed"
    assert e.attributed_to is not None
    assert "Russia" in e.attributed_to
    assert (e.date.start, e.date.precision) == (dt.date(2021, 6, 1), "day")


def test_a_denial_is_not_the_event_happening(nlp: Any, res: Any) -> None:
    e = main(nlp, res, "The SDF denied that its fighters had shelled the town of Manbij.")
    assert e.type == "ASSAULT"
    assert (e.status, e.stance) == ("denied", "denies")
    assert e.acled is not None
    assert e.acled.event_type == "Explosions/Remote violence"


def test_negation_is_a_denial(nlp: Any, res: Any) -> None:
    e = main(nlp, res, "Turkish forces did not shell the village, officials in Ankara said.")
    assert e.stance == "denies"


def test_background_is_dated_when_it_happened(nlp: Any, res: Any) -> None:
    e = main(nlp, res, "In October 2019, Turkey launched an offensive against Kurdish-led "
                       "forces in northern Syria.")  # fmt: skip
    assert e.status == "historical"
    assert (e.date.start, e.date.precision) == (dt.date(2019, 10, 1), "month")


def test_monitor_attribution_and_place(nlp: Any, res: Any) -> None:
    text = ("An airstrike on a market in Aleppo killed 12 civilians late Sunday, according to "
            "the Syrian Observatory for Human Rights.")  # fmt: skip
    e = main(nlp, res, text)
    assert (e.type, e.mode) == ("ASSAULT", "aerial")
    assert e.acled is not None
    assert e.acled.sub_event_type == "Air/drone strike"
    assert e.attributed_to == "Syrian Observatory for Human Rights"
    assert e.status == "reported"  # a monitor reports; it is not a party
    assert e.location is not None
    assert e.location.name == "Aleppo"
    assert e.geo_precision == 1
    assert e.date.start == dt.date(2021, 5, 30)
    assert text[e.start : e.end] == e.quote


def test_a_threat_made_is_reported(nlp: Any, res: Any) -> None:
    e = main(nlp, res, "Turkey threatened on Monday to launch a new offensive against the YPG.")
    assert e.type == "THREATEN"
    assert e.status == "reported"


def test_no_event_in_a_description(nlp: Any, res: Any) -> None:
    assert events(nlp, res, "The weather in Aleppo was mild and the markets were busy.") == []


def test_offsets_point_into_the_article(nlp: Any, res: Any) -> None:
    text = ("Officials met in Baghdad.\n\nProtesters rallied outside parliament on Friday. "
            "Police arrested twelve of them, a rights group said.")  # fmt: skip
    found = events(nlp, res, text)
    assert found
    for e in found:
        assert text[e.start : e.end] == e.quote
    assert {"PROTEST", "COERCE"} <= {e.type for e in found}


def test_hostile_text_is_kept_as_data(nlp: Any, res: Any) -> None:
    text = "Gunmen <script>alert(1)</script> attacked a checkpoint near Aleppo on Monday."
    found = events(nlp, res, text)
    assert found
    assert "<script>" in found[0].quote  # stored verbatim; escaping is the outputs' job


def test_a_sentence_without_an_actor_takes_the_previous_sentences(nlp: Any, res: Any) -> None:
    text = (
        "Islamic State militants fired rockets at the Kurdish district on Monday. "
        "The shells killed two children and wounded five others."
    )
    found = events(nlp, res, text)
    toll = next(e for e in found if e.quote.startswith("The shells"))
    assert toll.type == "ASSAULT"
    assert [a.name for a in toll.actors] == ["Islamic State"]


def test_commentary_with_event_words_is_no_event(nlp: Any, res: Any) -> None:
    assert not events(nlp, res, "Analysts say airstrikes often kill civilians in wars like this.")
