"""Who acts and who is acted on in an event: the trigger's dependents in the parse, resolved
to the actor dictionary's names; generic actors take the event place's country.

Actors: the trigger's subject; the agent of a passive ("was targeted by Russian jets") and the
weapon it was done with ("killed in Israeli tank shelling"); a noun trigger's "by" phrase and
its modifiers ("Russian airstrikes", "Moscow's truce"); else the subject of the verb governing
it ("protesters rallied ..., demanding jobs"), never a reporting verb's (who says so is the
source). Recipients: objects, the passive subject, targets of "on", "against" and the like.
A phrase names each actor it coordinates ("Russia and Iran"); a person the parser finds and
the dictionary does not know is named as written ("President Goukouni Oueddei").
"""

from __future__ import annotations

from typing import Any

from eventatlas.events.actors import ActorDictionary, ActorSpan, default_actors, iso3_codes
from eventatlas.events.attribution import cues
from eventatlas.records import Actor, Place

_SUBJECTS = ("nsubj", "csubj")
_OBJECTS = ("dobj", "obj", "nsubjpass", "attr")
_MODIFIERS = ("amod", "compound", "poss", "nmod")
_LOCAL = frozenset(
    {"CVL", "COP", "REF", "MED", "UAF", "REB", "PRM", "GOV", "MIL", "LEG", "JUD", "OPP"}
)
_TARGET_PREPS = ("on", "against", "at", "into", "with", "toward", "towards", "upon")
_MEANS_PREPS = ("in", "from", "by", "during")  # "killed in Russian airstrikes"
_LOCATIVE = frozenset({"in", "at", "near", "outside", "across", "around", "inside", "within",
                       "throughout", "off", "along", "over", "between", "of", "from"})  # fmt: skip


def participants(
    trigger: Any, named: list[ActorSpan]
) -> tuple[tuple[Actor, ...], tuple[Actor, ...]]:
    """Actors (who acts) and recipients (who is acted on), from the trigger's dependents."""
    agents: list[Any] = []
    targets: list[Any] = []
    verb = trigger if trigger.pos_ in ("VERB", "AUX") else None
    passive = verb is not None and any(c.dep_ in ("auxpass", "nsubjpass") for c in verb.children)
    heads = [trigger]
    if verb is None and trigger.dep_ in ("dobj", "obj", "nsubj", "pobj", "attr"):
        heads.append(trigger.head)  # "carried out an airstrike": the light verb's subject
    means: list[Any] = []
    for head in heads:
        for child in head.children:
            if child.dep_ in _SUBJECTS and child is not trigger:
                agents.append(child)
            elif child.dep_ == "agent":
                agents += _pobjs(child)
            elif head is not trigger:
                continue
            elif child.dep_ in _OBJECTS:
                targets.append(child)
            elif child.dep_ == "prep" and child.lower_ == "by" and verb is None:
                agents += _pobjs(child)  # "an attack by rebels"
            elif child.dep_ == "prep" and child.lower_ in _TARGET_PREPS:
                targets += _pobjs(child)
            elif child.dep_ == "prep" and child.lower_ in _MEANS_PREPS and (passive or not verb):
                means += _pobjs(child)
            elif child.dep_ in _MODIFIERS and verb is None:
                agents.append(child)
    if verb is not None and verb.dep_ == "acl" and any(c.dep_ == "dobj" for c in verb.children):
        agents.append(verb.head)  # "ADF rebels killed 40 people", parsed as a reduced relative
    actors = _resolve(agents, named)
    if not actors:  # "killed in Russian airstrikes", "wounded by regime shelling"
        actors = tuple(a for a in _resolve(means, named, armed=True))
    climb = trigger
    reporting = cues().reporting
    for _ in range(3):  # "protesters rallied ..., demanding jobs": the governing verb's subject
        if actors or climb.head is climb or climb.head.lemma_.lower() in reporting:
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


def _pobjs(prep: Any) -> list[Any]:
    return [g for g in prep.children if g.dep_ == "pobj"]


def _within(token: Any, named: list[ActorSpan]) -> list[ActorSpan]:
    lo = min(t.idx for t in token.subtree)
    hi = max(t.idx + len(t) for t in token.subtree)
    return [
        s
        for s in named
        if s.role == "actor" and lo <= s.start and s.end <= hi and not _place(token.doc, s)
    ]


def _place(doc: Any, span: ActorSpan) -> bool:
    """A country or capital standing as a place ("killed in Syria"), not as an actor."""
    found = doc.char_span(span.start, span.end, alignment_mode="expand")
    if found is None or span.generic or span.actor.sector != "GOV":
        return False
    root = found.root
    return root.dep_ == "pobj" and root.head.lower_ in _LOCATIVE


def with_place_country(
    actors: tuple[Actor, ...], place: Place | None, *, dictionary: ActorDictionary | None = None
) -> tuple[Actor, ...]:
    """Generic actors ("civilians", "rebels") take the country of the event's place, as ACLED
    codes "Civilians (Syria)"; a role named by country takes its name: Syrian rebels."""
    iso3 = iso3_codes().get(place.country or "") if place is not None else None
    if iso3 is None:
        return actors
    d = dictionary if dictionary is not None else default_actors()
    out: list[Actor] = []
    for a in actors:
        if a.country is None and a.sector in _LOCAL:
            a = d.localise(a, iso3)
            if a.country is None:
                a = Actor(a.name, iso3, a.sector)
        if a not in out:
            out.append(a)
    return tuple(out)


def _resolve(tokens: list[Any], named: list[ActorSpan], armed: bool = False) -> tuple[Actor, ...]:
    """The actors named by each token: its own span(s) and its conjuncts' ("Russia and Iran"),
    else its modifiers' ("Russian airstrikes"), else a person the parser found, else the first
    actor in its phrase. ``armed``: only military and armed groups (a weapon's owner)."""
    actors = [s for s in named if s.role == "actor"]
    if armed:
        actors = [s for s in actors if s.actor.sector in ("MIL", "REB", "PRM", "UAF")]
    out: list[Actor] = []
    for tok in tokens:
        own = [s for t in (tok, *tok.conjuncts) for s in actors if _covers(s, t)]
        mods = [c for c in tok.children if c.dep_ in _MODIFIERS and c.i < tok.i]
        named_by = [s for m in mods for s in actors if _inside(s, m)][:1]
        if all(s.generic and s.actor.country is None for s in own) and any(
            not s.generic for s in named_by
        ):
            own = named_by  # "JNIM fighters", "Hamas gunmen": the group, not the role
        found = [s.actor for s in own or named_by]
        if not found and not armed:
            found = _person(tok, named)
        if not found:
            found = [s.actor for s in actors if _inside(s, tok)][:1]
        out += [a for a in found if a not in out]
    return tuple(dict.fromkeys(out))


def _covers(span: ActorSpan, tok: Any) -> bool:
    return bool(span.start <= tok.idx < span.end)


def _inside(span: ActorSpan, tok: Any) -> bool:
    lo, hi = tok.left_edge.idx, tok.right_edge.idx + len(tok.right_edge)
    return bool(lo <= span.start and span.end <= hi)


def _person(tok: Any, named: list[ActorSpan]) -> list[Actor]:
    """A person named in full ("Goukouni Oueddei"), with the country of a title before it
    ("Mexican president Enrique Peña Nieto")."""
    if tok.ent_type_ != "PERSON":
        return []
    ent = next((e for e in tok.doc.ents if e.start <= tok.i < e.end), None)
    if ent is None:
        return []
    name = ent.text.removesuffix("'s").removesuffix("’s").strip()
    before = ent.start_char
    title = next((s for s in named if s.generic and 0 <= before - s.end <= 1), None)
    country = title.actor.country if title is not None else None
    return [Actor(name, country, "GOV" if title is not None else None)] if name else []
