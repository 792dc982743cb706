"""Place-name recognition: entity labels are evidence, not the verdict (in-memory gazetteer)."""

from __future__ import annotations

from typing import Any

import pytest

from eventatlas.geo.recognise import Mention, mentions_at, recognise
from eventatlas.geo.rules import geo_rules
from tests.geo_memory import MemoryGazetteer


@pytest.fixture(scope="module")
def gaz() -> MemoryGazetteer:
    return MemoryGazetteer()


def found(nlp: Any, gaz: MemoryGazetteer, text: str) -> list[Mention]:
    return list(recognise(nlp(text), gaz).mentions)


def names(mentions: list[Mention], sure_only: bool = True) -> list[str]:
    return [m.text for m in mentions if not (sure_only and m.tentative)]


def test_names_spacy_mislabels_are_found_when_the_gazetteer_knows_them(nlp: Any, gaz: Any) -> None:
    text = "Fighting resumed near al-Malikiyah on Tuesday, while SDF forces entered Ain Issa."
    got = names(found(nlp, gaz, text))
    assert got == ["al-Malikiyah", "Ain Issa"]


def test_offsets_point_into_the_text(nlp: Any, gaz: Any) -> None:
    text = "Residents of Qamişlo fled to Kamishli outside Hasakah governorate."
    for m in found(nlp, gaz, text):
        assert text[m.start : m.end] == m.text


def test_cue_words_give_feature_hints_and_precision(nlp: Any, gaz: Any) -> None:
    text = "Shelling hit the village of ‘Ayn ‘Īsá and Hasakah governorate near the M4 highway."
    by_name = {m.text: m for m in found(nlp, gaz, text)}
    assert by_name["‘Ayn ‘Īsá"].hint == "village"
    assert by_name["Hasakah"].hint == "admin1"
    assert by_name["M4"].hint == "road"
    assert by_name["M4"].precision == 2


def test_parenthesised_alternates_share_a_group(nlp: Any, gaz: Any) -> None:
    text = "Fighting resumed near al-Malikiyah (Derik) on Tuesday."
    mentions = found(nlp, gaz, text)
    assert names(mentions) == ["al-Malikiyah", "Derik"]
    assert mentions[0].group is not None
    assert mentions[0].group == mentions[1].group


def test_common_words_and_people_are_not_places(nlp: Any, gaz: Any) -> None:
    text = "Jordan Peterson spoke on May 3. Of the twelve speakers, Mr Springfield left early."
    assert names(found(nlp, gaz, text), sure_only=False) == []


def test_the_country_named_like_a_first_name_is_still_a_place(nlp: Any, gaz: Any) -> None:
    text = "King Abdullah of Jordan met the envoy in Amman."
    assert names(found(nlp, gaz, text)) == ["Jordan", "Amman"]


def test_a_surname_used_for_a_person_is_not_a_place(nlp: Any, gaz: Any) -> None:
    text = "Officials said Mike Alexandria would retire. Alexandria declined to comment."
    assert "Alexandria" not in names(found(nlp, gaz, text), sure_only=False)


def test_strong_cue_takes_an_unknown_name_unresolved(nlp: Any, gaz: Any) -> None:
    text = "Artillery struck the village of Kharabat Zaytun overnight."
    mentions = found(nlp, gaz, text)
    assert [m.text for m in mentions] == ["Kharabat Zaytun"]
    assert mentions[0].hint == "village"


def test_demonyms_are_country_evidence_not_mentions(nlp: Any, gaz: Any) -> None:
    recognition = recognise(nlp("Syrian and Turkish officials met in Amman."), gaz)
    assert [m.text for m in recognition.mentions] == ["Amman"]
    assert set(recognition.countries) == {"SY", "TR"}


def test_relations_between_neighbouring_names(nlp: Any, gaz: Any) -> None:
    mentions = found(nlp, gaz, "She grew up in Alexandria, La. and moved to Iowa.")
    first = mentions[0]
    assert first.text == "Alexandria"
    assert first.related is not None
    assert mentions[first.related].text == "La."
    assert first.relation == ","


def test_mentions_at_given_spans_keep_the_given_offsets(nlp: Any, gaz: Any) -> None:
    text = "Convoys left Manbij for the town of Tell Tamer."
    doc = nlp(text)
    spans = [(text.index("Manbij"), text.index("Manbij") + 6), (text.index("Tell"), len(text) - 1)]
    mentions = mentions_at(doc, spans, gaz)
    assert [(m.start, m.end) for m in mentions] == spans
    assert mentions[1].hint == "city"


def test_packaged_rules_load() -> None:
    rules = geo_rules()
    assert rules.left_cues[("village", "of")].hint == "village"
    assert rules.right_cues[("governorate",)].precision == 3
    assert rules.is_stop("May", "common")
    assert rules.demonyms["syrian"] == "SY"
    assert rules.aliases["W.Va."] == ("US", "WV")
