"""Who acts and who is acted on in an event: the trigger's dependents in the parse, resolved
to the actor dictionary's names; generic actors take the event place's country."""

from __future__ import annotations

from typing import Any

from eventatlas.events.actors import ActorSpan, iso3_codes
from eventatlas.records import Actor, Place

_SUBJECTS = ("nsubj", "csubj")
_OBJECTS = ("dobj", "obj", "nsubjpass", "attr")
_LOCAL = frozenset({"CVL", "COP", "REF", "MED", "UAF", "REB", "PRM", "GOV", "MIL", "LEG", "JUD"})
_TARGET_PREPS = ("on", "against", "at", "into", "with", "toward", "towards", "upon")


def participants(
    trigger: Any, named: list[ActorSpan]
) -> tuple[tuple[Actor, ...], tuple[Actor, ...]]:
    """Actors (who acts) and recipients (who is acted on), from the trigger's dependents."""
    agents: list[Any] = []
    targets: list[Any] = []
    verb = trigger if trigger.pos_ in ("VERB", "AUX") else None
    heads = [trigger]
    if verb is None and trigger.dep_ in ("dobj", "obj", "nsubj", "pobj", "attr"):
        heads.append(trigger.head)  # "carried out an airstrike": the light verb's subject
    for head in heads:
        for child in head.children:
            if child.dep_ in _SUBJECTS:
                agents.append(child)
            elif child.dep_ == "agent":
                agents += [g for g in child.children if g.dep_ == "pobj"]
            elif child.dep_ in _OBJECTS and head is trigger:
                targets.append(child)
            elif child.dep_ == "prep" and child.lower_ in _TARGET_PREPS and head is trigger:
                targets += [g for g in child.children if g.dep_ == "pobj"]
            elif child.dep_ in ("amod", "compound", "poss", "nmod") and verb is None:
                agents.append(child)
    actors = _resolve(agents, named)
    climb = trigger
    for _ in range(3):  # "protesters rallied ..., demanding jobs": the governing verb's subject
        if actors or climb.head is climb:
            break
        climb = climb.head
        actors = _resolve([c for c in climb.children if c.dep_ in _SUBJECTS], named)
    recipients = tuple(a for a in _resolve(targets, named) if a not in actors)
    if not recipients:  # "an attack by X on a convoy carrying Y": named inside the subtree
        recipients = tuple(
            s.actor
            for s in _within(trigger, named)
            if s.actor not in actors and s.start > trigger.idx
        )[:2]
    return actors, recipients


def _within(token: Any, named: list[ActorSpan]) -> list[ActorSpan]:
    lo = min(t.idx for t in token.subtree)
    hi = max(t.idx + len(t) for t in token.subtree)
    return [s for s in named if s.role == "actor" and lo <= s.start and s.end <= hi]


def with_place_country(actors: tuple[Actor, ...], place: Place | None) -> tuple[Actor, ...]:
    """Generic actors ("civilians", "protesters") take the country of the event's place, as
    ACLED codes "Civilians (Syria)"."""
    iso3 = iso3_codes().get(place.country or "") if place is not None else None
    if iso3 is None:
        return actors
    return tuple(
        Actor(a.name, iso3, a.sector) if a.country is None and a.sector in _LOCAL else a
        for a in actors
    )


def _resolve(tokens: list[Any], named: list[ActorSpan]) -> tuple[Actor, ...]:
    out: list[Actor] = []
    for tok in tokens:
        lo, hi = tok.left_edge.idx, tok.right_edge.idx + len(tok.right_edge)
        for span in named:
            if span.role == "actor" and lo <= span.start and span.end <= hi:
                if span.actor not in out:
                    out.append(span.actor)
                break
    return tuple(out)
