"""The default event extractor: lexicon triggers in the dependency parse, scored with a learned
sentence classifier; then actors, place, date, attribution and status for each event.

``extract_doc(doc, article, places, resources)`` returns the events of one parsed article, the
main event first. Extractors are registered by name (``registry`` kind ``extractors``); this one
is ``patterns``.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from eventatlas.events.actors import ActorDictionary
from eventatlas.events.attribution import attribute, event_status
from eventatlas.events.classify import (
    NONE,
    SentenceModel,
    SentencePrediction,
    context_vector,
    sentence_features,
)
from eventatlas.events.dates import resolve_date
from eventatlas.events.encoders import SentenceEncoder
from eventatlas.events.locate import locate
from eventatlas.events.ontology import Ontology, Trigger
from eventatlas.events.participants import participants, with_place_country
from eventatlas.records import AcledType, ArticleInfo, EventMention, Place
from eventatlas.registry import register

log = logging.getLogger(__name__)

GOVERNED = 0.3  # lexicon-score penalty of a trigger governed by another trigger
_MAIN_DEPS = frozenset({"ROOT", "conj", "ccomp"})


@dataclass(frozen=True)
class EventResources:
    ontology: Ontology
    actors: ActorDictionary
    classifier: SentenceModel | None
    encoder: SentenceEncoder | None = None


@dataclass(frozen=True)
class _Candidate:
    token: Any
    trigger: Trigger | None
    type: str
    mode: str | None
    acled: AcledType | None
    score: float
    length: int = 1
    status: str | None = None  # the sentence model's status, where it is confident


def extract_doc(
    doc: Any, article: ArticleInfo, places: Sequence[Place], res: EventResources
) -> list[EventMention]:
    """The events reported in a parsed article, the main event first."""
    sents = list(doc.sents)
    vectors = _vectors(sents, res)
    events: list[EventMention] = []
    before: list[EventMention] = []  # the previous sentence's events
    for i, sent in enumerate(sents):
        vector = None if vectors is None else context_vector(vectors, i)
        prev = sents[i - 1] if i > 0 else None
        found = [
            _from_context(_build(sent, cand, article, places, res), before)
            for cand in _candidates(sent, prev, vector, res)
        ]
        events += found
        before = found
    return _main_first(events)


def _from_context(event: EventMention, before: Sequence[EventMention]) -> EventMention:
    """An event whose sentence names no actor takes the actors of the previous sentence's
    event of its type ("Rebels fired rockets at the district. The shells killed two."), as
    coders do (guidelines, section 3)."""
    if event.actors:
        return event
    same = [b for b in before if b.actors and b.type == event.type]
    if not same:
        return event
    actors = tuple(a for a in same[0].actors if a not in event.recipients)
    return replace(event, actors=actors) if actors else event


# The packaged sentence model each extractor name runs (``extractor`` setting).
MODEL_FILES = {"patterns": "event_model.json", "minilm": "event_model_minilm.json"}


@register("extractors", "patterns")
def patterns_extractor(settings: Any) -> Any:
    """The default: the sentence model over static vectors distilled from all-MiniLM-L6-v2."""
    return extract_doc


@register("extractors", "minilm")
def minilm_extractor(settings: Any) -> Any:
    """The same extractor with the sentence model over all-MiniLM-L6-v2 itself (the ``minilm``
    extra: torch on the CPU; about 4x a spaCy parse per sentence)."""
    return extract_doc


def _vectors(sents: Sequence[Any], res: EventResources) -> Any:
    if res.classifier is None or res.classifier.encoder is None or res.encoder is None:
        return None
    return res.encoder.encode([s.text for s in sents])


def _candidates(sent: Any, prev: Any, vector: Any, res: EventResources) -> list[_Candidate]:
    """The events of one sentence: none unless the sentence model says it reports one; then
    its main event (the learned type and ACLED sub-type, anchored on the trigger of that type
    the lexicon finds, else on the root), and any other trigger of another type that the model
    finds likely, in a clause of its own."""
    found = _governed_last(_triggers(sent, res.ontology))
    model = res.classifier
    if model is None:
        best = max(found, key=lambda c: c.score, default=None)
        return [best] if best is not None and best.score >= 0.5 else []
    pred = model.predict(sentence_features(sent, res.ontology, prev), vector)
    if pred.event < model.constant("detect_threshold"):
        return []
    main = replace(_main(sent, found, pred, res.ontology), status=_learned_status(pred, model))
    out = [main]
    extra = model.constant("extra_event_min")
    for c in sorted(found, key=lambda c: -c.score):
        if c.type in {o.type for o in out} or pred.types.get(c.type, 0.0) < extra:
            continue
        if c.token.dep_ in _MAIN_DEPS and not _governs(main.token, c.token):
            acled = c.acled or res.ontology.acled_for(c.type, c.mode)
            out.append(replace(c, acled=acled, score=pred.event * pred.types[c.type]))
    return out


def _main(
    sent: Any, found: list[_Candidate], pred: SentencePrediction, onto: Ontology
) -> _Candidate:
    type_, acled = _joint(pred, onto)
    typed = [c for c in found if c.type == type_]
    if typed:
        anchor = max(typed, key=lambda c: c.score)
    else:
        root = next((t for t in sent if t.dep_ == "ROOT"), sent[0])
        anchor = _Candidate(root, None, type_, None, None, 0.0)
    mode = anchor.mode
    if acled is not None:  # the learned sub-type says how ("airstrike" vs "shelling") over a word
        mode = onto.acled[(acled.event_type, acled.sub_event_type)][1] or mode
    if mode not in onto.modes.get(type_, frozenset()):
        mode = None
    score = pred.event * pred.types.get(type_, 0.0)
    return _Candidate(anchor.token, anchor.trigger, type_, mode, acled, score, anchor.length)


def _joint(pred: SentencePrediction, onto: Ontology) -> tuple[str, AcledType | None]:
    """The most probable PLOVER type and ACLED sub-type that go together (ACLED's own mapping
    to PLOVER types); ACLED may be none."""
    best: tuple[float, str, AcledType | None] = (-1.0, "ASSAULT", None)
    for type_, p in pred.types.items():
        if p <= best[0]:
            continue
        none = pred.acled.get(NONE, 0.0)
        if p * none > best[0]:
            best = (p * none, type_, None)
        for label, q in pred.acled.items():
            event_type, _, sub = label.partition(" / ")
            pair = onto.acled.get((event_type, sub))
            if pair is not None and pair[0] == type_ and p * q > best[0]:
                best = (p * q, type_, AcledType(event_type, sub))
    return best[1], best[2]


_LEARNED_STATUSES = frozenset({"historical", "planned", "claimed", "reported"})


def _learned_status(pred: SentencePrediction, model: SentenceModel) -> str | None:
    """The status head's answer where it is at least ``status_override`` sure: what the parse
    cannot see ("UN chief withdrew peacekeepers from Rwanda" is background without a date)."""
    if not pred.status or "status_override" not in model.constants:
        return None
    label = max(pred.status, key=lambda k: pred.status[k])
    if label in _LEARNED_STATUSES and pred.status[label] >= model.constant("status_override"):
        return label
    return None


def _governs(head: Any, token: Any) -> bool:
    return any(a.i == head.i for a in token.ancestors)


def _governed_last(found: list[_Candidate]) -> list[_Candidate]:
    """A trigger under another trigger yields to it: in "rejected a call to deploy troops" or
    "halted economic aid" the governing predicate is the event."""
    tokens = {c.token.i for c in found}
    out = []
    for c in found:
        ancestors = {a.i for a in c.token.ancestors}
        if ancestors & (tokens - {c.token.i}):
            c = replace(c, score=c.score - GOVERNED)
        out.append(c)
    return out


def _triggers(sent: Any, onto: Ontology) -> list[_Candidate]:
    out: list[_Candidate] = []
    lemmas = [t.lemma_.lower() for t in sent]
    for i, tok in enumerate(sent):
        for trig in onto.triggers.get(lemmas[i], ()):
            n = len(trig.lemmas)
            if tuple(lemmas[i : i + n]) != trig.lemmas:
                continue
            if (
                trig.pos != "ANY"
                and tok.pos_ != trig.pos
                and not (trig.pos == "NOUN" and tok.pos_ == "PROPN")
            ):
                continue
            acled = trig.acled or onto.acled_for(trig.type, trig.mode)
            bonus = 0.05 * (n - 1) + (0.1 if tok.dep_ in _MAIN_DEPS else 0.0)
            out.append(_Candidate(tok, trig, trig.type, trig.mode, acled, trig.strength + bonus, n))
    return out


def _build(
    sent: Any, c: _Candidate, article: ArticleInfo, places: Sequence[Place], res: EventResources
) -> EventMention:
    named = [a for a in res.actors.find(sent.text, sent.start_char)]
    actors, recipients = participants(c.token, named)
    said = attribute(c.token, res.actors)
    when = resolve_date(sent.text, article.published)
    status = event_status(said, when, c.type)
    if c.status is not None and status != "denied":
        status = c.status  # type: ignore[assignment]
    source_names = {said.attributed_to}
    actors = tuple(a for a in actors if a.name not in source_names)
    as_actor = [(a.start, a.end) for a in named]
    free = [
        p
        for p in places
        if _locative(sent.doc, p) or not any(s <= p.start and p.end <= e for s, e in as_actor)
    ]
    place, precision = locate(sent, c.token, free, verbal=c.type in VERBAL)
    actors = with_place_country(actors, place)
    recipients = with_place_country(recipients, place)
    trigger_text = sent.doc[c.token.i : c.token.i + c.length].text
    quote = sent.text.strip()
    start = sent.start_char + (len(sent.text) - len(sent.text.lstrip()))
    digest = hashlib.sha256(
        f"{article.id}\0{sent.start_char}\0{sent.end_char}\0{c.type}".encode()
    ).hexdigest()[:24]
    return EventMention(
        id=digest, article_id=article.id, type=c.type,  # type: ignore[arg-type]
        mode=c.mode, acled=c.acled, date=when.date, actors=actors, recipients=recipients,
        location=place, geo_precision=precision, status=status, attributed_to=said.attributed_to,
        stance=said.stance, quote=quote, start=start, end=start + len(quote),
        trigger=trigger_text, confidence=round(min(c.score, 1.0), 3),
        outlet=article.outlet, published=article.published,
    )  # fmt: skip


# Statements and meetings: where they were said or held when the sentence ties a place to them
# ("talks in Geneva"), else nowhere (docs/annotation/places.md section 5).
VERBAL = frozenset({
    "AGREE", "CONSULT", "SUPPORT", "REQUEST", "REJECT", "ACCUSE", "THREATEN", "CONCEDE",
})  # fmt: skip

_LOCATIVE = frozenset({
    "in", "at", "near", "outside", "across", "around", "into", "inside", "within", "throughout",
    "towards", "toward", "on", "from", "off", "along", "over", "between", "of",
})  # fmt: skip


def _locative(doc: Any, place: Place) -> bool:
    """Whether a place name stands where a place does ("in Baghdad"), not an actor ("Baghdad
    said", "a US patrol")."""
    span = doc.char_span(place.start, place.end, alignment_mode="expand")
    if span is None:
        return False
    tok = span.root
    for _ in range(3):
        if tok.dep_ == "pobj":
            return tok.head.lower_ in _LOCATIVE
        if tok.dep_ not in ("compound", "amod", "appos", "conj", "nmod") or tok.head is tok:
            return False
        tok = tok.head
    return False


def _main_first(events: list[EventMention]) -> list[EventMention]:
    """The main event first (the most confident of the lede, current over background), then
    the rest in text order."""
    if len(events) < 2:
        return events

    def rank(pair: tuple[int, EventMention]) -> tuple[bool, float]:
        i, e = pair
        return (e.status != "historical", e.confidence + (0.15 if i < 3 else 0.0))

    main = max(enumerate(events), key=rank)[1]
    return [main, *(e for e in events if e is not main)]


def load_event_resources(settings: Any) -> EventResources:
    """Ontology, lexicon, actor dictionary and sentence classifier (the user's files on top)."""
    from importlib import resources
    from pathlib import Path

    from eventatlas.events.actors import load_actors
    from eventatlas.events.classify import load_classifier
    from eventatlas.events.ontology import load_ontology

    lexicon = [Path(settings.lexicon_file)] if settings.lexicon_file else []
    actors = [Path(settings.actors_file)] if settings.actors_file else []
    res = EventResources(load_ontology(lexicon), load_actors(actors), None)
    name = MODEL_FILES.get(getattr(settings, "extractor", "patterns"), MODEL_FILES["patterns"])
    if resources.files("eventatlas.data").joinpath(name).is_file():
        return with_model(res, load_classifier(packaged=name))
    log.warning("no event_model.json packaged: events from the trigger lexicon alone")
    return res


def with_model(res: EventResources, model: SentenceModel) -> EventResources:
    """``res`` running ``model``, with the sentence encoder the model names."""
    encoder = None
    if model.encoder is not None:
        from eventatlas.events.encoders import load_encoder

        encoder = load_encoder(model.encoder)
    return replace(res, classifier=model, encoder=encoder)
