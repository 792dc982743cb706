"""Who says so, and in what voice: attribution, status and stance of an event in its sentence.

Works on a spaCy sentence and the trigger token: the reporting verb that governs the trigger
("the ministry said its jets struck"), "according to X", "citing X", and hedges ("reportedly",
"was said to have"). Status (``docs/annotation/events.md`` section 8):

* ``denied`` only when the denial governs this event: a denial verb whose content holds the
  trigger ("X denied carrying out the strike", "denied reports that its jets hit"), or a
  negation of the event's own verb in a statement of fact ("did not shell the village"). A
  negation elsewhere denies nothing ("no talk of Brexit", "officials did not say who carried out
  the raid", "the bombardment had not stopped"), nor does refusing an offer, a call or a request
  (the refusal is the event), nor does denying an accusation deny that it was made;
* a negated future or modal ("will not lift the ban") is a refusal: ``reported``;
* ``threatened`` and ``planned`` when a threat, plan or future auxiliary governs the trigger;
* ``claimed`` when a party asserts its **own** act (the source is the event's agent, or the agent
  is "it", "they", "its forces" under the source's reporting verb), when a claim verb carries it
  ("claimed responsibility"), or when the reporter hedges ("allegedly"); a party merely saying
  what happened is ``reported``;
* never ``disputed``: one side asserting what another denies is seen across mentions (fusion).

Background (``historical``) and future dates come from the date stage (:func:`event_status`).
The cue words are data (``data/event_cues.json``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

from eventatlas.events.actors import ActorDictionary
from eventatlas.events.dates import DateFinding, read_cues
from eventatlas.records import Actor, EventStatus, Stance


@dataclass(frozen=True)
class Attribution:
    attributed_to: str | None
    status: EventStatus
    stance: Stance


@dataclass(frozen=True)
class Cues:
    reporting: frozenset[str]
    denying: frozenset[str]  # deny any content: "denied carrying out the strike"
    rejecting: frozenset[str]  # deny only a report's content: "rejected reports that ..."
    claiming: frozenset[str]
    threatening: frozenset[str]
    planning: frozenset[str]
    hedges: frozenset[str]
    negations: frozenset[str]
    proposals: frozenset[str]  # refusing one denies no event: "rejected an offer of talks"
    reports: frozenset[str]  # denying one denies its content, not that it was made
    realising: frozenset[str]  # "did not carry out the attack" negates the attack
    modals: frozenset[str]
    content_deps: frozenset[str]  # how the denied content hangs on a denial verb
    clause_deps: frozenset[str]  # within one clause: where its subject is the agent
    own_pronouns: frozenset[str]
    state_sectors: frozenset[str]


@cache
def cues() -> Cues:
    fields = Cues.__dataclass_fields__
    return read_cues(
        lambda raw: Cues(**{k: frozenset(str(w).lower() for w in raw[k]) for k in fields}),
        "lists " + ", ".join(fields),
    )


def attribute(trigger: Any, actors: ActorDictionary) -> Attribution:
    """Attribution, status and stance of the event named by ``trigger`` (a spaCy token)."""
    c = cues()
    governors = list(_governors(trigger))
    reporter = next((g for g in governors if g.lemma_.lower() in c.reporting), None)
    source = _source(trigger.sent, reporter, actors)
    said = source.text if source else None
    negation = _negated_fact(trigger, c)
    if _denial_governs(trigger, c) or negation == "denied":
        return Attribution(said, "denied", "denies")
    if negation == "refused":
        return Attribution(said, "reported", "asserts")
    lemmas = {g.lemma_.lower() for g in governors}
    words = {t.lower_ for t in trigger.sent}
    claimed = (reporter is not None and reporter.lemma_.lower() in c.claiming) or bool(
        words & c.hedges
    )
    status: EventStatus = "reported"
    if lemmas & c.threatening:
        status = "threatened"
    elif lemmas & c.planning or _future(trigger):
        status = "planned"
    elif claimed or (source is not None and _own_act(trigger, reporter, source, actors, c)):
        status = "claimed"
    return Attribution(said, status, "asserts")


@dataclass(frozen=True)
class _Source:
    text: str
    party: bool  # a party to events (not a monitor or outlet)
    actor: Actor | None = None  # the dictionary's, when it knows the source


def _source(sent: Any, reporter: Any, actors: ActorDictionary) -> _Source | None:
    """Who the sentence attributes its content to."""
    span = _according_to(sent) or (_subject(reporter) if reporter is not None else None)
    if span is None or all(t.pos_ in ("PRON", "DET") for t in span):
        return None  # "he said": who "he" is lies outside the sentence
    found = actors.find(span.text, span.start_char)
    if found:
        best = found[0]
        return _Source(best.actor.name, best.role == "actor", best.actor)
    text = span.text.strip()
    return _Source(text[0].upper() + text[1:] if text else text, True) if text else None


def _denial_governs(trigger: Any, c: Cues) -> bool:
    """Whether a denial verb above the trigger has it in what it denies: "denied carrying out
    the strike", "denied reports that its jets hit". Not a conjunct of the denial ("denied
    responsibility and blamed rebels"), not a refused proposal ("rejected an offer of talks"),
    not the accusation denied (it was made)."""
    path = [trigger]
    for g in _governors(trigger):
        lemma = g.lemma_.lower()
        if lemma in c.denying or lemma in c.rejecting:
            child = path[-1]
            if child.dep_ not in c.content_deps or (
                child.i == trigger.i and _lemma(child) in c.reports
            ):
                return False
            if any(t.pos_ == "NOUN" and _lemma(t) in c.proposals for t in path):
                return False
            if lemma in c.rejecting:  # "rejected holding talks" refuses; only a report is denied
                return child.dep_ == "ccomp" or _lemma(child) in c.reports
            return True
        path.append(g)
    return False


def _lemma(token: Any) -> str:
    return str(token.lemma_).lower()


def _negated_fact(trigger: Any, c: Cues) -> str | None:
    """'denied' when a negation governs the event's own verb in a statement of fact ("did not
    shell the village", "did not carry out the attack", "no attack took place"); 'refused' when
    it is a negated future or modal ("will not lift the ban"); else None: "no talk of Brexit",
    "did not say who carried out the raid" and "the shelling had not stopped" deny nothing."""
    verb = trigger
    if trigger.pos_ not in ("VERB", "AUX"):
        head = trigger.head
        if head.i == trigger.i:
            return None
        if _lemma(head) not in c.realising:  # "will not end the strike": a refusal
            return "refused" if _negated(head) and _modal(head, c) else None
        if trigger.dep_ not in ("dobj", "obj", "nsubj", "nsubjpass", "attr"):
            return None
        if any(d.dep_ == "det" and d.lower_ in c.negations for d in trigger.children):
            return "denied"  # "no attack took place"
        verb = head
    if not _negated(verb):
        return None
    return "refused" if _modal(verb, c) else "denied"


def _negated(verb: Any) -> bool:
    return any(d.dep_ == "neg" for d in verb.children)


def _modal(verb: Any, c: Cues) -> bool:
    return any(d.dep_ == "aux" and d.lower_ in c.modals for d in verb.children)


def _own_act(
    trigger: Any, reporter: Any, source: _Source, actors: ActorDictionary, c: Cues
) -> bool:
    """Whether the source asserts its own act: the event's agent is the source ("the ministry
    said Russian forces struck", both of one state), or a pronoun under the source's reporting
    verb ("Japan said it had halted aid", "the SDF said its fighters advanced")."""
    if not source.party:
        return False
    agent = _agent(trigger, reporter, c)
    if agent is None:
        return False
    if reporter is not None and (
        agent.root.lower_ in c.own_pronouns
        or any(t.dep_ == "poss" and t.lower_ in c.own_pronouns for t in agent)
    ):
        return True
    mine = source.actor
    if mine is None:
        return False
    for found in actors.find(agent.text, agent.start_char):
        a = found.actor
        if a.name == mine.name:
            return True
        sectors = {(a.sector or "").lower(), (mine.sector or "").lower()}
        if a.country and a.country == mine.country and sectors <= c.state_sectors:
            return True
    return False


def _agent(trigger: Any, reporter: Any, c: Cues) -> Any:
    """Who does the event: a possessor of the trigger noun ("its assault"), else the active
    subject of the trigger's own clause ("they were responsible for the bombing"), never one
    across a clause boundary ("they will not end the strike until demands are met")."""
    poss = [t for t in trigger.children if t.dep_ == "poss"]
    if poss:
        return trigger.doc[poss[0].left_edge.i : poss[0].right_edge.i + 1]
    token = trigger
    for _ in range(6):
        if reporter is not None and token.i == reporter.i:
            return None
        subjects = [t for t in token.children if t.dep_ == "nsubj"]
        if subjects:
            s = subjects[0]
            return s.doc[s.left_edge.i : s.right_edge.i + 1]
        if token.dep_ not in c.clause_deps or token.head.i == token.i:
            return None
        token = token.head
    return None


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
    while token.head.i != token.i and seen < 8:  # spaCy makes a new Token on each access
        token = token.head
        seen += 1
        yield token


def _future(token: Any) -> bool:
    """'will strike', 'is to withdraw', 'plans to deploy' (aux or xcomp of a planning verb)."""
    verb = token if token.pos_ in ("VERB", "AUX") else token.head
    future = ("will", "would", "shall", "'ll")
    return any(c.dep_ == "aux" and c.lower_ in future for c in verb.children)


_SPEECH_ACTS = frozenset({"THREATEN", "REQUEST", "ACCUSE", "REJECT", "AGREE", "SUPPORT"})


def event_status(said: Attribution, when: DateFinding, event_type: str) -> EventStatus:
    """The status of one event from its attribution and its date: background is
    ``historical``, an event dated after publication ``planned`` (a denial stays one)."""
    status = said.status
    if status in ("threatened", "planned") and event_type in _SPEECH_ACTS:
        status = "reported"  # a threat or demand made is itself the event
    if status == "denied":
        return status
    if when.historical:
        return "historical"
    if when.future and status in ("reported", "claimed") and event_type not in _SPEECH_ACTS:
        return "planned"
    return status
