"""The event-location scorer on the places gold, on a tiny gold folder written here."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from eventatlas.eval.event_places import (
    GoldPlace,
    Guess,
    evaluate_event_places,
    format_event_places_report,
    location_right,
    nearest_guess,
    score_event_places,
)
from eventatlas.eval.places_gold import GoldEventLocation
from eventatlas.records import EventDate, EventMention, Place

TEXT = (
    "Wed 05 Apr 2017\n"
    "Russian jets struck Idlib on Tuesday, monitors in Aleppo said.\n"
    "Analysts in London say the war is far from over."
)
IDLIB = Place("Idlib", 0, 5, 169389, 35.93, 36.63, "SY", "city")
SYRIA = Place("Syria", 0, 5, 163843, 35.0, 38.0, "SY", "country")
ALEPPO_GOV = Place("Aleppo", 0, 6, None, 36.2, 37.5, "SY", "admin1")


def _loc(
    name: str | None, lat: float | None, lon: float | None, feature: str | None, prec: int | None
) -> GoldPlace:
    return GoldPlace(GoldEventLocation((0, 100), 0, name, lat, lon, feature, prec), "SY")


def _event(start: int, end: int, place: Place | None, prec: int | None, trigger: str) -> Any:
    return EventMention(
        id=f"e{start}", article_id="a", type="ASSAULT", mode=None, acled=None,
        date=EventDate(None, None, "unknown"), actors=(), recipients=(), location=place,
        geo_precision=prec, status="reported", attributed_to=None, stance="neutral",
        quote=TEXT[start:end], start=start, end=end, trigger=trigger, confidence=0.9,
    )  # fmt: skip


def test_location_rules_by_gold_precision() -> None:
    town = _loc("Idlib", 35.93, 36.64, "city", 1)
    assert location_right(town, Guess(IDLIB, 1))
    assert location_right(town, Guess(IDLIB, 2))  # precision is scored on its own
    assert not location_right(town, Guess(SYRIA, 3))
    country = _loc("Syria", 34.8, 38.9, "country", 3)
    assert location_right(country, Guess(SYRIA, 3))
    assert not location_right(country, Guess(IDLIB, 1))  # same country, not at precision 3
    province = _loc("Aleppo", 36.25, 37.45, "admin1", 3)
    assert location_right(province, Guess(ALEPPO_GOV, 3))
    assert not location_right(province, Guess(SYRIA, 3))
    nothing = _loc(None, None, None, None, None)
    assert location_right(nothing, Guess(None, None))
    assert not location_right(nothing, Guess(IDLIB, 1))
    assert not location_right(town, Guess(None, None))


def test_pairs_coverage_and_baseline() -> None:
    s1 = (16, 78)
    gold = [[
        GoldPlace(GoldEventLocation(s1, 0, "Idlib", 35.93, 36.64, "city", 1), "SY"),
        GoldPlace(GoldEventLocation((79, 128), None, None, None, None, None, None), None),
    ]]  # fmt: skip
    strike = _event(16, 78, IDLIB, 1, "struck")
    product = [[(strike, Guess(IDLIB, 1))]]
    baseline = [[(strike, Guess(SYRIA, 3))]]
    report = score_event_places("x", "dev", gold, product, baseline)
    assert (report.gold_locations, report.covered, report.coverage) == (2, 1, 0.5)
    assert (report.product.scored, report.product.both) == (1, 1.0)
    assert report.baseline.location == 0.0
    assert "coverage 0.500" in format_event_places_report(report)
    aleppo = Place("Aleppo", TEXT.index("Aleppo"), TEXT.index("Aleppo") + 6, 1, 36.2, 37.16,
                   "SY", "city")  # fmt: skip
    idlib = Place("Idlib", TEXT.index("Idlib"), TEXT.index("Idlib") + 5, 2, 35.93, 36.63,
                  "SY", "city")  # fmt: skip
    assert nearest_guess(strike, [aleppo, idlib]) == Guess(idlib, 1)


def _gold_folder(root: Path) -> Path:
    (root / "articles.jsonl").write_text(
        json.dumps({"id": "fakes-1", "text": TEXT, "split": "dev", "outlet_code": "sana"}) + "\n"
        + json.dumps({"id": "fakes-2", "text": TEXT, "split": "test"}) + "\n"
    )  # fmt: skip
    i, a, lo = TEXT.index("Idlib"), TEXT.index("Aleppo"), TEXT.index("London")
    toponyms = [
        {"start": i, "end": i + 5, "text": "Idlib", "role": "location", "feature": "city",
         "geonameid": 169389, "lat": 35.93, "lon": 36.63, "country": "SY", "note": None},
        {"start": a, "end": a + 6, "text": "Aleppo", "role": "location", "feature": "city",
         "geonameid": 170063, "lat": 36.2, "lon": 37.16, "country": "SY", "note": None},
        {"start": lo, "end": lo + 6, "text": "London", "role": "location", "feature": "city",
         "geonameid": 2643743, "lat": 51.5, "lon": -0.13, "country": "GB", "note": None},
    ]  # fmt: skip
    rec = {"article_id": "fakes-1", "annotator": "pl-a", "toponyms": toponyms,
           "event_locations": [{"sentence_start": 16, "sentence_end": 78, "toponym_index": 0,
                                "name": "Idlib", "geo_precision": 1}]}  # fmt: skip
    folder = root / "annotations" / "pl-a"
    folder.mkdir(parents=True)
    (folder / "b.jsonl").write_text(json.dumps(rec) + "\n")
    return root


def test_evaluate_runs_the_pipeline_on_the_split(tmp_path: Path, nlp: Any, gazetteer: Any) -> None:
    from eventatlas.pipeline import ProcessResources

    seen: list[str] = []

    def extractor(doc: Any, info: Any, places: Any, events: Any) -> list[EventMention]:
        seen.append(info.id)
        assert info.published is not None
        assert info.published.year == 2017
        s = next(s for s in doc.sents if "struck" in s.text)
        aleppo = next(p for p in places if p.name == "Aleppo")
        return [_event(s.start_char, s.end_char, aleppo, 1, "struck")]

    res = ProcessResources(nlp=nlp, gazetteer=gazetteer, extractor=extractor)
    report = evaluate_event_places(_gold_folder(tmp_path), res, "dev")
    assert seen == ["fakes-1"]
    assert (report.articles, report.gold_locations, report.covered) == (1, 1, 1)
    assert report.product.location == 0.0  # Aleppo, not Idlib
    assert report.baseline.location == 1.0  # Idlib is nearest "struck"
    assert report.to_dict()["baseline"]["scored"] == 1


# The real places gold's test split (40 FA-KES articles, 269 gold event locations; never read to
# tune). Measured 2026-12-04 (`eventatlas eval geo --corpus training/places_gold --split test`):
# location 0.702, precision 0.643, both 0.583, coverage 0.874; nearest-place baseline 0.523.
PLACES_GOLD = Path(__file__).resolve().parents[1] / "training" / "places_gold"


def test_event_location_gate_on_the_real_test_split() -> None:
    from eventatlas.pipeline import load_process_resources
    from eventatlas.settings import Settings

    report = evaluate_event_places(PLACES_GOLD, load_process_resources(Settings()), "test")
    assert report.gold_locations == 269
    assert report.product.location >= 0.69
    assert report.product.both >= 0.57
    assert report.product.location >= report.baseline.location + 0.1
