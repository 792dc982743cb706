"""How alike an event mention is to an event: type, date, place, actors and wording.

Each factor is a number in [0, 1]; a factor can also veto (None): different years, places too far
apart for their precision, incompatible types, background against current news. The combined
score is a weighted mean (weights in ``data/fusion.json``, chosen on our fusion dev articles).
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import cache
from importlib import resources

from eventatlas.records import EventDate, EventMention, Place

UNDATED_WINDOW = dt.timedelta(days=7)  # an undated report: the week before publication
_WORD = re.compile(r"[^\W\d_]{3,}", re.UNICODE)
_STOP = frozenset({
    "the", "and", "for", "that", "with", "from", "this", "have", "has", "had", "was", "were",
    "are", "said", "says", "its", "their", "they", "them", "which", "who", "will", "would",
    "been", "into", "over", "after", "before", "about", "than", "also", "more", "most", "other",
    "some", "such", "there", "these", "those", "when", "where", "while", "what", "against", "near",
})  # fmt: skip


@dataclass(frozen=True)
class FusionWeights:
    type: float
    date: float
    place: float
    actors: float
    text: float
    threshold: float
    max_gap_days: float
    km: dict[int, float]  # geo precision -> distance fully compatible
    compatible: dict[frozenset[str], float]  # two PLOVER types one incident is reported as

    @property
    def total(self) -> float:
        return self.type + self.date + self.place + self.actors + self.text


@cache
def fusion_weights() -> FusionWeights:
    raw = json.loads(resources.files("eventatlas.data").joinpath("fusion.json").read_text("utf-8"))
    return FusionWeights(
        raw["type"], raw["date"], raw["place"], raw["actors"], raw["text"], raw["threshold"],
        raw["max_gap_days"], {int(k): float(v) for k, v in raw["km"].items()},
        {frozenset(k.split("|")): float(v) for k, v in raw.get("compatible_types", {}).items()},
    )  # fmt: skip


def interval(date: EventDate, published: dt.date | None) -> tuple[dt.date, dt.date] | None:
    """The days an event may have happened on; None when nothing dates it."""
    end = date.end or published
    if end is None:
        return None
    start = date.start or max(end, dt.date.min + UNDATED_WINDOW) - UNDATED_WINDOW
    return start, end


def date_score(a: tuple[dt.date, dt.date] | None, b: tuple[dt.date, dt.date] | None,
               max_gap: float) -> float | None:  # fmt: skip
    if a is None or b is None:
        return 0.25  # nothing dates one of them: weak evidence either way
    gap = max((b[0] - a[1]).days, (a[0] - b[1]).days, 0)
    if gap > max_gap or (abs(a[1].year - b[1].year) > 1 and gap > 0):
        return None
    return 1.0 - gap / (max_gap + 1)


def km(a: Place, b: Place) -> float:
    """Great-circle distance between two resolved places (unresolved count as 0, 0)."""
    p1, p2 = math.radians(a.lat or 0.0), math.radians(b.lat or 0.0)
    dp, dl = p2 - p1, math.radians((b.lon or 0.0) - (a.lon or 0.0))
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(min(1.0, h)))


def place_score(a: Place | None, pa: int | None, b: Place | None, pb: int | None,
                w: FusionWeights) -> float | None:  # fmt: skip
    if a is None or b is None or a.lat is None or b.lat is None:
        return 0.5
    coarse = max(pa or 1, pb or 1)
    tolerance = w.km.get(coarse, w.km[max(w.km)])
    d = km(a, b)
    if d > 3 * tolerance:
        return None
    close = 1.0 if d <= tolerance else 1.0 - (d - tolerance) / (2 * tolerance)
    return min(close, 0.5) if coarse >= 3 else close  # a shared country says little


def actor_score(a: EventMention, b_names: set[str], b_countries: set[str]) -> float:
    names = {x.name for x in (*a.actors, *a.recipients)}
    countries = {x.country for x in (*a.actors, *a.recipients) if x.country}
    if not names or not b_names:
        return 0.5
    shared = len(names & b_names) + 0.5 * len(countries & b_countries)
    return min(1.0, shared / max(1, min(len(names), len(b_names))))


def type_score(
    a: EventMention, b_type: str, b_acled: str | None, w: FusionWeights | None = None
) -> float | None:
    if a.type != b_type:
        return (w.compatible.get(frozenset((a.type, b_type))) if w else None) or None
    mine = a.acled.sub_event_type if a.acled else None
    if mine and b_acled:
        return 1.0 if mine == b_acled else 0.6
    return 0.8


def words(text: str) -> Counter[str]:
    return Counter(w for w in (m.lower() for m in _WORD.findall(text)) if w not in _STOP)


def text_score(a: Counter[str], b: Counter[str]) -> float:
    if not a or not b:
        return 0.0
    dot = sum(v * b[k] for k, v in a.items() if k in b)
    na = math.sqrt(sum(v * v for v in a.values()))
    nb = math.sqrt(sum(v * v for v in b.values()))
    return dot / (na * nb)
