"""Read geoparsing gold corpora: GeoWebNews (GWN) and LGL XML, told apart by their content.

* LGL (Lieberman et al. 2010, as distributed by Gritta et al.): ``<article><text>`` and
  ``<toponym><start><end><phrase><gaztag geonameid><lat><lon>``; toponyms without a ``gaztag``
  are toponyms the annotators could not ground.
* GeoWebNews (Gritta et al. 2019): ``<article><text>`` and ``<toponym><extractedName><type>
  <start><end>[<geonamesID><latitude><longitude>]``; only some types are toponyms with
  coordinates (Literal, Mixed, Metonymic, modifiers ...); Non_Toponym, Demonym, Language,
  Homonym and the *_Expression types have none.

Every corpus becomes :class:`GoldArticle` rows: ``toponyms`` are the ones with coordinates (the
resolution targets); ``spans`` are every span that names a place (what a found place may
overlap without being a false positive): for LGL all toponyms, for GWN those with coordinates.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from eventatlas.errors import DataFileError, UsageError


@dataclass(frozen=True)
class GoldToponym:
    start: int
    end: int
    name: str
    lat: float
    lon: float
    geonameid: int | None
    kind: str | None  # GWN type; None for LGL


@dataclass(frozen=True)
class GoldArticle:
    id: str
    text: str
    toponyms: tuple[GoldToponym, ...]
    spans: tuple[tuple[int, int], ...]
    split: str | None = None  # the gold's own split (places gold); None: halves of the corpus


@dataclass(frozen=True)
class GeoCorpus:
    name: str
    format: str  # "gwn" | "lgl" | "places"
    articles: tuple[GoldArticle, ...]


def load_geo_corpus(path: Path) -> GeoCorpus:
    """Parse a GWN or LGL file (the format is detected from the toponym elements), or read a
    places-gold folder (``training/places_gold``)."""
    from eventatlas.eval.places_gold import is_places_gold, load_places_gold

    if is_places_gold(path):
        gold = tuple(a.article for a in load_places_gold(path))
        return GeoCorpus(path.name, "places", gold)
    if not path.is_file():
        raise UsageError(
            f"--corpus {path}: expected a GeoWebNews or LGL XML file or a places-gold folder; "
            "no such file"
        )
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as exc:
        raise DataFileError(f"{path}: expected XML, {exc}; is this a geoparsing corpus?") from exc
    first = root.find(".//toponym")
    if (first is not None and first.find("gaztag") is not None) or root.find(".//gaztag"):
        articles = [_lgl_article(a, n) for n, a in enumerate(root.iter("article"))]
        kind = "lgl"
    elif root.find(".//toponym/extractedName") is not None:
        articles = [_gwn_article(a, n) for n, a in enumerate(root.iter("article"))]
        kind = "gwn"
    else:
        raise DataFileError(
            f"{path}: expected LGL toponyms (<gaztag>) or GeoWebNews toponyms (<extractedName>); "
            "found neither"
        )
    return GeoCorpus(path.stem, kind, tuple(articles))


def _text(el: ET.Element | None) -> str | None:
    if el is None or el.text is None:
        return None
    return el.text.strip() or None


def _int(el: ET.Element, tag: str) -> int:
    value = _text(el.find(tag))
    if value is None or not value.lstrip("-").isdigit():
        raise DataFileError(f"toponym without a numeric <{tag}>: {ET.tostring(el)[:200]!r}")
    return int(value)


def _lgl_article(article: ET.Element, n: int) -> GoldArticle:
    text = article.findtext("text") or ""
    gold: list[GoldToponym] = []
    spans: list[tuple[int, int]] = []
    for top in article.iter("toponym"):
        start, end = _int(top, "start"), _int(top, "end")
        spans.append((start, end))
        tag = top.find("gaztag")
        lat, lon = (_text(tag.find("lat")), _text(tag.find("lon"))) if tag is not None else ("", "")
        if tag is None or not lat or not lon:
            continue
        gid = tag.get("geonameid")
        gold.append(
            GoldToponym(
                start, end, text[start:end], float(lat), float(lon),
                int(gid) if gid and gid.isdigit() else None, None,
            )
        )  # fmt: skip
    return GoldArticle(article.get("docid") or str(n), text, tuple(gold), tuple(spans))


def _gwn_article(article: ET.Element, n: int) -> GoldArticle:
    text = article.findtext("text") or ""
    gold: list[GoldToponym] = []
    for top in article.iter("toponym"):
        lat, lon = _text(top.find("latitude")), _text(top.find("longitude"))
        if not lat or not lon:
            continue
        start, end = _int(top, "start"), _int(top, "end")
        gid = _text(top.find("geonamesID"))
        gold.append(
            GoldToponym(
                start, end, text[start:end], float(lat), float(lon),
                int(gid) if gid and gid.isdigit() else None, _text(top.find("type")),
            )
        )  # fmt: skip
    spans = tuple((g.start, g.end) for g in gold)
    return GoldArticle(article.get("file") or str(n), text, tuple(gold), spans)
