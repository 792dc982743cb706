"""Fusion of mentions into events: what joins, what must not, corroboration and disputes."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from eventatlas.fuse.merge import assign, build_events
from eventatlas.records import (
    AcledType,
    Actor,
    EventDate,
    EventMention,
    EventStatus,
    Place,
    Stance,
)

D = dt.date(2021, 6, 1)
TOWN = Place("Ain Issa", 0, 8, 1, 36.385, 38.859, "SY", "city")
NEAR_TOWN = Place("Ain Issa", 0, 8, 1, 36.40, 38.87, "SY", "city")
FAR_TOWN = Place("Manbij", 0, 6, 2, 36.528, 37.955, "SY", "city")  # ~82 km west
TURKEY = Actor("Turkish military", "TUR", "MIL")
SDF = Actor("Syrian Democratic Forces (SDF)", "SYR", "REB")


def mention(
    n: int, *, day: dt.date = D, place: Place = TOWN, outlet: str = "Reuters",
    stance: Stance = "asserts", status: EventStatus = "reported", article: str | None = None,
    cites: str | None = None, quote: str = "Turkish forces shelled Ain Issa, killing two.",
    precision: str = "day",
) -> EventMention:  # fmt: skip
    return EventMention(
        id=f"m{n}", article_id=article or f"a{n}", type="ASSAULT", mode="heavy-weapons",
        acled=AcledType("Explosions/Remote violence", "Shelling/artillery/missile attack"),
        date=EventDate(day, day, precision),  # type: ignore[arg-type]
        actors=(TURKEY,), recipients=(SDF,), location=place, geo_precision=1,
        status=status, attributed_to=cites, stance=stance, quote=quote, start=0, end=len(quote),
        trigger="shelled", confidence=0.9, outlet=outlet, published=day + dt.timedelta(days=1),
    )  # fmt: skip


def clusters(ms: list[EventMention]) -> list[set[str]]:
    groups: dict[str, set[str]] = defaultdict(set)
    for m, e in assign(ms).items():
        groups[e].add(m)
    return sorted(groups.values(), key=min)


def test_one_event_told_by_several_outlets_is_one_event() -> None:
    ms = [
        mention(1),
        mention(2, outlet="AFP", place=NEAR_TOWN, quote="Turkish artillery pounded Ain Issa."),
        mention(3, outlet="Hawar News", day=D + dt.timedelta(days=1), precision="week"),
    ]
    assert clusters(ms) == [{"m1", "m2", "m3"}]
    (event,) = build_events(ms, assign(ms))
    assert (event.sources.articles, event.sources.outlets, event.sources.independent) == (3, 3, 3)
    assert event.date.precision == "day"


def test_same_place_two_weeks_apart_are_two_events() -> None:
    ms = [mention(1), mention(2, day=D + dt.timedelta(days=14), outlet="AFP")]
    assert clusters(ms) == [{"m1"}, {"m2"}]


def test_same_day_distant_towns_are_two_events() -> None:
    ms = [mention(1), mention(2, place=FAR_TOWN, outlet="AFP")]
    assert clusters(ms) == [{"m1"}, {"m2"}]


def test_background_never_joins_current_news() -> None:
    ms = [mention(1), mention(2, status="historical", outlet="AFP")]
    assert clusters(ms) == [{"m1"}, {"m2"}]


def test_a_claim_and_its_denial_are_one_disputed_event() -> None:
    ms = [
        mention(1, status="claimed", cites="Russian Ministry of Defence"),
        mention(2, stance="denies", status="denied", outlet="Rudaw",
                cites="Syrian Democratic Forces (SDF)",
                quote="The SDF denied that Turkish forces shelled Ain Issa."),
    ]  # fmt: skip
    (event,) = build_events(ms, assign(ms))
    assert event.status == "disputed"
    assert {m.stance for m in event.mentions} == {"asserts", "denies"}


def test_copies_and_a_shared_origin_count_once() -> None:
    ms = [
        mention(1, outlet="AFP"),
        mention(2, outlet="France 24"),  # a syndicated copy of a1
        mention(3, outlet="Al-Monitor", cites="Syrian Observatory for Human Rights"),
        mention(4, outlet="Asharq Al-Awsat", cites="Syrian Observatory for Human Rights"),
    ]
    roots = {"a1": ("a1", "AFP"), "a2": ("a1", "AFP")}
    cited = frozenset({"Syrian Observatory for Human Rights"})
    (event,) = build_events(ms, assign(ms), roots, cited)
    assert (event.sources.articles, event.sources.outlets, event.sources.independent) == (4, 4, 2)


def test_incremental_assignment_keeps_ids() -> None:
    first = [mention(1), mention(2, outlet="AFP")]
    before = assign(first)
    existing: dict[str, list[EventMention]] = defaultdict(list)
    for m in first:
        existing[before[m.id]].append(m)
    later = [mention(3, outlet="TASS"), mention(4, day=D + dt.timedelta(days=20))]
    after = assign(later, existing)
    assert after["m3"] == before["m1"]  # joins the existing event
    assert after["m4"] not in set(before.values())  # a new event
    assert assign(first) == before  # reruns give the same ids


def test_undated_article_takes_the_date_of_its_company() -> None:
    from dataclasses import replace

    from eventatlas.fuse.undated import infer_dates

    dated = [mention(1), mention(2, outlet="AFP")]
    undated = replace(mention(3, outlet=None), published=None,  # type: ignore[arg-type]
                      date=EventDate(None, None, "unknown"))  # fmt: skip
    ms = [*dated, undated]
    assignment = assign(ms)
    assert assignment["m3"] == assignment["m1"]
    assert infer_dates(ms, assignment, ["a3"]) == {"a3": D + dt.timedelta(days=1)}
    far = replace(mention(4, day=D + dt.timedelta(days=40)), id="m4")
    assert infer_dates([*ms, far], {**assignment, "m4": assignment["m1"]}, ["a3"]) == {}


def test_storylines_group_area_and_cast_over_days_and_profiles_count() -> None:
    from eventatlas.fuse.stories import source_profiles, storylines

    ms = [
        mention(1),
        mention(2, outlet="AFP"),
        mention(3, day=D + dt.timedelta(days=4), outlet="AFP",
                quote="Turkish drones hit an SDF position outside Ain Issa."),
        mention(4, day=D + dt.timedelta(days=30), outlet="TASS"),
        mention(5, place=FAR_TOWN, day=D + dt.timedelta(days=2), outlet="TASS"),
    ]  # fmt: skip
    events = build_events(ms, assign(ms))
    assert len(events) == 4
    stories = storylines(events)
    sizes = sorted(len(s.events) for s in stories)
    assert sizes == [1, 1, 2]  # Ain Issa over four days; a month later; Manbij apart
    profiles = {p.outlet: p for p in source_profiles(events)}
    assert (profiles["AFP"].events, profiles["AFP"].corroborated, profiles["AFP"].unique) == (
        2, 1, 1,
    )  # fmt: skip
    assert profiles["TASS"].unique == 2
