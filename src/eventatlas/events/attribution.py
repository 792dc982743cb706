"""Who says so, and in what voice: attribution, status and stance of an event in its sentence.

Works on a spaCy sentence and the trigger token: the reporting verb that governs the trigger
("the ministry said its jets struck"), "according to X", "citing X", and hedges ("reportedly",
"was said to have"). Status: ``denied`` when the event is negated or its reporter denies it;
``threatened`` and ``planned`` when a threat, plan or future auxiliary governs the trigger;
``claimed`` when a party to the conflict asserts it (or a hedge does); else ``reported``.
Background (``historical``) comes from the date stage. The cue words are data
(``data/event_cues.json``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

from eventatlas.datafiles import packaged_name, packaged_text, parse_json
from eventatlas.events.actors import ActorDictionary
from eventatlas.events.dates import DateFinding
from eventatlas.records import EventStatus, Stance

CUES_FILE = "event_cues.json"


@dataclass(frozen=True)
class Attribution:
    attributed_to: str | None
    status: EventStatus
    stance: Stance


@dataclass(frozen=True)
class Cues:
    reporting: frozenset[str]
    denying: frozenset[str]
    claiming: frozenset[str]
    threatening: frozenset[str]
    planning: frozenset[str]
    hedges: frozenset[str]
    negations: frozenset[str]


@cache
def cues() -> Cues:
    raw: Any = parse_json(packaged_text(CUES_FILE), packaged_name(CUES_FILE))
    return Cues(**{k: frozenset(v) for k, v in raw.items() if k != "provenance"})


def attribute(trigger: Any, actors: ActorDictionary) -> Attribution:
    """Attribution, status and stance of the event named by ``trigger`` (a spaCy token)."""
    c = cues()
    governors = list(_governors(trigger))
    reporter = next((g for g in governors if g.lemma_.lower() in c.reporting), None)
    source = _source(trigger.sent, reporter, actors)
    negated = _negated(trigger, c) or any(
        g.lemma_.lower() not in c.reporting and _negated(g, c) for g in governors[:1]
    )
    denied = negated or (reporter is not None and reporter.lemma_.lower() in c.denying)
    if denied:
        return Attribution(source.text if source else None, "denied", "denies")
    lemmas = {g.lemma_.lower() for g in governors}
    words = {t.lower_ for t in trigger.sent}
    status: EventStatus = "reported"
    claimed = (reporter is not None and reporter.lemma_.lower() in c.claiming) or bool(
        words & c.hedges
    )
    if lemmas & c.threatening:
        status = "threatened"
    elif lemmas & c.planning or _future(trigger):
        status = "planned"
    elif claimed or (source is not None and source.party):
        status = "claimed"
    return Attribution(source.text if source else None, status, "asserts")


@dataclass(frozen=True)
class _Source:
    text: str
    party: bool  # a party to events (not a monitor or outlet)


def _source(sent: Any, reporter: Any, actors: ActorDictionary) -> _Source | None:
    """Who the sentence attributes its content to."""
    span = _according_to(sent) or (_subject(reporter) if reporter is not None else None)
    if span is None or all(t.pos_ in ("PRON", "DET") for t in span):
        return None  # "he said": who "he" is lies outside the sentence
    found = actors.find(span.text, span.start_char)
    if found:
        best = found[0]
        return _Source(best.actor.name, best.role == "actor")
    text = span.text.strip()
    return _Source(text[0].upper() + text[1:] if text else text, True) if text else None


def _according_to(sent: Any) -> Any:
    for tok in sent:
        low = tok.lower_
        if low == "according" and tok.i + 1 < tok.doc.__len__() and tok.nbor().lower_ == "to":
            objs = [c for c in tok.nbor().children if c.dep_ == "pobj"]
            if objs:
                return tok.doc[objs[0].left_edge.i : objs[0].right_edge.i + 1]
        if low in ("citing", "quoting") and tok.dep_ != "ROOT":
            objs = [c for c in tok.children if c.dep_ in ("dobj", "obj")]
            if objs:
                return tok.doc[objs[0].left_edge.i : objs[0].right_edge.i + 1]
    return None


def _subject(verb: Any) -> Any:
    subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
    if not subjects:
        return None
    s = subjects[0]
    return s.doc[s.left_edge.i : s.right_edge.i + 1]


def _governors(token: Any) -> Iterable[Any]:
    """The heads above ``token`` within its sentence, nearest first."""
    seen = 0
    while token.head is not token and seen < 8:
        token = token.head
        seen += 1
        yield token


def _negated(token: Any, c: Cues) -> bool:
    for child in token.children:
        if child.dep_ == "neg" or (child.dep_ == "det" and child.lower_ in c.negations):
            return True
    return False


def _future(token: Any) -> bool:
    """'will strike', 'is to withdraw', 'plans to deploy' (aux or xcomp of a planning verb)."""
    verb = token if token.pos_ in ("VERB", "AUX") else token.head
    future = ("will", "would", "shall", "'ll")
    return any(c.dep_ == "aux" and c.lower_ in future for c in verb.children)


_SPEECH_ACTS = frozenset({"THREATEN", "REQUEST", "ACCUSE", "REJECT", "AGREE", "SUPPORT"})


def event_status(said: Attribution, when: DateFinding, event_type: str) -> EventStatus:
    """The status of one event from its attribution and its date."""
    status = said.status
    if status in ("threatened", "planned") and event_type in _SPEECH_ACTS:
        status = "reported"  # a threat or demand made is itself the event
    if when.historical and status not in ("denied",):
        status = "historical"
    return status
