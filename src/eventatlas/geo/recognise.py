"""Find the place names in a parsed text.

spaCy's small English model misses or mislabels many Middle Eastern place names (al-Malikiyah
as ORG, Ain Issa as PERSON), so its entity labels are one kind of evidence among three:

* entity spans of any label, cut at brackets and commas (GPE/LOC taken; FAC when the gazetteer
  knows the name or a cue says road/site; ORG/PERSON/NORP only when the gazetteer knows the name
  and the context supports it);
* a gazetteer matcher: runs of capitalised tokens (with the particles of ``geo_stoplist.csv``
  such as al-, ez-, de, of) looked up longest-first with ``gazetteer.is_name(name_key(...))``;
* cue phrases beside a name (``geo_cues.csv``: "the village of X", "near X", "X province").

Guards: the stop-list's common capitalised words, demonyms (evidence for a country, never a
place mention), acronyms (CIS, MoD) and people's names (a title before it, a first name followed
by a surname, or a word the text uses as a person's surname) unless a strong cue says place.
A known name with neither a reliable label nor a cue nor prominence (a town of 100,000 people, a
country, a first-level division) is *tentative*: the resolver keeps it only if its place sits
among the text's other places. A name taken once is taken everywhere in the text. ``A (B)``
makes two mentions of one place (a shared ``group``); ``A, B`` / ``A in B`` / ``A near B`` record
B as A's ``related`` mention for the resolver.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from eventatlas.geo.normalise import fold, name_key
from eventatlas.geo.protocols import GazetteerLike
from eventatlas.geo.rules import Cue, GeoRules, geo_rules

log = logging.getLogger(__name__)

STRONG_LABELS = frozenset({"GPE", "LOC"})
ENTITY_LABELS = frozenset({"GPE", "LOC", "FAC", "ORG", "PERSON", "NORP"})
_LABEL_RANK = {"GPE": 0, "LOC": 1, "FAC": 2, "ORG": 3, "NORP": 4, "PERSON": 5}
_CUT = frozenset({"(", ")", ",", ";", ":", "/", "[", "]", '"', "“", "”", "|"})
_QUOTES = frozenset({"‘", "’", "ʿ", "ʾ", "'", "`", "ʻ"})
_DETERMINERS = frozenset({"the"})
_ALIAS_WORDS = frozenset({"also", "known", "as", "called", "or", "aka"})
_PROMINENT_POPULATION = 100_000
# Names of events, works, laws and products: a place word inside one ("State of the Union",
# "Operation Euphrates Shield") is a place only when the place is prominent.
_NAME_LABELS = frozenset({"EVENT", "WORK_OF_ART", "LAW", "PRODUCT"})
# "London-based", "Beirut-born": where an entity is based or from; "Ankara-backed", "US-led":
# the government or organisation behind it.
_DESCRIPTOR_SUFFIXES = frozenset({"based", "born", "headquartered", "raised", "bred", "educated"})
_SEAT_SUFFIXES = frozenset({
    "backed", "led", "sponsored", "allied", "supported", "funded", "brokered", "aligned",
    "controlled", "run", "affiliated", "financed", "trained", "armed", "installed",
})  # fmt: skip
# Nouns after a place name that make it stand for a government: "the Damascus government".
_SEAT_NOUNS = frozenset({
    "government", "regime", "authorities", "administration", "officials", "leadership",
    "cabinet", "ministry", "embassy", "police", "council", "parliament", "delegation",
})  # fmt: skip
# Words that make an ORG entity around a place name an organisation ("Aleppo Media Center").
_ORG_NOUNS = _SEAT_NOUNS | frozenset({
    "center", "centre", "department", "university", "college", "school", "committee",
    "brigade", "brigades", "front", "army", "party", "agency", "office", "media", "network",
    "company", "corporation", "bank", "club", "association", "union", "league", "movement",
    "forces", "force", "battalion", "division", "group", "organization", "organisation",
    "observatory", "commission", "court", "hospital", "times", "post", "news", "tv", "radio",
})  # fmt: skip
# Nouns of a state's agents: a place modifying one stands for the state ("US troops").
_ACTOR_NOUNS = _SEAT_NOUNS | frozenset({
    "troops", "troop", "forces", "force", "army", "military", "soldier", "soldiers", "jet",
    "jets", "warplane", "warplanes", "aircraft", "navy", "president", "minister", "envoy",
    "official", "diplomat", "ambassador", "intelligence", "regime", "coalition", "militia",
    "militias", "ally", "allies", "backing", "support", "intervention", "strike", "strikes",
    "airstrike", "airstrikes", "foreign", "defense", "defence", "state", "spokesman",
})  # fmt: skip
# Verbs whose place subject is a place where something is, not an agent ("Aleppo saw fighting").
_PLACE_SUBJECT_VERBS = frozenset({
    "be", "fall", "lie", "remain", "become", "see", "witness", "experience", "suffer", "host",
    "border", "stand", "sit", "have", "come", "go", "shake", "burn", "tremble", "face", "lose",
    "change", "return", "calm", "look", "seem", "appear", "hold",
})  # fmt: skip


@dataclass(frozen=True)
class Mention:
    """A stretch of text taken to name a place."""

    text: str
    start: int  # character offsets into the text
    end: int
    key: str  # name_key(text)
    source: str  # "ner" | "gazetteer" | "cue" | "given"
    label: str | None = None  # spaCy entity label of the span, if any
    cue: str | None = None  # the cue phrase beside it ("village of", "near", "province")
    hint: str | None = None  # feature kind the cue points to
    precision: int | None = None  # ACLED precision the cue implies (2 for "near X")
    group: int | None = None  # mentions of one place written as "A (B)" share a group
    related: int | None = None  # index of the mention B in "A, B" / "A in B" / "A near B"
    relation: str | None = None  # "in" | "," | "near"
    tentative: bool = False  # kept only if the resolved place fits the text's other places
    role: str = "location"  # "location" | "seat" (stands for a government or organisation) |
    #                         "descriptor" ("London-based": where an entity is based or from)


@dataclass(frozen=True)
class Recognition:
    """The place mentions of one text and the countries its demonyms point to."""

    mentions: tuple[Mention, ...]
    countries: tuple[str, ...]  # ISO2 per demonym occurrence ("Syrian forces" -> "SY")


@dataclass
class _Cand:
    start: int  # token offsets
    end: int
    label: str | None  # label of an entity lying within the span
    inside: str | None  # label of an entity extending beyond the span
    known: bool
    source: str


class _Doc:
    """Per-text helpers around a spaCy Doc, the gazetteer and the rules (memoised look-ups)."""

    def __init__(self, doc: Any, gazetteer: GazetteerLike, rules: GeoRules) -> None:
        self.doc = doc
        self.text: str = doc.text
        self.gaz = gazetteer
        self.rules = rules
        self._known: dict[str, bool] = {}
        self._prominent: dict[str, bool] = {}
        self._surnames: frozenset[str] | None = None
        self.entity_at: dict[int, Any] = {i: e for e in doc.ents for i in range(e.start, e.end)}
        # plain lists, filled in one pass: indexing a Doc makes a Token object each time
        self.words: list[str] = []
        self.lower: list[str] = []
        self.idx: list[int] = []
        self.glued: list[bool] = []
        self.space: list[bool] = []
        for t in doc:
            self.words.append(t.text)
            self.lower.append(t.lower_)
            self.idx.append(t.idx)
            self.glued.append(not t.whitespace_)
            self.space.append(t.is_space)
        self.capital: list[bool] = [_is_word(w) for w in self.words]
        self._keys: dict[tuple[int, int], str] = {}

    def span_text(self, start: int, end: int) -> str:
        return self.text[self.idx[start] : self.idx[end - 1] + len(self.words[end - 1])]

    def key(self, start: int, end: int) -> str:
        found = self._keys.get((start, end))
        if found is None:
            found = self._keys[(start, end)] = name_key(self.span_text(start, end))
        return found

    def known(self, key: str) -> bool:
        if key not in self._known:
            self._known[key] = bool(key) and self.gaz.is_name(key)
        return self._known[key]

    @property
    def surnames(self) -> frozenset[str]:
        """Last words of multi-word PERSON entities that are not country names."""
        if self._surnames is None:
            self._surnames = frozenset(
                w
                for w in _person_surnames(self.doc)
                if not any(e.feature == "country" for e in self.gaz.lookup(name_key(w)))
            )
        return self._surnames

    def prominent(self, key: str) -> bool:
        if key not in self._prominent:
            self._prominent[key] = any(
                e.feature in ("country", "admin1") or e.population >= _PROMINENT_POPULATION
                for e in self.gaz.lookup(key)
            )
        return self._prominent[key]


def recognise(doc: Any, gazetteer: GazetteerLike, rules: GeoRules | None = None) -> Recognition:
    """The place mentions in ``doc`` (a parsed ``spacy.tokens.Doc``), in text order."""
    ctx = _Doc(doc, gazetteer, rules or geo_rules())
    cands = _merge(ctx, _entity_pieces(ctx), _gazetteer_spans(ctx))
    verdicts = {id(c): _accept(ctx, c) for c in cands}
    accepted = _propagate(ctx, cands, [c for c in cands if verdicts[id(c)] == "yes"])
    taken = {id(c) for c in accepted}
    kept = [c for c in cands if id(c) in taken or verdicts[id(c)] == "maybe"]
    mentions = [
        _mention(ctx, c.start, c.end, c.label, c.source, tentative=id(c) not in taken) for c in kept
    ]
    return Recognition(tuple(_link(ctx, kept, mentions)), _demonym_countries(ctx))


def mentions_at(
    doc: Any,
    spans: Sequence[tuple[int, int]],
    gazetteer: GazetteerLike,
    rules: GeoRules | None = None,
) -> list[Mention]:
    """Mentions for given character spans (gold toponyms), with their cues and relations."""
    ctx = _Doc(doc, gazetteer, rules or geo_rules())
    cands: list[_Cand] = []
    mentions: list[Mention] = []
    for start, end in sorted(spans):
        span = doc.char_span(start, end, alignment_mode="expand")
        text = ctx.text[start:end]
        if span is None or len(span) == 0:
            mentions.append(Mention(text, start, end, name_key(text), "given"))
            cands.append(_Cand(-1, -1, None, None, False, "given"))
            continue
        label = span[0].ent_type_ or None
        made = _mention(ctx, span.start, span.end, label, "given")
        mentions.append(replace(made, text=text, start=start, end=end, key=name_key(text)))
        cands.append(_Cand(span.start, span.end, label, None, True, "given"))
    return _link(ctx, cands, mentions)


# --- candidate spans ------------------------------------------------------------------------


def _entity_pieces(ctx: _Doc) -> list[_Cand]:
    """Entity spans cut at brackets, commas and possessives, without a leading "the"."""
    pieces: list[_Cand] = []
    for ent in ctx.doc.ents:
        if ent.label_ not in ENTITY_LABELS:
            continue
        start = ent.start
        for i in range(ent.start, ent.end + 1):
            if i == ent.end or ctx.doc[i].text in _CUT or ctx.doc[i].lower_ in ("'s", "’s"):
                lo, hi = _trim(ctx, start, i)
                if lo < hi:
                    key = ctx.key(lo, hi)
                    pieces.append(_Cand(lo, hi, ent.label_, None, ctx.known(key), "ner"))
                start = i + 1
    return pieces


def _trim(ctx: _Doc, start: int, end: int) -> tuple[int, int]:
    doc = ctx.doc
    while start < end and (doc[start].lower_ in _DETERMINERS or doc[start].is_punct):
        start += 1
    while end > start and doc[end - 1].is_punct and not doc[end - 1].text.endswith("."):
        end -= 1
    return start, end


def _is_word(text: str) -> bool:
    return text[:1].isupper() and any(ch.isalpha() for ch in text)


def _is_joiner(ctx: _Doc, k: int) -> bool:
    """Tokens allowed inside a name: particles, hyphens and quote marks glued to a neighbour."""
    text = ctx.words[k]
    if text == "-":
        return True
    if text in _QUOTES:
        return ctx.glued[k]
    return text.islower() and ctx.rules.is_stop(text, "particle")


def _can_start(ctx: _Doc, i: int) -> bool:
    if ctx.capital[i]:
        return True
    if i + 1 >= len(ctx.words) or not ctx.glued[i]:
        return False
    text = ctx.words[i]
    if text in _QUOTES:
        return ctx.capital[i + 1]
    return ctx.rules.is_stop(text, "particle") and ctx.words[i + 1] == "-"


def _ends_from(ctx: _Doc, i: int, max_words: int) -> list[int]:
    """Exclusive token ends at which a name starting at ``i`` could stop."""
    ends: list[int] = []
    words = 0
    for k in range(i, len(ctx.words)):
        if ctx.capital[k]:
            words += 1
            if words > max_words:
                break
            ends.append(k + 1)
        elif ctx.space[k] or not _is_joiner(ctx, k):
            break
    return ends


def _gazetteer_spans(ctx: _Doc) -> list[_Cand]:
    """Longest runs of name-like tokens the gazetteer knows, left to right."""
    max_words = max(1, ctx.gaz.max_name_tokens())
    found: list[_Cand] = []
    i = 0
    while i < len(ctx.words):
        end = None
        if _can_start(ctx, i):
            for j in reversed(_ends_from(ctx, i, max_words)):
                if ctx.known(ctx.key(i, j)):
                    end = j
                    break
        if end is None:
            i += 1
            continue
        found.append(_Cand(i, end, None, None, True, "gazetteer"))
        i = end
    return found


def _merge(ctx: _Doc, pieces: list[_Cand], gaz: list[_Cand]) -> list[_Cand]:
    """Non-overlapping candidates: known names first, longer first, entity pieces before matches."""
    pool = sorted(
        [*pieces, *gaz], key=lambda c: (not c.known, -(c.end - c.start), c.source != "ner")
    )
    taken: list[_Cand] = []
    used: set[int] = set()
    for cand in pool:
        tokens = set(range(cand.start, cand.end))
        if tokens & used:
            continue
        used |= tokens
        taken.append(_labelled(ctx, cand))
    return sorted(taken, key=lambda c: c.start)


def _labelled(ctx: _Doc, cand: _Cand) -> _Cand:
    """Set ``label`` (an entity within the span) and ``inside`` (an entity reaching beyond it)."""
    label, inside = cand.label, None
    for k in range(cand.start, cand.end):
        tok = ctx.doc[k]
        if not tok.ent_type_ or tok.ent_type_ not in ENTITY_LABELS:
            continue
        ent = ctx.entity_at.get(k)
        if ent is None:
            continue
        if ent.start < cand.start or ent.end > cand.end:
            if label is None:
                inside = inside or ent.label_
        elif label is None or _LABEL_RANK[ent.label_] < _LABEL_RANK.get(label, 9):
            label = ent.label_
    return _Cand(cand.start, cand.end, label, inside, cand.known, cand.source)


# --- decisions ------------------------------------------------------------------------------


def _cues(ctx: _Doc, start: int, end: int) -> tuple[Cue | None, Cue | None]:
    lower, rules = ctx.lower, ctx.rules
    left = right = None
    p = start - 1
    if p >= 0 and lower[p] in _DETERMINERS:
        p -= 1
    for n in range(min(rules.max_cue_words, p + 1), 0, -1):
        words = tuple(lower[p - n + 1 : p + 1])
        if words in rules.left_cues:
            if not _title_cased(ctx, p - n + 1):  # "State of the Union": a name, not a cue
                left = rules.left_cues[words]
            break
    for n in range(min(rules.max_cue_words, len(lower) - end), 0, -1):
        words = tuple(lower[end : end + n])
        if words in rules.right_cues:
            right = rules.right_cues[words]
            break
    return left, right


def _title_cased(ctx: _Doc, k: int) -> bool:
    """A capitalised word that does not begin a sentence (part of a name)."""
    return ctx.capital[k] and not ctx.doc[k].is_sent_start and ctx.words[k].lower() != "the"


def _person_like(ctx: _Doc, cand: _Cand) -> bool:
    doc, rules = ctx.doc, ctx.rules
    before = doc[cand.start - 1] if cand.start > 0 else None
    if before is not None and rules.is_stop(before.text, "title"):
        return True
    first = doc[cand.start]
    after = doc[cand.end] if cand.end < len(doc) else None
    if rules.is_stop(first.text, "first_name"):
        if cand.end - cand.start > 1 or cand.label == "PERSON":
            return True
        if after is not None and _is_word(after.text) and not _placeish(ctx, after.lower_):
            return True
    return ctx.span_text(cand.start, cand.end).lower() in ctx.surnames


def _placeish(ctx: _Doc, word: str) -> bool:
    return (word,) in ctx.rules.right_cues or ctx.rules.is_stop(word, "common")


def _accept(ctx: _Doc, cand: _Cand) -> str:
    """yes, no, or maybe: a known name the resolver keeps only if it fits the other places."""
    doc, rules = ctx.doc, ctx.rules
    text = ctx.span_text(cand.start, cand.end)
    key = name_key(text)
    if not key or text.lower() in rules.demonyms or not any(ch.isupper() for ch in text):
        return "no"
    left, right = _cues(ctx, cand.start, cand.end)
    if left is not None and _cue_inside_name(ctx, cand, left):
        left = None  # "State of the Union": the cue's words belong to the name around it
    strong = any(c is not None and c.strong for c in (left, right))
    weak = left is not None or right is not None
    if cand.end - cand.start == 1 and (
        rules.is_stop(text, "common") or rules.is_stop(text, "title")
    ):
        sure = (left is not None and left.strong) or (
            cand.label in STRONG_LABELS and not doc[cand.start].is_sent_start
        )
        return "yes" if sure else "no"
    if _acronym(text) and text not in rules.aliases and cand.label not in STRONG_LABELS:
        return "no"
    if len(key.replace(" ", "")) <= 2 and text not in rules.aliases and not strong:
        return "yes" if cand.label in STRONG_LABELS and cand.known else "no"
    if _person_like(ctx, cand) or _in_person_name(ctx, cand):  # "Ben" of "Ben Wallace"
        return "yes" if strong and cand.known else "no"
    word_of_name = cand.inside == "ORG" and not strong and not _seat_in_org(ctx, cand)
    if word_of_name and not _famous_as_written(ctx, text):
        return "no"  # "al-Sham" of "Ahrar al-Sham": a word of a name, not the group's seat
    if _in_other_name(ctx, cand) and not (strong or (cand.known and ctx.prominent(key))):
        return "no"  # "Union" of "State of the Union"
    if cand.label in STRONG_LABELS:
        return "yes"
    if not cand.known:
        hinted = any(c is not None and c.strong and c.hint for c in (left, right))
        sure = hinted and doc[cand.start].pos_ == "PROPN"
        return "yes" if sure else "no"
    prominent = ctx.prominent(key)
    if cand.label is not None:  # FAC, ORG, PERSON, NORP over the whole name
        return "yes" if weak or prominent else _maybe(ctx, cand)
    if strong or ((weak or cand.inside is not None) and prominent):
        return "yes"
    proper = not doc[cand.start].is_sent_start or doc[cand.start].pos_ == "PROPN"
    if cand.inside is None and proper and prominent:
        return "yes"
    return _maybe(ctx, cand)


def _entity_around(ctx: _Doc, cand: _Cand) -> Any:
    """The entity that contains the candidate and reaches beyond it, if any."""
    for k in range(cand.start, cand.end):
        ent = ctx.entity_at.get(k)
        if ent is not None and (ent.start < cand.start or ent.end > cand.end):
            return ent
    return None


_NAME_PARTICLES = frozenset({
    "al", "el", "bin", "ibn", "abu", "bint", "de", "da", "di", "du", "van", "von", "der", "la",
    "le", "-", "'", "’", ".",
})  # fmt: skip


def _in_person_name(ctx: _Doc, cand: _Cand) -> bool:
    """Inside a PERSON entity that reads as a person's name (capitalised words and name
    particles only: not "Qamishli for Derik", which spaCy's small model calls a person)."""
    ent = _entity_around(ctx, cand)
    if ent is None or ent.label_ != "PERSON":
        return False
    if not all(_is_word(t.text) or t.lower_ in _NAME_PARTICLES for t in ent):
        return False
    return not _list_of_places(ctx, ent)


def _list_of_places(ctx: _Doc, ent: Any) -> bool:
    """A run of three or more capitalised words that the gazetteer knows piece by piece, with
    no given name or title in it ("Unq al-Hawa Abu Hawadid Jubb Hamad"): places, not a person."""
    words = [t for t in ent if _is_word(t.text)]
    if len(words) < 3 or any(
        ctx.rules.is_stop(t.text, k) for t in words for k in ("first_name", "title")
    ):
        return False
    known = sum(ctx.known(name_key(t.text)) for t in words)
    return known >= len(words) - 1


def _famous_as_written(ctx: _Doc, text: str) -> bool:
    """A country, first-level division or city of 100,000 whose own name is spelled so
    ("Texas" of "Northeast Texas Community College"; not "al-Sham", a by-name of Damascus)."""
    written = fold(text)
    return any(
        (e.feature in ("country", "admin1") or e.population >= _PROMINENT_POPULATION)
        and fold(e.name) == written
        for e in ctx.gaz.lookup(name_key(text))
    )


def _cue_inside_name(ctx: _Doc, cand: _Cand, cue: Cue) -> bool:
    """Whether a left cue's words lie inside the entity that contains the candidate."""
    ent = _entity_around(ctx, cand)
    if ent is None or ent.label_ not in ("ORG", *_NAME_LABELS):
        return False
    first: int = ent.start
    return first < cand.start and cand.start - len(cue.words) - 1 >= first - 1


def _seat_in_org(ctx: _Doc, cand: _Cand) -> bool:
    """A place inside an organisation's name that names its seat or scope: at the start of the
    name ("Aleppo Media Center", "Paris Police Department") or after "of"/"for"/"in" ("University
    of Aleppo", "Islamic State of Iraq")."""
    ent = _entity_around(ctx, cand)
    if ent is None or ent.label_ != "ORG":
        return True
    first = ent.start + (ctx.lower[ent.start] in _DETERMINERS)
    return cand.start <= first or ctx.lower[cand.start - 1] in ("of", "for", "in")


def _in_other_name(ctx: _Doc, cand: _Cand) -> bool:
    """Whether the candidate lies inside the name of an event, work, law or product."""
    return any(ctx.doc[k].ent_type_ in _NAME_LABELS for k in range(cand.start, cand.end))


def _acronym(text: str) -> bool:
    """CIS, MoD, UConn: short words with several capitals (organisations more than places)."""
    letters = [ch for ch in text if ch.isalpha()]
    return len(letters) <= 5 and sum(ch.isupper() for ch in letters) >= 2


def _maybe(ctx: _Doc, cand: _Cand) -> str:
    tok = ctx.doc[cand.start]
    return "maybe" if tok.pos_ == "PROPN" and cand.label != "NORP" else "no"


def _propagate(ctx: _Doc, cands: list[_Cand], accepted: list[_Cand]) -> list[_Cand]:
    """One sense per text: a name taken once is taken wherever else it was a candidate."""
    keys = {ctx.key(c.start, c.end) for c in accepted}
    taken = {id(c) for c in accepted}
    ends = {c.end for c in accepted}
    out = []
    for cand in cands:
        if id(cand) in taken:
            out.append(cand)
            continue
        text = ctx.span_text(cand.start, cand.end)
        if ctx.rules.is_stop(text, "common") or _person_like(ctx, cand):
            continue
        if name_key(text) in keys or (cand.known and _bracketed_after(ctx, cand, ends)):
            out.append(cand)
    return out


def _bracketed_after(ctx: _Doc, cand: _Cand, ends: set[int]) -> bool:
    """``A (B)`` with A taken: B is another name of A."""
    doc = ctx.doc
    return (
        cand.start >= 2
        and doc[cand.start - 1].text == "("
        and cand.start - 1 in ends
        and cand.end < len(doc)
        and doc[cand.end].text == ")"
    )


def _mention(
    ctx: _Doc, start: int, end: int, label: str | None, source: str, tentative: bool = False
) -> Mention:
    first, last = ctx.doc[start], ctx.doc[end - 1]
    text = ctx.span_text(start, end)
    left, right = _cues(ctx, start, end)
    cue = next((c for c in (left, right) if c is not None and (c.hint or c.precision)), None)
    cue = cue or left or right
    inner = ctx.rules.right_cues.get((ctx.lower[end - 1],)) if end - start > 1 else None
    hint = next((c.hint for c in (right, left, inner) if c is not None and c.hint), None)
    precision = next((c.precision for c in (left, right) if c and c.precision), None)
    return Mention(
        text, first.idx, last.idx + len(last.text), name_key(text), source, label,
        cue.phrase if cue else None, hint, precision, tentative=tentative,
        role=_role(ctx, start, end),
    )  # fmt: skip


def _role(ctx: _Doc, start: int, end: int) -> str:
    """descriptor ("London-based"), seat ("Ankara-backed", "the Damascus government", "Aleppo
    Media Center", "Washington said") or location (everything else)."""
    words, lower = ctx.words, ctx.lower
    if end + 1 < len(words) and words[end] == "-" and ctx.glued[end - 1] and ctx.glued[end]:
        if lower[end + 1] in _DESCRIPTOR_SUFFIXES:
            return "descriptor"
        if lower[end + 1] in _SEAT_SUFFIXES:
            return "seat"
    if end < len(words) and lower[end] in _SEAT_NOUNS:
        return "seat"
    ent: Any = ctx.entity_at.get(start)
    in_org = ent is not None and ent.label_ == "ORG" and (ent.start < start or ent.end > end)
    if in_org and any(lower[k] in _ORG_NOUNS for k in range(ent.start, ent.end)):
        return "seat"  # "Aleppo Media Center"; not "the Raqqa countryside" spaCy calls ORG
    root = ctx.doc[start:end].root
    if root.dep_ in ("compound", "poss") and root.head.lemma_.lower() in _ACTOR_NOUNS:
        return "seat"  # "US troops", "Turkey's army", "the Syrian regime's"
    agent = root.dep_ == "nsubj" and root.head.pos_ in ("VERB", "AUX")
    if agent and root.head.lemma_.lower() not in _PLACE_SUBJECT_VERBS:
        return "seat"  # "Damascus has threatened", "Washington said"
    return "location"


# --- relations between mentions -------------------------------------------------------------


def _link(ctx: _Doc, cands: Sequence[_Cand], mentions: list[Mention]) -> list[Mention]:
    out = list(mentions)
    group = 0
    for a in range(len(out) - 1):
        ca, cb = cands[a], cands[a + 1]
        if ca.start < 0 or cb.start < 0:
            continue
        between = [t.lower_ for t in ctx.doc[ca.end : cb.start]]
        after = ctx.doc[cb.end].text if cb.end < len(ctx.doc) else ""
        bracket = between[:1] == ["("] and after == ")" and set(between[1:]) <= _ALIAS_WORDS
        if bracket or _alias_clause(between):
            gid = out[a].group if out[a].group is not None else group
            group += out[a].group is None
            out[a] = replace(out[a], group=gid)
            out[a + 1] = replace(out[a + 1], group=gid)
        elif relation := _relation(ctx, between):
            out[a] = replace(out[a], related=a + 1, relation=relation)
    return out


def _alias_clause(between: list[str]) -> bool:
    """``A, also known as B``, ``A, which Kurds call B``, ``A, known in Kurdish as B``: B is
    another name of A."""
    if between[:1] != [","] or len(between) > 7:
        return False
    words = between[1:]
    if words[:1] == ["which"] and words[-1:] in (["call"], ["calls"], ["name"], ["names"]):
        return True
    return ("known" in words and words[-1:] == ["as"]) or words in (["called"], ["or"])


def _relation(ctx: _Doc, between: list[str]) -> str | None:
    if between == [","]:
        return ","
    if between in (["in"], [",", "in"]):
        return "in"
    cue = ctx.rules.left_cues.get(tuple(between))
    if cue is not None and cue.precision == 2:
        return "near"
    return None


# --- document evidence ----------------------------------------------------------------------


def _demonym_countries(ctx: _Doc) -> tuple[str, ...]:
    found: list[str] = []
    for ent in ctx.doc.ents:
        if ent.label_ in ("NORP", "GPE", "LANGUAGE"):
            country = ctx.rules.demonyms.get(ent.text.lower())
            if country:
                found.append(country)
    return tuple(found)


def _person_surnames(doc: Any) -> frozenset[str]:
    """Words the text uses as a person's surname: the last word of a multi-word PERSON entity."""
    names: set[str] = set()
    for ent in doc.ents:
        if ent.label_ == "PERSON" and len(ent) >= 2 and all(_is_word(t.text) for t in ent):
            names.add(ent[-1].text.lower())
    return frozenset(names)
