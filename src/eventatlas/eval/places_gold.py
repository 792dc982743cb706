"""The real places gold (``training/places_gold``): toponyms and event locations in FA-KES articles.

A gold folder holds ``articles.jsonl`` (each article's ``id``, ``text`` and ``split``; the FA-KES
texts, CC BY 4.0), ``batches.json`` (the selection) and ``annotations/<annotator>/<batch>.jsonl``
(records of ``docs/annotation/places.md`` section 6). An article annotated more than once takes
the adjudicated record (``annotations/adjudicated``) first, else the first annotator in name
order. Splits are fixed in ``articles.jsonl`` and never chosen here.

Every toponym has coordinates (annotators resolve from knowledge what the gazetteer lacks), so
each is a resolution target; its ``role`` (location, seat, descriptor, other) is kept as the
toponym's ``kind``. Event locations point at a ``location`` toponym (or name a place with none).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from eventatlas.errors import DataFileError
from eventatlas.eval.events_gold import gold_jsonl, gold_records
from eventatlas.eval.geo_corpus import GoldArticle, GoldToponym

SPLITS = ("train", "dev", "test")


@dataclass(frozen=True)
class GoldEventLocation:
    """Where one event of a sentence happened, by the annotator."""

    sentence: tuple[int, int]  # character offsets of the event's sentence
    toponym: int | None  # index into the article's toponyms (None: a common noun or no place)
    name: str | None
    lat: float | None
    lon: float | None
    feature: str | None
    precision: int | None  # ACLED geo-precision 1/2/3; None without a place


@dataclass(frozen=True)
class PlacesGoldArticle:
    article: GoldArticle
    split: str
    outlet: str | None
    features: tuple[str, ...]  # feature kind per toponym, in the article's toponym order
    event_locations: tuple[GoldEventLocation, ...]
    annotator: str


def is_places_gold(path: Path) -> bool:
    """Whether ``path`` is a places-gold folder (``articles.jsonl`` and ``annotations``)."""
    return (
        path.is_dir()
        and (path / "articles.jsonl").is_file()
        and (path / "annotations").is_dir()
        and not (path / "pool.jsonl").exists()
    )


def load_places_gold(root: Path, split: str = "all") -> list[PlacesGoldArticle]:
    """The annotated articles of ``root`` in ``split`` (train, dev, test or all), by id."""
    if split != "all" and split not in SPLITS:
        raise DataFileError(f"split must be train, dev, test or all; got {split!r}")
    records = _annotations(root / "annotations")
    out = []
    for row in gold_jsonl(root / "articles.jsonl"):
        rec = records.get(row["id"])
        if rec is None or (split != "all" and row["split"] != split):
            continue
        out.append(_article(row, rec))
    return out


def _article(row: dict[str, Any], rec: dict[str, Any]) -> PlacesGoldArticle:
    text: str = row["text"]
    toponyms: list[GoldToponym] = []
    features: list[str] = []
    for t in rec["toponyms"]:
        if text[t["start"] : t["end"]] != t["text"]:
            raise DataFileError(
                f"places gold {rec['article_id']}: toponym {t['text']!r} at {t['start']}-"
                f"{t['end']} does not match the article text {text[t['start'] : t['end']]!r}; "
                "fix the offsets in the annotation"
            )
        gid = t.get("geonameid")
        toponyms.append(
            GoldToponym(
                t["start"], t["end"], t["text"], float(t["lat"]), float(t["lon"]),
                int(gid) if isinstance(gid, int) else None, t["role"],
            )
        )  # fmt: skip
        features.append(t["feature"])
    locations = tuple(_location(e, toponyms, features) for e in rec.get("event_locations") or ())
    article = GoldArticle(
        row["id"], text, tuple(toponyms), tuple((t.start, t.end) for t in toponyms), row["split"]
    )
    return PlacesGoldArticle(
        article, row["split"], row.get("outlet_code"), tuple(features), locations,
        rec["annotator"],
    )  # fmt: skip


def _location(
    e: dict[str, Any], toponyms: list[GoldToponym], features: list[str]
) -> GoldEventLocation:
    index = e.get("toponym_index")
    sentence = (int(e["sentence_start"]), int(e["sentence_end"]))
    precision = e.get("geo_precision")
    if isinstance(index, int) and 0 <= index < len(toponyms):
        t = toponyms[index]
        return GoldEventLocation(sentence, index, t.name, t.lat, t.lon, features[index], precision)
    return GoldEventLocation(sentence, None, e.get("name"), None, None, None, precision)


def _annotations(folder: Path) -> dict[str, dict[str, Any]]:
    """One record per article: adjudicated first, then annotators in name order."""
    return gold_records(folder, "article_id")
